/**
 * utils/sts-bundling.ts: every redirect and rewrite still applies to the installed packages, each stand-in answers
 * what the code it replaces answers wherever this extension can reach it, and throws a plain "... is not bundled
 * into this service worker" anywhere else. The parts are bundled here with esbuild (as the bench and the
 * integration test do) and compared with the same packages loaded normally by Node.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignatureV4 as RealSignatureV4 } from '@smithy/signature-v4';
import * as esbuild from 'esbuild';
import * as fc from 'fast-check';
import { XMLParser as RealXMLParser, XMLValidator as RealXMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compactStsErrors,
  NOT_BUNDLED_MESSAGE,
  redirectFor,
  rewriteFor,
  stsEsbuildBundling,
  throwingBodies,
  type VirtualName,
} from '../../utils/sts-bundling';
import * as realSaml from '../../utils/saml';
import { buildSamlResponse, buildSamlXml, DEFAULT_ROLES, encodeSamlXml, SAML_DIALECTS, type RoleValueStyle } from '../support/saml-fixtures';

const ROOT = join(import.meta.dirname, '..', '..');
const NM = join(ROOT, 'node_modules');
const dir = mkdtempSync(join(tmpdir(), 'sts-bundling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOT_BUNDLED = new RegExp(`${NOT_BUNDLED_MESSAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

let n = 0;
/** Bundles `contents` (an ES module, resolved from the project root) for the browser and imports it. */
async function load<T>(contents: string, rules = true, extra: esbuild.Plugin[] = []): Promise<T & { bundled: string[] }> {
  const result = await esbuild.build({
    keepNames: true,
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    plugins: [...extra, ...(rules ? [stsEsbuildBundling()] : [])],
  });
  const file = join(dir, `bundle-${n++}.mjs`);
  writeFileSync(file, result.outputFiles[0]!.text);
  // The files that made it into the bundle (esbuild reads, and lists as inputs, files it then tree-shakes away).
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  const bundled = Object.keys(inputs).filter((i) => inputs[i]!.bytesInOutput > 0);
  return { ...((await import(pathToFileURL(file).href)) as T), bundled };
}

const ALL_VIRTUAL: VirtualName[] = [
  'sts-package-json',
  'sts-endpoint-resolver',
  'sigv4-single-region',
  'no-event-signing',
  'no-sha256-js',
  'no-adaptive-retry',
  'no-s3-endpoint-params',
  'no-partitions',
  'no-defaults-mode',
  'no-sigv4a-signer',
  'no-logger',
  'no-log-filter',
  'fxp-no-doctype',
  'fxp-no-entities',
  'fxp-no-is-unsafe',
  'fxp-no-strnum',
  'fxp-no-node2json',
  'fxp-path-matcher',
];

const SDK_AND_XML = `export { STSClient, AssumeRoleCommand, AssumeRoleWithSAMLCommand } from '@aws-sdk/client-sts';
export { XMLParser, XMLValidator } from 'fast-xml-parser';`;

