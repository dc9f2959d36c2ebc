/**
 * credential_process, the pure parts: the extension's answer (memory, refresh, the sentence), the native client
 * answering the host's asks, the host's write plan (credential_process line, keys removed), the quoted launcher
 * line, and the socket location and listen options (the Windows pipe name and its user-only access included).
 */
import { describe, expect, it } from 'vitest';
import { answerCredentials, OPEN_BROWSER_SENTENCE } from '../../utils/credential-answer';
import { createNativeClient, type PortLike } from '../../utils/native-client';
import type { HeldCredentials } from '../../utils/profile-sync';
import { validateSettings } from '../../utils/settings';
import { dataDir } from '../../host/install';
import { credentialProcessLine, launcherCommand, quotePath } from '../../host/launcher';
import { listenOptions, socketLocation } from '../../host/credential-server';
import { parseCliArgs } from '../../host/credentials-cli';
import { planList, planWrite } from '../../host/profile-store';
import * as v from 'valibot';
import { WriteProfilesBodySchema } from '../../utils/host-protocol';

const ROLE = 'arn:aws:iam::111222333444:role/saml-init';
const held = (minutes: number, key = 'ASIAEXAMPLE0000001'): HeldCredentials => ({
  accessKeyId: key,
  secretAccessKey: 'secretEXAMPLE',
  sessionToken: 'tokenEXAMPLE',
  expiration: new Date(Date.now() + minutes * 60_000).toISOString(),
  roleArn: ROLE,
});
const settings = validateSettings({
  version: 1,
  mappings: [
    { roleArn: ROLE, profile: 'sts-temp', writeAs: 'credential-process' },
    { roleArn: 'arn:aws:iam::111222333444:role/other', profile: 'keys-only' },
  ],
  chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', resolveNow: true, writeAs: 'credential-process' }],
});

describe('answerCredentials', () => {
  const never = async () => {
    throw new Error('no refresh expected');
  };
  it('answers from memory with 15 minutes or more left, without refreshing', async () => {
    const a = await answerCredentials('sts-temp', { settings, held: async () => held(16), refreshProfile: never });
    expect(a).toMatchObject({ credentials: { accessKeyId: 'ASIAEXAMPLE0000001' } });
  });
  it('refreshes below 15 minutes and answers with the new credentials', async () => {
    const a = await answerCredentials('dev-env', { settings, held: async () => held(14), refreshProfile: async () => held(60, 'ASIAEXAMPLE0000002') });
    expect(a).toMatchObject({ credentials: { accessKeyId: 'ASIAEXAMPLE0000002' } });
  });
  it('when the person is needed: still-valid credentials (5 min or more) are given, else the sentence', async () => {
    const refreshProfile = async () => ({ needsPerson: OPEN_BROWSER_SENTENCE });
    expect(await answerCredentials('sts-temp', { settings, held: async () => held(8), refreshProfile })).toHaveProperty('credentials');
    expect(await answerCredentials('sts-temp', { settings, held: async () => held(4), refreshProfile })).toEqual({ error: { name: 'NeedsPerson', message: OPEN_BROWSER_SENTENCE } });
    expect(await answerCredentials('sts-temp', { settings, held: async () => undefined, refreshProfile })).toEqual({ error: { name: 'NeedsPerson', message: OPEN_BROWSER_SENTENCE } });
  });
  it('profiles not switched to credential_process are not served', async () => {
    for (const profile of ['keys-only', 'unknown']) {
      const a = await answerCredentials(profile, { settings, held: async () => held(60), refreshProfile: never });
      expect(a).toMatchObject({ error: { name: 'NoCredentials' } });
    }
  });
});

