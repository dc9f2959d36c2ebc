/**
 * `npm run fuzz [-- --count N | --seconds S] [--seed N] [--host-count N] [--only a,b]`: counted fuzzing, not a
 * timed test. Generated and mutated inputs (fast-check generators, a fixed seed: the same flags give the same
 * inputs) go through five targets:
 *
 *   saml       utils/saml.ts parseSamlResponse: generated assertions of every IdP dialect, mutated XML, mutated
 *              base64, random text, and explicit attacks: XML bombs and external entities (each must be refused),
 *              deep nesting, huge attributes, the size limit (each answered in < 1 s)
 *   capture    utils/saml-capture.ts formFromRequestBody then parseSamlResponse, as entrypoints/background/capture.ts
 *              does: formData shapes (strings, ArrayBuffers) and raw byte chunks (urlencoded, split anywhere, mutated)
 *   framing    host/framing.ts FrameReader: valid frames, zero lengths, wrong lengths, oversize, invalid JSON/UTF-8,
 *              random bytes, split into random chunks, then end of input
 *   handlers   host/handlers.ts handleRequest in process, on real files in a temp HOME (AWS_* pointing there):
 *              valid, mutated and random requests of every type
 *   host       the real, built host (node .output/host/aws-saml-sync-host.cjs), framed requests over stdin/stdout
 *
 * Per target it prints inputs, accepted, refused with a sentence, ignored (capture: no SAMLResponse in the body),
 * crashes, hangs, stray writes, writes and the slowest input (a pure step over 1 s is timed once more and the
 * faster time kept, so a garbage-collection pause on a shared machine is not a hang). It exits 1 on any crash (an exception that is not the
 * module's own public error with a one-sentence message: SamlError for the parser, a reply for the host; an
 * "internal" SamlError or host error 11 counts as a crash too, and so does a wrong answer to an input whose answer
 * is known), any hang (one input taking more than 1 s), or any stray write (a refused request, or a read-only one,
 * that changed a file's bytes).
 *
 * Inputs are fake: every key and token carries EXAMPLE; nothing read or printed here is a secret.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMessagesFile } from '@wxt-dev/i18n/build';
import fc from 'fast-check';
import { buildHost, HOST_BUNDLE, hostBundleIsStale } from '../host/build';
import { encodeFrame, FrameReader, type FrameEvent } from '../host/framing';
import { handleRequest } from '../host/handlers';
import { CHROME_EXTENSION_ORIGIN } from '../utils/extension-identity';
import { HOST_ERRORS, MAX_REQUEST_BYTES, type Reply } from '../utils/host-protocol';
import type { LocalizedText } from '../utils/localized-text';
import { parseSamlResponse, SamlError, MAX_SAML_RESPONSE_LENGTH, type SamlLogin } from '../utils/saml';
import { formFromRequestBody, type CapturedRequestBody } from '../utils/saml-capture';
import { buildSamlXml, encodeSamlXml, manyRoles, SAML_DIALECTS, type SamlFixtureOptions } from '../tests/support/saml-fixtures';

// ---- flags ---------------------------------------------------------------------------------------------------------

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string', default: '20261201' },
    'host-count': { type: 'string' },
    only: { type: 'string' },
  },
});
const SEED = Number(flags.seed);
const SECONDS = flags.seconds ? Number(flags.seconds) : undefined;
const COUNT = flags.count ? Number(flags.count) : SECONDS ? Number.POSITIVE_INFINITY : 10_000;
const HOST_COUNT = flags['host-count'] ? Number(flags['host-count']) : Math.max(100, Math.min(500, Math.floor((Number.isFinite(COUNT) ? COUNT : 10_000) / 20)));
const ONLY = flags.only ? new Set(flags.only.split(',')) : undefined;
const HANG_MS = 1_000;
const BATCH = 250;

// ---- bookkeeping -----------------------------------------------------------------------------------------------------

interface Stats {
  target: string;
  inputs: number;
  accepted: number;
  refused: number;
  ignored: number;
  crashes: number;
  hangs: number;
  strayWrites: number;
  writes: number;
  slowestMs: number;
  slowestKind: string;
  failures: string[];
}

function newStats(target: string): Stats {
  return { target, inputs: 0, accepted: 0, refused: 0, ignored: 0, crashes: 0, hangs: 0, strayWrites: 0, writes: 0, slowestMs: 0, slowestKind: '', failures: [] };
}

function fail(stats: Stats, what: 'crashes' | 'hangs' | 'strayWrites', detail: string): void {
  stats[what]++;
  const label = { crashes: 'crash', hangs: 'hang', strayWrites: 'stray write' }[what];
  if (stats.failures.length < 10) stats.failures.push(`${label} at input ${stats.inputs}: ${detail}`);
}

function timed(stats: Stats, kind: string, ms: number): void {
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowestKind = kind;
  }
  if (ms > HANG_MS) fail(stats, 'hangs', `${kind} took ${ms.toFixed(0)} ms`);
}

/** One sentence: no line break, ends with a full stop (host messages may start with a field name, e.g. `v must be …`). */
const SENTENCE = /^\S[^\n\r]*\.$/;

/** The English catalogue (locales/en.yml), key ("saml.dtd") -> sentence with its {placeholders}. */
const ENGLISH = new Map<string, string>();
async function loadEnglish(): Promise<void> {
  for (const m of await parseMessagesFile(join(process.cwd(), 'locales', 'en.yml'))) {
    if (m.type === 'simple') ENGLISH.set(m.key.join('.'), m.message);
  }
}

/** What a person reading English sees for a catalogue sentence; '' for a key the catalogue lacks. */
function english(text: LocalizedText): string {
  const sentence = ENGLISH.get(text.key) ?? '';
  return sentence.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = text.params?.[name];
    return value === undefined ? `{${name}}` : typeof value === 'object' ? english(value) : String(value);
  });
}