describe('the rules still apply to the installed packages', () => {
  it('every stand-in replaces its import in a bundle of STSClient + fast-xml-parser, and every rewrite applies', async () => {
    const { bundled: inputs } = await load(SDK_AND_XML);
    const used = inputs.filter((i) => i.startsWith('sts-bundling:')).map((i) => i.slice('sts-bundling:'.length));
    expect(used.sort()).toEqual([...ALL_VIRTUAL, 'not-bundled'].sort());
    for (const gone of ['@aws-sdk/signature-v4-multi-region/', 'client-sts/dist-es/endpoint/bdd.js', 'util-endpoints/lib/aws/partitions.js', '@nodable/entities/', 'is-unsafe/', 'strnum/', 'path-expression-matcher/', 'DocTypeReader.js', 'Sha256Js.js', 'DefaultRateLimiter.js', 'node2json.js', 'xml-builder/dist-es/xml-parser.browser.js']) {
      expect(inputs.filter((i) => i.includes(gone))).toEqual([]);
    }
    for (const path of [
      '@aws-sdk/client-sts/dist-es/models/errors.js',
      '@smithy/signature-v4/dist-es/SignatureV4.js',
      '@smithy/core/dist-es/submodules/protocols/HttpProtocol.js',
      'fast-xml-parser/src/xmlparser/OrderedObjParser.js',
    ]) {
      const file = join(NM, path);
      expect(rewriteFor(file, readFileSync(file, 'utf8')), path).toBeTypeOf('string');
    }
  });

  it('redirects an import only from the file it names', () => {
    const fxp = join(NM, 'fast-xml-parser/src/xmlparser/OrderedObjParser.js');
    expect(redirectFor('strnum', fxp)).toEqual({ virtual: 'fxp-no-strnum' });
    expect(redirectFor('strnum', join(NM, 'some-other/index.js'))).toBeUndefined();
    expect(redirectFor('@nodable/entities', join(NM, 'fast-xml-parser/src/xmlparser/OptionsBuilder.js'))).toBeUndefined();
    expect(redirectFor('./Sha256Js', join(NM, '@smithy/core/dist-es/submodules/checksum/index.browser.js'))).toBeUndefined();
    expect(redirectFor('@smithy/core/config', join(NM, '@aws-sdk/client-sts/dist-es/STSClient.js'))).toBeUndefined();
    expect(redirectFor('@smithy/core/config', join(NM, '@aws-sdk/client-sts/dist-es/runtimeConfig.browser.js'))).toEqual({ virtual: 'no-defaults-mode' });
    expect(redirectFor('./endpoint/endpointResolver', join(NM, '@aws-sdk/nested-clients/dist-es/submodules/sts/runtimeConfig.shared.js'))).toBeUndefined();
    expect(redirectFor('strnum', undefined)).toBeUndefined();
    // Windows paths and Vite's query suffixes
    expect(redirectFor('strnum', `${fxp.replace(/\//g, '\\')}?v=1`)).toEqual({ virtual: 'fxp-no-strnum' });
  });
});

