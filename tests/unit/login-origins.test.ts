import { describe, expect, it } from 'vitest';
import { translate } from '@/i18n/translate';
import { isAwsSignInOrigin, originOf, signInUrlProblem, trustOfLogin } from '../../utils/login-origins';

const GOOGLE = 'https://accounts.google.com/o/saml2/initsso?idpid=C01&spid=123&forceauthn=false';

describe('whose sign-ins count', () => {
  it.each([
    ['the configured sign-in URL', 'https://accounts.google.com', GOOGLE, [], 'sign-in-url'],
    ['an origin the person confirmed', 'https://idp.example.com', undefined, ['https://idp.example.com'], 'confirmed'],
    ['a confirmed origin given as a URL', 'https://idp.example.com', undefined, ['https://idp.example.com/app/aws'], 'confirmed'],
    ['AWS role picker', 'https://signin.aws.amazon.com', undefined, [], 'aws-sign-in'],
    ['AWS regional sign-in', 'https://eu-central-1.signin.aws.amazon.com', undefined, [], 'aws-sign-in'],
    ['GovCloud sign-in', 'https://signin.amazonaws-us-gov.com', undefined, [], 'aws-sign-in'],
    ['China regional sign-in', 'https://cn-north-1.signin.amazonaws.cn', undefined, [], 'aws-sign-in'],
  ] as const)('counts %s', (_label, initiator, signInUrl, confirmed, trust) => {
    expect(trustOfLogin({ initiator, signInUrl, confirmedOrigins: confirmed })).toBe(trust);
  });

  it.each([
    ['any other page', 'https://evil.test', GOOGLE, ['https://idp.example.com']],
    ['a look-alike of the sign-in origin', 'https://accounts.google.com.evil.test', GOOGLE, []],
    ['the same host over http', 'http://accounts.google.com', GOOGLE, []],
    ['another port', 'https://accounts.google.com:8443', GOOGLE, []],
    ['an opaque origin', 'null', GOOGLE, []],
    ['no initiator at all', undefined, GOOGLE, []],
    ['a look-alike of AWS sign-in', 'https://signin.aws.amazon.com.evil.test', undefined, []],
    ['an AWS sign-in host with a bogus region', 'https://evil.signin.aws.amazon.com', undefined, []],
    ['a subdomain of a confirmed origin', 'https://x.idp.example.com', undefined, ['https://idp.example.com']],
  ] as const)('does not count %s', (_label, initiator, signInUrl, confirmed) => {
    expect(trustOfLogin({ initiator, signInUrl, confirmedOrigins: confirmed })).toBeUndefined();
  });

  it('reads origins of URLs only', () => {
    expect(originOf('https://IdP.Example.com:443/path?q')).toBe('https://idp.example.com');
    expect(originOf('data:text/html,x')).toBeUndefined();
    expect(originOf('not a url')).toBeUndefined();
    expect(isAwsSignInOrigin('https://us-gov-east-1.signin.amazonaws-us-gov.com')).toBe(true);
    expect(isAwsSignInOrigin('https://eu-west-1.signin.amazonaws-us-gov.com')).toBe(false);
  });
});

describe('sign-in URLs', () => {
  it.each([GOOGLE, 'https://acme.okta.com/home/amazon_aws/0oa1/272', 'https://myapps.microsoft.com/signin/abc?tenantId=1', 'https://sso.example.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices'])(
    'accepts %s',
    (url) => expect(signInUrlProblem(url)).toBeUndefined(),
  );
  it.each([
    ['https://accounts.google.com.evil.test/o/saml2/initsso', /only looks like accounts\.google\.com/],
    ['https://acme.okta.com.evil.test/app', /only looks like okta\.com/],
    ['https://login.microsoftonline.com.evil.test/x', /only looks like microsoftonline\.com/],
    ['http://idp.example.com/aws', /https/],
    ['https://user:pw@idp.example.com/aws', /user name or password/],
    ['idp.example.com', /not a URL/],
  ])('refuses %s with one sentence', (url, message) => {
    const problem = translate(signInUrlProblem(url)!);
    expect(problem).toMatch(message);
    expect(problem).toMatch(/^[A-Z][^\n]*\.$/);
  });
});
