/**
 * host/install.ts: the pure parts (manifest folders per browser and platform, the data folder, the manifest JSON,
 * the launcher and its quoting, the Windows `reg` command lines, argument parsing), then runInstaller into a
 * temporary HOME, checking that the launcher it writes really starts the host (a hello round trip through it, as a
 * browser would start it) and that uninstall removes exactly what install wrote.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BROWSERS,
  dataDir,
  hostManifest,
  launcherScript,
  manifestDir,
  MANIFEST_FILE,
  parseArgs,
  registryKey,
  runInstaller,
  windowsRegistryCommand,
  type Browser,
} from '../../host/install';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../../utils/extension-identity';
import { HOST_VERSION } from '../../utils/host-protocol';
import { CHROME_ARGS, FIREFOX_ARGS, makeHome, startHost, type HostProcess, type TempHome } from '../support/host-process';

const HOME = '/home/alice';
const CHROMIUM_FAMILY = BROWSERS.filter((b): b is Exclude<Browser, 'firefox'> => b !== 'firefox');

describe('where things go', () => {
  it('Linux: each browser\'s user-level manifest folder', () => {
    const dirs = Object.fromEntries(BROWSERS.map((b) => [b, manifestDir(b, 'linux', HOME, {})]));
    expect(dirs).toEqual({
      chrome: '/home/alice/.config/google-chrome/NativeMessagingHosts',
      chromium: '/home/alice/.config/chromium/NativeMessagingHosts',
      edge: '/home/alice/.config/microsoft-edge/NativeMessagingHosts',
      brave: '/home/alice/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      vivaldi: '/home/alice/.config/vivaldi/NativeMessagingHosts',
      firefox: '/home/alice/.mozilla/native-messaging-hosts',
    });
  });

  it('Linux: the Chromium family follows an absolute XDG_CONFIG_HOME; Firefox does not; a relative one is ignored', () => {
    expect(manifestDir('chrome', 'linux', HOME, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/google-chrome/NativeMessagingHosts');
    expect(manifestDir('firefox', 'linux', HOME, { XDG_CONFIG_HOME: '/cfg' })).toBe('/home/alice/.mozilla/native-messaging-hosts');
    expect(manifestDir('chromium', 'linux', HOME, { XDG_CONFIG_HOME: 'relative/cfg' })).toBe('/home/alice/.config/chromium/NativeMessagingHosts');
  });

  it('macOS: under ~/Library/Application Support', () => {
    const base = '/Users/alice/Library/Application Support';
    expect(Object.fromEntries(BROWSERS.map((b) => [b, manifestDir(b, 'darwin', '/Users/alice', {})]))).toEqual({
      chrome: `${base}/Google/Chrome/NativeMessagingHosts`,
      chromium: `${base}/Chromium/NativeMessagingHosts`,
      edge: `${base}/Microsoft Edge/NativeMessagingHosts`,
      brave: `${base}/BraveSoftware/Brave-Browser/NativeMessagingHosts`,
      vivaldi: `${base}/Vivaldi/NativeMessagingHosts`,
      firefox: `${base}/Mozilla/NativeMessagingHosts`,
    });
  });

  it('Windows: manifests kept beside the helper, one folder per browser (the registry points at them)', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' };
    expect(manifestDir('edge', 'win32', 'C:\\Users\\alice', env)).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\edge');
    expect(manifestDir('firefox', 'win32', 'C:\\Users\\alice', {})).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\firefox');
  });

  it('the helper\'s own folder per platform', () => {
    expect(dataDir('linux', HOME, {})).toBe('/home/alice/.local/share/aws-saml-sync');
    expect(dataDir('linux', HOME, { XDG_DATA_HOME: '/data' })).toBe('/data/aws-saml-sync');
    expect(dataDir('linux', HOME, { XDG_DATA_HOME: 'rel' })).toBe('/home/alice/.local/share/aws-saml-sync');
    expect(dataDir('darwin', '/Users/alice', {})).toBe('/Users/alice/Library/Application Support/aws-saml-sync');
    expect(dataDir('win32', 'C:\\Users\\alice', { LOCALAPPDATA: 'D:\\Local' })).toBe('D:\\Local\\aws-saml-sync');
    expect(dataDir('win32', 'C:\\Users\\alice', {})).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync');
  });
});

describe('the host manifest', () => {
  const launcher = '/home/alice/.local/share/aws-saml-sync/aws-saml-sync-host';

  it.each(CHROMIUM_FAMILY)('%s: allowed_origins holds only the pinned origin', (browser) => {
    const m = hostManifest(browser, launcher);
    expect(m).toEqual({ name: NATIVE_HOST_NAME, description: expect.stringMatching(/aws-saml-sync/), path: launcher, type: 'stdio', allowed_origins: [CHROME_EXTENSION_ORIGIN] });
    expect(CHROME_EXTENSION_ORIGIN).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
  });

  it('firefox: allowed_extensions holds only the gecko id', () => {
    expect(hostManifest('firefox', launcher)).toEqual({ name: NATIVE_HOST_NAME, description: expect.any(String), path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID] });
  });

  it('the name is valid for both browsers and is the file name', () => {
    expect(NATIVE_HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
    expect(MANIFEST_FILE).toBe(`${NATIVE_HOST_NAME}.json`);
  });
});

describe('the launcher', () => {
  it('POSIX: a sh script that execs this Node on the bundle with the browser\'s arguments', () => {
    expect(launcherScript('linux', '/usr/bin/node', '/b/host.cjs')).toBe(
      "#!/bin/sh\n# aws-saml-sync native messaging host (written by npm run host:install)\nexec '/usr/bin/node' '/b/host.cjs' \"$@\"\n",
    );
  });

  it('POSIX: paths with spaces, quotes, $ and backticks reach Node unchanged', async () => {
    const home = await makeHome('launcher-quoting-');
    try {
      const odd = join(home.path, `it's a "dir" $HOME \`x\``);
      mkdirSync(odd);
      const node = join(odd, 'no de');
      symlinkSync(process.execPath, node);
      const script = join(odd, 'print args.cjs');
      writeFileSync(script, 'process.stdout.write(JSON.stringify([process.argv[1], ...process.argv.slice(2)]))');
      const launcher = join(home.path, 'launcher');
      writeFileSync(launcher, launcherScript('linux', node, script), { mode: 0o755 });
      const out = execFileSync(launcher, [CHROME_EXTENSION_ORIGIN, 'a b', "c'd", '$e'], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual([script, CHROME_EXTENSION_ORIGIN, 'a b', "c'd", '$e']);
    } finally {
      await home.cleanup();
    }
  });

  it('Windows: a .cmd that passes every argument on', () => {
    expect(launcherScript('win32', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cjs')).toBe(
      '@echo off\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cjs" %*\r\n',
    );
  });
});

describe('Windows registry', () => {
  const manifest = 'C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\chrome\\org.aws_saml_sync.host.json';

  it('reg add sets the default value of the HKCU key to the manifest path; reg delete removes the key', () => {
    expect(windowsRegistryCommand('chrome', manifest, 'install')).toEqual([
      'reg',
      'add',
      'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.aws_saml_sync.host',
      '/ve',
      '/t',
      'REG_SZ',
      '/d',
      manifest,
      '/f',
    ]);
    expect(windowsRegistryCommand('chrome', manifest, 'uninstall')).toEqual(['reg', 'delete', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.aws_saml_sync.host', '/f']);
  });

  it('one key per browser', () => {
    expect(Object.fromEntries(BROWSERS.map((b) => [b, registryKey(b)]))).toEqual({
      chrome: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.aws_saml_sync.host',
      chromium: 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\org.aws_saml_sync.host',
      edge: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\org.aws_saml_sync.host',
      brave: 'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\org.aws_saml_sync.host',
      vivaldi: 'HKCU\\Software\\Vivaldi\\NativeMessagingHosts\\org.aws_saml_sync.host',
      firefox: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\org.aws_saml_sync.host',
    });
    // Argument arrays (run without a shell): a path with spaces stays one argument.
    expect(windowsRegistryCommand('edge', 'C:\\My Files\\m.json', 'install')).toContain('C:\\My Files\\m.json');
  });
});

describe('parseArgs', () => {
  it('defaults: install for every browser', () => {
    expect(parseArgs([])).toEqual({ action: 'install', browsers: [...BROWSERS], manifestDir: undefined });
    expect(parseArgs(['install'])).toEqual({ action: 'install', browsers: [...BROWSERS], manifestDir: undefined });
    expect(parseArgs(['uninstall'])).toEqual({ action: 'uninstall', browsers: [...BROWSERS], manifestDir: undefined });
  });

  it('--browser NAME, --browser=NAME, all; --manifest-dir made absolute', () => {
    expect(parseArgs(['install', '--browser', 'firefox'])).toMatchObject({ browsers: ['firefox'] });
    expect(parseArgs(['uninstall', '--browser=edge'])).toMatchObject({ action: 'uninstall', browsers: ['edge'] });
    expect(parseArgs(['install', '--browser', 'all'])).toMatchObject({ browsers: [...BROWSERS] });
    const args = parseArgs(['install', '--browser', 'chromium', '--manifest-dir', 'some/dir']);
    expect(args.manifestDir).toBe(join(process.cwd(), 'some/dir'));
    expect(parseArgs(['--browser=chrome', '--manifest-dir=/x/y'])).toEqual({ action: 'install', browsers: ['chrome'], manifestDir: '/x/y' });
  });

  it.each([
    [['--browser', 'safari'], /Unknown browser "safari"/],
    [['--browser'], /Unknown browser ""/],
    [['--manifest-dir'], /--manifest-dir needs a folder/],
    [['--manifest-dir', '/x'], /exactly one --browser/],
    [['--browser', 'all', '--manifest-dir', '/x'], /exactly one --browser/],
    [['--force'], /Unknown option "--force"/],
    [['instal'], /Unknown option "instal"/],
  ])('%j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('runInstaller into a temporary HOME', () => {
  let home: TempHome;
  const hosts: HostProcess[] = [];
  beforeEach(async () => {
    home = await makeHome('installer-home-');
  });
  afterEach(async () => {
    for (const h of hosts.splice(0)) h.kill();
    await home.cleanup();
  });

  const data = () => join(home.path, '.local', 'share', 'aws-saml-sync');
  const install = (argv: string[]) => runInstaller(parseArgs(argv), { platform: 'linux', home: home.path, env: {} });

  async function helloThrough(launcher: string, args: string[]): Promise<unknown> {
    const h = await startHost({ home: home.path, command: launcher, args });
    hosts.push(h);
    const reply = await h.request('hello', {});
    expect(await h.close()).toMatchObject({ code: 0 });
    return reply;
  }

  it('--manifest-dir: the helper, a launcher that starts it, and a manifest pointing at the launcher; uninstall removes the manifest', async () => {
    const manifests = join(home.path, 'profile', 'NativeMessagingHosts');
    const written = await install(['install', '--browser', 'chromium', '--manifest-dir', manifests]);
    const launcher = join(data(), 'aws-saml-sync-host');
    expect(written.map((w) => w.path)).toEqual(expect.arrayContaining([join(data(), 'aws-saml-sync-host.cjs'), launcher, join(manifests, MANIFEST_FILE)]));

    const manifest = JSON.parse(readFileSync(join(manifests, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
    expect(manifest).toEqual(hostManifest('chromium', launcher));
    expect(isAbsolute(manifest.path as string)).toBe(true);
    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    expect(statSync(data()).mode & 0o777).toBe(0o700);
    expect(readFileSync(launcher, 'utf8')).toContain(`exec '${process.execPath}' '${join(data(), 'aws-saml-sync-host.cjs')}' "$@"`);
    // Only the manifest folder asked for: none of the browsers' own folders.
    expect(existsSync(join(home.path, '.config'))).toBe(false);

    expect(await helloThrough(launcher, CHROME_ARGS)).toMatchObject({ ok: true, body: { protocols: [1], credentialsFile: join(home.path, '.aws', 'credentials') } });
    // The launcher passes the arguments on: the caller check still refuses others.
    const refused = await startHost({ home: home.path, command: launcher, args: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] });
    hosts.push(refused);
    expect((await refused.exited).code).toBe(2);

    const removed = await runInstaller(parseArgs(['uninstall', '--browser', 'chromium', '--manifest-dir', manifests]), { platform: 'linux', home: home.path, env: {} });
    expect(removed.map((w) => w.path)).toEqual([join(manifests, MANIFEST_FILE)]);
    expect(existsSync(join(manifests, MANIFEST_FILE))).toBe(false);
    expect(existsSync(launcher)).toBe(true);
  });

  it('the installed copy does not depend on the checkout: it runs from the data folder alone', async () => {
    await install(['install', '--browser', 'firefox', '--manifest-dir', join(home.path, 'ff')]);
    const bundle = readFileSync(join(data(), 'aws-saml-sync-host.cjs'), 'utf8');
    expect(bundle).not.toMatch(/require\(["'](valibot|proper-lockfile|write-file-atomic)["']\)/);
    const manifest = JSON.parse(readFileSync(join(home.path, 'ff', MANIFEST_FILE), 'utf8')) as { path: string; allowed_extensions: string[] };
    expect(manifest.allowed_extensions).toEqual([GECKO_ID]);
    expect(await helloThrough(manifest.path, FIREFOX_ARGS)).toMatchObject({ ok: true });
  });

  it('every browser by default, in its own folder; uninstall of all removes every manifest and the helper, and nothing of anyone else', async () => {
    const foreign = join(home.path, '.config', 'google-chrome', 'NativeMessagingHosts', 'com.example.other.json');
    mkdirSync(join(home.path, '.config', 'google-chrome', 'NativeMessagingHosts'), { recursive: true });
    writeFileSync(foreign, '{"name":"com.example.other"}');
    await install(['install']);
    for (const b of BROWSERS) {
      const path = join(manifestDir(b, 'linux', home.path, {}), MANIFEST_FILE);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(hostManifest(b, join(data(), 'aws-saml-sync-host')));
    }
    // A custom folder installed later is remembered, so uninstalling everything finds it too.
    await install(['install', '--browser', 'chrome', '--manifest-dir', join(home.path, 'custom')]);

    await runInstaller(parseArgs(['uninstall']), { platform: 'linux', home: home.path, env: {} });
    for (const b of BROWSERS) expect(existsSync(join(manifestDir(b, 'linux', home.path, {}), MANIFEST_FILE))).toBe(false);
    expect(existsSync(join(home.path, 'custom', MANIFEST_FILE))).toBe(false);
    expect(existsSync(data())).toBe(false);
    expect(readFileSync(foreign, 'utf8')).toBe('{"name":"com.example.other"}');
  });

  it('uninstall never removes a file of our name that is not our manifest', async () => {
    const dir = join(home.path, 'elsewhere');
    mkdirSync(dir);
    writeFileSync(join(dir, MANIFEST_FILE), '{"name":"something.else"}');
    expect(await runInstaller(parseArgs(['uninstall', '--browser', 'firefox', '--manifest-dir', dir]), { platform: 'linux', home: home.path, env: {} })).toEqual([]);
    expect(readdirSync(dir)).toEqual([MANIFEST_FILE]);
  });

  it('installing twice leaves one of each and a working launcher', async () => {
    const dir = join(home.path, 'm');
    await install(['install', '--browser', 'chrome', '--manifest-dir', dir]);
    await install(['install', '--browser', 'chrome', '--manifest-dir', dir]);
    expect(readdirSync(dir)).toEqual([MANIFEST_FILE]);
    expect(readdirSync(data()).sort()).toEqual(['aws-saml-sync-host', 'aws-saml-sync-host.cjs', 'installed.json']);
    expect(await helloThrough(join(data(), 'aws-saml-sync-host'), CHROME_ARGS)).toMatchObject({ ok: true });
  });
});

describe('versions', () => {
  it('the host reports package.json’s version', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(HOST_VERSION).toBe(pkg.version);
  });
});
