/**
 * The endpoint and signing region the real SDK client uses for roles of each partition (aws, aws-us-gov, aws-cn)
 * and for a custom endpoint, answered by moto. tests/support/sts-route.ts plays DNS: it records where the SDK meant
 * to go, then delivers the request to moto (Host header kept), as the e2e tests do with --host-resolver-rules. The unit table for the same choice is tests/unit/sts-endpoint.test.ts.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { parseSamlResponse } from '../../utils/saml';
import { assumeChainedRole, assumeRoleWithSaml, StsError, type StsOptions } from '../../utils/sts';
import { buildSamlResponse } from '../support/saml-fixtures';
import { StsRoute } from '../support/sts-route';

const moto = new URL(inject('motoEndpoint'));

const handlers: StsRoute[] = [];
afterAll(() => handlers.forEach((h) => h.destroy()));

function via(): { dns: StsRoute; options: StsOptions } {
  const dns = new StsRoute(moto.origin);
  handlers.push(dns);
  return { dns, options: { requestHandler: dns as never } };
}

function loginFor(partition: string, destination?: string) {
  const account = '123456789012';
  return parseSamlResponse(
    buildSamlResponse({
      roles: [{ roleArn: `arn:${partition}:iam::${account}:role/Developer`, principalArn: `arn:${partition}:iam::${account}:saml-provider/ExampleIdP` }],
      roleSessionName: 'alice@example.com',
      destination,
    }),
  );
}

describe('STS endpoint per partition, through the SDK, answered by moto', () => {
  it.each([
    ['aws, nothing set', 'aws', {}, undefined, 'https://sts.us-east-1.amazonaws.com/', 'us-east-1'],
    ['aws, region setting', 'aws', { region: 'eu-west-1' }, undefined, 'https://sts.eu-west-1.amazonaws.com/', 'eu-west-1'],
    ['aws, regional SAML destination', 'aws', {}, 'https://eu-central-1.signin.aws.amazon.com/saml', 'https://sts.eu-central-1.amazonaws.com/', 'eu-central-1'],
    ['GovCloud, nothing set', 'aws-us-gov', {}, 'https://signin.amazonaws-us-gov.com/saml', 'https://sts.us-gov-west-1.amazonaws.com/', 'us-gov-west-1'],
    ['GovCloud, a commercial region setting', 'aws-us-gov', { region: 'us-east-1' }, undefined, 'https://sts.us-gov-west-1.amazonaws.com/', 'us-gov-west-1'],
    ['GovCloud, us-gov-east-1 setting', 'aws-us-gov', { region: 'us-gov-east-1' }, undefined, 'https://sts.us-gov-east-1.amazonaws.com/', 'us-gov-east-1'],
    ['China, nothing set', 'aws-cn', {}, 'https://signin.amazonaws.cn/saml', 'https://sts.cn-north-1.amazonaws.com.cn/', 'cn-north-1'],
    ['China, regional SAML destination', 'aws-cn', {}, 'https://cn-northwest-1.signin.amazonaws.cn/saml', 'https://sts.cn-northwest-1.amazonaws.com.cn/', 'cn-northwest-1'],
  ])('%s: SAML and chained calls go to the regional endpoint and sign for its region', async (_label, partition, settings, destination, url, region) => {
    const { dns, options } = via();
    const base = await assumeRoleWithSaml(loginFor(partition, destination), loginFor(partition).roles[0]!, { ...options, ...settings });
    const chained = await assumeChainedRole(base, `arn:${partition}:iam::888777666555:role/assumed-dev`, {
      ...options,
      ...settings,
      samlDestination: destination,
      roleSessionName: 'alice',
    });
    expect(dns.sent).toEqual([
      { url, action: 'AssumeRoleWithSAML', signingRegion: undefined }, // unsigned: no credentials needed
      { url, action: 'AssumeRole', signingRegion: region },
    ]);
    // moto places the session in the partition of the region it was signed for.
    expect(chained.assumedRoleArn).toBe(`arn:${partition}:sts::888777666555:assumed-role/assumed-dev/alice`);
  });

  it('a FIPS endpoint replaces the URL for both calls and signs for its own region', async () => {
    const { dns, options } = via();
    const custom = { ...options, stsEndpoint: 'https://sts-fips.us-gov-west-1.amazonaws.com', region: 'us-gov-east-1' };
    const base = await assumeRoleWithSaml(loginFor('aws-us-gov'), loginFor('aws-us-gov').roles[0]!, custom);
    await assumeChainedRole(base, 'arn:aws-us-gov:iam::888777666555:role/assumed-dev', custom);
    expect(dns.sent).toEqual([
      { url: 'https://sts-fips.us-gov-west-1.amazonaws.com/', action: 'AssumeRoleWithSAML', signingRegion: undefined },
      { url: 'https://sts-fips.us-gov-west-1.amazonaws.com/', action: 'AssumeRole', signingRegion: 'us-gov-west-1' },
    ]);
  });

  it.each([
    ['a host that is not STS', 'https://evil.test'],
    ['an API Gateway host with an AWS certificate', 'https://x.execute-api.us-east-1.amazonaws.com'],
    ['loopback', `${moto.origin}`],
    ['an STS host of another partition', 'https://sts.cn-north-1.amazonaws.com.cn'],
  ])('sends nothing to %s', async (_label, stsEndpoint) => {
    const { dns, options } = via();
    const error = await assumeRoleWithSaml(loginFor('aws'), loginFor('aws').roles[0]!, { ...options, stsEndpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StsError);
    expect((error as StsError).code).toBe('InvalidInput');
    expect(errorSentence(error)).toMatch(/^[A-Z][^\n]*\.$/);
    expect(dns.sent).toEqual([]);
  });

  it('sends nothing to an endpoint the extension has no permission for', async () => {
    const { dns, options } = via();
    const asked: string[] = [];
    const allowEndpoint = async (url: string) => (asked.push(url), false);
    const stsEndpoint = 'https://vpce-0a1b2c3d-abcdefgh.sts.eu-west-2.vpce.amazonaws.com';
    const error = await assumeRoleWithSaml(loginFor('aws'), loginFor('aws').roles[0]!, { ...options, stsEndpoint, allowEndpoint }).catch((e: unknown) => e);
    expect((error as StsError).code).toBe('EndpointNotAllowed');
    expect(errorSentence(error)).toContain('vpce-0a1b2c3d-abcdefgh.sts.eu-west-2.vpce.amazonaws.com');
    expect(asked).toEqual([stsEndpoint]);
    expect(dns.sent).toEqual([]);
  });

  it('a custom endpoint with a region in its host name signs for that region', async () => {
    const { dns, options } = via();
    const custom = { ...options, stsEndpoint: 'https://vpce-0a1b2c3d-abcdefgh.sts.eu-west-2.vpce.amazonaws.com', region: 'us-east-1' };
    const base = await assumeRoleWithSaml(loginFor('aws'), loginFor('aws').roles[0]!, custom);
    await assumeChainedRole(base, 'arn:aws:iam::888777666555:role/assumed-dev', custom);
    expect(dns.sent.map((s) => [s.url, s.signingRegion])).toEqual([
      ['https://vpce-0a1b2c3d-abcdefgh.sts.eu-west-2.vpce.amazonaws.com/', undefined],
      ['https://vpce-0a1b2c3d-abcdefgh.sts.eu-west-2.vpce.amazonaws.com/', 'eu-west-2'],
    ]);
  });
});
