/**
 * A login is never lost because the extension had only just started (issue 10): posted the moment a freshly
 * installed extension's background appears, and posted the moment the browser (with the extension installed)
 * starts again, ten times each. The listeners are registered by the first module of the worker's bundle
 * (entrypoints/background/early-capture.ts), before the STS SDK is evaluated.
 *
 * Under the listener, a second net: AWS's role chooser page carries the SAMLResponse in its own form, and the
 * content script hands it on when the listener did not see that login (here: the chooser is reached by a GET, so
 * there is no POST to see at all).
 *
 * A fresh install trusts no sign-in origin yet, so the login waits as the popup's question (`pendingLogin`); after
 * the restarts, the sign-in URL is configured and the login is taken (`capturedLogin`). Either way it was seen.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build-global-setup';
import { launchExtensionChromium, type ExtensionBrowser } from '../support/chromium';
import { ChromiumJourney, launchChromiumJourney } from '../support/chromium-journey';
import { launchExtensionFirefox, type FirefoxExtensionBrowser } from '../support/firefox';
import { FirefoxJourney, launchFirefoxJourney } from '../support/firefox-journey';
import type { JourneyDriver, JourneyDriverFactory } from '../support/journey-driver';
import { SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';
import { sleep, waitUntil } from '../support/wait';

const TRIES = 10;

let standIns: JourneyStandIns;
beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

/** Whether the extension saw a login posted after `since` (taken, or waiting for the person's word), within 10 s. */
async function seenSince(driver: JourneyDriver, since: number): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const session = await driver.readStorage('session');
    const pending = session.pendingLogin as { login?: { capturedAt?: string } } | undefined;
    const current = session.capturedLogin as { capturedAt?: string } | undefined;
    const at = [pending?.login?.capturedAt, current?.capturedAt].map((t) => (t ? Date.parse(t) : 0));
    if (at.some((t) => t >= since - 1_000)) return true;
    await sleep(300);
  }
  return false;
}

/** Seen, and taken as the current login (the sign-in URL is configured, so it does not wait as a question). */
async function takenSince(driver: JourneyDriver, since: number): Promise<boolean> {
  return (await seenSince(driver, since)) && !!(await driver.readStorage('session')).capturedLogin;
}

/** The IdP's sign-in page in a new tab: it posts the login at once; resolves once AWS's role chooser shows. */
async function postLoginInChromium(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(standIns.signInUrl);
  await page.getByText('Select a role').waitFor();
  await page.close();
}

async function postLoginInFirefox(browser: FirefoxExtensionBrowser): Promise<void> {
  const page = await browser.browser.newPage();
  await page.goto(standIns.signInUrl);
  await page.waitForFunction(() => document.body?.textContent?.includes('Select a role'), { timeout: 30_000 });
  await page.close();
}

