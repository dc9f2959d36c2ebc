/**
 * Which STS endpoint and signing region each role goes to, for every partition, with region settings, regional SAML
 * destinations and custom endpoints. No network: the same choice is exercised through the real SDK against moto in
 * tests/integration/sts-endpoints.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { PARTITION_NAMES, PARTITIONS, STS_HOST_PATTERNS, type Partition } from '../../utils/aws-endpoints';
import { regionalStsUrl, resolveStsTarget, StsEndpointError, type StsTargetInput } from '../../utils/sts-endpoint';

const AWS = 'arn:aws:iam::123456789012:role/Developer';
const GOV = 'arn:aws-us-gov:iam::123456789012:role/Developer';
const CN = 'arn:aws-cn:iam::123456789012:role/team/app/Deployer';

type Row = [string, StsTargetInput, { endpoint: string; region: string; source: string }];

const TABLE: Row[] = [
  // aws
  ['aws, nothing set', { roleArn: AWS }, { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' }],
  ['aws, region setting', { roleArn: AWS, region: 'eu-west-1' }, { endpoint: 'https://sts.eu-west-1.amazonaws.com', region: 'eu-west-1', source: 'setting' }],
  [
    'aws, regional SAML destination',
    { roleArn: AWS, samlDestination: 'https://eu-central-1.signin.aws.amazon.com/saml' },
    { endpoint: 'https://sts.eu-central-1.amazonaws.com', region: 'eu-central-1', source: 'saml-destination' },
  ],
  [
    'aws, the setting wins over the destination',
    { roleArn: AWS, region: 'ap-southeast-2', samlDestination: 'https://eu-central-1.signin.aws.amazon.com/saml' },
    { endpoint: 'https://sts.ap-southeast-2.amazonaws.com', region: 'ap-southeast-2', source: 'setting' },
  ],
  [
    'aws, global SAML destination names no region',
    { roleArn: AWS, samlDestination: 'https://signin.aws.amazon.com/saml' },
    { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' },
  ],
  [
    'aws, a GovCloud region setting is ignored',
    { roleArn: AWS, region: 'us-gov-west-1' },
    { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' },
  ],
  [
    'aws, a region setting that is not a region is ignored',
    { roleArn: AWS, region: 'Frankfurt' },
    { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' },
  ],
  [
    'aws, a look-alike destination host is ignored',
    { roleArn: AWS, samlDestination: 'https://eu-west-1.signin.aws.amazon.com.evil.example/saml' },
    { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' },
  ],
  // aws-us-gov: always regional
  ['GovCloud, nothing set', { roleArn: GOV }, { endpoint: 'https://sts.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1', source: 'partition-default' }],
  ['GovCloud, region setting', { roleArn: GOV, region: 'us-gov-east-1' }, { endpoint: 'https://sts.us-gov-east-1.amazonaws.com', region: 'us-gov-east-1', source: 'setting' }],
  [
    'GovCloud, a commercial region setting is ignored',
    { roleArn: GOV, region: 'us-east-1' },
    { endpoint: 'https://sts.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1', source: 'partition-default' },
  ],
  [
    'GovCloud, sign-in destination',
    { roleArn: GOV, samlDestination: 'https://signin.amazonaws-us-gov.com/saml' },
    { endpoint: 'https://sts.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1', source: 'partition-default' },
  ],
  // aws-cn: always regional, its own DNS suffix
  ['China, nothing set', { roleArn: CN }, { endpoint: 'https://sts.cn-north-1.amazonaws.com.cn', region: 'cn-north-1', source: 'partition-default' }],
  ['China, region setting', { roleArn: CN, region: 'cn-northwest-1' }, { endpoint: 'https://sts.cn-northwest-1.amazonaws.com.cn', region: 'cn-northwest-1', source: 'setting' }],
  [
    'China, regional SAML destination',
    { roleArn: CN, samlDestination: 'https://cn-northwest-1.signin.amazonaws.cn/saml' },
    { endpoint: 'https://sts.cn-northwest-1.amazonaws.com.cn', region: 'cn-northwest-1', source: 'saml-destination' },
  ],
  [
    'China, an aws region setting is ignored',
    { roleArn: CN, region: 'eu-west-1' },
    { endpoint: 'https://sts.cn-north-1.amazonaws.com.cn', region: 'cn-north-1', source: 'partition-default' },
  ],
  // custom endpoints
  [
    'regional endpoint of another region, with a trailing slash',
    { roleArn: AWS, region: 'eu-west-1', stsEndpoint: 'https://sts.eu-central-1.amazonaws.com/' },
    { endpoint: 'https://sts.eu-central-1.amazonaws.com', region: 'eu-central-1', source: 'custom-endpoint' },
  ],
  [
    'China VPC endpoint',
    { roleArn: CN, stsEndpoint: 'https://vpce-0a1b2c3d-abcdefgh.sts.cn-northwest-1.vpce.amazonaws.com.cn' },
    { endpoint: 'https://vpce-0a1b2c3d-abcdefgh.sts.cn-northwest-1.vpce.amazonaws.com.cn', region: 'cn-northwest-1', source: 'custom-endpoint' },
  ],
  [
    'VPC endpoint: signs for the region in its host, whatever the setting',
    { roleArn: AWS, region: 'us-east-1', stsEndpoint: 'https://vpce-0a1b2c3d4e5f-abcdefgh.sts.eu-west-2.vpce.amazonaws.com' },
    { endpoint: 'https://vpce-0a1b2c3d4e5f-abcdefgh.sts.eu-west-2.vpce.amazonaws.com', region: 'eu-west-2', source: 'custom-endpoint' },
  ],
  [
    'FIPS endpoint in GovCloud',
    { roleArn: GOV, stsEndpoint: 'https://sts-fips.us-gov-east-1.amazonaws.com' },
    { endpoint: 'https://sts-fips.us-gov-east-1.amazonaws.com', region: 'us-gov-east-1', source: 'custom-endpoint' },
  ],
  [
    'an empty custom endpoint means none',
    { roleArn: AWS, stsEndpoint: '  ' },
    { endpoint: 'https://sts.us-east-1.amazonaws.com', region: 'us-east-1', source: 'partition-default' },
  ],
];

describe('resolveStsTarget', () => {
  it.each(TABLE)('%s', (_label, input, expected) => {
    const target = resolveStsTarget(input);
    expect({ endpoint: target.endpoint, region: target.region, source: target.regionSource }).toEqual(expected);
    expect(target.partition).toBe(input.roleArn.split(':')[1]);
    expect(target.custom).toBe(!!input.stsEndpoint?.trim());
  });

  it.each([
    ['not an ARN', { roleArn: 'Developer' }],
    ['a user ARN', { roleArn: 'arn:aws:iam::123456789012:user/alice' }],
    ['an unknown partition', { roleArn: 'arn:aws-iso:iam::123456789012:role/Developer' }],
    ['a custom endpoint that is not a URL', { roleArn: AWS, stsEndpoint: 'sts.eu-west-1' }],
    ['plain http to a remote host', { roleArn: AWS, stsEndpoint: 'http://sts.eu-west-1.amazonaws.com' }],
    ['credentials in the URL', { roleArn: AWS, stsEndpoint: 'https://user:pw@sts.eu-west-1.amazonaws.com' }],
    ['a query string', { roleArn: AWS, stsEndpoint: 'https://sts.eu-west-1.amazonaws.com/?x=1' }],
    ['a host that is not STS', { roleArn: AWS, stsEndpoint: 'https://evil.test' }],
    ['an API Gateway host under amazonaws.com', { roleArn: AWS, stsEndpoint: 'https://x.execute-api.us-east-1.amazonaws.com' }],
    ['loopback (tests route the transport instead)', { roleArn: AWS, stsEndpoint: 'http://127.0.0.1:5000' }],
    ['an STS host of another partition', { roleArn: GOV, stsEndpoint: 'https://sts.eu-west-1.amazonaws.com' }],
    ['the global endpoint', { roleArn: AWS, stsEndpoint: 'https://sts.amazonaws.com' }],
  ])('refuses %s with one sentence', (_label, input) => {
    expect(() => resolveStsTarget(input)).toThrow(StsEndpointError);
    try {
      resolveStsTarget(input);
    } catch (e) {
      expect(errorSentence(e)).toMatch(/^[A-Z][^\n]*[.]$/);
    }
  });

  it('GovCloud and China always get a regional endpoint of their own partition, whatever else is set', () => {
    const allRegions = PARTITION_NAMES.flatMap((p) => [...PARTITIONS[p].regions]);
    fc.assert(
      fc.property(
        fc.constantFrom<Partition>('aws-us-gov', 'aws-cn'),
        fc.option(fc.constantFrom(...allRegions), { nil: undefined }),
        fc.option(fc.constantFrom(...allRegions), { nil: undefined }),
        (partition, setting, destinationRegion) => {
          const target = resolveStsTarget({
            roleArn: `arn:${partition}:iam::123456789012:role/R`,
            region: setting,
            samlDestination: destinationRegion ? `https://${destinationRegion}.signin.aws.amazon.com/saml` : undefined,
          });
          expect(PARTITIONS[partition].regions).toContain(target.region);
          expect(target.endpoint).toBe(`https://sts.${target.region}.${PARTITIONS[partition].dnsSuffix}`);
        },
      ),
    );
  });

  it('every endpoint it can choose without a custom URL is covered by the manifest host permissions', () => {
    for (const partition of PARTITION_NAMES) {
      for (const region of PARTITIONS[partition].regions) {
        const { endpoint } = resolveStsTarget({ roleArn: `arn:${partition}:iam::123456789012:role/R`, region });
        expect(endpoint).toBe(regionalStsUrl(partition, region));
        expect(STS_HOST_PATTERNS).toContain(`${endpoint}/*`);
      }
    }
  });
});
