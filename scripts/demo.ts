/**
 * `npm run demo`: the whole journey as a rehearsal, on local stand-ins (no Google or AWS account needed):
 * a "Google Apps" launcher with an AWS tile, AWS's sign-in and STS (moto), Chromium with the built extension, the
 * native host installed by the project's own installer into a throwaway HOME. Your real ~/.aws is never touched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../tests/support/build-global-setup';
import { CHROMIUM_PATH } from '../tests/support/chromium';
import { ChromiumJourney, launchForJourney, waitUntil } from '../tests/support/chromium-journey';
import { awsCli, boto3ListObjects, maskSecrets, readAwsFile, sectionOf } from '../tests/support/journey';
import { SEED, startJourneyStandIns } from '../tests/support/journey-stand-ins';
import { findMotoPython } from '../tests/support/moto';

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
  const browser = await launchForJourney(standIns, ensureBuilt('chrome'), { withHost: true, headed });
  const journey = new ChromiumJourney(browser, standIns);
  console.log(indent(`sandbox HOME: ${browser.home}  (your own ~/.aws is not used)`));

  try {
    step('Click the AWS tile (the IdP posts a signed SAMLResponse to https://signin.aws.amazon.com/saml)');
    await journey.clickAwsTile();
    const popup = await journey.openPopup();
    await popup.getByRole('button', { name: 'Sync saml-init' }).waitFor();
    await popup.screenshot({ path: join(SHOTS, '1-popup-roles.png') });
    console.log(indent('the popup lists the roles of the assertion, grouped by account'));

    step('In the popup, sync the role saml-init as profile sts-temp');
    await journey.syncInPopup(popup, 'saml-init', 'sts-temp');
    const status = popup.getByRole('status').filter({ hasText: 'sts-temp' }).filter({ hasText: /expires/ });
    await status.waitFor();
    console.log(indent(`popup: ${(await status.textContent())?.replace(/\s+/g, ' ').trim()}`));
    await popup.screenshot({ path: join(SHOTS, '2-popup-synced.png') });
    await popup.close();

    step(`In the options page, add profile dev-env: source sts-temp, role ${SEED.chainedRole}`);
    const options = await journey.addChainedProfile({ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: SEED.chainedRole, region: 'us-east-1' });
    await options.screenshot({ path: join(SHOTS, '3-options-chained.png'), fullPage: true });
    await options.close();

    step('The sandboxed ~/.aws files (secrets masked)');
    console.log(indent(`~/.aws/credentials\n${maskSecrets(readAwsFile(browser.home, 'credentials'))}`));
    console.log(indent(`~/.aws/config\n${readAwsFile(browser.home, 'config')}`));

    step(`aws s3 ls s3://${SEED.bucket}/mydir/ --profile dev-env`);
    console.log(indent(await awsCli(browser.home, standIns.moto.endpoint, ['s3', 'ls', `s3://${SEED.bucket}/mydir/`, '--profile', 'dev-env'])));
    step(`boto3.Session(profile_name='dev-env').client('s3').list_objects(Bucket='${SEED.bucket}')`);
    console.log(indent(JSON.stringify(await boto3ListObjects(browser.home, standIns.moto.endpoint, 'dev-env', SEED.bucket))));
    step('aws sts get-caller-identity --profile dev-env');
    console.log(indent(await awsCli(browser.home, standIns.moto.endpoint, ['sts', 'get-caller-identity', '--profile', 'dev-env'])));

    step('Click the AWS tile again later: sts-temp is refreshed in the background, no popup opened');
    const before = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    await new Promise((r) => setTimeout(r, 1100));
    await journey.clickAwsTile();
    await waitUntil(
      () => sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp').aws_access_key_id !== before.aws_access_key_id,
      'the automatic refresh of sts-temp',
    );
    const after = sectionOf(readAwsFile(browser.home, 'credentials'), 'sts-temp');
    console.log(indent(`sts-temp expiry: ${before.x_security_token_expires} -> ${after.x_security_token_expires}`));
    const last = await journey.openPopup();
    await last.screenshot({ path: join(SHOTS, '4-popup-after-refresh.png') });
    await last.close();

    console.log(`\n${bold('Done.')} Screenshots: ${SHOTS}`);
  } finally {
    await browser.close();
    await standIns.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
