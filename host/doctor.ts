/**
 * `aws-saml-sync-host doctor`: one screen a person can paste into a bug report. What is installed and where, whether
 * each browser's manifest and launcher are right (and the launcher really answers a hello), the resolved ~/.aws
 * paths with owner and mode, the AWS_* variables that move them, duplicate section headers; then each problem with
 * the one command that fixes it. Exit status 1 when there is a problem (warnings alone leave it 0).
 *
 * It never prints the contents of ~/.aws (only paths, owners, modes and section names).
 */
import { spawn } from 'node:child_process';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../utils/extension-identity';
import { awsPaths } from './aws-files';
import { BROWSER_INFO, BROWSERS, dataDir, pathFor, supported, type Browser, type Platform } from './browsers';
import { encodeFrame, FrameReader } from './framing';
import { BUNDLE_FILE, CLI, launcherName, pinnedNode, readRecord, sandboxFindings, targetsFor, type RecordEntry } from './install';

export interface Finding {
  what: string;
  /** The one command (or, failing one, the one step) that fixes it. */
  fix?: string;
}

export interface DoctorReport {
  lines: string[];
  problems: Finding[];
  warnings: Finding[];
}

export interface FileInfo {
  mode: number;
  uid: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink?: boolean;
}

export interface DoctorDeps {
  platform?: Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  helperVersion: string;
  nodeVersion?: string;
  execPath?: string;
  uid?: number;
  exists?: (path: string) => boolean;
  readText?: (path: string) => string | undefined;
  stat?: (path: string) => FileInfo | undefined;
  /** Windows: the default value of a registry key (`reg query KEY /ve`), undefined when there is none. */
  readRegistry?: (key: string) => string | undefined;
  /** Starts the launcher as a browser would and sends hello: the helper's version, or one sentence of what went wrong. */
  hello?: (launcher: string, args: string[]) => Promise<{ ok: true; version: string } | { ok: false; why: string }>;
}

function defaultStat(path: string): FileInfo | undefined {
  try {
    const s = statSync(path);
    const l = lstatSync(path);
    return { mode: s.mode & 0o7777, uid: s.uid, isFile: s.isFile(), isDirectory: s.isDirectory(), isSymbolicLink: l.isSymbolicLink() };
  } catch {
    return undefined;
  }
}

function defaultReadText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Section headers that appear more than once, with their line numbers (1-based). */
export function duplicateHeaders(text: string): { header: string; lines: number[] }[] {
  const seen = new Map<string, number[]>();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (!m) return;
    const header = m[1]!.replace(/\s+/g, ' ');
    seen.set(header, [...(seen.get(header) ?? []), i + 1]);
  });
  return [...seen].filter(([, lines]) => lines.length > 1).map(([header, lines]) => ({ header, lines }));
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