/**
 * Runs `one` over inputs drawn from `arb` in seeded batches until `count` inputs (or the time budget) are done.
 * The explicit inputs run first.
 */
async function drive<T>(stats: Stats, arb: fc.Arbitrary<T>, one: (input: T) => Promise<void> | void, explicit: T[] = [], count = COUNT): Promise<void> {
  const deadline = SECONDS ? performance.now() + SECONDS * 1000 : Number.POSITIVE_INFINITY;
  for (const input of explicit) await one(input);
  for (let batch = 0; stats.inputs < count && performance.now() < deadline; batch++) {
    const n = Math.min(BATCH, count - stats.inputs);
    for (const input of fc.sample(arb, { seed: SEED + batch, numRuns: n })) {
      if (stats.inputs >= count || performance.now() >= deadline) break;
      await one(input);
    }
  }
}

// ---- SAML inputs -----------------------------------------------------------------------------------------------------

interface SamlInput {
  kind: string;
  samlResponse: string;
  /** True when the input is known to be a usable assertion: it must be accepted. */
  valid?: boolean;
  /** True for a DTD or entity attack: it must be refused. */
  refuse?: boolean;
}

const ACCOUNT = fc.stringMatching(/^\d{12}$/);
const PARTITION = fc.constantFrom('aws', 'aws-us-gov', 'aws-cn');
const ROLE = fc
  .record({ partition: PARTITION, account: ACCOUNT, path: fc.constantFrom('', 'team/', 'team/app/'), name: fc.stringMatching(/^[\w+=.@-]{1,20}$/), provider: fc.stringMatching(/^[\w.+=@-]{1,20}$/) })
  .map((r) => ({ roleArn: `arn:${r.partition}:iam::${r.account}:role/${r.path}${r.name}`, principalArn: `arn:${r.partition}:iam::${r.account}:saml-provider/${r.provider}` }));

const SAML_OPTIONS: fc.Arbitrary<SamlFixtureOptions & { bom?: boolean; lineLength?: number; base64Bom?: boolean }> = fc.record(
  {
    dialect: fc.constantFrom(...SAML_DIALECTS),
    roles: fc.array(ROLE, { minLength: 1, maxLength: 6 }),
    valueStyle: fc.constantFrom('text', 'cdata', 'charref', 'comment'),
    trailingComma: fc.boolean(),
    signature: fc.boolean(),
    roleSessionName: fc.oneof(fc.constant('alice@example.com'), fc.stringMatching(/^[\w+=,.@-]{2,64}$/)),
    sessionDuration: fc.integer({ min: 900, max: 43200 }),
    xmlDeclaration: fc.boolean(),
    bom: fc.boolean(),
    lineLength: fc.constantFrom(0, 64, 76),
    base64Bom: fc.boolean(),
  },
  { requiredKeys: ['dialect', 'roles'] },
);

/** Options that may make the assertion unusable (status, encryption, odd values), for refusals of every kind. */
const ODD_SAML_OPTIONS = fc.record(
  {
    status: fc.constantFrom('urn:oasis:names:tc:SAML:2.0:status:Requester', 'urn:oasis:names:tc:SAML:2.0:status:Success', 'nope'),
    subStatus: fc.constantFrom('urn:oasis:names:tc:SAML:2.0:status:AuthnFailed', 'x'),
    encrypted: fc.boolean(),
    roleAttributeName: fc.constantFrom('https://aws.amazon.com/SAML/Attributes/role', 'Role', 'https://aws.amazon.com/SAML/Attributes/Role'),
    roles: fc.array(fc.record({ roleArn: fc.string(), principalArn: fc.string() }), { maxLength: 3 }),
    sessionDuration: fc.oneof(fc.string(), fc.integer()),
    roleSessionName: fc.oneof(fc.constant(null), fc.string()),
    extraAttributes: fc.array(fc.record({ name: fc.string(), values: fc.array(fc.string(), { maxLength: 3 }) }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const XML_TOKENS = [
  '<!DOCTYPE r>', '<!DOCTYPE r [<!ENTITY a "b">]>', '<!ENTITY a "b">', '&a;', '&#0;', '&#x110000;', '&#xD800;', '&lt;', '&amp;', '&',
  '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<?pi x?>', '</', '<', '>', '/>', '"', "'", '=', '\u0000', '\uFEFF', '\uD800',
  ' xmlns="urn:x"', ' xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"', ' xmlns:saml2p=""',
  '<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:role/X,arn:aws:iam::123456789012:saml-provider/P</saml:AttributeValue></saml:Attribute>',
  'arn:aws:iam::123456789012:role/Injected,arn:aws:iam::123456789012:saml-provider/P', ',', '\r\n', '\t',
  '<EncryptedAssertion>', '<Status><StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"/></Status>',
];

type Mutation = { op: 'delete' | 'duplicate'; at: number; len: number } | { op: 'insert'; at: number; text: string } | { op: 'truncate'; at: number };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.constantFrom(...XML_TOKENS), fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 8 })) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor((m as { at: number }).at * out.length);
    if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + m.len);
    else if (m.op === 'duplicate') out = out.slice(0, at + m.len) + out.slice(at, at + m.len) + out.slice(at + m.len);
    else if (m.op === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

const SAML_INPUT: fc.Arbitrary<SamlInput> = fc.oneof(
  { weight: 3, arbitrary: SAML_OPTIONS.map((o) => ({ kind: 'generated', samlResponse: encodeSamlXml(buildSamlXml(o), o), valid: true })) },
  { weight: 2, arbitrary: fc.tuple(SAML_OPTIONS, ODD_SAML_OPTIONS).map(([o, odd]) => ({ kind: 'odd options', samlResponse: encodeSamlXml(buildSamlXml({ ...o, ...odd })) })) },
  { weight: 5, arbitrary: fc.tuple(SAML_OPTIONS, fc.array(MUTATION, { minLength: 1, maxLength: 6 })).map(([o, m]) => ({ kind: 'mutated XML', samlResponse: encodeSamlXml(mutate(buildSamlXml(o), m)) })) },
  { weight: 2, arbitrary: fc.tuple(SAML_OPTIONS, fc.array(MUTATION, { minLength: 1, maxLength: 3 })).map(([o, m]) => ({ kind: 'mutated base64', samlResponse: mutate(encodeSamlXml(buildSamlXml(o), o), m) })) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 })).map((s) => ({ kind: 'random text', samlResponse: s })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }).map((s) => ({ kind: 'random XML text', samlResponse: encodeSamlXml(s) })) },
);

