import { describe, expect, it } from 'vitest';
import { badgeFor } from '../../utils/badge';
import { envExportLines } from '../../utils/env-export';
import { defaultProfileName, isValidProfileName } from '../../utils/profile-naming';
import type { SamlRole } from '../../utils/saml';
import { validateSettings } from '../../utils/settings';
import { autoSyncTargets, chainsHangingOff, rememberMapping } from '../../utils/sync-plan';

const role = (arn: string): SamlRole => {
  const [, partition, , , accountId, res] = arn.split(':') as [string, SamlRole['partition'], string, string, string, string];
  return { roleArn: arn, principalArn: `arn:${partition}:iam::${accountId}:saml-provider/G`, accountId, roleName: res.split('/').pop()!, partition };
};

describe('defaultProfileName', () => {
  const r = role('arn:aws:iam::111222333444:role/team/app/Deployer');
  it('fills placeholders and keeps only profile-name characters', () => {
    expect(defaultProfileName('{alias}-{role}', r, 'acme prod')).toBe('acme-prod-Deployer');
    expect(defaultProfileName('{alias}-{role}', r)).toBe('111222333444-Deployer');
    expect(defaultProfileName('{account}/{path}/{role}', r)).toBe('111222333444team-appDeployer');
    expect(defaultProfileName('[{role}]\n', r)).toBe('Deployer');
    expect(defaultProfileName('###', r)).toBe('111222333444-Deployer');
    expect(isValidProfileName(defaultProfileName('{unknown}', r))).toBe(true);
  });
});

describe('envExportLines', () => {
  it('quotes values for any POSIX shell', () => {
    const text = envExportLines(
      { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: "se'cret", sessionToken: 'tok', expiration: new Date('2026-01-01T00:00:00Z') },
      { region: 'eu-west-1' },
    );
    expect(text).toContain(`export AWS_SECRET_ACCESS_KEY='se'\\''cret'`);
    expect(text).toContain(`export AWS_CREDENTIAL_EXPIRATION='2026-01-01T00:00:00.000Z'`);
    expect(text).toContain(`export AWS_REGION='eu-west-1'`);
    expect(text.trim().split('\n')).toHaveLength(6);
  });
});

describe('badgeFor', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('shows minutes of the soonest live profile, hours past 99 minutes, and ! on failure', () => {
    expect(badgeFor(['2026-01-01T12:59:30Z', '2026-01-01T13:30:00Z', '2026-01-01T11:00:00Z'], now).text).toEqual({ key: 'badge.minutesLeft', params: { minutes: 59 } });
    expect(badgeFor(['2026-01-01T20:00:00Z'], now).text).toEqual({ key: 'badge.hoursLeft', params: { hours: 8 } });
    expect(badgeFor(['2026-01-01T12:05:00Z'], now).color).not.toBe(badgeFor(['2026-01-01T13:05:00Z'], now).color);
    expect(badgeFor([], now).text).toBe('');
    expect(badgeFor(['2026-01-01T20:00:00Z'], now, 'STS refused').text).toBe('!');
  });
});

describe('sync plan', () => {
  const settings = validateSettings({
    version: 1,
    mappings: [
      { roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp' },
      { roleArn: 'arn:aws:iam::111222333444:role/other', profile: 'other', autoSync: false },
      { roleArn: 'arn:aws:iam::999999999999:role/absent', profile: 'absent' },
    ],
    chains: [
      { profile: 'deep', sourceProfile: 'dev-env', roleArn: 'arn:aws:iam::888777666555:role/deeper' },
      { profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev' },
      { profile: 'orphan', sourceProfile: 'absent', roleArn: 'arn:aws:iam::888777666555:role/x' },
    ],
  });
  const roles = ['saml-init', 'other'].map((n) => role(`arn:aws:iam::111222333444:role/${n}`));

  it('auto-syncs remembered mappings with auto-sync on whose role is in the login', () => {
    expect(autoSyncTargets(roles, settings).map((t) => t.profile)).toEqual(['sts-temp']);
  });

  it('orders chains after their sources and leaves out chains of unsynced sources', () => {
    expect(chainsHangingOff(['sts-temp'], settings.chains).map((c) => c.profile)).toEqual(['dev-env', 'deep']);
    expect(chainsHangingOff([], settings.chains)).toEqual([]);
  });

  it('remembers a role’s profile, replacing an older mapping of the same role or name', () => {
    const s = rememberMapping(settings, 'arn:aws:iam::111222333444:role/other', 'sts-temp');
    expect(s.mappings.filter((m) => m.profile === 'sts-temp')).toHaveLength(1);
    expect(s.mappings.find((m) => m.profile === 'sts-temp')!.roleArn).toBe('arn:aws:iam::111222333444:role/other');
    expect(s.mappings.find((m) => m.profile === 'sts-temp')!.autoSync).toBe(false);
  });
});
