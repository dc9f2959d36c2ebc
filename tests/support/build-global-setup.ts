/**
 * vitest globalSetup for the e2e project: makes sure `.output/chrome-mv3` and `.output/firefox-mv3` hold a build
 * of the current sources, building whichever is missing or older than them. `.ci/run` builds first, so there this
 * is a quick check.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['entrypoints', 'components', 'utils', 'i18n', 'locales', 'build', 'public', 'wxt.config.ts', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newestMtime(join(path, f))), st.mtimeMs);
}

export function ensureBuilt(browser: 'chrome' | 'firefox'): string {
  const outDir = join(ROOT, '.output', `${browser}-mv3`);
  const manifest = join(outDir, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (built < newest) {
    console.log(`[build] building the ${browser} extension (its sources changed since the last build)`);
    execFileSync('npx', ['wxt', 'build', '-b', browser], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return outDir;
}

export default function setup(): void {
  ensureBuilt('chrome');
  ensureBuilt('firefox');
}
