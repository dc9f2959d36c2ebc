/**
 * utils/native-client.ts with a fake port that behaves like Chrome's and Firefox's: replies matched by id in any
 * order, a timeout per request, a disconnect failing everything pending with one sentence (Chrome's lastError,
 * Firefox's port.error), replies the schema refuses, host errors with code/name/field/profiles, and a new port
 * opened lazily after a disconnect.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOST_ERRORS } from '../../utils/host-protocol';
import { createNativeClient, HOST_INSTALL_HINT, HostError, HostUnavailableError, type PortLike } from '../../utils/native-client';

interface Sent {
  v: number;
  id: string;
  type: string;
  body: unknown;
}

/** A port as browser.runtime.connectNative() returns it; the test plays the host and the browser. */
class FakePort implements PortLike {
  readonly sent: Sent[] = [];
  error: { message?: string } | null = null;
  disconnectCalled = false;
  closed = false;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: ((port: PortLike) => void)[] = [];
  onMessage = { addListener: (l: (message: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: (port: PortLike) => void) => void this.disconnectListeners.push(l) };

  postMessage(message: unknown): void {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(structuredClone(message) as Sent);
  }
  disconnect(): void {
    this.disconnectCalled = true;
    this.closed = true;
  }
  /** The host answers. */
  reply(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  ok(id: string, body: unknown): void {
    this.reply({ v: 1, id, ok: true, body });
  }
  /** The browser closes the port (host missing, exited, ...); Firefox sets port.error first. */
  drop(firefoxError?: string): void {
    if (firefoxError) this.error = { message: firefoxError };
    this.closed = true;
    for (const l of this.disconnectListeners) l(this);
  }
  last(): Sent {
    return this.sent.at(-1)!;
  }
}

const HELLO = {
  hostVersion: '0.1.0',
  protocols: [1],
  capabilities: ['writeProfiles', 'listProfiles', 'removeProfiles', 'confirmOverwrite', 'legacySecurityToken'],
  credentialsFile: '/home/alice/.aws/credentials',
  configFile: '/home/alice/.aws/config',
  node: '22.0.0',
};
const SAML = {
  profile: 'sts-temp',
  kind: 'saml' as const,
  roleArn: 'arn:aws:iam::123456789012:role/Developer',
  credentials: { accessKeyId: 'ASIAEXAMPLE000000001', secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: '2030-01-01T00:00:00Z' },
  config: { region: 'us-east-1', role_session_name: undefined },
};

let ports: FakePort[];
let lastError: string | undefined;
const connect = vi.fn(() => {
  const p = new FakePort();
  ports.push(p);
  return p;
});
const port = () => ports.at(-1)!;
const newClient = (timeoutMs = 5_000) => createNativeClient(connect, { timeoutMs, lastError: () => lastError });

/** A settled promise's outcome, without an unhandled rejection in between. */
function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: HostError }> {
  return p.then(
    (value) => ({ value }),
    (error: HostError) => ({ error }),
  );
}

beforeEach(() => {
  ports = [];
  lastError = undefined;
  connect.mockClear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('requests and replies', () => {
  it('opens the port only on the first request, sends the envelope, and matches replies by id in any order', async () => {
    const client = newClient();
    expect(connect).not.toHaveBeenCalled();
    const hello = client.hello();
    const list = client.listProfiles();
    const remove = client.removeProfiles(['sts-temp', 'old']);
    expect(connect).toHaveBeenCalledTimes(1);
    const [h, l, r] = port().sent;
    expect(h).toEqual({ v: 1, id: expect.any(String), type: 'hello', body: {} });
    expect(l).toMatchObject({ v: 1, type: 'listProfiles', body: {} });
    expect(r).toMatchObject({ v: 1, type: 'removeProfiles', body: { profiles: ['sts-temp', 'old'] } });
    expect(new Set([h!.id, l!.id, r!.id]).size).toBe(3);

    port().ok(r!.id, { removed: ['sts-temp'], notManaged: [] });
    port().ok(h!.id, HELLO);
    port().ok(l!.id, { profiles: [{ profile: 'sts-temp', kind: 'saml', region: 'us-east-1' }] });
    expect(await remove).toEqual(['sts-temp']);
    expect(await hello).toEqual(HELLO);
    expect(await list).toEqual([{ profile: 'sts-temp', kind: 'saml', region: 'us-east-1' }]);
  });

  it('writeProfiles sends what the host expects: undefined settings left out, options only when set', async () => {
    const client = newClient();
    const first = client.writeProfiles([SAML]);
    expect(port().last().body).toEqual({ profiles: [{ ...SAML, config: { region: 'us-east-1' } }] });
    port().ok(port().last().id, { written: ['sts-temp'], credentialsFile: 'c', configFile: 'f' });
    // An older host sends no list with its reply.
    expect(await first).toEqual({ written: ['sts-temp'], profiles: undefined });

    const second = client.writeProfiles([SAML], { confirmOverwrite: ['sts-temp'], legacySecurityToken: true });
    expect(port().last().body).toMatchObject({ confirmOverwrite: ['sts-temp'], legacySecurityToken: true });
    const listed = [{ profile: 'sts-temp', kind: 'saml' as const, expiration: '2030-01-01T00:00:00Z' }];
    port().ok(port().last().id, { written: ['sts-temp'], credentialsFile: 'c', configFile: 'f', profiles: listed });
    expect(await second).toEqual({ written: ['sts-temp'], profiles: listed });
    void client.writeProfiles([SAML], { confirmOverwrite: [], legacySecurityToken: false });
    expect(Object.keys(port().last().body as object)).toEqual(['profiles']);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('a request the schema refuses fails at once with the host\'s sentence and field, and is never sent', async () => {
    const client = newClient();
    const { error } = await outcome(client.writeProfiles([{ ...SAML, credentials: { ...SAML.credentials, secretAccessKey: 'has a space EXAMPLE' } }]));
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ errorName: 'InvalidRequest', code: HOST_ERRORS.InvalidRequest, field: 'body.profiles.0.credentials.secretAccessKey' });
    expect(error!.message).not.toContain('has a space');
    expect(connect).not.toHaveBeenCalled();
  });

  it('a reply for an id nobody waits for is ignored', async () => {
    const client = newClient();
    const hello = client.hello();
    port().ok('r-unknown', HELLO);
    port().reply({ v: 1, id: 'r-other', ok: false, error: { code: 11, name: 'Internal', message: 'x.' } });
    port().ok(port().last().id, HELLO);
    expect(await hello).toEqual(HELLO);
  });
});

describe('errors from the host', () => {
  it('HostError carries the code, name, field and profiles of the reply, and its sentence as message', async () => {
    const client = newClient();
    const write = outcome(client.writeProfiles([SAML]));
    port().reply({
      v: 1,
      id: port().last().id,
      ok: false,
      error: { code: 6, name: 'NeedsConfirmation', message: 'Profile "sts-temp" in /home/alice/.aws/credentials was not written by aws-saml-sync.', field: 'body.profiles.0.profile', profiles: ['sts-temp'] },
    });
    const { error } = await write;
    expect(error).toBeInstanceOf(HostError);
    expect(error).not.toBeInstanceOf(HostUnavailableError);
    expect(error).toMatchObject({ name: 'HostError', code: 6, errorName: 'NeedsConfirmation', field: 'body.profiles.0.profile', profiles: ['sts-temp'] });
    expect(error!.message).toBe('Profile "sts-temp" in /home/alice/.aws/credentials was not written by aws-saml-sync.');
  });

  it('an error code this client does not know yet (a newer host) is kept as sent', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    port().reply({ v: 1, id: port().last().id, ok: false, error: { code: 42, name: 'SomethingNew', message: 'A newer helper said no.' } });
    expect((await hello).error).toMatchObject({ code: 42, errorName: 'SomethingNew', message: 'A newer helper said no.' });
  });

  it('a reply whose body does not match the request type: BadReply', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    port().ok(port().last().id, { hostVersion: 1 });
    const { error } = await hello;
    expect(error).toMatchObject({ errorName: 'BadReply', code: HOST_ERRORS.BadReply });
    expect(error!.message).toContain(HOST_INSTALL_HINT);
  });

  it('a reply the envelope schema refuses, or a frame-level error (id null), settles the oldest request', async () => {
    const client = newClient();
    const first = outcome(client.hello());
    const second = outcome(client.listProfiles());
    const third = outcome(client.hello());
    port().reply('not an envelope');
    port().reply({ v: 1, id: null, ok: false, error: { code: 1, name: 'BadFrame', message: 'An empty message arrived (length 0); it was ignored.' } });
    port().ok(port().sent[2]!.id, HELLO);
    expect((await first).error).toMatchObject({ errorName: 'BadReply', code: 16 });
    expect((await second).error).toMatchObject({ errorName: 'BadFrame', code: 1 });
    expect((await third).value).toEqual(HELLO);
  });
});

describe('timeouts', () => {
  it('a request without a reply fails after its timeout with Timeout; the others still get theirs; a late reply is ignored', async () => {
    vi.useFakeTimers();
    const client = newClient(1_000);
    const slow = outcome(client.hello());
    const slowId = port().last().id;
    await vi.advanceTimersByTimeAsync(600);
    const fast = outcome(client.hello());
    await vi.advanceTimersByTimeAsync(399);
    port().ok(port().last().id, HELLO);
    await vi.advanceTimersByTimeAsync(1);
    const { error } = await slow;
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ errorName: 'Timeout', code: HOST_ERRORS.Timeout });
    expect(error!.message).toMatch(/did not answer within 1 second/);
    expect((await fast).value).toEqual(HELLO);
    expect(() => port().ok(slowId, HELLO)).not.toThrow();
  });

