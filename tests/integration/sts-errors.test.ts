/**
 * What a person reads when STS says no, and the MaxSessionDuration retry path. moto never answers with STS error
 * documents, so a local stand-in (tests/support/sts-error-server.ts) returns real `ErrorResponse` XML with the HTTP
 * status STS uses for each code; the real SDK client parses it.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorSentence, translate } from '@/i18n/translate';
import {
  assumeChainedRole,
  assumeRolesWithSaml,
  assumeRoleWithSaml,
  StsError,
  type DurationMemory,
  type StsErrorCode,
  type StsLogin,
} from '../../utils/sts';
import { startStsErrorServer, STS_ERROR_MESSAGE, STS_ERROR_STATUS, stsError, stsSuccess, type StsErrorServer } from '../support/sts-error-server';
import { viaStandIn } from '../support/sts-route';

const ROLE = { roleArn: 'arn:aws:iam::123456789012:role/Developer', principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP' };
const ASSERTION = Buffer.from('<samlp:Response>an assertion that must never be echoed: ZmFrZSBzZWNyZXQ=</samlp:Response>').toString('base64');
const BASE = { accessKeyId: 'ASIAEXAMPLEBASEKEY01', secretAccessKey: 'baseSecretKeyEXAMPLE0123456789abcdefghij', sessionToken: 'BASETOKENEXAMPLE' };

let server: StsErrorServer;
beforeAll(async () => {
  server = await startStsErrorServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script();
  server.fallback = () => stsError('InternalFailure');
});

function login(over: Partial<StsLogin> = {}): StsLogin {
  return { samlResponse: ASSERTION, roleSessionName: 'alice@example.com', notOnOrAfter: new Date(Date.now() + 240_000), ...over };
}

function memory(): DurationMemory & { map: Map<string, number> } {
  const map = new Map<string, number>();
  return { map, get: async (arn) => map.get(arn), set: async (arn, s) => void map.set(arn, s) };
}

async function failure(p: Promise<unknown>): Promise<StsError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StsError);
  return error as StsError;
}

/** Nothing secret, no STS-internal noise, one sentence. */
function expectSafeSentence(error: StsError): void {
  expect(errorSentence(error)).toBe(translate(error.advice));
  expect(errorSentence(error)).toMatch(/^[A-Z`][^\n]*[.]$/);
  for (const secret of [ASSERTION, 'ZmFrZSBzZWNyZXQ', BASE.secretAccessKey, BASE.sessionToken, BASE.accessKeyId, 'ASIAERRSERVEREXAMPLE']) {
    expect(errorSentence(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  }
  expect(errorSentence(error)).not.toMatch(/\bat \S+:\d+:\d+|node_modules|@smithy|@aws-sdk/);
}

describe('every STS error code becomes one sentence of advice', () => {
  const saml: [string, StsErrorCode, RegExp][] = [
    ['ExpiredTokenException', 'ExpiredTokenException', /click the AWS tile again/],
    ['InvalidIdentityToken', 'InvalidIdentityToken', /SAML provider.*RoleSessionName/],
    ['AccessDenied', 'AccessDenied', /trust policy/],
    ['ValidationError', 'ValidationError', /session length/],
    ['IDPRejectedClaim', 'IDPRejectedClaim', /SAML provider in IAM/],
    ['RegionDisabledException', 'RegionDisabledException', /not activated in eu-south-1.*choose another STS region in the options/],
    ['MalformedPolicyDocument', 'MalformedPolicyDocument', /session policy/],
    ['PackedPolicyTooLarge', 'PackedPolicyTooLarge', /too large.*PrincipalTag/],
    ['IDPCommunicationError', 'IDPCommunicationError', /could not reach your identity provider/],
    ['Throttling', 'Throttling', /limiting STS requests/],
    ['InternalFailure', 'ServiceUnavailable', /answered with an error \(HTTP 500\)/],
    ['ServiceUnavailable', 'ServiceUnavailable', /answered with an error \(HTTP 503\)/],
    // A code we do not know: our sentence only; STS's own text and code stay in the details (a hostile server's words never reach the person).
    ['SomethingNewFromAws', 'OtherServiceError', /^AWS STS refused the request with an error aws-saml-sync does not know; check the role and the options/],
  ];

  it.each(saml)('AssumeRoleWithSAML answered %s', async (wire, code, advice) => {
    server.fallback = () => stsError(wire);
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), region: 'eu-south-1', maxAttempts: 1 }));
    expect(error.code).toBe(code);
    expect(errorSentence(error)).toMatch(advice);
    expect(error.roleArn).toBe(ROLE.roleArn);
    expect(error.httpStatus).toBe(STS_ERROR_STATUS[wire] ?? 400);
    expect(error.requestId).toMatch(/^00000000-/);
    if (STS_ERROR_MESSAGE[wire]) expect(error.stsMessage).toBe(STS_ERROR_MESSAGE[wire]);
    expectSafeSentence(error);
    // Only a refused duration is asked again (43200, 3600, none); SDK retries are off here (maxAttempts 1).
    expect(server.requests).toHaveLength(wire === 'ValidationError' ? 3 : 1);
    expect(server.requests.every((r) => !r.signed)).toBe(true);
  });

  const chained: [string, StsErrorCode, RegExp][] = [
    ['AccessDenied', 'AccessDenied', /trust policy does not allow the source role, or the external ID is wrong/],
    ['ExpiredToken', 'ExpiredToken', /have expired; click the AWS tile again/],
    ['InvalidClientTokenId', 'InvalidClientTokenId', /did not recognise the credentials/],
    ['SignatureDoesNotMatch', 'SignatureDoesNotMatch', /clock/],
    ['RegionDisabledException', 'RegionDisabledException', /not activated in us-east-1/],
  ];

  it.each(chained)('chained AssumeRole answered %s', async (wire, code, advice) => {
    server.fallback = () => stsError(wire);
    const error = await failure(assumeChainedRole(BASE, 'arn:aws:iam::888777666555:role/assumed-dev', { ...viaStandIn(server.endpoint), maxAttempts: 1 }));
    expect(error).toMatchObject({ code, operation: 'AssumeRole', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev' });
    expect(errorSentence(error)).toMatch(advice);
    expectSafeSentence(error);
    expect(server.requests[0]!.signed).toBe(true);
  });

  it.each([
    ['The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', /at most one hour/],
    ['1 validation error detected: Value \'a b\' at \'roleSessionName\' failed to satisfy constraint', /session name/],
    ['Invalid ExternalId', /external ID/],
  ])('chained ValidationError "%s" gets its own advice', async (message, advice) => {
    server.fallback = () => stsError('ValidationError', message);
    const error = await failure(assumeChainedRole(BASE, 'arn:aws:iam::888777666555:role/assumed-dev', { ...viaStandIn(server.endpoint) }));
    expect(errorSentence(error)).toMatch(advice);
  });

  it('SAML ValidationError about the ARN or the session name gets its own advice, and is not retried', async () => {
    server.fallback = () => stsError('ValidationError', '1 validation error detected: Value at \'roleArn\' failed to satisfy constraint');
    expect(errorSentence(await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint) })))).toMatch(/ARN is not valid/);
    server.fallback = () => stsError('ValidationError', 'Invalid RoleSessionName');
    expect(errorSentence(await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint) })))).toMatch(/RoleSessionName sent by your IdP/);
    expect(server.requests).toHaveLength(2);
  });

  it('a page that is not STS (a proxy, a captive portal) is named as such', async () => {
    server.script({ kind: 'raw', status: 403, contentType: 'text/html', body: '<html><body>Access blocked by your proxy</body></html>' });
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), maxAttempts: 1 }));
    expect(error.code).toBe('Unknown');
    expect(errorSentence(error)).toMatch(/did not answer like STS \(HTTP 403\).*custom STS endpoint.*proxy/);
    expectSafeSentence(error);
  });
});

describe('SDK retries and our own retries do not multiply', () => {
  it('throttling is retried by the SDK (3 attempts in all), then reported', async () => {
    server.fallback = () => stsError('Throttling');
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint) }));
    expect(error.code).toBe('Throttling');
    expect(server.requests).toHaveLength(3);
  });

  it('a transient 503 followed by success needs no action from the person', async () => {
    server.script(stsError('ServiceUnavailable'), stsSuccess());
    const c = await assumeRoleWithSaml(login({ sessionDuration: 3_600 }), ROLE, { ...viaStandIn(server.endpoint) });
    expect(c.accessKeyId).toBe('ASIAERRSERVEREXAMPLE');
    expect(server.requests).toHaveLength(2);
  });
});

describe('MaxSessionDuration: retry with less, and remember per role', () => {
  const durations = () => server.requests.map((r) => r.params.get('DurationSeconds'));

  it('refused at 43200, accepted at 3600: remembered, and the next sign-in asks 3600 first', async () => {
    const mem = memory();
    server.script(stsError('ValidationError'), stsSuccess());
    const first = await assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(durations()).toEqual(['43200', '3600']);
    expect(first.durationSeconds).toBe(3_600);
    expect(mem.map.get(ROLE.roleArn)).toBe(3_600);

    server.requests.length = 0;
    server.script(stsSuccess());
    await assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(durations()).toEqual(['3600']);
  });

  it('the smaller of setting and SessionDuration is asked first', async () => {
    server.script(stsError('ValidationError'), stsSuccess());
    await assumeRoleWithSaml(login({ sessionDuration: 28_800 }), ROLE, { ...viaStandIn(server.endpoint), maxSessionSeconds: 14_400 });
    expect(durations()).toEqual(['14400', '3600']);
  });

  it('refused at 3600 too: asks without a duration, and remembers that', async () => {
    const mem = memory();
    server.script(stsError('ValidationError'), stsError('ValidationError'), stsSuccess());
    const c = await assumeRoleWithSaml(login({ sessionDuration: 7_200 }), ROLE, { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(durations()).toEqual(['7200', '3600', null]);
    expect(c.durationSeconds).toBeUndefined();
    expect(mem.map.get(ROLE.roleArn)).toBe(0);

    server.requests.length = 0;
    server.script(stsSuccess());
    await assumeRoleWithSaml(login({ sessionDuration: 7_200 }), ROLE, { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(durations()).toEqual([null]);
  });

  it('refused every time: three requests, then the duration advice', async () => {
    server.fallback = () => stsError('ValidationError');
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), durationMemory: memory() }));
    expect(durations()).toEqual(['43200', '3600', null]);
    expect(errorSentence(error)).toMatch(/session length is longer than this role allows/);
  });

  it('nothing is remembered when the first ask worked, and a failing memory does not fail the sign-in', async () => {
    const mem = memory();
    server.script(stsSuccess());
    await assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(mem.map.size).toBe(0);

    const broken: DurationMemory = {
      get: () => Promise.reject(new Error('storage is gone')),
      set: () => Promise.reject(new Error('storage is gone')),
    };
    server.script(stsError('ValidationError'), stsSuccess());
    const c = await assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), durationMemory: broken });
    expect(c.durationSeconds).toBe(3_600);
  });

  it('in a bulk sync each role is stepped down and remembered on its own', async () => {
    const mem = memory();
    const short = { ...ROLE, roleArn: 'arn:aws:iam::123456789012:role/OneHourMax' };
    server.fallback = (req) =>
      req.params.get('RoleArn') === short.roleArn && req.params.get('DurationSeconds') !== '3600' ? stsError('ValidationError') : stsSuccess();
    const results = await assumeRolesWithSaml(login(), [ROLE, short], { ...viaStandIn(server.endpoint), durationMemory: mem });
    expect(results.map((r) => r.ok && r.credentials.durationSeconds)).toEqual([43_200, 3_600]);
    expect([...mem.map]).toEqual([[short.roleArn, 3_600]]);
  });
});

describe('bulk sync: one role failing does not fail the others', () => {
  it('results in input order, each naming its role, failures carrying their own advice', async () => {
    const roles = Array.from({ length: 20 }, (_, i) => ({ ...ROLE, roleArn: `arn:aws:iam::123456789012:role/${i % 5 === 0 ? 'Denied' : 'Ok'}${i}` }));
    server.fallback = (req) => (req.params.get('RoleArn')?.includes('Denied') ? stsError('AccessDenied') : stsSuccess());
    const results = await assumeRolesWithSaml(login({ sessionDuration: 3_600 }), roles, { ...viaStandIn(server.endpoint) });
    expect(results.map((r) => r.role)).toEqual(roles);
    for (const r of results) {
      if (r.role.roleArn.includes('Denied')) expect(r).toMatchObject({ ok: false, error: { code: 'AccessDenied', roleArn: r.role.roleArn } });
      else expect(r).toMatchObject({ ok: true, credentials: { assumedRoleArn: expect.stringContaining(r.role.roleArn.split('/')[1]!) } });
    }
  });

  it('keeps at most 8 requests in flight', async () => {
    const slow = await startStsErrorServer();
    slow.fallback = () => ({ kind: 'hang' }); // each request holds its slot until the client times out
    const roles = Array.from({ length: 20 }, (_, i) => ({ ...ROLE, roleArn: `arn:aws:iam::123456789012:role/R${i}` }));
    const done = assumeRolesWithSaml(login({ sessionDuration: 3_600 }), roles, { ...viaStandIn(slow.endpoint, 800), requestTimeoutMs: 800, maxAttempts: 1 });
    const deadline = Date.now() + 1_000;
    while (slow.requests.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    expect(slow.requests).toHaveLength(8);
    const results = await done;
    await slow.close();
    expect(slow.requests).toHaveLength(20);
    expect(results.every((r) => !r.ok && r.error.code === 'Timeout')).toBe(true);
  });
});

describe('network failures and timeouts', () => {
  it('nothing listening: Network, naming the host', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(`http://127.0.0.1:${port}`), maxAttempts: 1 }));
    expect(error.code).toBe('Network');
    expect(errorSentence(error)).toBe('STS at sts.us-east-1.amazonaws.com could not be reached; check your network connection, VPN or proxy, and sync again.');
    expectSafeSentence(error);
  });

  it('a server that never answers: Timeout after the request timeout, retried by the SDK', async () => {
    server.fallback = () => ({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint, 300), requestTimeoutMs: 300, maxAttempts: 2 }));
    expect(error.code).toBe('Timeout');
    expect(errorSentence(error)).toContain('did not answer within 0.3 seconds');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(Date.now() - started).toBeLessThan(10_000);
    expectSafeSentence(error);
  });

  it('the default timeout is 10 seconds, and says so', async () => {
    server.fallback = () => ({ kind: 'hang' });
    const error = await failure(assumeRoleWithSaml(login(), ROLE, { ...viaStandIn(server.endpoint), maxAttempts: 1 }));
    expect(errorSentence(error)).toContain('did not answer within 10 seconds');
  }, 20_000);
});
