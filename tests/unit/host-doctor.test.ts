/**
 * host/doctor.ts on a made-up machine (files, modes and owners given as data), and the Windows-only parts of
 * host/aws-files.ts that cannot run here: `~\` in AWS_SHARED_CREDENTIALS_FILE, the rename retried over a file
 * another program holds open, and the sentence when it stays held.
 */
import { describe, expect, it } from 'vitest';
import { awsPaths, fsFailure, renameWithRetry, WINDOWS_RENAME_DELAYS_MS } from '../../host/aws-files';
import { doctor, duplicateHeaders, formatDoctor, type FileInfo } from '../../host/doctor';
import { hostManifest, launcherScript } from '../../host/install';
import { CHROME_EXTENSION_ORIGIN } from '../../utils/extension-identity';

const HOME = '/home/alice';
const DATA = `${HOME}/.local/share/aws-saml-sync`;
const LAUNCHER = `${DATA}/aws-saml-sync-host`;
const CHROMIUM_MANIFEST = `${HOME}/.config/chromium/NativeMessagingHosts/org.aws_saml_sync.host.json`;
const FIREFOX_MANIFEST = `${HOME}/.mozilla/native-messaging-hosts/org.aws_saml_sync.host.json`;

function machine() {
  const files: Record<string, string> = {
    [`${DATA}/aws-saml-sync-host.cjs`]: 'var HOST_VERSION = "0.1.0";',
    [LAUNCHER]: launcherScript('linux', '/usr/bin/node', `${DATA}/aws-saml-sync-host.cjs`),
    [`${DATA}/installed.json`]: JSON.stringify({
      version: 2,
      node: '/usr/bin/node',
      entries: [
        { browser: 'chromium', manifest: CHROMIUM_MANIFEST },
        { browser: 'firefox', manifest: FIREFOX_MANIFEST },
      ],
    }),
    [CHROMIUM_MANIFEST]: JSON.stringify(hostManifest('chromium', LAUNCHER)),
    [FIREFOX_MANIFEST]: JSON.stringify(hostManifest('firefox', LAUNCHER)),
    [`${HOME}/.aws/credentials`]: '[sts-temp]\naws_access_key_id = EXAMPLE\n',
    [`${HOME}/.aws/config`]: '[profile dev-env]\nsource_profile = sts-temp\n',
  };
  const stats: Record<string, FileInfo> = {
    '/usr/bin/node': { mode: 0o755, uid: 0, isFile: true, isDirectory: false },
    [LAUNCHER]: { mode: 0o755, uid: 1000, isFile: true, isDirectory: false },
    [`${HOME}/.aws`]: { mode: 0o700, uid: 1000, isFile: false, isDirectory: true },
    [`${HOME}/.aws/credentials`]: { mode: 0o600, uid: 1000, isFile: true, isDirectory: false },
    [`${HOME}/.aws/config`]: { mode: 0o600, uid: 1000, isFile: true, isDirectory: false },
  };
  const run = () =>
    doctor({
      platform: 'linux',
      home: HOME,
      env: {},
      helperVersion: '0.1.0',
      nodeVersion: 'v22.12.0',
      execPath: '/usr/bin/node',
      uid: 1000,
      readText: (p) => files[p],
      stat: (p) => stats[p] ?? (files[p] !== undefined ? { mode: 0o644, uid: 1000, isFile: true, isDirectory: false } : undefined),
      exists: (p) => p in files || p in stats,
      hello: async () => ({ ok: true, version: '0.1.0' }),
    });
  return { files, stats, run };
}

