/**
 * Every setting of the options page takes effect, proven end to end in real Chromium and real Firefox ESR: each test
 * changes one option through the options page, as a person would, signs in again with the AWS tile, and checks the
 * effect where it lands: in ~/.aws, in what the STS stand-in was asked (host, DurationSeconds, RoleSessionName,
 * ExternalId), or in what the popup shows. Then the role picker: a login that goes on through AWS's "Select a role"
 * page (which posts the same assertion again) is synced once.
 *
 * One browser profile per browser runs the tests in order; each leaves the options as the next expects (said where).
 * Managed presets (public/managed-schema.json) are not set here: Chromium reads policies only from /etc, shared by
 * the whole machine; tests/unit/settings.test.ts covers merging them and tests/unit/managed-storage.test.ts a
 * managed storage that never answers.
 *
 * Stand-ins: tests/support/journey-stand-ins.ts. Drivers: tests/support/journey-driver.ts. One browser: `-t Chromium`.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumJourney } from '../support/chromium-journey';
import { launchFirefoxJourney } from '../support/firefox-journey';
import { readAwsBytes, readAwsFile, sectionOf } from '../support/journey';
import {
  saveOptions,
  syncDiagnosis,
  syncInPopup,
  turnOnAutoSync,
  type JourneyDriver,
  type JourneyDriverFactory,
} from '../support/journey-driver';
import {
  GOOGLE_IDPID,
  GOOGLE_SPID,
  REGIONAL_SIGNIN_HOST,
  SEED,
  startJourneyStandIns,
  VPCE_STS_HOST,
  type JourneyStandIns,
  type StsRequest,
} from '../support/journey-stand-ins';
import { sleep, waitUntil } from '../support/wait';

const DRIVERS: { name: string; launch: JourneyDriverFactory }[] = [
  { name: 'Chromium', launch: launchChromiumJourney },
  { name: 'Firefox', launch: launchFirefoxJourney },
];

const ACCOUNT = '111222333444';
const VPCE_URL = `https://${VPCE_STS_HOST}`;
const VPCE_PATTERN = `https://${VPCE_STS_HOST}/*`;

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

const samlCalls = (requests: StsRequest[], roleArn: string = SEED.baseRole) =>
  requests.filter((r) => r.action === 'AssumeRoleWithSAML' && r.roleArn === roleArn);

describe.each(DRIVERS)('every option takes effect in $name', ({ launch }) => {
  let driver: JourneyDriver;
  const credentials = (profile: string) => sectionOf(readAwsFile(driver.home, 'credentials'), profile);
  const config = (profile: string) => sectionOf(readAwsFile(driver.home, 'config'), `profile ${profile}`);
  const stsTempKey = () => credentials('sts-temp').aws_access_key_id;

  /** The host renames credentials first, then config: wait until neither file has changed for 300 ms. */
  async function filesSettled(): Promise<void> {
    const stamp = () =>
      (['credentials', 'config'] as const)
        .map((f) => {
          try {
            const st = statSync(join(driver.home, '.aws', f));
            return `${st.ino}:${st.mtimeMs}`;
          } catch {
            return '-';
          }
        })
        .join('|');
    let last = stamp();
    let since = Date.now();
    while (Date.now() - since < 300) {
      await sleep(50);
      const now = stamp();
      if (now !== last) [last, since] = [now, Date.now()];
    }
  }

  /** A tile click, then the auto-sync of sts-temp it starts (both files written); what STS was asked meanwhile. */
  async function signInAndSync(plan: Parameters<JourneyStandIns['planNextAssertion']>[0] = {}, pickRole?: string): Promise<StsRequest[]> {
    const mark = standIns.stsRequests.length;
    const before = stsTempKey();
    standIns.planNextAssertion(plan);
    await driver.clickAwsTile({ pickRole });
    await waitUntil(() => stsTempKey() !== before, 'auto-sync of sts-temp').catch(async (error: Error) => {
      throw new Error(`${error.message}; the extension recorded ${await syncDiagnosis(driver)}`);
    });
    await filesSettled();
    return standIns.stsRequests.slice(mark);
  }

  /** A tile click after which nothing is expected to be written: wait until the popup shows it was taken. */
  async function signInExpectingNoWrite(): Promise<StsRequest[]> {
    const mark = standIns.stsRequests.length;
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    await popup.find({ role: 'button' }, /^Sync ReadOnly$/);
    await popup.close();
    await sleep(2_000); // long enough for an auto-sync that should not happen to reach STS and the host
    return standIns.stsRequests.slice(mark);
  }

  beforeAll(async () => {
    driver = await launch(standIns, { withHost: true });
  });
  afterAll(async () => {
    await driver?.close();
  });

  it("Google idpid and spid: the popup's sign-in button goes there, and sign-ins from there count without a question", async () => {
    await saveOptions(driver, async (o) => {
      await o.fill('Google idpid', GOOGLE_IDPID);
      await o.fill('Google spid', GOOGLE_SPID);
    });
    const posts = standIns.samlPosts;
    const popup = await driver.openPopup();
    await popup.click('Sign in to AWS');
    await waitUntil(() => standIns.samlPosts === posts + 1, 'the sign-in opened from the popup to post to AWS');
    await popup.close();
    const after = await driver.openPopup();
    await after.find({ role: 'heading' }, new RegExp(`${SEED.accountName}.*${ACCOUNT}`));
    await syncInPopup(after, 'saml-init', 'sts-temp');
    await after.find({ role: 'status', inRowOf: 'Sync saml-init' }, /sts-temp.*expires/);
    await turnOnAutoSync(after, 'sts-temp');
    await after.close();
  });

  it('Other sign-in URL wins over the Google ids: a sign-in from Google then waits for the person', async () => {
    await saveOptions(driver, (o) => o.fill('Other sign-in URL', `https://idp.saml-sync.test/app/aws/sso`));
    const before = stsTempKey();
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    await popup.find({ role: 'heading' }, /^This sign-in came from accounts\.google\.com — use sign-ins from there\?$/);
    await popup.close();
    await sleep(1_000);
    expect(stsTempKey()).toBe(before);
    // Cleared, the Google ids apply again: the next sign-in from Google counts (and the question goes).
    await saveOptions(driver, (o) => o.fill('Other sign-in URL', ''));
    await signInAndSync();
  });

  it("a mapping's Region: written as region = … for that profile, over the default region", async () => {
    await saveOptions(driver, (o) => o.fill('Region of mapping 1', 'ap-southeast-2'));
    await signInAndSync();
    expect(config('sts-temp').region).toBe('ap-southeast-2');
    await saveOptions(driver, (o) => o.fill('Region of mapping 1', ''));
  });

  it('Default region: written as region = … for a profile without its own', async () => {
    await saveOptions(driver, (o) => o.fill('Default region', 'eu-west-2'));
    await signInAndSync();
    expect(config('sts-temp').region).toBe('eu-west-2');
  });

  it('Longest session (seconds): the DurationSeconds asked of STS, and the expiry written', async () => {
    await saveOptions(driver, (o) => o.fill('Longest session (seconds)', '7200'));
    const asked = samlCalls(await signInAndSync());
    expect(asked.map((r) => r.durationSeconds)).toEqual([7200]);
    const expires = Date.parse(credentials('sts-temp').x_security_token_expires!);
    expect(Math.abs(expires - (Date.now() + 7_200_000))).toBeLessThan(120_000);
  });

  it("a mapping's Duration (s) wins over the longest session for its role", async () => {
    await saveOptions(driver, (o) => o.fill('Duration (s) of mapping 1', '3600'));
    const asked = samlCalls(await signInAndSync());
    expect(asked.map((r) => r.durationSeconds)).toEqual([3600]);
    const expires = Date.parse(credentials('sts-temp').x_security_token_expires!);
    expect(Math.abs(expires - (Date.now() + 3_600_000))).toBeLessThan(120_000);
    // Back to the longest session for the tests below.
    await saveOptions(driver, (o) => o.fill('Duration (s) of mapping 1', ''));
  });

  it('Also write aws_security_token: the key appears in ~/.aws/credentials, and goes when unticked', async () => {
    await saveOptions(driver, (o) => o.check('Also write aws_security_token (for old tools)'));
    await signInAndSync();
    const written = credentials('sts-temp');
    expect(written.aws_security_token).toBeTruthy();
    expect(written.aws_security_token).toBe(written.aws_session_token);

    await saveOptions(driver, (o) => o.uncheck('Also write aws_security_token (for old tools)'));
    await signInAndSync();
    expect(credentials('sts-temp').aws_security_token).toBeUndefined();
  });

  it("STS region: STS is called there; unset, in the sign-in endpoint's region", async () => {
    await saveOptions(driver, (o) => o.fill('STS region', 'eu-west-1'));
    expect(samlCalls(await signInAndSync()).map((r) => r.host)).toEqual(['sts.eu-west-1.amazonaws.com']);

    await saveOptions(driver, (o) => o.fill('STS region', ''));
    // The IdP posts to AWS's regional sign-in endpoint: STS of that region.
    expect(samlCalls(await signInAndSync({ signInHost: REGIONAL_SIGNIN_HOST })).map((r) => r.host)).toEqual(['sts.eu-central-1.amazonaws.com']);
    // signin.aws.amazon.com is us-east-1.
    expect(samlCalls(await signInAndSync()).map((r) => r.host)).toEqual(['sts.us-east-1.amazonaws.com']);
  });

  it('Profile name template and a typed account alias: the name the popup suggests; the role chooser never renames it', async () => {
    await saveOptions(driver, async (o) => {
      await o.fill('Profile name template', 'team-{alias}-{role}');
      // The role chooser's name for the account was remembered at the first sign-in: type over it.
      expect(await o.value('Account ID of alias 1')).toBe(ACCOUNT);
      expect(await o.value('Name of alias 1')).toBe(SEED.accountName);
      await o.fill('Name of alias 1', 'my-sandbox');
    });
    // The role chooser page names the account "sandbox" again.
    await signInAndSync();
    await sleep(1_000);
    const popup = await driver.openPopup();
    expect(await popup.find({ role: 'heading' }, new RegExp(`${ACCOUNT}`))).toMatch(/^my-sandbox /);
    expect(await popup.value('Profile name for ReadOnly')).toBe('team-my-sandbox-ReadOnly');
    await popup.close();
    const options = await driver.openOptions();
    expect(await options.value('Name of alias 1')).toBe('my-sandbox');
    await options.close();

    await saveOptions(driver, (o) => o.fill('Profile name template', '{account}-{role}'));
    const again = await driver.openPopup();
    expect(await again.value('Profile name for ReadOnly', /^\d/)).toBe(`${ACCOUNT}-ReadOnly`);
    await again.close();
  });

  it('STS endpoint override: with the permission, STS is called at the VPC endpoint; without it, nothing is sent', async () => {
    await driver.grantHostPermission(VPCE_PATTERN);
    await saveOptions(driver, (o) => o.fill('STS endpoint override', VPCE_URL));
    const asked = samlCalls(await signInAndSync());
    expect(asked.map((r) => r.host)).toEqual([VPCE_STS_HOST]);

    await driver.revokeHostPermission(VPCE_PATTERN);
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    const mark = standIns.stsRequests.length;
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    const sentence = await popup.find({ role: 'alert' }, /no permission to reach/);
    expect(sentence).toContain(VPCE_STS_HOST);
    expect(sentence.replace(/^sts-temp: /, '').split(/(?<=\.)\s+/)).toHaveLength(1);
    await popup.close();
    expect(standIns.stsRequests.slice(mark).filter((r) => r.host === VPCE_STS_HOST)).toEqual([]);
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);

    await saveOptions(driver, (o) => o.fill('STS endpoint override', ''));
    expect(samlCalls(await signInAndSync()).map((r) => r.host)).toEqual(['sts.us-east-1.amazonaws.com']);
  });

  it("Auto-sync off: a tile click writes nothing; on again, it syncs", async () => {
    await saveOptions(driver, (o) => o.uncheck('Auto-sync of mapping 1'));
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    expect(samlCalls(await signInExpectingNoWrite())).toEqual([]);
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);

    await saveOptions(driver, (o) => o.check('Auto-sync of mapping 1'));
    expect(samlCalls(await signInAndSync())).toHaveLength(1);
  });

  it('a chained profile: its fields as source_profile config, and with "Resolve now" as keys from AssumeRole', async () => {
    const which = 'of chained profile 1';
    await saveOptions(driver, async (o) => {
      await o.click('Add chained profile');
      await o.fill(`Profile name ${which}`, 'chain-cfg');
      await o.fill(`Source profile ${which}`, 'sts-temp');
      await o.fill(`Role ARN ${which}`, SEED.chainedRole);
      await o.fill(`Region ${which}`, 'eu-west-1');
      await o.expand(`More options ${which}`);
      await o.fill(`External ID ${which}`, 'ext-id-123');
      await o.fill(`Session name ${which}`, 'chain-session');
      await o.fill(`Duration (s) ${which}`, '1800');
    });
    // Written at once: sts-temp is in ~/.aws already.
    await waitUntil(() => config('chain-cfg').role_arn, 'the chained profile in ~/.aws/config');
    // Besides the host's own x_aws_saml_sync markers (ignored by the CLI and SDKs):
    expect(Object.fromEntries(Object.entries(config('chain-cfg')).filter(([k]) => !k.startsWith('x_aws_saml_sync')))).toEqual({
      region: 'eu-west-1',
      source_profile: 'sts-temp',
      role_arn: SEED.chainedRole,
      role_session_name: 'chain-session',
      duration_seconds: '1800',
      external_id: 'ext-id-123',
    });
    expect(credentials('chain-cfg')).toEqual({});

    await saveOptions(driver, (o) => o.check(`Resolve now: assume the role in the extension and write its keys too ${which}`));
    const asked = await signInAndSync();
    const chained = asked.filter((r) => r.action === 'AssumeRole');
    expect(chained).toEqual([
      expect.objectContaining({ roleArn: SEED.chainedRole, durationSeconds: 1800, roleSessionName: 'chain-session', externalId: 'ext-id-123', host: 'sts.eu-west-1.amazonaws.com' }),
    ]);
    expect(credentials('chain-cfg').aws_access_key_id).toMatch(/^ASIA/);
    const expires = Date.parse(credentials('chain-cfg').x_security_token_expires!);
    expect(Math.abs(expires - (Date.now() + 1_800_000))).toBeLessThan(120_000);
    expect(config('chain-cfg').source_profile).toBeUndefined();
    expect(config('chain-cfg').role_arn).toBeUndefined();
  });

  it("a login through AWS's role picker is synced once: STS once per role, one write", async () => {
    // Two roles kept in sync, as the picker's person would have.
    const popup = await driver.openPopup();
    await syncInPopup(popup, 'ReadOnly', 'readonly');
    await popup.find({ role: 'status', inRowOf: 'Sync ReadOnly' }, /readonly.*expires/);
    await turnOnAutoSync(popup, 'readonly');
    await popup.close();

    const awsDir = join(driver.home, '.aws');
    /** Each host write renames a finished temp file over ~/.aws/credentials: count those renames. */
    const countWrites = async (login: () => Promise<unknown>) => {
      let renames = 0;
      const watcher: FSWatcher = watch(awsDir, (event, file) => {
        if (event === 'rename' && file === 'credentials') renames++;
      });
      const mark = standIns.stsRequests.length;
      try {
        await login();
        await sleep(2_000); // room for a second sync, if the picker's post were taken as a new login
        return { asked: standIns.stsRequests.slice(mark), renames };
      } finally {
        watcher.close();
      }
    };

    const plain = await countWrites(() => signInAndSync());
    expect(plain.renames).toBeGreaterThanOrEqual(1);

    const picks = standIns.pickerPosts;
    const picked = await countWrites(() => signInAndSync({}, 'ReadOnly'));
    expect(standIns.pickerPosts).toBe(picks + 1);
    expect(samlCalls(picked.asked, SEED.baseRole)).toHaveLength(1);
    expect(samlCalls(picked.asked, SEED.otherRole)).toHaveLength(1);
    expect(picked.asked.filter((r) => r.action === 'AssumeRole')).toHaveLength(1); // the resolved chain-cfg
    expect(picked.renames).toBe(plain.renames);
    expect(credentials('readonly').aws_access_key_id).toMatch(/^ASIA/);
  });
});
