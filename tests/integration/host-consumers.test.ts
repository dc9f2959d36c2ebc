/**
 * The real consumers of what the native host writes: credentials obtained from moto's STS exactly as the extension
 * obtains them (utils/sts.ts on an IdP-shaped SAML assertion), written by the spawned, bundled host, then used by the
 * AWS CLI (`aws configure get`, `aws sts get-caller-identity`, `aws s3 ls`), boto3 (`Session(profile_name=...)`) and
 * the AWS JS SDK, including the chained profile `dev-env` (`source_profile = sts-temp`, `role_arn`), which each of
 * them assumes on its own. The person's own sections, comments and nested blocks must come through byte for byte.
 *
 * moto (tests/support/moto-global-setup.ts) reports the assumed role of SAML credentials only for account
 * 123456789012 (see /work/shared/AWS-SAML-FACTS.md), hence that account for the SAML role.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WriteProfilesBody } from '../../utils/host-protocol';
import { parseSamlResponse } from '../../utils/saml';
import { assumeRoleWithSaml, type StsCredentials } from '../../utils/sts';
import { makeHome, startHost, type TempHome } from '../support/host-process';
import { buildSamlResponse } from '../support/saml-fixtures';
import { viaStandIn } from '../support/sts-route';

const run = promisify(execFile);
const endpoint = inject('motoEndpoint');
const ROOT = join(import.meta.dirname, '..', '..');

const SAML_ROLE = 'arn:aws:iam::123456789012:role/saml-init';
const SAML_PROVIDER = 'arn:aws:iam::123456789012:saml-provider/Google';
const CHAINED_ROLE = 'arn:aws:iam::888777666555:role/assumed-dev';
const BUCKET = 'aws-saml-sync-consumers';

/** What the person had before: their own profiles, comments, a nested s3 block, fake long-term keys. */
const CONFIG_BEFORE = [
  '# my config, edited by hand',
  '[default]',
  'region = us-west-2',
  'output = json',
  '',
  '[profile keep]',
  's3 =',
  '    max_concurrent_requests = 20',
  '    addressing_style = path',
  'region = eu-central-1',
  '',
].join('\n');
const CREDENTIALS_BEFORE = ['[personal]', '; long-term keys, never to be touched', 'aws_access_key_id = AKIAPERSONALEXAMPLE1', 'aws_secret_access_key = personalSecretEXAMPLE', ''].join('\n');

let home: TempHome;
let awsDir: string;

/** The CLI and boto3 as the person runs them: this HOME, moto as the endpoint, nothing from the test machine's AWS_*. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') && k !== 'AWS_CA_BUNDLE') delete env[k];
  return {
    ...env,
    HOME: home.path,
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
    AWS_CONFIG_FILE: join(awsDir, 'config'),
  };
}

async function aws(args: string[]): Promise<string> {
  const { stdout } = await run('aws', args, { env: consumerEnv(), timeout: 60_000 });
  return stdout.trim();
}

async function python(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('python3', ['-c', script, ...args], { env: consumerEnv(), timeout: 60_000 });
  return stdout.trim();
}

/** The AWS JS SDK v3's default credential chain (fromIni) for a profile, in a child process with this HOME. */
async function jsSdkCallerArn(profile: string): Promise<string> {
  const script = [
    "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';",
    "const client = new STSClient({ profile: process.argv[1], endpoint: process.env.AWS_ENDPOINT_URL, region: 'us-east-1' });",
    'const who = await client.send(new GetCallerIdentityCommand({}));',
    'console.log(who.Arn);',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, profile], { env: consumerEnv(), cwd: ROOT, timeout: 60_000 });
  return stdout.trim();
}

/** Fresh SAML credentials from moto, the way the extension gets them. */
async function samlCredentials(): Promise<StsCredentials> {
  const login = parseSamlResponse(
    buildSamlResponse({ roles: [{ roleArn: SAML_ROLE, principalArn: SAML_PROVIDER }], roleSessionName: 'alice@example.com' }),
  );
  return assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint), region: 'us-east-1' });
}

