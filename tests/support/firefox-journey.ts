/**
 * The journey driver for Firefox ESR (puppeteer-core over WebDriver BiDi): the built extension as a temporary
 * add-on, the stand-ins reached through a tunnelling proxy (Firefox cannot remap ports), the native host manifest
 * installed into the temporary HOME's ~/.mozilla by the project's own installer.
 *
 * BiDi has no accessibility-tree queries in Firefox, so controls are found the way a screen reader names them:
 * buttons by their text (visible plus screen-reader-only), fields by their <label>, roles by their elements and
 * `role` attributes.
 */
import type { Page } from 'puppeteer-core';
import { ensureBuilt } from './build-global-setup';
import { launchExtensionFirefox, type FirefoxExtensionBrowser } from './firefox';
import { installHost } from './journey';
import { collapseWhitespace, type JourneyDriver, type JourneyDriverFactory, type JourneyPage, type Query, type Role } from './journey-driver';
import type { JourneyStandIns } from './journey-stand-ins';

const TIMEOUT = 30_000;

const ROLE_SELECTORS: Record<Role, string> = {
  heading: 'h1,h2,h3,h4,h5,h6,[role="heading"]',
  status: '[role="status"],output',
  alert: '[role="alert"]',
  button: 'button,[role="button"]',
};

class FirefoxPage implements JourneyPage {
  constructor(readonly page: Page) {}

  async fill(label: string, value: string): Promise<void> {
    const id = await this.page.waitForFunction(
      (wanted: string) => {
        const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted);
        return l?.htmlFor || undefined;
      },
      { timeout: TIMEOUT },
      collapseWhitespace(label),
    );
    const selector = `[id="${(await id.jsonValue()) as string}"]`;
    await this.page.$eval(selector, (el) => {
      (el as HTMLInputElement).value = '';
      // Emptying a field is an edit too: the page hears it as it hears typing.
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await this.page.type(selector, value);
  }

  async click(name: string): Promise<void> {
    const handle = await this.page.waitForFunction(
      (wanted: string) =>
        [...document.querySelectorAll('button')].find(
          (b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted && !b.disabled,
        ),
      { timeout: TIMEOUT },
      collapseWhitespace(name),
    );
    await (handle as unknown as { click(): Promise<void> }).click();
  }

  async check(label: string): Promise<void> {
    await this.setChecked(label, true);
  }

  async uncheck(label: string): Promise<void> {
    await this.setChecked(label, false);
  }

  /** The checkbox a label names (by `for`, or nested in it), clicked until it shows `wanted`. */
  private async setChecked(label: string, wanted: boolean): Promise<void> {
    const boxOf = (name: string, ready: boolean) => {
      const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === name);
      const box = (l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector('input')) as HTMLInputElement | null | undefined;
      return box?.type === 'checkbox' && (!ready || !box.disabled) ? box : undefined;
    };
    const handle = await this.page.waitForFunction(boxOf, { timeout: TIMEOUT }, collapseWhitespace(label), true);
    const box = handle as unknown as { click(): Promise<void>; evaluate<T>(fn: (el: HTMLInputElement) => T): Promise<T> };
    if ((await box.evaluate((el) => el.checked)) !== wanted) await box.click();
    // Evaluated in the page, which may not compile code (extension CSP): the lookup is written out again.
    await this.page.waitForFunction(
      (name: string, state: boolean) => {
        const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === name);
        const box = (l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector('input')) as HTMLInputElement | null | undefined;
        return box?.checked === state;
      },
      { timeout: TIMEOUT },
      collapseWhitespace(label),
      wanted,
    );
  }

