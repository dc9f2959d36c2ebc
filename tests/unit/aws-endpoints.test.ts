import { describe, expect, it } from 'vitest';
import {
  hostPatternOf,
  parseSamlEndpoint,
  parseStsEndpoint,
  partitionOfRegion,
  SAML_SIGNIN_MATCH_PATTERNS,
  STS_HOST_PATTERNS,
} from '../../utils/aws-endpoints';

describe('parseSamlEndpoint', () => {
  it.each([
    ['https://signin.aws.amazon.com/saml', { partition: 'aws', encrypted: false }],
    ['https://signin.aws.amazon.com/saml/', { partition: 'aws', encrypted: false }],
    ['https://eu-west-1.signin.aws.amazon.com/saml', { partition: 'aws', region: 'eu-west-1', encrypted: false }],
    ['https://us-east-2.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46', { partition: 'aws', region: 'us-east-2', encrypted: true }],
    ['https://signin.amazonaws-us-gov.com/saml', { partition: 'aws-us-gov', encrypted: false }],
    ['https://us-gov-east-1.signin.amazonaws-us-gov.com/saml', { partition: 'aws-us-gov', region: 'us-gov-east-1', encrypted: false }],
    ['https://signin.amazonaws.cn/saml', { partition: 'aws-cn', encrypted: false }],
    ['https://cn-northwest-1.signin.amazonaws.cn/saml', { partition: 'aws-cn', region: 'cn-northwest-1', encrypted: false }],
  ])('recognises %s', (url, expected) => {
    expect(parseSamlEndpoint(url)).toEqual(expected);
  });

  it.each([
    'http://signin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com.evil.example/saml',
    'https://evil.example/saml',
    'https://signin.aws.amazon.com:8443/saml',
    'https://signin.aws.amazon.com/console',
    'https://signin.aws.amazon.com/samlx',
    'https://cn-north-1.signin.aws.amazon.com/saml', // a China region under the aws partition's host
    'https://us-gov-west-1.signin.aws.amazon.com/saml',
    'https://evil.signin.aws.amazon.com/saml',
    'not a url',
  ])('refuses %s', (url) => {
    expect(parseSamlEndpoint(url)).toBeUndefined();
  });
});

describe('partitionOfRegion', () => {
  it('maps region prefixes to partitions', () => {
    expect(partitionOfRegion('eu-central-2')).toBe('aws');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('Frankfurt')).toBeUndefined();
  });
});

describe('host patterns', () => {
  it('cover the sign-in endpoints of every partition and never all URLs', () => {
    expect(SAML_SIGNIN_MATCH_PATTERNS).toContain('https://*.signin.aws.amazon.com/saml*');
    expect(SAML_SIGNIN_MATCH_PATTERNS).toContain('https://signin.amazonaws-us-gov.com/saml*');
    expect(SAML_SIGNIN_MATCH_PATTERNS).toContain('https://*.signin.amazonaws.cn/saml*');
    expect(STS_HOST_PATTERNS).toContain('https://sts.us-gov-west-1.amazonaws.com/*');
    expect(STS_HOST_PATTERNS).toContain('https://sts.cn-north-1.amazonaws.com.cn/*');
    for (const p of [...SAML_SIGNIN_MATCH_PATTERNS, ...STS_HOST_PATTERNS]) {
      expect(p).toMatch(/^https:\/\/(\*\.)?[a-z0-9.-]+\//);
    }
  });
});

describe('parseStsEndpoint: only AWS STS host shapes', () => {
  it.each([
    ['https://sts.eu-west-1.amazonaws.com', 'aws', 'eu-west-1', 'regional'],
    ['https://sts.us-east-1.amazonaws.com/', 'aws', 'us-east-1', 'regional'],
    ['https://STS.EU-WEST-1.AMAZONAWS.COM', 'aws', 'eu-west-1', 'regional'],
    ['https://sts-fips.us-east-2.amazonaws.com', 'aws', 'us-east-2', 'fips'],
    ['https://sts.us-gov-west-1.amazonaws.com', 'aws-us-gov', 'us-gov-west-1', 'regional'],
    ['https://sts-fips.us-gov-east-1.amazonaws.com', 'aws-us-gov', 'us-gov-east-1', 'fips'],
    ['https://sts.cn-north-1.amazonaws.com.cn', 'aws-cn', 'cn-north-1', 'regional'],
    ['https://sts.ap-southeast-9.amazonaws.com', 'aws', 'ap-southeast-9', 'regional'],
    ['https://vpce-0a1b2c3d4e5f-abcdefgh.sts.eu-west-2.vpce.amazonaws.com', 'aws', 'eu-west-2', 'vpce'],
    ['https://vpce-0a1b2c3d4e5f-abcdefgh-eu-west-2a.sts.eu-west-2.vpce.amazonaws.com', 'aws', 'eu-west-2', 'vpce'],
    ['https://vpce-0a1b2c3d-abcdefgh.sts.cn-northwest-1.vpce.amazonaws.com.cn', 'aws-cn', 'cn-northwest-1', 'vpce'],
  ])('accepts %s', (url, partition, region, kind) => {
    expect(parseStsEndpoint(url)).toMatchObject({ partition, region, kind });
    expect(parseStsEndpoint(url)?.url).toBe(url.toLowerCase().replace(/\/$/, ''));
  });

  it.each([
    'https://evil.test',
    'https://sts.amazonaws.com',
    'https://sts.eu-west-1.amazonaws.com.evil.test',
    'https://evil.test/sts.eu-west-1.amazonaws.com',
    'https://x.execute-api.us-east-1.amazonaws.com',
    'https://d111111abcdef8.cloudfront.net',
    'https://sts.eu-west-1.amazonaws.com.cn',
    'https://sts.cn-north-1.amazonaws.com',
    'https://sts-fips.cn-north-1.amazonaws.com.cn',
    'https://sts.notaregion.amazonaws.com',
    'https://evil.sts.eu-west-1.vpce.amazonaws.com',
    'https://vpce-1.sts.eu-west-1.amazonaws.com',
    'https://sts.eu-west-1.vpce.amazonaws.com',
    'https://sts.eu-west-1.amazonaws.com:8443',
    'https://user@sts.eu-west-1.amazonaws.com',
    'https://sts.eu-west-1.amazonaws.com/path',
    'https://sts.eu-west-1.amazonaws.com/?a=1',
    'https://sts.eu-west-1.amazonaws.com/#x',
    'http://sts.eu-west-1.amazonaws.com',
    'http://127.0.0.1:5000',
    'http://localhost:5000',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(parseStsEndpoint(url)).toBeUndefined();
  });

  it('never asks for the unused global STS host', () => {
    expect(STS_HOST_PATTERNS).not.toContain('https://sts.amazonaws.com/*');
    expect(hostPatternOf('https://sts.eu-west-1.amazonaws.com')).toBe('https://sts.eu-west-1.amazonaws.com/*');
    expect(hostPatternOf('http://x')).toBeUndefined();
  });
});