describe('the native client answers the host’s asks', () => {
  function fakePort() {
    const sent: unknown[] = [];
    const listeners: ((m: unknown) => void)[] = [];
    const port: PortLike = {
      postMessage: (m) => void sent.push(m),
      onMessage: { addListener: (l) => void listeners.push(l) },
      onDisconnect: { addListener: () => undefined },
      disconnect: () => undefined,
    };
    return { port, sent, deliver: (m: unknown) => listeners.forEach((l) => l(m)) };
  }
  it('a credentials ask gets a credentialsAnswer with its id; replies to our own requests still settle', async () => {
    const fake = fakePort();
    const client = createNativeClient(() => fake.port, {
      onHostRequest: async (ask) => ({ error: { name: 'NeedsPerson', message: `${ask.body.profile}: ${OPEN_BROWSER_SENTENCE}` } }),
    });
    const serving = client.serveCredentials({});
    fake.deliver({ v: 1, id: 'h1', type: 'credentials', body: { profile: 'sts-temp' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.sent[1]).toEqual({ v: 1, id: 'h1', type: 'credentialsAnswer', body: { error: { name: 'NeedsPerson', message: `sts-temp: ${OPEN_BROWSER_SENTENCE}` } } });
    fake.deliver({ v: 1, id: (fake.sent[0] as { id: string }).id, ok: true, body: { socket: '/x/credentials.sock' } });
    await expect(serving).resolves.toEqual({ socket: '/x/credentials.sock' });
  });
});

describe('the host writes credential_process', () => {
  const files = { credentialsFile: '/h/.aws/credentials', configFile: '/h/.aws/config' };
  const body = (confirm?: string[]) =>
    v.parse(WriteProfilesBodySchema, {
      profiles: [
        {
          profile: 'sts-temp',
          kind: 'saml',
          roleArn: ROLE,
          credentials: { accessKeyId: 'ASIAEXAMPLE0000001', secretAccessKey: 'secretEXAMPLE', sessionToken: 'tokenEXAMPLE', expiration: '2030-01-01T00:00:00Z' },
          config: { region: 'us-east-1' },
          writeAs: 'credential-process',
        },
      ],
      ...(confirm ? { confirmOverwrite: confirm } : {}),
    });
  const launcher = () => '"/home/a b/.local/share/aws-saml-sync/aws-saml-sync-host"';

  it('sets credential_process in config and removes the keys it wrote earlier from the credentials file', () => {
    const before = {
      credentials: '[mine]\naws_access_key_id = AKIAEXAMPLE\n\n[sts-temp]\naws_access_key_id = ASIAOLDEXAMPLE\nx_aws_saml_sync = saml\n',
      config: '[profile sts-temp]\nregion = us-east-1\nx_aws_saml_sync = saml\nx_aws_saml_sync_role_arn = ' + ROLE + '\n',
    };
    const after = planWrite(before, body(), files, launcher);
    expect(after.credentials).toBe('[mine]\naws_access_key_id = AKIAEXAMPLE\n');
    expect(after.config).toContain('credential_process = "/home/a b/.local/share/aws-saml-sync/aws-saml-sync-host" credentials --profile sts-temp\n');
    expect(planList(after)).toEqual([{ profile: 'sts-temp', kind: 'saml', roleArn: ROLE, region: 'us-east-1', credentialProcess: true }]);
  });

  it('keys of the person’s own in the credentials file need their confirmation (they would win), then go', () => {
    const before = { credentials: '[sts-temp]\naws_access_key_id = ASIAHANDMADEEXAMPLE\n', config: '' };
    expect(() => planWrite(before, body(), files, launcher)).toThrow(/not written by aws-saml-sync/);
    expect(planWrite(before, body(['sts-temp']), files, launcher).credentials).toBe('');
  });

  it('a keys write afterwards removes credential_process again', () => {
    const served = planWrite({ credentials: '', config: '' }, body(), files, launcher);
    const keys = v.parse(WriteProfilesBodySchema, { profiles: [{ ...body().profiles[0]!, writeAs: 'keys' }] });
    const after = planWrite(served, keys, files, launcher);
    expect(after.config).not.toContain('credential_process');
    expect(after.credentials).toContain('aws_access_key_id = ASIAEXAMPLE0000001');
  });

  it('chained-config profiles cannot be credential-process', () => {
    const r = v.safeParse(WriteProfilesBodySchema, {
      profiles: [{ profile: 'dev-env', kind: 'chained-config', roleArn: ROLE, config: { source_profile: 'sts-temp', role_arn: ROLE }, writeAs: 'credential-process' }],
    });
    expect(r.success).toBe(false);
  });
});

describe('the launcher line', () => {
  it('quotes every path on every OS and refuses what cannot be quoted', () => {
    expect(quotePath('/home/a b/x', 'linux')).toBe('"/home/a b/x"');
    expect(quotePath('C:\\Users\\A B\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cmd', 'win32')).toBe('"C:\\Users\\A B\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cmd"');
    for (const bad of ['/a"b', '/a$b', '/a`b', '/a\\b']) expect(() => quotePath(bad, 'linux')).toThrow(/cannot carry safely/);
    for (const bad of ['C:\\a"b', 'C:\\%TEMP%\\x']) expect(() => quotePath(bad, 'win32')).toThrow(/cannot carry safely/);
    expect(credentialProcessLine('"/x/aws-saml-sync-host"', 'sts-temp')).toBe('"/x/aws-saml-sync-host" credentials --profile sts-temp');
  });
  it('the installed launcher beside the bundle, else Node and the bundle', () => {
    expect(launcherCommand('linux', '/d/aws-saml-sync-host.cjs', '/usr/bin/node', () => true)).toBe('"/d/aws-saml-sync-host"');
    expect(launcherCommand('linux', '/w/.output/host/aws-saml-sync-host.cjs', '/usr/bin/node', () => false)).toBe('"/usr/bin/node" "/w/.output/host/aws-saml-sync-host.cjs"');
  });
  it('parses credentials arguments', () => {
    expect(parseCliArgs(['--profile', 'sts-temp'])).toEqual({ profile: 'sts-temp', open: false });
    expect(parseCliArgs(['--profile=dev-env', '--open'])).toEqual({ profile: 'dev-env', open: true });
    expect(parseCliArgs(['--profile', 'a/b'])).toBeUndefined();
  });
});

describe('where the socket is', () => {
  it('the data folder is the installer’s', () => {
    const loc = socketLocation('linux', '/home/a', { XDG_DATA_HOME: '/xdg' }, 'a');
    expect(loc.dir).toBe(`${dataDir('linux', '/home/a', { XDG_DATA_HOME: '/xdg' })}/run`);
  });
  it('POSIX: credentials.sock in <data>/run, never readable or writable by all', () => {
    const loc = socketLocation('linux', '/home/a', {}, 'a');
    expect(loc).toEqual({ dir: '/home/a/.local/share/aws-saml-sync/run', path: '/home/a/.local/share/aws-saml-sync/run/credentials.sock' });
    expect(listenOptions(loc)).toEqual({ path: loc.path, readableAll: false, writableAll: false, exclusive: true });
  });
  it('Windows: a named pipe per user, with the default user-only access (not readableAll, not writableAll)', () => {
    const loc = socketLocation('win32', 'C:\\Users\\A B', {}, 'A B\\x');
    expect(loc).toEqual({ path: '\\\\.\\pipe\\aws-saml-sync-credentials-A_B_x' });
    expect(listenOptions(loc)).toEqual({ path: '\\\\.\\pipe\\aws-saml-sync-credentials-A_B_x', readableAll: false, writableAll: false, exclusive: true });
  });
});
