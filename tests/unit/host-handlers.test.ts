/**
 * host/handlers.ts handleRequest in process, on real files in a temp folder: the envelope, validation (the field is
 * named, no value is echoed, nothing is written), NeedsConfirmation, and failure injection through ctx.fs (EACCES,
 * EPERM, EROFS, ENOSPC, EDQUOT, an unknown errno; a config write failing after the credentials write), real
 * NotAFile paths, and the cross-process lock held by the test.
 *
 * The lock wait is 12 s in the product (PROTOCOL.md, error 7); here withAwsLock is wrapped to wait LOCK_TEST_WAIT_MS
 * so the Locked tests take a fraction of a second. Everything else in aws-files.ts is the real module.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCK_STALE_MS, LOCK_WAIT_MS, type AwsPaths, type FileSystemOps } from '../../host/aws-files';
import { handleRequest, type HandlerContext } from '../../host/handlers';
import { CAPABILITIES, HOST_ERRORS, HOST_VERSION, MAX_PROFILES_PER_WRITE, type Reply } from '../../utils/host-protocol';

const LOCK_TEST_WAIT_MS = 300;

vi.mock('../../host/aws-files', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../host/aws-files')>();
  return {
    ...actual,
    withAwsLock: <T>(paths: AwsPaths, fn: () => Promise<T>) => actual.withAwsLock(paths, fn, 300),
  };
});

// ---- fixtures ------------------------------------------------------------------------------------------------------

const ACCESS_KEY_ID = 'ASIAEXAMPLE7SECRETID';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETEXAMPLE';
const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLEsessionTOKENvalue';
const SECRETS = [ACCESS_KEY_ID, SECRET, TOKEN];

const ORIGINAL_CREDENTIALS = `# my own keys\r\n[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n[sts-temp]\r\nx_aws_saml_sync = saml\r\naws_access_key_id = ASIAOLDEXAMPLE000001\r\naws_secret_access_key = oldEXAMPLE\r\naws_session_token = oldTokenEXAMPLE\r\n`;
const ORIGINAL_CONFIG = `[default]\nregion = eu-west-1\n\n[profile sts-temp]\nx_aws_saml_sync = saml\nregion = us-west-2\ns3 =\n  region = eu-west-1\n`;

function samlProfile(profile = 'sts-temp', overrides: Record<string, unknown> = {}) {
  return {
    profile,
    kind: 'saml',
    roleArn: 'arn:aws:iam::123456789012:role/Developer',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: '2030-01-01T00:00:00Z' },
    config: { region: 'us-east-1' },
    ...overrides,
  };
}

const chainedConfig = (profile = 'dev-env') => ({
  profile,
  kind: 'chained-config',
  roleArn: 'arn:aws:iam::888777666555:role/assumed-dev',
  config: { region: 'us-east-1', source_profile: 'sts-temp', role_arn: 'arn:aws:iam::888777666555:role/assumed-dev' },
});

const request = (type: string, body: unknown, id = 'r-1') => ({ v: 1, id, type, body });
const write = (body: unknown) => request('writeProfiles', body);

const root = mkdtempSync(join(tmpdir(), 'host-handlers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let paths: AwsPaths;
let n = 0;

beforeEach(() => {
  dir = join(root, `case-${++n}`, '.aws');
  mkdirSync(dir, { recursive: true });
  paths = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
});

function seed(credentials = ORIGINAL_CREDENTIALS, config = ORIGINAL_CONFIG): void {
  writeFileSync(paths.credentialsFile, credentials);
  writeFileSync(paths.configFile, config);
}

/** Both files' bytes (null when missing) and every name in the folder. */
function snapshot() {
  const read = (p: string) => (existsSync(p) ? readFileSync(p) : null);
  return { credentials: read(paths.credentialsFile), config: read(paths.configFile), folder: existsSync(dir) ? readdirSync(dir).sort() : null };
}

function expectError(reply: Reply, name: keyof typeof HOST_ERRORS): Extract<Reply, { ok: false }>['error'] {
  expect(reply.ok, JSON.stringify(reply)).toBe(false);
  if (reply.ok) throw new Error('unreachable');
  expect(reply.error.name).toBe(name);
  expect(reply.error.code).toBe(HOST_ERRORS[name]);
  // One sentence, no secret, nothing from the request but names and paths.
  expect(reply.error.message).toMatch(/^\S.*\.$/);
  expect(reply.error.message).not.toMatch(/\n/);
  const all = JSON.stringify(reply);
  for (const secret of SECRETS) expect(all).not.toContain(secret);
  return reply.error;
}

