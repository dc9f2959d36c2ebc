/**
 * `aws-saml-sync-host install [--browser NAME|all] [--manifest-dir DIR]` and `… uninstall` (host/cli.ts; the
 * checkout's `npm run host:install` runs the same code through host/repo-cli.ts).
 *
 * Copies the bundled host to a per-user folder with a launcher that runs it with a Node that will still be there
 * tomorrow, and registers it with each browser where that browser really looks (host/browsers.ts): a host manifest
 * in its user-level folder(s) (Linux, macOS; Flatpak browsers in their own ~/.var/app folder) or under HKCU in the
 * registry (Windows). Only this extension may start it: the pinned Chrome ID, the Firefox add-on id.
 * Every path comes from the home folder (os.homedir(), so tests set HOME); the pure parts are exported for tests.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../utils/extension-identity';
import {
  BROWSER_INFO,
  BROWSERS,
  browserDataDir,
  dataDir,
  MANIFEST_FILE,
  manifestDirs,
  pathFor,
  platformName,
  registryKeys,
  STABLE_BROWSERS,
  supported,
  type Browser,
  type Family,
  type Platform,
} from './browsers';
import { MIN_NODE_MAJOR, nodeVersionProblem } from './node-version';

export { MIN_NODE_MAJOR, nodeVersionProblem } from './node-version';
export { BROWSERS, dataDir, MANIFEST_FILE, manifestDir, manifestDirs, registryKeys, type Browser, type Platform } from './browsers';

const DESCRIPTION = 'aws-saml-sync: writes AWS CLI profiles to ~/.aws for the aws-saml-sync browser extension';
/** In the per-user folder: every manifest and registry key written, so uninstall finds custom folders too. */
export const RECORD_FILE = 'installed.json';
export const BUNDLE_FILE = 'aws-saml-sync-host.cjs';
/** The command people run (README, the popup, every fix this tool suggests). */
export const CLI = 'npx aws-saml-sync-host';

/** The host manifest: Chromium family by origin, Firefox family by add-on id; nothing else may start the host. */
export function hostManifest(browser: Browser, launcherPath: string): Record<string, unknown> {
  const family: Family = BROWSER_INFO[browser].family;
  const base = { name: NATIVE_HOST_NAME, description: DESCRIPTION, path: launcherPath, type: 'stdio' };
  return family === 'firefox' ? { ...base, allowed_extensions: [GECKO_ID] } : { ...base, allowed_origins: [CHROME_EXTENSION_ORIGIN] };
}

export function launcherName(platform: Platform): string {
  return platform === 'win32' ? 'aws-saml-sync-host.cmd' : 'aws-saml-sync-host';
}

export interface PinnedNode {
  /** What the launcher runs. */
  path: string;
  /** Why this path may not last, when it may not (one sentence). */
  warning?: string;
}

/**
 * The Node the launcher should run: `process.execPath`, unless that is a versioned folder the next upgrade deletes.
 * Homebrew's `…/Cellar/node/22.3.0/bin/node` (and `node@22`, on Apple silicon `/opt/homebrew`, on Intel
 * `/usr/local`, on Linux `/home/linuxbrew/.linuxbrew`) is removed by `brew upgrade`/`brew cleanup`; its `opt/<formula>`
 * link follows the upgrade, so that is pinned when it exists. Volta's shim likewise. nvm, a cache folder (./dev.sh
 * puts its Node in ~/.cache) or npx's own cache stay pinned, with a warning: nothing stable stands for them.
 */
