/**
 * Reads the AWS roles and session hints out of a base64 SAMLResponse, as posted to the AWS sign-in endpoint.
 * Pure: no browser API, runs in the service worker and in Node (atob/TextDecoder, never Buffer).
 *
 * It does not verify the IdP's signature (STS does). It refuses DTDs before parsing, expands no entity except the
 * five predefined ones and character references (decoded here, not by the parser), and turns every failure into a
 * SamlError whose message is one sentence that never repeats any part of the assertion.
 *
 * Elements are matched by local name whatever their prefix (`saml2:`, `saml:`, `ns0:`, a default xmlns); only the
 * root must be a `Response` in the SAML 2.0 protocol namespace. Values are read as their full XML text: text and
 * CDATA of every descendant, comments skipped, so `arn:...<!-- x -->,arn:...` is one value.
 */
import { localized, type LocalizedText } from './localized-text';
import { PublicError } from './public-error';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Partition } from './aws-endpoints';
import { MAX_ARN_LENGTH, parseRoleArn, parseSamlProviderArn } from './aws-names';

export interface SamlRole {
  roleArn: string;
  principalArn: string;
  accountId: string;
  roleName: string;
  partition: Partition;
}

export interface SamlLogin {
  /** De-duplicated by roleArn + principalArn, in document order. */
  roles: SamlRole[];
  /** The RoleSessionName attribute, trimmed; not validated here (STS wants 2-64 chars of `[\w+=,.@-]`). */
  roleSessionName?: string;
  /**
   * The SessionDuration attribute when it is a whole number of seconds; kept even outside STS's 900..43200 so the
   * caller decides (clamp or report). A non-integer value is left out.
   */
  sessionDuration?: number;
  /** Response@Destination. */
  destination?: string;
  /** Earliest of every SubjectConfirmationData@NotOnOrAfter and Conditions@NotOnOrAfter. */
  notOnOrAfter?: Date;
  /** The Response's Issuer, else the first Assertion's. */
  issuer?: string;
  /** The raw base64 input as given (trimmed): what AssumeRoleWithSAML needs. */
  samlResponse: string;
}

export type SamlErrorCode =
  | 'not-base64'
  | 'not-xml'
  | 'not-saml'
  | 'status'
  | 'encrypted'
  | 'no-roles'
  | 'dtd'
  | 'too-large'
  | 'internal';

/** A SAMLResponse that cannot be used: one sentence a person can act on (`text`), free of assertion content. */
export class SamlError extends PublicError {
  override readonly name = 'SamlError';
  readonly code?: SamlErrorCode;

  constructor(sentence: LocalizedText, code?: SamlErrorCode) {
    super(sentence);
    this.code = code;
  }
}

/** Longest base64 SAMLResponse accepted (characters, after trimming); real ones are a few KB to a few hundred KB. */
export const MAX_SAML_RESPONSE_LENGTH = 1024 * 1024;

export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const AWS_SAML_ATTRIBUTE_PREFIX = 'https://aws.amazon.com/SAML/Attributes/';
const ROLE_ATTRIBUTE = `${AWS_SAML_ATTRIBUTE_PREFIX}Role`;
const ROLE_SESSION_NAME_ATTRIBUTE = `${AWS_SAML_ATTRIBUTE_PREFIX}RoleSessionName`;
const SESSION_DURATION_ATTRIBUTE = `${AWS_SAML_ATTRIBUTE_PREFIX}SessionDuration`;

/** The sentence of each failure (locales/*.yml, `saml.*`); `status` names the IdP's status code too. */
const MESSAGES: Record<Exclude<SamlErrorCode, 'status'>, LocalizedText> = {
  'not-base64': localized('saml.notBase64'),
  'not-xml': localized('saml.notXml'),
  'not-saml': localized('saml.notSaml'),
  encrypted: localized('saml.encrypted'),
  'no-roles': localized('saml.noRoles'),
  dtd: localized('saml.dtd'),
  'too-large': localized('saml.tooLarge', { mebibytes: MAX_SAML_RESPONSE_LENGTH / 1024 / 1024 }),
  internal: localized('saml.internal'),
};

