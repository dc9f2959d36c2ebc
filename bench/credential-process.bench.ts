/**
 * credential_process: the round trip an `aws` command pays each time, `aws-saml-sync-host credentials --profile
 * sts-temp` spawned until it exits with the JSON, against a serving host (the bundled host, as the browser starts
 * it) with a fake extension on its native side: answered from the host's cache (the usual case, >= 15 minutes
 * left), and with an ask to the extension every time (< 15 minutes left). Target median <= 150 ms. Printed beside
 * the AWS CLI's own start-up (`aws --version`) for scale.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { exampleCredentials, runCli, startServingHost } from '../tests/support/credential-process';
import { hostBundle, makeHome, startHost } from '../tests/support/host-process';
import { measure, report } from './measure';

const run = promisify(execFile);

export default async function bench(): Promise<void> {
  await hostBundle();
  const home = await makeHome('aws-saml-sync-bench-cp-');
  try {
    const check = async () => {
      const r = await runCli(home.path, ['--profile', 'sts-temp']);
      if (r.code !== 0) throw new Error(`credentials failed: ${r.stderr}`);
    };

    // Fresh fetch every time: the cache and the extension hold credentials with 10 minutes left.
    const short = exampleCredentials(10);
    const writer = await startHost({ home: home.path });
    await writer.request('writeProfiles', {
      profiles: [{ profile: 'sts-temp', kind: 'saml', roleArn: 'arn:aws:iam::123456789012:role/saml-init', credentials: short, config: {}, writeAs: 'credential-process' }],
    });
    await writer.close();
    const asking = await startServingHost(home.path, async () => ({ credentials: short }));
    const viaExtension = await measure(check, 20, 2);
    await asking.stop();

    // From the serving host's cache (>= 15 minutes left), the usual case.
    const long = exampleCredentials(60);
    const serving = await startServingHost(home.path, async () => ({ credentials: long }));
    await check(); // first one asks the extension and fills the cache
    const fromCache = await measure(check, 20, 2);
    await serving.stop();

    // No browser: from the on-disk cache.
    const offline = await measure(check, 20, 2);

    report('credential_process round trip, from the serving host’s cache', fromCache.median, 'ms', { max: 150 });
    report('credential_process round trip, asking the extension', viaExtension.median, 'ms', { max: 150 });
    report('credential_process round trip, browser closed (disk cache)', offline.median, 'ms', { max: 150 });
    const nodeStart = await measure(() => run(process.execPath, ['-e', '0']), 10, 1);
    report('for scale: node -e 0 (Node starting, nothing else)', nodeStart.median, 'ms');
    if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0) {
      const awsStart = await measure(() => run('aws', ['--version']), 5, 1);
      report('for scale: aws --version (the AWS CLI starting)', awsStart.median, 'ms');
    }
  } finally {
    await home.cleanup();
  }
}