describe('capture in the first instant, Chromium', () => {
  it(`a login posted as soon as a fresh install's worker appears is seen, ${TRIES} times of ${TRIES}`, async () => {
    let seen = 0;
    for (let i = 0; i < TRIES; i++) {
      const browser = await launchExtensionChromium({ extensionDir: ensureBuilt('chrome'), hostMap: standIns.chromiumHostMap, waitForBackground: false });
      try {
        await browser.serviceWorker(); // the worker first appears: sign in at once
        const since = Date.now();
        await postLoginInChromium(browser);
        if (await seenSince(new ChromiumJourney(browser, standIns), since)) seen++;
      } finally {
        await browser.close();
      }
    }
    expect(seen).toBe(TRIES);
  }, 600_000);

  it(`a login posted as soon as the browser starts again is taken, ${TRIES} restarts of ${TRIES}`, async () => {
    const first = await launchExtensionChromium({ extensionDir: ensureBuilt('chrome'), hostMap: standIns.chromiumHostMap });
    const home = first.home;
    await new ChromiumJourney(first, standIns).writeStorage('local', { settings: { version: 1, signInUrl: standIns.signInUrl } });
    await first.quit();
    let seen = 0;
    try {
      for (let i = 0; i < TRIES; i++) {
        const browser = await launchExtensionChromium({ extensionDir: ensureBuilt('chrome'), hostMap: standIns.chromiumHostMap, reuseHome: home, waitForBackground: false });
        try {
          const since = Date.now();
          await postLoginInChromium(browser);
          if (await takenSince(new ChromiumJourney(browser, standIns), since)) seen++;
        } finally {
          await browser.quit();
        }
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    expect(seen).toBe(TRIES);
  }, 600_000);
});

describe('capture in the first instant, Firefox', () => {
  it(`a login posted as soon as a fresh install's background is there is seen, ${TRIES} times of ${TRIES}`, async () => {
    let seen = 0;
    for (let i = 0; i < TRIES; i++) {
      // Resolves once the temporary add-on is installed: sign in at once.
      const browser = await launchExtensionFirefox({ extensionDir: ensureBuilt('firefox'), prefs: standIns.firefoxProxyPrefs });
      try {
        const since = Date.now();
        await postLoginInFirefox(browser);
        if (await seenSince(new FirefoxJourney(browser, standIns), since)) seen++;
      } finally {
        await browser.close();
      }
    }
    expect(seen).toBe(TRIES);
  }, 600_000);

  it(`a login posted as soon as the browser starts again is taken, ${TRIES} restarts of ${TRIES}`, async () => {
    // Installed for good (a temporary add-on is gone after a restart), in a profile the restarts keep.
    const first = await launchExtensionFirefox({ extensionDir: ensureBuilt('firefox'), prefs: standIns.firefoxProxyPrefs, permanent: true });
    const home = first.home;
    await new FirefoxJourney(first, standIns).writeStorage('local', { settings: { version: 1, signInUrl: standIns.signInUrl } });
    await first.quit();
    let seen = 0;
    try {
      for (let i = 0; i < TRIES; i++) {
        // Resolves as soon as Firefox answers WebDriver: sign in at once.
        const browser = await launchExtensionFirefox({ extensionDir: ensureBuilt('firefox'), prefs: standIns.firefoxProxyPrefs, reuseHome: home });
        try {
          const since = Date.now();
          await postLoginInFirefox(browser);
          if (await takenSince(new FirefoxJourney(browser, standIns), since)) seen++;
        } finally {
          await browser.quit();
        }
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    expect(seen).toBe(TRIES);
  }, 600_000);
});

describe.each([
  { name: 'Chromium', launch: launchChromiumJourney as JourneyDriverFactory },
  { name: 'Firefox', launch: launchFirefoxJourney as JourneyDriverFactory },
])('the role chooser net in $name', ({ launch }) => {
  it('a login the listener never saw still arrives from AWS’s role chooser page, by the same rules', async () => {
    const driver = await launch(standIns, { withHost: false });
    try {
      const posts = standIns.samlPosts;
      const page = await driver.openPage(standIns.chooserByGetUrl);
      await page.click('Continue to AWS');
      await page.find({}, /Select a role/);
      expect(standIns.samlPosts).toBe(posts); // no SAML POST happened
      await waitUntilSeen(driver);
      const pending = (await driver.readStorage('session')).pendingLogin as { origin: string; login: { roles: unknown[] } };
      // It came from Google's page (the chooser's referrer), which this fresh install has not confirmed: the question.
      expect(pending.origin).toBe('https://accounts.google.com');
      expect(pending.login.roles.length).toBeGreaterThan(0);
      // The page's account names are kept with it, though no capture was there before them to belong to.
      const names = async () => ((await driver.readStorage('session')).pendingLogin as { aliases?: Record<string, string> }).aliases;
      await waitUntil(async () => (await names())?.['111222333444'] === SEED.accountName, 'the chooser page’s account names to be kept with the sign-in');
      await page.close();
    } finally {
      await driver.close();
    }
  });
});

async function waitUntilSeen(driver: JourneyDriver): Promise<void> {
  if (!(await seenSince(driver, Date.now() - 5_000))) throw new Error('the login did not arrive from the role chooser page');
}