function fail(code: Exclude<SamlErrorCode, 'status'>): never {
  throw new SamlError(MESSAGES[code], code);
}

// ---------------------------------------------------------------------------------------------------------------
// ARNs: the rules live in aws-names.ts

/**
 * One Role attribute value: two ARNs separated by a comma, in either order (told apart by ARN type, never by
 * position), whitespace around each and a trailing comma tolerated. Undefined for anything else, including a
 * pair whose ARNs are in different partitions. A provider in another account than the role is accepted.
 */
export function parseRolePair(value: string): SamlRole | undefined {
  if (value.length > 2 * MAX_ARN_LENGTH + 64) return undefined;
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length !== 2) return undefined;
  const [a = '', b = ''] = parts;
  let roleArn = a;
  let principalArn = b;
  let role = parseRoleArn(a);
  let provider = parseSamlProviderArn(b);
  if (!role || !provider) {
    roleArn = b;
    principalArn = a;
    role = parseRoleArn(b);
    provider = parseSamlProviderArn(a);
  }
  if (!role || !provider || role.partition !== provider.partition) return undefined;
  return { roleArn, principalArn, accountId: role.accountId, roleName: role.roleName, partition: role.partition };
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 and text

/** Forgiving base64 (atob): ASCII whitespace anywhere, padding optional. */
const BASE64_RE = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
const NON_ASCII_RE = /[\x80-\xff]/; // atob gives one char per byte

function decodeBase64Utf8(samlResponse: string): string {
  let binary: string;
  try {
    // atob skips ASCII whitespace (line breaks of MIME-wrapped base64) and throws on anything not base64.
    binary = atob(samlResponse);
  } catch {
    // Other whitespace (e.g. a BOM or no-break space between lines) is tolerated too, then the check is strict.
    const compact = samlResponse.replace(/\s+/g, '');
    if (!BASE64_RE.test(compact)) fail('not-base64');
    try {
      binary = atob(compact);
    } catch {
      fail('not-base64');
    }
  }
  if (binary === '') fail('not-base64');
  let xml = binary;
  if (NON_ASCII_RE.test(binary)) {
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    try {
      // fatal: bytes that are not UTF-8 are an error, not U+FFFD; a leading UTF-8 BOM is dropped by the decoder.
      xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      fail('not-xml');
    }
  }
  // A second BOM, or whitespace before the XML declaration, is tolerated.
  return xml.replace(/^[\uFEFF\s]+/, '');
}

