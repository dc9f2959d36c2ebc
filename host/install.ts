/**
 * `npm run host:install -- [--browser chrome|chromium|edge|brave|vivaldi|firefox|all] [--manifest-dir DIR]`
 * `npm run host:uninstall -- [--browser NAME|all] [--manifest-dir DIR]`
 *
 * Copies the bundled host to a per-user folder with a launcher that runs it with the Node doing the install, and
 * registers it with each browser: a host manifest in the browser's user-level folder (Linux, macOS) or under HKCU
 * in the registry (Windows). Only this extension may start it: the pinned Chrome ID, the Firefox add-on id.
 * Every path comes from the home folder (os.homedir(), so tests set HOME); the pure parts are exported for tests.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../utils/extension-identity';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];
export type Platform = 'linux' | 'darwin' | 'win32';

export const MANIFEST_FILE = `${NATIVE_HOST_NAME}.json`;
const DESCRIPTION = 'aws-saml-sync: writes AWS CLI profiles to ~/.aws for the aws-saml-sync browser extension';
/** In the per-user folder: every manifest and registry key written, so uninstall finds custom folders too. */
const RECORD_FILE = 'installed.json';

function pathFor(platform: Platform) {
  return platform === 'win32' ? win32 : posix;
}

/** Where the host itself is installed (a copy: it must not depend on this checkout). */
export function dataDir(platform: Platform, home: string, env: NodeJS.ProcessEnv = process.env): string {
  const p = pathFor(platform);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'aws-saml-sync');
  if (platform === 'win32') return p.join(env.LOCALAPPDATA || p.join(home, 'AppData', 'Local'), 'aws-saml-sync');
  return p.join(env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : p.join(home, '.local', 'share'), 'aws-saml-sync');
}

/** Where this browser looks for user-level host manifests (on Windows: where ours is kept; the registry points at it). */
export function manifestDir(browser: Browser, platform: Platform, home: string, env: NodeJS.ProcessEnv = process.env): string {
  const p = pathFor(platform);
  if (platform === 'win32') return p.join(dataDir(platform, home, env), 'manifests', browser);
  if (platform === 'darwin') {
    const sub: Record<Browser, string[]> = {
      chrome: ['Google', 'Chrome'],
      chromium: ['Chromium'],
      edge: ['Microsoft Edge'],
      brave: ['BraveSoftware', 'Brave-Browser'],
      vivaldi: ['Vivaldi'],
      firefox: ['Mozilla'],
    };
    return p.join(home, 'Library', 'Application Support', ...sub[browser], 'NativeMessagingHosts');
  }
  if (browser === 'firefox') return p.join(home, '.mozilla', 'native-messaging-hosts');
  // Chromium-family browsers keep their user data (and so these folders) under $XDG_CONFIG_HOME, else ~/.config.
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  const sub: Record<Exclude<Browser, 'firefox'>, string[]> = {
    chrome: ['google-chrome'],
    chromium: ['chromium'],
    edge: ['microsoft-edge'],
    brave: ['BraveSoftware', 'Brave-Browser'],
    vivaldi: ['vivaldi'],
  };
  return p.join(config, ...sub[browser], 'NativeMessagingHosts');
}

/** The host manifest: Chromium family by origin, Firefox by add-on id; nothing else may start the host. */
export function hostManifest(browser: Browser, launcherPath: string): Record<string, unknown> {
  const base = { name: NATIVE_HOST_NAME, description: DESCRIPTION, path: launcherPath, type: 'stdio' };
  return browser === 'firefox' ? { ...base, allowed_extensions: [GECKO_ID] } : { ...base, allowed_origins: [CHROME_EXTENSION_ORIGIN] };
}

export function launcherName(platform: Platform): string {
  return platform === 'win32' ? 'aws-saml-sync-host.cmd' : 'aws-saml-sync-host';
}

/** A launcher that runs the bundled host with this Node, passing the browser's arguments on. */
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

export function registryKey(browser: Browser): string {
  return `${REGISTRY_KEYS[browser]}\\${NATIVE_HOST_NAME}`;
}

/** The `reg` command line (an argument array, run without a shell) that registers or unregisters a manifest on Windows. */
export function windowsRegistryCommand(browser: Browser, manifestPath: string, action: 'install' | 'uninstall'): string[] {
  const key = registryKey(browser);
  return action === 'install' ? ['reg', 'add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'] : ['reg', 'delete', key, '/f'];
}

export interface InstallArgs {
  action: 'install' | 'uninstall';
  browsers: Browser[];
  manifestDir?: string;
}

