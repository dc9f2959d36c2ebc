/**
 * utils/federation.ts: the "Open console" URLs in every partition (AWS-SAML-FACTS, console sign-in): the
 * getSigninToken request with the session JSON (and SessionDuration only for SAML credentials), the login URL
 * with its Destination, and what is taken from the federation endpoint's answer.
 */
import { describe, expect, it } from 'vitest';
import { consoleLoginUrl, FEDERATION_HOST_PATTERNS, FEDERATION_ISSUER, partitionOfArn, signinTokenOf, signinTokenUrl } from '../../utils/federation';

const CREDS = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret', sessionToken: 'example-token' };

describe('Open console URLs', () => {
  it.each([
    ['arn:aws:iam::111222333444:role/saml-init', 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/'],
    ['arn:aws-us-gov:iam::111222333444:role/saml-init', 'aws-us-gov', 'https://signin.amazonaws-us-gov.com/federation', 'https://console.amazonaws-us-gov.com/'],
    ['arn:aws-cn:iam::111222333444:role/saml-init', 'aws-cn', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/'],
  ] as const)('%s: the federation endpoint and console of its partition', (arn, partition, federation, console) => {
    expect(partitionOfArn(arn)).toBe(partition);
    const token = new URL(signinTokenUrl(partition, CREDS, 3600));
    expect(`${token.origin}${token.pathname}`).toBe(federation);
    expect(token.searchParams.get('Action')).toBe('getSigninToken');
    expect(JSON.parse(token.searchParams.get('Session')!)).toEqual({ sessionId: CREDS.accessKeyId, sessionKey: CREDS.secretAccessKey, sessionToken: CREDS.sessionToken });
    expect(token.searchParams.get('SessionDuration')).toBe('3600');

    const login = new URL(consoleLoginUrl(partition, 'TOKEN', 'eu-central-1'));
    expect(`${login.origin}${login.pathname}`).toBe(federation);
    expect(Object.fromEntries(login.searchParams)).toEqual({ Action: 'login', Issuer: FEDERATION_ISSUER, Destination: `${console}?region=eu-central-1`, SigninToken: 'TOKEN' });
    expect(FEDERATION_HOST_PATTERNS).toContain(`${federation}*`);
  });

  it('asks no SessionDuration for chained credentials, and keeps a SAML one within what AWS accepts', () => {
    expect(new URL(signinTokenUrl('aws', CREDS)).searchParams.has('SessionDuration')).toBe(false);
    expect(new URL(signinTokenUrl('aws', CREDS, 60)).searchParams.get('SessionDuration')).toBe('900');
    expect(new URL(signinTokenUrl('aws', CREDS, 86_400)).searchParams.get('SessionDuration')).toBe('43200');
  });

  it('an ARN of no known partition is taken as the commercial one; a login URL without a region has none', () => {
    expect(partitionOfArn(undefined)).toBe('aws');
    expect(partitionOfArn('arn:aws-iso:iam::111222333444:role/x')).toBe('aws');
    expect(new URL(consoleLoginUrl('aws', 'T')).searchParams.get('Destination')).toBe('https://console.aws.amazon.com/');
  });

  it('takes the SigninToken only when it is a plausible string', () => {
    expect(signinTokenOf({ SigninToken: 'abc' })).toBe('abc');
    for (const body of [null, {}, { SigninToken: '' }, { SigninToken: 42 }, { SigninToken: 'x'.repeat(8192) }, 'SigninToken']) {
      expect(signinTokenOf(body)).toBeUndefined();
    }
  });
});
