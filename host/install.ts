/**
 * `npm run host:install -- [--browser chrome|chromium|edge|brave|vivaldi|firefox|all] [--manifest-dir DIR]`
 * `npm run host:uninstall -- [same options]`
 *
 * Copies the bundled host to a per-user folder with a launcher that runs it with the Node doing the install, and
 * registers it with each browser: a host manifest in the browser's user-level folder (Linux, macOS) or under
 * HKCU in the registry (Windows). Only this extension may start it: the pinned Chrome ID, the Firefox add-on id.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../utils/extension-identity';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];
export type Platform = 'linux' | 'darwin' | 'win32';

const DESCRIPTION = 'aws-saml-sync: writes AWS CLI profiles to ~/.aws for the aws-saml-sync browser extension';

/** Where this browser looks for user-level host manifests. */
export function manifestDir(browser: Browser, platform: Platform, home: string): string {
  if (platform === 'darwin') {
    const base = join(home, 'Library', 'Application Support');
    const sub: Record<Browser, string> = {
      chrome: 'Google/Chrome/NativeMessagingHosts',
      chromium: 'Chromium/NativeMessagingHosts',
      edge: 'Microsoft Edge/NativeMessagingHosts',
      brave: 'BraveSoftware/Brave-Browser/NativeMessagingHosts',
      vivaldi: 'Vivaldi/NativeMessagingHosts',
      firefox: 'Mozilla/NativeMessagingHosts',
    };
    return join(base, sub[browser]);
  }
  if (platform === 'win32') {
    // Manifests live beside the launcher; the registry points at them.
    return join(dataDir(platform, home), 'manifests', browser);
  }
  const sub: Record<Browser, string> = {
    chrome: '.config/google-chrome/NativeMessagingHosts',
    chromium: '.config/chromium/NativeMessagingHosts',
    edge: '.config/microsoft-edge/NativeMessagingHosts',
    brave: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
    vivaldi: '.config/vivaldi/NativeMessagingHosts',
    firefox: '.mozilla/native-messaging-hosts',
  };
  return join(home, sub[browser]);
}

/** Where the host itself is installed (a copy: it must not depend on this checkout). */
export function dataDir(platform: Platform, home: string, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'aws-saml-sync');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'aws-saml-sync');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'aws-saml-sync');
}

export function hostManifest(browser: Browser, launcherPath: string): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: DESCRIPTION, path: launcherPath, type: 'stdio' };
  return browser === 'firefox' ? { ...base, allowed_extensions: [GECKO_ID] } : { ...base, allowed_origins: [CHROME_EXTENSION_ORIGIN] };
}

export function launcherScript(platform: Platform, nodePath: string, bundlePath: string): string {
  if (platform === 'win32') return `@echo off\r\n"${nodePath}" "${bundlePath}" %*\r\n`;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh\n# aws-saml-sync native messaging host (written by npm run host:install)\nexec ${q(nodePath)} ${q(bundlePath)} "$@"\n`;
}

const REGISTRY_KEYS: Record<Browser, string> = {
  chrome: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts',
  chromium: 'HKCU\\Software\\Chromium\\NativeMessagingHosts',
  edge: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
  brave: 'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts',
  vivaldi: 'HKCU\\Software\\Vivaldi\\NativeMessagingHosts',
  firefox: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts',
};

/** The `reg` command lines (argument arrays) that register or unregister a manifest on Windows. */
export function windowsRegistryCommands(browser: Browser, manifestPath: string, action: 'install' | 'uninstall'): string[][] {
  const key = `${REGISTRY_KEYS[browser]}\\${NATIVE_HOST_NAME}`;
  return action === 'install' ? [['reg', 'add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f']] : [['reg', 'delete', key, '/f']];
}

export interface InstallArgs {
  action: 'install' | 'uninstall';
  browsers: Browser[];
  manifestDir?: string;
}