export function parseArgs(argv: string[]): InstallArgs {
  const action = argv[0] === 'uninstall' ? 'uninstall' : 'install';
  let browsers: Browser[] | undefined;
  let dir: string | undefined;
  for (let i = argv[0] === 'install' || argv[0] === 'uninstall' ? 1 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[++i];
    if (flag === '--browser') {
      if (value === 'all') browsers = [...BROWSERS];
      else if ((BROWSERS as readonly string[]).includes(value ?? '')) browsers = [value as Browser];
      else throw new Error(`Unknown browser "${value ?? ''}"; use one of ${BROWSERS.join(', ')} or all.`);
    } else if (flag === '--manifest-dir') {
      if (!value) throw new Error('--manifest-dir needs a folder.');
      dir = resolve(value);
    } else {
      throw new Error(`Unknown option "${arg}"; use --browser NAME and --manifest-dir DIR.`);
    }
  }
  if (dir && browsers?.length !== 1) throw new Error('--manifest-dir needs exactly one --browser (a Chromium-family name, or firefox).');
  return { action, browsers: browsers ?? [...BROWSERS], manifestDir: dir };
}

export interface Written {
  what: string;
  path: string;
}

interface InstallRecord {
  manifests: string[];
  registry: string[];
}

function readRecord(data: string): InstallRecord {
  try {
    const r = JSON.parse(readFileSync(join(data, RECORD_FILE), 'utf8')) as Partial<InstallRecord>;
    return { manifests: r.manifests ?? [], registry: r.registry ?? [] };
  } catch {
    return { manifests: [], registry: [] };
  }
}

/** Ours: a manifest file of this host's name (never anything else in those folders). */
function isOurManifest(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === NATIVE_HOST_NAME;
  } catch {
    return false;
  }
}

export interface InstallerDeps {
  platform?: Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Runs a command line (Windows `reg`); default execFileSync without a shell. */
  run?: (command: string[]) => void;
}

function writeAtomically(path: string, text: string, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}

export async function runInstaller(args: InstallArgs, deps: InstallerDeps = {}): Promise<Written[]> {
  const platform = deps.platform ?? (process.platform as Platform);
  const home = deps.home ?? homedir();
  const env = deps.env ?? process.env;
  const run = deps.run ?? ((cmd: string[]) => void execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' }));
  const written: Written[] = [];
  const data = dataDir(platform, home, env);
  const launcher = join(data, launcherName(platform));
  const installedBundle = join(data, 'aws-saml-sync-host.cjs');
  const targets = args.browsers.map((b) => ({ browser: b, path: join(args.manifestDir ?? manifestDir(b, platform, home, env), MANIFEST_FILE) }));
  const record = readRecord(data);
  const everything = !args.manifestDir && args.browsers.length === BROWSERS.length;

  if (args.action === 'uninstall') {
    const manifests = new Set([...targets.map((t) => t.path), ...(everything ? record.manifests : [])]);
    for (const path of manifests) {
      if (!existsSync(path) || !isOurManifest(path)) continue;
      rmSync(path);
      written.push({ what: 'removed host manifest', path });
    }
    if (platform === 'win32' && !args.manifestDir) {
      for (const t of targets) {
        try {
          run(windowsRegistryCommand(t.browser, t.path, 'uninstall'));
          written.push({ what: `removed ${t.browser} registry entry`, path: registryKey(t.browser) });
        } catch {
          // Not registered: nothing to remove.
        }
      }
    }
    if (everything && existsSync(data)) {
      rmSync(data, { recursive: true, force: true });
      written.push({ what: 'removed the helper', path: data });
    } else if (existsSync(data)) {
      const left = record.manifests.filter((m) => !manifests.has(m));
      writeAtomically(join(data, RECORD_FILE), `${JSON.stringify({ ...record, manifests: left }, null, 2)}\n`, 0o600);
    }
    return written;
  }

  // Imported here: uninstalling needs neither esbuild nor the checkout's node_modules.
  const { ensureHostBuilt } = await import('./build');
  const { bundle, built } = await ensureHostBuilt();
  if (built) written.push({ what: 'built the helper (missing or stale)', path: bundle });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  copyFileSync(bundle, `${installedBundle}.tmp`);
  renameSync(`${installedBundle}.tmp`, installedBundle);
  written.push({ what: 'installed the helper', path: installedBundle });
  writeAtomically(launcher, launcherScript(platform, process.execPath, installedBundle), 0o755);
  written.push({ what: `launcher (runs Node ${process.version})`, path: launcher });
  for (const t of targets) {
    mkdirSync(dirname(t.path), { recursive: true });
    writeAtomically(t.path, `${JSON.stringify(hostManifest(t.browser, launcher), null, 2)}\n`, 0o644);
    written.push({ what: `${t.browser} host manifest`, path: t.path });
    record.manifests = [...new Set([...record.manifests, t.path])];
    if (platform === 'win32' && !args.manifestDir) {
      run(windowsRegistryCommand(t.browser, t.path, 'install'));
      written.push({ what: `${t.browser} registry entry`, path: registryKey(t.browser) });
      record.registry = [...new Set([...record.registry, registryKey(t.browser)])];
    }
  }
  writeAtomically(join(data, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, 0o600);
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const written = await runInstaller(args);
    for (const w of written) console.log(`${w.what.padEnd(36)} ${w.path}`);
    if (args.action === 'install') console.log('\nDone: reload the extension (or reopen its popup) and it will find the helper.');
    else if (written.length === 0) console.log('Nothing to remove.');
  } catch (error) {
    console.error(`host:${process.argv[2] === 'uninstall' ? 'uninstall' : 'install'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
