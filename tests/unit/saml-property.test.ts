/**
 * Property tests: whatever arrives in the SAMLResponse field, parseSamlResponse returns a SamlLogin or throws a
 * SamlError (never anything else, never hangs), its messages never repeat the input, and valid assertions of any
 * dialect round-trip to exactly their roles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { MAX_SAML_RESPONSE_LENGTH, parseSamlResponse, SamlError, type SamlErrorCode, type SamlLogin } from '../../utils/saml';
import {
  buildSamlXml,
  encodeSamlXml,
  SAML_DIALECTS,
  type RoleValueStyle,
  type SamlFixtureOptions,
  type SamlFixtureRole,
} from '../support/saml-fixtures';

const CODES: SamlErrorCode[] = ['not-base64', 'not-xml', 'not-saml', 'status', 'encrypted', 'no-roles', 'dtd', 'too-large'];
const ROLE_RE = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\x21-\x2E\x30-\x7E]+\/)*([\w+=,.@-]{1,64})$/;
const PROVIDER_RE = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:saml-provider\/[\w.+=@-]{1,128}$/;

/** Slowest single parse allowed in these tests: far above the real figure (~1 ms), far below a hang. */
const MAX_PARSE_MS = 2000;
let slowest = 0;

type Outcome = { login: SamlLogin } | { error: SamlError };

/** Parses, failing the test on anything but a SamlLogin or a SamlError, or on a parse slower than MAX_PARSE_MS. */
function outcome(samlResponse: string, secrets: readonly string[] = []): Outcome {
  const t0 = performance.now();
  let result: Outcome;
  try {
    result = { login: parseSamlResponse(samlResponse) };
  } catch (error) {
    if (!(error instanceof SamlError)) throw new Error(`not a SamlError: ${String(error)}`, { cause: error });
    expect(CODES).toContain(error.code);
    expect(errorSentence(error)).toMatch(/^[A-Z][^\n]*\.$/);
    for (const secret of secrets) expect(errorSentence(error)).not.toContain(secret);
    result = { error };
  }
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  expect(ms).toBeLessThan(MAX_PARSE_MS);
  if ('login' in result) checkLogin(result.login);
  return result;
}

function checkLogin(login: SamlLogin): void {
  const keys = new Set<string>();
  for (const r of login.roles) {
    const m = ROLE_RE.exec(r.roleArn);
    expect(m, r.roleArn).not.toBeNull();
    expect(r.principalArn).toMatch(PROVIDER_RE);
    expect(r.partition).toBe(m?.[1]);
    expect(r.principalArn.split(':')[1]).toBe(r.partition);
    expect(r.accountId).toBe(m?.[2]);
    expect(r.roleName).toBe(m?.[3]);
    const key = `${r.roleArn} ${r.principalArn}`;
    expect(keys.has(key)).toBe(false);
    keys.add(key);
  }
  expect(login.roles.length).toBeGreaterThan(0);
  if (login.notOnOrAfter) expect(Number.isNaN(login.notOnOrAfter.getTime())).toBe(false);
  if (login.sessionDuration !== undefined) expect(Number.isInteger(login.sessionDuration)).toBe(true);
}

const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

const partitionArb = fc.constantFrom('aws', 'aws-us-gov', 'aws-cn');
const accountArb = fc.constantFrom('123456789012', '111122223333', '888777666555');
const roleArb: fc.Arbitrary<SamlFixtureRole> = fc
  .record({
    partition: partitionArb,
    account: accountArb,
    providerAccount: accountArb,
    path: fc.array(fc.stringMatching(/^[A-Za-z0-9_+=.@-]{1,8}$/), { maxLength: 3 }),
    name: fc.stringMatching(/^[\w+=.@-]{1,24}$/),
    provider: fc.stringMatching(/^[\w.-]{1,16}$/),
  })
  .map(({ partition, account, providerAccount, path, name, provider }) => ({
    roleArn: `arn:${partition}:iam::${account}:role/${[...path, name].join('/')}`,
    principalArn: `arn:${partition}:iam::${providerAccount}:saml-provider/${provider}`,
  }));

