/**
 * The popup's cost to the person: bytes it loads (minified JS and CSS from the Chrome build, target < 60 KB) and the
 * time from opening it to its first rendered state, in real Chromium with the built extension.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { report } from './measure';
import { ensureBuilt } from '../tests/support/build-global-setup';
import { launchExtensionChromium } from '../tests/support/chromium';
import { okLogin, popupState, SEED_ROLES, SEED_SETTINGS } from '../tests/support/ui-fixtures';
import { pageBackgroundScript } from '../tests/support/ui-page-background';

const RUNS = 10;

/** Every file popup.html loads: its scripts, stylesheets and module preloads, and the chunks those JS files import. */
export function popupFiles(outDir: string): string[] {
  const html = readFileSync(join(outDir, 'popup.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = posix.normalize(queue.shift()!);
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(outDir, file), 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(posix.join(posix.dirname(file), m[1]!));
    }
  }
  return [...seen];
}

export default async function popupBench(): Promise<void> {
  const outDir = ensureBuilt('chrome');
  const files = popupFiles(outDir);
  const bytes = files.reduce((sum, f) => sum + statSync(join(outDir, f)).size, 0);
  const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(outDir, f))).length, 0);
  report(`popup bundle, minified JS + CSS (${files.length} files)`, bytes / 1024, 'KB', { max: 60 });
  report('popup bundle, gzipped (for reference)', gzipped / 1024, 'KB');

  const browser = await launchExtensionChromium({ extensionDir: outDir });
  try {
    await browser.serviceWorker();
    const url = `chrome-extension://${browser.extensionId}/popup.html`;
    // The real background when it answers getState, else a scripted one in the page (then only the page's own
    // work is measured, not the round trip to the service worker).
    const probe = await browser.context.newPage();
    await probe.goto(url);
    const real = await probe.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const answer = await c.runtime.sendMessage({ kind: 'request', type: 'getState', body: {} }).catch(() => undefined);
      return (answer as { ok?: boolean } | undefined)?.ok === true;
    });
    await probe.close();
    const script = pageBackgroundScript({ state: popupState({ settings: SEED_SETTINGS, login: okLogin(SEED_ROLES, new Date().toISOString()) }) });

    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const page = await browser.context.newPage();
      if (!real) await page.addInitScript({ content: script });
      await page.goto(url);
      await page.waitForSelector('body[data-rendered="1"]');
      const ms = await page.evaluate(() => performance.getEntriesByName('first-render')[0]?.startTime ?? NaN);
      await page.close();
      if (i >= 2) times.push(ms); // two warm-up opens
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    report(`popup open -> first render, median of ${RUNS}${real ? '' : ' (scripted bg)'}`, median, 'ms');
    report(`popup open -> first render, slowest of ${RUNS}`, times.at(-1)!, 'ms');
  } finally {
    await browser.close();
  }
}