export function pinnedNode(execPath: string, platform: Platform, home: string, exists: (path: string) => boolean): PinnedNode {
  if (platform === 'win32') {
    if (/\\nvm\\v?\d/i.test(execPath)) return { path: execPath, warning: nvmWarning(execPath) };
    return { path: execPath };
  }
  const brew = /^(.*)\/Cellar\/(node(?:@\d+)?)\/[^/]+\/bin\/node$/.exec(execPath);
  if (brew) {
    const opt = `${brew[1]}/opt/${brew[2]}/bin/node`;
    if (exists(opt)) return { path: opt };
    return { path: execPath, warning: `Node runs from Homebrew's versioned folder ${execPath}, which the next brew upgrade deletes; after upgrading Node, run ${CLI} install again.` };
  }
  const volta = /^(.*)\/\.volta\/tools\/image\/node\/[^/]+\/bin\/node$/.exec(execPath);
  if (volta && exists(`${volta[1]}/.volta/bin/node`)) return { path: `${volta[1]}/.volta/bin/node` };
  if (/\/\.nvm\/versions\/node\//.test(execPath) || /\/fnm\/node-versions\//.test(execPath)) return { path: execPath, warning: nvmWarning(execPath) };
  const cache = posixUnder(execPath, `${home}/.cache`) || /\/_npx\//.test(execPath) || execPath.startsWith('/tmp/');
  if (cache) {
    return {
      path: execPath,
      warning: `Node runs from ${execPath}, a cache folder that may be cleared; if the helper stops starting, install Node.js ${MIN_NODE_MAJOR} for the whole system (https://nodejs.org or your package manager) and run ${CLI} install again (${CLI} doctor tells you).`,
    };
  }
  return { path: execPath };
}

function posixUnder(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

function nvmWarning(execPath: string): string {
  return `Node comes from a version manager (${execPath}); if that version is removed the helper stops starting: run ${CLI} install again with the Node you keep (${CLI} doctor tells you).`;
}

/**
 * Windows `.cmd` files are read by cmd.exe in the OEM code page (437, 850…), not UTF-8, so a path such as
 * `C:\Users\José\…` written into one is read as other characters and the launcher fails. The launcher therefore
 * holds only ASCII: the bundle beside it is found with `%~dp0` (the launcher's own folder, which cmd.exe expands
 * correctly), and a Node path under the user's folders is written with the variable cmd.exe expands at run time.
 */
export function windowsNodeReference(nodePath: string, env: NodeJS.ProcessEnv): string {
  let out = nodePath;
  for (const name of ['LOCALAPPDATA', 'APPDATA', 'USERPROFILE', 'ProgramFiles']) {
    const value = env[name];
    if (value && out.toLowerCase().startsWith(`${value.toLowerCase()}\\`)) {
      out = `%${name}%${out.slice(value.length)}`;
      break;
    }
  }
  if (/[^\x20-\x7e]/.test(out)) {
    throw new Error(
      `The path of Node.js (${nodePath}) has characters a Windows launcher cannot hold; install Node.js from https://nodejs.org (it goes to C:\\Program Files\\nodejs) and run ${CLI} install again with it.`,
    );
  }
  return out;
}

/** A launcher that runs the bundled host with the pinned Node, passing the browser's arguments on. */
export function launcherScript(platform: Platform, nodePath: string, bundlePath: string, env: NodeJS.ProcessEnv = {}): string {
  if (platform === 'win32') {
    const node = windowsNodeReference(nodePath, env);
    return `@echo off\r\nrem aws-saml-sync native messaging host (written by aws-saml-sync-host install)\r\nif not exist "${node}" (\r\n  echo aws-saml-sync: the Node.js this helper was installed with is gone; run ${CLI} install again. 1>&2\r\n  exit /b 127\r\n)\r\n"${node}" "%~dp0${BUNDLE_FILE}" %*\r\n`;
  }
  const q = shellQuote;
  return [
    '#!/bin/sh',
    '# aws-saml-sync native messaging host (written by aws-saml-sync-host install)',
    `node=${q(nodePath)}`,
    'if [ ! -x "$node" ]; then',
    `  echo "aws-saml-sync: the Node.js this helper was installed with ($node) is gone; run ${CLI} install again." >&2`,
    '  exit 127',
    'fi',
    `exec "$node" ${q(bundlePath)} "$@"`,
    '',
  ].join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Inside a Flatpak browser's sandbox there is no Node and our data folder is out of sight: this launcher (kept in
 * the app's own ~/.var/app folder, which the sandbox sees) runs the real one on the host with flatpak-spawn.
 */
export function flatpakLauncherScript(hostLauncher: string): string {
  return `#!/bin/sh\n# aws-saml-sync: runs the helper outside this Flatpak browser's sandbox (written by aws-saml-sync-host install)\nexec flatpak-spawn --host ${shellQuote(hostLauncher)} "$@"\n`;
}

/** The `reg` command line (an argument array, run without a shell) that registers or unregisters a manifest on Windows. */
export function windowsRegistryCommand(key: string, manifestPath: string, action: 'install' | 'uninstall'): string[] {
  return action === 'install' ? ['reg', 'add', key, '/ve', '/t', 'REG_SZ', '/d', manifestPath, '/f'] : ['reg', 'delete', key, '/f'];
}

export type BrowserChoice = Browser[] | 'all' | 'found';

export interface InstallArgs {
  action: 'install' | 'uninstall';
  /** 'found': the browsers this person has (install's default); 'all': every one this platform has (uninstall's default). */
  browsers: BrowserChoice;
  manifestDir?: string;
}

export function parseArgs(argv: string[]): InstallArgs {
  const action = argv[0] === 'uninstall' ? 'uninstall' : 'install';
  let browsers: BrowserChoice | undefined;
  let dir: string | undefined;
  for (let i = argv[0] === 'install' || argv[0] === 'uninstall' ? 1 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--browser') {
      const value = inline ?? argv[++i];
      if (value === 'all') browsers = 'all';
      else if ((BROWSERS as readonly string[]).includes(value ?? '')) browsers = [...(Array.isArray(browsers) ? browsers : []), value as Browser];
      else throw new Error(`Unknown browser "${value ?? ''}"; use one of ${BROWSERS.join(', ')} or all.`);
    } else if (flag === '--manifest-dir') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error('--manifest-dir needs a folder.');
      dir = resolve(value);
    } else {
      throw new Error(`Unknown option "${arg}"; use --browser NAME and --manifest-dir DIR.`);
    }
  }
  if (dir && !(Array.isArray(browsers) && browsers.length === 1)) throw new Error('--manifest-dir needs exactly one --browser (a Chromium-family name, or firefox).');
  return { action, browsers: browsers ?? (action === 'install' ? 'found' : 'all'), manifestDir: dir };
}

export interface Written {
  what: string;
  path: string;
}

export interface InstallResult {
  written: Written[];
  /** Sentences to show after the list: what cannot work and what to do instead, a Node that may not last. */
  notes: string[];
}

/** One place a manifest was written for a browser. */
export interface RecordEntry {
  browser?: Browser;
  manifest: string;
  /** Windows: the HKCU key whose default value is `manifest`. */
  registry?: string;
  /** Flatpak: the app id, and the launcher written inside its folder. */
  flatpak?: string;
  launcher?: string;
  /** The first folder install created for the manifest, and for the Flatpak launcher (removed again on uninstall when empty). */
  created?: string;
  launcherCreated?: string;
}

export interface InstallRecord {
  version: 2;
  /** The Node the launcher runs. */
  node?: string;
  helperVersion?: string;
  /** The first folder install created for the data folder itself. */
  created?: string;
  entries: RecordEntry[];
}

export function readRecord(data: string, join = pathFor(process.platform as Platform).join, read: (path: string) => string | undefined = defaultReadText): InstallRecord {
  try {
    const r = JSON.parse(read(join(data, RECORD_FILE)) ?? '') as Partial<InstallRecord> & { manifests?: string[] };
    // Version 1 (before the package) kept a bare list of manifest paths.
    const entries = Array.isArray(r.entries) ? r.entries : (r.manifests ?? []).map((manifest) => ({ manifest }));
    return { version: 2, node: r.node, helperVersion: r.helperVersion, created: r.created, entries };
  } catch {
    return { version: 2, entries: [] };
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

export interface SandboxFinding {
  browser: Browser;
  kind: 'snap' | 'flatpak';
  id: string;
  /** Can the helper work there (perhaps after `fix`)? */
  works: boolean;
  /** One sentence: what happens there, and what to do. */
  message: string;
  /** The one command that fixes it, when there is one. */
  fix?: string;
}

const PERMISSION_STORE =
  'gdbus call --session --dest org.freedesktop.impl.portal.PermissionStore --object-path /org/freedesktop/impl/portal/PermissionStore --method org.freedesktop.impl.portal.PermissionStore.DeletePermission webextensions org.aws_saml_sync.host snap.firefox';

/** Does this Flatpak app have the override that lets it run flatpak-spawn --host? (`flatpak override` writes this file.) */
export function flatpakMaySpawn(id: string, home: string, readText: (path: string) => string | undefined): boolean {
  for (const file of [`${home}/.local/share/flatpak/overrides/${id}`, `/var/lib/flatpak/overrides/${id}`]) {
    if (/^\s*org\.freedesktop\.Flatpak\s*=\s*talk\s*$/m.test(readText(file) ?? '')) return true;
  }
  return false;
}

/**
 * Linux only: the Snap and Flatpak builds of this browser that this person has, and whether the helper can work
 * there. A snap is there when `/snap/bin/<name>` or `~/snap/<name>` is; a Flatpak when `~/.var/app/<id>` is.
 */
export function sandboxFindings(browser: Browser, home: string, exists: (path: string) => boolean, readText: (path: string) => string | undefined): SandboxFinding[] {
  const info = BROWSER_INFO[browser];
  const found: SandboxFinding[] = [];
  if (info.snap && (exists(`/snap/bin/${info.snap.name}`) || exists(`${home}/snap/${info.snap.name}`))) {
    found.push(
      info.snap.works
        ? {
            browser,
            kind: 'snap',
            id: info.snap.name,
            works: true,
            message: `${info.label} from Snap starts the helper through the desktop's WebExtensions portal: the first time, it asks whether to let aws-saml-sync run — choose Allow. A refusal is remembered; to be asked again, run the command below.`,
            fix: PERMISSION_STORE,
          }
        : {
            browser,
            kind: 'snap',
            id: info.snap.name,
            works: false,
            message: `${info.label} from Snap cannot start native helpers at all (its confinement forbids it), so it will never find this one; use ${info.label} from your distribution's packages or from its vendor instead of the snap (or another browser), then run ${CLI} install.`,
          },
    );
  }
  for (const flatpak of info.flatpak ?? []) {
    if (!exists(`${home}/.var/app/${flatpak.id}`)) continue;
    const may = flatpakMaySpawn(flatpak.id, home, readText);
    found.push({
      browser,
      kind: 'flatpak',
      id: flatpak.id,
      works: may,
      message: may
        ? `${info.label} from Flatpak (${flatpak.id}) runs the helper outside its sandbox with flatpak-spawn, which it is allowed to.`
        : `${info.label} from Flatpak (${flatpak.id}) runs helpers inside its sandbox, where there is no Node: the manifest written in its folder hands over to the helper outside with flatpak-spawn, which the browser may do only once you allow it (this lets that browser run any program outside its sandbox; if that is too much, use a non-Flatpak build).`,
      fix: may ? undefined : `flatpak override --user --talk-name=org.freedesktop.Flatpak ${flatpak.id}`,
    });
  }
  return found;
}

export interface InstallerDeps {
  platform?: Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** The Node running the install (default process.execPath / process.versions.node). */
  execPath?: string;
  nodeVersion?: string;
  /** The helper's version, written in the record for doctor. */
  helperVersion?: string;
  /** Runs a command line (Windows `reg`); default execFileSync without a shell. */
  run?: (command: string[]) => void;
  exists?: (path: string) => boolean;
  readText?: (path: string) => string | undefined;
  /** The bundled host to copy (the package's own file, or the checkout's build). Needed by install only. */
  hostBundle?: () => Promise<{ bundle: string; built: boolean }>;
}

function writeAtomically(path: string, text: string, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}

function defaultReadText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The browsers to act on: the ones named, every one this platform has, or the ones this person uses. */
export function chooseBrowsers(choice: BrowserChoice, platform: Platform, home: string, env: NodeJS.ProcessEnv, exists: (path: string) => boolean): Browser[] {
  if (Array.isArray(choice)) {
    for (const b of choice) {
      if (!supported(b, platform)) throw new Error(`${BROWSER_INFO[b].label} has no ${platformName(platform)} version; choose another --browser.`);
    }
    return choice;
  }
  const here = BROWSERS.filter((b) => supported(b, platform));
  if (choice === 'all') return here;
  const found = here.filter((b) => {
    const data = browserDataDir(b, platform, home, env);
    if (data && exists(data)) return true;
    if (platform !== 'linux') return false;
    const info = BROWSER_INFO[b];
    return (info.flatpak ?? []).some((f) => exists(`${home}/.var/app/${f.id}`)) || Boolean(info.snap && exists(`/snap/bin/${info.snap.name}`));
  });
  return found.length > 0 ? found : STABLE_BROWSERS.filter((b) => supported(b, platform));
}

interface Target extends RecordEntry {
  browser: Browser;
}

/** Every place a browser reads: one manifest per folder (and per Flatpak), on Windows one registry key each. */
export function targetsFor(browser: Browser, ctx: { platform: Platform; home: string; env: NodeJS.ProcessEnv; manifestDir?: string; exists: (path: string) => boolean }): Target[] {
  const { platform, home, env } = ctx;
  const p = pathFor(platform);
  if (platform === 'win32') {
    const dir = ctx.manifestDir ?? manifestDirs(browser, platform, home, env)[0]!;
    return registryKeys(browser).map((registry) => ({ browser, manifest: p.join(dir, MANIFEST_FILE), registry }));
  }
  if (ctx.manifestDir) return [{ browser, manifest: p.join(ctx.manifestDir, MANIFEST_FILE) }];
  const targets: Target[] = manifestDirs(browser, platform, home, env).map((dir) => ({ browser, manifest: p.join(dir, MANIFEST_FILE) }));
  if (platform === 'linux') {
    for (const flatpak of BROWSER_INFO[browser].flatpak ?? []) {
      const app = p.join(home, '.var', 'app', flatpak.id);
      if (!ctx.exists(app)) continue;
      targets.push({
        browser,
        manifest: p.join(app, ...flatpak.dir, MANIFEST_FILE),
        flatpak: flatpak.id,
        launcher: p.join(app, 'data', 'aws-saml-sync', launcherName(platform)),
      });
    }
  }
  return targets;
}

export async function runInstaller(args: InstallArgs, deps: InstallerDeps = {}): Promise<InstallResult> {
  const platform = deps.platform ?? (process.platform as Platform);
  const home = deps.home ?? homedir();
  const env = deps.env ?? process.env;
  const exists = deps.exists ?? existsSync;
  const readText = deps.readText ?? defaultReadText;
  const run = deps.run ?? ((cmd: string[]) => void execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' }));
  const p = pathFor(platform);
  const written: Written[] = [];
  const notes: string[] = [];
  const data = dataDir(platform, home, env);
  const launcher = p.join(data, launcherName(platform));
  const installedBundle = p.join(data, BUNDLE_FILE);
  const browsers = chooseBrowsers(args.browsers, platform, home, env, exists);
  const targets = browsers.flatMap((browser) => targetsFor(browser, { platform, home, env, manifestDir: args.manifestDir, exists }));
  const record = readRecord(data, p.join);

  if (args.action === 'uninstall') {
    const everything = !args.manifestDir && !Array.isArray(args.browsers);
    // Without --manifest-dir, every place recorded for these browsers (custom folders too); with it, that folder only.
    const isDropped = (e: RecordEntry) =>
      everything ||
      targets.some((t) => t.manifest === e.manifest && (!e.browser || t.browser === e.browser)) ||
      (!args.manifestDir && e.browser !== undefined && browsers.includes(e.browser));
    const remaining = record.entries.filter((e) => !isDropped(e));
    const dropped = [...targets, ...record.entries.filter(isDropped)];
    // A folder or key another browser still uses stays (Brave on macOS reads Chrome's folder; on Windows most of
    // the Chromium family reads Chrome's key).
    const stillUsed = (pick: (e: RecordEntry) => string | undefined, value: string) => remaining.some((e) => pick(e) === value);
    const seen = new Set<string>();
    /** Folders install made, to remove once empty: (folder, the first one install created above it). */
    const emptied: [string, string][] = [];
    for (const entry of dropped) {
      if (!seen.has(entry.manifest) && !stillUsed((e) => e.manifest, entry.manifest)) {
        if (exists(entry.manifest) && isOurManifest(entry.manifest)) {
          rmSync(entry.manifest);
          written.push({ what: 'removed host manifest', path: entry.manifest });
        }
        // Also when the manifest was already gone: the folders install made for it are ours to remove.
        const created = [...dropped, ...record.entries].find((e) => e.manifest === entry.manifest && e.created)?.created;
        if (created) emptied.push([p.dirname(entry.manifest), created]);
      }
      seen.add(entry.manifest);
      if (entry.launcher && !seen.has(entry.launcher) && !stillUsed((e) => e.launcher, entry.launcher) && exists(entry.launcher)) {
        rmSync(entry.launcher);
        const created = [...dropped, ...record.entries].find((e) => e.launcher === entry.launcher && e.launcherCreated)?.launcherCreated;
        if (created) emptied.push([p.dirname(entry.launcher), created]);
        written.push({ what: `removed ${entry.flatpak ? `${entry.flatpak} ` : ''}launcher`, path: entry.launcher });
        seen.add(entry.launcher);
      }
      if (platform === 'win32' && entry.registry && !seen.has(entry.registry) && !stillUsed((e) => e.registry, entry.registry)) {
        seen.add(entry.registry);
        try {
          run(windowsRegistryCommand(entry.registry, entry.manifest, 'uninstall'));
          written.push({ what: 'removed registry entry', path: entry.registry });
        } catch {
          // Not registered: nothing to remove.
        }
      }
    }
    // Twice: folders shared by two browsers (BraveSoftware/) are empty only once both are gone.
    for (let pass = 0; pass < 2; pass++) for (const [folder, top] of emptied) removeEmptyFolders(folder, top, p);
    if (everything && exists(data)) {
      rmSync(data, { recursive: true, force: true });
      written.push({ what: 'removed the helper', path: data });
      if (record.created) removeEmptyFolders(p.dirname(data), record.created, p);
    } else if (exists(data)) {
      writeAtomically(p.join(data, RECORD_FILE), `${JSON.stringify({ ...record, entries: remaining }, null, 2)}\n`, 0o600);
    }
    return { written, notes };
  }

  const tooOld = nodeVersionProblem(deps.nodeVersion ?? process.versions.node);
  if (tooOld) throw new Error(tooOld);
  const node = pinnedNode(deps.execPath ?? process.execPath, platform, home, exists);
  // Before anything is written: a Windows path the launcher cannot hold is refused here.
  const launcherText = launcherScript(platform, node.path, installedBundle, env);
  if (!deps.hostBundle) throw new Error('internal: no helper bundle to install');
  const { bundle, built } = await deps.hostBundle();
  if (built) written.push({ what: 'built the helper (missing or stale)', path: bundle });
  const createdData = mkdirSync(data, { recursive: true, mode: 0o700 });
  record.created ??= createdData;
  copyFileSync(bundle, `${installedBundle}.tmp`);
  renameSync(`${installedBundle}.tmp`, installedBundle);
  written.push({ what: 'installed the helper', path: installedBundle });
  writeAtomically(launcher, launcherText, 0o755);
  written.push({ what: `launcher (runs ${node.path})`, path: launcher });
  if (node.warning) notes.push(node.warning);

  const done = new Set<string>();
  for (const t of targets) {
    if (t.launcher && !done.has(t.launcher)) {
      const created = mkdirSync(p.dirname(t.launcher), { recursive: true, mode: 0o700 });
      const earlier = record.entries.find((e) => e.launcher === t.launcher)?.launcherCreated;
      if (earlier ?? created) t.launcherCreated = earlier ?? created;
      writeAtomically(t.launcher, flatpakLauncherScript(launcher), 0o755);
      written.push({ what: `${t.flatpak} launcher (flatpak-spawn)`, path: t.launcher });
      done.add(t.launcher);
    }
    if (!done.has(t.manifest)) {
      const created = mkdirSync(p.dirname(t.manifest), { recursive: true });
      const earlier = record.entries.find((e) => e.manifest === t.manifest)?.created;
      if (earlier ?? created) t.created = earlier ?? created;
      writeAtomically(t.manifest, `${JSON.stringify(hostManifest(t.browser, t.launcher ?? launcher), null, 2)}\n`, 0o644);
      written.push({ what: `${t.flatpak ? `${t.browser} (Flatpak)` : t.browser} host manifest`, path: t.manifest });
      done.add(t.manifest);
    }
    if (platform === 'win32' && t.registry) {
      run(windowsRegistryCommand(t.registry, t.manifest, 'install'));
      written.push({ what: `${t.browser} registry entry`, path: t.registry });
    }
    record.entries = [...record.entries.filter((e) => !(e.browser === t.browser && e.manifest === t.manifest && e.registry === t.registry)), t];
  }
  if (platform === 'linux') {
    for (const b of browsers) {
      for (const f of sandboxFindings(b, home, exists, readText)) notes.push(f.fix ? `${f.message}\n    ${f.fix}` : f.message);
    }
  }
  record.node = node.path;
  record.helperVersion = deps.helperVersion;
  writeAtomically(p.join(data, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, 0o600);
  return { written, notes };
}

/** Removes `folder` and its parents while they are empty, up to and including `top` (the first folder install made). */
function removeEmptyFolders(folder: string, top: string, p: ReturnType<typeof pathFor>): void {
  for (let dir = folder; dir === top || dir.startsWith(`${top}${p.sep}`); dir = p.dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch (error) {
      // Already gone (an earlier pass): go on with its parent.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    if (dir === top) return;
  }
}