const errno = (code: string) => Object.assign(new Error(`${code}: simulated failure, secret ${SECRET}`), { code });

/** ctx.fs that fails with `code` for paths matching `which`, and writes for real otherwise. */
function failingFs(code: string, which: (path: string) => boolean = () => true): FileSystemOps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async writeFile(path, data, options) {
      calls.push(path);
      if (which(path)) throw errno(code);
      const { realFileSystem } = await import('../../host/aws-files');
      await realFileSystem.writeFile(path, data, options);
    },
  };
}

// ---- envelope ----------------------------------------------------------------------------------------------------

describe('the envelope', () => {
  it('hello: version, protocols, capabilities and the paths it writes', async () => {
    const reply = await handleRequest(request('hello', {}, 'h-1'), { paths, launcher: () => '"/d/aws-saml-sync-host"' });
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(reply).toEqual({
      v: 1,
      id: 'h-1',
      ok: true,
      body: { hostVersion: pkg.version, protocols: [1], capabilities: [...CAPABILITIES], credentialsFile: paths.credentialsFile, configFile: paths.configFile, node: process.versions.node, launcher: '"/d/aws-saml-sync-host"' },
    });
    expect(HOST_VERSION).toBe(pkg.version);
    // hello ignores body keys a newer extension may add
    expect((await handleRequest(request('hello', { future: true }), { paths })).ok).toBe(true);
  });

  it('an unknown protocol version: UnsupportedVersion, with the id', async () => {
    const reply = await handleRequest({ v: 2, id: 'x-9', type: 'hello', body: {} }, { paths });
    expect(reply.id).toBe('x-9');
    expect(expectError(reply, 'UnsupportedVersion').message).toContain('1');
  });

  it('an unknown type: UnknownType naming the field; a type that is not a plain word is not repeated', async () => {
    const known = expectError(await handleRequest(request('deleteEverything', {}), { paths }), 'UnknownType');
    expect(known.field).toBe('type');
    expect(known.message).toContain('deleteEverything');
    const odd = expectError(await handleRequest(request(`x ${SECRET}`, {}), { paths }), 'UnknownType');
    expect(odd.message).not.toContain('x ');
  });

  it('a broken envelope: InvalidRequest naming the field, with the id when there is a usable one', async () => {
    const cases: [unknown, string | null, string | undefined][] = [
      [{ v: 1, type: 'hello', body: {} }, null, 'id'],
      [{ v: 1, id: '', type: 'hello' }, null, 'id'],
      [{ v: 1, id: 'y'.repeat(65), type: 'hello' }, null, 'id'],
      [{ v: '1', id: 'a', type: 'hello' }, 'a', 'v'],
      [{ v: 1.5, id: 'a', type: 'hello' }, 'a', 'v'],
      [{ v: 1, id: 'a', type: 7 }, 'a', 'type'],
      [{ v: 1, id: 'a', type: 'hello', body: {}, extra: SECRET }, 'a', undefined],
    ];
    for (const [raw, id, field] of cases) {
      const reply = await handleRequest(raw, { paths });
      expect(reply.id, JSON.stringify(raw)).toBe(id);
      const error = expectError(reply, 'InvalidRequest');
      if (field) expect(error.field, JSON.stringify(raw)).toBe(field);
    }
    for (const raw of [null, [], 'hello', 42, true]) expect(expectError(await handleRequest(raw, { paths }), 'InvalidRequest')).toBeTruthy();
  });
});

// ---- validation --------------------------------------------------------------------------------------------------