const b64 = (xml: string) => encodeSamlXml(xml);
const DTD_BODY = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol9;</samlp:Response>';
const LAUGHS = `<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}`;

/** XML bombs, external entities and other classics: each must be refused (or, without a DTD, read plainly) in < 1 s. */
function attackInputs(): SamlInput[] {
  const valid = buildSamlXml({ dialect: 'okta' });
  const afterDecl = (xml: string, insert: string) => xml.replace(/^(<\?xml[^>]*\?>\n?)?/, (d) => `${d}${insert}`);
  return [
    { kind: 'billion laughs', samlResponse: b64(`<?xml version="1.0"?><!DOCTYPE lolz [${LAUGHS}]>${DTD_BODY}`), refuse: true },
    { kind: 'billion laughs, no XML declaration', samlResponse: b64(`<!DOCTYPE lolz [${LAUGHS}]>${DTD_BODY}`), refuse: true },
    { kind: 'billion laughs, lower-case doctype after a comment', samlResponse: b64(`<!-- x --><!doctype lolz [${LAUGHS}]>${DTD_BODY}`), refuse: true },
    { kind: 'billion laughs inside a valid assertion', samlResponse: b64(afterDecl(valid, `<!DOCTYPE lolz [${LAUGHS}]>`).replace('urn:amazon:webservices', '&lol9;')), refuse: true },
    { kind: 'billion laughs, UTF-8 BOM', samlResponse: encodeSamlXml(`<!DOCTYPE lolz [${LAUGHS}]>${DTD_BODY}`, { bom: true }), refuse: true },
    { kind: 'external entity (file)', samlResponse: b64(afterDecl(valid, '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('urn:amazon:webservices', '&xxe;')), refuse: true },
    { kind: 'external entity (http)', samlResponse: b64(afterDecl(valid, '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>').replace('urn:amazon:webservices', '&xxe;')), refuse: true },
    { kind: 'external DTD (PUBLIC)', samlResponse: b64(afterDecl(valid, '<!DOCTYPE r PUBLIC "-//X//Y" "http://127.0.0.1:9/x.dtd">')), refuse: true },
    { kind: 'parameter entity', samlResponse: b64(afterDecl(valid, '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>')), refuse: true },
    { kind: 'quadratic blowup', samlResponse: b64(afterDecl(valid, `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(50_000)}">]>`).replace('urn:amazon:webservices', '&a;'.repeat(10_000))), refuse: true },
    { kind: 'entity references without a DTD', samlResponse: b64(valid.replace('urn:amazon:webservices', '&lol9;'.repeat(50_000))) },
    { kind: 'XInclude', samlResponse: b64(valid.replace('<saml2:Issuer', '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/><saml2:Issuer')) },
    { kind: 'deep nesting (30,000 levels)', samlResponse: b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(30_000)}${'</a>'.repeat(30_000)}</samlp:Response>`) },
    { kind: 'deep nesting (30,000 levels), unclosed', samlResponse: b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(30_000)}`) },
    { kind: '20,000 attributes on one element', samlResponse: b64(valid.replace('<saml2:Issuer', `<saml2:Issuer ${Array.from({ length: 20_000 }, (_, i) => `a${i}="v"`).join(' ')}`)) },
    { kind: '1,500 roles', samlResponse: b64(buildSamlXml({ roles: manyRoles(1500) })), valid: true },
    { kind: 'a comment of 700 KB', samlResponse: b64(`<!--${'-x'.repeat(250_000)}-->${valid}`) },
    { kind: 'just over the size limit', samlResponse: 'A'.repeat(MAX_SAML_RESPONSE_LENGTH + 1) },
    { kind: 'the size limit exactly, padding', samlResponse: `${b64(valid)}${' '.repeat(Math.max(0, MAX_SAML_RESPONSE_LENGTH - b64(valid).length))}`, valid: true },
    { kind: 'UTF-16 XML', samlResponse: btoa(String.fromCharCode(0xff, 0xfe, ...Array.from(valid.slice(0, 2000)).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]))) },
    { kind: 'NUL bytes', samlResponse: b64(valid.replace('<saml2:Issuer', '\u0000<saml2:Issuer')) },
    { kind: 'empty', samlResponse: '' },
    { kind: 'whitespace only', samlResponse: ' \r\n\t ' },
  ];
}

/**
 * Runs a pure, repeatable step and times it; a step over HANG_MS is run once more and the faster time kept, so a
 * garbage-collection pause or another process on these shared machines is not taken for a hang (a real hang is
 * slow both times).
 */