export async function doctor(deps: DoctorDeps): Promise<DoctorReport> {
  const platform = deps.platform ?? (process.platform as Platform);
  const home = deps.home ?? homedir();
  const env = deps.env ?? process.env;
  const readText = deps.readText ?? defaultReadText;
  const stat = deps.stat ?? defaultStat;
  const exists = deps.exists ?? ((path: string) => stat(path) !== undefined);
  const uid = deps.uid ?? process.getuid?.();
  const hello = deps.hello ?? helloThroughLauncher;
  const p = pathFor(platform);
  const lines: string[] = [];
  const problems: Finding[] = [];
  const warnings: Finding[] = [];
  const row = (label: string, text: string) => lines.push(`${label.padEnd(13)}${text}`);

  const data = dataDir(platform, home, env);
  const record = readRecord(data, p.join, readText);
  const bundle = p.join(data, BUNDLE_FILE);
  const launcher = p.join(data, launcherName(platform));
  const bundleText = readText(bundle);
  const installedVersion = bundleText ? /HOST_VERSION = "([^"]+)"/.exec(bundleText)?.[1] ?? 'unknown version' : undefined;

  lines.push(`${CLI.replace(/^npx /, '')} doctor`, '');
  row('helper', `${deps.helperVersion} (this command)`);
  row('installed', installedVersion ? `${bundle} (${installedVersion})` : `nothing in ${data}`);
  row('node', `${deps.nodeVersion ?? process.version} ${deps.execPath ?? process.execPath} (this command)`);
  if (record.entries.length === 0 && !installedVersion) {
    problems.push({ what: 'The helper is not installed for any browser.', fix: `${CLI} install` });
  } else if (!installedVersion) {
    problems.push({ what: `The helper itself is missing (${bundle}).`, fix: `${CLI} install` });
  } else if (installedVersion !== deps.helperVersion) {
    warnings.push({ what: `The installed helper is ${installedVersion}, this command is ${deps.helperVersion}.`, fix: `${CLI} install` });
  }
  if (exists(launcher) || record.node) {
    const node = record.node;
    const nodeThere = node ? exists(node) : false;
    row('launcher', `${launcher}${exists(launcher) ? '' : ' (missing)'} runs ${node ?? 'an unknown Node'}${node ? (nodeThere ? ' (present)' : ' (GONE)') : ''}`);
    if (node && !nodeThere) problems.push({ what: `The Node.js the launcher runs is gone (${node}), so no browser can start the helper.`, fix: `${CLI} install` });
    else if (node) {
      const pin = pinnedNode(node, platform, home, exists);
      if (pin.warning) warnings.push({ what: pin.warning });
      if (pin.path !== node) warnings.push({ what: `The launcher runs ${node}; ${pin.path} would survive Node upgrades.`, fix: `${CLI} install` });
    }
  }

  // Browsers: what the record says was written, and our manifests found where a browser reads.
  lines.push('', 'browsers');
  const notSetUp: Browser[] = [];
  const launchersToTry = new Map<string, string[]>();
  for (const browser of BROWSERS.filter((b) => supported(b, platform))) {
    const family = BROWSER_INFO[browser].family;
    const recorded = record.entries.filter((e) => e.browser === browser);
    const defaults = targetsFor(browser, { platform, home, env, exists }).filter((t) => exists(t.manifest) && !recorded.some((r) => r.manifest === t.manifest && r.registry === t.registry));
    const entries: RecordEntry[] = [...recorded, ...defaults];
    if (entries.length === 0) {
      notSetUp.push(browser);
      continue;
    }
    const shown = new Set<string>();
    for (const entry of entries) {
      const key = `${entry.manifest}|${entry.registry ?? ''}`;
      if (shown.has(key)) continue;
      shown.add(key);
      const fix = `${CLI} install --browser ${browser}`;
      const label = `  ${browser}${entry.flatpak ? ' (Flatpak)' : ''}`;
      if (platform === 'win32' && entry.registry) {
        const value = deps.readRegistry?.(entry.registry);
        lines.push(`${label.padEnd(20)}${entry.registry} -> ${value ?? '(no such key)'}`);
        if (value === undefined) problems.push({ what: `${BROWSER_INFO[browser].label}'s registry entry ${entry.registry} is missing.`, fix });
        else if (value.toLowerCase() !== entry.manifest.toLowerCase()) problems.push({ what: `${entry.registry} points at ${value}, not at ${entry.manifest}.`, fix });
      }
      const text = readText(entry.manifest);
      if (text === undefined) {
        lines.push(`${label.padEnd(20)}${entry.manifest} MISSING`);
        problems.push({ what: `The ${browser} host manifest is missing (${entry.manifest}).`, fix });
        continue;
      }
      let manifest: { name?: unknown; path?: unknown; allowed_origins?: unknown; allowed_extensions?: unknown };
      try {
        manifest = JSON.parse(text) as typeof manifest;
      } catch {
        lines.push(`${label.padEnd(20)}${entry.manifest} (not JSON)`);
        problems.push({ what: `The ${browser} host manifest is not valid JSON (${entry.manifest}).`, fix });
        continue;
      }
      const allowed = family === 'firefox' ? manifest.allowed_extensions : manifest.allowed_origins;
      const expected = family === 'firefox' ? GECKO_ID : CHROME_EXTENSION_ORIGIN;
      const target = typeof manifest.path === 'string' ? manifest.path : '';
      const info = target ? stat(target) : undefined;
      const executable = info?.isFile && (platform === 'win32' || (info.mode & 0o111) !== 0);
      lines.push(`${label.padEnd(20)}${entry.manifest}`);
      lines.push(`${''.padEnd(20)}allows ${JSON.stringify(allowed)}; launcher ${target || '(none)'} ${!info ? '(MISSING)' : executable ? '(executable)' : '(NOT EXECUTABLE)'}`);
      if (manifest.name !== NATIVE_HOST_NAME || !Array.isArray(allowed) || allowed.length !== 1 || allowed[0] !== expected) {
        problems.push({ what: `The ${browser} host manifest does not allow this extension (${expected}) only: ${entry.manifest}.`, fix });
      }
      if (!info) problems.push({ what: `The launcher named by the ${browser} manifest is missing (${target}).`, fix });
      else if (!executable) problems.push({ what: `The launcher ${target} is not executable, so ${BROWSER_INFO[browser].label} cannot start it.`, fix: `chmod +x ${shellArg(target)}` });
      else if (!entry.flatpak) launchersToTry.set(target, family === 'firefox' ? [entry.manifest, GECKO_ID] : [CHROME_EXTENSION_ORIGIN]);
    }
  }
  if (notSetUp.length > 0) lines.push(`  not set up: ${notSetUp.join(', ')}`);
  for (const [path, args] of launchersToTry) {
    const answer = await hello(path, args);
    lines.push(`  ${path}: ${answer.ok ? `answers hello (helper ${answer.version})` : `does not answer: ${answer.why}`}`);
    if (!answer.ok) problems.push({ what: `The launcher ${path} does not start the helper (${answer.why}).`, fix: `${CLI} install` });
  }
  if (platform === 'linux') {
    for (const b of BROWSERS) {
      for (const f of sandboxFindings(b, home, exists, readText)) {
        if (f.kind === 'snap' && f.works) warnings.push({ what: f.message, fix: f.fix });
        else if (!f.works) warnings.push({ what: f.message, fix: f.fix });
      }
    }
  }

  // ~/.aws
  lines.push('', '~/.aws');
  const paths = awsPaths(env, { home, platform });
  const folders = new Set([p.dirname(paths.credentialsFile), p.dirname(paths.configFile)]);
  const describe = (path: string, info: FileInfo | undefined) =>
    !info ? 'missing (the first sync creates it)' : platform === 'win32' ? 'present' : `owner ${info.uid}${info.uid === uid ? ' (you)' : ''}  mode ${octal(info.mode)}${info.isSymbolicLink ? '  (a symlink)' : ''}`;
  for (const [label, file] of [
    ['credentials', paths.credentialsFile],
    ['config', paths.configFile],
  ] as const) {
    const info = stat(file);
    lines.push(`  ${label.padEnd(13)}${file}  ${describe(file, info)}`);
    if (!info || platform === 'win32') continue;
    if (!info.isFile) problems.push({ what: `${file} is not a regular file.`, fix: `mv ${shellArg(file)} ${shellArg(`${file}.moved-aside`)}` });
    if (uid !== undefined && info.uid !== uid) problems.push({ what: `${file} belongs to user ${info.uid}, not to you (${uid}), so the helper cannot replace it.`, fix: `sudo chown "$(id -u):$(id -g)" ${shellArg(file)}` });
    if (info.mode & 0o077) problems.push({ what: `${file} can be read by other users (mode ${octal(info.mode)}); it holds keys.`, fix: `chmod 600 ${shellArg(file)}` });
  }
  for (const folder of folders) {
    const info = stat(folder);
    lines.push(`  ${'folder'.padEnd(13)}${folder}  ${describe(folder, info)}`);
    if (!info || platform === 'win32') continue;
    if (uid !== undefined && info.uid !== uid) problems.push({ what: `${folder} belongs to user ${info.uid}, not to you (${uid}).`, fix: `sudo chown "$(id -u):$(id -g)" ${shellArg(folder)}` });
    if (info.mode & 0o022) problems.push({ what: `${folder} can be written by other users (mode ${octal(info.mode)}), so they could replace your credentials.`, fix: `chmod 700 ${shellArg(folder)}` });
  }
  const set = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE'].filter((k) => env[k]);
  lines.push(`  ${'environment'.padEnd(13)}${set.length ? set.map((k) => `${k}=${env[k]}`).join('  ') : 'AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, AWS_PROFILE not set'}`);
  if (env.AWS_SHARED_CREDENTIALS_FILE || env.AWS_CONFIG_FILE) {
    warnings.push({
      what: 'AWS_SHARED_CREDENTIALS_FILE/AWS_CONFIG_FILE are set in this shell; the helper uses the environment the browser was started with, which may not have them (the popup shows the paths the helper really writes).',
    });
  }
  const dupes: string[] = [];
  for (const file of new Set([paths.credentialsFile, paths.configFile])) {
    for (const d of duplicateHeaders(readText(file) ?? '')) {
      dupes.push(`[${d.header}] in ${file} (lines ${d.lines.join(', ')})`);
      problems.push({
        what: `${file} has the section [${d.header}] ${d.lines.length} times (lines ${d.lines.join(', ')}); the AWS CLI merges them and the helper updates only the first.`,
        fix: `edit ${shellArg(file)} and keep one [${d.header}] section`,
      });
    }
  }
  lines.push(`  ${'duplicates'.padEnd(13)}${dupes.length ? dupes.join('; ') : 'none'}`);
  return { lines, problems, warnings };
}

