/**
 * Every message through the real, bundled host, started as a browser starts it (tests/support/host-process.ts):
 * hello and the paths it resolves, writeProfiles (modes, symlinks, confirmation), listProfiles without secrets,
 * removeProfiles, invalid requests, refused callers, and bad frames answered while the host keeps serving.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_BUNDLE } from '../../host/build';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../utils/extension-identity';
import { HOST_ERRORS, MAX_REPLY_BYTES, MAX_REQUEST_BYTES, type Reply } from '../../utils/host-protocol';
import { CHROME_ARGS, FIREFOX_ARGS, frame, makeHome, startHost, type HostOptions, type HostProcess, type TempHome } from '../support/host-process';

const ACCESS_KEY_ID = 'ASIAEXAMPLE7SECRETID';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETEXAMPLE';
const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLEsessionTOKENvalue';
const SECRETS = [ACCESS_KEY_ID, SECRET, TOKEN];

const saml = (profile = 'sts-temp', overrides: Record<string, unknown> = {}) => ({
  profile,
  kind: 'saml',
  roleArn: 'arn:aws:iam::123456789012:role/Developer',
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: '2030-01-01T00:00:00.000Z' },
  config: { region: 'us-east-1' },
  ...overrides,
});
const chainedConfig = (profile = 'dev-env') => ({
  profile,
  kind: 'chained-config',
  roleArn: 'arn:aws:iam::888777666555:role/assumed-dev',
  config: { region: 'us-east-1', source_profile: 'sts-temp', role_arn: 'arn:aws:iam::888777666555:role/assumed-dev' },
});

let home: TempHome;
let aws: string;
const running: HostProcess[] = [];

beforeEach(async () => {
  home = await makeHome();
  aws = join(home.path, '.aws');
});
afterEach(async () => {
  for (const h of running.splice(0)) h.kill();
  await home.cleanup();
});

async function host(options: Partial<HostOptions> = {}): Promise<HostProcess> {
  const h = await startHost({ home: home.path, ...options });
  running.push(h);
  return h;
}

function ok(reply: Reply): unknown {
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  return reply.ok ? reply.body : undefined;
}
function failed(reply: Reply, name: keyof typeof HOST_ERRORS) {
  expect(reply.ok, JSON.stringify(reply)).toBe(false);
  if (reply.ok) throw new Error('unreachable');
  expect(reply.error).toMatchObject({ code: HOST_ERRORS[name], name });
  return reply.error;
}
/** Nothing the host printed, on either stream, holds a secret. */
function expectNoSecretsPrinted(h: HostProcess): void {
  const out = h.stdout().toString('latin1') + h.stderr();
  for (const s of SECRETS) expect(out).not.toContain(s);
}
const mode = (path: string) => statSync(path).mode & 0o777;
const tree = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);

describe('hello', () => {
  it('reports the version, protocols, capabilities and ~/.aws paths; writes nothing', async () => {
    const h = await host();
    expect(ok(await h.request('hello', {}))).toEqual({
      hostVersion: '0.1.0',
      protocols: [1],
      capabilities: ['writeProfiles', 'listProfiles', 'removeProfiles', 'confirmOverwrite', 'legacySecurityToken', 'credentialProcess'],
      credentialsFile: join(aws, 'credentials'),
      configFile: join(aws, 'config'),
      node: process.versions.node,
      // No installed launcher beside the test bundle: Node and the bundle, quoted (credential_process).
      launcher: `"${process.execPath}" "${HOST_BUNDLE}"`,
    });
    expect(await h.close()).toMatchObject({ code: 0 });
    expect(existsSync(aws)).toBe(false);
  });

  it('honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (a leading ~ expanded), and writes there', async () => {
    const h = await host({ env: { AWS_SHARED_CREDENTIALS_FILE: join(home.path, 'elsewhere', 'creds'), AWS_CONFIG_FILE: '~/cfg/aws-config' } });
    expect(ok(await h.request('hello', {}))).toMatchObject({ credentialsFile: join(home.path, 'elsewhere', 'creds'), configFile: join(home.path, 'cfg', 'aws-config') });
    ok(await h.request('writeProfiles', { profiles: [saml()] }));
    expect(readFileSync(join(home.path, 'elsewhere', 'creds'), 'utf8')).toContain(`aws_access_key_id = ${ACCESS_KEY_ID}`);
    expect(readFileSync(join(home.path, 'cfg', 'aws-config'), 'utf8')).toContain('[profile sts-temp]');
    // Both new folders are private: the lock's folder and the config file's own.
    expect(mode(join(home.path, 'elsewhere'))).toBe(0o700);
    expect(mode(join(home.path, 'cfg'))).toBe(0o700);
    expect(existsSync(aws)).toBe(false);
  });
});

