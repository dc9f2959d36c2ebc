/**
 * The person's steps in Chromium, as a small page object over the real extension pages; used by the Chromium
 * journey test and by `npm run demo`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchExtensionChromium, type ExtensionBrowser } from './chromium';
import { installHost } from './journey';
import type { JourneyStandIns } from './journey-stand-ins';

export async function launchForJourney(
  standIns: JourneyStandIns,
  extensionDir: string,
  options: { withHost: boolean; headed?: boolean },
): Promise<ExtensionBrowser> {
  return launchExtensionChromium({
    extensionDir,
    hostMap: standIns.chromiumHostMap,
    headed: options.headed,
    beforeLaunch: ({ home, userDataDir }) => {
      if (!options.withHost) return;
      const manifestDir = join(userDataDir, 'NativeMessagingHosts');
      mkdirSync(manifestDir, { recursive: true });
      installHost(home, 'chromium', manifestDir);
    },
  });
}

export class ChromiumJourney {
  constructor(
    readonly browser: ExtensionBrowser,
    readonly standIns: JourneyStandIns,
  ) {}

  /** Open the launcher, click the AWS tile, and wait for AWS's role chooser (the SAML POST went through). */
  async clickAwsTile(): Promise<void> {
    const posts = this.standIns.samlPosts;
    const page = await this.browser.context.newPage();
    await page.goto(this.standIns.launcherUrl);
    await page.getByRole('link', { name: 'Amazon Web Services' }).click();
    await page.getByText('Select a role').waitFor();
    if (this.standIns.samlPosts !== posts + 1) throw new Error('the SAML POST did not reach the AWS sign-in stand-in');
    await page.close();
  }

  async openPopup(): Promise<Page> {
    const page = await this.browser.context.newPage();
    await page.setViewportSize({ width: 420, height: 640 });
    await page.goto(`chrome-extension://${this.browser.extensionId}/popup.html`);
    await page.locator('body[data-rendered="1"]').waitFor();
    return page;
  }

  async syncInPopup(page: Page, roleName: string, profile: string): Promise<void> {
    await page.getByRole('textbox', { name: `Profile name for ${roleName}` }).fill(profile);
    await page.getByRole('button', { name: `Sync ${roleName}` }).click();
  }

  /** The outcome line of one role in the popup (its own alert, not the auto-sync banner). */
  roleAlert(page: Page, roleName: string): Locator {
    return page
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: `Sync ${roleName}` }) })
      .getByRole('alert');
  }

  async addChainedProfile(chain: { profile: string; sourceProfile: string; roleArn: string; region: string }): Promise<Page> {
    const options = await this.browser.context.newPage();
    await options.goto(`chrome-extension://${this.browser.extensionId}/options.html`);
    await options.getByRole('button', { name: 'Add chained profile' }).click();
    await options.getByLabel('Profile name of chained profile 1').fill(chain.profile);
    await options.getByLabel('Source profile of chained profile 1').fill(chain.sourceProfile);
    await options.getByLabel('Role ARN of chained profile 1').fill(chain.roleArn);
    await options.getByLabel('Region of chained profile 1').fill(chain.region);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText('Saved.').waitFor();
    return options;
  }
}

export async function waitUntil<T>(probe: () => T | Promise<T>, what: string, ms = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