function shellArg(s: string): string {
  return /^[\w@%+=:,./~-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatDoctor(report: DoctorReport): string {
  const out = [...report.lines, ''];
  if (report.problems.length === 0) out.push('No problems found.');
  else {
    out.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
    report.problems.forEach((f, i) => {
      out.push(`  ${i + 1}. ${f.what}`);
      if (f.fix) out.push(`     fix: ${f.fix}`);
    });
  }
  if (report.warnings.length > 0) {
    out.push('', 'worth knowing:');
    for (const f of report.warnings) {
      out.push(`  - ${f.what}`);
      if (f.fix) out.push(`    ${f.fix}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Starts the launcher as a browser would (its arguments, this environment), sends hello, waits up to 10 s. */
export function helloThroughLauncher(launcher: string, args: string[]): Promise<{ ok: true; version: string } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(launcher, args, { stdio: 'pipe', shell: process.platform === 'win32' });
    } catch (error) {
      resolve({ ok: false, why: error instanceof Error ? error.message : String(error) });
      return;
    }
    const reader = new FrameReader();
    let stderr = '';
    let settled = false;
    const finish = (result: { ok: true; version: string } | { ok: false; why: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin?.end();
      setTimeout(() => child.kill(), 2000).unref();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, why: 'no answer within 10 s' }), 10_000);
    child.on('error', (error) => finish({ ok: false, why: error.message }));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => finish({ ok: false, why: `it exited with status ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}` }));
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        const reply = event.kind === 'message' ? (event.value as { ok?: boolean; body?: { hostVersion?: string } }) : undefined;
        finish(reply?.ok ? { ok: true, version: reply.body?.hostVersion ?? '?' } : { ok: false, why: 'it answered hello with an error' });
      }
    });
    child.stdin?.write(encodeFrame({ v: 1, id: 'doctor', type: 'hello', body: {} }));
  });
}
