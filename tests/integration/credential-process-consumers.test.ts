/**
 * credential_process as its real consumers run it: the installed launcher (npm's installer, into a HOME whose path
 * has a space, so the quoting is tested too), profiles written by the real host as `credential_process`, and the AWS
 * CLI, boto3 and the AWS JS SDK calling moto with what `credentials --profile sts-temp` prints: from the cache with
 * no browser, then through a serving host whose fake extension answers with credentials from moto's STS.
 * `dev-env` (source_profile = sts-temp) is assumed by each consumer on top of it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureHostBuilt } from '../../host/build';
import { runInstaller } from '../../host/install';
import { parseSamlResponse } from '../../utils/saml';
import { assumeRoleWithSaml } from '../../utils/sts';
import { cacheDir, startServingHost } from '../support/credential-process';
import { startHost } from '../support/host-process';
import { buildSamlResponse } from '../support/saml-fixtures';
import { viaStandIn } from '../support/sts-route';

const run = promisify(execFile);
const endpoint = inject('motoEndpoint');
const ROOT = join(import.meta.dirname, '..', '..');
const SAML_ROLE = 'arn:aws:iam::123456789012:role/saml-init';
const SAML_PROVIDER = 'arn:aws:iam::123456789012:saml-provider/Google';
const CHAINED_ROLE = 'arn:aws:iam::888777666555:role/assumed-dev';
const BUCKET = 'mybucket';

let home: string;
let launcher: string;

function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('XDG_')) delete env[k];
  return { ...env, HOME: home, AWS_ENDPOINT_URL: endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function aws(args: string[]): Promise<string> {
  const { stdout } = await run('aws', args, { env: consumerEnv(), timeout: 60_000 });
  return stdout.trim();
}

async function callerArn(profile: string): Promise<string> {
  return (JSON.parse(await aws(['sts', 'get-caller-identity', '--profile', profile, '--output', 'json'])) as { Arn: string }).Arn;
}

async function samlCredentials() {
  const login = parseSamlResponse(buildSamlResponse({ roles: [{ roleArn: SAML_ROLE, principalArn: SAML_PROVIDER }], roleSessionName: 'alice@example.com' }));
  const c = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint), region: 'us-east-1' });
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.toISOString() };
}

beforeAll(async () => {
  home = await realpath(await mkdtemp(join(tmpdir(), 'aws saml sync cp-')));
  await runInstaller({ action: 'install', browsers: ['chromium'], manifestDir: join(home, 'manifests') }, { home, env: {}, hostBundle: ensureHostBuilt });
  launcher = join(home, '.local', 'share', 'aws-saml-sync', 'aws-saml-sync-host');
  const host = await startHost({ home, command: launcher });
  const reply = await host.request('writeProfiles', {
    profiles: [
      { profile: 'sts-temp', kind: 'saml', roleArn: SAML_ROLE, credentials: await samlCredentials(), config: { region: 'us-east-1' }, writeAs: 'credential-process' },
      { profile: 'dev-env', kind: 'chained-config', roleArn: CHAINED_ROLE, config: { region: 'us-east-1', source_profile: 'sts-temp', role_arn: CHAINED_ROLE, role_session_name: 'alice' } },
    ],
  });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  await host.close();
}, 120_000);

afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('credential_process written by the host', () => {
  it('config names the installed launcher, quoted; no keys for sts-temp in the credentials file', async () => {
    const config = readFileSync(join(home, '.aws', 'config'), 'utf8');
    expect(config).toContain(`credential_process = "${launcher}" credentials --profile sts-temp`);
    expect(await aws(['configure', 'get', 'credential_process', '--profile', 'sts-temp'])).toBe(`"${launcher}" credentials --profile sts-temp`);
    let credentials = '';
    try {
      credentials = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
    } catch {
      // no credentials file at all: fine
    }
    expect(credentials).not.toContain('[sts-temp]');
    // hello reports the same launcher.
    const host = await startHost({ home, command: launcher });
    const hello = await host.request('hello', {});
    await host.close();
    expect(hello).toMatchObject({ ok: true, body: { launcher: `"${launcher}"` } });
  });
});

describe('no browser running: served from the cache', () => {
  it('aws sts get-caller-identity --profile sts-temp', async () => {
    expect(await callerArn('sts-temp')).toBe('arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com');
  });

  it('aws s3 ls s3://mybucket/mydir/ --profile dev-env (source_profile on top of credential_process)', async () => {
    await aws(['s3', 'mb', `s3://${BUCKET}`, '--profile', 'sts-temp', '--region', 'us-east-1']);
    const file = join(home, 'hello.txt');
    writeFileSync(file, 'hello');
    await aws(['s3', 'cp', file, `s3://${BUCKET}/mydir/hello.txt`, '--profile', 'sts-temp', '--region', 'us-east-1']);
    expect(await aws(['s3', 'ls', `s3://${BUCKET}/mydir/`, '--profile', 'dev-env'])).toContain('hello.txt');
    expect(await callerArn('dev-env')).toBe('arn:aws:sts::888777666555:assumed-role/assumed-dev/alice');
  });

  it('boto3 Session(profile_name=...) for sts-temp and dev-env', async () => {
    const script = "import boto3,sys\nfor p in sys.argv[1:]:\n  print(boto3.Session(profile_name=p).client('sts', region_name='us-east-1').get_caller_identity()['Arn'])";
    const { stdout } = await run('python3', ['-c', script, 'sts-temp', 'dev-env'], { env: consumerEnv(), timeout: 60_000 });
    expect(stdout.trim().split('\n')).toEqual([
      'arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com',
      'arn:aws:sts::888777666555:assumed-role/assumed-dev/alice',
    ]);
  });

  it('the AWS JS SDK v3 (default credential chain) for sts-temp and dev-env', async () => {
    const script = [
      "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';",
      'for (const profile of process.argv.slice(1)) {',
      "  const client = new STSClient({ profile, endpoint: process.env.AWS_ENDPOINT_URL, region: 'us-east-1' });",
      '  console.log((await client.send(new GetCallerIdentityCommand({}))).Arn);',
      '}',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, 'sts-temp', 'dev-env'], { env: consumerEnv(), cwd: ROOT, timeout: 60_000 });
    expect(stdout.trim().split('\n')).toEqual([
      'arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com',
      'arn:aws:sts::888777666555:assumed-role/assumed-dev/alice',
    ]);
  });
});

describe('the browser running: served through the extension', () => {
  it('aws sts get-caller-identity and aws s3 ls through dev-env, asking the extension once', async () => {
    rmSync(join(cacheDir(home), 'sts-temp.json'));
    const fresh = await samlCredentials();
    const serving = await startServingHost(home, async () => ({ credentials: fresh }), { command: launcher });
    try {
      expect(serving.reply).toMatchObject({ ok: true });
      expect(await callerArn('sts-temp')).toBe('arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com');
      expect(await aws(['s3', 'ls', `s3://${BUCKET}/mydir/`, '--profile', 'dev-env'])).toContain('hello.txt');
      expect(serving.asks).toEqual(['sts-temp']);
    } finally {
      await serving.stop();
    }
  });

  it('20 concurrent aws invocations are all answered, with one ask to the extension for a fresh fetch', async () => {
    rmSync(join(cacheDir(home), 'sts-temp.json'));
    const fresh = await samlCredentials();
    const serving = await startServingHost(
      home,
      async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { credentials: fresh };
      },
      { command: launcher },
    );
    try {
      const arns = await Promise.all(Array.from({ length: 20 }, () => callerArn('sts-temp')));
      expect(new Set(arns)).toEqual(new Set(['arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com']));
      // One set of credentials was ever handed out: every caller got those.
      expect(serving.asks).toEqual(['sts-temp']);
    } finally {
      await serving.stop();
    }
  }, 120_000);
});
