/**
 * credential_process end to end (issue 12), one scenario run in real Chromium and real Firefox ESR with the same
 * assertions: the person switches `sts-temp` to "Serve on demand" in the options page and chains `dev-env` on it;
 * the real AWS CLI and boto3 (against moto) get their credentials from the running browser through the installed
 * helper; when the IdP session has ended, the command fails with the IdP's sentence and nothing is written; inside
 * botocore's 15 minutes a command's ask is answered with a silent refresh through the IdP session, no tab opened;
 * with the browser quit, the helper serves its cache while 5 minutes are left, then says to open the browser.
 *
 * Short sessions: 900 s from the assertion's SessionDuration (AWS's least) for the refresh; below that the STS
 * stand-in rewrites moto's Expiration (`samlExpiresInSeconds`) to reach a session's last 5 minutes without waiting.
 * The tests of a browser run in order, each on what the one before left.
 *
 * Stand-ins: tests/support/journey-stand-ins.ts. Drivers: tests/support/journey-driver.ts. One browser: `-t Chromium`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isListening } from '../../host/credential-server';
import { OPEN_BROWSER_SENTENCE } from '../../host/credentials-cli';
import { cacheDir, runCredentialProcess, socketPath, type CliRun } from '../support/credential-process';
import { launchChromiumJourney } from '../support/chromium-journey';
import { launchFirefoxJourney } from '../support/firefox-journey';
import { awsCli, boto3AccessKeyId, boto3ListObjects, readAwsBytes, readAwsFile, sectionOf } from '../support/journey';
import { addChainedProfile, firstSignIn, saveOptions, turnOnRefresh, type JourneyDriver, type JourneyDriverFactory } from '../support/journey-driver';
import { GOOGLE_IDPID, GOOGLE_SPID, SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';
import { sleep, waitUntil } from '../support/wait';

const DRIVERS: { name: string; launch: JourneyDriverFactory }[] = [
  { name: 'Chromium', launch: launchChromiumJourney },
  { name: 'Firefox', launch: launchFirefoxJourney },
];

/** What the helper says when the IdP wants the person (entrypoints/background/credential-process.ts). */
const IDP_SENTENCE = 'Your IdP wants you to sign in again: click the AWS tile in your browser (or run with --open).';
const FIVE_MINUTES = 5 * 60_000;

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