const optionsArb: fc.Arbitrary<SamlFixtureOptions & { lineLength?: number; bom?: boolean }> = fc.record({
  roles: fc.array(roleArb, { minLength: 1, maxLength: 8 }),
  dialect: fc.constantFrom(...SAML_DIALECTS),
  valueStyle: fc.constantFrom<RoleValueStyle>('text', 'cdata', 'charref', 'comment'),
  pairOrder: fc.constantFrom('role-first' as const, 'provider-first' as const),
  trailingComma: fc.boolean(),
  padding: fc.constantFrom('', ' ', '\n\t\t', '\r\n  '),
  signature: fc.boolean(),
  sessionDuration: fc.option(fc.integer({ min: 900, max: 43200 }), { nil: undefined }),
  lineLength: fc.option(fc.constantFrom(64, 76), { nil: undefined }),
  bom: fc.boolean(),
});

const SNIPPETS = [
  '<!DOCTYPE r>',
  '<!ENTITY a "b">',
  '<!-- c -->',
  '<!--',
  '-->',
  '<![CDATA[x]]>',
  '<![CDATA[',
  ']]>',
  '&#44;',
  '&#xFFFF;',
  '&amp;',
  '&bogus;',
  '&',
  '<',
  '>',
  '"',
  '</a>',
  '<a>',
  '<?pi x?>',
  ',',
  'arn:aws:iam::123456789012:role/Injected',
  '\u0000',
  '\uFEFF',
];

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'base64'; at: number; char: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 12 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('base64' as const), at: fc.nat(), char: fc.constantFrom('A', '/', '+', '=', '-', '_', '*', ' ') }),
);

/** Applies one mutation to the XML bytes; a `base64` mutation changes one character of the encoded text instead. */
function mutateBytes(bytes: Uint8Array, m: Exclude<Mutation, { kind: 'base64' }>): Uint8Array {
  const at = m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'flip': {
      const copy = bytes.slice();
      const i = at % Math.max(copy.length, 1);
      if (copy.length) copy[i] = (copy[i] ?? 0) ^ (1 << m.bit);
      return copy;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert':
      return new Uint8Array([...bytes.slice(0, at), ...new TextEncoder().encode(m.text), ...bytes.slice(at)]);
    case 'delete':
      return new Uint8Array([...bytes.slice(0, at), ...bytes.slice(at + m.length)]);
  }
}

function mutated(xml: string, mutations: Mutation[]): string {
  let bytes: Uint8Array = new TextEncoder().encode(xml);
  const base64Edits: Extract<Mutation, { kind: 'base64' }>[] = [];
  for (const m of mutations) {
    if (m.kind === 'base64') base64Edits.push(m);
    else bytes = mutateBytes(bytes, m);
  }
  let b64 = toBase64(bytes);
  for (const m of base64Edits) {
    const at = m.at % Math.max(b64.length, 1);
    b64 = b64.slice(0, at) + m.char + b64.slice(at + 1);
  }
  return b64;
}

const SECRETS = ['123456789012', '111122223333', '888777666555', '999988887777', 'alice', 'example.com', 'arn:'];

