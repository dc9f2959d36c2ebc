import { describe, expect, it, vi } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { localized } from '@/utils/localized-text';
import { syncProfiles, type ProfileWrite } from '../../utils/profile-sync';
import type { SamlRole } from '../../utils/saml';
import { validateSettings } from '../../utils/settings';
import { StsError, type assumeChainedRole, type assumeRolesWithSaml } from '../../utils/sts';
import { autoSyncTargets } from '../../utils/sync-plan';
import { HostUnavailableError } from '../../utils/native-client';

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
      ? { role: r, ok: false as const, error: new StsError('AccessDenied', localized('sts.samlAccessDenied')) }
      : { role: r, ok: true as const, credentials: fakeCreds('SAML') },
  ),
) as unknown as typeof assumeRolesWithSaml;
const assumeChain = vi.fn(async () => fakeCreds('CHAIN')) as unknown as typeof assumeChainedRole;

const login = { samlResponse: 'b64', roleSessionName: 'alice@example.com' };
const targets = autoSyncTargets([role('111222333444', 'saml-init'), role('111222333444', 'refused')], settings);

describe('syncProfiles', () => {
  it('writes the SAML profile, the config-only chain and the resolved chain in one call', async () => {
    const writeProfiles = vi.fn(async (_w: ProfileWrite[]) => undefined);
    const outcome = await syncProfiles({ login, targets, settings }, { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain });

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
      throw new HostUnavailableError();
    });
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings }, { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain });
    expect(outcome.writeError).toMatch(/not installed/);
    expect(outcome.roles[0]).toMatchObject({ status: 'error', copyAvailable: true, error: outcome.writeError });
    expect(outcome.held['sts-temp']).toBeDefined();
  });

  it('never passes a plain internal error message through', async () => {
    const writeProfiles = vi.fn(async () => {
      throw new Error('ENOENT /home/alice/.aws/credentials secret-SAML');
    });
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings: { ...settings, chains: [] } }, { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany });
    expect(outcome.writeError).toMatch(/^Something went wrong inside aws-saml-sync/);
  });

  it('writes nothing when every role failed', async () => {
    const writeProfiles = vi.fn();
    const outcome = await syncProfiles({ login, targets: targets.slice(1), settings }, { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany });
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
      { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: assumeChain },
    );
    expect(writeProfiles.mock.calls[0]![0].map((w) => w.profile)).toEqual(['dev-env', 'resolved']);
    expect(outcome.roles).toEqual([]);
  });

  it('asks STS for the SAML roles before the held credentials are read, and chains from them once they are', async () => {
    const writeProfiles = vi.fn(async (_w: ProfileWrite[]) => undefined);
    const held = { 'sts-temp': { accessKeyId: 'ASIAHELDEXAMPLE', secretAccessKey: 's', sessionToken: 't', expiration: expiration.toISOString(), roleArn: 'r' } };
    let readHeld!: (h: typeof held) => void;
    const heldBefore = new Promise<typeof held>((resolve) => (readHeld = resolve));
    const asked = vi.fn(assumeMany) as unknown as typeof assumeMany & ReturnType<typeof vi.fn>;
    const syncing = syncProfiles(
      { login, targets: targets.slice(0, 1), settings: { ...settings, chains: [] }, heldBefore },
      { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: asked },
    );
    await vi.waitFor(() => expect(asked).toHaveBeenCalledTimes(1));
    expect(writeProfiles).not.toHaveBeenCalled();
    readHeld(held);
    expect((await syncing).roles[0]!.status).toBe('ok');

    const chained = vi.fn(assumeChain);
    await syncProfiles(
      { targets: [], settings, heldBefore: Promise.resolve(held), existingProfiles: ['sts-temp'] },
      { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany, assumeChainedRole: chained },
    );
    expect(chained.mock.calls[0]![0]).toMatchObject({ accessKeyId: 'ASIAHELDEXAMPLE' });
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
    const outcome = await syncProfiles({ login, targets: targets.slice(0, 1), settings: { ...settings, chains: [] } }, { describeError: errorSentence, writeProfiles, assumeRolesWithSaml: assumeMany });
    expect(outcome.needsConfirmation).toBe(true);
    expect(outcome.roles[0]).toMatchObject({ status: 'error', needsConfirmation: true, copyAvailable: true });
  });
});

describe('what each setting changes in the STS calls', () => {
  it('a mapping’s duration is the session asked for that role; STS goes to the sign-in endpoint’s region unless an STS region is set', async () => {
    const calls: { roles: { roleArn: string; maxSessionSeconds?: number }[]; options: { region?: string; maxSessionSeconds?: number } }[] = [];
    const many = vi.fn(async (_login, roles: { roleArn: string }[], options: object) => {
      calls.push({ roles, options });
      return roles.map((r) => ({ role: r, ok: true as const, credentials: fakeCreds('SAML') }));
    }) as unknown as typeof assumeRolesWithSaml;
    const withDuration = validateSettings({ version: 1, defaultRegion: 'eu-west-1', mappings: [{ roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp', durationSeconds: 3600 }] });
    const t = autoSyncTargets([role('111222333444', 'saml-init')], { ...withDuration, mappings: withDuration.mappings.map((m) => ({ ...m, autoSync: true })) });
    await syncProfiles({ login, targets: t, settings: withDuration }, { describeError: errorSentence, writeProfiles: async () => undefined, assumeRolesWithSaml: many });
    expect(calls[0]!.roles[0]!.maxSessionSeconds).toBe(3600);
    // The default region is for ~/.aws/config, not for STS.
    expect(calls[0]!.options.region).toBeUndefined();
    await syncProfiles({ login, targets: t, settings: { ...withDuration, stsRegion: 'eu-central-1' } }, { describeError: errorSentence, writeProfiles: async () => undefined, assumeRolesWithSaml: many });
    expect(calls[1]!.options.region).toBe('eu-central-1');
  });

  it('assumes resolved chains of one level together, and a chain on a chain after its source', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const chain = vi.fn(async (_base, roleArn: string) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      order.push(roleArn.split('/').pop()!);
      return fakeCreds('CHAIN');
    }) as unknown as typeof assumeChainedRole;
    const nine = Array.from({ length: 9 }, (_, i) => ({ profile: `c${i}`, sourceProfile: 'sts-temp', roleArn: `arn:aws:iam::888777666555:role/c${i}`, resolveNow: true }));
    const s = validateSettings({
      version: 1,
      mappings: [{ roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp', autoSync: true }],
      chains: [...nine, { profile: 'deep', sourceProfile: 'c0', roleArn: 'arn:aws:iam::888777666555:role/deep', resolveNow: true }],
    });
    const outcome = await syncProfiles(
      { login, targets: autoSyncTargets([role('111222333444', 'saml-init')], s), settings: s },
      { describeError: errorSentence, writeProfiles: async () => undefined, assumeRolesWithSaml: assumeMany, assumeChainedRole: chain },
    );
    expect(outcome.chains.every((c) => c.status === 'ok')).toBe(true);
    expect(most).toBe(8);
    expect(order.at(-1)).toBe('deep');
  });
});
