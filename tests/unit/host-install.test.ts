/**
 * The installer's pure parts (host/install.ts): arguments, where each browser looks for host manifests on Linux,
 * macOS and Windows, the manifest itself, the launcher (its shell quoting is run for real), and the `reg` command
 * lines it would run on Windows. The installer end to end is in tests/integration/host-install.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BROWSERS,
  dataDir,
  hostManifest,
  launcherName,
  launcherScript,
  MANIFEST_FILE,
  manifestDir,
  parseArgs,
  registryKey,
  windowsRegistryCommand,
} from '../../host/install';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../../utils/extension-identity';
import { HOST_VERSION } from '../../utils/host-protocol';

const scratch = mkdtempSync(join(tmpdir(), 'host-install-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('arguments', () => {
  it('defaults to installing for every browser', () => {
    expect(parseArgs(['install'])).toEqual({ action: 'install', browsers: [...BROWSERS], manifestDir: undefined });
    expect(parseArgs(['uninstall']).action).toBe('uninstall');
    expect(parseArgs(['install', '--browser', 'all']).browsers).toEqual([...BROWSERS]);
  });

  it('takes one browser, as --browser NAME or --browser=NAME', () => {
    expect(parseArgs(['install', '--browser', 'firefox']).browsers).toEqual(['firefox']);
    expect(parseArgs(['install', '--browser=brave']).browsers).toEqual(['brave']);
  });

  it('takes --manifest-dir with one browser, made absolute', () => {
    expect(parseArgs(['install', '--browser', 'chromium', '--manifest-dir', 'rel/dir'])).toEqual({
      action: 'install',
      browsers: ['chromium'],
      manifestDir: join(process.cwd(), 'rel/dir'),
    });
    expect(() => parseArgs(['install', '--manifest-dir', '/x'])).toThrow(/exactly one --browser/);
    expect(() => parseArgs(['install', '--browser', 'chrome', '--manifest-dir'])).toThrow(/needs a folder/);
  });

  it('refuses unknown browsers and options with one sentence naming the choices', () => {
    expect(() => parseArgs(['install', '--browser', 'safari'])).toThrow('Unknown browser "safari"; use one of chrome, chromium, edge, brave, vivaldi, firefox or all.');
    expect(() => parseArgs(['install', '--force'])).toThrow(/Unknown option "--force"/);
  });
});

describe('where each browser looks for host manifests', () => {
  const home = '/home/alice';

  it('Linux: the Chromium family under ~/.config (or $XDG_CONFIG_HOME), Firefox under ~/.mozilla', () => {
    const env = {};
    expect(BROWSERS.map((b) => manifestDir(b, 'linux', home, env))).toEqual([
      '/home/alice/.config/google-chrome/NativeMessagingHosts',
      '/home/alice/.config/chromium/NativeMessagingHosts',
      '/home/alice/.config/microsoft-edge/NativeMessagingHosts',
      '/home/alice/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      '/home/alice/.config/vivaldi/NativeMessagingHosts',
      '/home/alice/.mozilla/native-messaging-hosts',
    ]);
    const xdg = { XDG_CONFIG_HOME: '/xdg/config' };
    expect(manifestDir('chromium', 'linux', home, xdg)).toBe('/xdg/config/chromium/NativeMessagingHosts');
    expect(manifestDir('firefox', 'linux', home, xdg)).toBe('/home/alice/.mozilla/native-messaging-hosts');
    // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    expect(manifestDir('chrome', 'linux', home, { XDG_CONFIG_HOME: 'rel' })).toBe('/home/alice/.config/google-chrome/NativeMessagingHosts');
  });

  it('macOS: under ~/Library/Application Support', () => {
    expect(BROWSERS.map((b) => manifestDir(b, 'darwin', '/Users/alice', {}))).toEqual([
      '/Users/alice/Library/Application Support/Google/Chrome/NativeMessagingHosts',
      '/Users/alice/Library/Application Support/Chromium/NativeMessagingHosts',
      '/Users/alice/Library/Application Support/Microsoft Edge/NativeMessagingHosts',
      '/Users/alice/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      '/Users/alice/Library/Application Support/Vivaldi/NativeMessagingHosts',
      '/Users/alice/Library/Application Support/Mozilla/NativeMessagingHosts',
    ]);
  });

  it('Windows: beside the host under %LOCALAPPDATA% (the registry points at it)', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local' };
    expect(manifestDir('edge', 'win32', 'C:\\Users\\alice', env)).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync\\manifests\\edge');
    expect(dataDir('win32', 'C:\\Users\\alice', {})).toBe('C:\\Users\\alice\\AppData\\Local\\aws-saml-sync');
  });

  it('the host itself goes to a per-user folder, never the checkout', () => {
    expect(dataDir('linux', '/home/alice', {})).toBe('/home/alice/.local/share/aws-saml-sync');
    expect(dataDir('linux', '/home/alice', { XDG_DATA_HOME: '/xdg/data' })).toBe('/xdg/data/aws-saml-sync');
    expect(dataDir('darwin', '/Users/alice', {})).toBe('/Users/alice/Library/Application Support/aws-saml-sync');
    expect(launcherName('linux')).toBe('aws-saml-sync-host');
    expect(launcherName('win32')).toBe('aws-saml-sync-host.cmd');
  });
});

describe('the host manifest', () => {
  it('Chromium family: the pinned origin only, with its trailing slash, no wildcard', () => {
    for (const browser of BROWSERS.filter((b) => b !== 'firefox')) {
      expect(hostManifest(browser, '/opt/launcher')).toEqual({
        name: NATIVE_HOST_NAME,
        description: expect.stringMatching(/aws-saml-sync/),
        path: '/opt/launcher',
        type: 'stdio',
        allowed_origins: [CHROME_EXTENSION_ORIGIN],
      });
    }
    expect(CHROME_EXTENSION_ORIGIN).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
  });

  it('Firefox: the add-on id only', () => {
    expect(hostManifest('firefox', '/opt/launcher')).toEqual({
      name: NATIVE_HOST_NAME,
      description: expect.any(String),
      path: '/opt/launcher',
      type: 'stdio',
      allowed_extensions: [GECKO_ID],
    });
  });

  it('its file is named after the host, which is a valid native messaging name', () => {
    expect(MANIFEST_FILE).toBe(`${NATIVE_HOST_NAME}.json`);
    expect(NATIVE_HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
  });
});

describe('the launcher', () => {
  it('runs the bundle with the given Node and passes the browser’s arguments on, whatever is in the paths', () => {
    // /bin/echo stands in for Node: the launcher's output is then exactly the arguments it passed.
    const odd = join(scratch, `it's a "dir" with $HOME and spaces`, 'aws-saml-sync-host.cjs');
    const launcher = join(scratch, 'launcher');
    writeFileSync(launcher, launcherScript('linux', '/bin/echo', odd));
    chmodSync(launcher, 0o755);
    const out = execFileSync(launcher, [CHROME_EXTENSION_ORIGIN, 'a b'], { encoding: 'utf8' });
    expect(out).toBe(`${odd} ${CHROME_EXTENSION_ORIGIN} a b\n`);
    expect(readFileSync(launcher, 'utf8')).toMatch(/^#!\/bin\/sh\n/);
  });

  it('on Windows, a .cmd passing %* on, with CRLF endings', () => {
    expect(launcherScript('win32', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\a\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cjs')).toBe(
      '@echo off\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\a\\AppData\\Local\\aws-saml-sync\\aws-saml-sync-host.cjs" %*\r\n',
    );
  });
});

describe('Windows registry', () => {
  const manifest = 'C:\\Users\\a\\AppData\\Local\\aws-saml-sync\\manifests\\chrome\\org.aws_saml_sync.host.json';

  it('registers the manifest as the default value of the host key under HKCU', () => {
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
    expect(windowsRegistryCommand('firefox', manifest, 'uninstall')).toEqual(['reg', 'delete', 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\org.aws_saml_sync.host', '/f']);
  });

  it('has a key for every browser, each under its vendor', () => {
    expect(BROWSERS.map(registryKey)).toEqual([
      'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.aws_saml_sync.host',
      'HKCU\\Software\\Chromium\\NativeMessagingHosts\\org.aws_saml_sync.host',
      'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\org.aws_saml_sync.host',
      'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\org.aws_saml_sync.host',
      'HKCU\\Software\\Vivaldi\\NativeMessagingHosts\\org.aws_saml_sync.host',
      'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\org.aws_saml_sync.host',
    ]);
  });
});

describe('versions', () => {
  it('the host reports package.json’s version', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(HOST_VERSION).toBe(pkg.version);
  });
});