export function parseArgs(argv: string[]): InstallArgs {
  const action = argv[0] === 'uninstall' ? 'uninstall' : 'install';
  let browsers: Browser[] = [...BROWSERS];
  let dir: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    if (arg.startsWith('--browser')) {
      if (!arg.includes('=')) i++;
      if (value === 'all') browsers = [...BROWSERS];
      else if ((BROWSERS as readonly string[]).includes(value ?? '')) browsers = [value as Browser];
      else throw new Error(`Unknown browser "${value}"; use one of ${BROWSERS.join(', ')} or all.`);
    } else if (arg.startsWith('--manifest-dir')) {
      if (!arg.includes('=')) i++;
      if (!value) throw new Error('--manifest-dir needs a folder.');
      dir = value;
    } else {
      throw new Error(`Unknown option "${arg}"; use --browser NAME and --manifest-dir DIR.`);
    }
  }
  if (dir && browsers.length !== 1) throw new Error('--manifest-dir needs exactly one --browser (a Chromium-family name or firefox).');
  return { action, browsers, manifestDir: dir };
}

export interface Written {
  what: string;
  path: string;
}

export async function runInstaller(args: InstallArgs, platform: Platform = process.platform as Platform, home = homedir()): Promise<Written[]> {
  const written: Written[] = [];
  const data = dataDir(platform, home);
  const launcher = join(data, platform === 'win32' ? 'aws-saml-sync-host.cmd' : 'aws-saml-sync-host');
  const installedBundle = join(data, 'aws-saml-sync-host.cjs');
  const manifestName = `${NATIVE_HOST_NAME}.json`;
  const dirs = args.browsers.map((b) => [b, args.manifestDir ?? manifestDir(b, platform, home)] as const);

  if (args.action === 'uninstall') {
    for (const [browser, dir] of dirs) {
      const path = join(dir, manifestName);
      if (existsSync(path)) {
        rmSync(path);
        written.push({ what: `removed ${browser} manifest`, path });
      }
      if (platform === 'win32' && !args.manifestDir) for (const cmd of windowsRegistryCommands(browser, path, 'uninstall')) runQuiet(cmd);
    }
    if (!args.manifestDir && args.browsers.length === BROWSERS.length && existsSync(data)) {
      rmSync(data, { recursive: true, force: true });
      written.push({ what: 'removed the helper', path: data });
    }
    return written;
  }

  const { buildHost, hostBundleIsStale, HOST_BUNDLE } = await import('./build');
  if (hostBundleIsStale()) {
    await buildHost();
    written.push({ what: 'built the helper', path: HOST_BUNDLE });
  }
  mkdirSync(data, { recursive: true, mode: 0o700 });
  copyFileSync(HOST_BUNDLE, installedBundle);
  written.push({ what: 'installed the helper', path: installedBundle });
  writeFileSync(launcher, launcherScript(platform, process.execPath, installedBundle), { mode: 0o755 });
  chmodSync(launcher, 0o755);
  written.push({ what: `launcher (runs Node ${process.version})`, path: launcher });
  for (const [browser, dir] of dirs) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, manifestName);
    writeFileSync(path, `${JSON.stringify(hostManifest(browser, launcher), null, 2)}\n`);
    written.push({ what: `${browser} host manifest`, path });
    if (platform === 'win32' && !args.manifestDir) {
      for (const cmd of windowsRegistryCommands(browser, path, 'install')) execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
      written.push({ what: `${browser} registry entry`, path: windowsRegistryCommands(browser, path, 'install')[0]![2]! });
    }
  }
  return written;
}

function runQuiet(cmd: string[]): void {
  try {
    execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
  } catch {
    // Not registered: nothing to remove.
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const written = await runInstaller(args);
    for (const w of written) console.log(`${w.what.padEnd(34)} ${w.path}`);
    if (args.action === 'install') console.log('\nDone: reload the extension (or reopen its popup) and it will find the helper.');
    else if (written.length === 0) console.log('Nothing to remove.');
  } catch (error) {
    console.error(`host:${process.argv[2] ?? 'install'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