function timedPure<T>(step: () => T): { value: T; ms: number } {
  let t0 = performance.now();
  const value = step();
  let ms = performance.now() - t0;
  if (ms > HANG_MS) {
    t0 = performance.now();
    step();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { value, ms };
}

/** parseSamlResponse: accepted, or a SamlError with a sentence (anything else, or code internal, is a crash). */
function parseOne(stats: Stats, input: SamlInput, samlResponse = input.samlResponse, extraMs = 0): number {
  const { value: outcome, ms } = timedPure((): { login: SamlLogin } | { error: unknown } => {
    try {
      return { login: parseSamlResponse(samlResponse) };
    } catch (error) {
      return { error };
    }
  });
  if ('login' in outcome) {
    const login = outcome.login;
    if (!Array.isArray(login.roles) || login.roles.length === 0) fail(stats, 'crashes', `${input.kind}: accepted with no roles`);
    else if (input.refuse) fail(stats, 'crashes', `${input.kind}: an XML bomb or external entity accepted`);
    else stats.accepted++;
  } else {
    const error = outcome.error;
    if (!(error instanceof SamlError)) fail(stats, 'crashes', `${input.kind}: ${error instanceof Error ? error.name : typeof error} thrown`);
    else if (error.code === 'internal') fail(stats, 'crashes', `${input.kind}: internal SamlError`);
    else if (!SENTENCE.test(error.text ? english(error.text) : error.message)) fail(stats, 'crashes', `${input.kind}: a message that is not one sentence (code ${error.code})`);
    else if (input.valid) fail(stats, 'crashes', `${input.kind}: a usable assertion refused (${error.code})`);
    else stats.refused++;
  }
  timed(stats, input.kind, ms + extraMs);
  return ms;
}

async function fuzzSaml(): Promise<Stats> {
  const stats = newStats('saml');
  const attacks = attackInputs();
  let slowestAttack = 0;
  let slowestBomb = 0;
  for (const attack of attacks) {
    stats.inputs++;
    const refusedBefore = stats.refused;
    const ms = parseOne(stats, attack);
    slowestAttack = Math.max(slowestAttack, ms);
    if (attack.refuse) slowestBomb = Math.max(slowestBomb, ms);
    if (attack.refuse && stats.refused === refusedBefore) console.log(`    saml: ${attack.kind} was not refused`);
  }
  const bombs = attacks.filter((a) => a.refuse).length;
  console.log(`    saml: ${attacks.length} explicit attacks (${bombs} XML bombs and external entities, each to be refused: slowest ${slowestBomb.toFixed(1)} ms), the slowest of all answered in ${slowestAttack.toFixed(0)} ms`);
  await drive(stats, SAML_INPUT, (input) => {
    stats.inputs++;
    parseOne(stats, input);
  });
  return stats;
}

// ---- capture inputs ---------------------------------------------------------------------------------------------------

interface CaptureInput {
  kind: string;
  body: CapturedRequestBody | null | undefined;
  /** The SAMLResponse formFromRequestBody must find, when known. */
  expected?: string;
  valid?: boolean;
  refuse?: boolean;
}

const enc = new TextEncoder();
/**
 * application/x-www-form-urlencoded, as a browser encodes a form field: the UTF-8 bytes (a lone surrogate becomes
 * U+FFFD, where encodeURIComponent would throw), every byte but the unreserved ones as %XX.
 */
const formEncode = (text: string): string => Array.from(enc.encode(text), (b) => (/[A-Za-z0-9*_.-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
/** What survives that encoding: the text with each lone surrogate replaced by U+FFFD. */
const wellFormed = (text: string): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(enc.encode(text));

/** A copy in an ArrayBuffer of its own (Buffer#slice does not copy, and a Buffer's .buffer is a shared pool). */
const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

function splitBytes(bytes: Uint8Array, cuts: number[]): { bytes: ArrayBuffer }[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const chunks: { bytes: ArrayBuffer }[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push({ bytes: toArrayBuffer(bytes.subarray(last, p)) });
    last = p;
  }
  return chunks;
}

const CUTS = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

const CAPTURE_INPUT: fc.Arbitrary<CaptureInput> = fc.oneof(
  // formData, a string, as both browsers give it for urlencoded and multipart forms
  { weight: 3, arbitrary: fc.tuple(SAML_INPUT, fc.option(fc.string({ maxLength: 40 }))).map(([s, relay]) => ({
    kind: `formData string, ${s.kind}`,
    body: { formData: { SAMLResponse: [s.samlResponse], ...(relay !== null ? { RelayState: [relay] } : {}) } },
    expected: s.samlResponse,
    valid: s.valid,
  })) },
  // formData with an ArrayBuffer value (a file part)
  { weight: 1, arbitrary: SAML_INPUT.map((s) => ({ kind: `formData ArrayBuffer, ${s.kind}`, body: { formData: { SAMLResponse: [toArrayBuffer(enc.encode(s.samlResponse))] } }, valid: s.valid })) },
  // raw bytes: the urlencoded body, split into chunks anywhere (also inside a %XX escape or a UTF-8 sequence)
  { weight: 3, arbitrary: fc.tuple(SAML_INPUT, CUTS, fc.boolean()).map(([s, cuts, relayFirst]) => {
    const field = `SAMLResponse=${formEncode(s.samlResponse)}`;
    const text = relayFirst ? `RelayState=https%3A%2F%2Fconsole.aws.amazon.com%2F&${field}` : `${field}&RelayState=x`;
    return { kind: `raw urlencoded, ${s.kind}`, body: { raw: splitBytes(enc.encode(text), cuts) }, expected: wellFormed(s.samlResponse), valid: s.valid };
  }) },
  // raw bytes mutated at the byte level: invalid percent escapes, invalid UTF-8, stray & and =
  { weight: 2, arbitrary: fc.tuple(SAML_INPUT, fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }), CUTS).map(([s, flips, cuts]) => {
    const bytes = enc.encode(`SAMLResponse=${formEncode(s.samlResponse)}`);
    for (const f of flips) bytes[Math.floor(f.at * (bytes.length - 1))] = f.byte;
    return { kind: 'raw bytes mutated', body: { raw: splitBytes(bytes, cuts) } };
  }) },
  // bodies of odd shapes
  { weight: 1, arbitrary: fc.oneof(
    fc.constant<CaptureInput>({ kind: 'null body', body: null }),
    fc.constant<CaptureInput>({ kind: 'undefined body', body: undefined }),
    fc.string().map((e) => ({ kind: 'body with error', body: { error: e } })),
    fc.constant<CaptureInput>({ kind: 'empty formData', body: { formData: {} } }),
    fc.constant<CaptureInput>({ kind: 'empty SAMLResponse list', body: { formData: { SAMLResponse: [] } } }),
    fc.constant<CaptureInput>({ kind: 'raw file part', body: { raw: [{ file: '/tmp/x' }] } }),
    fc.constant<CaptureInput>({ kind: 'raw empty', body: { raw: [] } }),
    fc.uint8Array({ maxLength: 600 }).map((b) => ({ kind: 'raw random bytes', body: { raw: [{ bytes: toArrayBuffer(b) }] } })),
    fc.string({ maxLength: 300 }).map((t) => ({ kind: 'raw random text', body: { raw: [{ bytes: toArrayBuffer(enc.encode(t)) }] } })),
  ) },
);

function attackCaptureInputs(): CaptureInput[] {
  const out: CaptureInput[] = [];
  for (const a of attackInputs()) {
    out.push({ kind: `formData, ${a.kind}`, body: { formData: { SAMLResponse: [a.samlResponse] } }, expected: a.samlResponse, valid: a.valid, refuse: a.refuse });
    out.push({ kind: `raw, ${a.kind}`, body: { raw: [{ bytes: toArrayBuffer(enc.encode(`SAMLResponse=${formEncode(a.samlResponse)}`)) }] }, expected: wellFormed(a.samlResponse), refuse: a.refuse });
  }
  out.push({ kind: 'raw body over the 4 MiB limit', body: { raw: [{ bytes: new ArrayBuffer(4 * 1024 * 1024 + 1) }] } });
  return out;
}

async function fuzzCapture(): Promise<Stats> {
  const stats = newStats('capture');
  await drive(stats, CAPTURE_INPUT, (input) => {
    stats.inputs++;
    const { value: form, ms: formMs } = timedPure((): { samlResponse?: string } | Error => {
      try {
        return formFromRequestBody(input.body);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    if (form instanceof Error) {
      fail(stats, 'crashes', `${input.kind}: formFromRequestBody threw ${form.name}`);
      return;
    }
    const samlResponse = form.samlResponse;
    if (input.expected !== undefined && samlResponse !== input.expected) {
      fail(stats, 'crashes', `${input.kind}: the SAMLResponse read back differs from the one posted (lengths ${samlResponse?.length} and ${input.expected.length})`);
      return;
    }
    if (!samlResponse) {
      // capture.ts: no SAMLResponse in the form: not a SAML sign-in, nothing to parse.
      stats.ignored++;
      timed(stats, input.kind, formMs);
      return;
    }
    parseOne(stats, { kind: input.kind, samlResponse, valid: input.valid, refuse: input.refuse }, samlResponse, formMs);
  }, attackCaptureInputs());
  return stats;
}

// ---- frames -----------------------------------------------------------------------------------------------------------

type FramePart = { kind: 'valid'; value: unknown } | { kind: 'bytes'; bytes: Uint8Array };

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};

const FRAME_PART: fc.Arbitrary<FramePart> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'valid' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bytes' as const, bytes: le32(0) }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ kind: 'bytes' as const, bytes: Buffer.concat([le32(Buffer.byteLength(s) + 1), Buffer.from(`${s}{`)]) })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => ({ kind: 'bytes' as const, bytes: Buffer.concat([le32(b.length), Buffer.from(b)]) })) },
  { weight: 1, arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: -8, max: 8 })).map(([v, d]) => {
    const json = Buffer.from(JSON.stringify(v) ?? 'null');
    return { kind: 'bytes' as const, bytes: Buffer.concat([le32(Math.max(0, json.length + d)), json]) };
  }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_REQUEST_BYTES + 1, max: 0xffffffff }).map((n) => ({ kind: 'bytes' as const, bytes: Buffer.concat([le32(n), Buffer.from('{"v":1}')]) })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
);

interface FrameInput {
  parts: FramePart[];
  cuts: number[];
}

const FRAME_INPUT: fc.Arbitrary<FrameInput> = fc.record({ parts: fc.array(FRAME_PART, { minLength: 1, maxLength: 8 }), cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }) });

