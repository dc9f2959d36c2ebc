import { describe, expect, it, vi } from 'vitest';
import { syncProfiles, type ProfileWrite } from '../../utils/profile-sync';
import type { SamlRole } from '../../utils/saml';
import { validateSettings } from '../../utils/settings';
import { StsError, type assumeChainedRole, type assumeRolesWithSaml } from '../../utils/sts';
import { autoSyncTargets } from '../../utils/sync-plan';

const role = (account: string, name: string): SamlRole => ({
  roleArn: `arn:aws:iam::${account}:role/${name}`,
  principalArn: `arn:aws:iam::${account}:saml-provider/Google`,
  accountId: account,
  roleName: name,
  partition: 'aws',
});

const settings = validateSettings({
  version: 1,
  defaultRegion: 'eu-west-1',
  mappings: [
    { roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp' },
    { roleArn: 'arn:aws:iam::111222333444:role/refused', profile: 'refused' },
  ],
  chains: [
    { profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', region: 'us-east-1' },
    { profile: 'resolved', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/ci', resolveNow: true, externalId: 'ext-1' },
    { profile: 'from-refused', sourceProfile: 'refused', roleArn: 'arn:aws:iam::888777666555:role/x', resolveNow: true },
  ],
});

const expiration = new Date('2030-01-01T00:00:00Z');
const fakeCreds = (tag: string) => ({
  accessKeyId: `ASIA${tag}EXAMPLE`,
  secretAccessKey: `secret-${tag}`,
  sessionToken: `token-${tag}`,
  expiration,
});

const assumeMany = vi.fn(async (_login, roles: { roleArn: string }[]) =>
  roles.map((r) =>
    r.roleArn.endsWith('/refused')
      ? { role: r, ok: false as const, error: new StsError('AccessDenied', 'AWS refused: the role’s trust policy does not allow this SAML provider; ask your AWS admin.') }
      : { role: r, ok: true as const, credentials: fakeCreds('SAML') },
  ),
) as unknown as typeof assumeRolesWithSaml;
const assumeChain = vi.fn(async () => fakeCreds('CHAIN')) as unknown as typeof assumeChainedRole;

const login = { samlResponse: 'b64', roleSessionName: 'alice@example.com' };
const targets = autoSyncTargets([role('111222333444', 'saml-init'), role('111222333444', 'refused')], settings);

describe('syncProfiles', () => {
  it('writes the SAML profile, the config-only chain and the resolved chain in one call', async () => {
    const writeProfiles = vi.fn(async (_w: ProfileWrite[]) => undefined);
    const outcome = await syncProfiles({ login, targets, settings }, { writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain });

    expect(writeProfiles).toHaveBeenCalledTimes(1);
    const writes = writeProfiles.mock.calls[0]![0];
    expect(writes.map((w) => [w.profile, w.kind])).toEqual([
      ['sts-temp', 'saml'],
      ['dev-env', 'chained-config'],
      ['resolved', 'chained'],
    ]);
    expect(writes[0]).toMatchObject({ credentials: { accessKeyId: 'ASIASAMLEXAMPLE', expiration: expiration.toISOString() }, config: { region: 'eu-west-1' } });
    expect(writes[1]!.credentials).toBeUndefined();
    expect(writes[1]).toMatchObject({
      config: { source_profile: 'sts-temp', role_arn: 'arn:aws:iam::888777666555:role/assumed-dev', region: 'us-east-1' },
    });
    expect(assumeChain).toHaveBeenCalledWith(
      expect.objectContaining({ accessKeyId: 'ASIASAMLEXAMPLE' }),
      'arn:aws:iam::888777666555:role/ci',
      expect.objectContaining({ externalId: 'ext-1', roleSessionName: 'alice@example.com' }),
    );

    expect(outcome.roles).toEqual([
      expect.objectContaining({ profile: 'sts-temp', status: 'ok', copyAvailable: true }),
      expect.objectContaining({ profile: 'refused', status: 'error', error: expect.stringMatching(/trust policy/) }),
    ]);
    expect(Object.keys(outcome.held)).toEqual(['sts-temp', 'resolved']);
    // A chain whose source failed is not attempted.
    expect(outcome.chains.map((c) => c.profile)).toEqual(['dev-env', 'resolved']);
  });

  it('marks everything failed with the host’s sentence when the write fails, keeping credentials for copying', async () => {
    const writeProfiles = vi.fn(async () => {
      throw Object.assign(new Error('The aws-saml-sync helper is not installed; run npm run host:install.'), { name: 'HostUnavailableError' });
    });
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings }, { writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain });
    expect(outcome.writeError).toMatch(/not installed/);
    expect(outcome.roles[0]).toMatchObject({ status: 'error', copyAvailable: true, error: outcome.writeError });
    expect(outcome.held['sts-temp']).toBeDefined();
  });

  it('never passes a plain internal error message through', async () => {
    const writeProfiles = vi.fn(async () => {
      throw new Error('ENOENT /home/alice/.aws/credentials secret-SAML');
    });
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings: { ...settings, chains: [] } }, { writeProfiles, assumeRolesWithSaml: assumeMany });
    expect(outcome.writeError).toMatch(/^Something went wrong inside aws-saml-sync/);
  });

  it('writes nothing when every role failed', async () => {
    const writeProfiles = vi.fn();
    const outcome = await syncProfiles({ login, targets: targets.slice(1), settings }, { writeProfiles, assumeRolesWithSaml: assumeMany });
    expect(writeProfiles).not.toHaveBeenCalled();
    expect(outcome.roles[0]!.status).toBe('error');
  });
});

describe('syncProfiles without a login', () => {
  it('writes the chains hanging off profiles already in ~/.aws, resolving with held credentials', async () => {
    const writeProfiles = vi.fn(async (_w: ProfileWrite[]) => undefined);
    const held = { 'sts-temp': { accessKeyId: 'ASIAHELDEXAMPLE', secretAccessKey: 's', sessionToken: 't', expiration: expiration.toISOString(), roleArn: 'r' } };
    const outcome = await syncProfiles(
      { targets: [], settings, heldBefore: held, existingProfiles: ['sts-temp'] },
      { writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain },
    );
    expect(writeProfiles.mock.calls[0]![0].map((w) => w.profile)).toEqual(['dev-env', 'resolved']);
    expect(outcome.roles).toEqual([]);
  });
});

describe('syncProfiles when the host needs the person’s confirmation', () => {
  it('marks the roles so the popup can offer to replace the existing profile', async () => {
    const writeProfiles = vi.fn(async () => {
      throw Object.assign(new Error('Profile "sts-temp" in ~/.aws/credentials was not written by aws-saml-sync; pick another profile name or confirm.'), {
        name: 'HostError',
        errorName: 'NeedsConfirmation',
      });
    });
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings: { ...settings, chains: [] } }, { writeProfiles, assumeRolesWithSaml: assumeMany });
    expect(outcome.needsConfirmation).toBe(true);
    expect(outcome.roles[0]).toMatchObject({ status: 'error', needsConfirmation: true, copyAvailable: true });
  });
});
