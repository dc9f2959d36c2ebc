/**
 * The same journey in real Firefox ESR (puppeteer-core over WebDriver BiDi): tile click -> popup sync of
 * `saml-init` as `sts-temp` -> `dev-env` chained in the options page -> the AWS CLI and boto3 -> auto-refresh on the
 * next tile click; then the failure journeys. Firefox reaches the stand-ins through a tunnelling proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build-global-setup';
import { waitUntil } from '../support/chromium-journey';
import type { FirefoxExtensionBrowser } from '../support/firefox';
import { FirefoxJourney, launchFirefoxForJourney, waitForText } from '../support/firefox-journey';
import { awsCli, boto3ListObjects, readAwsFile, sectionOf } from '../support/journey';
import { SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

describe('the journey in Firefox', () => {
  let browser: FirefoxExtensionBrowser;
  let journey: FirefoxJourney;
  const stsTempKey = () => sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp').aws_access_key_id;

  beforeAll(async () => {
    browser = await launchFirefoxForJourney(standIns, ensureBuilt('firefox'), { withHost: true });
    journey = new FirefoxJourney(browser, standIns);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('syncs saml-init as sts-temp from the popup after a tile click', async () => {
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await journey.syncInPopup(popup, 'saml-init', 'sts-temp');
    await waitForText(popup, '[role="status"]', /sts-temp.*expires/);
    await popup.close();
    const creds = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    expect(creds.aws_access_key_id).toMatch(/^ASIA/);
    expect(Date.parse(creds.x_security_token_expires!)).toBeGreaterThan(Date.now() + 3_600_000);
  });

  it('adds dev-env chained from sts-temp in the options page; the CLI and boto3 use it', async () => {
    const options = await journey.addChainedProfile({ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.close();
    expect(sectionOf(readAwsFile(browser.home, 'config'), 'profile dev-env')).toMatchObject({ source_profile: 'sts-temp', role_arn: SEED.chainedRole });
    const listing = await awsCli(browser.home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env']);
    expect(listing).toContain('hello.txt');
    expect(await boto3ListObjects(browser.home, standIns.moto.endpoint, 'dev-env', SEED.bucket)).toEqual([SEED.objectKey]);
    const password = await awsCli(browser.home, standIns.moto.endpoint, ['ecr', 'get-login-password', '--profile', 'dev-env', '--region', 'us-east-1']);
    expect(password.trim().length).toBeGreaterThan(10);
  });

  it('refreshes sts-temp on the next tile click without any page open', async () => {
    const before = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    await new Promise((r) => setTimeout(r, 1100));
    await journey.clickAwsTile();
    await waitUntil(() => stsTempKey() !== before.aws_access_key_id, 'sts-temp to be refreshed by auto-sync');
    const after = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    expect(Date.parse(after.x_security_token_expires!)).toBeGreaterThan(Date.parse(before.x_security_token_expires!));
  });

  it('an expired assertion: one sentence in the popup, nothing written', async () => {
    const credentialsBefore = readAwsFile(browser.home, 'credentials');
    const configBefore = readAwsFile(browser.home, 'config');
    standIns.planNextAssertion({ validForSeconds: -60 });
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await journey.syncInPopup(popup, 'ReadOnly', 'readonly');
    expect(await journey.roleAlert(popup, 'ReadOnly', /expired/)).toBe('Sign in again: the SAML assertion has expired.');
    await popup.close();
    expect(readAwsFile(browser.home, 'credentials')).toBe(credentialsBefore);
    expect(readAwsFile(browser.home, 'config')).toBe(configBefore);
  });

  it('a role whose STS call is refused: one sentence in the popup, nothing written', async () => {
    const previous = stsTempKey();
    await journey.clickAwsTile();
    await waitUntil(() => stsTempKey() !== previous, 'auto-sync of sts-temp');
    const credentialsBefore = readAwsFile(browser.home, 'credentials');
    const popup = await journey.openPopup();
    await journey.syncInPopup(popup, 'refused-by-trust-policy', 'refused');
    const text = await journey.roleAlert(popup, 'refused-by-trust-policy', /./);
    expect(text).toMatch(/trust policy|not allowed|denied/i);
    expect(text.split(/(?<=\.)\s+/)).toHaveLength(1);
    await popup.close();
    expect(readAwsFile(browser.home, 'credentials')).toBe(credentialsBefore);
  });
});

describe('the journey in Firefox without the native host', () => {
  it('tells what to install, keeps the copy fallback, and writes nothing', async () => {
    const browser = await launchFirefoxForJourney(standIns, ensureBuilt('firefox'), { withHost: false });
    const journey = new FirefoxJourney(browser, standIns);
    try {
      await journey.clickAwsTile();
      const popup = await journey.openPopup();
      await waitForText(popup, 'h2', /^Install the local helper$/);
      await journey.syncInPopup(popup, 'saml-init', 'sts-temp');
      expect(await journey.roleAlert(popup, 'saml-init', /not installed/)).toMatch(/npm run host:install/);
      await waitForText(popup, 'button', /^Copy as environment variables for sts-temp$/);
      expect(readAwsFile(browser.home, 'credentials')).toBe('');
    } finally {
      await browser.close();
    }
  });
});
