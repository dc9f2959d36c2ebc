/**
 * Launch Debian's Firefox ESR with the built extension installed as a temporary add-on, through puppeteer-core over
 * WebDriver BiDi. Everything the browser writes goes to a temporary HOME.
 *
 * - The add-on's internal UUID is pinned with `extensions.webextensions.uuids`, so its pages have a known
 *   `moz-extension://` URL.
 * - Firefox 153 lets WebDriver open `moz-extension://` pages only when started with `--remote-allow-system-access`.
 * - Firefox cannot remap ports: `network.dns.localDomains` sends the named hosts to 127.0.0.1, where a server must
 *   listen on the standard port.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../utils/extension-identity';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_UUID = '5a3f1c2e-7b64-4d0a-9e58-3c2b1a0f9d47';
export const FIREFOX_EXTENSION_BASE = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export interface FirefoxExtensionBrowser {
  browser: Browser;
  home: string;
  /** Open one of the extension's pages (e.g. `popup.html`). */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  extensionDir: string;
  /** Hosts resolved to 127.0.0.1 (each needs a server on 127.0.0.1:443). */
  localHosts?: string[];
  env?: Record<string, string>;
  /** More Firefox preferences (e.g. a proxy). */
  prefs?: Record<string, unknown>;
  beforeLaunch?: (paths: { home: string }) => void | Promise<void>;
}

export async function launchExtensionFirefox(options: FirefoxLaunchOptions): Promise<FirefoxExtensionBrowser> {
  const home = mkdtempSync(join(tmpdir(), 'aws-saml-sync-ffhome-'));
  mkdirSync(join(home, '.mozilla'), { recursive: true });
  await options.beforeLaunch?.({ home });
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    env: { ...process.env, HOME: home, ...options.env } as Record<string, string>,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      ...(options.localHosts?.length ? { 'network.dns.localDomains': options.localHosts.join(',') } : {}),
      'network.proxy.type': 0,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      ...options.prefs,
    },
  });
  // A private copy: a rebuild of .output while the browser runs must not pull files from under it.
  const extensionDir = join(home, 'extension');
  cpSync(options.extensionDir, extensionDir, { recursive: true });
  await browser.installExtension(extensionDir);
  return {
    browser,
    home,
    async openExtensionPage(path: string) {
      const page = await browser.newPage();
      // Firefox does not report the load of extension pages to WebDriver: don't wait for it, wait for the DOM.
      await page.goto(`${FIREFOX_EXTENSION_BASE}/${path}`, { waitUntil: 'domcontentloaded', timeout: 5_000 }).catch(() => undefined);
      await page.waitForFunction(() => document.readyState !== 'loading', { timeout: 20_000 });
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
