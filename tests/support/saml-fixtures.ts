/**
 * Builds fake SAML Responses in the shapes real IdPs send to AWS, for unit, STS and end-to-end tests.
 *
 *   buildSamlResponse({ roles: [{ roleArn, principalArn }], roleSessionName: 'alice@example.com' })  // base64
 *   buildSamlXml({ dialect: 'okta', sessionDuration: 3600 })                                          // the XML
 *   encodeSamlXml(xmlYouEditedByHand, { lineLength: 76 })                                             // XML -> base64
 *
 * Every option has a default, so `buildSamlResponse()` gives a valid one-role Google-shaped login that expires in
 * five minutes. Dialects differ only where IdPs really differ (prefixes, default xmlns, pair order, one Role
 * attribute or several, whitespace around values, separator); each quirk can also be set on its own.
 *
 * Nothing is signed: signatures are never checked by the extension (STS does it) nor by moto. `signature: true`
 * adds a dummy `<ds:Signature>` whose `<ds:Object>` holds a decoy Role attribute (DECOY_ROLE), to prove that a
 * parser reads roles only from the Assertion's AttributeStatement.
 *
 * moto 5.2.1 answers 500 to a Role attribute with two or more AttributeValues (the default `values` layout with
 * several roles); STS tests against it use one role, or `layout: 'attributes'` (several Role attributes), which
 * moto cannot index either unless its handler is patched (see AWS-SAML-FACTS.md).
 *
 * All data is obviously fake: accounts 111122223333, 123456789012, 888777666555; people @example.com.
 * Works in Node and browsers (btoa/TextEncoder, no Buffer).
 */

export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const AWS_ATTRIBUTE = {
  role: 'https://aws.amazon.com/SAML/Attributes/Role',
  roleSessionName: 'https://aws.amazon.com/SAML/Attributes/RoleSessionName',
  sessionDuration: 'https://aws.amazon.com/SAML/Attributes/SessionDuration',
} as const;

export interface SamlFixtureRole {
  roleArn: string;
  principalArn: string;
}

/** Fake accounts used throughout the fixtures. */
export const FAKE_ACCOUNTS = { main: '123456789012', dev: '111122223333', prod: '888777666555' } as const;

/** Two roles in 123456789012 behind one SAML provider; the default `roles`. */
export const DEFAULT_ROLES: readonly SamlFixtureRole[] = [
  {
    roleArn: 'arn:aws:iam::123456789012:role/Developer',
    principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP',
  },
  {
    roleArn: 'arn:aws:iam::123456789012:role/team/app/Deployer',
    principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP',
  },
];

/** The role hidden in the dummy signature's ds:Object; it must never be parsed as a role. */
export const DECOY_ROLE: SamlFixtureRole = {
  roleArn: 'arn:aws:iam::999988887777:role/Decoy',
  principalArn: 'arn:aws:iam::999988887777:saml-provider/Decoy',
};

export type SamlDialect = 'google' | 'okta' | 'entra' | 'adfs' | 'keycloak' | 'pingfederate' | 'onelogin' | 'ns0';

export interface DialectShape {
  /** Prefix of protocol elements (Response, Status). */
  protocolPrefix: string;
  /** Prefix of assertion elements; '' puts a default xmlns on the Assertion (and on the Response's Issuer). */
  assertionPrefix: string;
  pairOrder: 'role-first' | 'provider-first';
  /** 'values': one Role attribute, one AttributeValue per pair; 'attributes': one Role attribute per pair. */
  layout: 'values' | 'attributes';
  /** Between the two ARNs of a pair. */
  separator: string;
  /** Whitespace written before and after each value. */
  padding: string;
  /** `xsi:type="xs:string"` on each AttributeValue. */
  typedValues: boolean;
  issuer: string;
}