  it('defaults to 20 s, enough for a host that waits 10 s for another browser\'s lock', async () => {
    vi.useFakeTimers();
    const client = createNativeClient(connect, { lastError: () => undefined });
    const hello = outcome(client.hello());
    await vi.advanceTimersByTimeAsync(19_999);
    port().ok(port().last().id, HELLO);
    expect((await hello).value).toEqual(HELLO);
    const late = outcome(client.hello());
    await vi.advanceTimersByTimeAsync(20_000);
    expect((await late).error).toMatchObject({ errorName: 'Timeout' });
  });
});

describe('disconnects', () => {
  const NOT_INSTALLED = `The aws-saml-sync helper is not installed; ${HOST_INSTALL_HINT}.`;

  it('Chrome: "Specified native messaging host not found." rejects everything pending with the not-installed sentence', async () => {
    const client = newClient();
    const pending = [outcome(client.hello()), outcome(client.listProfiles()), outcome(client.writeProfiles([SAML]))];
    lastError = 'Specified native messaging host not found.';
    port().drop();
    for (const p of pending) {
      const { error } = await p;
      expect(error).toBeInstanceOf(HostUnavailableError);
      expect(error).toMatchObject({ name: 'HostUnavailableError', errorName: 'HostNotInstalled', code: HOST_ERRORS.HostNotInstalled, message: NOT_INSTALLED });
    }
  });

  it('Firefox: port.error "No such native application org.aws_saml_sync.host" gives the same sentence', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    port().drop('No such native application org.aws_saml_sync.host');
    expect((await hello).error).toMatchObject({ name: 'HostUnavailableError', message: NOT_INSTALLED });
  });

  it('Firefox: any other port.error is read too: "could not be started", not "not installed"', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    port().drop('An unexpected error occurred');
    const { error } = await hello;
    expect(error).toBeInstanceOf(HostUnavailableError);
    expect(error!.message).toBe(`The aws-saml-sync helper could not be started; ${HOST_INSTALL_HINT}.`);
  });

  it('Chrome: "Access to the specified native messaging host is forbidden." (another extension id) is not-installed too', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    lastError = 'Access to the specified native messaging host is forbidden.';
    port().drop();
    expect((await hello).error).toMatchObject({ errorName: 'HostNotInstalled', message: NOT_INSTALLED });
  });

  it('"Native host has exited." with requests waiting: HostExited, one sentence with the install hint', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    lastError = 'Native host has exited.';
    port().drop();
    const { error } = await hello;
    expect(error).toMatchObject({ errorName: 'HostExited', code: HOST_ERRORS.HostExited });
    expect(error!.message).toMatch(/^The aws-saml-sync helper stopped unexpectedly; .*\.$/);
  });

  it('connect() itself throwing: HostUnavailableError for that request, and the next request tries again', async () => {
    const client = createNativeClient(
      vi
        .fn<() => PortLike>()
        .mockImplementationOnce(() => {
          throw new Error('Specified native messaging host not found.');
        })
        .mockImplementation(connect),
      { lastError: () => undefined },
    );
    expect((await outcome(client.hello())).error).toMatchObject({ name: 'HostUnavailableError', message: NOT_INSTALLED });
    const hello = client.hello();
    port().ok(port().last().id, HELLO);
    expect(await hello).toEqual(HELLO);
  });

  it('reconnects lazily after a disconnect: a new port for the next request, none before it', async () => {
    const client = newClient();
    const first = outcome(client.hello());
    lastError = 'Native host has exited.';
    port().drop();
    await first;
    expect(connect).toHaveBeenCalledTimes(1);
    lastError = undefined;
    const second = client.listProfiles();
    expect(connect).toHaveBeenCalledTimes(2);
    expect(ports[1]!.sent).toHaveLength(1);
    expect(ports[0]!.sent).toHaveLength(1);
    port().ok(port().last().id, { profiles: [] });
    expect(await second).toEqual([]);
  });

  it('a late onDisconnect of an old port does not fail the requests of the new one', async () => {
    const client = newClient();
    void outcome(client.hello());
    const old = port();
    client.disconnect();
    const hello = client.hello();
    old.drop('No such native application org.aws_saml_sync.host');
    port().ok(port().last().id, HELLO);
    expect(await hello).toEqual(HELLO);
  });

  it('client.disconnect() closes the port, rejects what is pending, and the next call opens a new port', async () => {
    const client = newClient();
    const hello = outcome(client.hello());
    const first = port();
    client.disconnect();
    expect(first.disconnectCalled).toBe(true);
    expect((await hello).error).toMatchObject({ errorName: 'HostExited' });
    const again = client.hello();
    expect(ports).toHaveLength(2);
    port().ok(port().last().id, HELLO);
    expect(await again).toEqual(HELLO);
  });

  it('postMessage throwing (port already dead): that request fails, the next one uses a new port', async () => {
    const client = newClient();
    const hello = client.hello();
    port().ok(port().last().id, HELLO);
    await hello;
    port().closed = true;
    expect((await outcome(client.hello())).error).toBeInstanceOf(HostError);
    const again = client.hello();
    expect(ports).toHaveLength(2);
    port().ok(port().last().id, HELLO);
    expect(await again).toEqual(HELLO);
  });

  it('a port handed in directly works once: after it closes, requests fail with HostUnavailableError', async () => {
    const given = new FakePort();
    const client = createNativeClient(given, { lastError: () => undefined });
    const hello = client.hello();
    given.ok(given.last().id, HELLO);
    expect(await hello).toEqual(HELLO);
    given.drop();
    expect((await outcome(client.hello())).error).toBeInstanceOf(HostUnavailableError);
  });
});
