/**
 * `npm run demo`: the whole journey as a rehearsal, on local stand-ins (no Google or AWS account needed):
 * a "Google Apps" launcher with an AWS tile, AWS's sign-in and STS (moto), Chromium with the built extension, the
 * native host installed by the project's own installer into a throwaway HOME. Your real ~/.aws is never touched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../tests/support/chromium';
import { launchChromiumJourney } from '../tests/support/chromium-journey';
import { awsCli, boto3ListObjects, maskSecrets, readAwsFile, sectionOf } from '../tests/support/journey';
import { addChainedProfile, confirmSignInOrigin, saveOptions, syncInPopup, turnOnAutoSync, turnOnRefresh } from '../tests/support/journey-driver';
import { GOOGLE_IDPID, GOOGLE_SPID, SEED, startJourneyStandIns } from '../tests/support/journey-stand-ins';
import { findMotoPython } from '../tests/support/moto';
import { sleep, waitUntil } from '../tests/support/wait';

const ROOT = join(import.meta.dirname, '..');
const SHOTS = join(ROOT, '.output', 'demo');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let stepNo = 0;
const step = (text: string) => console.log(`\n${bold(`${++stepNo}. ${text}`)}`);
const indent = (text: string) => text.replace(/^/gm, '     ');

function checkPrerequisites(): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push(`Chromium (${CHROMIUM_PATH}): apt-get install chromium, or set CHROMIUM_PATH`);
  try {
    findMotoPython();
  } catch (error) {
    missing.push((error as Error).message);
  }
  if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('the AWS CLI: pip install awscli');
  if (spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status !== 0) missing.push('boto3: pip install boto3');
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) missing.push('openssl: apt-get install openssl');
  if (missing.length) {
    console.error(`The demo needs:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  checkPrerequisites();
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const headed = !!process.env.DISPLAY && !process.env.CI;

  step('Start the stand-ins: a Google Apps launcher with an AWS tile, AWS sign-in, and moto as STS/S3/ECR');
  const standIns = await startJourneyStandIns();
  console.log(indent(`launcher ${standIns.launcherUrl}  ·  moto ${standIns.moto.endpoint}`));

  step(`Open Chromium (${headed ? 'headed' : 'headless'}) with the extension; install the native host with \`npm run host:install\``);
  const journey = await launchChromiumJourney(standIns, { withHost: true, headed });
  const home = journey.home;
  console.log(indent(`sandbox HOME: ${home}  (your own ~/.aws is not used)`));

  try {
    step('Click the AWS tile (the IdP posts a signed SAMLResponse to https://signin.aws.amazon.com/saml)');
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await popup.find({ role: 'heading' }, /^This sign-in came from accounts\.google\.com/);
    await popup.screenshot(join(SHOTS, '0-popup-confirm-idp.png'));
    console.log(indent('a first sign-in from an IdP you never confirmed waits for your word (another page could have posted it)'));
    await confirmSignInOrigin(popup, 'accounts.google.com');
    await popup.find({ role: 'button' }, /^Sync saml-init$/);
    await popup.screenshot(join(SHOTS, '1-popup-roles.png'));
    console.log(indent('the popup lists the roles of the assertion, grouped by account'));

    step('In the popup, sync the role saml-init as profile sts-temp');
    await syncInPopup(popup, 'saml-init', 'sts-temp');
    const status = await popup.find({ role: 'status', inRowOf: 'Sync saml-init' }, /sts-temp.*expires/);
    console.log(indent(`popup: ${status}`));
    await turnOnAutoSync(popup, 'sts-temp');
    console.log(indent('ticked "Sync on every sign-in" for sts-temp (a first sync never turns it on by itself)'));
    await popup.screenshot(join(SHOTS, '2-popup-synced.png'));
    await popup.close();

    step(`In the options page, add profile dev-env: source sts-temp, role ${SEED.chainedRole}`);
    const options = await addChainedProfile(journey, { profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.screenshot(join(SHOTS, '3-options-chained.png'), { fullPage: true });
    await options.close();

    step('The sandboxed ~/.aws files (secrets masked)');
    console.log(indent(`~/.aws/credentials\n${maskSecrets(readAwsFile(home, 'credentials'))}`));
    console.log(indent(`~/.aws/config\n${readAwsFile(home, 'config')}`));

    step(`aws s3 ls s3://${SEED.bucket}/mydir/ --profile dev-env`);
    console.log(indent(await awsCli(home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env'])));
    step(`boto3.Session(profile_name='dev-env').client('s3').list_objects(Bucket='${SEED.bucket}')`);
    console.log(indent(JSON.stringify(await boto3ListObjects(home, standIns.moto.endpoint, 'dev-env', SEED.bucket))));
    step('aws sts get-caller-identity --profile dev-env');
    console.log(indent(await awsCli(home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', 'dev-env'])));

    step('Click the AWS tile again later: sts-temp is refreshed in the background, no popup opened');
    const before = sectionOf(readAwsFile(home, 'credentials'), 'sts-temp');
    await sleep(1100);
    await journey.clickAwsTile();
    await waitUntil(
      () => sectionOf(readAwsFile(home, 'credentials'), 'sts-temp').aws_access_key_id !== before.aws_access_key_id,
      'the automatic refresh of sts-temp',
    );
    const after = sectionOf(readAwsFile(home, 'credentials'), 'sts-temp');
    console.log(indent(`sts-temp expiry: ${before.x_security_token_expires} -> ${after.x_security_token_expires}`));
    const last = await journey.openPopup();
    await last.screenshot(join(SHOTS, '4-popup-after-refresh.png'));
    await last.close();

    step('Turn on silent refresh in the options page: profiles are renewed through the IdP session before they expire');
    await turnOnRefresh(journey, { idpid: GOOGLE_IDPID, spid: GOOGLE_SPID }, 10);
    const tabs = await journey.countTabs();
    const stale = sectionOf(readAwsFile(home, 'credentials'), 'sts-temp');
    const refresh = await journey.openPopup();
    await refresh.click('Refresh sts-temp');
    console.log(indent(`popup: ${await refresh.find({ role: 'status', inRowOf: 'Refresh sts-temp' }, /^Refreshed sts-temp\.$/, 40_000)}`));
    await refresh.screenshot(join(SHOTS, '5-popup-silent-refresh.png'));
    await refresh.close();
    const fresh = sectionOf(readAwsFile(home, 'credentials'), 'sts-temp');
    console.log(indent(`a new SAML assertion from the IdP session, no tab opened (tabs: ${tabs} -> ${await journey.countTabs()}, new keys: ${fresh.aws_access_key_id !== stale.aws_access_key_id})`));
    console.log(indent('left on, it does the same by itself 10 minutes before each expiry, as long as the browser runs'));

    step('Serve sts-temp on demand (credential_process): the AWS CLI asks the running browser, keys stay off disk');
    await saveOptions(journey, (o) => o.check('Serve on demand (credential_process) of mapping 1'));
    await sleep(1100);
    await journey.clickAwsTile();
    const line = await waitUntil(() => sectionOf(readAwsFile(home, 'config'), 'profile sts-temp').credential_process, 'credential_process for sts-temp');
    console.log(indent(`~/.aws/config [profile sts-temp]: credential_process = ${line}`));
    console.log(indent(`~/.aws/credentials has a [sts-temp] section: ${/^\[sts-temp\]/m.test(readAwsFile(home, 'credentials'))}`));
    console.log(indent('$ aws sts get-caller-identity --profile sts-temp'));
    console.log(indent(await awsCli(home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', 'sts-temp'])));
    console.log(indent(`$ aws s3 ls s3://${SEED.bucket}/mydir/ --profile dev-env   (chained on top of it)`));
    console.log(indent(await awsCli(home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env'])));

    console.log(`\n${bold('Done.')} Screenshots: ${SHOTS}`);
  } finally {
    await journey.close();
    await standIns.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
