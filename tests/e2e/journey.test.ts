/**
 * The whole journey, one spec run in real Chromium and real Firefox ESR, clicking through the real popup and options
 * pages: tile click -> sync `saml-init` as `sts-temp` -> add `dev-env` chained from it -> the real AWS CLI and boto3
 * use `dev-env` against moto -> a later tile click refreshes `sts-temp` with no page open -> the toolbar badge.
 * Then the failure journeys, each leaving ~/.aws byte for byte as it was. Then silent refresh: 900 s credentials and a
 * 60 min lead, so a refresh is due at once and then every minute, with no action and no new tab; the IdP session
 * ending (one notification, nothing written, "needs you", signing in again), the IdP wanting a second factor or an
 * account choice, or answering HTTP 500 (a sentence, nothing written), Refresh, Open console and Remove on demand.
 *
 * Stand-ins: tests/support/journey-stand-ins.ts. The native host is installed with the project's own installer.
 * Drivers: tests/support/journey-driver.ts. One browser only: `-t Chromium` or `-t Firefox`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumJourney } from '../support/chromium-journey';
import { launchFirefoxJourney } from '../support/firefox-journey';
import { awsCli, boto3ListObjects, readAwsBytes, readAwsFile, sectionOf } from '../support/journey';
import {
  addChainedProfile,
  confirmSignInOrigin,
  roleAlert,
  saveOptions,
  syncInPopup,
  turnOnAutoSync,
  turnOnRefresh,
  type JourneyDriver,
  type JourneyDriverFactory,
} from '../support/journey-driver';
import { GOOGLE_IDPID, GOOGLE_SPID, SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';
import { sleep, waitUntil } from '../support/wait';

const DRIVERS: { name: string; launch: JourneyDriverFactory }[] = [
  { name: 'Chromium', launch: launchChromiumJourney },
  { name: 'Firefox', launch: launchFirefoxJourney },
];

/** 8 h sessions: the badge shows hours, later minutes. */
const TIME_LEFT = /^\d+[mh]$/;

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