/** Anything that starts a markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, ...), wherever it appears. */
const DECLARATION_RE = /<!(?!--|\[CDATA\[)/;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE_RE = /&([^;&]*);/g;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and character references; any other reference is malformed XML here. */
function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  const decoded = text.replace(REFERENCE_RE, (_whole, ref: string) => {
    const predefined = PREDEFINED[ref];
    if (predefined !== undefined) return predefined;
    let cp = NaN;
    if (/^#[0-9]{1,8}$/.test(ref)) cp = Number.parseInt(ref.slice(1), 10);
    else if (/^#x[0-9a-fA-F]{1,8}$/.test(ref)) cp = Number.parseInt(ref.slice(2), 16);
    if (!isXmlChar(cp)) fail('not-xml');
    return String.fromCodePoint(cp);
  });
  // A `&` without its `;` survived the replacement only if the text was malformed (a decoded `&amp;` cannot
  // match here because the check runs on the input).
  if (text.replace(REFERENCE_RE, '').includes('&')) fail('not-xml');
  return decoded;
}

// ---------------------------------------------------------------------------------------------------------------
// The parsed tree (fast-xml-parser, preserveOrder)

const TEXT = '#text';
const CDATA = '#cdata';
const COMMENT = '#comment';
const ATTRS = ':@';

/** preserveOrder nodes: `{ tag: children, ':@': attributes }`, `{ '#text': string }`, `{ '#cdata': [text] }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true, // keeps text, CDATA and comments of one element apart and in order
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false, // the root's namespace is resolved here from its xmlns declarations
  processEntities: false, // no entity of any kind is expanded by the parser; see decodeReferences
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false, // whitespace is trimmed per value here, after comments are taken out
  textNodeName: TEXT,
  cdataPropName: CDATA,
  commentPropName: COMMENT,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
});

function tagOf(node: XmlNode): string | undefined {
  for (const key in node) {
    if (key !== ATTRS && key !== TEXT && key !== CDATA && key !== COMMENT && key[0] !== '?') return key;
  }
  return undefined;
}

function localName(tag: string): string {
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : tag.slice(colon + 1);
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attribute(node: XmlNode, name: string): string | undefined {
  const attrs = node[ATTRS] as Record<string, unknown> | undefined;
  const value = attrs?.[name];
  return typeof value === 'string' ? decodeReferences(value) : undefined;
}

interface Element {
  node: XmlNode;
  tag: string;
}

/** Child elements whose local name is `name`, whatever their prefix. */
function elements(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (const child of childrenOf(parent.node, parent.tag)) {
    const tag = tagOf(child);
    if (tag !== undefined && localName(tag) === name) found.push({ node: child, tag });
  }
  return found;
}

function elementsAt(from: Element[], ...path: string[]): Element[] {
  let current = from;
  for (const name of path) current = current.flatMap((e) => elements(e, name));
  return current;
}

/** The element's full text: text and CDATA of it and its descendants, in order, comments left out. */
function textContent(element: Element): string {
  let text = '';
  for (const child of childrenOf(element.node, element.tag)) {
    if (typeof child[TEXT] === 'string') text += decodeReferences(child[TEXT]);
    else if (Array.isArray(child[CDATA])) {
      for (const part of child[CDATA] as XmlNode[]) if (typeof part[TEXT] === 'string') text += part[TEXT];
    } else if (child[COMMENT] === undefined) {
      const tag = tagOf(child);
      if (tag !== undefined) text += textContent({ node: child, tag });
    }
  }
  return text;
}

function rootElement(xml: string): Element {
  let document: XmlNode[];
  try {
    document = parser.parse(xml) as XmlNode[];
  } catch {
    fail('not-xml');
  }
  const roots: Element[] = [];
  for (const node of document) {
    const tag = tagOf(node);
    if (tag !== undefined) roots.push({ node, tag });
  }
  const [root] = roots;
  if (roots.length !== 1 || !root) fail('not-xml');
  const colon = root.tag.indexOf(':');
  const prefix = colon < 0 ? '' : root.tag.slice(0, colon);
  const namespace = attribute(root.node, prefix ? `xmlns:${prefix}` : 'xmlns');
  if (localName(root.tag) !== 'Response' || namespace !== SAML_PROTOCOL_NS) fail('not-saml');
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// The SAML Response

const STATUS_SEGMENT_RE = /^urn:oasis:names:tc:SAML:2\.0:status:([A-Za-z]{1,40})$/;

/** The Value of a StatusCode, trimmed. */
function statusValue(code: Element | undefined): string | undefined {
  return code ? attribute(code.node, 'Value')?.trim() : undefined;
}

/** Only a top-level `...:status:Success` is usable; a missing Status counts as a refusal. */
function checkStatus(response: Element): void {
  const code = elementsAt([response], 'Status', 'StatusCode')[0];
  const value = statusValue(code);
  if (value === SAML_STATUS_SUCCESS) return;
  // Only standard status names are repeated (`Responder/AuthnFailed`): they say why, and are not secret.
  const segments: string[] = [];
  for (const v of [value, statusValue(code && elements(code, 'StatusCode')[0])]) {
    const segment = v === undefined ? undefined : STATUS_SEGMENT_RE.exec(v)?.[1];
    if (segment !== undefined) segments.push(segment);
  }
  throw new SamlError(segments.length ? localized('saml.refusedStatus', { status: segments.join('/') }) : localized('saml.refused'), 'status');
}

function parseDateTime(value: string | undefined): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const millis = m[2] ? m[2].slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${m[1]}${millis}${m[3] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readLogin(xml: string, samlResponse: string): SamlLogin {
  if (DECLARATION_RE.test(xml)) fail('dtd');
  if (XMLValidator.validate(xml) !== true) fail('not-xml');
  const response = rootElement(xml);
  checkStatus(response);

  const assertions = elements(response, 'Assertion');
  if (assertions.length === 0 && elements(response, 'EncryptedAssertion').length > 0) fail('encrypted');

  const roles: SamlRole[] = [];
  const seen = new Set<string>();
  let roleSessionName: string | undefined;
  let sessionDuration: number | undefined;
  let encryptedAttributes = false;
  for (const statement of elementsAt(assertions, 'AttributeStatement')) {
    if (elements(statement, 'EncryptedAttribute').length > 0) encryptedAttributes = true;
    for (const attr of elements(statement, 'Attribute')) {
      const name = attribute(attr.node, 'Name');
      const values = elements(attr, 'AttributeValue');
      if (name === ROLE_ATTRIBUTE) {
        for (const value of values) {
          const role = parseRolePair(textContent(value));
          if (!role) continue;
          const key = `${role.roleArn}\n${role.principalArn}`;
          if (seen.has(key)) continue;
          seen.add(key);
          roles.push(role);
        }
      } else if (name === ROLE_SESSION_NAME_ATTRIBUTE && roleSessionName === undefined) {
        roleSessionName = nonEmpty(values[0] && textContent(values[0]));
      } else if (name === SESSION_DURATION_ATTRIBUTE && sessionDuration === undefined) {
        const text = nonEmpty(values[0] && textContent(values[0]));
        if (text && /^\d{1,9}$/.test(text)) sessionDuration = Number(text);
      }
    }
  }
  if (roles.length === 0) fail(encryptedAttributes ? 'encrypted' : 'no-roles');

  let notOnOrAfter: Date | undefined;
  const bounds = [
    ...elementsAt(assertions, 'Subject', 'SubjectConfirmation', 'SubjectConfirmationData'),
    ...elementsAt(assertions, 'Conditions'),
  ];
  for (const bound of bounds) {
    const date = parseDateTime(attribute(bound.node, 'NotOnOrAfter'));
    if (date && (!notOnOrAfter || date < notOnOrAfter)) notOnOrAfter = date;
  }

  const issuerElement = elements(response, 'Issuer')[0] ?? elementsAt(assertions, 'Issuer')[0];
  const login: SamlLogin = { roles, samlResponse };
  if (roleSessionName !== undefined) login.roleSessionName = roleSessionName;
  if (sessionDuration !== undefined) login.sessionDuration = sessionDuration;
  const destination = nonEmpty(attribute(response.node, 'Destination'));
  if (destination !== undefined) login.destination = destination;
  if (notOnOrAfter) login.notOnOrAfter = notOnOrAfter;
  const issuer = nonEmpty(issuerElement && textContent(issuerElement));
  if (issuer !== undefined) login.issuer = issuer;
  return login;
}

/**
 * Parses a base64 SAMLResponse (line breaks, spaces and a leading BOM tolerated). Throws only SamlError: codes
 * `too-large`, `not-base64`, `not-xml`, `dtd`, `not-saml`, `status`, `encrypted`, `no-roles`, and `internal` for
 * anything unexpected.
 */
export function parseSamlResponse(samlResponse: string): SamlLogin {
  try {
    if (typeof samlResponse !== 'string') fail('not-base64');
    const trimmed = samlResponse.trim();
    if (trimmed.length > MAX_SAML_RESPONSE_LENGTH) fail('too-large');
    return readLogin(decodeBase64Utf8(trimmed), trimmed);
  } catch (error) {
    if (error instanceof SamlError) throw error;
    throw new SamlError(MESSAGES.internal, 'internal');
  }
}