  async value(label: string, pattern = /./): Promise<string> {
    const handle = await this.page.waitForFunction(
      (wanted: string, source: string, flags: string) => {
        const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted);
        const field = (l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector('input')) as HTMLInputElement | null | undefined;
        return field && new RegExp(source, flags).test(field.value) ? field.value : undefined;
      },
      { timeout: TIMEOUT },
      collapseWhitespace(label),
      pattern.source,
      pattern.flags,
    );
    return (await handle.jsonValue()) as string;
  }

  async expand(summary: string): Promise<void> {
    const handle = await this.page.waitForFunction(
      (wanted: string) =>
        [...document.querySelectorAll('details > summary')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted),
      { timeout: TIMEOUT },
      collapseWhitespace(summary),
    );
    const el = handle as unknown as { click(): Promise<void>; evaluate<T>(fn: (el: Element) => T): Promise<T> };
    if (!(await el.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await el.click();
  }

  async find(query: Query, pattern: RegExp, timeoutMs = TIMEOUT): Promise<string> {
    const handle = await this.page.waitForFunction(
      (selector: string | null, inRowOf: string | null, source: string, flags: string) => {
        const norm = (e: Element) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
        const re = new RegExp(source, flags);
        let scope: Element | undefined = document.body;
        if (inRowOf) {
          scope = [...document.querySelectorAll('li')].find((li) => [...li.querySelectorAll('button')].some((b) => norm(b) === inRowOf));
        }
        if (!scope) return undefined;
        const matches = [...scope.querySelectorAll(selector ?? '*')].filter((e) => re.test(norm(e)));
        // Without a role: the innermost match, as a person would point at the text.
        const found = selector ? matches[0] : matches.find((e) => !matches.some((o) => o !== e && e.contains(o)));
        return found ? norm(found) : undefined;
      },
      { timeout: timeoutMs },
      query.role ? ROLE_SELECTORS[query.role] : null,
      query.inRowOf ?? null,
      pattern.source,
      pattern.flags,
    );
    return (await handle.jsonValue()) as string;
  }

  async screenshot(path: string, options: { fullPage?: boolean } = {}): Promise<void> {
    await this.page.screenshot({ path, fullPage: options.fullPage });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

export class FirefoxJourney implements JourneyDriver {
  readonly name = 'Firefox';

  constructor(
    readonly browser: FirefoxExtensionBrowser,
    readonly standIns: JourneyStandIns,
  ) {}

  get home(): string {
    return this.browser.home;
  }

  async clickAwsTile(options: { pickRole?: string } = {}): Promise<void> {
    const posts = this.standIns.samlPosts;
    const page = await this.browser.browser.newPage();
    await page.goto(this.standIns.launcherUrl);
    await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }).catch(() => undefined), page.click('a[aria-label="Amazon Web Services"]')]);
    await page.waitForFunction(() => document.body?.textContent?.includes('Select a role'), { timeout: TIMEOUT });
    if (this.standIns.samlPosts !== posts + 1) throw new Error('the SAML POST did not reach the AWS sign-in stand-in');
    if (options.pickRole) {
      const radio = await page.waitForFunction(
        (wanted: string) => {
          const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').trim() === wanted);
          return l?.htmlFor ? document.getElementById(l.htmlFor) : undefined;
        },
        { timeout: TIMEOUT },
        options.pickRole,
      );
      await (radio as unknown as { click(): Promise<void> }).click();
      await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }).catch(() => undefined), page.click('#signin_button')]);
      await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Console', { timeout: TIMEOUT });
    }
    await page.close();
  }

  /**
   * Firefox asks nothing when `extensions.webextOptionalPermissionPrompts` is off (set at launch): a
   * `permissions.request` from a click in an extension page is granted as if the person said yes.
   */
  async grantHostPermission(pattern: string): Promise<void> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      await page.evaluate((p: string) => {
        const b = document.createElement('button');
        b.id = 'grant-for-test';
        b.textContent = 'grant';
        b.onclick = () => {
          void (globalThis as unknown as { browser: { permissions: { request(d: object): Promise<boolean> } } }).browser.permissions
            .request({ origins: [p] })
            .then((ok) => (b.dataset.granted = String(ok)));
        };
        document.body.prepend(b);
      }, pattern);
      await page.click('#grant-for-test');
      const granted = await page.waitForFunction(() => document.getElementById('grant-for-test')?.dataset.granted, { timeout: TIMEOUT });
      if ((await granted.jsonValue()) !== 'true') throw new Error(`Firefox did not grant ${pattern}`);
    } finally {
      await page.close();
    }
  }

  async revokeHostPermission(pattern: string): Promise<void> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      const removed = await page.evaluate(
        (p: string) => (globalThis as unknown as { browser: { permissions: { remove(d: object): Promise<boolean> } } }).browser.permissions.remove({ origins: [p] }),
        pattern,
      );
      if (!removed) throw new Error(`the host permission ${pattern} could not be removed`);
    } finally {
      await page.close();
    }
  }

  async openPopup(): Promise<JourneyPage> {
    const page = await this.browser.openExtensionPage('popup.html');
    await page.waitForSelector('body[data-rendered="1"]', { timeout: TIMEOUT });
    return new FirefoxPage(page);
  }

  async openOptions(): Promise<JourneyPage> {
    return new FirefoxPage(await this.browser.openExtensionPage('options.html'));
  }

  /**
   * Firefox's background page is not a tab the WebDriver session drives, but every extension page sees the same
   * `browser.action`: read the badge from a short-lived popup tab (the popup only reads state; it sets no badge).
   */
  async readBadge(): Promise<string> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      return await page.evaluate(() =>
        (globalThis as unknown as { browser: { action: { getBadgeText(d: object): Promise<string> } } }).browser.action.getBadgeText({}),
      );
    } finally {
      await page.close();
    }
  }

  async openPage(url: string): Promise<JourneyPage> {
    const page = await this.browser.browser.newPage();
    await page.goto(url);
    return new FirefoxPage(page);
  }

  async readStorage(area: 'local' | 'session'): Promise<Record<string, unknown>> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      return await page.evaluate(async (a: string) => (globalThis as unknown as Api).browser.storage[a]!.get(null), area);
    } finally {
      await page.close();
    }
  }

  /** Nothing to do: the browser runs with extensions.webextOptionalPermissionPrompts off (see the launcher below). */
  async allowHostPermission(): Promise<void> {}

  async countTabs(): Promise<number> {
    return (await this.browser.browser.pages()).length;
  }

  async notifications(): Promise<string[]> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      return await page.evaluate(async () =>
        Object.keys(await (globalThis as unknown as { browser: { notifications: { getAll(): Promise<Record<string, unknown>> } } }).browser.notifications.getAll()),
      );
    } finally {
      await page.close();
    }
  }

  async writeStorage(area: 'local' | 'session', items: Record<string, unknown>): Promise<void> {
    const page = await this.browser.openExtensionPage('popup.html');
    try {
      await page.evaluate(async (a: string, i: Record<string, unknown>) => (globalThis as unknown as Api).browser.storage[a]!.set(i), area, items);
    } finally {
      await page.close();
    }
  }

  /**
   * Firefox's background page cannot be stopped from WebDriver, and no extension API lists it without waking it
   * (`extension.getViews()` leaves it out), but it sleeps by itself once idle: the launcher sets
   * `extensions.background.idle.timeout` to 5 s, and the native port that keeps it awake is let go 15 s after the
   * last host call. Waits that long; false: the sleep itself could not be observed.
   */
  async stopBackground(): Promise<boolean> {
    await new Promise((r) => setTimeout(r, 21_000));
    return false;
  }

  quit(): Promise<void> {
    return this.browser.quit();
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

type Api = { browser: { storage: Record<string, { get(k: null): Promise<Record<string, unknown>>; set(i: object): Promise<void> }> } };

export const launchFirefoxJourney: JourneyDriverFactory = async (standIns, options) => {
  const browser = await launchExtensionFirefox({
    extensionDir: ensureBuilt('firefox'),
    prefs: {
      ...standIns.firefoxProxyPrefs,
      // The person's "Allow" in the optional permission prompt (headless Firefox shows none): with the prompts
      // off, Firefox grants what permissions.request asks for, still only from a user action.
      'extensions.webextOptionalPermissionPrompts': false,
      // The background page sleeps after 5 s idle instead of 30 s, so refresh has to be woken by its alarm.
      'extensions.background.idle.timeout': 5_000,
      // Headless Firefox has no system notification service: its own alert window keeps notifications listed
      // (notifications.getAll) as they would be on a desktop.
      'alerts.useSystemBackend': false,
    },
    beforeLaunch: ({ home }) => {
      if (options.withHost) installHost(home, 'firefox');
    },
  });
  return new FirefoxJourney(browser, standIns);
};