const PROBLEMS = new Set(['BadFrame', 'InvalidJson', 'FrameTooLarge']);

async function fuzzFraming(): Promise<Stats> {
  const stats = newStats('framing');
  const explicit: FrameInput[] = [
    { parts: [{ kind: 'bytes', bytes: le32(0xffffffff) }], cuts: [] },
    { parts: [{ kind: 'bytes', bytes: Buffer.concat([le32(5), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff])]) }], cuts: [0.5] },
    { parts: [{ kind: 'valid', value: { v: 1, id: 'x', type: 'hello', body: {} } }], cuts: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
    { parts: [{ kind: 'bytes', bytes: Buffer.concat([le32(1_000_000), Buffer.alloc(1_000_000, 0x20)]) }], cuts: [0.5] },
  ];
  await drive(stats, FRAME_INPUT, (input) => {
    stats.inputs++;
    const stream = Buffer.concat(input.parts.map((p) => (p.kind === 'valid' ? encodeFrame(p.value) : Buffer.from(p.bytes))));
    const allValid = input.parts.every((p) => p.kind === 'valid');
    let crashed: unknown;
    const { value: events, ms } = timedPure(() => {
      const reader = new FrameReader();
      const out: FrameEvent[] = [];
      try {
        for (const chunk of splitBytes(stream, input.cuts)) out.push(...reader.push(Buffer.from(chunk.bytes)));
        const last = reader.end();
        if (last) out.push(last);
      } catch (error) {
        crashed = error;
      }
      return out;
    });
    if (crashed !== undefined) {
      fail(stats, 'crashes', `FrameReader threw ${crashed instanceof Error ? crashed.name : typeof crashed}`);
      return;
    }
    timed(stats, 'frames', ms);
    for (const e of events) {
      if (e.kind === 'message') continue;
      if (!PROBLEMS.has(e.error) || !SENTENCE.test(e.message)) fail(stats, 'crashes', `a problem event without a known error and a sentence (${e.error})`);
    }
    const messages = events.filter((e) => e.kind === 'message').length;
    if (allValid) {
      const expected = input.parts.map((p) => JSON.stringify((p as { value: unknown }).value));
      const got = events.map((e) => (e.kind === 'message' ? JSON.stringify(e.value) : `problem ${e.error}`));
      if (JSON.stringify(expected) !== JSON.stringify(got)) fail(stats, 'crashes', 'valid frames not read back as sent');
    }
    if (events.length === 0 || messages === events.length) stats.accepted++;
    else stats.refused++;
  }, explicit);
  return stats;
}

