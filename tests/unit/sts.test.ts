/**
 * utils/sts.ts without a network: which durations it asks for, what it refuses before sending anything (expired
 * assertions, IAM Identity Center roles, missing session names, bad chained-role input), and that errors never carry
 * a secret. The request handler here counts calls and fails, so "nothing was sent" is checked, not assumed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import {
  assumeChainedRole,
  assumeRolesWithSaml,
  assumeRoleWithSaml,
  checkAssertionFresh,
  EXPIRED_ASSERTION_ADVICE,
  planSamlDurations,
  SSO_ROLE_ADVICE,
  StsError,
  type StsLogin,
  type StsOptions,
} from '../../utils/sts';
import { cleanStsMessage, toStsError } from '../../utils/sts-errors';

const ROLE = { roleArn: 'arn:aws:iam::123456789012:role/Developer', principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP' };
const SSO = {
  roleArn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
  principalArn: 'arn:aws:iam::123456789012:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE',
};
const NOW = Date.parse('2026-03-01T12:00:00Z');
const CREDS = { accessKeyId: 'ASIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret/EXAMPLE+KEY0123456789abcdefghijklmn', sessionToken: 'token' };

/** A request handler that records and refuses: any test that reaches the network fails loudly here. */
function offline(): { options: StsOptions; calls: () => number } {
  let calls = 0;
  const handler = {
    handle: async () => {
      calls++;
      throw new Error('unit tests have no network');
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { options: { requestHandler: handler, now: () => NOW, maxAttempts: 1 }, calls: () => calls };
}

function login(over: Partial<StsLogin> = {}): StsLogin {
  return {
    samlResponse: 'PHNhbWxwOlJlc3BvbnNlLz4=',
    roleSessionName: 'alice@example.com',
    notOnOrAfter: new Date(NOW + 4 * 60_000),
    capturedAt: NOW - 30_000,
    ...over,
  };
}

describe('planSamlDurations', () => {
  it.each([
    ['nothing set: the longest STS allows, then 3600, then none', {}, [43_200, 3_600, undefined]],
    ['the setting caps it', { maxSessionSeconds: 28_800 }, [28_800, 3_600, undefined]],
    ['the assertion SessionDuration caps it', { sessionDuration: 7_200 }, [7_200, 3_600, undefined]],
    ['the smaller of setting and SessionDuration', { maxSessionSeconds: 14_400, sessionDuration: 21_600 }, [14_400, 3_600, undefined]],
    ['an hour or less is asked once', { sessionDuration: 3_600 }, [3_600]],
    ['below an hour is asked as is', { maxSessionSeconds: 1_800 }, [1_800]],
    ['clamped to STS minimum', { sessionDuration: 60 }, [900]],
    ['clamped to STS maximum', { maxSessionSeconds: 86_400 }, [43_200, 3_600, undefined]],
    ['a remembered 3600 is asked first', { remembered: 3_600 }, [3_600]],
    ['a remembered value above the setting yields to the setting', { remembered: 7_200, maxSessionSeconds: 1_800 }, [1_800]],
    ['a remembered "no duration" sends none', { remembered: 0 }, [undefined]],
    ['nonsense is ignored', { maxSessionSeconds: Number.NaN, sessionDuration: -5 }, [43_200, 3_600, undefined]],
  ] as const)('%s', (_label, input, expected) => {
    expect(planSamlDurations(input)).toEqual(expected);
  });

  it('never asks more than the setting or the SessionDuration, never outside 900..43200, and ends with at most one "none"', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 43_200 }), { nil: undefined }),
        (maxSessionSeconds, sessionDuration, remembered) => {
          const plan = planSamlDurations({ maxSessionSeconds, sessionDuration, remembered });
          expect(plan.length).toBeGreaterThan(0);
          const asked = plan.filter((s): s is number => s !== undefined);
          for (const s of asked) {
            expect(s).toBeGreaterThanOrEqual(900);
            expect(s).toBeLessThanOrEqual(43_200);
            expect(s).toBeLessThanOrEqual(Math.max(900, Math.min(maxSessionSeconds ?? 43_200, sessionDuration ?? 43_200)));
          }
          expect(asked).toEqual([...asked].sort((a, b) => b - a));
          expect(plan.slice(0, -1)).not.toContain(undefined);
        },
      ),
    );
  });
});

