import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorSentence } from '@/i18n/translate';
import { localized } from '@/utils/localized-text';
import {
  MAX_SAML_RESPONSE_LENGTH,
  parseRolePair,
  parseSamlResponse,
  SamlError,
  type SamlErrorCode,
  type SamlLogin,
} from '../../utils/saml';
import { parseRoleArn, parseSamlProviderArn } from '../../utils/aws-names';
import {
  AWS_ATTRIBUTE,
  buildSamlResponse,
  buildSamlXml,
  DECOY_ROLE,
  DEFAULT_ROLES,
  DIALECTS,
  encodeSamlXml,
  SAML_DIALECTS,
  type RoleValueStyle,
  type SamlFixtureRole,
} from '../support/saml-fixtures';

const P = 'arn:aws:iam::123456789012:saml-provider/ExampleIdP';
const role = (name: string, account = '123456789012', partition = 'aws'): SamlFixtureRole => ({
  roleArn: `arn:${partition}:iam::${account}:role/${name}`,
  principalArn: `arn:${partition}:iam::${account}:saml-provider/ExampleIdP`,
});

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/saml/${name}`, import.meta.url), 'utf8');
}

function pairs(login: SamlLogin): [string, string][] {
  return login.roles.map((r) => [r.roleArn, r.principalArn]);
}

/** Things that must never appear in an error message: fake accounts, people, ARNs, issuers, the base64 itself. */
const SECRETS = ['123456789012', '111122223333', '888777666555', '999988887777', 'example.com', 'arn:', 'okta', 'fake'];

function samlError(samlResponse: string): SamlError {
  try {
    parseSamlResponse(samlResponse);
  } catch (error) {
    expect(error).toBeInstanceOf(SamlError);
    return error as SamlError;
  }
  throw new Error('expected a SamlError, but the response parsed');
}

/** Asserts the code, and that the sentence (in English) is one clean sentence that repeats nothing of the input. */
function expectSamlError(samlResponse: string, code: SamlErrorCode, extraSecrets: string[] = []): SamlError {
  const error = samlError(samlResponse);
  expect(error.code).toBe(code);
  expect(error.name).toBe('SamlError');
  const message = errorSentence(error);
  expect(message).toMatch(/^[A-Z].*[a-z)]\.$/);
  expect(message).not.toMatch(/\.\s|\n/); // one sentence
  for (const secret of [...SECRETS, ...extraSecrets]) expect(message.toLowerCase()).not.toContain(secret.toLowerCase());
  let xml = '';
  try {
    xml = new TextDecoder().decode(Uint8Array.from(atob(String(samlResponse).replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
  } catch {
    // not base64: only the raw input can leak
  }
  for (let i = 0; i + 16 <= message.length; i++) {
    const window = message.slice(i, i + 16);
    expect(String(samlResponse).includes(window) || xml.includes(window), `message repeats input: "${window}"`).toBe(
      false,
    );
  }
  return error;
}

describe('parseSamlResponse: IdP dialects', () => {
  it.each(SAML_DIALECTS)('%s: roles in document order, with role and provider told apart', (dialect) => {
    const roles = [role('Developer'), role('team/app/Deployer', '111122223333'), role('ReadOnly', '888777666555')];
    const samlResponse = buildSamlResponse({ dialect, roles, roleSessionName: 'alice@example.com', sessionDuration: 7200 });
    const login = parseSamlResponse(samlResponse);
    expect(pairs(login)).toEqual(roles.map((r) => [r.roleArn, r.principalArn]));
    expect(login.roles[1]).toEqual({
      roleArn: 'arn:aws:iam::111122223333:role/team/app/Deployer',
      principalArn: 'arn:aws:iam::111122223333:saml-provider/ExampleIdP',
      accountId: '111122223333',
      roleName: 'Deployer',
      partition: 'aws',
    });
    expect(login.roleSessionName).toBe('alice@example.com');
    expect(login.sessionDuration).toBe(7200);
    expect(login.issuer).toBe(DIALECTS[dialect].issuer);
    expect(login.destination).toBe('https://signin.aws.amazon.com/saml');
    expect(login.samlResponse).toBe(samlResponse);
  });

  it('the builder really writes each quirk the dialect tests rely on', () => {
    const roles = [role('A'), role('B')];
    const roleAttributes = (xml: string) => xml.split(`Name="${AWS_ATTRIBUTE.role}"`).length - 1;
    expect(buildSamlXml({ dialect: 'google', roles })).toMatch(/<saml2p:Response[\s\S]*<saml2:Assertion /);
    expect(buildSamlXml({ dialect: 'okta', roles })).toContain(`>\n                    ${P},arn:aws:iam::123456789012:role/A\n`);
    expect(buildSamlXml({ dialect: 'entra', roles })).toContain(`<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"`);
    expect(buildSamlXml({ dialect: 'entra', roles })).toContain(`role/A, ${P}`);
    expect(buildSamlXml({ dialect: 'adfs', roles })).toContain(`>${P},arn:aws:iam::123456789012:role/A<`);
    expect(roleAttributes(buildSamlXml({ dialect: 'keycloak', roles }))).toBe(2);
    expect(roleAttributes(buildSamlXml({ dialect: 'google', roles }))).toBe(1);
    expect(buildSamlXml({ dialect: 'pingfederate', roles })).toContain(`>\n\t\t\t  ${P},`);
    expect(buildSamlXml({ dialect: 'ns0', roles })).toMatch(/<ns0:Response[\s\S]*<ns1:Assertion /);
  });

  const styles: RoleValueStyle[] = ['text', 'cdata', 'charref', 'comment'];
  it.each(styles.flatMap((style) => SAML_DIALECTS.map((dialect) => [style, dialect] as const)))(
    'reads the full text of %s values (%s)',
    (valueStyle, dialect) => {
      const roles = [role('Developer'), role('team/app/Deployer')];
      const xml = buildSamlXml({ dialect, roles, valueStyle });
      if (valueStyle === 'comment') expect(xml).toContain('<!--, not a separator -->');
      if (valueStyle === 'charref') expect(xml).toContain('&#44;');
      if (valueStyle === 'cdata') expect(xml).toContain('<![CDATA[');
      const login = parseSamlResponse(encodeSamlXml(xml));
      expect(pairs(login)).toEqual(roles.map((r) => [r.roleArn, r.principalArn]));
    },
  );

  it('takes a comment right before the comma as part of the value, not its end', () => {
    const xml = buildSamlXml({ roles: [role('a')] }).replace(
      `arn:aws:iam::123456789012:role/a,${P}`,
      `arn:aws:iam::123456789012:role/a<!-- x -->,${P}`,
    );
    expect(xml).toContain('role/a<!-- x -->,');
    expect(pairs(parseSamlResponse(encodeSamlXml(xml)))).toEqual([['arn:aws:iam::123456789012:role/a', P]]);
  });

  it('tolerates a trailing comma, a space after the comma and whitespace around values', () => {
    const roles = [role('One'), role('Two')];
    for (const options of [
      { trailingComma: true },
      { separator: ', ' },
      { separator: ' ,\n\t' },
      { padding: '\n\t  \r\n ' },
      { trailingComma: true, separator: ' , ', padding: '  ', pairOrder: 'provider-first' as const },
    ]) {
      expect(pairs(parseSamlResponse(buildSamlResponse({ roles, ...options })))).toEqual(
        roles.map((r) => [r.roleArn, r.principalArn]),
      );
    }
  });

  it('tells role and provider apart by ARN type, never by position', () => {
    const roles = [role('First'), role('Second')];
    for (const pairOrder of ['role-first', 'provider-first'] as const) {
      const login = parseSamlResponse(buildSamlResponse({ roles, pairOrder }));
      for (const r of login.roles) {
        expect(r.roleArn).toContain(':role/');
        expect(r.principalArn).toContain(':saml-provider/');
      }
      expect(login.roles.map((r) => r.roleName)).toEqual(['First', 'Second']);
    }
  });

  it('reads several Role attributes (Keycloak) and several values in one attribute alike', () => {
    const roles = [role('K1'), role('K2'), role('K3')];
    const a = parseSamlResponse(buildSamlResponse({ roles, layout: 'attributes' }));
    const b = parseSamlResponse(buildSamlResponse({ roles, layout: 'values' }));
    expect(pairs(a)).toEqual(pairs(b));
    expect(a.roles).toHaveLength(3);
  });

  it('reads role paths, and the GovCloud and China partitions', () => {
    const roles = [
      role('team/app/Deployer'),
      role('ops/GovAdmin', '111122223333', 'aws-us-gov'),
      role('Beijing', '888777666555', 'aws-cn'),
    ];
    const login = parseSamlResponse(buildSamlResponse({ roles }));
    expect(login.roles.map((r) => [r.partition, r.accountId, r.roleName])).toEqual([
      ['aws', '123456789012', 'Deployer'],
      ['aws-us-gov', '111122223333', 'GovAdmin'],
      ['aws-cn', '888777666555', 'Beijing'],
    ]);
  });

  it('keeps a provider in another account, and drops a pair whose ARNs are in different partitions', () => {
    const roles = [
      { roleArn: 'arn:aws:iam::111122223333:role/Cross', principalArn: P },
      { roleArn: 'arn:aws-cn:iam::123456789012:role/Mixed', principalArn: P },
    ];
    const login = parseSamlResponse(buildSamlResponse({ roles }));
    expect(pairs(login)).toEqual([['arn:aws:iam::111122223333:role/Cross', P]]);
    expect(login.roles[0]?.accountId).toBe('111122223333');
  });

  it('de-duplicates by role and provider, keeping the first place of each', () => {
    const other = 'arn:aws:iam::123456789012:saml-provider/Other';
    const roles = [role('A'), role('B'), role('A'), { ...role('B'), principalArn: other }, role('B')];
    const login = parseSamlResponse(buildSamlResponse({ roles, layout: 'attributes' }));
    expect(login.roles.map((r) => `${r.roleName}@${r.principalArn.split('/')[1]}`)).toEqual([
      'A@ExampleIdP',
      'B@ExampleIdP',
      'B@Other',
    ]);
  });

  it('skips malformed pairs and keeps the good ones', () => {
    const good = role('Good');
    const bad: SamlFixtureRole[] = [
      { roleArn: 'arn:aws:iam::123456789012:role/OnlyRole', principalArn: 'arn:aws:iam::123456789012:role/Again' },
      { roleArn: P, principalArn: P },
      { roleArn: 'arn:aws:iam::12345678901:role/ShortAccount', principalArn: P },
      { roleArn: 'arn:aws:iam::123456789012:user/NotARole', principalArn: P },
      { roleArn: 'arn:aws:sts::123456789012:assumed-role/X/y', principalArn: P },
      { roleArn: 'arn:aws-iso:iam::123456789012:role/UnknownPartition', principalArn: P },
      { roleArn: 'arn:aws:iam::123456789012:role/Three', principalArn: `${P},${P}` },
      { roleArn: 'arn:aws:iam::123456789012:role/has space', principalArn: P },
      { roleArn: 'arn:aws:iam::123456789012:role/', principalArn: P },
      { roleArn: 'arn:aws:iam::123456789012:role//double', principalArn: P },
      { roleArn: '', principalArn: '' },
    ];
    const login = parseSamlResponse(buildSamlResponse({ roles: [...bad.slice(0, 5), good, ...bad.slice(5)] }));
    expect(pairs(login)).toEqual([[good.roleArn, good.principalArn]]);
    expectSamlError(buildSamlResponse({ roles: bad }), 'no-roles');
  });

  it('ignores a Role attribute whose name differs in case, and roles outside the AttributeStatement', () => {
    expectSamlError(buildSamlResponse({ roleAttributeName: 'https://aws.amazon.com/SAML/Attributes/role' }), 'no-roles');
    expectSamlError(buildSamlResponse({ roleAttributeName: 'Role' }), 'no-roles');
    const login = parseSamlResponse(buildSamlResponse({ signature: true }));
    expect(buildSamlXml({ signature: true })).toContain(DECOY_ROLE.roleArn);
    expect(pairs(login)).toEqual(DEFAULT_ROLES.map((r) => [r.roleArn, r.principalArn]));
  });

  it('ignores other attributes, such as principal tags', () => {
    const login = parseSamlResponse(
      buildSamlResponse({
        extraAttributes: [
          { name: 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:Team', values: ['Payments'] },
          { name: 'https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys', values: ['Team'] },
        ],
      }),
    );
    expect(login.roles).toHaveLength(DEFAULT_ROLES.length);
  });

  it('accepts a UTF-8 BOM in the XML or before the base64, line-wrapped base64 and no XML declaration', () => {
    const expected = DEFAULT_ROLES.map((r) => [r.roleArn, r.principalArn]);
    for (const options of [
      { bom: true },
      { base64Bom: true },
      { lineLength: 76 },
      { lineLength: 64, bom: true, base64Bom: true },
      { xmlDeclaration: false },
    ]) {
      expect(pairs(parseSamlResponse(buildSamlResponse(options)))).toEqual(expected);
    }
    const spaced = buildSamlResponse().replace(/(.{10})/g, '$1 \t\n');
    expect(pairs(parseSamlResponse(`\n  ${spaced}  \n`))).toEqual(expected);
  });

  it('returns the base64 as given, trimmed', () => {
    const wrapped = buildSamlResponse({ lineLength: 76 });
    expect(parseSamlResponse(`\uFEFF  ${wrapped}\r\n`).samlResponse).toBe(wrapped);
  });

  it('decodes UTF-8 text and character references in values', () => {
    const login = parseSamlResponse(buildSamlResponse({ roleSessionName: 'zoë.ünïcødé@example.com' }));
    expect(login.roleSessionName).toBe('zoë.ünïcødé@example.com');
    const xml = buildSamlXml({ roleSessionName: 'placeholder' }).replaceAll(
      '>placeholder<',
      '>bob&#x40;example.com&amp;co&#33;<',
    );
    expect(parseSamlResponse(encodeSamlXml(xml)).roleSessionName).toBe('bob@example.com&co!');
  });

  it('reads a Response in the default namespace', () => {
    const login = parseSamlResponse(buildSamlResponse({ protocolPrefix: '', assertionPrefix: '' }));
    expect(login.roles).toHaveLength(DEFAULT_ROLES.length);
  });
});