describe('an invalid write: the field is named, no value is echoed, nothing is written', () => {
  const base = samlProfile();
  const withCredentials = (c: Record<string, unknown>) => ({ profiles: [{ ...base, credentials: { ...base.credentials, ...c } }] });
  const withConfig = (c: Record<string, unknown>) => ({ profiles: [{ ...base, config: c }] });
  const cases: [string, unknown, string | RegExp][] = [
    ['a secret with a space', withCredentials({ secretAccessKey: `${SECRET} x` }), 'body.profiles.0.credentials.secretAccessKey'],
    ['a secret with a line break (an INI injection)', withCredentials({ secretAccessKey: `${SECRET}\n[default]\naws_access_key_id = AKIAEVILEXAMPLE12345` }), 'body.profiles.0.credentials.secretAccessKey'],
    ['a session token starting with #', withCredentials({ sessionToken: `#${TOKEN}` }), 'body.profiles.0.credentials.sessionToken'],
    ['a session token with a CR', withCredentials({ sessionToken: `${TOKEN}\r` }), 'body.profiles.0.credentials.sessionToken'],
    ['a session token too long', withCredentials({ sessionToken: `${TOKEN}${'A'.repeat(8200)}` }), 'body.profiles.0.credentials.sessionToken'],
    ['an access key id in lower case', withCredentials({ accessKeyId: ACCESS_KEY_ID.toLowerCase() }), 'body.profiles.0.credentials.accessKeyId'],
    ['an expiration that is no time', withCredentials({ expiration: 'tomorrow' }), 'body.profiles.0.credentials.expiration'],
    ['an unknown credentials key', withCredentials({ accessKey: SECRET }), /^body\.profiles\.0\.credentials/],
    ['a profile name with =', { profiles: [{ ...base, profile: 'a=b' }] }, 'body.profiles.0.profile'],
    ['a profile name with a line break', { profiles: [{ ...base, profile: 'x\n[default]' }] }, 'body.profiles.0.profile'],
    ['a profile name too long', { profiles: [{ ...base, profile: 'p'.repeat(65) }] }, 'body.profiles.0.profile'],
    ['a region with a line break', withConfig({ region: 'us-east-1\ncredential_process = /bin/evil' }), 'body.profiles.0.config.region'],
    ['an unknown config key', withConfig({ credential_process: '/bin/evil' }), /^body\.profiles\.0\.config/],
    ['duration_seconds too short', withConfig({ duration_seconds: 60 }), /^body\.profiles\.0\.config(\.duration_seconds)?$/],
    ['source_profile without role_arn', withConfig({ source_profile: 'base' }), /^body\.profiles\.0\.config/],
    ['its own source_profile', withConfig({ source_profile: 'sts-temp', role_arn: 'arn:aws:iam::123456789012:role/x' }), /^body\.profiles\.0\.config/],
    ['a role ARN that is not one', { profiles: [{ ...base, roleArn: 'arn:aws:iam::123:user/bob' }] }, 'body.profiles.0.roleArn'],
    ['an unknown kind', { profiles: [{ ...base, kind: 'sso' }] }, 'body.profiles.0.kind'],
    ['saml without credentials', { profiles: [{ ...base, credentials: undefined }] }, /^body\.profiles\.0(\.credentials)?$/],
    ['chained-config with credentials', { profiles: [{ ...chainedConfig(), credentials: base.credentials }] }, /^body\.profiles\.0(\.credentials)?$/],
    ['chained-config without source_profile', { profiles: [{ ...chainedConfig(), config: { region: 'us-east-1' } }] }, /^body\.profiles\.0(\.config)?$/],
    ['the same profile twice', { profiles: [base, samlProfile()] }, /^body\.profiles/],
    ['no profiles', { profiles: [] }, 'body.profiles'],
    [`${MAX_PROFILES_PER_WRITE + 1} profiles`, { profiles: Array.from({ length: MAX_PROFILES_PER_WRITE + 1 }, (_, i) => samlProfile(`p${i}`)) }, 'body.profiles'],
    ['a typo in a top-level key', { profiles: [base], confirmOverwrites: ['sts-temp'] }, /^body/],
    ['confirmOverwrite that is not a list', { profiles: [base], confirmOverwrite: 'sts-temp' }, 'body.confirmOverwrite'],
    ['a second profile that is bad', { profiles: [base, { ...samlProfile('other'), credentials: { ...base.credentials, secretAccessKey: '' } }] }, 'body.profiles.1.credentials.secretAccessKey'],
  ];

  it.each(cases)('%s', async (_what, body, field) => {
    seed();
    const before = snapshot();
    const error = expectError(await handleRequest(write(body), { paths }), 'InvalidRequest');
    if (typeof field === 'string') expect(error.field).toBe(field);
    else expect(error.field).toMatch(field);
    expect(error.message).toContain(error.field!);
    expect(snapshot()).toEqual(before);
  });

  it('nothing is created when the files did not exist', async () => {
    rmSync(dir, { recursive: true });
    expectError(await handleRequest(write(withCredentials({ secretAccessKey: 'a b' })), { paths }), 'InvalidRequest');
    expect(existsSync(dir)).toBe(false);
  });

  it('removeProfiles refuses bad names and unknown keys the same way', async () => {
    seed();
    const before = snapshot();
    expect(expectError(await handleRequest(request('removeProfiles', { profiles: ['ok', 'a\nb'] }), { paths }), 'InvalidRequest').field).toBe('body.profiles.1');
    expect(expectError(await handleRequest(request('removeProfiles', { profiles: [] }), { paths }), 'InvalidRequest').field).toBe('body.profiles');
    expect(expectError(await handleRequest(request('removeProfiles', { profiles: ['sts-temp'], all: true }), { paths }), 'InvalidRequest').field).toMatch(/^body/);
    expect(snapshot()).toEqual(before);
  });
});

