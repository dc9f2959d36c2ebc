import { describe, expect, it } from 'vitest';
import {
  parseSamlEndpoint,
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
