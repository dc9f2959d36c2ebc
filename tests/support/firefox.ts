/**
 * Launch Debian's Firefox ESR with the built extension installed as a temporary add-on, through puppeteer-core over
 * WebDriver BiDi. Everything the browser writes goes to a temporary HOME.
 *
 * - Or installed for good (`permanent`), in a profile kept in HOME, to start Firefox again on it (`reuseHome`): BiDi's
 *   `webExtension.install` with Firefox's `moz:permanent`, from an .xpi (it takes no unpacked folder). Unsigned, which
 *   ESR allows with `xpinstall.signatures.required` off (release Firefox ignores that pref).
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
import { waitUntil } from './wait';
import { writeXpi } from './xpi';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_UUID = '5a3f1c2e-7b64-4d0a-9e58-3c2b1a0f9d47';
export const FIREFOX_EXTENSION_BASE = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export interface FirefoxExtensionBrowser {
  browser: Browser;
  home: string;
  /** Open one of the extension's pages (e.g. `popup.html`). */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
  /** Quit the browser but keep HOME. */
  quit(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  extensionDir: string;
  /** Hosts resolved to 127.0.0.1 (each needs a server on 127.0.0.1:443). */
  localHosts?: string[];
  env?: Record<string, string>;
  /** More Firefox preferences (e.g. a proxy). */
  prefs?: Record<string, unknown>;
  beforeLaunch?: (paths: { home: string }) => void | Promise<void>;
  /**
   * Install the extension as a permanent add-on, in a profile kept in HOME, so that `quit` and a launch with
   * `reuseHome` start Firefox again with it installed, as a person's browser starts. Default: a temporary add-on,
   * gone when Firefox quits.
   */
  permanent?: boolean;
  /**
   * Start again on this HOME and its profile, left by a `permanent` launch; installs nothing, and resolves as soon
   * as Firefox answers WebDriver, so the caller acts in the first instant, as a person who signs in right after
   * starting the browser.
   */
  reuseHome?: string;
}

/** The profile a `permanent` launch keeps in HOME. */
const PERSISTENT_PROFILE = 'firefox-profile';

export async function launchExtensionFirefox(options: FirefoxLaunchOptions): Promise<FirefoxExtensionBrowser> {
  const home = options.reuseHome ?? mkdtempSync(join(tmpdir(), 'aws-saml-sync-ffhome-'));
  mkdirSync(join(home, '.mozilla'), { recursive: true });
  const persistent = options.permanent || options.reuseHome !== undefined;
  await options.beforeLaunch?.({ home });
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    // Default: a temporary profile puppeteer makes and deletes.
    ...(persistent ? { userDataDir: join(home, PERSISTENT_PROFILE) } : {}),
    args: ['--remote-allow-system-access'],
    env: { ...process.env, HOME: home, ...options.env } as Record<string, string>,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      ...(options.localHosts?.length ? { 'network.dns.localDomains': options.localHosts.join(',') } : {}),
      'network.proxy.type': 0,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      // Checked at every start too: without it, Firefox disables the unsigned add-on it installed before.
      ...(persistent ? { 'xpinstall.signatures.required': false } : {}),
      ...options.prefs,
    },
  });
  if (options.permanent && !options.reuseHome) {
    // Firefox copies the .xpi into the profile: later rebuilds of .output do not reach the installed add-on.
    const xpi = join(home, `${GECKO_ID}.xpi`);
    writeXpi(options.extensionDir, xpi);
    await installPermanently(browser, xpi);
  } else if (!options.reuseHome) {
    // A private copy: a rebuild of .output while the browser runs must not pull files from under it.
    const extensionDir = join(home, 'extension');
    cpSync(options.extensionDir, extensionDir, { recursive: true });
    await browser.installExtension(extensionDir);
  }
  return {
    browser,
    home,
    async openExtensionPage(path: string) {
      const page = await browser.newPage();
      const url = `${FIREFOX_EXTENSION_BASE}/${path}`;
      // Firefox never reports the load of an extension page to WebDriver, so awaiting goto would sit out its whole
      // timeout (5 s per page): start the navigation, and wait for the extension page's own DOM instead.
      page.goto(url, { waitUntil: 'domcontentloaded', timeout: 20_000 }).catch(() => undefined);
      await waitUntil(
        () => page.evaluate((u: string) => location.href.startsWith(u) && document.readyState === 'complete', url).catch(() => false),
        `the extension page ${path} to load`,
        20_000,
        50,
      );
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
    async quit() {
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * `webExtension.install` with Firefox's `moz:permanent`, which puppeteer's `installExtension` does not send: the raw
 * command on the browser's BiDi connection.
 */
async function installPermanently(browser: Browser, xpi: string): Promise<void> {
  const { connection } = browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: { extension: string } }> } };
  const { result } = await connection.send('webExtension.install', { extensionData: { type: 'archivePath', path: xpi }, 'moz:permanent': true });
  if (result.extension !== GECKO_ID) throw new Error(`Firefox installed ${result.extension}, not ${GECKO_ID}`);
}