async function callerArn(home: string, profile: string): Promise<string> {
  const out = await awsCli(home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', profile, '--output', 'json']);
  return (JSON.parse(out) as { Arn: string }).Arn;
}

describe.each(DRIVERS)('the journey in $name', ({ launch }) => {
  let driver: JourneyDriver;
  const stsTempKey = () => sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp').aws_access_key_id;

  beforeAll(async () => {
    driver = await launch(standIns, { withHost: true });
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('syncs saml-init as sts-temp from the popup after a tile click', async () => {
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    // Nothing is configured yet: the first sign-in from Google waits for the person's word.
    await confirmSignInOrigin(popup, 'accounts.google.com');
    await popup.find({ role: 'heading' }, new RegExp(`${SEED.accountName}.*111222333444`));
    await popup.find({}, /^You have not synced from account 111222333444 .*before; check that this sign-in is yours before you sync\.$/);
    await syncInPopup(popup, 'saml-init', 'sts-temp');
    await popup.find({ role: 'status', inRowOf: 'Sync saml-init' }, /sts-temp.*expires/);
    await turnOnAutoSync(popup, 'sts-temp');
    await popup.close();

    const creds = sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp');
    expect(creds.aws_access_key_id).toMatch(/^ASIA/);
    expect(creds.aws_session_token).toBeTruthy();
    expect(Date.parse(creds.x_security_token_expires!)).toBeGreaterThan(Date.now() + 3_600_000);
    expect(await callerArn(driver.home, 'sts-temp')).toContain('assumed-role/saml-init/');
    await waitUntil(async () => TIME_LEFT.test(await driver.readBadge()), 'the badge to show the time left');
  });

  it('adds dev-env chained from sts-temp in the options page; the CLI and boto3 use it', async () => {
    const options = await addChainedProfile(driver, { profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.close();

    const config = sectionOf(readAwsFile(driver.home, 'config'), 'profile dev-env');
    expect(config).toMatchObject({ source_profile: 'sts-temp', role_arn: SEED.chainedRole, region: 'us-east-1' });

    const listing = await awsCli(driver.home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env']);
    expect(listing).toContain('hello.txt');
    expect(await boto3ListObjects(driver.home, standIns.moto.endpoint, 'dev-env', SEED.bucket)).toEqual([SEED.objectKey]);
    const password = await awsCli(driver.home, standIns.moto.endpoint, ['ecr', 'get-login-password', '--profile', 'dev-env', '--region', 'us-east-1']);
    expect(password.trim().length).toBeGreaterThan(10);
    expect(await callerArn(driver.home, 'dev-env')).toMatch(/assumed-role\/assumed-dev\//);
  });

  it('refreshes sts-temp on the next tile click without any page open', async () => {
    const before = sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp');
    await sleep(1100); // a later issue instant, so a later expiry
    await driver.clickAwsTile();
    await waitUntil(() => stsTempKey() !== before.aws_access_key_id, 'sts-temp to be refreshed by auto-sync');
    const after = sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp');
    expect(after.aws_access_key_id).toMatch(/^ASIA/);
    expect(Date.parse(after.x_security_token_expires!)).toBeGreaterThan(Date.parse(before.x_security_token_expires!));
    expect(sectionOf(readAwsFile(driver.home, 'config'), 'profile dev-env').source_profile).toBe('sts-temp');
    // The badge counts down the soonest expiry.
    await waitUntil(async () => TIME_LEFT.test(await driver.readBadge()), 'the badge to show the time left');
  });

  it('an expired assertion: one sentence in the popup, "!" on the badge, nothing written', async () => {
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    standIns.planNextAssertion({ validForSeconds: -60 });
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    await syncInPopup(popup, 'ReadOnly', 'readonly');
    expect(await roleAlert(popup, 'ReadOnly', /expired/)).toBe('Sign in again: the SAML assertion has expired.');
    await popup.close();
    // The automatic refresh of sts-temp failed too: the badge says so.
    expect(await driver.readBadge()).toBe('!');
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);
  });

  it('a role whose STS call is refused: one sentence in the popup, nothing written', async () => {
    const previous = stsTempKey();
    await driver.clickAwsTile();
    // The tile click auto-syncs sts-temp; wait for that write before taking the "before" picture.
    await waitUntil(() => stsTempKey() !== previous, 'auto-sync of sts-temp');
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    const popup = await driver.openPopup();
    await syncInPopup(popup, 'refused-by-trust-policy', 'refused');
    const text = await roleAlert(popup, 'refused-by-trust-policy', /./);
    expect(text).toMatch(/trust policy|not allowed|denied/i);
    expect(text.split(/(?<=\.)\s+/)).toHaveLength(1);
    await popup.close();
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);
  });

  const stsTemp = () => sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp');
  /** Waits for sts-temp to get a new key with a later expiry than `before`. */
  async function nextRefresh(before: Record<string, string>, what: string, timeoutMs = 90_000): Promise<Record<string, string>> {
    await waitUntil(() => stsTemp().aws_access_key_id !== before.aws_access_key_id, what, timeoutMs);
    const after = stsTemp();
    expect(Date.parse(after.x_security_token_expires!)).toBeGreaterThan(Date.parse(before.x_security_token_expires!));
    return after;
  }

  it('silent refresh keeps sts-temp fresh with no action and no new tab, also after the worker was stopped', async () => {
    standIns.idp.sessionDuration = 900;
    await turnOnRefresh(driver, { idpid: GOOGLE_IDPID, spid: GOOGLE_SPID }, 60);
    // One sign-in by the tile with 900 s credentials: 60 min before their expiry is now, so a refresh is due at once.
    const eightHours = stsTemp();
    await sleep(1100);
    await driver.clickAwsTile();
    await waitUntil(() => stsTemp().aws_access_key_id !== eightHours.aws_access_key_id, 'the tile click to sync 900 s credentials');
    let before = stsTemp();
    expect(Date.parse(before.x_security_token_expires!)).toBeLessThan(Date.now() + 16 * 60_000);

    const tabs = await driver.countTabs();
    const fetchesBefore = standIns.idp.initsso.length;
    for (let i = 1; i <= 3; i++) {
      // Nothing keeps the background awake between refreshes: the alarm has to wake it.
      await driver.stopBackground();
      before = await nextRefresh(before, `silent refresh ${i} of sts-temp`);
    }
    expect(await driver.countTabs()).toBe(tabs);
    const fetches = standIns.idp.initsso.slice(fetchesBefore);
    expect(fetches.length).toBeGreaterThanOrEqual(3);
    // The worker's fetch carried the SameSite=Lax session cookie.
    expect(fetches.every((f) => f.withSession)).toBe(true);
    const listing = await awsCli(driver.home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env']);
    expect(listing).toContain('hello.txt');
  }, 420_000);

  it('when the IdP session ends: one notification, nothing written, "needs you"; signing in makes it fresh again', async () => {
    const attempts = standIns.idp.initsso.length;
    // Let a refresh that is under way finish before the picture of the files is taken.
    await sleep(3_000);
    standIns.idp.endSession();
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    await waitUntil(() => standIns.idp.initsso.slice(attempts).some((f) => !f.withSession), 'a refresh attempt after the session ended', 90_000);
    await waitUntil(async () => (await driver.notifications()).includes('aws-saml-sync-refresh'), 'the "sign in again" notification', 8_000);
    expect((await driver.notifications()).filter((id) => id === 'aws-saml-sync-refresh')).toHaveLength(1);
    const popup = await driver.openPopup();
    await popup.find({ role: 'status', inRowOf: 'Sign in to refresh sts-temp' }, /^Refresh needs you: Your IdP wants you to sign in again/);
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);
    // The person clicks Sign in: the sign-in URL opens in a tab, they sign in, the normal capture does the rest.
    const before = stsTemp();
    await popup.click('Sign in to refresh sts-temp');
    await nextRefresh(before, 'the sign-in to refresh sts-temp', 30_000);
    const again = await driver.openPopup();
    await again.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshes by itself at /);
    await again.close();
    await popup.close().catch(() => undefined);
  }, 240_000);

  it.each([
    { mode: 'mfa' as const, says: /^Refresh needs you: Your IdP wants a second factor from you/ },
    { mode: 'account-chooser' as const, says: /^Refresh needs you: Your IdP wants you to pick an account/ },
  ])('when the IdP wants the person ($mode): "needs you", nothing written; signing in makes it fresh again', async ({ mode, says }) => {
    await sleep(3_000); // a scheduled refresh under way finishes before the picture of the files is taken
    standIns.idp.mode = mode;
    try {
      const credentialsBefore = readAwsBytes(driver.home, 'credentials');
      const configBefore = readAwsBytes(driver.home, 'config');
      const popup = await driver.openPopup();
      await popup.click('Refresh sts-temp');
      await popup.find({ role: 'status', inRowOf: 'Sign in to refresh sts-temp' }, says);
      expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
      expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);
      // The person deals with it in the IdP's own page (here: the stand-in stops asking), and signs in.
      standIns.idp.mode = 'normal';
      const before = stsTemp();
      await popup.click('Sign in to refresh sts-temp');
      await nextRefresh(before, `the sign-in after ${mode}`, 30_000);
      await popup.close().catch(() => undefined);
    } finally {
      standIns.idp.mode = 'normal';
    }
  }, 120_000);

  it('when the IdP answers HTTP 500: one sentence, nothing written; the next Refresh works', async () => {
    await sleep(3_000);
    standIns.idp.mode = 'http-500';
    try {
      const credentialsBefore = readAwsBytes(driver.home, 'credentials');
      const popup = await driver.openPopup();
      await popup.click('Refresh sts-temp');
      await popup.find({}, /Your IdP answered with an error/);
      expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
      standIns.idp.mode = 'normal';
      const before = stsTemp();
      await popup.click('Refresh sts-temp');
      await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/);
      await nextRefresh(before, 'Refresh sts-temp after the IdP error', 10_000);
      await popup.close();
    } finally {
      standIns.idp.mode = 'normal';
    }
  }, 120_000);

  it('"Refresh sts-temp" refreshes on demand; "Open console" signs in through federation', async () => {
    const popup = await driver.openPopup();
    const before = stsTemp();
    await popup.click('Refresh sts-temp');
    await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/);
    await nextRefresh(before, 'Refresh sts-temp', 10_000);

    const seen = standIns.idp.federation.length;
    await popup.click('Open console for sts-temp');
    await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Opened the AWS console as sts-temp\.$/);
    await popup.click('Open console for dev-env');
    await popup.find({}, /^Opened the AWS console as dev-env\.$/);
    await waitUntil(() => standIns.idp.federation.slice(seen).filter((f) => f.action === 'login').length === 2, 'both console tabs to load');
    const tokens = standIns.idp.federation.slice(seen).filter((f) => f.action === 'getSigninToken');
    expect(tokens.map((t) => t.sessionOk)).toEqual([true, true]);
    // SAML credentials ask for a console session length; chained ones must not (AWS refuses it for them).
    expect(tokens[0]!.sessionDuration).toMatch(/^\d+$/);
    expect(tokens[1]!.sessionDuration).toBeUndefined();
    expect(standIns.idp.federation.slice(seen).filter((f) => f.action === 'login').every((f) => f.sessionOk)).toBe(true);
    await popup.close();
  });

  it('"Refresh in a background tab": an inactive tab takes the sign-in and is closed after the capture', async () => {
    const options = await driver.openOptions();
    // A 1 min lead: the schedule stays out of the way while the tabs are counted.
    await options.fill('Refresh N minutes before expiry', '1');
    await options.check('Refresh in a background tab');
    await options.click('Save');
    await options.find({}, /^Saved\.$/);
    await options.close();
    const popup = await driver.openPopup();
    const tabs = await driver.countTabs();
    const posts = standIns.samlPosts;
    const before = stsTemp();
    await popup.click('Refresh sts-temp');
    await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/, 40_000);
    await nextRefresh(before, 'the background-tab refresh', 10_000);
    // The tab posted the form to AWS (the capture took it there) and is gone again.
    expect(standIns.samlPosts).toBe(posts + 1);
    await waitUntil(async () => (await driver.countTabs()) === tabs, 'the background tab to be closed', 10_000);
    await popup.close();
  });

  it('Google account number (authuser): the refresh asks Google for that account, and for none once it is cleared', async () => {
    await saveOptions(driver, async (options) => {
      await options.uncheck('Refresh in a background tab');
      await options.fill('Google account number (authuser)', '1');
    });
    await sleep(1100); // a later expiry than the last write's, to the second
    const popup = await driver.openPopup();
    let before = stsTemp();
    let asked = standIns.idp.initsso.length;
    await popup.click('Refresh sts-temp');
    await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/);
    before = await nextRefresh(before, 'the refresh through account 1', 10_000);
    expect(standIns.idp.initsso.slice(asked).map((f) => f.authuser)).toEqual(['1']);
    await popup.close();

    await saveOptions(driver, (options) => options.fill('Google account number (authuser)', ''));
    await sleep(1100);
    const again = await driver.openPopup();
    asked = standIns.idp.initsso.length;
    await again.click('Refresh sts-temp');
    await again.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/);
    await nextRefresh(before, 'the refresh with no account number', 10_000);
    expect(standIns.idp.initsso.slice(asked).map((f) => f.authuser)).toEqual([undefined]);
    await again.close();
  });

  it('"Remove dev-env" asks first: "Keep" leaves it, "Yes" takes it out of ~/.aws and sts-temp stays', async () => {
    const devEnv = () => sectionOf(readAwsFile(driver.home, 'config'), 'profile dev-env');
    expect(devEnv().source_profile).toBe('sts-temp');
    const popup = await driver.openPopup();
    await popup.click('Remove dev-env');
    await popup.find({}, /^Remove dev-env from ~\/\.aws\?$/);
    await popup.click('Keep dev-env');
    await popup.find({ role: 'button' }, /^Remove dev-env$/);
    expect(devEnv().source_profile).toBe('sts-temp');

    const key = stsTempKey();
    await popup.click('Remove dev-env');
    await popup.click('Yes, remove dev-env');
    await waitUntil(() => devEnv().source_profile === undefined, 'dev-env to leave ~/.aws/config');
    expect(readAwsFile(driver.home, 'config')).not.toMatch(/\[profile dev-env\]/);
    expect(stsTempKey()).toBe(key);
    await popup.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /\S/);
    await popup.close();
  });

  afterAll(() => {
    standIns.idp.sessionDuration = 28_800;
    standIns.idp.mode = 'normal';
  });
});

describe.each(DRIVERS)('the journey in $name without the native host', ({ launch }) => {
  it('tells what to install, keeps the copy fallback, and writes nothing', async () => {
    const driver = await launch(standIns, { withHost: false });
    try {
      await driver.clickAwsTile();
      const popup = await driver.openPopup();
      await confirmSignInOrigin(popup, 'accounts.google.com');
      await popup.find({ role: 'heading' }, /^Install the local helper$/);
      await popup.find({}, /npx aws-saml-sync-host install/);
      await syncInPopup(popup, 'saml-init', 'sts-temp');
      expect(await roleAlert(popup, 'saml-init', /not installed/)).toMatch(/npx aws-saml-sync-host install/);
      await popup.find({ role: 'button' }, /^Copy as environment variables for sts-temp$/);
      await popup.close();
      expect(existsSync(join(driver.home, '.aws', 'credentials'))).toBe(false);
      expect(existsSync(join(driver.home, '.aws', 'config'))).toBe(false);
    } finally {
      await driver.close();
    }
  });
});