function writeBody(credentials: StsCredentials): WriteProfilesBody {
  return {
    profiles: [
      {
        profile: 'sts-temp',
        kind: 'saml',
        roleArn: SAML_ROLE,
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
          expiration: credentials.expiration.toISOString(),
        },
        config: { region: 'us-east-1' },
      },
      {
        profile: 'dev-env',
        kind: 'chained-config',
        roleArn: CHAINED_ROLE,
        config: { region: 'eu-west-1', source_profile: 'sts-temp', role_arn: CHAINED_ROLE, role_session_name: 'alice', duration_seconds: '3600' },
      },
    ],
  };
}

/** One write through a freshly spawned host, as the browser would start it; returns the reply body. */
async function writeWithHost(body: WriteProfilesBody): Promise<unknown> {
  const host = await startHost({ home: home.path });
  try {
    const reply = await host.request('writeProfiles', body);
    if (!reply.ok) throw new Error(`host refused the write: ${reply.error.code} ${reply.error.message}`);
    return reply.body;
  } finally {
    const exit = await host.close();
    expect(exit.code).toBe(0);
  }
}

/** The lines of one section, for comparing the person's own sections before and after. */
function sectionText(text: string, header: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(`[${header}]`);
  if (start < 0) return '';
  let end = start + 1;
  while (end < lines.length && !lines[end]!.startsWith('[')) end++;
  return lines.slice(start, end).join('\n');
}

beforeAll(async () => {
  home = await makeHome();
  awsDir = join(home.path, '.aws');
  mkdirSync(awsDir, { mode: 0o700 });
  writeFileSync(join(awsDir, 'config'), CONFIG_BEFORE, { mode: 0o644 });
  writeFileSync(join(awsDir, 'credentials'), CREDENTIALS_BEFORE, { mode: 0o600 });
  await writeWithHost(writeBody(await samlCredentials()));
});

afterAll(async () => {
  await home?.cleanup();
});

