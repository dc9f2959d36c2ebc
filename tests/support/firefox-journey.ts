/**
 * The person's steps in Firefox ESR (puppeteer-core over WebDriver BiDi), on the same stand-ins as Chromium.
 * BiDi has no accessibility-tree queries in Firefox, so controls are found the way a screen reader names them:
 * buttons by their text (visible plus screen-reader-only), fields by their <label>.
 */
import type { Page } from 'puppeteer-core';
import { launchExtensionFirefox, type FirefoxExtensionBrowser } from './firefox';
import { installHost } from './journey';
import type { JourneyStandIns } from './journey-stand-ins';

export async function launchFirefoxForJourney(
  standIns: JourneyStandIns,
  extensionDir: string,
  options: { withHost: boolean },
): Promise<FirefoxExtensionBrowser> {
  return launchExtensionFirefox({
    extensionDir,
    prefs: standIns.firefoxProxyPrefs,
    beforeLaunch: ({ home }) => {
      if (options.withHost) installHost(home, 'firefox');
    },
  });
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Click the button whose accessible text is exactly `name`. */
export async function clickButton(page: Page, name: string, timeout = 20_000): Promise<void> {
  const handle = await page.waitForFunction(
    (wanted: string) =>
      [...document.querySelectorAll('button')].find(
        (b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted && !b.disabled,
      ),
    { timeout },
    normalise(name),
  );
  await (handle as unknown as { click(): Promise<void> }).click();
}

/** Fill the field labelled exactly `label`. */
export async function fillField(page: Page, label: string, value: string, timeout = 20_000): Promise<void> {
  const id = await page.waitForFunction(
    (wanted: string) => {
      const l = [...document.querySelectorAll('label')].find((x) => (x.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted);
      return l?.htmlFor || undefined;
    },
    { timeout },
    normalise(label),
  );
  const selector = `[id="${(await id.jsonValue()) as string}"]`;
  await page.$eval(selector, (el) => {
    (el as HTMLInputElement).value = '';
  });
  await page.type(selector, value);
}

/** Wait until some element matching `selector` has text matching `pattern`; returns that text. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  const handle = await page.waitForFunction(
    (sel: string, source: string, flags: string) => {
      const re = new RegExp(source, flags);
      return [...document.querySelectorAll(sel)].map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()).find((t) => re.test(t));
    },
    { timeout },
    selector,
    pattern.source,
    pattern.flags,
  );
  return (await handle.jsonValue()) as string;
}

export class FirefoxJourney {
  constructor(
    readonly browser: FirefoxExtensionBrowser,
    readonly standIns: JourneyStandIns,
  ) {}

  async clickAwsTile(): Promise<void> {
    const posts = this.standIns.samlPosts;
    const page = await this.browser.browser.newPage();
    await page.goto(this.standIns.launcherUrl);
    await Promise.all([page.waitForNavigation({ timeout: 30_000 }).catch(() => undefined), page.click('a.tile')]);
    await page.waitForFunction(() => document.body?.textContent?.includes('Select a role'), { timeout: 30_000 });
    if (this.standIns.samlPosts !== posts + 1) throw new Error('the SAML POST did not reach the AWS sign-in stand-in');
    await page.close();
  }

  async openPopup(): Promise<Page> {
    const page = await this.browser.openExtensionPage('popup.html');
    await page.waitForSelector('body[data-rendered="1"]', { timeout: 20_000 });
    return page;
  }

  async syncInPopup(page: Page, roleName: string, profile: string): Promise<void> {
    await fillField(page, `Profile name for ${roleName}`, profile);
    await clickButton(page, `Sync ${roleName}`);
  }

  /** The text of the alert in one role's row. */
  async roleAlert(page: Page, roleName: string, pattern: RegExp): Promise<string> {
    const handle = await page.waitForFunction(
      (wanted: string, source: string) => {
        const row = [...document.querySelectorAll('li')].find((li) =>
          [...li.querySelectorAll('button')].some((b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted),
        );
        const text = row?.querySelector('[role="alert"]')?.textContent?.replace(/\s+/g, ' ').trim();
        return text && new RegExp(source).test(text) ? text : undefined;
      },
      { timeout: 30_000 },
      `Sync ${roleName}`,
      pattern.source,
    );
    return (await handle.jsonValue()) as string;
  }

  async addChainedProfile(chain: { profile: string; sourceProfile: string; roleArn: string; region: string }): Promise<Page> {
    const options = await this.browser.openExtensionPage('options.html');
    await clickButton(options, 'Add chained profile');
    await fillField(options, 'Profile name of chained profile 1', chain.profile);
    await fillField(options, 'Source profile of chained profile 1', chain.sourceProfile);
    await fillField(options, 'Role ARN of chained profile 1', chain.roleArn);
    await fillField(options, 'Region of chained profile 1', chain.region);
    await clickButton(options, 'Save');
    await waitForText(options, '.save-status', /^Saved\.$/);
    return options;
  }
}