// ---- requests ---------------------------------------------------------------------------------------------------------

const NAMES = fc.oneof(fc.constantFrom('sts-temp', 'dev-env', 'default', 'mine', 'work', 'forged'), fc.stringMatching(/^[A-Za-z0-9_.@+-]{1,64}$/));
const REGION = fc.constantFrom('us-east-1', 'eu-west-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-2');

const CREDENTIALS = fc.record({
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{9}$/).map((s) => `ASIAEXAMPLE${s}`),
  secretAccessKey: fc.stringMatching(/^[A-Za-z0-9/+]{0,30}$/).map((s) => `secretEXAMPLE${s}`),
  sessionToken: fc.stringMatching(/^[A-Za-z0-9/+=]{0,60}$/).map((s) => `tokenEXAMPLE${s}`),
  expiration: fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
});

const PROFILE = fc.record({ profile: NAMES, kind: fc.constantFrom('saml', 'chained', 'chained-config'), role: ROLE, credentials: CREDENTIALS, region: fc.option(REGION), source: NAMES, duration: fc.option(fc.integer({ min: 900, max: 43200 })) }).map((p) => {
  const config: Record<string, unknown> = p.region ? { region: p.region } : {};
  if (p.kind !== 'saml' && p.source !== p.profile) Object.assign(config, { source_profile: p.source, role_arn: p.role.roleArn });
  if (p.kind === 'chained-config' && !config.source_profile) Object.assign(config, { source_profile: `${p.profile}-base`.slice(0, 64), role_arn: p.role.roleArn });
  if (p.duration && config.role_arn) config.duration_seconds = p.duration;
  return { profile: p.profile, kind: p.kind, roleArn: p.role.roleArn, ...(p.kind === 'chained-config' ? {} : { credentials: p.credentials }), config };
});

const WRITE_BODY = fc.record({ profiles: fc.uniqueArray(PROFILE, { minLength: 1, maxLength: 5, selector: (p) => p.profile }), confirmOverwrite: fc.option(fc.subarray(['default', 'mine', 'forged', 'sts-temp'])), legacySecurityToken: fc.option(fc.boolean()) }).map((b) => ({
  profiles: b.profiles,
  ...(b.confirmOverwrite ? { confirmOverwrite: b.confirmOverwrite } : {}),
  ...(b.legacySecurityToken !== null ? { legacySecurityToken: b.legacySecurityToken } : {}),
}));

const VALID_REQUEST = fc.oneof(
  { weight: 6, arbitrary: WRITE_BODY.map((body) => ({ type: 'writeProfiles', body })) },
  { weight: 2, arbitrary: fc.uniqueArray(NAMES, { minLength: 1, maxLength: 4 }).map((profiles) => ({ type: 'removeProfiles', body: { profiles } })) },
  { weight: 1, arbitrary: fc.constant({ type: 'listProfiles', body: {} }) },
  { weight: 1, arbitrary: fc.constant({ type: 'hello', body: {} }) },
).chain((r) => fc.stringMatching(/^[\w-]{1,64}$/).map((id) => ({ v: 1, id, ...r })));

/** Strings that break INI files or the schema: line breaks, comment starts, section headers, NUL, non-ASCII. */
const NASTY_STRING = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\n[default]\naws_access_key_id = AKIAEVILEXAMPLE00000\n', '\r', '#secretEXAMPLE', ';x', ' x', 'x ', '', '\u0000', 'é', '[profile x]', 'a=b', 'x'.repeat(9000), '__proto__', 'constructor'),
);

type Json = unknown;
type PathStep = string | number;

function allPaths(value: Json, prefix: PathStep[] = [], out: PathStep[][] = []): PathStep[][] {
  out.push(prefix);
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

type RequestMutation = { op: 'set'; pick: number; value: Json } | { op: 'delete'; pick: number } | { op: 'addKey'; pick: number; key: string; value: Json };

const REQUEST_MUTATION: fc.Arbitrary<RequestMutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: fc.oneof(NASTY_STRING, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, -1, 1.5, Number.POSITIVE_INFINITY, Number.MAX_VALUE, true, [], {})) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), pick: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'credential_process', 'extra')), value: fc.jsonValue({ maxDepth: 1 }) }),
);

function applyMutation(request: Json, m: RequestMutation): Json {
  const copy = structuredClone(request) as Record<string, unknown>;
  const paths = allPaths(copy);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.op === 'set' ? m.value : copy;
  let parent: Record<PathStep, unknown> = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<PathStep, unknown>;
  const last = path.at(-1)!;
  if (m.op === 'set') parent[last] = m.value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    else parent[last] = { [m.key]: m.value };
  }
  return copy;
}

interface RequestInput {
  kind: string;
  request: Json;
}

