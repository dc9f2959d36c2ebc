import { describe, expect, it } from 'vitest';
import { thrownSentence } from '../support/error-sentences';
import {
  DEFAULT_SETTINGS,
  mergeManagedSettings,
  migrateSettings,
  SettingsError,
  signInUrlOf,
  validateSettings,
} from '../../utils/settings';

const seed = {
  version: 1,
  mappings: [{ roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp' }],
  chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev', region: 'us-east-1' }],
};

describe('settings', () => {
  it('fills defaults', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ defaultRegion: 'us-east-1', maxSessionSeconds: 43200, mappings: [], chains: [] });
    const s = validateSettings(seed);
    expect(s.mappings[0]).toMatchObject({ profile: 'sts-temp', autoSync: true });
    expect(s.chains[0]).toMatchObject({ profile: 'dev-env', resolveNow: false });
  });

  it('migrates unversioned settings whose mappings were called profiles', () => {
    const s = migrateSettings({ profiles: seed.mappings, defaultRegion: 'eu-west-1' });
    expect(s.version).toBe(1);
    expect(s.defaultRegion).toBe('eu-west-1');
    expect(s.mappings).toHaveLength(1);
  });

  it('refuses settings from a newer version, naming what to do', () => {
    expect(thrownSentence(() => migrateSettings({ version: 99 }))).toMatch(/newer version.*update the extension/);
  });

  it.each([
    [{ ...seed, mappings: [{ roleArn: 'arn:aws:iam::1:role/x', profile: 'p' }] }, /mappings\.0\.roleArn.*IAM role ARN/],
    [{ ...seed, mappings: [{ roleArn: seed.mappings[0]!.roleArn, profile: 'bad name\n' }] }, /profile name/],
    [{ ...seed, chains: [{ ...seed.chains[0]!, profile: 'sts-temp' }] }, /used twice/],
    [{ ...seed, chains: [{ ...seed.chains[0]!, sourceProfile: 'dev-env' }] }, /own source/],
    [{ version: 1, stsEndpoint: 'http://sts.example.com' }, /https/],
    [{ version: 1, maxSessionSeconds: 99999 }, /maxSessionSeconds/],
  ])('rejects invalid settings with one sentence (%#)', (input, message) => {
    expect(() => validateSettings(input)).toThrow(SettingsError);
    expect(thrownSentence(() => validateSettings(input))).toMatch(message);
  });

  it('lets administrator presets win and keeps the person’s other entries', () => {
    const own = validateSettings({ ...seed, defaultRegion: 'eu-west-1' });
    const merged = mergeManagedSettings(own, {
      defaultRegion: 'us-west-2',
      googleIdpId: 'C0admin',
      mappings: [{ roleArn: 'arn:aws:iam::111122223333:role/ReadOnly', profile: 'company-ro' }],
    });
    expect(merged.defaultRegion).toBe('us-west-2');
    expect(merged.googleIdpId).toBe('C0admin');
    expect(merged.mappings.map((m) => m.profile)).toEqual(['company-ro', 'sts-temp']);
    expect(mergeManagedSettings(own, undefined)).toBe(own);
  });

  it('builds the Google sign-in URL from idpid and spid', () => {
    const s = validateSettings({ version: 1, googleIdpId: 'C01abc', googleSpId: '1234567' });
    expect(signInUrlOf(s)).toBe('https://accounts.google.com/o/saml2/initsso?idpid=C01abc&spid=1234567&forceauthn=false');
    expect(signInUrlOf(DEFAULT_SETTINGS)).toBeUndefined();
    expect(signInUrlOf(validateSettings({ version: 1, signInUrl: 'https://idp.example.com/aws', googleIdpId: 'x', googleSpId: 'y' }))).toBe(
      'https://idp.example.com/aws',
    );
  });
});
