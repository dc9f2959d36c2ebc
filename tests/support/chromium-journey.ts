/**
 * The journey driver for Chromium (playwright-core): the built extension loaded unpacked, the stand-ins reached
 * through --host-resolver-rules, the native host installed into the profile's NativeMessagingHosts folder by the
 * project's own installer. Used by the journey spec and by `npm run demo`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ensureBuilt } from './build-global-setup';
import { launchExtensionChromium, stopAllServiceWorkers, type ExtensionBrowser } from './chromium';
import { installHost } from './journey';
import { collapseWhitespace, type JourneyDriver, type JourneyDriverFactory, type JourneyPage, type Query } from './journey-driver';
import type { JourneyStandIns } from './journey-stand-ins';

const TIMEOUT = 30_000;

class ChromiumPage implements JourneyPage {
  constructor(readonly page: Page) {}

  async fill(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(value, { timeout: TIMEOUT });
  }

  async click(name: string): Promise<void> {
    await this.page.getByRole('button', { name, exact: true }).click({ timeout: TIMEOUT });
  }

  async check(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).check({ timeout: TIMEOUT });
  }

  async uncheck(label: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).uncheck({ timeout: TIMEOUT });
  }

  async value(label: string, pattern = /./): Promise<string> {
    const field = this.page.getByLabel(label, { exact: true });
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const value = await field.inputValue({ timeout: TIMEOUT });
      if (pattern.test(value)) return value;
      if (Date.now() > deadline) throw new Error(`the field "${label}" holds "${value}", not ${pattern}`);
      await this.page.waitForTimeout(100);
    }
  }

  async expand(summary: string): Promise<void> {
    const details = this.page.locator('details').filter({ has: this.page.locator('summary', { hasText: summary }) }).first();
    await details.waitFor({ timeout: TIMEOUT });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click({ timeout: TIMEOUT });
  }

  async find(query: Query, pattern: RegExp, timeoutMs = TIMEOUT): Promise<string> {
    let scope: Page | Locator = this.page;
    if (query.inRowOf) {
      scope = this.page.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: query.inRowOf, exact: true }) });
    }
    const candidates = query.role ? scope.getByRole(query.role).filter({ hasText: pattern }) : scope.getByText(pattern);
    const match = candidates.first();
    await match.waitFor({ timeout: timeoutMs });
    return collapseWhitespace((await match.textContent()) ?? '');
  }

  async screenshot(path: string, options: { fullPage?: boolean } = {}): Promise<void> {
    await this.page.screenshot({ path, fullPage: options.fullPage });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

export class ChromiumJourney implements JourneyDriver {
  readonly name = 'Chromium';

  constructor(
    readonly browser: ExtensionBrowser,
    readonly standIns: JourneyStandIns,
  ) {}

  get home(): string {
    return this.browser.home;
  }

  async clickAwsTile(options: { pickRole?: string } = {}): Promise<void> {
    const posts = this.standIns.samlPosts;
    const page = await this.browser.context.newPage();
    await page.goto(this.standIns.launcherUrl);
    await page.getByRole('link', { name: 'Amazon Web Services' }).click();
    await page.getByText('Select a role').waitFor({ timeout: TIMEOUT });
    if (this.standIns.samlPosts !== posts + 1) throw new Error('the SAML POST did not reach the AWS sign-in stand-in');
    if (options.pickRole) {
      await page.getByLabel(options.pickRole, { exact: true }).check({ timeout: TIMEOUT });
      await page.getByRole('button', { name: 'Sign in' }).click({ timeout: TIMEOUT });
      await page.getByRole('heading', { name: 'Console' }).waitFor({ timeout: TIMEOUT });
    }
    await page.close();
  }

  /** From chrome://extensions, whose `developerPrivate` API grants what the person would allow (see AWS-SAML-FACTS). */
  async grantHostPermission(pattern: string): Promise<void> {
    const page = await this.browser.context.newPage();
    try {
      await page.goto('chrome://extensions/');
      await page.evaluate(
        ([id, p]) =>
          (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, p: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id, p),
        [this.browser.extensionId, pattern] as const,
      );
    } finally {
      await page.close();
    }
  }

  async revokeHostPermission(pattern: string): Promise<void> {
    const page = await this.browser.context.newPage();
    try {
      await page.goto(`chrome-extension://${this.browser.extensionId}/popup.html`);
      const removed = await page.evaluate(
        (p) => (globalThis as unknown as { chrome: { permissions: { remove(d: object): Promise<boolean> } } }).chrome.permissions.remove({ origins: [p] }),
        pattern,
      );
      if (!removed) throw new Error(`the host permission ${pattern} could not be removed`);
    } finally {
      await page.close();
    }
  }

  async openPopup(): Promise<JourneyPage> {
    const page = await this.browser.context.newPage();
    await page.setViewportSize({ width: 420, height: 640 });
    await page.goto(`chrome-extension://${this.browser.extensionId}/popup.html`);
    await page.locator('body[data-rendered="1"]').waitFor({ timeout: TIMEOUT });
    return new ChromiumPage(page);
  }

  async openOptions(): Promise<JourneyPage> {
    const page = await this.browser.context.newPage();
    await page.goto(`chrome-extension://${this.browser.extensionId}/options.html`);
    return new ChromiumPage(page);
  }

  /** From the service worker, where `chrome.action` lives (evaluating there also keeps it awake, which is harmless here). */
  async readBadge(): Promise<string> {
    const worker = await this.browser.serviceWorker();
    return worker.evaluate(() =>
      (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}),
    );
  }

  async openPage(url: string): Promise<JourneyPage> {
    const page = await this.browser.context.newPage();
    await page.goto(url);
    return new ChromiumPage(page);
  }

  async readStorage(area: 'local' | 'session'): Promise<Record<string, unknown>> {
    return this.inExtension(async (a) => (globalThis as unknown as Api).chrome.storage[a]!.get(null), area);
  }

  async writeStorage(area: 'local' | 'session', items: Record<string, unknown>): Promise<void> {
    await this.inExtension(async ([a, i]) => (globalThis as unknown as Api).chrome.storage[a]!.set(i), [area, items] as const);
  }

  private async inExtension<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R> {
    const page = await this.browser.context.newPage();
    try {
      await page.goto(`chrome-extension://${this.browser.extensionId}/popup.html`);
      return await page.evaluate(fn as never, arg as never);
    } finally {
      await page.close();
    }
  }

  /** Granted ahead from chrome://extensions: the product's permissions.request then resolves true at once. */
  async allowHostPermission(pattern: string): Promise<void> {
    await this.grantHostPermission(pattern);
  }

  async countTabs(): Promise<number> {
    return this.browser.context.pages().length;
  }

  /** Read from the worker, where chrome.notifications lives (headless Chromium closes them after about 8 s). */
  async notifications(): Promise<string[]> {
    const worker = await this.browser.serviceWorker();
    return worker.evaluate(async () =>
      Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome.notifications.getAll()),
    );
  }

  async stopBackground(): Promise<boolean> {
    await stopAllServiceWorkers(this.browser.context);
    return true;
  }

  quit(): Promise<void> {
    return this.browser.quit();
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

type Api = { chrome: { storage: Record<string, { get(k: null): Promise<Record<string, unknown>>; set(i: object): Promise<void> }> } };

export const launchChromiumJourney: JourneyDriverFactory = async (standIns, options) => {
  const browser = await launchExtensionChromium({
    extensionDir: ensureBuilt('chrome'),
    hostMap: standIns.chromiumHostMap,
    headed: options.headed,
    lang: options.lang,
    beforeLaunch: ({ home, userDataDir }) => {
      if (!options.withHost) return;
      const manifestDir = join(userDataDir, 'NativeMessagingHosts');
      mkdirSync(manifestDir, { recursive: true });
      installHost(home, 'chromium', manifestDir);
    },
  });
  return new ChromiumJourney(browser, standIns);
};
