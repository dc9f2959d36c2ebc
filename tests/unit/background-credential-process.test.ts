/**
 * entrypoints/background/credential-process.ts on WXT's fake browser with a fake native port: the port opens (and
 * serveCredentials is sent) only while a profile is served by credential_process, the host's asks are answered from
 * the session vault, the port is reopened after it closes, and closed when no profile is served any more.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCredentialProcess, createRefreshProfile } from '../../entrypoints/background/credential-process';
import type { HostAccess } from '../../entrypoints/background/host';
import { holdCredentials } from '../../entrypoints/background/session-state';
import type { PortLike } from '../../utils/native-client';
import { validateSettings, type Settings } from '../../utils/settings';

const ROLE = 'arn:aws:iam::111222333444:role/saml-init';

class FakePort implements PortLike {
  sent: { id: string; type: string; body?: unknown }[] = [];
  disconnected = false;
  private onMsg: ((m: unknown) => void)[] = [];
  private onDisc: ((p: PortLike) => void)[] = [];
  onMessage = { addListener: (l: (m: unknown) => void) => void this.onMsg.push(l) };
  onDisconnect = { addListener: (l: (p: PortLike) => void) => void this.onDisc.push(l) };
  postMessage(m: unknown) {
    const msg = m as { id: string; type: string };
    this.sent.push(msg);
    // Plays the serving host: serveCredentials is answered at once.
    if (msg.type === 'serveCredentials') queueMicrotask(() => this.deliver({ v: 1, id: msg.id, ok: true, body: { socket: '/run/credentials.sock' } }));
  }
  disconnect() {
    this.disconnected = true;
  }
  deliver(m: unknown) {
    for (const l of this.onMsg) l(m);
  }
  hostExits() {
    for (const l of this.onDisc) l(this);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the background serves credential_process', () => {
  let settings: Settings;
  let ports: FakePort[];
  const host = {} as HostAccess;

  beforeEach(() => {
    fakeBrowser.reset();
    ports = [];
    settings = validateSettings({ version: 1, mappings: [{ roleArn: ROLE, profile: 'sts-temp', writeAs: 'credential-process' }] });
  });

  const start = () =>
    createCredentialProcess({
      connect: () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      loadSettings: async () => settings,
      host,
    });

  it('opens one port, asks it to serve, and answers the host’s ask from the vault', async () => {
    await holdCredentials({
      'sts-temp': { accessKeyId: 'ASIAEXAMPLE0000001', secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: new Date(Date.now() + 3_600_000).toISOString(), roleArn: ROLE },
    });
    const cp = start();
    await cp.update();
    expect(cp.isServing()).toBe(true);
    expect(ports).toHaveLength(1);
    expect(ports[0]!.sent[0]).toMatchObject({ type: 'serveCredentials' });
    ports[0]!.deliver({ v: 1, id: 'h1', type: 'credentials', body: { profile: 'sts-temp' } });
    await vi.waitFor(() => expect(ports[0]!.sent[1]).toMatchObject({ id: 'h1', type: 'credentialsAnswer', body: { credentials: { accessKeyId: 'ASIAEXAMPLE0000001' } } }));
  });

  it('without held credentials the answer is the sentence for the person', async () => {
    const cp = start();
    await cp.update();
    ports[0]!.deliver({ v: 1, id: 'h2', type: 'credentials', body: { profile: 'sts-temp' } });
    await vi.waitFor(() =>
      expect(ports[0]!.sent[1]).toMatchObject({ body: { error: { name: 'NeedsPerson', message: 'Open your browser and click the AWS tile (or run with --open).' } } }),
    );
  });

  it('reopens the port after the host exits, and closes it when no profile is served any more', async () => {
    vi.useFakeTimers();
    try {
      const cp = start();
      await cp.update();
      ports[0]!.hostExits();
      expect(cp.isServing()).toBe(false);
      await vi.advanceTimersByTimeAsync(1_100);
      expect(ports).toHaveLength(2);
      expect(cp.isServing()).toBe(true);
      settings = validateSettings({ version: 1, mappings: [{ roleArn: ROLE, profile: 'sts-temp' }] });
      await cp.update();
      expect(ports[1]!.disconnected).toBe(true);
      expect(cp.isServing()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keys-only settings open no port', async () => {
    settings = validateSettings({ version: 1, mappings: [{ roleArn: ROLE, profile: 'sts-temp' }] });
    const cp = start();
    await cp.update();
    await flush();
    expect(ports).toHaveLength(0);
  });
});

describe('refreshing a served profile without the person', () => {
  const host = { writeProfiles: vi.fn(async () => undefined) } as unknown as HostAccess;
  const later = (ms: number) => new Date(Date.now() + ms).toISOString();
  const creds = (tag: string, ms: number) => ({ accessKeyId: `ASIA${tag}EXAMPLE0000`, secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: later(ms), roleArn: ROLE });

  it('asks silent refresh for a new sign-in when refresh is on, and answers with what it synced', async () => {
    fakeBrowser.reset();
    const settings = validateSettings({ version: 1, refreshEnabled: true, signInUrl: 'https://idp.example.com/aws', mappings: [{ roleArn: ROLE, profile: 'sts-temp', writeAs: 'credential-process' }] });
    const silentRefresh = vi.fn(async () => {
      await holdCredentials({ 'sts-temp': creds('FRESH', 3_600_000) });
      return { ok: true as const };
    });
    const refresh = createRefreshProfile(async () => settings, host, silentRefresh);
    expect(await refresh('sts-temp')).toMatchObject({ accessKeyId: 'ASIAFRESHEXAMPLE0000' });
    expect(silentRefresh).toHaveBeenCalledTimes(1);
  });

  it('sends a chain’s source credentials to no STS endpoint whose host permission is not granted, and says so', async () => {
    const endpoint = 'https://vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com';
    const withChain = validateSettings({
      version: 1,
      stsEndpoint: endpoint,
      mappings: [{ roleArn: ROLE, profile: 'sts-temp' }],
      chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', resolveNow: true, writeAs: 'credential-process' }],
    });
    await holdCredentials({
      'sts-temp': { accessKeyId: 'ASIAEXAMPLE0000001', secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: new Date(Date.now() + 3_600_000).toISOString(), roleArn: ROLE },
    });
    const asked = vi.fn(async () => false);
    (fakeBrowser as unknown as { permissions: { contains: unknown } }).permissions.contains = asked;
    const fetched = vi.fn();
    vi.stubGlobal('fetch', fetched);
    try {
      const answer = await createRefreshProfile(async () => withChain, { writeProfiles: vi.fn() } as unknown as HostAccess)('dev-env');
      expect(asked).toHaveBeenCalledWith({ origins: [`${endpoint}/*`] });
      expect(fetched).not.toHaveBeenCalled();
      expect(answer).toEqual({ needsPerson: expect.stringContaining('vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com') });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('says what to do when refresh is off or the IdP wants the person', async () => {
    fakeBrowser.reset();
    const off = validateSettings({ version: 1, mappings: [{ roleArn: ROLE, profile: 'sts-temp', writeAs: 'credential-process' }] });
    const silentRefresh = vi.fn(async () => ({ ok: false as const, wants: 'Your IdP wants you to sign in again' }));
    expect(await createRefreshProfile(async () => off, host, silentRefresh)('sts-temp')).toEqual({ needsPerson: 'Open your browser and click the AWS tile (or run with --open).' });
    expect(silentRefresh).not.toHaveBeenCalled();
    // Refresh on, and the IdP wants the person: what it wants, then what to do, in one sentence.
    const on = { ...off, refreshEnabled: true };
    expect(await createRefreshProfile(async () => on, host, silentRefresh)('sts-temp')).toEqual({
      needsPerson: 'Your IdP wants you to sign in again: click the AWS tile in your browser (or run with --open).',
    });
    expect(silentRefresh).toHaveBeenCalledTimes(1);
  });
});