// ---- NeedsConfirmation ---------------------------------------------------------------------------------------------

describe('sections the host did not write', () => {
  it('an unmanaged section in either file, or long-term keys under the marker: NeedsConfirmation listing every one, nothing written', async () => {
    seed(
      `${ORIGINAL_CREDENTIALS}\r\n[mine]\r\naws_access_key_id = ASIAMINEEXAMPLE00001\r\n\r\n[forged]\r\nx_aws_saml_sync = saml\r\naws_access_key_id = AKIAFORGEDEXAMPLE001\r\n`,
      `${ORIGINAL_CONFIG}\n[profile configonly]\nregion = eu-west-1\n`,
    );
    const before = snapshot();
    const body = { profiles: [samlProfile('sts-temp'), samlProfile('mine'), samlProfile('forged'), samlProfile('configonly'), samlProfile('fresh')] };
    const error = expectError(await handleRequest(write(body), { paths }), 'NeedsConfirmation');
    expect(error.field).toBe('body.profiles.1.profile');
    expect(error.profiles).toEqual(['mine', 'forged', 'configonly']);
    expect(error.message).toContain('"mine"');
    expect(error.message).toContain(paths.credentialsFile);
    expect(snapshot()).toEqual(before);

    // Each alone, with the reason in the sentence.
    const forged = expectError(await handleRequest(write({ profiles: [samlProfile('forged')] }), { paths }), 'NeedsConfirmation');
    expect(forged.message).toMatch(/long-term/);
    const configOnly = expectError(await handleRequest(write({ profiles: [samlProfile('configonly')] }), { paths }), 'NeedsConfirmation');
    expect(configOnly.message).toContain(paths.configFile);
    expect(snapshot()).toEqual(before);
  });

  it('the default profile with long-term keys needs confirmation, and confirmOverwrite lets it through', async () => {
    seed();
    expectError(await handleRequest(write({ profiles: [samlProfile('default')] }), { paths }), 'NeedsConfirmation');
    const reply = await handleRequest(write({ profiles: [samlProfile('default')], confirmOverwrite: ['default'] }), { paths });
    expect(reply).toMatchObject({ ok: true, body: { written: ['default'] } });
    const credentials = readFileSync(paths.credentialsFile, 'utf8');
    expect(credentials).toContain(`[default]\r\naws_access_key_id = ${ACCESS_KEY_ID}\r\n`);
    expect(credentials).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(credentials.startsWith('# my own keys\r\n')).toBe(true);
    // Now it is the host's: no confirmation the next time.
    expect((await handleRequest(write({ profiles: [samlProfile('default')] }), { paths })).ok).toBe(true);
  });

  it('confirming one profile does not confirm another', async () => {
    seed(`${ORIGINAL_CREDENTIALS}\r\n[a]\r\nk = 1\r\n\r\n[b]\r\nk = 2\r\n`);
    const before = snapshot();
    const error = expectError(await handleRequest(write({ profiles: [samlProfile('a'), samlProfile('b')], confirmOverwrite: ['a'] }), { paths }), 'NeedsConfirmation');
    expect(error.profiles).toEqual(['b']);
    expect(snapshot()).toEqual(before);
  });
});

// ---- write, list, remove in process --------------------------------------------------------------------------------