describe('assertion expiry', () => {
  it('accepts a fresh assertion', () => {
    expect(checkAssertionFresh(login(), { now: () => NOW })).toBeUndefined();
  });

  it.each([
    ['past NotOnOrAfter', login({ notOnOrAfter: new Date(NOW - 1) })],
    ['exactly at NotOnOrAfter', login({ notOnOrAfter: new Date(NOW) })],
    ['NotOnOrAfter as stored (ISO string)', login({ notOnOrAfter: new Date(NOW - 1000).toISOString() })],
    ['captured more than 5 minutes ago', login({ capturedAt: NOW - 5 * 60_000 - 1, notOnOrAfter: new Date(NOW + 3600_000) })],
    ['captured long ago, as stored (ISO string)', login({ capturedAt: new Date(NOW - 10 * 60_000).toISOString(), notOnOrAfter: undefined })],
  ])('refuses an assertion %s, without sending it', async (_label, expired) => {
    const net = offline();
    const error = await assumeRoleWithSaml(expired, ROLE, net.options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StsError);
    expect(error).toMatchObject({ code: 'Expired', advice: EXPIRED_ASSERTION_ADVICE, roleArn: ROLE.roleArn });
    expect(errorSentence(error)).toBe('Sign in again: the SAML assertion has expired.');
    expect(net.calls()).toBe(0);
  });

  it('takes capturedAt from the options over the login', () => {
    expect(checkAssertionFresh(login(), { now: () => NOW, capturedAt: NOW - 6 * 60_000 })?.code).toBe('Expired');
  });

  it('in a bulk sync, every role gets its own Expired result and nothing is sent', async () => {
    const net = offline();
    const roles = [ROLE, { ...ROLE, roleArn: 'arn:aws:iam::123456789012:role/Other' }];
    const results = await assumeRolesWithSaml(login({ notOnOrAfter: new Date(NOW - 1) }), roles, net.options);
    expect(results.map((r) => [r.role, r.ok, !r.ok && r.error.code])).toEqual([
      [roles[0], false, 'Expired'],
      [roles[1], false, 'Expired'],
    ]);
    expect(net.calls()).toBe(0);
  });
});