interface Printed {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

describe.each(DRIVERS)('credential_process in $name', ({ launch }) => {
  let driver: JourneyDriver;
  const config = (profile: string) => sectionOf(readAwsFile(driver.home, 'config'), `profile ${profile}`);
  const credentials = (profile: string) => sectionOf(readAwsFile(driver.home, 'credentials'), profile);
  /** The helper's cache entry for sts-temp: what the extension last gave it (compared, never printed). */
  const cached = (): { accessKeyId: string; expiration: string } | undefined => {
    const file = join(cacheDir(driver.home), 'sts-temp.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { credentials: { accessKeyId: string; expiration: string } }).credentials : undefined;
  };
  const cli = (args: string[]) => awsCli(driver.home, standIns.moto.endpoint, args);
  /** The command ~/.aws/config runs for sts-temp, run as botocore runs it. */
  const credentialProcess = (): Promise<CliRun> => runCredentialProcess(driver.home, config('sts-temp').credential_process!);
  const samlCallsSince = (mark: number) => standIns.stsRequests.slice(mark).filter((r) => r.action === 'AssumeRoleWithSAML' && r.roleArn === SEED.baseRole);

  /** A tile click whose auto-sync hands sts-temp's new credentials to the helper's cache. */
  async function signInAgain(what: string): Promise<{ accessKeyId: string; expiration: string }> {
    const before = cached()?.accessKeyId;
    await sleep(1_100); // a later issue instant
    await driver.clickAwsTile();
    await waitUntil(() => cached() !== undefined && cached()!.accessKeyId !== before, what);
    return cached()!;
  }

  beforeAll(async () => {
    driver = await launch(standIns, { withHost: true });
  });
  afterAll(async () => {
    standIns.idp.sessionDuration = 28_800;
    standIns.samlExpiresInSeconds = undefined;
    await driver?.close();
  });

  it('the options page switches sts-temp to credential_process and chains dev-env on it: ~/.aws runs the helper, no keys', async () => {
    await firstSignIn(driver);
    expect(credentials('sts-temp').aws_access_key_id).toMatch(/^ASIA/);
    await saveOptions(driver, (o) => o.check('Serve on demand (credential_process) of mapping 1'));
    // Written the new way as the page says "Saved.", from the credentials this browser holds: no keys left.
    expect(config('sts-temp').credential_process).toMatch(/ credentials --profile sts-temp$/);
    expect(credentials('sts-temp')).toEqual({});
    const options = await addChainedProfile(driver, { profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.close();
    // And so at every sync after it: the person signs in again.
    await signInAgain('the sign-in after the switch to reach the helper');

    expect(config('sts-temp').credential_process).toMatch(/ credentials --profile sts-temp$/);
    // The installed helper (its launcher in the helper's data folder under this HOME), double-quoted.
    expect(config('sts-temp').credential_process).toMatch(new RegExp(`^"${driver.home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^"]+"`));
    expect(readAwsFile(driver.home, 'credentials')).not.toMatch(/^\[sts-temp\]/m);
    expect(credentials('sts-temp')).toEqual({});
    expect(config('dev-env')).toMatchObject({ source_profile: 'sts-temp', role_arn: SEED.chainedRole, region: 'us-east-1' });
  });

  it('with the browser running, the AWS CLI and boto3 get sts-temp and dev-env through credential_process', async () => {
    const identity = JSON.parse(await cli(['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(identity.Arn).toContain('assumed-role/saml-init/');
    expect(await cli(['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env'])).toContain('hello.txt');
    expect(await boto3ListObjects(driver.home, standIns.moto.endpoint, 'dev-env', SEED.bucket)).toEqual([SEED.objectKey]);
    expect(await boto3ListObjects(driver.home, standIns.moto.endpoint, 'sts-temp', SEED.bucket)).toEqual([SEED.objectKey]);
    // What the browser handed over, as botocore sees it: the credentials the extension synced (8 h, so no refresh).
    expect(await boto3AccessKeyId(driver.home, standIns.moto.endpoint, 'sts-temp')).toBe(cached()!.accessKeyId);
  });

  it("when the IdP session has ended: exit 1 with the IdP's sentence, ~/.aws untouched; then the person signs in again", async () => {
    // A 1 minute lead: refresh's own schedule stays out of the way; a command's ask is what refreshes.
    await turnOnRefresh(driver, { idpid: GOOGLE_IDPID, spid: GOOGLE_SPID }, 1);
    // Credentials in their last 5 minutes, so nothing may be served instead.
    standIns.samlExpiresInSeconds = 240;
    const old = await signInAgain('the tile click to serve 4 min credentials');
    expect(Date.parse(old.expiration)).toBeLessThan(Date.now() + FIVE_MINUTES);
    await sleep(2_000); // a refresh under way finishes before the picture of the files is taken
    standIns.idp.endSession();
    const credentialsBefore = readAwsBytes(driver.home, 'credentials');
    const configBefore = readAwsBytes(driver.home, 'config');
    const stsMark = standIns.stsRequests.length;
    const fetchMark = standIns.idp.initsso.length;

    const run = await credentialProcess();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout === '', 'nothing on stdout').toBe(true);
    expect(run.stderr.trim()).toBe(IDP_SENTENCE);
    // It did ask the IdP (without a session now) and sent nothing to STS.
    expect(standIns.idp.initsso.slice(fetchMark).some((f) => !f.withSession)).toBe(true);
    expect(samlCallsSince(stsMark)).toEqual([]);
    expect(readAwsBytes(driver.home, 'credentials')).toEqual(credentialsBefore);
    expect(readAwsBytes(driver.home, 'config')).toEqual(configBefore);
    expect(cached()!.accessKeyId).toBe(old.accessKeyId);

    // The person signs in (the IdP's login page, then the tile's post), now with 900 s, AWS's shortest session.
    standIns.samlExpiresInSeconds = undefined;
    standIns.idp.sessionDuration = 900;
    const fresh = await signInAgain('the sign-in after the session ended');
    expect(fresh.accessKeyId).not.toBe(old.accessKeyId);
    expect(Date.parse(fresh.expiration)).toBeLessThan(Date.now() + 15 * 60_000);
  }, 180_000);

  it("inside botocore's 15 minutes: the command's ask is answered by a silent refresh through the IdP session, no tab opened", async () => {
    const short = cached()!;
    const tabs = await driver.countTabs();
    const stsMark = standIns.stsRequests.length;
    const fetchMark = standIns.idp.initsso.length;
    const key = await boto3AccessKeyId(driver.home, standIns.moto.endpoint, 'sts-temp');
    expect(key).toMatch(/^ASIA/);
    expect(key).not.toBe(short.accessKeyId);
    // A new AssumeRoleWithSAML from an assertion the worker fetched with the IdP's session cookie.
    expect(samlCallsSince(stsMark).length).toBeGreaterThanOrEqual(1);
    const fetches = standIns.idp.initsso.slice(fetchMark);
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    expect(fetches.every((f) => f.withSession)).toBe(true);
    // The key boto3 got is the refreshed one the helper cached last.
    await waitUntil(() => cached()?.accessKeyId === key, 'the helper to cache the refreshed credentials');
    expect(await driver.countTabs()).toBe(tabs);

    const identity = JSON.parse(await cli(['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(identity.Arn).toContain('assumed-role/saml-init/');
    expect(await cli(['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env'])).toContain('hello.txt');
    expect(await driver.countTabs()).toBe(tabs);
  }, 240_000);

  it('with the browser quit: the cached credentials while 5 minutes are left, then the sentence to open the browser', async () => {
    // The person's last sign-in before quitting gave a 6 min session (so its last 5 minutes come within a minute).
    standIns.samlExpiresInSeconds = 360;
    const last = await signInAgain('the last sign-in before the browser quits');
    await driver.quit();
    // Its serving helper ended with it.
    await waitUntil(async () => !(await isListening(socketPath(driver.home))), 'the serving helper to end with the browser', 20_000);

    const served = await credentialProcess();
    expect(served.code, served.stderr).toBe(0);
    const printed = JSON.parse(served.stdout) as Printed;
    // Field by field: a failed match must not print the secret.
    expect(printed.Version).toBe(1);
    expect(printed.AccessKeyId).toBe(last.accessKeyId);
    expect(printed.Expiration).toBe(new Date(last.expiration).toISOString());
    expect(Date.parse(printed.Expiration) - Date.now()).toBeGreaterThanOrEqual(FIVE_MINUTES);
    expect(served.stderr).toBe('');
    // The AWS CLI too, with no browser at all.
    const identity = JSON.parse(await cli(['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(identity.Arn).toContain('assumed-role/saml-init/');

    // Past the last 5 minutes: nothing is served.
    await sleep(Math.max(0, Date.parse(printed.Expiration) - FIVE_MINUTES - Date.now() + 1_000));
    const late = await credentialProcess();
    expect(late.code, late.stderr).toBe(1);
    expect(late.stdout === '', 'nothing on stdout').toBe(true);
    expect(late.stderr.trim()).toBe(OPEN_BROWSER_SENTENCE);
  }, 180_000);
});
