/**
 * utils/sts.ts against moto's STS (started by tests/support/moto-global-setup.ts): one role, the session length it
 * asks for, a chained role, 50 roles at once, and that the credentials it returns are accepted by moto for a
 * follow-up call, through the SDK and through the AWS CLI.
 *
 * moto runs through tests/support/moto_launcher.py: assertions with several roles in one Role attribute (the
 * fixture builder's default, Google's shape) would otherwise get HTTP 500 from moto 5.2.1, and moto would ignore
 * DurationSeconds, leaving the session-length tests unable to fail.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSamlResponse, type SamlLogin } from '../../utils/saml';
import { assumeChainedRole, assumeRolesWithSaml, assumeRoleWithSaml, type StsCredentials } from '../../utils/sts';
import { buildSamlResponse, DEFAULT_ROLES, manyRoles, type SamlResponseOptions } from '../support/saml-fixtures';
import { viaStandIn } from '../support/sts-route';

const run = promisify(execFile);
const endpoint = inject('motoEndpoint');
const [DEVELOPER, DEPLOYER] = DEFAULT_ROLES as [(typeof DEFAULT_ROLES)[0], (typeof DEFAULT_ROLES)[0]];

/** A login exactly as the extension has it: built by an IdP-shaped fixture, read by the real parser. */
function signIn(options: SamlResponseOptions = {}): SamlLogin {
  return parseSamlResponse(buildSamlResponse(options));
}

async function whoAmI(credentials: StsCredentials, region = 'us-east-1'): Promise<string | undefined> {
  const client = new STSClient({ region, endpoint, credentials });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

/** Seconds from now until `date`. */
const secondsLeft = (date: Date) => (date.getTime() - Date.now()) / 1000;

describe('AssumeRoleWithSAML against moto', () => {
  beforeAll(() => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('one role: credentials for that role, accepted by moto for GetCallerIdentity', async () => {
    const login = signIn({ roles: [DEVELOPER], roleSessionName: 'alice@example.com' });
    const credentials = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.secretAccessKey).not.toBe('');
    expect(credentials.sessionToken).not.toBe('');
    expect(credentials.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/Developer/alice@example.com');
    expect(await whoAmI(credentials)).toBe(credentials.assumedRoleArn);
  });

  it('asks the longest session allowed when nothing limits it (43200 s)', async () => {
    const login = signIn({ roles: [DEVELOPER] });
    const credentials = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    expect(credentials.durationSeconds).toBe(43_200);
    expect(secondsLeft(credentials.expiration)).toBeGreaterThan(43_200 - 60);
    expect(secondsLeft(credentials.expiration)).toBeLessThanOrEqual(43_200);
  });

  it('honours the assertion SessionDuration', async () => {
    const login = signIn({ roles: [DEVELOPER], sessionDuration: 7_200 });
    expect(login.sessionDuration).toBe(7_200);
    const credentials = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    expect(credentials.durationSeconds).toBe(7_200);
    expect(secondsLeft(credentials.expiration)).toBeGreaterThan(7_200 - 60);
    expect(secondsLeft(credentials.expiration)).toBeLessThanOrEqual(7_200);
  });

  it('honours the person\'s setting when it is shorter than SessionDuration', async () => {
    const login = signIn({ roles: [DEVELOPER], sessionDuration: 7_200 });
    const credentials = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint), maxSessionSeconds: 1_800 });
    expect(credentials.durationSeconds).toBe(1_800);
    expect(secondsLeft(credentials.expiration)).toBeGreaterThan(1_800 - 60);
    expect(secondsLeft(credentials.expiration)).toBeLessThanOrEqual(1_800);
  });

  it('chains into a secondary role: GetCallerIdentity says assumed-role/<role>/<session>, for one hour at most', async () => {
    const login = signIn({ roles: [DEVELOPER], roleSessionName: 'alice@example.com' });
    const base = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    const chained = await assumeChainedRole(base, 'arn:aws:iam::888777666555:role/assumed-dev', {
      ...viaStandIn(endpoint),
      roleSessionName: 'alice@example.com',
      externalId: 'team-42',
      durationSeconds: 7_200,
    });
    expect(chained.accessKeyId).not.toBe(base.accessKeyId);
    expect(chained.durationSeconds).toBe(3_600);
    expect(secondsLeft(chained.expiration)).toBeLessThanOrEqual(3_600);
    expect(secondsLeft(chained.expiration)).toBeGreaterThan(3_600 - 60);
    expect(await whoAmI(chained)).toBe('arn:aws:sts::888777666555:assumed-role/assumed-dev/alice@example.com');
  });

  it('chains with the default session name when none is given', async () => {
    const login = signIn({ roles: [DEVELOPER] });
    const base = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    const chained = await assumeChainedRole(base, 'arn:aws:iam::888777666555:role/team/assumed-dev', { ...viaStandIn(endpoint) });
    expect(await whoAmI(chained)).toBe('arn:aws:sts::888777666555:assumed-role/assumed-dev/aws-saml-sync');
  });

  it('bulk: 50 roles of one Google-shaped assertion all succeed, each result naming its role', async () => {
    const roles = manyRoles(50);
    const login = signIn({ roles, dialect: 'google', roleSessionName: 'alice@example.com' });
    expect(login.roles).toHaveLength(50);
    const results = await assumeRolesWithSaml(login, login.roles, { ...viaStandIn(endpoint) });
    expect(results).toHaveLength(50);
    for (const [i, result] of results.entries()) {
      expect(result.role).toBe(login.roles[i]);
      expect(result.ok, !result.ok ? result.error.message : '').toBe(true);
      if (!result.ok) continue;
      const { accountId, roleName } = login.roles[i]!;
      expect(result.credentials.assumedRoleArn).toBe(`arn:aws:sts::${accountId}:assumed-role/${roleName}/alice@example.com`);
    }
    const keys = new Set(results.map((r) => (r.ok ? r.credentials.accessKeyId : '')));
    expect(keys.size).toBe(50);
    // Spot-check that moto knows the keys it handed out (first, middle, last).
    for (const i of [0, 25, 49]) {
      const r = results[i]!;
      if (r.ok) expect(await whoAmI(r.credentials)).toBe(r.credentials.assumedRoleArn);
    }
  });

  it('one bad role in a bulk does not fail the others', async () => {
    const roles = [DEVELOPER, { ...DEPLOYER, roleArn: 'arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef' }, DEPLOYER];
    const login = signIn({ roles });
    const results = await assumeRolesWithSaml(login, login.roles, { ...viaStandIn(endpoint) });
    expect(results.map((r) => [r.role.roleName, r.ok])).toEqual([
      ['Developer', true],
      ['AWSReservedSSO_Admin_0123456789abcdef', false],
      ['Deployer', true],
    ]);
  });

  it('the AWS CLI accepts the credentials (what ~/.aws will hold): sts get-caller-identity and s3api list-buckets', async () => {
    const login = signIn({ roles: [DEPLOYER], roleSessionName: 'alice@example.com' });
    const c = await assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint) });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      AWS_SESSION_TOKEN: c.sessionToken,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const identity = JSON.parse((await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env })).stdout) as { Arn: string };
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/Deployer/alice@example.com');
    await run('aws', ['s3api', 'create-bucket', '--bucket', 'saml-sync-sts-test'], { env });
    const buckets = JSON.parse((await run('aws', ['s3api', 'list-buckets', '--output', 'json'], { env })).stdout) as { Buckets: { Name: string }[] };
    expect(buckets.Buckets.map((b) => b.Name)).toContain('saml-sync-sts-test');
  });
});