describe("STS's endpoint rule set, for an explicit endpoint", () => {
  const entry = `export { getRuntimeConfig } from ${JSON.stringify(join(NM, '@aws-sdk/client-sts/dist-es/runtimeConfig.shared.js'))};`;
  type Resolver = (params: Record<string, unknown>) => { url: URL; properties?: unknown; headers?: unknown };
  const resolvers = async () => {
    const [real, stub] = await Promise.all([
      load<{ getRuntimeConfig: (c: object) => { endpointProvider: Resolver } }>(entry, false),
      load<{ getRuntimeConfig: (c: object) => { endpointProvider: Resolver } }>(entry),
    ]);
    return { real: real.getRuntimeConfig({}).endpointProvider, stub: stub.getRuntimeConfig({}).endpointProvider };
  };
  const outcome = (resolve: Resolver, params: Record<string, unknown>) => {
    try {
      const { url, ...rest } = resolve(params);
      return { url: url.href, ...rest };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };

  it('answers exactly what the real rule set answers', async () => {
    const { real, stub } = await resolvers();
    const endpoints = [
      'http://127.0.0.1:5000',
      'https://sts.eu-west-1.amazonaws.com',
      'https://sts.cn-north-1.amazonaws.com.cn',
      'https://sts.us-gov-west-1.amazonaws.com/',
      'https://vpce-0123-abcd.sts.eu-central-1.vpce.amazonaws.com/base/path',
    ];
    for (const Endpoint of endpoints) {
      for (const Region of ['us-east-1', 'eu-west-1', 'cn-north-1', 'aws-global', undefined]) {
        for (const flags of [{}, { UseFIPS: false, UseDualStack: false }, { UseGlobalEndpoint: true }, { UseFIPS: true }, { UseDualStack: true }, { UseFIPS: true, UseDualStack: true }]) {
          const params = { Endpoint, Region, UseFIPS: false, UseDualStack: false, ...flags };
          expect(outcome(stub, params), JSON.stringify(params)).toEqual(outcome(real, params));
        }
      }
    }
  });

  it('throws instead of guessing when no endpoint is given', async () => {
    const { stub } = await resolvers();
    expect(() => stub({ Region: 'eu-west-1', UseFIPS: false, UseDualStack: false })).toThrow(NOT_BUNDLED);
    expect(() => stub({ Region: 'eu-west-1', UseFIPS: false, UseDualStack: false })).toThrow(/endpoint rule set/);
  });
});

describe('the STS exception classes, rewritten by one factory', () => {
  const ERRORS = join(NM, '@aws-sdk/client-sts/dist-es/models/errors.js');
  const compact: esbuild.Plugin = {
    name: 'compact-errors',
    setup(build) {
      build.onResolve({ filter: /^compact-errors$/ }, () => ({ path: ERRORS, namespace: 'compact' }));
      build.onLoad({ filter: /.*/, namespace: 'compact' }, () => ({
        contents: compactStsErrors(readFileSync(ERRORS, 'utf8')),
        loader: 'js',
        resolveDir: join(ERRORS, '..'),
      }));
    },
  };
  type Ctor = (new (opts: object) => Error & Record<string, unknown>) & { shapeId?: string };

  it('are the same classes: name, shapeId, base, fields in the same order, instanceof', async () => {
    const m = await load<{ original: Record<string, Ctor>; compacted: Record<string, Ctor>; Base: Ctor }>(
      `export * as original from ${JSON.stringify(ERRORS)};
export * as compacted from 'compact-errors';
export { STSServiceException as Base } from ${JSON.stringify(join(ERRORS, '..', 'STSServiceException.js'))};`,
      false,
      [compact],
    );
    const names = Object.keys(m.original);
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(m.compacted)).toEqual(names);
    const describeInstance = (e: Error & Record<string, unknown>) => ({
      keys: Reflect.ownKeys(e),
      descriptors: Object.fromEntries(
        Reflect.ownKeys(e)
          .filter((k) => k !== 'stack')
          .map((k) => [String(k), Object.getOwnPropertyDescriptor(e, k)]),
      ),
      name: e.name,
      message: e.message,
    });
    for (const name of names) {
      const [O, C] = [m.original[name]!, m.compacted[name]!];
      expect(C.name).toBe(O.name);
      expect(C.shapeId).toBe(O.shapeId);
      expect(Object.hasOwn(C, 'shapeId')).toBe(true);
      expect(Object.getPrototypeOf(C)).toBe(m.Base);
      expect(C.prototype.constructor).toBe(C);
      for (const opts of [{ message: 'no', $metadata: { httpStatusCode: 400 } }, { message: 'x', name: 'Other', $fault: 'server', $metadata: {} }, {}]) {
        const [o, c] = [new O(opts), new C(opts)];
        expect(describeInstance(c), name).toEqual(describeInstance(o));
        expect(Object.getPrototypeOf(c)).toBe(C.prototype);
        expect(c).toBeInstanceOf(m.Base);
        expect(c).toBeInstanceOf(Error);
        // the SDK's own instanceof, which matches by shapeId across copies of a class
        expect(o instanceof C).toBe(true);
        expect(c instanceof O).toBe(true);
      }
    }
  });

  it('leaves the file as it is when any class has another shape', () => {
    const code = readFileSync(ERRORS, 'utf8');
    expect(compactStsErrors(code.replace('$retryable = {};', '$retryable = { throttling: true };'))).toBeUndefined();
    expect(compactStsErrors(`${code}\nexport const somethingElse = 1;\n`)).toBeUndefined();
    expect(compactStsErrors('')).toBeUndefined();
  });
});