describe('writeProfiles', () => {
  it('creates the folder 0700 and both files 0600, leaving no lock or temp file', async () => {
    const h = await host();
    const body = ok(await h.request('writeProfiles', { profiles: [saml(), chainedConfig()] }));
    expect(body).toEqual({
      written: ['sts-temp', 'dev-env'],
      credentialsFile: join(aws, 'credentials'),
      configFile: join(aws, 'config'),
      // The profiles as the files now stand, as listProfiles would answer: no secret.
      profiles: [
        { profile: 'dev-env', kind: 'chained-config', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', sourceProfile: 'sts-temp', region: 'us-east-1' },
        { profile: 'sts-temp', kind: 'saml', roleArn: 'arn:aws:iam::123456789012:role/Developer', region: 'us-east-1', expiration: '2030-01-01T00:00:00.000Z' },
      ],
    });
    expect(mode(aws)).toBe(0o700);
    expect(mode(join(aws, 'credentials'))).toBe(0o600);
    expect(mode(join(aws, 'config'))).toBe(0o600);
    expect(tree(aws)).toEqual(['config', 'credentials']);
    expect(readFileSync(join(aws, 'credentials'), 'utf8')).toBe(
      `[sts-temp]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\nx_security_token_expires = 2030-01-01T00:00:00.000Z\nx_aws_saml_sync = saml\nx_aws_saml_sync_role_arn = arn:aws:iam::123456789012:role/Developer\n`,
    );
    const config = readFileSync(join(aws, 'config'), 'utf8');
    expect(config).toContain('[profile sts-temp]\nregion = us-east-1\n');
    expect(config).toContain('[profile dev-env]\nregion = us-east-1\nsource_profile = sts-temp\nrole_arn = arn:aws:iam::888777666555:role/assumed-dev\n');
    expectNoSecretsPrinted(h);
  });

  it("keeps an existing file's mode, and an existing folder's", async () => {
    mkdirSync(aws, { mode: 0o755 });
    chmodSync(aws, 0o755);
    writeFileSync(join(aws, 'credentials'), '[default]\nregion = eu-west-1\n', { mode: 0o640 });
    chmodSync(join(aws, 'credentials'), 0o640);
    writeFileSync(join(aws, 'config'), '[default]\nregion = eu-west-1\n');
    chmodSync(join(aws, 'config'), 0o644);
    const h = await host();
    ok(await h.request('writeProfiles', { profiles: [saml()] }));
    expect(mode(join(aws, 'credentials'))).toBe(0o640);
    expect(mode(join(aws, 'config'))).toBe(0o644);
    expect(mode(aws)).toBe(0o755);
    expect(readFileSync(join(aws, 'credentials'), 'utf8')).toMatch(/^\[default\]\nregion = eu-west-1\n\n\[sts-temp\]\n/);
  });

  it.each(['credentials', 'config'])('a read-only %s file (0400, in a writable folder) is refused with error 8 and one sentence; both files stay byte for byte', async (which) => {
    mkdirSync(aws, { mode: 0o700 });
    const original = { credentials: Buffer.from('# mine\n[default]\nregion = eu-west-1\n'), config: Buffer.from('[default]\nregion = eu-west-1\n') };
    writeFileSync(join(aws, 'credentials'), original.credentials, { mode: 0o600 });
    writeFileSync(join(aws, 'config'), original.config, { mode: 0o600 });
    const file = join(aws, which);
    chmodSync(file, 0o400);
    const inode = statSync(file).ino;
    const h = await host();
    const error = failed(await h.request('writeProfiles', { profiles: [saml(), chainedConfig()] }), 'PermissionDenied');
    expect(error.code).toBe(8);
    expect(error.message).toMatch(/^\S[^\n]*\.$/);
    expect(error.message).toContain(file);
    expect(error.message).toContain('read-only');
    expect(readFileSync(join(aws, 'credentials')).equals(original.credentials)).toBe(true);
    expect(readFileSync(join(aws, 'config')).equals(original.config)).toBe(true);
    expect(statSync(file).ino).toBe(inode); // not renamed over
    expect(mode(file)).toBe(0o400);
    expect(tree(aws)).toEqual(['config', 'credentials']);
    expectNoSecretsPrinted(h);
  });

  it('a symlinked credentials file stays a symlink and its target is updated; a dangling symlinked config is created at its target', async () => {
    const dotfiles = join(home.path, 'dotfiles');
    mkdirSync(dotfiles);
    mkdirSync(aws);
    writeFileSync(join(dotfiles, 'aws-credentials'), '# kept in my dotfiles\n[default]\nregion = eu-west-1\n');
    chmodSync(join(dotfiles, 'aws-credentials'), 0o600);
    symlinkSync('../dotfiles/aws-credentials', join(aws, 'credentials'));
    symlinkSync(join(dotfiles, 'aws-config'), join(aws, 'config'));
    const h = await host();
    ok(await h.request('writeProfiles', { profiles: [saml()] }));
    expect(lstatSync(join(aws, 'credentials')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(aws, 'credentials'))).toBe('../dotfiles/aws-credentials');
    expect(lstatSync(join(aws, 'config')).isSymbolicLink()).toBe(true);
    const target = readFileSync(join(dotfiles, 'aws-credentials'), 'utf8');
    expect(target.startsWith('# kept in my dotfiles\n[default]\nregion = eu-west-1\n\n[sts-temp]\n')).toBe(true);
    expect(target).toContain(ACCESS_KEY_ID);
    expect(readFileSync(join(dotfiles, 'aws-config'), 'utf8')).toContain('[profile sts-temp]');
    expect(mode(join(dotfiles, 'aws-config'))).toBe(0o600);
    // The temp file went next to the target (same file system for the rename), and nothing is left over.
    expect(tree(dotfiles)).toEqual(['aws-config', 'aws-credentials']);
    expect(tree(aws)).toEqual(['config', 'credentials']);
  });

  it('an unmanaged section, or long-term AKIA keys: NeedsConfirmation and nothing written; confirmOverwrite lets it through', async () => {
    mkdirSync(aws);
    const credentials = `[work]\naws_access_key_id = ASIAWORKEXAMPLE00001\n\n[sts-temp]\nx_aws_saml_sync = saml\naws_access_key_id = AKIALONGTERMEXAMPLE1\naws_secret_access_key = longTermEXAMPLE\n`;
    writeFileSync(join(aws, 'credentials'), credentials);
    const h = await host();

    const unmanaged = failed(await h.request('writeProfiles', { profiles: [saml('work')] }), 'NeedsConfirmation');
    expect(unmanaged).toMatchObject({ field: 'body.profiles.0.profile', profiles: ['work'] });
    expect(unmanaged.message).toContain(join(aws, 'credentials'));
    const longTerm = failed(await h.request('writeProfiles', { profiles: [saml('sts-temp')] }), 'NeedsConfirmation');
    expect(longTerm.message).toMatch(/long-term/);
    expect(readFileSync(join(aws, 'credentials'), 'utf8')).toBe(credentials);
    expect(existsSync(join(aws, 'config'))).toBe(false);

    ok(await h.request('writeProfiles', { profiles: [saml('work'), saml('sts-temp')], confirmOverwrite: ['work', 'sts-temp'] }));
    const after = readFileSync(join(aws, 'credentials'), 'utf8');
    expect(after).not.toContain('AKIALONGTERMEXAMPLE1');
    expect(after).not.toContain('ASIAWORKEXAMPLE00001');
    expect(after.match(new RegExp(ACCESS_KEY_ID, 'g'))).toHaveLength(2);
    expectNoSecretsPrinted(h);
  });

  it('an invalid request names the field, writes nothing, and neither stdout nor stderr holds the secret', async () => {
    const h = await host();
    const bad = saml('sts-temp', { credentials: { ...saml().credentials, secretAccessKey: `${SECRET}\n[default]` } });
    const error = failed(await h.request('writeProfiles', { profiles: [bad] }), 'InvalidRequest');
    expect(error.field).toBe('body.profiles.0.credentials.secretAccessKey');
    const typo = failed(await h.request('writeProfiles', { profiles: [saml()], legacySecurityTokens: true }), 'InvalidRequest');
    expect(typo.field).toMatch(/^body/);
    expect(existsSync(aws)).toBe(false);
    expectNoSecretsPrinted(h);
    // Still serving.
    ok(await h.request('hello', {}));
  });
});

describe('listProfiles and removeProfiles', () => {
  it('lists the managed profiles without a secret; removes only its own', async () => {
    mkdirSync(aws);
    writeFileSync(join(aws, 'credentials'), '[work]\naws_access_key_id = ASIAWORKEXAMPLE00001\n');
    writeFileSync(join(aws, 'config'), '[profile work]\nregion = eu-west-1\n');
    const h = await host();
    ok(await h.request('writeProfiles', { profiles: [saml(), chainedConfig()] }));
    const listed = await h.request('listProfiles', {});
    expect(ok(listed)).toEqual({
      profiles: [
        { profile: 'dev-env', kind: 'chained-config', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', sourceProfile: 'sts-temp', region: 'us-east-1' },
        { profile: 'sts-temp', kind: 'saml', roleArn: 'arn:aws:iam::123456789012:role/Developer', region: 'us-east-1', expiration: '2030-01-01T00:00:00.000Z' },
      ],
    });
    for (const s of SECRETS) expect(JSON.stringify(listed)).not.toContain(s);

    expect(ok(await h.request('removeProfiles', { profiles: ['sts-temp', 'dev-env', 'work', 'nowhere'] }))).toEqual({ removed: ['sts-temp', 'dev-env'], notManaged: ['work'] });
    expect(readFileSync(join(aws, 'credentials'), 'utf8')).toBe('[work]\naws_access_key_id = ASIAWORKEXAMPLE00001\n');
    expect(readFileSync(join(aws, 'config'), 'utf8')).toBe('[profile work]\nregion = eu-west-1\n');
    expect(ok(await h.request('listProfiles', {}))).toEqual({ profiles: [] });
    expectNoSecretsPrinted(h);
  });

  it('a reply that would pass 1 MiB is refused with ReplyTooLarge, itself a small frame', async () => {
    mkdirSync(aws);
    const longArn = (i: number) => `arn:aws:iam::123456789012:role/${'r'.repeat(480)}${i}`;
    const sections = Array.from({ length: 2_500 }, (_, i) => `[profile p${i}]\nx_aws_saml_sync = chained-config\nx_aws_saml_sync_role_arn = ${longArn(i)}\n`);
    writeFileSync(join(aws, 'config'), sections.join('\n'));
    const h = await host();
    const reply = await h.request('listProfiles', {}, 'big');
    expect(reply.id).toBe('big');
    failed(reply, 'ReplyTooLarge');
    expect(h.stdout().length).toBeLessThan(MAX_REPLY_BYTES);
    ok(await h.request('hello', {}));
  });
});

describe('who may start it', () => {
  const refusedCallers: [string, string[]][] = [
    ['another Chrome extension', ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/']],
    ['our origin with a path', [`${CHROME_EXTENSION_ORIGIN}evil`]],
    ['Firefox with another add-on id', [FIREFOX_ARGS[0]!, 'evil@example.org']],
    ['the gecko id in the wrong place', [GECKO_ID]],
    ['no arguments', []],
  ];

  it.each(refusedCallers)('%s: exit 2 before reading anything, nothing on stdout, nothing written', async (_who, args) => {
    const h = await host({ args });
    h.send({ v: 1, id: 'w', type: 'writeProfiles', body: { profiles: [saml()] } });
    const exit = await h.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/refusing/);
    expect(h.stdout().length).toBe(0);
    expect(existsSync(aws)).toBe(false);
    expectNoSecretsPrinted(h);
  });

  it('Firefox: [manifest path, add-on id] is accepted', async () => {
    const h = await host({ args: FIREFOX_ARGS });
    ok(await h.request('writeProfiles', { profiles: [saml()] }));
    expect(existsSync(join(aws, 'credentials'))).toBe(true);
    expect(await h.close()).toMatchObject({ code: 0 });
  });

  it('Chromium on Windows adds --parent-window after the origin: accepted', async () => {
    const h = await host({ args: [...CHROME_ARGS, '--parent-window=0'] });
    ok(await h.request('hello', {}));
  });
});

describe('bad frames', () => {
  it('zero length, invalid JSON, invalid UTF-8 and an oversize frame each get an error reply (id null); the host keeps serving', async () => {
    const h = await host();
    const oversize = Buffer.alloc(4 + MAX_REQUEST_BYTES + 1, 0x20);
    oversize.writeUInt32LE(MAX_REQUEST_BYTES + 1, 0);
    // A well-formed write hidden inside the oversize frame must not be executed.
    frame({ v: 1, id: 'hidden', type: 'writeProfiles', body: { profiles: [saml('hidden')] } }).copy(oversize, 100);
    h.sendRaw(Buffer.concat([Buffer.alloc(4), frame('{"v":1,"id":'), frame(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), frame('[1,2')]));
    h.sendRaw(oversize);
    h.send({ v: 1, id: 'after', type: 'writeProfiles', body: { profiles: [saml()] } });
    const replies = [await h.nextReply(), await h.nextReply(), await h.nextReply(), await h.nextReply(), await h.nextReply(), await h.nextReply()];
    expect(replies.map((r) => [r.id, r.ok ? 'ok' : r.error.name])).toEqual([
      [null, 'BadFrame'],
      [null, 'InvalidJson'],
      [null, 'InvalidJson'],
      [null, 'InvalidJson'],
      [null, 'FrameTooLarge'],
      ['after', 'ok'],
    ]);
    for (const r of replies) if (!r.ok) expect(r.error.code).toBe(HOST_ERRORS[r.error.name as keyof typeof HOST_ERRORS]);
    const credentials = readFileSync(join(aws, 'credentials'), 'utf8');
    expect(credentials).toContain('[sts-temp]');
    expect(credentials).not.toContain('[hidden]');
    expect(await h.close()).toMatchObject({ code: 0 });
  });

  it('a frame split into single bytes, and several frames in one write, are answered in order', async () => {
    const h = await host();
    const bytes = Buffer.concat([frame({ v: 1, id: 'a', type: 'hello', body: {} }), frame({ v: 1, id: 'b', type: 'listProfiles', body: {} }), frame({ v: 1, id: 'c', type: 'hello' })]);
    for (let i = 0; i < 20; i++) {
      h.sendRaw(bytes.subarray(i, i + 1));
      await new Promise((r) => setTimeout(r, 2));
    }
    h.sendRaw(bytes.subarray(20));
    const replies = [await h.nextReply(), await h.nextReply(), await h.nextReply()];
    expect(replies.map((r) => [r.id, r.ok])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
  });

  it('input ending in the middle of a frame: a BadFrame reply, then a clean exit', async () => {
    const h = await host();
    h.sendRaw(frame({ v: 1, id: 'x', type: 'hello', body: {} }).subarray(0, 12));
    const exit = await h.close();
    expect(exit.code).toBe(0);
    const replies = [await h.nextReply()];
    expect(replies[0]).toMatchObject({ id: null, ok: false, error: { name: 'BadFrame' } });
  });

  it('a length 3 bytes short: the frame is read as far as it says, the stray bytes start a new length, and the host gets back in step', async () => {
    const h = await host();
    const json = `${JSON.stringify({ v: 1, id: 'short', type: 'hello', body: {} })}   `;
    const header = Buffer.alloc(4);
    header.writeUInt32LE(json.length - 3, 0);
    h.sendRaw(Buffer.concat([header, Buffer.from(json)]));
    expect(await h.nextReply()).toMatchObject({ id: 'short', ok: true });
    // The 3 stray spaces and the next byte read as a length (0x00202020); those bytes, all blank, are no JSON.
    const stray = 0x00202020;
    h.sendRaw(Buffer.from([0]));
    h.sendRaw(Buffer.alloc(stray, 0x20));
    expect(await h.nextReply()).toMatchObject({ id: null, ok: false, error: { name: 'InvalidJson' } });
    ok(await h.request('hello', {}));
  });

  it('stdout carries frames only', async () => {
    const h = await host();
    ok(await h.request('writeProfiles', { profiles: [saml()] }));
    failed(await h.request('writeProfiles', { profiles: [{ bad: true }] }), 'InvalidRequest');
    h.sendRaw(Buffer.alloc(4));
    await h.nextReply();
    await h.close();
    const out = h.stdout();
    let at = 0;
    let frames = 0;
    while (at < out.length) {
      const length = out.readUInt32LE(at);
      JSON.parse(out.subarray(at + 4, at + 4 + length).toString('utf8'));
      at += 4 + length;
      frames++;
    }
    expect(at).toBe(out.length);
    expect(frames).toBe(3);
    expect(h.stderr()).toMatch(/writeProfiles: ok/);
  });
});