const REQUEST_INPUT: fc.Arbitrary<RequestInput> = fc.oneof(
  { weight: 3, arbitrary: VALID_REQUEST.map((request) => ({ kind: `valid ${request.type}`, request })) },
  { weight: 5, arbitrary: fc.tuple(VALID_REQUEST, fc.array(REQUEST_MUTATION, { minLength: 1, maxLength: 3 })).map(([r, ms]) => ({ kind: `mutated ${r.type}`, request: ms.reduce<Json>((acc, m) => applyMutation(acc, m), r) })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((request) => ({ kind: 'random JSON', request })) },
  { weight: 1, arbitrary: fc.record({ v: fc.oneof(fc.integer(), fc.string(), fc.constant(1)), id: fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)), type: fc.oneof(NASTY_STRING, fc.constantFrom('hello', 'writeProfiles', 'toString', '__proto__', 'hasOwnProperty')), body: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((request) => ({ kind: 'random envelope', request })) },
);

// A temp HOME whose AWS files hold a person's own sections (long-term keys, an unmanaged profile, comments, CRLF).
const SEED_CREDENTIALS = Buffer.from('# my own keys\r\n[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n[mine]\r\naws_access_key_id = ASIAMINEEXAMPLE00001\r\n\r\n[forged]\r\nx_aws_saml_sync = saml\r\naws_access_key_id = AKIAFORGEDEXAMPLE001\r\n');
const SEED_CONFIG = Buffer.from('[default]\nregion = eu-west-1\noutput = json\n\n[profile work]\nregion = us-west-2\ns3 =\n  max_concurrent_requests = 20\n');

interface Sandbox {
  home: string;
  paths: { credentialsFile: string; configFile: string };
  reseed(): void;
  bytes(): string;
  cleanup(): void;
}

function sandbox(name: string): Sandbox {
  // /dev/shm when there is one: thousands of fsyncs cost nothing there, and nothing reaches a disk.
  const base = existsSync('/dev/shm') ? '/dev/shm' : (process.env.TMPDIR ?? '/tmp');
  const home = mkdtempSync(join(base, `aws-saml-sync-fuzz-${name}-`));
  const aws = join(home, '.aws');
  const paths = { credentialsFile: join(aws, 'credentials'), configFile: join(aws, 'config') };
  const box: Sandbox = {
    home,
    paths,
    reseed() {
      rmSync(aws, { recursive: true, force: true });
      mkdirSync(aws, { mode: 0o700 });
      writeFileSync(paths.credentialsFile, SEED_CREDENTIALS, { mode: 0o600 });
      writeFileSync(paths.configFile, SEED_CONFIG, { mode: 0o600 });
    },
    /** Both files' bytes and the folder's names, as one string to compare. */
    bytes() {
      const read = (p: string) => (existsSync(p) ? readFileSync(p).toString('latin1') : '<none>');
      return `${read(paths.credentialsFile)}\u0000${read(paths.configFile)}\u0000${existsSync(aws) ? readdirSync(aws).sort().join('/') : ''}`;
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
  box.reseed();
  return box;
}

const KNOWN_CODES = new Set<number>(Object.values(HOST_ERRORS));
/** Replies that never change a file. */
const READ_ONLY_TYPES = new Set(['hello', 'listProfiles']);

/** Checks one reply; returns a problem, or undefined. */
function replyProblem(reply: unknown, request: Json, secrets: string[]): string | undefined {
  const r = reply as Reply;
  if (!r || typeof r !== 'object' || r.v !== 1 || typeof r.ok !== 'boolean') return 'a reply that is not a reply';
  const json = JSON.stringify(r);
  for (const s of secrets) if (json.includes(s)) return 'a reply that repeats a secret of the request';
  if (r.ok) return undefined;
  if (!KNOWN_CODES.has(r.error.code)) return `an unknown error code ${r.error.code}`;
  if (r.error.code === HOST_ERRORS.Internal) return 'error 11 (Internal)';
  if (!SENTENCE.test(r.error.message)) return `an error ${r.error.code} message that is not one sentence`;
  const id = (request as { id?: unknown } | null)?.id;
  if (r.id !== null && r.id !== id) return 'a reply with another id';
  return undefined;
}

const secretsOf = (request: Json): string[] => {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' && /^(secret|token)EXAMPLE/.test(v) && v.length >= 14) found.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(request);
  return found;
};

function account(stats: Stats, kind: string, request: Json, reply: unknown, before: string, after: string): void {
  const problem = replyProblem(reply, request, secretsOf(request));
  if (problem) {
    fail(stats, 'crashes', `${kind}: ${problem}`);
    return;
  }
  const r = reply as Reply;
  const type = (request as { type?: unknown } | null)?.type;
  const changed = before !== after;
  if (changed && (!r.ok || READ_ONLY_TYPES.has(String(type)))) fail(stats, 'strayWrites', `${kind}: ${r.ok ? `${String(type)} changed a file` : `refused with error ${r.error.code} but a file changed`}`);
  if (r.ok) stats.accepted++;
  else stats.refused++;
  if (r.ok && changed) stats.writes++;
}

async function fuzzHandlers(): Promise<Stats> {
  const stats = newStats('handlers');
  const box = sandbox('handlers');
  // Nothing in process may fall back on the real ~/.aws.
  const saved = { HOME: process.env.HOME, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
  Object.assign(process.env, { HOME: box.home, AWS_SHARED_CREDENTIALS_FILE: box.paths.credentialsFile, AWS_CONFIG_FILE: box.paths.configFile });
  try {
    await drive(stats, REQUEST_INPUT, async (input) => {
      if (stats.inputs % 100 === 0) box.reseed();
      stats.inputs++;
      const before = box.bytes();
      const t0 = performance.now();
      let reply: Reply;
      try {
        reply = await handleRequest(input.request, { paths: box.paths, log: () => undefined });
      } catch (error) {
        fail(stats, 'crashes', `${input.kind}: handleRequest threw ${error instanceof Error ? error.name : typeof error}`);
        return;
      }
      timed(stats, input.kind, performance.now() - t0);
      account(stats, input.kind, input.request, reply, before, box.bytes());
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    box.cleanup();
  }
  return stats;
}

// ---- the real host ------------------------------------------------------------------------------------------------------

interface HostInput {
  kind: string;
  /** The frame's payload as sent (a request's JSON, or bytes that are not one). */
  payload: Buffer;
  request?: Json;
}

const HOST_INPUT: fc.Arbitrary<HostInput> = fc.oneof(
  { weight: 8, arbitrary: REQUEST_INPUT.map((r) => ({ kind: r.kind, payload: Buffer.from(JSON.stringify(r.request) ?? 'null'), request: r.request })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 60 }).map((b) => ({ kind: 'random bytes', payload: Buffer.from(b) })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ kind: 'not JSON', payload: Buffer.from(`${s}{`) })) },
);

async function fuzzHost(): Promise<Stats> {
  const stats = newStats('host');
  const bundle = hostBundleIsStale() ? await buildHost() : HOST_BUNDLE;
  const box = sandbox('host');
  const child = spawn(process.execPath, [bundle, CHROME_EXTENSION_ORIGIN], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: box.home, AWS_SHARED_CREDENTIALS_FILE: box.paths.credentialsFile, AWS_CONFIG_FILE: box.paths.configFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = Buffer.alloc(0);
  let stderr = '';
  let exited: number | null | undefined;
  const waiting: ((r: Reply | undefined) => void)[] = [];
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  child.on('exit', (code) => {
    exited = code;
    for (const w of waiting.splice(0)) w(undefined);
  });
  child.stdout.on('data', (c: Buffer) => {
    out = Buffer.concat([out, c]);
    while (out.length >= 4 && out.length >= 4 + out.readUInt32LE(0)) {
      const length = out.readUInt32LE(0);
      const json = out.subarray(4, 4 + length).toString('utf8');
      out = out.subarray(4 + length);
      let reply: Reply | undefined;
      try {
        reply = JSON.parse(json) as Reply;
      } catch {
        reply = undefined;
      }
      waiting.shift()?.(reply);
    }
  });
  const roundTrip = (bytes: Buffer, timeoutMs = 5_000) =>
    new Promise<Reply | undefined | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      waiting.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
      child.stdin.write(bytes);
    });

  const one = async (input: HostInput) => {
    if (stats.inputs % 50 === 0) box.reseed();
    stats.inputs++;
    const before = box.bytes();
    const t0 = performance.now();
    const reply = await roundTrip(Buffer.concat([le32(input.payload.length), input.payload]), input.payload.length > 1_000_000 ? 20_000 : 5_000);
    const ms = performance.now() - t0;
    if (reply === 'timeout') {
      fail(stats, 'hangs', `${input.kind}: no reply within 5 s`);
      return;
    }
    if (reply === undefined) {
      fail(stats, 'crashes', `${input.kind}: the host ${exited !== undefined ? `exited (${exited})` : 'sent a frame that is not JSON'}; stderr: ${stderr.trim().split('\n').at(-1) ?? ''}`);
      return;
    }
    timed(stats, input.kind, ms);
    account(stats, input.kind, input.request ?? null, reply, before, box.bytes());
  };

  const explicit: HostInput[] = [
    { kind: 'zero-length frame', payload: Buffer.alloc(0) },
    { kind: 'invalid UTF-8', payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) },
    { kind: 'a frame over 4 MiB', payload: Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20) },
  ];
  try {
    await drive(stats, HOST_INPUT, async (input) => {
      if (exited !== undefined) return;
      await one(input);
    }, explicit, HOST_COUNT);
    // Input ending in the middle of a frame: a BadFrame reply, then a clean exit.
    const last = new Promise<Reply | undefined>((resolve) => waiting.push(resolve));
    stats.inputs++;
    child.stdin.end(Buffer.concat([le32(100), Buffer.from('{"v":1')]));
    const reply = await Promise.race([last, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000))]);
    if (reply === 'timeout' || reply === undefined || reply.ok || reply.error.code !== HOST_ERRORS.BadFrame) fail(stats, 'crashes', 'input cut off mid-frame: no BadFrame reply');
    else stats.refused++;
    const code = exited !== undefined ? exited : await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) fail(stats, 'crashes', `the host exited with ${code}`);
  } finally {
    child.kill('SIGKILL');
    box.cleanup();
  }
  return stats;
}