describe('files written by the host, read by the AWS CLI', () => {
  it('aws configure get reads back every key the host wrote, from both files', async () => {
    expect(await aws(['configure', 'get', 'region', '--profile', 'sts-temp'])).toBe('us-east-1');
    expect(await aws(['configure', 'get', 'aws_access_key_id', '--profile', 'sts-temp'])).toMatch(/^ASIA/);
    expect(await aws(['configure', 'get', 'x_security_token_expires', '--profile', 'sts-temp'])).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await aws(['configure', 'get', 'source_profile', '--profile', 'dev-env'])).toBe('sts-temp');
    expect(await aws(['configure', 'get', 'role_arn', '--profile', 'dev-env'])).toBe(CHAINED_ROLE);
    expect(await aws(['configure', 'get', 'region', '--profile', 'dev-env'])).toBe('eu-west-1');
    expect(await aws(['configure', 'get', 'duration_seconds', '--profile', 'dev-env'])).toBe('3600');
  });

  it('the person’s own profiles and nested s3 block are unchanged, and the CLI still reads them', async () => {
    const config = readFileSync(join(awsDir, 'config'), 'utf8');
    const credentials = readFileSync(join(awsDir, 'credentials'), 'utf8');
    expect(config.startsWith(CONFIG_BEFORE)).toBe(true);
    expect(credentials.startsWith(CREDENTIALS_BEFORE)).toBe(true);
    expect(await aws(['configure', 'get', 's3.max_concurrent_requests', '--profile', 'keep'])).toBe('20');
    expect(await aws(['configure', 'get', 'region'])).toBe('us-west-2');
    expect(await aws(['configure', 'get', 'aws_access_key_id', '--profile', 'personal'])).toBe('AKIAPERSONALEXAMPLE1');
  });

  it('the existing files keep their modes', () => {
    expect(statSync(join(awsDir, 'config')).mode & 0o777).toBe(0o644);
    expect(statSync(join(awsDir, 'credentials')).mode & 0o777).toBe(0o600);
  });

  it('aws sts get-caller-identity --profile sts-temp is the SAML role', async () => {
    const who = JSON.parse(await aws(['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com');
  });

  it('aws sts get-caller-identity --profile dev-env assumes the chained role through source_profile', async () => {
    const who = JSON.parse(await aws(['sts', 'get-caller-identity', '--profile', 'dev-env', '--output', 'json'])) as { Arn: string };
    expect(who.Arn).toMatch(/^arn:aws:sts::888777666555:assumed-role\/assumed-dev\/alice$/);
  });

  it('aws s3 ls through the chained profile lists a bucket made with the SAML profile', async () => {
    await aws(['s3', 'mb', `s3://${BUCKET}`, '--profile', 'sts-temp', '--region', 'us-east-1']);
    const file = join(home.path, 'hello.txt');
    writeFileSync(file, 'hello');
    await aws(['s3', 'cp', file, `s3://${BUCKET}/mydir/hello.txt`, '--profile', 'sts-temp', '--region', 'us-east-1']);
    expect(await aws(['s3', 'ls', `s3://${BUCKET}/mydir/`, '--profile', 'dev-env'])).toContain('hello.txt');
  });
});

describe('files written by the host, read by boto3 and the JS SDK', () => {
  it('boto3 Session(profile_name=...) for the SAML profile and the chained one', async () => {
    const script = [
      'import boto3, json, sys',
      'out = {}',
      'for name in sys.argv[1:]:',
      '    s = boto3.Session(profile_name=name)',
      '    out[name] = {"arn": s.client("sts").get_caller_identity()["Arn"], "region": s.region_name}',
      'print(json.dumps(out))',
    ].join('\n');
    const result = JSON.parse(await python(script, 'sts-temp', 'dev-env')) as Record<string, { arn: string; region: string }>;
    expect(result['sts-temp']).toEqual({ arn: 'arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com', region: 'us-east-1' });
    expect(result['dev-env']!.arn).toMatch(/^arn:aws:sts::888777666555:assumed-role\/assumed-dev\/alice$/);
    expect(result['dev-env']!.region).toBe('eu-west-1');
  });

  it('boto3 lists the bucket through the chained profile', async () => {
    const script = ['import boto3, json, sys', 's = boto3.Session(profile_name="dev-env")', 'r = s.client("s3").list_objects(Bucket=sys.argv[1])', 'print(json.dumps([o["Key"] for o in r.get("Contents", [])]))'].join('\n');
    expect(JSON.parse(await python(script, BUCKET))).toContain('mydir/hello.txt');
  });

  it('the AWS JS SDK (fromIni) reads both profiles, also the chained one', async () => {
    expect(await jsSdkCallerArn('sts-temp')).toBe('arn:aws:sts::123456789012:assumed-role/saml-init/alice@example.com');
    expect(await jsSdkCallerArn('dev-env')).toMatch(/assumed-role\/assumed-dev\//);
  });
});

describe('a later sync', () => {
  it('refreshes sts-temp in place: new keys work, everything else byte-identical, the chain still works', async () => {
    const configBefore = readFileSync(join(awsDir, 'config'), 'utf8');
    const credentialsBefore = readFileSync(join(awsDir, 'credentials'), 'utf8');
    const oldKey = await aws(['configure', 'get', 'aws_access_key_id', '--profile', 'sts-temp']);

    await writeWithHost(writeBody(await samlCredentials()));

    const credentialsAfter = readFileSync(join(awsDir, 'credentials'), 'utf8');
    expect(readFileSync(join(awsDir, 'config'), 'utf8')).toBe(configBefore);
    expect(sectionText(credentialsAfter, 'personal')).toBe(sectionText(credentialsBefore, 'personal'));
    expect(credentialsAfter.split('\n')).toHaveLength(credentialsBefore.split('\n').length);
    const newKey = await aws(['configure', 'get', 'aws_access_key_id', '--profile', 'sts-temp']);
    expect(newKey).not.toBe(oldKey);
    const who = JSON.parse(await aws(['sts', 'get-caller-identity', '--profile', 'sts-temp', '--output', 'json'])) as { Arn: string };
    expect(who.Arn).toContain('assumed-role/saml-init/');
    // The CLI caches dev-env's assumed role in ~/.aws/cli/cache; remove it so the chain is really assumed again.
    await run('rm', ['-rf', join(awsDir, 'cli', 'cache')]);
    expect(await aws(['sts', 'get-caller-identity', '--profile', 'dev-env', '--query', 'Arn', '--output', 'text'])).toMatch(/assumed-role\/assumed-dev\//);
  });
});