describe('write, list and remove', () => {
  it('writes both files, lists without secrets, removes only its own sections', async () => {
    seed();
    const reply = await handleRequest(write({ profiles: [samlProfile('sts-temp'), chainedConfig('dev-env')], legacySecurityToken: true }), { paths });
    const { profiles: listedWithWrite, ...written } = (reply as { body: { profiles: unknown } }).body;
    expect(reply).toMatchObject({ v: 1, id: 'r-1', ok: true });
    expect(written).toEqual({ written: ['sts-temp', 'dev-env'], credentialsFile: paths.credentialsFile, configFile: paths.configFile });
    const credentials = readFileSync(paths.credentialsFile, 'utf8');
    expect(credentials).toContain(`aws_security_token = ${TOKEN}\r\n`);
    expect(credentials.startsWith(ORIGINAL_CREDENTIALS.split('[sts-temp]')[0]!)).toBe(true);

    const listed = await handleRequest(request('listProfiles', {}), { paths });
    // The write's reply already listed the profiles as the files then stood: the same list, no secret.
    expect(listedWithWrite).toEqual((listed as { body: { profiles: unknown } }).body.profiles);
    for (const secret of SECRETS) expect(JSON.stringify(reply)).not.toContain(secret);
    expect(listed).toMatchObject({
      ok: true,
      body: {
        profiles: [
          { profile: 'dev-env', kind: 'chained-config', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', sourceProfile: 'sts-temp', region: 'us-east-1' },
          { profile: 'sts-temp', kind: 'saml', roleArn: 'arn:aws:iam::123456789012:role/Developer', region: 'us-east-1', expiration: '2030-01-01T00:00:00Z' },
        ],
      },
    });
    for (const secret of SECRETS) expect(JSON.stringify(listed)).not.toContain(secret);

    const removed = await handleRequest(request('removeProfiles', { profiles: ['sts-temp', 'dev-env', 'default', 'nowhere'] }), { paths });
    expect(removed).toMatchObject({ ok: true, body: { removed: ['sts-temp', 'dev-env'], notManaged: ['default'] } });
    expect(readFileSync(paths.credentialsFile, 'utf8')).toBe(ORIGINAL_CREDENTIALS.split('\r\n\r\n[sts-temp]')[0] + '\r\n');
    expect(readFileSync(paths.configFile, 'utf8')).toBe('[default]\nregion = eu-west-1\n');
    expect(await handleRequest(request('listProfiles', {}), { paths })).toMatchObject({ ok: true, body: { profiles: [] } });
  });

  it('a file whose text would not change is not rewritten', async () => {
    seed();
    const fs = failingFs('EIO', (p) => p.endsWith('credentials'));
    // chained-config does not touch the credentials file (no section of its name there): no write to fail.
    expect((await handleRequest(write({ profiles: [chainedConfig('dev-env')] }), { paths, fs })).ok).toBe(true);
    expect(fs.calls.map((p) => p.split('/').at(-1))).toEqual(['config']);
  });
});

describe('bytes the host does not understand are kept', () => {
  const cp1252 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(' (saved as Windows-1252), stray bytes: '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('\n[default]\nregion = eu-west-1\n')]);
  const utf8 = Buffer.from('\uFEFF# café ✓ 🔑\n[sts-temp]\nx_aws_saml_sync = saml\naws_access_key_id = ASIAOLDEXAMPLE000001\n\n[ünïcödé]\nregion = eu-west-1\n', 'utf8');

  it('a file that is not UTF-8: every byte of it stays, the new section follows', async () => {
    writeFileSync(paths.credentialsFile, cp1252);
    expect((await handleRequest(write({ profiles: [samlProfile()] }), { paths })).ok).toBe(true);
    const after = readFileSync(paths.credentialsFile);
    expect(after.subarray(0, cp1252.length).equals(cp1252)).toBe(true);
    expect(after.subarray(cp1252.length).toString('utf8')).toMatch(/^\n\[sts-temp\]\naws_access_key_id = ASIAEXAMPLE7SECRETID\n/);
  });

  it('UTF-8 with a byte-order mark and non-ASCII text: the BOM once, the section after it edited in place, the rest as it was', async () => {
    writeFileSync(paths.credentialsFile, utf8);
    expect((await handleRequest(write({ profiles: [samlProfile()] }), { paths })).ok).toBe(true);
    const after = readFileSync(paths.credentialsFile, 'utf8');
    expect(after.startsWith('\uFEFF# café ✓ 🔑\n[sts-temp]\nx_aws_saml_sync = saml\naws_access_key_id = ASIAEXAMPLE7SECRETID\n')).toBe(true);
    expect(after.split('\uFEFF')).toHaveLength(2);
    expect(after.match(/\[sts-temp\]/g)).toHaveLength(1);
    expect(after).toContain('\n\n[ünïcödé]\nregion = eu-west-1\n');
    expect(readFileSync(paths.credentialsFile).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('put back byte for byte when the config write fails', async () => {
    writeFileSync(paths.credentialsFile, cp1252);
    writeFileSync(paths.configFile, utf8);
    expectError(await handleRequest(write({ profiles: [samlProfile('fresh')] }), { paths, fs: failingFs('ENOSPC', (p) => p.endsWith('/config')) }), 'DiskFull');
    expect(readFileSync(paths.credentialsFile).equals(cp1252)).toBe(true);
    expect(readFileSync(paths.configFile).equals(utf8)).toBe(true);
  });
});

// ---- failure injection ----------------------------------------------------------------------------------------------

describe('a failing write leaves both files as they were', () => {
  const cases: [string, keyof typeof HOST_ERRORS, RegExp][] = [
    ['EACCES', 'PermissionDenied', /permission denied/],
    ['EPERM', 'PermissionDenied', /permission denied/],
    ['EROFS', 'ReadOnly', /read-only/],
    ['ENOSPC', 'DiskFull', /full/],
    ['EDQUOT', 'DiskFull', /full/],
    ['EBUSY', 'Locked', /busy/],
    ['EIO', 'Internal', /EIO/],
  ];

  it.each(cases)('%s from the credentials write: %s, naming the file', async (code, name, sentence) => {
    seed();
    const before = snapshot();
    const log = vi.fn();
    const ctx: HandlerContext = { paths, fs: failingFs(code), log };
    const error = expectError(await handleRequest(write({ profiles: [samlProfile()] }), ctx), name);
    expect(error.message).toMatch(sentence);
    expect(error.message).toContain(paths.credentialsFile);
    expect(snapshot()).toEqual(before);
    for (const [line] of log.mock.calls) for (const secret of SECRETS) expect(String(line)).not.toContain(secret);
  });

  it.each(cases.slice(0, 5))('%s from the config write after the credentials write: the credentials file is put back', async (code, name) => {
    seed();
    const before = snapshot();
    const fs = failingFs(code, (p) => p.endsWith('/config'));
    const error = expectError(await handleRequest(write({ profiles: [samlProfile(), chainedConfig()] }), { paths, fs }), name);
    expect(error.message).toContain(paths.configFile);
    expect(fs.calls.map((p) => p.split('/').at(-1))).toEqual(['credentials', 'config', 'credentials']);
    expect(snapshot()).toEqual(before);
  });

  it('the config write failing when the credentials file was new: no secret is left behind in it', async () => {
    writeFileSync(paths.configFile, ORIGINAL_CONFIG);
    const fs = failingFs('ENOSPC', (p) => p.endsWith('/config'));
    expectError(await handleRequest(write({ profiles: [samlProfile('fresh')] }), { paths, fs }), 'DiskFull');
    const credentials = existsSync(paths.credentialsFile) ? readFileSync(paths.credentialsFile, 'utf8') : '';
    expect(credentials).toBe('');
    expect(readFileSync(paths.configFile, 'utf8')).toBe(ORIGINAL_CONFIG);
  });

  it('removeProfiles: a failing write leaves both files as they were', async () => {
    seed();
    const before = snapshot();
    expectError(await handleRequest(request('removeProfiles', { profiles: ['sts-temp'] }), { paths, fs: failingFs('EROFS', (p) => p.endsWith('/config')) }), 'ReadOnly');
    expect(snapshot()).toEqual(before);
  });

  it.each(['credentials', 'config'] as const)('a read-only %s file (0400 in a writable folder): PermissionDenied, one sentence, never renamed over, nothing written', async (which) => {
    seed();
    const file = which === 'credentials' ? paths.credentialsFile : paths.configFile;
    chmodSync(file, 0o400);
    const inode = statSync(file).ino;
    const before = snapshot();
    const fs = failingFs('EIO', () => false);
    const error = expectError(await handleRequest(write({ profiles: [samlProfile(), chainedConfig()] }), { paths, fs }), 'PermissionDenied');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/read-only/);
    // Refused before either file was written: no write at all, not a write then a put-back.
    expect(fs.calls).toEqual([]);
    expect(snapshot()).toEqual(before);
    expect(statSync(file).ino).toBe(inode);
    expect(statSync(file).mode & 0o777).toBe(0o400);
    // removeProfiles the same way.
    expectError(await handleRequest(request('removeProfiles', { profiles: ['sts-temp'] }), { paths, fs }), 'PermissionDenied');
    expect(snapshot()).toEqual(before);
    // Made writable again: the write goes through.
    chmodSync(file, 0o600);
    expect((await handleRequest(write({ profiles: [samlProfile(), chainedConfig()] }), { paths })).ok).toBe(true);
  });

  it('a read-only file that the request does not change is no obstacle', async () => {
    seed();
    chmodSync(paths.credentialsFile, 0o400);
    const credentials = readFileSync(paths.credentialsFile);
    // chained-config changes only the config file.
    expect((await handleRequest(write({ profiles: [chainedConfig()] }), { paths })).ok).toBe(true);
    expect(readFileSync(paths.credentialsFile).equals(credentials)).toBe(true);
  });

  it('a credentials path that is a folder, or runs through a file: NotAFile, nothing written', async () => {
    mkdirSync(paths.credentialsFile);
    writeFileSync(paths.configFile, ORIGINAL_CONFIG);
    expectError(await handleRequest(write({ profiles: [samlProfile()] }), { paths }), 'NotAFile');
    expect(readFileSync(paths.configFile, 'utf8')).toBe(ORIGINAL_CONFIG);

    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const through = { credentialsFile: join(dir, 'credentials2'), configFile: join(blocker, 'config') };
    const error = expectError(await handleRequest(write({ profiles: [samlProfile()] }), { paths: through }), 'NotAFile');
    expect(error.message).toContain(through.configFile);
    expect(existsSync(through.credentialsFile) ? readFileSync(through.credentialsFile, 'utf8') : '').toBe('');
  });
});

// ---- the lock ------------------------------------------------------------------------------------------------------

describe('the cross-process lock', () => {
  let release: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await release?.();
    release = undefined;
  });

  const holdLock = async () => {
    release = await lockfile.lock(dir, { lockfilePath: join(dir, '.aws-saml-sync.lock'), realpath: false });
  };

  it('is waited for 12 s in the product: longer than the 10 s after which a dead host\'s lock is taken over, plus the 1 s its mtime may be ahead', () => {
    expect(LOCK_STALE_MS).toBe(10_000);
    expect(LOCK_WAIT_MS).toBe(12_000);
    expect(LOCK_WAIT_MS).toBeGreaterThan(LOCK_STALE_MS + 1_000);
  });

  it('held by another writer: Locked after the wait, nothing written; free again: the write goes through', async () => {
    seed();
    await holdLock();
    const before = snapshot();
    const t0 = performance.now();
    const error = expectError(await handleRequest(write({ profiles: [samlProfile()] }), { paths }), 'Locked');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LOCK_TEST_WAIT_MS * 0.6);
    expect(error.message).toContain(dir);
    expectError(await handleRequest(request('removeProfiles', { profiles: ['sts-temp'] }), { paths }), 'Locked');
    expect(snapshot()).toEqual(before);

    await release!();
    release = undefined;
    expect((await handleRequest(write({ profiles: [samlProfile()] }), { paths })).ok).toBe(true);
    expect(readFileSync(paths.credentialsFile, 'utf8')).toContain(ACCESS_KEY_ID);
    expect(existsSync(join(dir, '.aws-saml-sync.lock'))).toBe(false);
  });

  it('released while the host waits: the write goes through', async () => {
    seed();
    await holdLock();
    const pending = handleRequest(write({ profiles: [samlProfile()] }), { paths });
    await new Promise((r) => setTimeout(r, LOCK_TEST_WAIT_MS / 3));
    await release!();
    release = undefined;
    expect((await pending).ok).toBe(true);
  });

  it('left behind by a crashed host (older than 10 s): taken over', async () => {
    seed();
    const lock = join(dir, '.aws-saml-sync.lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect((await handleRequest(write({ profiles: [samlProfile()] }), { paths })).ok).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('is taken in the folder of the credentials file, even when the files are elsewhere', async () => {
    const other = join(root, `elsewhere-${n}`);
    mkdirSync(other);
    const split = { credentialsFile: join(dir, 'credentials'), configFile: join(other, 'config') };
    await holdLock();
    expectError(await handleRequest(write({ profiles: [samlProfile()] }), { paths: split }), 'Locked');
    expect(lstatSync(other).isDirectory()).toBe(true);
    expect(existsSync(split.configFile)).toBe(false);
  });
});
