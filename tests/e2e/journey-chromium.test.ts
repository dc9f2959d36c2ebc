/**
 * The whole journey in real Chromium, clicking through the real popup and options pages: tile click -> sync
 * `saml-init` as `sts-temp` -> add `dev-env` chained from it -> the real AWS CLI and boto3 use `dev-env` against moto
 * -> a later tile click refreshes `sts-temp` with no page open. Then the failure journeys.
 * Stand-ins: tests/support/journey-stand-ins.ts. The native host is installed with the project's own installer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build-global-setup';
import type { ExtensionBrowser } from '../support/chromium';
import { ChromiumJourney, launchForJourney, waitUntil } from '../support/chromium-journey';
import { awsCli, boto3ListObjects, readAwsFile, sectionOf } from '../support/journey';
import { SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

describe('the journey in Chromium', () => {
  let browser: ExtensionBrowser;
  let journey: ChromiumJourney;
  const stsTempKey = () => sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp').aws_access_key_id;
  const badge = async () =>
    (await browser.serviceWorker()).evaluate(() =>
      (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}),
    );

  beforeAll(async () => {
    browser = await launchForJourney(standIns, ensureBuilt('chrome'), { withHost: true });
    journey = new ChromiumJourney(browser, standIns);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('syncs saml-init as sts-temp from the popup after a tile click', async () => {
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await popup.getByRole('heading', { name: new RegExp(`${SEED.accountName}.*111222333444`) }).waitFor();
    await journey.syncInPopup(popup, 'saml-init', 'sts-temp');
    await popup.getByRole('status').filter({ hasText: 'sts-temp' }).filter({ hasText: /expires/ }).waitFor();
    await popup.close();

    const creds = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    expect(creds.aws_access_key_id).toMatch(/^ASIA/);
    expect(creds.aws_session_token).toBeTruthy();
    expect(Date.parse(creds.x_security_token_expires!)).toBeGreaterThan(Date.now() + 3_600_000);
    const who = JSON.parse(await awsCli(browser.home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(who.Arn).toContain('assumed-role/saml-init/');
  });

  it('adds dev-env chained from sts-temp in the options page; the CLI and boto3 use it', async () => {
    const options = await journey.addChainedProfile({ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.close();

    const config = sectionOf(readAwsFile(browser.home, 'config'), 'profile dev-env');
    expect(config).toMatchObject({ source_profile: 'sts-temp', role_arn: SEED.chainedRole, region: 'us-east-1' });

    const listing = await awsCli(browser.home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env']);
    expect(listing).toContain('hello.txt');
    expect(await boto3ListObjects(browser.home, standIns.moto.endpoint, 'dev-env', SEED.bucket)).toEqual([SEED.objectKey]);
    const password = await awsCli(browser.home, standIns.moto.endpoint, ['ecr', 'get-login-password', '--profile', 'dev-env', '--region', 'us-east-1']);
    expect(password.trim().length).toBeGreaterThan(10);
    const who = JSON.parse(await awsCli(browser.home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', 'dev-env', '--output', 'json'])) as { Arn: string };
    expect(who.Arn).toMatch(/assumed-role\/assumed-dev\//);
  });

  it('refreshes sts-temp on the next tile click without any page open', async () => {
    const before = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    await new Promise((r) => setTimeout(r, 1100)); // a later issue instant, so a later expiry
    await journey.clickAwsTile();
    await waitUntil(() => stsTempKey() !== before.aws_access_key_id, 'sts-temp to be refreshed by auto-sync');
    const after = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    expect(Date.parse(after.x_security_token_expires!)).toBeGreaterThan(Date.parse(before.x_security_token_expires!));
    expect(sectionOf(readAwsFile(browser.home, 'config'), 'profile dev-env').source_profile).toBe('sts-temp');
    // The badge counts down the soonest expiry (8 h sessions: shown in hours).
    await waitUntil(async () => /^\d+[mh]$/.test(await badge()), 'the badge to show the time left');
  });

  it('an expired assertion: one sentence in the popup, nothing written', async () => {
    const credentialsBefore = readAwsFile(browser.home, 'credentials');
    const configBefore = readAwsFile(browser.home, 'config');
    standIns.planNextAssertion({ validForSeconds: -60 });
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await journey.syncInPopup(popup, 'ReadOnly', 'readonly');
    await journey.roleAlert(popup, 'ReadOnly').filter({ hasText: 'Sign in again: the SAML assertion has expired.' }).waitFor();
    await popup.close();
    // The automatic refresh of sts-temp failed too: the badge says so.
    expect(await badge()).toBe('!');
    expect(readAwsFile(browser.home, 'credentials')).toBe(credentialsBefore);
    expect(readAwsFile(browser.home, 'config')).toBe(configBefore);
  });

  it('a role whose STS call is refused: one sentence in the popup, nothing written', async () => {
    const previous = stsTempKey();
    await journey.clickAwsTile();
    // The tile click auto-syncs sts-temp; wait for that write before taking the "before" picture.
    await waitUntil(() => stsTempKey() !== previous, 'auto-sync of sts-temp');
    const credentialsBefore = readAwsFile(browser.home, 'credentials');
    const popup = await journey.openPopup();
    await journey.syncInPopup(popup, 'refused-by-trust-policy', 'refused');
    const alert = journey.roleAlert(popup, 'refused-by-trust-policy');
    await alert.waitFor();
    const text = ((await alert.textContent()) ?? '').trim();
    expect(text).toMatch(/trust policy|not allowed|denied/i);
    expect(text.split(/(?<=\.)\s+/)).toHaveLength(1);
    await popup.close();
    expect(readAwsFile(browser.home, 'credentials')).toBe(credentialsBefore);
  });
});

describe('the journey in Chromium without the native host', () => {
  it('tells what to install, keeps the copy fallback, and writes nothing', async () => {
    const browser = await launchForJourney(standIns, ensureBuilt('chrome'), { withHost: false });
    const journey = new ChromiumJourney(browser, standIns);
    try {
      await journey.clickAwsTile();
      const popup = await journey.openPopup();
      await popup.getByRole('heading', { name: 'Install the local helper' }).waitFor();
      await popup.getByText('npm run host:install').first().waitFor();
      await journey.syncInPopup(popup, 'saml-init', 'sts-temp');
      await journey.roleAlert(popup, 'saml-init').filter({ hasText: /not installed/ }).waitFor();
      await popup.getByRole('button', { name: 'Copy as environment variables for sts-temp' }).waitFor();
      expect(readAwsFile(browser.home, 'credentials')).toBe('');
      expect(readAwsFile(browser.home, 'config')).toBe('');
    } finally {
      await browser.close();
    }
  });
});