describe('parseSamlResponse: session details', () => {
  const t0 = new Date('2030-01-01T00:00:00.000Z');

  it('takes the earliest NotOnOrAfter of the subject confirmation and the conditions', () => {
    const early = new Date('2030-01-01T00:05:00.000Z');
    const late = new Date('2030-01-01T01:00:00.000Z');
    expect(
      parseSamlResponse(buildSamlResponse({ issueInstant: t0, notOnOrAfter: early, conditionsNotOnOrAfter: late }))
        .notOnOrAfter,
    ).toEqual(early);
    expect(
      parseSamlResponse(buildSamlResponse({ issueInstant: t0, notOnOrAfter: late, conditionsNotOnOrAfter: early }))
        .notOnOrAfter,
    ).toEqual(early);
  });

  it('reads NotOnOrAfter without milliseconds, with a long fraction or an offset, and ignores a bad one', () => {
    const base = buildSamlXml({ issueInstant: t0, notOnOrAfter: t0, conditionsNotOnOrAfter: t0 });
    const withTimes = (a: string, b: string) =>
      parseSamlResponse(
        encodeSamlXml(
          base
            .replace(/(SubjectConfirmationData NotOnOrAfter=")[^"]*/, `$1${a}`)
            .replace(/(Conditions NotBefore="[^"]*" NotOnOrAfter=")[^"]*/, `$1${b}`),
        ),
      ).notOnOrAfter?.toISOString();
    expect(withTimes('2030-01-01T00:05:00Z', 'garbage')).toBe('2030-01-01T00:05:00.000Z');
    expect(withTimes('2030-01-01T00:05:00.1234567Z', '2030-01-01T02:00:00+01:00')).toBe('2030-01-01T00:05:00.123Z');
    expect(withTimes('2030-01-01T00:05:00Z', '2030-01-01T02:00:00+02:30')).toBe('2029-12-31T23:30:00.000Z');
    expect(withTimes('2030-13-45T99:00:00Z', '')).toBeUndefined();
  });

  it('reads the SessionDuration only when it is a whole number of seconds', () => {
    const duration = (sessionDuration: string | number | null) =>
      parseSamlResponse(buildSamlResponse({ sessionDuration })).sessionDuration;
    expect(duration(3600)).toBe(3600);
    expect(duration(' 43200\n')).toBe(43200);
    expect(duration(100000)).toBe(100000); // kept: the STS caller clamps to what the role allows
    for (const bad of ['3600.5', '-900', '1h', '', '1e4', '0x10', null]) expect(duration(bad)).toBeUndefined();
  });

  it('trims the RoleSessionName and leaves it out when missing or blank', () => {
    expect(parseSamlResponse(buildSamlResponse({ roleSessionName: '  carol@example.com\n ' })).roleSessionName).toBe(
      'carol@example.com',
    );
    expect(parseSamlResponse(buildSamlResponse({ roleSessionName: null })).roleSessionName).toBeUndefined();
    expect(parseSamlResponse(buildSamlResponse({ roleSessionName: ' ' })).roleSessionName).toBeUndefined();
  });

  it('reads the destination and issuer of any partition', () => {
    const login = parseSamlResponse(
      buildSamlResponse({
        roles: [role('Gov', '111122223333', 'aws-us-gov')],
        destination: 'https://signin.amazonaws-us-gov.com/saml',
        issuer: 'https://idp.example.com/metadata?a=1&b=2',
      }),
    );
    expect(login.destination).toBe('https://signin.amazonaws-us-gov.com/saml');
    expect(login.issuer).toBe('https://idp.example.com/metadata?a=1&b=2');
  });
});

describe('parseSamlResponse: hand-written fixtures', () => {
  it('okta-provider-first.xml', () => {
    const login = parseSamlResponse(encodeSamlXml(fixture('okta-provider-first.xml'), { lineLength: 76 }));
    expect(login).toMatchObject({
      roles: [
        {
          roleArn: 'arn:aws:iam::111122223333:role/ReadOnly',
          principalArn: 'arn:aws:iam::111122223333:saml-provider/Okta',
          accountId: '111122223333',
          roleName: 'ReadOnly',
          partition: 'aws',
        },
        {
          roleArn: 'arn:aws:iam::888777666555:role/ops/Admin',
          principalArn: 'arn:aws:iam::888777666555:saml-provider/Okta',
          accountId: '888777666555',
          roleName: 'Admin',
          partition: 'aws',
        },
      ],
      roleSessionName: 'bob@example.com',
      sessionDuration: 43200,
      destination: 'https://signin.aws.amazon.com/saml',
      issuer: 'http://www.okta.com/exkFAKE000example',
      notOnOrAfter: new Date('2030-01-02T03:09:05.000Z'),
    });
  });

  it('adfs-default-xmlns.xml', () => {
    const login = parseSamlResponse(encodeSamlXml(fixture('adfs-default-xmlns.xml')));
    expect(login.roles.map((r) => r.roleArn)).toEqual([
      'arn:aws:iam::123456789012:role/ADFS-Dev',
      'arn:aws:iam::123456789012:role/ADFS-Prod',
      'arn:aws:iam::123456789012:role/finance/ADFS-Billing',
    ]);
    expect(new Set(login.roles.map((r) => r.principalArn))).toEqual(
      new Set(['arn:aws:iam::123456789012:saml-provider/ADFS']),
    );
    expect(login.roles[2]?.roleName).toBe('ADFS-Billing');
    expect(login.roleSessionName).toBe('carol@example.com');
    expect(login.sessionDuration).toBeUndefined(); // "3600.5"
    expect(login.destination).toBe('https://eu-west-1.signin.aws.amazon.com/saml');
    expect(login.issuer).toBe('http://adfs.example.com/adfs/services/trust');
    expect(login.notOnOrAfter).toEqual(new Date('2030-05-06T07:13:09.123Z'));
  });

  it('china-ns0-several-attributes.xml', () => {
    const login = parseSamlResponse(encodeSamlXml(fixture('china-ns0-several-attributes.xml'), { bom: true }));
    expect(pairs(login)).toEqual([
      ['arn:aws-cn:iam::123456789012:role/Beijing', 'arn:aws-cn:iam::123456789012:saml-provider/Example'],
      ['arn:aws-cn:iam::111122223333:role/Ningxia', 'arn:aws-cn:iam::123456789012:saml-provider/Example'],
    ]);
    expect(login.roles.every((r) => r.partition === 'aws-cn')).toBe(true);
    expect(login.roleSessionName).toBe('dave@example.com');
    expect(login.notOnOrAfter).toEqual(new Date('2031-02-03T04:10:06Z'));
    expect(login.sessionDuration).toBeUndefined();
  });
});

describe('parseSamlResponse: errors', () => {
  it('SamlError is an Error with a name, and a code when given', () => {
    const error = new SamlError(localized('saml.internal'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SamlError');
    expect(error.code).toBeUndefined();
    expect(new SamlError(localized('saml.dtd'), 'dtd').code).toBe('dtd');
  });

  it('not-base64', () => {
    for (const input of ['', '   \n', 'not base64!', '%3D%3D', 'PHNhbWw+PC9zYW1sPg===', 'abcde', '<samlp:Response/>']) {
      expectSamlError(input, 'not-base64');
    }
    expectSamlError(undefined as unknown as string, 'not-base64');
    expectSamlError(42 as unknown as string, 'not-base64');
  });

  it('not-xml', () => {
    const encode = (s: string) => encodeSamlXml(s);
    for (const input of [
      encode('hello, world 123456789012'),
      encode('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><a></samlp:Response>'),
      encode(buildSamlXml().slice(0, 1500)),
      // in a value that is read (references in elements that are never read are not looked at)
      encode(buildSamlXml().replaceAll('alice@example.com</', 'alice&unknown;@example.com</')),
      encode(buildSamlXml().replaceAll('alice@example.com</', 'alice&#0;@example.com</')),
      encode(buildSamlXml().replaceAll('alice@example.com</', 'alice&#xD800;@example.com</')),
      encode(buildSamlXml().replace('alice@example.com</', 'alice & bob</')),
      encode(`${buildSamlXml()}<second/>`),
      encode('{"SAMLResponse":"alice@example.com"}'),
      btoa('\xff\xfe<\x00a\x00/\x00>\x00'), // UTF-16: not UTF-8
      btoa('<a>\xc3\x28</a>'), // broken UTF-8
    ]) {
      expectSamlError(input, 'not-xml', ['alice', 'bob', 'unknown', 'second']);
    }
  });

  it('not-saml', () => {
    for (const xml of [
      '<html><body>alice@example.com</body></html>',
      buildSamlXml().replace(/urn:oasis:names:tc:SAML:2\.0:protocol/g, 'urn:example:not-saml'),
      buildSamlXml().replace(/saml2p:Response/g, 'saml2p:LogoutResponse'),
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="x"/>',
      '<Response><Status/></Response>',
      '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>',
    ]) {
      expectSamlError(encodeSamlXml(xml), 'not-saml');
    }
  });

  it('status: says the IdP refused, with the standard status names only', () => {
    const error = expectSamlError(
      buildSamlResponse({
        status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        subStatus: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
      }),
      'status',
    );
    expect(errorSentence(error)).toContain('refused the sign-in (status Responder/AuthnFailed)');
    expect(errorSentence(expectSamlError(buildSamlResponse({ status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }), 'status'))).toContain(
      '(status Requester)',
    );
    const custom = expectSamlError(
      buildSamlResponse({ status: 'urn:example:status:secret-for-alice', subStatus: 'urn:x:123456789012' }),
      'status',
      ['secret', 'alice', 'urn:'],
    );
    expect(errorSentence(custom)).not.toContain('(status');
    const noStatus = encodeSamlXml(buildSamlXml().replace(/<saml2p:Status>.*<\/saml2p:Status>/, ''));
    expectSamlError(noStatus, 'status');
    // Success only at the top level counts.
    expectSamlError(
      buildSamlResponse({
        status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        subStatus: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      }),
      'status',
    );
  });

  it('encrypted: says only AWS can read it and what to ask the IdP admin', () => {
    for (const dialect of SAML_DIALECTS) {
      const error = expectSamlError(buildSamlResponse({ dialect, encrypted: true }), 'encrypted');
      expect(errorSentence(error)).toMatch(/encrypted.*only AWS can read.*admin.*unencrypted/);
    }
    const encryptedAttribute = buildSamlXml().replace(
      /<saml2:Attribute Name="https:\/\/aws\.amazon\.com\/SAML\/Attributes\/Role"[\s\S]*?<\/saml2:Attribute>/,
      '<saml2:EncryptedAttribute><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml2:EncryptedAttribute>',
    );
    expect(encryptedAttribute).toContain('EncryptedAttribute');
    expectSamlError(encodeSamlXml(encryptedAttribute), 'encrypted');
  });

  it('no-roles', () => {
    expectSamlError(buildSamlResponse({ roles: [] }), 'no-roles');
    expectSamlError(
      buildSamlResponse({ roles: [{ roleArn: 'arn:aws:iam::123456789012:role/x', principalArn: 'nope' }] }),
      'no-roles',
    );
    const noAssertion = buildSamlXml().replace(/<saml2:Assertion [\s\S]*<\/saml2:Assertion>/, '');
    expectSamlError(encodeSamlXml(noAssertion), 'no-roles');
  });

  it('dtd: refuses any DOCTYPE or entity declaration before parsing, expanding nothing', () => {
    const xml = buildSamlXml({ xmlDeclaration: false });
    const cases = [
      `<!DOCTYPE samlp:Response>${xml}`,
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "arn:aws:iam::123456789012:role/x">]>${xml.replace('alice@example.com<', '&a;<')}`,
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${xml}`,
      `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml.replace('alice@example.com<', '&xxe;<')}`,
      `<!doctype r SYSTEM "http://169.254.169.254/latest/meta-data/">${xml}`,
      xml.replace('<saml2:AttributeStatement>', '<saml2:AttributeStatement><!ENTITY x "y">'),
      xml.replace('<saml2:AttributeStatement>', '<saml2:AttributeStatement><!ELEMENT x ANY>'),
    ];
    for (const c of cases) expectSamlError(encodeSamlXml(c), 'dtd', ['lol', 'passwd', '169.254']);
  });

  it('too-large: refuses more than MAX_SAML_RESPONSE_LENGTH characters of base64 at once', () => {
    expect(MAX_SAML_RESPONSE_LENGTH).toBe(1024 * 1024);
    const huge = 'QUFB'.repeat(MAX_SAML_RESPONSE_LENGTH / 4 + 1);
    const t0 = performance.now();
    expectSamlError(huge, 'too-large');
    expect(performance.now() - t0).toBeLessThan(1000);
    // The limit is on the trimmed text: surrounding whitespace does not count.
    const padded = `${' '.repeat(4096)}${buildSamlResponse()}${' '.repeat(4096)}`;
    expect(parseSamlResponse(padded).roles).toHaveLength(DEFAULT_ROLES.length);
  });

  it('never echoes the assertion in any error, whatever the code', () => {
    // A response full of identifying data that fails late (after all of it was read).
    const input = buildSamlResponse({
      roles: [{ roleArn: 'arn:aws:iam::888777666555:role/alice-admin', principalArn: 'x' }],
      roleSessionName: 'alice@example.com',
      signature: true,
    });
    const error = expectSamlError(input, 'no-roles', ['alice', 'Decoy']);
    expect(JSON.stringify({ ...error, message: errorSentence(error) })).not.toMatch(/alice|888777666555/);
  });
});

describe('ARN helpers', () => {
  it('parseRoleArn splits partition, account, path and name', () => {
    expect(parseRoleArn('arn:aws:iam::123456789012:role/team/app/Deployer')).toEqual({
      partition: 'aws',
      accountId: '123456789012',
      rolePath: '/team/app/',
      roleName: 'Deployer',
    });
    expect(parseRoleArn('arn:aws-us-gov:iam::111122223333:role/Admin+x=y,z.w@v-u_t')).toMatchObject({
      partition: 'aws-us-gov',
      rolePath: '/',
      roleName: 'Admin+x=y,z.w@v-u_t',
    });
    for (const bad of [
      'arn:aws:iam::123456789012:role/',
      'arn:aws:iam::123456789012:role/a/',
      'arn:aws:iam::123456789012:role/' + 'x'.repeat(65),
      `arn:aws:iam::123456789012:role/${'p/'.repeat(300)}Name`,
      'arn:aws:iam::123456789012:saml-provider/X',
      'arn:aws:iam:us-east-1:123456789012:role/X',
      ' arn:aws:iam::123456789012:role/X',
    ]) {
      expect(parseRoleArn(bad), bad).toBeUndefined();
    }
  });

  it('parseSamlProviderArn and parseRolePair', () => {
    expect(parseSamlProviderArn('arn:aws-cn:iam::123456789012:saml-provider/My.IdP_1')).toEqual({
      partition: 'aws-cn',
      accountId: '123456789012',
      providerName: 'My.IdP_1',
    });
    expect(parseSamlProviderArn('arn:aws:iam::123456789012:saml-provider/a/b')).toBeUndefined();
    const expected = {
      roleArn: 'arn:aws:iam::123456789012:role/X',
      principalArn: P,
      accountId: '123456789012',
      roleName: 'X',
      partition: 'aws',
    };
    expect(parseRolePair(`arn:aws:iam::123456789012:role/X,${P}`)).toEqual(expected);
    expect(parseRolePair(` ${P} ,\n arn:aws:iam::123456789012:role/X ,`)).toEqual(expected);
    expect(parseRolePair(`arn:aws:iam::123456789012:role/X,,${P}`)).toEqual(expected);
    expect(parseRolePair(`arn:aws:iam::123456789012:role/X;${P}`)).toBeUndefined();
  });
});