/** How each IdP writes the Response (see AWS-SAML-FACTS.md, "The assertion"). */
export const DIALECTS: Readonly<Record<SamlDialect, DialectShape>> = {
  google: {
    protocolPrefix: 'saml2p',
    assertionPrefix: 'saml2',
    pairOrder: 'role-first',
    layout: 'values',
    separator: ',',
    padding: '',
    typedValues: true,
    issuer: 'https://accounts.google.com/o/saml2?idpid=C0fake000',
  },
  okta: {
    protocolPrefix: 'saml2p',
    assertionPrefix: 'saml2',
    pairOrder: 'provider-first',
    layout: 'values',
    separator: ',',
    padding: '\n                    ',
    typedValues: true,
    issuer: 'http://www.okta.com/exkFAKE000example',
  },
  entra: {
    protocolPrefix: 'samlp',
    assertionPrefix: '',
    pairOrder: 'role-first',
    layout: 'values',
    separator: ', ',
    padding: '',
    typedValues: false,
    issuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/',
  },
  adfs: {
    protocolPrefix: 'samlp',
    assertionPrefix: '',
    pairOrder: 'provider-first',
    layout: 'values',
    separator: ',',
    padding: '',
    typedValues: false,
    issuer: 'http://adfs.example.com/adfs/services/trust',
  },
  keycloak: {
    protocolPrefix: 'samlp',
    assertionPrefix: 'saml',
    pairOrder: 'role-first',
    layout: 'attributes',
    separator: ',',
    padding: '',
    typedValues: true,
    issuer: 'https://keycloak.example.com/realms/example',
  },
  pingfederate: {
    protocolPrefix: 'samlp',
    assertionPrefix: 'saml',
    pairOrder: 'provider-first',
    layout: 'values',
    separator: ',',
    padding: '\n\t\t\t  ',
    typedValues: false,
    issuer: 'https://pingfederate.example.com',
  },
  onelogin: {
    protocolPrefix: 'samlp',
    assertionPrefix: 'saml',
    pairOrder: 'role-first',
    layout: 'values',
    separator: ',',
    padding: '',
    typedValues: true,
    issuer: 'https://app.onelogin.com/saml/metadata/00000000-fake',
  },
  ns0: {
    protocolPrefix: 'ns0',
    assertionPrefix: 'ns1',
    pairOrder: 'role-first',
    layout: 'values',
    separator: ',',
    padding: '',
    typedValues: false,
    issuer: 'https://idp.example.com/saml2/idp/metadata.php',
  },
};

export const SAML_DIALECTS = Object.keys(DIALECTS) as SamlDialect[];

/**
 * How a Role value's text is written: plain text, one CDATA section, with character references for `,` and `/`
 * (`&#44;`, `&#x2F;`), or with XML comments inside the first ARN and before the separator.
 */
export type RoleValueStyle = 'text' | 'cdata' | 'charref' | 'comment';

export interface SamlFixtureOptions extends Partial<Omit<DialectShape, 'issuer'>> {
  /** Default DEFAULT_ROLES. Any string is written as given (escaped), so malformed ARNs can be tested. */
  roles?: readonly SamlFixtureRole[];
  /** Default 'alice@example.com'; null leaves the attribute out. */
  roleSessionName?: string | null;
  /** Written as given when set (a string allows invalid values); default: no attribute. */
  sessionDuration?: number | string | null;
  /** Default 'google'. The other DialectShape options override single quirks of the dialect. */
  dialect?: SamlDialect;
  /** Adds a `,` after each pair (seen from Google). */
  trailingComma?: boolean;
  /** Default 'text'. */
  valueStyle?: RoleValueStyle;
  /** Name of the Role attribute; default the AWS URI (change it to test case-sensitivity). */
  roleAttributeName?: string;
  /** Default now. */
  issueInstant?: Date;
  /** SubjectConfirmationData@NotOnOrAfter; default issueInstant + 5 minutes. */
  notOnOrAfter?: Date;
  /** Conditions@NotOnOrAfter; default the same as notOnOrAfter. */
  conditionsNotOnOrAfter?: Date;
  /** Response@Destination and Recipient; default https://signin.aws.amazon.com/saml. */
  destination?: string;
  /** Issuer of the Response and the Assertion; default the dialect's. */
  issuer?: string;
  /** Top-level StatusCode; default Success. */
  status?: string;
  /** A nested second-level StatusCode, e.g. urn:oasis:names:tc:SAML:2.0:status:AuthnFailed. */
  subStatus?: string;
  /** Adds dummy ds:Signature blocks (with a decoy Role attribute in ds:Object) to Response and Assertion. */
  signature?: boolean;
  /** An EncryptedAssertion with dummy cipher data instead of the Assertion. */
  encrypted?: boolean;
  /** More attributes (e.g. PrincipalTag:Team), written before the Role attribute. Values are escaped. */
  extraAttributes?: readonly { name: string; values: readonly string[] }[];
  /** `<?xml ...?>` first; default true. */
  xmlDeclaration?: boolean;
}

export interface SamlEncodingOptions {
  /** A UTF-8 byte-order mark before the XML. */
  bom?: boolean;
  /** Break the base64 into lines of this length with CRLF, as MIME encoders do (76). */
  lineLength?: number;
  /** A U+FEFF character before the base64 text itself. */
  base64Bom?: boolean;
}