// Counted, not timed: hundreds of generated inputs each, which a loaded 2-core machine may take well over 5 s to get through.
describe('parseSamlResponse properties', { timeout: 60_000 }, () => {
  it('round-trips the roles of any valid assertion, of any dialect and value style, de-duplicated in order', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const samlResponse = encodeSamlXml(buildSamlXml(options), options);
        const result = outcome(samlResponse);
        if (!('login' in result)) throw new Error(`valid assertion refused: ${result.error.code}`);
        const expected: [string, string][] = [];
        for (const r of options.roles ?? []) {
          if (!expected.some(([a, b]) => a === r.roleArn && b === r.principalArn)) expected.push([r.roleArn, r.principalArn]);
        }
        expect(result.login.roles.map((r) => [r.roleArn, r.principalArn])).toEqual(expected);
        expect(result.login.sessionDuration).toBe(options.sessionDuration);
        expect(result.login.roleSessionName).toBe('alice@example.com');
      }),
      { numRuns: 300 },
    );
  });

  it('any string gives a login or a SamlError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 2000 })), (s) => {
        outcome(s);
      }),
      { numRuns: 500 },
    );
  });

  it('any base64 gives a login or a SamlError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.base64String({ maxLength: 4000 }), fc.uint8Array({ maxLength: 3000 }).map(toBase64)), (s) => {
        outcome(s);
      }),
      { numRuns: 500 },
    );
  });

  it('XML-ish noise gives a login or a SamlError', () => {
    const tokens = fc.constantFrom(
      ...SNIPPETS,
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">',
      '</samlp:Response>',
      '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">',
      '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">',
      '<saml:AttributeValue>',
      '</saml:AttributeValue>',
      '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>',
      'arn:aws:iam::123456789012:saml-provider/P',
      ' ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(tokens, { maxLength: 60 }), (parts) => {
        outcome(encodeSamlXml(parts.join('')), ['123456789012']);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated valid assertions (byte flips, truncations, insertions, deletions) give a login or a SamlError', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (options, mutations) => {
        outcome(mutated(buildSamlXml(options), mutations), SECRETS);
      }),
      { numRuns: 600 },
    );
  });

  it('a DOCTYPE inserted anywhere is refused as a DTD, whatever else is there', () => {
    fc.assert(
      fc.property(
        optionsArb,
        fc.nat(),
        fc.constantFrom('<!DOCTYPE r>', '<!DOCTYPE r [<!ENTITY a "b">]>', '<!ENTITY x SYSTEM "file:///etc/passwd">', '<!doctype x>'),
        (options, at, dtd) => {
          const xml = buildSamlXml(options);
          const i = at % (xml.length + 1);
          const result = outcome(encodeSamlXml(xml.slice(0, i) + dtd + xml.slice(i)), SECRETS);
          expect('error' in result && result.error.code).toBe('dtd');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays fast and safe on large hostile inputs', () => {
    const n = 100_000;
    const valid = buildSamlXml({ roles: [{ roleArn: 'arn:aws:iam::123456789012:role/R', principalArn: 'arn:aws:iam::123456789012:saml-provider/P' }] });
    const hostile = [
      '<a>'.repeat(n) + '</a>'.repeat(n),
      '<'.repeat(5 * n),
      `<!--${'a'.repeat(5 * n)}`,
      `<![CDATA[${'a'.repeat(5 * n)}`,
      `<a${' '.repeat(5 * n)}`,
      `<a ${Array.from({ length: n / 2 }, (_, i) => `b${i}=""`).join(' ')}/>`,
      `<a b="${'x'.repeat(5 * n)}`,
      `<a>${'&#44;'.repeat(n)}</a>`,
      `<a>${'&'.repeat(5 * n)}</a>`,
      valid.replace('alice@example.com</', `${'&#x2C;'.repeat(n)}</`),
      valid.replace('alice@example.com</', `${'<!---->'.repeat(n)}</`),
      valid.replace(/<saml2:AttributeValue([^>]*)>arn/, `<saml2:AttributeValue$1>${'<b>'.repeat(200)}arn`),
      valid.replace('</saml2:AttributeStatement>', `${'<saml2:Attribute Name="x"/>'.repeat(n / 5)}</saml2:AttributeStatement>`),
      `<?xml${' '.repeat(5 * n)}`,
    ];
    for (const xml of hostile) {
      const b64 = encodeSamlXml(xml);
      expect(b64.length).toBeLessThanOrEqual(MAX_SAML_RESPONSE_LENGTH);
      outcome(b64, SECRETS);
    }
    expect(slowest).toBeLessThan(MAX_PARSE_MS);
  });
});