describe('refused before sending', () => {
  it('IAM Identity Center (AWSReservedSSO_*) roles, with a sentence pointing at aws sso login', async () => {
    const net = offline();
    const error = await assumeRoleWithSaml(login(), SSO, net.options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SsoRole', advice: SSO_ROLE_ADVICE, roleArn: SSO.roleArn });
    expect(errorSentence(error)).toContain('aws sso login');
    expect(net.calls()).toBe(0);
  });

  it('an SSO role in a bulk sync fails alone', async () => {
    const net = offline();
    const results = await assumeRolesWithSaml(login(), [SSO, ROLE], net.options);
    expect(results[0]).toMatchObject({ role: SSO, ok: false, error: { code: 'SsoRole' } });
    // The other one was attempted (and failed only because this test has no network).
    expect(results[1]).toMatchObject({ role: ROLE, ok: false, error: { code: 'Unknown' } });
    expect(net.calls()).toBe(1);
  });

  it('an assertion without RoleSessionName', async () => {
    const net = offline();
    const error = await assumeRoleWithSaml(login({ roleSessionName: undefined }), ROLE, net.options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidInput' });
    expect(errorSentence(error)).toContain('RoleSessionName');
    expect(net.calls()).toBe(0);
  });

  it('a role ARN that is not one, or a custom endpoint that cannot be used', async () => {
    const net = offline();
    await expect(assumeRoleWithSaml(login(), { ...ROLE, roleArn: 'arn:aws:iam::123:role/x' }, net.options)).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(assumeRoleWithSaml(login(), ROLE, { ...net.options, stsEndpoint: 'http://sts.example.com' })).rejects.toMatchObject({
      code: 'InvalidInput',
    });
    expect(net.calls()).toBe(0);
  });

  it('chained roles: bad session name, bad external id, expired source credentials', async () => {
    const net = offline();
    const chained = 'arn:aws:iam::888777666555:role/assumed-dev';
    await expect(assumeChainedRole(CREDS, chained, { ...net.options, roleSessionName: 'a b' })).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(assumeChainedRole(CREDS, chained, { ...net.options, externalId: 'x' })).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(assumeChainedRole({ ...CREDS, expiration: new Date(NOW - 1) }, chained, net.options)).rejects.toMatchObject({
      code: 'ExpiredToken',
    });
    expect(net.calls()).toBe(0);
  });
});

describe('errors never carry a secret', () => {
  const ctx = { operation: 'AssumeRoleWithSAML' as const, roleArn: ROLE.roleArn, region: 'us-east-1', endpoint: 'https://sts.us-east-1.amazonaws.com', timeoutMs: 10_000 };
  const secret = fc.oneof(
    fc.stringMatching(/^ASIA[A-Z0-9]{16}$/),
    fc.stringMatching(/^[A-Za-z0-9+/]{39}[0-9]$/), // a secret access key
    fc.stringMatching(/^[A-Za-z0-9+/]{200,400}={0,2}$/).filter((s) => /\d/.test(s)), // a token or an assertion
  );

  it('neither the message nor the cleaned STS message repeats a key, a token or an assertion from the STS answer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('AccessDenied', 'ValidationError', 'InvalidIdentityToken', 'SomethingNew', 'Throttling'),
        fc.string({ maxLength: 40 }),
        secret,
        fc.string({ maxLength: 40 }),
        (code, before, leaked, after) => {
          const sdkError = Object.assign(new Error(`${before} ${leaked} ${after}`), {
            name: code,
            Code: code,
            $fault: 'client',
            $metadata: { httpStatusCode: 400, requestId: 'req-1' },
          });
          const error = toStsError(sdkError, ctx);
          expect(errorSentence(error)).not.toContain(leaked);
          expect(error.stsMessage ?? '').not.toContain(leaked);
          expect(JSON.stringify(error)).not.toContain(leaked);
          expect(errorSentence(error)).not.toMatch(/\n|\bat .+:\d+:\d+/);
        },
      ),
    );
  });

  it('JSON of an StsError is data only: no stack, no STS message', () => {
    const error = toStsError(Object.assign(new Error('Not authorized'), { name: 'AccessDenied', Code: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }), ctx);
    expect(Object.keys(error.toJSON()).sort()).toEqual(['code', 'message', 'name', 'requestId', 'roleArn']);
    expect(JSON.stringify(error)).not.toContain('stack');
  });

  it('cleanStsMessage keeps ARNs and words, drops keys and blobs, and stays one short line', () => {
    expect(cleanStsMessage('Not authorized to perform sts:AssumeRoleWithSAML on arn:aws:iam::123456789012:role/team/app/Deployer')).toBe(
      'Not authorized to perform sts:AssumeRoleWithSAML on arn:aws:iam::123456789012:role/team/app/Deployer',
    );
    expect(cleanStsMessage('key AKIAIOSFODNN7EXAMPLE\nand wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1')).toBe('key [redacted] and [redacted]');
    expect(cleanStsMessage('x'.repeat(1000))?.length).toBeLessThanOrEqual(300);
    expect(cleanStsMessage('   ')).toBeUndefined();
  });
});