describe('method bodies that become a throw', () => {
  it('are replaced only when every one of them is found exactly once', () => {
    const code = 'export class A { m() { return 1; } n() { return 2; } static m() { return 3; } }\nfunction f() { return 4; }';
    const out = throwingBodies(code, 'a.js', { className: 'A', bodies: { m: 'M' } })!;
    expect(out).toContain('m() { __notBundled("M"); }');
    expect(out).toContain('n() { return 2; }');
    expect(out).toContain('static m() { return 3; }');
    expect(throwingBodies(code, 'a.js', { bodies: { f: 'F' } })).toContain('function f() { __notBundled("F"); }');
    expect(throwingBodies(code, 'a.js', { className: 'A', bodies: { m: 'M', gone: 'G' } })).toBeUndefined();
    expect(throwingBodies(code, 'a.js', { className: 'B', bodies: { m: 'M' } })).toBeUndefined();
    expect(throwingBodies('class A { m() {} m() {} }', 'a.js', { className: 'A', bodies: { m: 'M' } })).toBeUndefined();
    expect(throwingBodies('class A { m( {} }', 'a.js', { className: 'A', bodies: { m: 'M' } })).toBeUndefined();
    expect(throwingBodies('const __notBundled = 1; class A { m() {} }', 'a.js', { className: 'A', bodies: { m: 'M' } })).toBeUndefined();
  });

  it('SignatureV4 signs a request exactly as before; presigning and event signing throw', async () => {
    const m = await load<{ SignatureV4: typeof RealSignatureV4; Sha256: new (secret?: unknown) => unknown; SignatureV4MultiRegion: typeof RealSignatureV4 }>(
      `export { SignatureV4 } from '@smithy/signature-v4';
export { Sha256 } from '@smithy/core/checksum';
export { getRuntimeConfig } from ${JSON.stringify(join(NM, '@aws-sdk/client-sts/dist-es/runtimeConfig.shared.js'))};
import { getRuntimeConfig } from ${JSON.stringify(join(NM, '@aws-sdk/client-sts/dist-es/runtimeConfig.shared.js'))};
export const SignatureV4MultiRegion = getRuntimeConfig({}).signerConstructor;`,
    );
    const options = {
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' },
      region: 'eu-west-1',
      service: 'sts',
      sha256: m.Sha256 as never,
    };
    const request = () => ({
      method: 'POST',
      protocol: 'https:',
      hostname: 'sts.eu-west-1.amazonaws.com',
      path: '/',
      headers: { host: 'sts.eu-west-1.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev&RoleSessionName=alice',
    });
    const signingDate = new Date('2030-01-02T03:04:05Z');
    const expected = await new RealSignatureV4(options).sign(request() as never, { signingDate });
    for (const Signer of [m.SignatureV4, m.SignatureV4MultiRegion]) {
      const signer = new Signer(options);
      const signed = (await signer.sign(request() as never, { signingDate })) as unknown as { headers: unknown };
      expect(signed.headers).toEqual((expected as unknown as { headers: unknown }).headers);
      await expect(signer.presign(request() as never)).rejects.toThrow(NOT_BUNDLED);
      await expect(signer.sign('a string to sign' as never, {} as never)).rejects.toThrow(NOT_BUNDLED);
      await expect(signer.sign({ headers: {}, payload: new Uint8Array() } as never, {} as never)).rejects.toThrow(NOT_BUNDLED);
      await expect(signer.sign({ message: { headers: {}, body: new Uint8Array() }, priorSignature: '' } as never, {} as never)).rejects.toThrow(NOT_BUNDLED);
    }
    const multi = new m.SignatureV4MultiRegion(options);
    await expect(multi.sign(request() as never, { signingDate, signingRegion: '*' })).rejects.toThrow(/SigV4a .* is not bundled/);
    await expect((multi as unknown as { signWithCredentials: () => Promise<unknown> }).signWithCredentials()).rejects.toThrow(NOT_BUNDLED);
  });
});

describe('the AWS SDK stand-ins throw when reached', () => {
  type Sdk = {
    STSClient: new (config: object) => { send(command: unknown): Promise<unknown>; destroy(): void };
    AssumeRoleWithSAMLCommand: new (input: object) => unknown;
  };
  const input = {
    RoleArn: 'arn:aws:iam::123456789012:role/dev',
    PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/idp',
    SAMLAssertion: 'PHNhbWxwOlJlc3BvbnNlLz4=',
  };
  // A closed port: every case below fails before anything is sent.
  const base = { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, retryMode: 'standard', requestHandler: { requestTimeout: 1000 } };

  it('a client without endpoint, with adaptive retries, a logger, or no request handler', async () => {
    const sdk = await load<Sdk>(SDK_AND_XML);
    const send = async (config: object) => {
      const client = new sdk.STSClient(config);
      try {
        return await client.send(new sdk.AssumeRoleWithSAMLCommand(input));
      } finally {
        client.destroy();
      }
    };
    const { endpoint: _, ...noEndpoint } = base;
    await expect(send(noEndpoint)).rejects.toThrow(/endpoint rule set .* is not bundled/);
    await expect(send({ ...base, retryMode: 'adaptive' })).rejects.toThrow(/adaptive retry mode is not bundled/);
    const logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    await expect(send({ ...base, logger })).rejects.toThrow(/Logging SDK calls .* is not bundled/);
    const { requestHandler: __, ...noHandler } = base;
    expect(() => new sdk.STSClient(noHandler)).toThrow(/defaults mode .* is not bundled/);
  });

  it('the pure-JS SHA-256 and the S3, SigV4a and event-stream parts', async () => {
    const load1 = (name: string, js: string) => load<Record<string, unknown>>(js).then((m) => [name, m] as const);
    const parts = Object.fromEntries(
      await Promise.all([
        load1('sha', `export { Sha256 } from '@smithy/core/checksum';`),
        load1('http', `export { HttpProtocol } from '@smithy/core/protocols';`),
        load1('sts', `export { getRuntimeConfig } from ${JSON.stringify(join(NM, '@aws-sdk/client-sts/dist-es/runtimeConfig.shared.js'))};`),
      ]),
    ) as Record<string, Record<string, unknown>>;
    // Past 8 MB of pending data the WebCrypto hash would switch to the pure-JS one.
    const Sha256 = parts.sha!.Sha256 as new () => { update(d: Uint8Array): void; digest(): Promise<Uint8Array> };
    const hash = new Sha256();
    hash.update(new TextEncoder().encode('abc'));
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(() => new Sha256().update(new Uint8Array(8 * 1024 * 1024))).toThrow(/SHA-256 without WebCrypto .* is not bundled/);
    const HttpProtocol = parts.http!.HttpProtocol as { prototype: Record<string, (...args: unknown[]) => Promise<unknown>> };
    for (const method of ['serializeEventStream', 'deserializeEventStream', 'loadEventStreamCapability']) {
      await expect(HttpProtocol.prototype[method]!.call({}, {} as never)).rejects.toThrow(/event streams is not bundled/);
    }
    const config = (parts.sts!.getRuntimeConfig as (c: object) => { httpAuthSchemes: { schemeId: string; signer: { sign(): Promise<unknown> } }[] })({});
    const sigv4a = config.httpAuthSchemes.find((s) => s.schemeId === 'aws.auth#sigv4a')!;
    await expect(sigv4a.signer.sign()).rejects.toThrow(/SigV4a signing is not bundled/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// fast-xml-parser

/** utils/saml.ts's parser options (kept in step with it: the SAML comparison below would fail otherwise). */
const SAML_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  textNodeName: '#text',
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
} as const;

type Fxp = { XMLParser: typeof RealXMLParser; XMLValidator: typeof RealXMLValidator };
type Saml = Pick<typeof realSaml, 'parseSamlResponse'>;

const outcome = (fn: () => unknown) => {
  try {
    return { ok: fn() };
  } catch (error) {
    return { error: (error as Error).message, code: (error as { code?: unknown }).code };
  }
};

describe('fast-xml-parser as the worker has it', () => {
  const bundled = () =>
    load<Fxp & Saml>(`export { XMLParser, XMLValidator } from 'fast-xml-parser'; export { parseSamlResponse } from ${JSON.stringify(join(ROOT, 'utils/saml.ts'))};`);

  const DOCUMENTS = [
    '<a/>',
    '<?xml version="1.0" encoding="UTF-8"?><a x="1" y=\'2\'>t</a>',
    '<?xml version="1.1"?><a>1.5e3</a>',
    '<r xmlns="urn:x" xmlns:p="urn:p"><p:a p:b="c">x<!-- c --><![CDATA[<raw> & ]]>y</p:a><e/><e></e></r>',
    '<a>&amp; &lt;b&gt; &#x41; &#65; &unknown; &quot;</a>',
    '<a b="&amp;&lt;&#65;">  spaced  \n text </a>',
    '<a><?pi something?><b>0x10</b><c>007</c><d>true</d></a>',
    '<a>\r\n<b>1</b>\r\n</a>',
    '<__proto__><constructor>1</constructor></__proto__>',
    '<a><b><c><d>deep</d></c></b></a>',
    '<a>unclosed',
    '<a></b>',
    '<a><b></a>',
    '<br><p>html</p>',
    '',
    '   ',
    'text',
    '<a attr>value</a>',
    '<ns0:Response xmlns:ns0="urn:oasis:names:tc:SAML:2.0:protocol"><ns0:Status/></ns0:Response>',
  ];

  it("parses every document as the real library does with utils/saml.ts's options, and validates it the same", async () => {
    const m = await bundled();
    const real = new RealXMLParser(SAML_OPTIONS);
    const mine = new m.XMLParser(SAML_OPTIONS);
    for (const xml of DOCUMENTS) {
      expect(outcome(() => mine.parse(xml)), xml).toEqual(outcome(() => real.parse(xml)));
      expect(outcome(() => m.XMLValidator.validate(xml)), xml).toEqual(outcome(() => RealXMLValidator.validate(xml)));
    }
  });

  it('reads SAML responses of every dialect and role style, and refuses broken ones, as utils/saml.ts does unbundled', async () => {
    const m = await bundled();
    const styles: RoleValueStyle[] = ['text', 'cdata', 'charref', 'comment'];
    const fixtures = readdirSync(join(ROOT, 'tests/fixtures/saml')).map((f) => readFileSync(join(ROOT, 'tests/fixtures/saml', f), 'utf8'));
    const same = (samlResponse: string) => {
      expect(outcome(() => m.parseSamlResponse(samlResponse))).toEqual(outcome(() => realSaml.parseSamlResponse(samlResponse)));
    };
    for (const xml of fixtures) same(encodeSamlXml(xml));
    for (const dialect of SAML_DIALECTS) for (const valueStyle of styles) same(buildSamlResponse({ dialect, valueStyle, roles: DEFAULT_ROLES }));
    same(encodeSamlXml(`<!DOCTYPE r [<!ENTITY x "y">]>${buildSamlXml()}`));
    const shapes = fc.record(
      {
        dialect: fc.constantFrom(...SAML_DIALECTS),
        valueStyle: fc.constantFrom(...styles),
        trailingComma: fc.boolean(),
        signature: fc.boolean(),
        encrypted: fc.boolean(),
        xmlDeclaration: fc.boolean(),
        roleSessionName: fc.constantFrom('alice@example.com', null, 'a&b <c>'),
        sessionDuration: fc.constantFrom(null, 3600, '7200', 'x'),
        subStatus: fc.constantFrom(undefined, 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed'),
      },
      { requiredKeys: ['dialect', 'valueStyle'] },
    );
    const edit = fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom('', '<', '>', '&', '"', '<!--', ']]>', '</', '/>', '&#0;', '&amp;', '<![CDATA[', '<?x?>', 'é', '\u0000'));
    fc.assert(
      fc.property(shapes, fc.array(edit, { maxLength: 4 }), (shape, edits) => {
          let xml = buildSamlXml({ ...shape, roles: DEFAULT_ROLES });
          for (const [at, cut, insert] of edits) {
            const i = at % (xml.length + 1);
            xml = xml.slice(0, i) + insert + xml.slice(i + cut);
          }
          same(encodeSamlXml(xml));
        }),
      { numRuns: 400 },
    );
  });

  it('throws, naming what is missing, for every other option the stand-ins replace', async () => {
    const { XMLParser } = await bundled();
    const parse = (options: object, xml: string) => () => new XMLParser(options).parse(xml);
    expect(parse({}, '<a>1</a>')).toThrow(NOT_BUNDLED); // defaults: entities, numbers, jPath, object output
    expect(parse({ ...SAML_OPTIONS, processEntities: true }, '<a>x</a>')).toThrow(/entity processing .* is not bundled/);
    expect(parse(SAML_OPTIONS, '<!DOCTYPE a><a/>')).toThrow(/DOCTYPE reader is not bundled/);
    expect(parse({ ...SAML_OPTIONS, parseTagValue: true }, '<a>12</a>')).toThrow(/number parsing .* is not bundled/);
    expect(parse({ ...SAML_OPTIONS, preserveOrder: false }, '<a>x</a>')).toThrow(/default output .* is not bundled/);
    expect(parse({ ...SAML_OPTIONS, jPath: true }, '<a>x</a>')).toThrow(/path matcher .* is not bundled/);
    expect(parse({ ...SAML_OPTIONS, stopNodes: ['a.b'] }, '<a><b>x</b></a>')).toThrow(/path matcher .* is not bundled/);
    const reads = (tagName: string, value: string, matcher: { getDepth(): number }) => `${value}${matcher.getDepth()}`;
    expect(parse({ ...SAML_OPTIONS, tagValueProcessor: reads }, '<a>x</a>')).toThrow(/path matcher .* is not bundled/);
    // A callback that ignores the path still works.
    expect(new XMLParser({ ...SAML_OPTIONS, tagValueProcessor: (_: string, v: string) => v.toUpperCase() }).parse('<a>x</a>')).toEqual([{ a: [{ '#text': 'X' }] }]);
  });
});