export type SamlResponseOptions = SamlFixtureOptions & SamlEncodingOptions;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function roleValueXml(pair: SamlFixtureRole, shape: DialectShape, style: RoleValueStyle, trailingComma: boolean): string {
  const [first, second] =
    shape.pairOrder === 'role-first' ? [pair.roleArn, pair.principalArn] : [pair.principalArn, pair.roleArn];
  const tail = `${shape.separator}${second}${trailingComma ? ',' : ''}`;
  switch (style) {
    case 'text':
      return escapeXml(first + tail);
    case 'cdata':
      return `<![CDATA[${first}${tail}]]>`;
    case 'charref':
      return escapeXml(first + tail).replace(/,/g, '&#44;').replace(/\//g, '&#x2F;');
    case 'comment': {
      const middle = Math.floor(first.length / 2);
      return `${escapeXml(first.slice(0, middle))}<!-- split -->${escapeXml(first.slice(middle))}<!--, not a separator -->${escapeXml(tail)}`;
    }
  }
}

function dummySignature(): string {
  const decoy = `${DECOY_ROLE.roleArn},${DECOY_ROLE.principalArn}`;
  return `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="#_fake">
        <ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>ZmFrZSBkaWdlc3Q=</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue>ZmFrZSBzaWduYXR1cmUsIG5ldmVyIGNoZWNrZWQ=</ds:SignatureValue>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate>ZmFrZSBjZXJ0aWZpY2F0ZQ==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    <ds:Object>
      <x:Attribute xmlns:x="${SAML_ASSERTION_NS}" Name="${AWS_ATTRIBUTE.role}"><x:AttributeValue>${decoy}</x:AttributeValue></x:Attribute>
    </ds:Object>
  </ds:Signature>`;
}

/** The SAML Response XML (not encoded). */
export function buildSamlXml(options: SamlFixtureOptions = {}): string {
  const dialect = options.dialect ?? 'google';
  const base = DIALECTS[dialect];
  const shape: DialectShape = {
    protocolPrefix: options.protocolPrefix ?? base.protocolPrefix,
    assertionPrefix: options.assertionPrefix ?? base.assertionPrefix,
    pairOrder: options.pairOrder ?? base.pairOrder,
    layout: options.layout ?? base.layout,
    separator: options.separator ?? base.separator,
    padding: options.padding ?? base.padding,
    typedValues: options.typedValues ?? base.typedValues,
    issuer: options.issuer ?? base.issuer,
  };
  const roles = options.roles ?? DEFAULT_ROLES;
  const roleSessionName = options.roleSessionName === undefined ? 'alice@example.com' : options.roleSessionName;
  const issueInstant = options.issueInstant ?? new Date();
  const notOnOrAfter = options.notOnOrAfter ?? new Date(issueInstant.getTime() + 5 * 60_000);
  const conditionsNotOnOrAfter = options.conditionsNotOnOrAfter ?? notOnOrAfter;
  const destination = options.destination ?? 'https://signin.aws.amazon.com/saml';
  const valueStyle = options.valueStyle ?? 'text';
  const iso = (d: Date) => d.toISOString();

  const p = shape.protocolPrefix ? `${shape.protocolPrefix}:` : '';
  const pDecl = shape.protocolPrefix ? `xmlns:${shape.protocolPrefix}="${SAML_PROTOCOL_NS}"` : `xmlns="${SAML_PROTOCOL_NS}"`;
  const a = shape.assertionPrefix ? `${shape.assertionPrefix}:` : '';
  // With a default xmlns the assertion namespace is declared on each top-level assertion element (Entra, ADFS).
  const aDeclOnResponse = shape.assertionPrefix ? ` xmlns:${shape.assertionPrefix}="${SAML_ASSERTION_NS}"` : '';
  const aDeclLocal = shape.assertionPrefix ? '' : ` xmlns="${SAML_ASSERTION_NS}"`;
  const typed = shape.typedValues
    ? ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string"'
    : '';
  const value = (inner: string) => `<${a}AttributeValue${typed}>${inner}</${a}AttributeValue>`;
  const attribute = (name: string, values: string[]) =>
    `      <${a}Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
      .map((v) => `\n        ${value(v)}`)
      .join('')}\n      </${a}Attribute>`;

  const roleValues = roles.map(
    (r) => `${shape.padding}${roleValueXml(r, shape, valueStyle, options.trailingComma ?? false)}${shape.padding}`,
  );
  const roleName = options.roleAttributeName ?? AWS_ATTRIBUTE.role;
  const attributes: string[] = [];
  for (const extra of options.extraAttributes ?? []) attributes.push(attribute(extra.name, extra.values.map(escapeXml)));
  if (roleSessionName !== null) attributes.push(attribute(AWS_ATTRIBUTE.roleSessionName, [escapeXml(roleSessionName)]));
  if (shape.layout === 'values') attributes.push(attribute(roleName, roleValues));
  else for (const v of roleValues) attributes.push(attribute(roleName, [v]));
  if (options.sessionDuration !== undefined && options.sessionDuration !== null) {
    attributes.push(attribute(AWS_ATTRIBUTE.sessionDuration, [escapeXml(String(options.sessionDuration))]));
  }

  const issuer = escapeXml(shape.issuer);
  const signature = options.signature ? `\n  ${dummySignature()}` : '';
  const subStatus = options.subStatus ? `<${p}StatusCode Value="${escapeXml(options.subStatus)}"/>` : '';
  const status = `<${p}Status><${p}StatusCode Value="${escapeXml(options.status ?? STATUS_SUCCESS)}">${subStatus}</${p}StatusCode></${p}Status>`;

  const assertion = options.encrypted
    ? `<${a}EncryptedAssertion${aDeclLocal}>
    <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">
      <xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
      <xenc:CipherData><xenc:CipherValue>ZmFrZSBjaXBoZXIgZGF0YQ==</xenc:CipherValue></xenc:CipherData>
    </xenc:EncryptedData>
  </${a}EncryptedAssertion>`
    : `<${a}Assertion${aDeclLocal} ID="_fake-assertion" IssueInstant="${iso(issueInstant)}" Version="2.0">
    <${a}Issuer>${issuer}</${a}Issuer>${signature}
    <${a}Subject>
      <${a}NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeXml(roleSessionName ?? 'alice@example.com')}</${a}NameID>
      <${a}SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <${a}SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${escapeXml(destination)}"/>
      </${a}SubjectConfirmation>
    </${a}Subject>
    <${a}Conditions NotBefore="${iso(issueInstant)}" NotOnOrAfter="${iso(conditionsNotOnOrAfter)}">
      <${a}AudienceRestriction><${a}Audience>urn:amazon:webservices</${a}Audience></${a}AudienceRestriction>
    </${a}Conditions>
    <${a}AttributeStatement>
${attributes.join('\n')}
    </${a}AttributeStatement>
    <${a}AuthnStatement AuthnInstant="${iso(issueInstant)}" SessionIndex="_fake-session">
      <${a}AuthnContext><${a}AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</${a}AuthnContextClassRef></${a}AuthnContext>
    </${a}AuthnStatement>
  </${a}Assertion>`;

  return `${options.xmlDeclaration === false ? '' : '<?xml version="1.0" encoding="UTF-8"?>\n'}<${p}Response ${pDecl}${aDeclOnResponse} ID="_fake-response" Version="2.0" IssueInstant="${iso(issueInstant)}" Destination="${escapeXml(destination)}">
  <${a}Issuer${aDeclLocal}>${issuer}</${a}Issuer>${signature}
  ${status}
  ${assertion}
</${p}Response>
`;
}

/** Base64 of the XML's UTF-8 bytes, as an IdP posts it. */
export function encodeSamlXml(xml: string, options: SamlEncodingOptions = {}): string {
  const utf8 = new TextEncoder().encode(xml);
  const bytes = options.bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]) : utf8;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  let base64 = btoa(binary);
  if (options.lineLength && options.lineLength > 0) {
    base64 = (base64.match(new RegExp(`.{1,${options.lineLength}}`, 'g')) ?? []).join('\r\n');
  }
  return options.base64Bom ? `\uFEFF${base64}` : base64;
}

/** The base64 SAMLResponse a browser would POST to AWS. */
export function buildSamlResponse(options: SamlResponseOptions = {}): string {
  return encodeSamlXml(buildSamlXml(options), options);
}

/** The XML inside a base64 SAMLResponse (for assertions in tests). */
export function decodeSamlResponse(samlResponse: string): string {
  const binary = atob(samlResponse.replace(/\s+/g, ''));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** `count` distinct roles across the fake accounts, with paths, for size and speed tests. */
export function manyRoles(count: number, provider = 'ExampleIdP'): SamlFixtureRole[] {
  const accounts = Object.values(FAKE_ACCOUNTS);
  return Array.from({ length: count }, (_, i) => {
    const account = accounts[i % accounts.length] ?? FAKE_ACCOUNTS.main;
    return {
      roleArn: `arn:aws:iam::${account}:role/team-${i % 7}/app/Role${i}`,
      principalArn: `arn:aws:iam::${account}:saml-provider/${provider}`,
    };
  });
}