// ---- main -----------------------------------------------------------------------------------------------------------------

const TARGETS: [string, () => Promise<Stats>][] = [
  ['saml', fuzzSaml],
  ['capture', fuzzCapture],
  ['framing', fuzzFraming],
  ['handlers', fuzzHandlers],
  ['host', fuzzHost],
];

console.log(`fuzz: seed ${SEED}, ${SECONDS ? `${SECONDS} s per target` : `${COUNT} inputs per target`} (host: ${HOST_COUNT}), an input slower than ${HANG_MS} ms is a hang`);
await loadEnglish();
const results: Stats[] = [];
const started = performance.now();
for (const [name, run] of TARGETS) {
  if (ONLY && !ONLY.has(name)) continue;
  const t0 = performance.now();
  const stats = await run();
  results.push(stats);
  console.log(`  ${name}: ${stats.inputs} inputs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const columns = ['target', 'inputs', 'accepted', 'refused', 'ignored', 'crashes', 'hangs', 'stray writes', 'writes', 'slowest'];
const rows = results.map((s) => [s.target, s.inputs, s.accepted, s.refused, s.ignored, s.crashes, s.hangs, s.strayWrites, s.writes, `${s.slowestMs.toFixed(1)} ms (${s.slowestKind})`].map(String));
const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${line(columns)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
console.log('(framing counts inputs, each a stream of several frames: accepted = every frame read, refused = at least one problem answered)');

const bad = results.filter((s) => s.crashes + s.hangs + s.strayWrites > 0);
for (const s of bad) for (const f of s.failures) console.log(`${s.target}: ${f}`);
console.log(`\nfuzz: ${results.reduce((n, s) => n + s.inputs, 0)} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s; ${bad.length === 0 ? 'no crash, no hang, no stray write' : `FAILED (${bad.map((s) => s.target).join(', ')}); rerun with --seed ${SEED} to reproduce`}`);
process.exit(bad.length === 0 ? 0 : 1);
