/**
 * Launch Debian's Chromium with the built extension loaded, through playwright-core. Everything the browser
 * writes goes to a temporary HOME and profile; hosts can be mapped to local servers.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { CHROME_EXTENSION_ID } from '../../utils/extension-identity';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  home: string;
  userDataDir: string;
  /** The extension's service worker, waiting for it to start if needed. */
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
  /** Quit the browser but keep HOME and the profile, to start it again with `reuseHome`. */
  quit(): Promise<void>;
}

export interface LaunchOptions {
  extensionDir: string;
  /** hostname -> `127.0.0.1:PORT` */
  hostMap?: Record<string, string>;
  /** Extra environment for the browser (and so for the native host it starts). */
  env?: Record<string, string>;
  /** The browser's UI language ("zh-CN"), which the extension's pages speak; default the machine's (English). */
  lang?: string;
  /** Show the window (needs a display); default headless. */
  headed?: boolean;
  /** Called with the profile folder before launch (e.g. to install a native host manifest into it). */
  beforeLaunch?: (paths: { home: string; userDataDir: string }) => void | Promise<void>;
  /** Start again on this HOME and profile (a browser restart with the extension installed); default: new ones. */
  reuseHome?: string;
  /**
   * Wait until the background answers before handing the browser over (default true). False: the caller acts in
   * the first instant, as a person who signs in right after installing or starting the browser.
   */
  waitForBackground?: boolean;
}

/** Chromium on Linux takes its UI language from LANGUAGE (then LANG), as a person's desktop session sets them. */
function languageEnv(lang: string | undefined): Record<string, string> {
  if (!lang) return {};
  const posix = lang.replace('-', '_');
  return { LANGUAGE: posix, LANG: `${posix}.UTF-8` };
}

export async function launchExtensionChromium(options: LaunchOptions): Promise<ExtensionBrowser> {
  const home = options.reuseHome ?? mkdtempSync(join(tmpdir(), 'aws-saml-sync-home-'));
  const userDataDir = join(home, 'chromium-profile');
  mkdirSync(userDataDir, { recursive: true });
  // A private copy: a rebuild of .output while the browser runs must not pull files from under it.
  const extensionDir = join(home, 'extension');
  if (!options.reuseHome) cpSync(options.extensionDir, extensionDir, { recursive: true });
  await options.beforeLaunch?.({ home, userDataDir });
  const rules = Object.entries(options.hostMap ?? {})
    .map(([host, target]) => `MAP ${host} ${target}`)
    .join(', ');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false, // --headless=new below: the old headless mode does not load extensions
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...languageEnv(options.lang), ...options.env } as Record<string, string>,
    ...(options.lang ? { locale: options.lang } : {}),
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.headed ? [] : ['--headless=new']),
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-gpu',
      ...(options.lang ? [`--lang=${options.lang}`] : []),
      ...(rules ? [`--host-resolver-rules=${rules}`, '--ignore-certificate-errors'] : []),
    ],
    ignoreHTTPSErrors: true,
  });
  const serviceWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${CHROME_EXTENSION_ID}/`));
    if (existing) return existing;
    return context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith(`chrome-extension://${CHROME_EXTENSION_ID}/`),
      timeout: 30_000,
    });
  };
  if (options.waitForBackground !== false) await waitForBackground(context);
  return {
    context,
    extensionId: CHROME_EXTENSION_ID,
    home,
    userDataDir,
    serviceWorker,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
    async quit() {
      await context.close().catch(() => undefined);
    },
  };
}

/**
 * Wait until the background has run its start-up and answers a request. Chrome registers a fresh worker's
 * listeners asynchronously; a request answered after the webRequest listener was added proves that one is in
 * place too (the registrations travel in order), so a SAML POST right after launch is not missed by the test.
 */
async function waitForBackground(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${CHROME_EXTENSION_ID}/popup.html`);
    await page.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      for (let i = 0; i < 100; i++) {
        const answer = await c.runtime.sendMessage({ kind: 'request', type: 'exportSettings', body: {} }).catch(() => undefined);
        if (answer) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the extension background did not answer within 10 s');
    });
  } finally {
    await page.close();
  }
}

/**
 * Stop every service worker, as Chrome does after 30 s idle (CDP ServiceWorker.stopAllWorkers), and wait until
 * Chrome reports the extension's worker as stopped, so a test knows the next event has to start it again.
 */
export async function stopAllServiceWorkers(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    const status = new Map<string, string>();
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions) {
        if (v.scriptURL.startsWith(`chrome-extension://${CHROME_EXTENSION_ID}/`)) status.set(v.versionId, v.runningStatus);
      }
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + 10_000;
    while (status.size === 0 || [...status.values()].some((s) => s !== 'stopped')) {
      if (Date.now() > deadline) throw new Error(`the extension's service worker did not stop within 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await cdp.detach();
  } finally {
    await page.close();
  }
}

/** Read a key of the extension's session storage from one of its own pages (a trusted context). */
export async function readExtensionStorage(
  context: BrowserContext,
  area: 'session' | 'local',
  key: string,
): Promise<unknown> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${CHROME_EXTENSION_ID}/popup.html`);
    return await page.evaluate(
      async ([a, k]) => {
        const c = (globalThis as unknown as { chrome: { storage: Record<string, { get(k: string): Promise<Record<string, unknown>> }> } }).chrome;
        return (await c.storage[a]!.get(k))[k];
      },
      [area, key] as const,
    );
  } finally {
    await page.close();
  }
}

/** Write keys of the extension's storage from one of its own pages (settings a person would have saved). */
export async function writeExtensionStorage(context: BrowserContext, area: 'session' | 'local', items: Record<string, unknown>): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${CHROME_EXTENSION_ID}/popup.html`);
    await page.evaluate(
      async ([a, i]) => {
        const c = (globalThis as unknown as { chrome: { storage: Record<string, { set(i: object): Promise<void> }> } }).chrome;
        await c.storage[a]!.set(i);
      },
      [area, items] as const,
    );
  } finally {
    await page.close();
  }
}
