/**
 * Worker start figure, in real Chromium (Debian's, through playwright-core, temporary HOME): how long the built
 * service worker takes from the start of its script until the SAML webRequest listener is registered. Chrome
 * dispatches an event only to the listeners present when the script's first run ends, so this is the window in
 * which a sign-in POST that wakes the worker could be missed (see AWS-SAML-FACTS, Service worker lifetime).
 *
 * How, without shipping any instrumentation: the bench copies the built .output/chrome-mv3 and, in that copy
 * only, makes the manifest's service worker a small loader (WORKER_PROBE below) that notes `performance.now()`,
 * wraps `webRequest.onBeforeRequest.addListener` to note when it has returned, then runs the shipped worker script
 * (capture-first.js, which registers the listener and then loads background.js) with importScripts; each of the two
 * gets one statement in front, noting when it starts running. So the figure covers loading, compiling and running
 * the shipped scripts up to the listener, and nothing of the probe but one function call; the breakdown splits
 * loading + compiling from running, and shows when the background's bundle starts, after the listener. Between runs the worker is stopped with CDP
 * `ServiceWorker.stopAllWorkers` and woken again by a message from an extension page, as any event wakes it
 * (Chrome's code cache then warm); the first start after install is shown apart.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Worker } from 'playwright-core';
import { ensureBuilt } from '../tests/support/build-global-setup';
import { launchExtensionChromium, stopAllServiceWorkers } from '../tests/support/chromium';
import { CHROME_EXTENSION_ID } from '../utils/extension-identity';
import { report } from './measure';

const RUNS = 21;
const PROBE_FILE = 'bench-worker-probe.js';

interface Probe {
  scriptStart: number;
  bundleStart?: number;
  backgroundStart?: number;
  listenerAt?: number;
  scriptEnd?: number;
}

/** The bench copy's service worker: times in ms of the worker's own clock (performance.now()). */
const WORKER_PROBE = `// bench/worker-start.bench.ts only: never part of a build.
const probe = (self.__samlListenerBench = { scriptStart: performance.now() });
for (const event of new Set([self.chrome, self.browser].map((ns) => ns && ns.webRequest && ns.webRequest.onBeforeRequest))) {
  if (!event) continue;
  const addListener = event.addListener;
  event.addListener = function (...args) {
    const result = addListener.apply(this, args);
    probe.listenerAt ??= performance.now();
    return result;
  };
}
importScripts(WORKER_SCRIPT);
probe.scriptEnd = performance.now();
`;

function probedCopy(builtDir: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'aws-saml-sync-worker-bench-'));
  cpSync(builtDir, dir, { recursive: true });
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { background: { service_worker: string } };
  const worker = manifest.background.service_worker;
  if (!worker || !existsSync(join(dir, worker)) || !existsSync(join(dir, 'background.js'))) throw new Error('the built manifest names no worker script');
  manifest.background.service_worker = PROBE_FILE;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  writeFileSync(join(dir, PROBE_FILE), WORKER_PROBE.replace('WORKER_SCRIPT', JSON.stringify(worker)));
  const mark = (file: string, what: keyof Probe) =>
    writeFileSync(join(dir, file), `self.__samlListenerBench.${what} ??= performance.now();\n${readFileSync(join(dir, file), 'utf8')}`);
  mark(worker, 'bundleStart');
  if (worker !== 'background.js') mark('background.js', 'backgroundStart');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The probe of the worker run whose time origin is not `previous` (Playwright keeps one Worker across restarts). */
async function readProbe(worker: Worker, previous?: number): Promise<Required<Probe> & { timeOrigin: number }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = await worker
      .evaluate(() => ({ timeOrigin: performance.timeOrigin, ...(globalThis as { __samlListenerBench?: Probe }).__samlListenerBench }))
      .catch(() => undefined); // between a stop and the next start
    if (run && run.timeOrigin !== previous && run.listenerAt !== undefined && run.scriptEnd !== undefined) {
      return run as Required<Probe> & { timeOrigin: number };
    }
    if (Date.now() > deadline) throw new Error(`the worker did not restart and register its SAML listener (${JSON.stringify(run)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stops the worker, then wakes it the way any event does: a message from one of the extension's pages. */
async function restartWorker(context: BrowserContext): Promise<void> {
  await stopAllServiceWorkers(context);
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${CHROME_EXTENSION_ID}/options.html`);
    await page.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      await c.runtime.sendMessage({ kind: 'request', type: 'exportSettings', body: {} });
    });
  } finally {
    await page.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export default async function workerStartBench(): Promise<void> {
  const copy = probedCopy(ensureBuilt('chrome'));
  const browser = await launchExtensionChromium({ extensionDir: copy.dir });
  try {
    const worker = await browser.serviceWorker();
    const first = await readProbe(worker);
    const toListener: number[] = [];
    const toEnd: number[] = [];
    const compile: number[] = [];
    const backgroundAt: number[] = [];
    let previous = first.timeOrigin;
    for (let i = 0; i < RUNS; i++) {
      await restartWorker(browser.context);
      const probe = await readProbe(worker, previous);
      previous = probe.timeOrigin;
      toListener.push(probe.listenerAt - probe.scriptStart);
      toEnd.push(probe.scriptEnd - probe.scriptStart);
      compile.push(probe.bundleStart - probe.scriptStart);
      backgroundAt.push(probe.backgroundStart - probe.scriptStart);
    }
    console.log(`  (the built worker in Chromium, restarted ${RUNS} times; timed by a bench-only loader, see bench/worker-start.bench.ts)`);
    report(`worker script start -> SAML listener registered (median of ${RUNS})`, median(toListener), 'ms', { max: 20 });
    console.log(`  runs: ${toListener.map((t) => t.toFixed(1)).join(', ')} ms`);
    report('  of which loading + compiling the worker script (median)', median(compile), 'ms');
    report('  of which running it up to the listener (median)', median(toListener.map((t, i) => t - compile[i]!)), 'ms');
    report('script start -> listener, fastest run (least machine load)', Math.min(...toListener), 'ms');
    report('script start -> background.js starting, after the listener (median, for reference)', median(backgroundAt), 'ms');
    report('script start -> listener, first start after install (reference)', first.listenerAt - first.scriptStart, 'ms');
    report('script start -> background.js starting, first start after install (reference)', first.backgroundStart - first.scriptStart, 'ms');
    report('worker script start -> end of its first run (median, for reference)', median(toEnd), 'ms');
  } finally {
    await browser.close();
    copy.remove();
  }
}