describe('doctor', () => {
  it('a sound installation: every browser, ~/.aws with owner and mode, no problem', async () => {
    const report = await machine().run();
    expect(report.problems).toEqual([]);
    const text = formatDoctor(report);
    expect(text).toContain(CHROMIUM_MANIFEST);
    expect(text).toContain(`allows ["${CHROME_EXTENSION_ORIGIN}"]; launcher ${LAUNCHER} (executable)`);
    expect(text).toContain('answers hello (helper 0.1.0)');
    expect(text).toMatch(/credentials {2}\/home\/alice\/\.aws\/credentials {2}owner 1000 \(you\) {2}mode 0600/);
    expect(text).toContain('No problems found.');
    // Never the files' contents.
    expect(text).not.toContain('EXAMPLE');
  });

  it('names each problem with the command that fixes it', async () => {
    const m = machine();
    delete m.files[CHROMIUM_MANIFEST];
    m.stats[LAUNCHER] = { ...m.stats[LAUNCHER]!, mode: 0o644 };
    m.stats[`${HOME}/.aws`] = { ...m.stats[`${HOME}/.aws`]!, mode: 0o777 };
    m.stats[`${HOME}/.aws/credentials`] = { ...m.stats[`${HOME}/.aws/credentials`]!, mode: 0o644, uid: 0 };
    delete m.stats['/usr/bin/node'];
    m.files[`${HOME}/.aws/config`] = '[profile dev-env]\nregion = eu-west-1\n[profile dev-env]\nregion = us-east-1\n';
    const { problems } = await m.run();
    expect(problems).toEqual(
      expect.arrayContaining([
        { what: expect.stringContaining('Node.js the launcher runs is gone (/usr/bin/node)'), fix: 'npx aws-saml-sync-host install' },
        { what: `The chromium host manifest is missing (${CHROMIUM_MANIFEST}).`, fix: 'npx aws-saml-sync-host install --browser chromium' },
        { what: `The launcher ${LAUNCHER} is not executable, so Firefox cannot start it.`, fix: `chmod +x ${LAUNCHER}` },
        { what: expect.stringContaining(`${HOME}/.aws can be written by other users (mode 0777)`), fix: `chmod 700 ${HOME}/.aws` },
        { what: expect.stringContaining(`${HOME}/.aws/credentials can be read by other users (mode 0644)`), fix: `chmod 600 ${HOME}/.aws/credentials` },
        { what: expect.stringContaining('belongs to user 0, not to you (1000)'), fix: `sudo chown "$(id -u):$(id -g)" ${HOME}/.aws/credentials` },
        { what: expect.stringContaining('has the section [profile dev-env] 2 times (lines 1, 3)'), fix: `edit ${HOME}/.aws/config and keep one [profile dev-env] section` },
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('nothing installed: one problem, the install command', async () => {
    const report = await doctor({ platform: 'linux', home: HOME, env: {}, helperVersion: '0.1.0', readText: () => undefined, stat: () => undefined, uid: 1000 });
    expect(report.problems).toEqual([{ what: 'The helper is not installed for any browser.', fix: 'npx aws-saml-sync-host install' }]);
  });

  it('shows AWS_* variables when set, and warns that the browser may not have them', async () => {
    const m = machine();
    const report = await doctor({
      platform: 'linux',
      home: HOME,
      env: { AWS_PROFILE: 'dev-env', AWS_SHARED_CREDENTIALS_FILE: '~/work/creds' },
      helperVersion: '0.1.0',
      uid: 1000,
      readText: (p) => m.files[p],
      stat: () => undefined,
      hello: async () => ({ ok: true, version: '0.1.0' }),
    });
    const text = formatDoctor(report);
    expect(text).toContain('AWS_SHARED_CREDENTIALS_FILE=~/work/creds  AWS_PROFILE=dev-env');
    expect(text).toContain(`${HOME}/work/creds`);
    expect(report.warnings.map((w) => w.what).join()).toMatch(/the environment the browser was started with/);
  });

  it('duplicate headers, with line numbers, whatever the spacing', () => {
    expect(duplicateHeaders('[a]\nx=1\n[ a ]\n[profile  b]\r\n[profile b] # again\n[c]\n')).toEqual([
      { header: 'a', lines: [1, 3] },
      { header: 'profile b', lines: [4, 5] },
    ]);
  });
});

describe('Windows file handling', () => {
  it('~\\ in AWS_SHARED_CREDENTIALS_FILE is the home folder, as botocore reads it', () => {
    expect(awsPaths({ AWS_SHARED_CREDENTIALS_FILE: '~\\work\\credentials', AWS_CONFIG_FILE: '~/cfg' }, { platform: 'win32', home: 'C:\\Users\\José' })).toEqual({
      credentialsFile: 'C:\\Users\\José\\work\\credentials',
      configFile: 'C:\\Users\\José\\cfg',
    });
    expect(awsPaths({}, { platform: 'win32', home: 'C:\\Users\\alice' })).toEqual({ credentialsFile: 'C:\\Users\\alice\\.aws\\credentials', configFile: 'C:\\Users\\alice\\.aws\\config' });
    // Elsewhere ~\ is a file name like any other.
    expect(awsPaths({ AWS_SHARED_CREDENTIALS_FILE: '/x/~\\y' }, { platform: 'linux', home: HOME }).credentialsFile).toBe('/x/~\\y');
  });

  it('a rename over a file held open is retried on Windows (EPERM, EACCES, EBUSY), and only there', async () => {
    for (const code of ['EPERM', 'EACCES', 'EBUSY']) {
      let calls = 0;
      const waits: number[] = [];
      await renameWithRetry('a', 'b', {
        platform: 'win32',
        rename: async () => {
          if (++calls < 3) throw Object.assign(new Error(code), { code });
        },
        sleep: async (ms) => void waits.push(ms),
      });
      expect(calls).toBe(3);
      expect(waits).toEqual(WINDOWS_RENAME_DELAYS_MS.slice(0, 2));
    }
    const held = Object.assign(new Error('EPERM'), { code: 'EPERM' });
    let calls = 0;
    const always = async () => {
      calls++;
      throw held;
    };
    await expect(renameWithRetry('a', 'b', { platform: 'win32', rename: always, sleep: async () => undefined })).rejects.toBe(held);
    expect(calls).toBe(WINDOWS_RENAME_DELAYS_MS.length + 1);
    calls = 0;
    await expect(renameWithRetry('a', 'b', { platform: 'linux', rename: always, sleep: async () => undefined })).rejects.toBe(held);
    expect(calls).toBe(1);
  });

  it('still held after that: a sentence worded for Windows', () => {
    const failure = fsFailure(Object.assign(new Error('x'), { code: 'EPERM' }), 'C:\\Users\\José\\.aws\\credentials', 'win32');
    expect(failure.errorName).toBe('Locked');
    expect(failure.message).toBe(
      'C:\\Users\\José\\.aws\\credentials is held open by another program (Windows cannot replace a file that is open elsewhere: an editor, a backup or antivirus scan); close it or wait a moment, then sync again.',
    );
    expect(fsFailure(Object.assign(new Error('x'), { code: 'EPERM' }), '/a', 'linux').errorName).toBe('PermissionDenied');
  });
});
