/**
 * Build-time only (wxt.config.ts, the bench, tests): how the AWS SDK and fast-xml-parser must be bundled into the
 * MV3 service worker. Not imported by any extension code.
 *
 * 1. Correctness. In a browser build, @aws-sdk/xml-builder's `browser` field swaps its XML parser for one built on
 *    `DOMParser`, which MV3 service workers do not have (aws/aws-sdk-js-v3#7375): every STS answer would fail with
 *    "DOMParser is not defined". Resolve it to the package's own DOM-free parser (a few KB of plain JS).
 *
 * 2. Size (issue #3: the worker under 180 KB). Both libraries stay, and whole wherever the worker runs them. What
 *    goes is code this extension cannot reach, given how utils/sts.ts and utils/saml.ts call them; each piece is
 *    replaced by a stand-in that throws "<what> is not bundled into this service worker" if it ever were reached,
 *    so nothing passes silently. Every rule names the file whose import it redirects, so nothing else is touched.
 *
 *    AWS SDK. utils/sts.ts builds STSClient with an explicit `endpoint` (utils/sts-endpoint.ts computes the
 *    regional URL itself), `retryMode: 'standard'`, request handler options, no logger; it sends AssumeRole (SigV4)
 *    and AssumeRoleWithSAML (no auth). Not reachable then:
 *    - event streams: `@smithy/core/event-streams` (a dynamic import() a single-file worker would inline), the
 *      event-stream methods of `HttpProtocol` and of `SignatureV4` (`signEvent`, `signMessage`, `signString`, the
 *      header formatter), and SigV4 presigned URLs (`presign`); STS has no event stream and signs requests only.
 *    - STS's endpoint rule set (a decision diagram, its evaluator and the AWS partitions table): with `Endpoint` set
 *      it answers `{ url: Endpoint, properties: {}, headers: {} }` or its two errors for FIPS and dual-stack, which
 *      is all the stand-in does (the unit test holds it to the real one); without an endpoint it throws.
 *    - S3 parameters of the endpoint middleware (`serviceId` is STS).
 *    - `@aws-sdk/signature-v4-multi-region`: SigV4a (signing region `*`) and S3 Express session signing; the
 *      stand-in signs through @smithy/signature-v4 like the real one does for any other region. Same for the SigV4a
 *      signer of `@aws-sdk/core` (STS's auth options put it second, after SigV4 or no auth).
 *    - the pure-JS SHA-256 behind the WebCrypto one: used only without `crypto.subtle` (every MV3 worker, Firefox
 *      background page and Node >= 20 has it) or past 8 MB of pending data (an STS request is < 200 KB).
 *    - the adaptive retry strategy and its rate limiter (`retryMode: 'standard'`); the defaults mode (read only to
 *      default `requestHandler` and `retryMode`, both given); the logger middleware and its log filter (they do
 *      nothing with the NoOpLogger a client without `logger` gets; a real logger makes the stand-in throw).
 *    - `@aws-sdk/client-sts` imports its whole package.json for one field (the version in the User-Agent), and
 *      spells out one exception class 15 times: both are rewritten to the same values (the classes by a factory
 *      checked against the originals in the unit test).
 *
 *    fast-xml-parser. utils/saml.ts refuses any `<!DOCTYPE`/`<!ENTITY` before parsing and parses with
 *    `preserveOrder: true`, `processEntities: false`, `parseTagValue: false`, `parseAttributeValue: false`,
 *    `jPath: false`, no stop nodes and no callbacks, and is the only user of fast-xml-parser in the extension (the
 *    rules apply to the whole build, the pages included). So the parser supports exactly that here: the
 *    DOCTYPE reader, the entity decoder (@nodable/entities) and its entity-value check (`is-unsafe`), the number
 *    parser (`strnum`), the default (not order-preserving) output, stop nodes, and the path matcher behind `jPath`
 *    and callbacks (path-expression-matcher: the parser keeps its own tag stack) throw if asked for. `XMLValidator`
 *    is whole. `is-unsafe` imported elsewhere loses its SQL, shell, NoSQL, ReDoS, log and SVG contexts (empty
 *    lists, on which `isUnsafe` throws a TypeError).
 *
 *   // wxt.config.ts
 *   vite: () => ({ plugins: [preact(), stsViteBundling()], ... })
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import { parseSync, type Plugin as VitePlugin } from 'vite';

export type VirtualName =
  | 'event-streams'
  | 'sts-package-json'
  | 'empty-list'
  | 'sts-endpoint-resolver'
  | 'sigv4-single-region'
  | 'no-event-signing'
  | 'no-sha256-js'
  | 'no-adaptive-retry'
  | 'no-s3-endpoint-params'
  | 'no-partitions'
  | 'no-defaults-mode'
  | 'no-sigv4a-signer'
  | 'no-logger'
  | 'no-log-filter'
  | 'fxp-no-doctype'
  | 'fxp-no-entities'
  | 'fxp-no-is-unsafe'
  | 'fxp-no-strnum'
  | 'fxp-no-node2json'
  | 'fxp-path-matcher';

type Redirect = { file: string } | { virtual: VirtualName };

const slashes = (p: string) => p.replace(/\\/g, '/').replace(/\?.*$/, '');

// ---------------------------------------------------------------------------------------------------------------
// Redirected imports

/** `source` imported from a file matching `importer` (a path with forward slashes) goes to `to`. */
interface Rule {
  source: string;
  importer: RegExp;
  to: VirtualName | ((importer: string) => Redirect);
}

const STS = '/@aws-sdk/client-sts/dist-es/';
const SMITHY = '/@smithy/core/dist-es/submodules/';
const FXP = '/fast-xml-parser/src/xmlparser/';
const file = (path: string) => new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

const RULES: readonly Rule[] = [
  {
    source: './xml-parser',
    importer: file('/@aws-sdk/xml-builder/dist-es/index.js'),
    to: (importer) => ({ file: join(dirname(importer), 'xml-parser.js') }),
  },
  { source: '@smithy/core/event-streams', importer: /\/@smithy\/core\//, to: 'event-streams' },
  { source: '../package.json', importer: /\/@aws-sdk\/client-sts\/dist-es\/[^/]+\.js$/, to: 'sts-package-json' },
  { source: './endpoint/endpointResolver', importer: /\/@aws-sdk\/client-sts\/dist-es\/[^/]+\.js$/, to: 'sts-endpoint-resolver' },
  { source: '../endpoint/endpointResolver', importer: file(`${STS}auth/httpAuthSchemeProvider.js`), to: 'sts-endpoint-resolver' },
  { source: '@aws-sdk/signature-v4-multi-region', importer: /\/@aws-sdk\/client-sts\/dist-es\//, to: 'sigv4-single-region' },
  { source: '@aws-sdk/core/httpAuthSchemes', importer: file(`${STS}runtimeConfig.shared.js`), to: 'no-sigv4a-signer' },
  { source: '@smithy/core/config', importer: file(`${STS}runtimeConfig.browser.js`), to: 'no-defaults-mode' },
  { source: './HeaderFormatter', importer: file('/@smithy/signature-v4/dist-es/SignatureV4.js'), to: 'no-event-signing' },
  { source: './Sha256Js', importer: file(`${SMITHY}checksum/sha256/Sha256WebCrypto.js`), to: 'no-sha256-js' },
  { source: '../util-retry/AdaptiveRetryStrategy', importer: file(`${SMITHY}retry/middleware-retry/configurations.js`), to: 'no-adaptive-retry' },
  {
    source: '../service-customizations',
    importer: file(`${SMITHY}endpoints/middleware-endpoint/adaptors/getEndpointFromInstructions.js`),
    to: 'no-s3-endpoint-params',
  },
  { source: './partitions', importer: file('/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partition.js'), to: 'no-partitions' },
  { source: './middleware-logger/loggerMiddleware', importer: file('/@aws-sdk/core/dist-es/submodules/client/index.browser.js'), to: 'no-logger' },
  { source: './schemaLogFilter', importer: file(`${SMITHY}client/smithy-client/command.js`), to: 'no-log-filter' },
  { source: './DocTypeReader.js', importer: file(`${FXP}OrderedObjParser.js`), to: 'fxp-no-doctype' },
  { source: '@nodable/entities', importer: file(`${FXP}OrderedObjParser.js`), to: 'fxp-no-entities' },
  { source: 'is-unsafe', importer: file(`${FXP}OrderedObjParser.js`), to: 'fxp-no-is-unsafe' },
  { source: 'strnum', importer: file(`${FXP}OrderedObjParser.js`), to: 'fxp-no-strnum' },
  { source: 'path-expression-matcher', importer: file(`${FXP}OrderedObjParser.js`), to: 'fxp-path-matcher' },
  { source: './node2json.js', importer: file(`${FXP}XMLParser.js`), to: 'fxp-no-node2json' },
];

const UNUSED_IS_UNSAFE_CONTEXTS = new Set(['svg', 'sql', 'sql-strict', 'shell', 'redos', 'nosql', 'log']);

/** Every source some rule may redirect (esbuild's onResolve filter). */
const SOURCES = new RegExp(
  `^(?:${[...new Set(RULES.map((r) => r.source))].map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')}|\\./contexts/[\\w-]+\\.js)$`,
);

/** The rule table both plugins share: where an import from `importer` must go instead, or undefined. */
export function redirectFor(source: string, importer: string | undefined): Redirect | undefined {
  if (!importer) return undefined;
  const from = slashes(importer);
  for (const rule of RULES) {
    if (rule.source === source && rule.importer.test(from)) {
      return typeof rule.to === 'string' ? { virtual: rule.to } : rule.to(importer.replace(/\?.*$/, ''));
    }
  }
  const context = /^\.\/contexts\/([\w-]+)\.js$/.exec(source)?.[1];
  if (context && UNUSED_IS_UNSAFE_CONTEXTS.has(context) && /\/is-unsafe\/src\/index\.js$/.test(from)) {
    return { virtual: 'empty-list' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Stand-ins

function stsClientVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(require.resolve('@aws-sdk/client-sts/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The one import a stand-in makes to throw: `<what> is not bundled into this service worker (...)`. */
export const NOT_BUNDLED = 'aws-saml-sync:not-bundled';
export const NOT_BUNDLED_MESSAGE = ' is not bundled into this service worker (see utils/sts-bundling.ts)';

const stub = (body: string) => `import { notBundled as no } from '${NOT_BUNDLED}';\n${body}`;
/** What a rewritten file imports the same function as (a name none of those files uses). */
const NO = '__notBundled';

export function virtualModule(name: VirtualName | 'not-bundled'): string {
  switch (name) {
    case 'not-bundled':
      return `export function notBundled(what) { throw new Error(what + ${JSON.stringify(NOT_BUNDLED_MESSAGE)}); }`;
    case 'event-streams':
      return stub(`const unsupported = () => no('AWS SDK event streams');
export class EventStreamSerde { constructor() { unsupported(); } }
export const eventStreamSerdeProvider = unsupported;`);
    case 'sts-package-json':
      return `export default { version: ${JSON.stringify(stsClientVersion())} };`;
    case 'empty-list':
      return 'export default [];';
    case 'sts-endpoint-resolver':
      return stub(`import { EndpointError } from '@smithy/core/endpoints';
export const defaultEndpointResolver = (params) => {
  if (params.Endpoint == null) no("STS's endpoint rule set (give STSClient an explicit endpoint)");
  if (params.UseFIPS === true) throw new EndpointError('Invalid Configuration: FIPS and custom endpoint are not supported');
  if (params.UseDualStack === true) throw new EndpointError('Invalid Configuration: Dualstack and custom endpoint are not supported');
  return { url: new URL(params.Endpoint), properties: {}, headers: {} };
};`);
    case 'sigv4-single-region':
      return stub(`import { SignatureV4 } from '@smithy/signature-v4';
const sigv4a = (options) => options?.signingRegion === '*' && no('SigV4a (signing region "*")');
export class SignatureV4MultiRegion extends SignatureV4 {
  static sigv4aDependency() { return 'none'; }
  async sign(request, options = {}) { sigv4a(options); return super.sign(request, options); }
  async presign(request, options = {}) { sigv4a(options); return super.presign(request, options); }
  async signWithCredentials() { no('S3 Express session signing'); }
  async presignWithCredentials() { no('S3 Express session signing'); }
}`);
    case 'no-sigv4a-signer':
      return stub(`export { AwsSdkSigV4Signer } from '@aws-sdk/core/httpAuthSchemes';
export class AwsSdkSigV4ASigner { async sign() { no('SigV4a signing'); } }`);
    case 'no-defaults-mode':
      return stub(`export { DEFAULT_USE_DUALSTACK_ENDPOINT, DEFAULT_USE_FIPS_ENDPOINT } from '@smithy/core/config';
export const resolveDefaultsModeConfig = () => () => no('The SDK defaults mode (give STSClient requestHandler and retryMode)');`);
    case 'no-event-signing':
      return stub(`export class HeaderFormatter { format() { no('Event-stream message signing'); } }`);
    case 'no-sha256-js':
      return stub(`export class Sha256Js { constructor() { no('SHA-256 without WebCrypto (or past 8 MB)'); } }`);
    case 'no-adaptive-retry':
      return stub(`export class AdaptiveRetryStrategy { constructor() { no("The SDK's adaptive retry mode"); } }`);
    case 'no-s3-endpoint-params':
      return stub(`export const resolveParamsForS3 = () => no('S3 endpoint parameters');`);
    case 'no-partitions':
      return stub(`export const partitionsInfo = { get partitions() { return no('The AWS partitions table (endpoint rule sets)'); } };`);
    case 'no-logger':
      return stub(`import { NoOpLogger } from '@smithy/core/client';
export const loggerMiddlewareOptions = { name: 'loggerMiddleware', tags: ['LOGGER'], step: 'initialize', override: true };
export const loggerMiddleware = () => (next, context) => async (args) => {
  if (context.logger && !(context.logger instanceof NoOpLogger)) no('Logging SDK calls (an STSClient logger)');
  return next(args);
};
export const getLoggerPlugin = () => ({ applyToStack: (stack) => { stack.add(loggerMiddleware(), loggerMiddlewareOptions); } });`);
    case 'no-log-filter':
      return stub(`export const schemaLogFilter = () => no('Filtering SDK calls for a logger');`);
    case 'fxp-no-doctype':
      return stub(`export default class DocTypeReader {
  setXmlVersion() {}
  readDocType() { no("fast-xml-parser's DOCTYPE reader"); }
}`);
    case 'fxp-no-entities':
      return stub(`const unsupported = () => no("fast-xml-parser's entity processing (processEntities)");
export const XML = {};
export const CURRENCY = {};
export const COMMON_HTML = {};
export const ENTITY_ACTION = {};
export class EntityDecoder {
  reset() {}
  setXmlVersion() {}
  decode() { unsupported(); }
  addInputEntities() { unsupported(); }
  setExternalEntities() { unsupported(); }
}`);
    case 'fxp-no-is-unsafe':
      return stub(`export const HTML = [];
export const XML = [];
export const isUnsafe = () => no("fast-xml-parser's entity check (is-unsafe)");`);
    case 'fxp-no-strnum':
      return stub(`export default () => no("fast-xml-parser's number parsing (parseTagValue, parseAttributeValue)");`);
    case 'fxp-no-node2json':
      return stub(`export default () => no("fast-xml-parser's default output (use preserveOrder: true)");`);
    case 'fxp-path-matcher':
      // The tag stack the parser needs for itself; whatever jPath strings, stop nodes or callbacks would read of the
      // path throws, including any property of the read-only view handed to callbacks.
      return stub(`const unsupported = () => no("fast-xml-parser's path matcher (jPath, stopNodes, callbacks reading the path)");
const view = new Proxy({}, { get: unsupported });
export class Matcher {
  tags = [];
  push(tag) { this.tags.push(tag); }
  pop() { this.tags.pop(); }
  getCurrentTag() { return this.tags[this.tags.length - 1]; }
  updateCurrent() {}
  reset() { this.tags = []; }
  readOnly() { return view; }
  toString() { unsupported(); }
  matchesAny() { unsupported(); }
}
export class ExpressionSet {
  size = 0;
  add() { unsupported(); }
  seal() {}
}
export class Expression {
  constructor() { unsupported(); }
  static [Symbol.hasInstance]() { unsupported(); }
}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rewritten files

const STS_ERROR_CLASS =
  /export class (\w+) extends __BaseException \{\s*static shapeId = ("[^"]+");\s*name = "\1";\s*\$fault = "(client|server)";\s*(\$retryable = \{\};\s*)?constructor\(opts\) \{\s*super\(\{\s*name: "\1",\s*\$fault: "\3",\s*\.\.\.opts,\s*\}\);\s*Object\.setPrototypeOf\(this, \1\.prototype\);\s*\}\s*\}/g;
const STS_ERRORS_IMPORT = 'import { STSServiceException as __BaseException } from "./STSServiceException";';

/**
 * @aws-sdk/client-sts/dist-es/models/errors.js as one factory making the same classes: same name, `shapeId`,
 * prototype chain, constructor, and fields (`name`, `$fault`, `$retryable`) set in the same order. Undefined (the
 * file stays as it is) unless every class has exactly the expected shape, so a changed SDK is never half-rewritten.
 */
export function compactStsErrors(code: string): string | undefined {
  const classes = [...code.matchAll(STS_ERROR_CLASS)];
  const rest = code.replace(STS_ERROR_CLASS, '').replace(STS_ERRORS_IMPORT, '').trim();
  if (classes.length === 0 || rest !== '') return undefined;
  const lines = classes.map(
    ([, name, shapeId, fault, retryable]) =>
      `export const ${name} = /* @__PURE__ */ error(${JSON.stringify(name)}, ${shapeId}, ${JSON.stringify(fault)}${retryable ? ', true' : ''});`,
  );
  return `${STS_ERRORS_IMPORT}
const error = (name, shapeId, fault, retryable) => {
  const C = { [name]: class extends __BaseException {
    static shapeId = shapeId;
    name = name;
    $fault = fault;
    constructor(opts) {
      super({ name, $fault: fault, ...opts });
      if (retryable) this.$retryable = {};
      Object.setPrototypeOf(this, C.prototype);
    }
  } }[name];
  return C;
};
${lines.join('\n')}
`;
}

/** Methods of a class (or top-level functions) whose bodies become a throw: `name -> what is not bundled`. */
interface ThrowingBodies {
  file: RegExp;
  className?: string;
  bodies: Record<string, string>;
}

const THROWING_BODIES: readonly ThrowingBodies[] = [
  {
    file: file('/@smithy/signature-v4/dist-es/SignatureV4.js'),
    className: 'SignatureV4',
    bodies: {
      presign: 'SigV4 presigned URLs',
      signEvent: 'Event-stream message signing',
      signMessage: 'Event-stream message signing',
      signString: 'SigV4 signing of a bare string',
    },
  },
  {
    file: file(`${SMITHY}protocols/HttpProtocol.js`),
    className: 'HttpProtocol',
    bodies: {
      serializeEventStream: 'AWS SDK event streams',
      deserializeEventStream: 'AWS SDK event streams',
      loadEventStreamCapability: 'AWS SDK event streams',
      getEventStreamMarshaller: 'AWS SDK event streams',
      resolveEventStreamMarshaller: 'AWS SDK event streams',
    },
  },
  { file: file(`${FXP}OrderedObjParser.js`), bodies: { readStopNodeData: "fast-xml-parser's stop nodes" } },
];

/**
 * `code` with the bodies named by `spec` replaced by `{ __notBundled("<what>"); }`, or undefined (the file stays as
 * it is) unless each of them is found exactly once.
 */
export function throwingBodies(code: string, path: string, spec: Pick<ThrowingBodies, 'className' | 'bodies'>): string | undefined {
  if (code.includes(NO)) return undefined;
  const { program, errors } = parseSync(path, code);
  if (errors.length > 0) return undefined;
  const found = new Map<string, { start: number; end: number }[]>();
  const add = (name: string, body: { start: number; end: number } | null | undefined) => {
    if (body && Object.hasOwn(spec.bodies, name)) found.set(name, [...(found.get(name) ?? []), body]);
  };
  for (const statement of program.body) {
    const node = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (spec.className === undefined && node.type === 'FunctionDeclaration' && node.id) add(node.id.name, node.body);
    if (spec.className !== undefined && node.type === 'ClassDeclaration' && node.id?.name === spec.className) {
      for (const member of node.body.body) {
        if (member.type === 'MethodDefinition' && member.kind === 'method' && !member.static && member.key.type === 'Identifier') {
          add(member.key.name, member.value.body);
        }
      }
    }
  }
  const names = Object.keys(spec.bodies);
  if (names.some((n) => found.get(n)?.length !== 1)) return undefined;
  let out = code;
  for (const [name, body] of names.map((n) => [n, found.get(n)![0]!] as const).sort((a, b) => b[1].start - a[1].start)) {
    out = `${out.slice(0, body.start)}{ ${NO}(${JSON.stringify(spec.bodies[name])}); }${out.slice(body.end)}`;
  }
  return `import { notBundled as ${NO} } from '${NOT_BUNDLED}';\n${out}`;
}

/** The files rewritten whole (esbuild's onLoad filter). */
const REWRITTEN = /[\\/](?:@aws-sdk[\\/]client-sts[\\/]dist-es[\\/]models[\\/]errors|@smithy[\\/]signature-v4[\\/]dist-es[\\/]SignatureV4|@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]protocols[\\/]HttpProtocol|fast-xml-parser[\\/]src[\\/]xmlparser[\\/]OrderedObjParser)\.js$/;

/** The rewrite of a whole file, or undefined (left as it is). */
export function rewriteFor(path: string, code: string): string | undefined {
  const p = slashes(path);
  if (p.endsWith(`${STS}models/errors.js`)) return compactStsErrors(code);
  const spec = THROWING_BODIES.find((s) => s.file.test(p));
  return spec ? throwingBodies(code, p, spec) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Plugins

const VIRTUAL_PREFIX = '\0sts-bundling:';

/** Vite (WXT) plugin applying the rules above. */
export function stsViteBundling(): VitePlugin {
  /** A stand-in's own imports resolve as if made by the file it replaces an import of. */
  const importers = new Map<string, string>();
  return {
    name: 'aws-saml-sync:sts-bundling',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source === NOT_BUNDLED) return `${VIRTUAL_PREFIX}not-bundled`;
      if (importer?.startsWith(VIRTUAL_PREFIX)) {
        return this.resolve(source, importers.get(importer), { skipSelf: true });
      }
      const r = redirectFor(source, importer);
      if (!r) return null;
      if ('file' in r) return r.file;
      const id = `${VIRTUAL_PREFIX}${r.virtual}`;
      if (importer && !importers.has(id)) importers.set(id, importer.replace(/\?.*$/, ''));
      return id;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL_PREFIX)) return null;
      return virtualModule(id.slice(VIRTUAL_PREFIX.length) as VirtualName | 'not-bundled');
    },
    transform(code, id) {
      if (id.startsWith(VIRTUAL_PREFIX)) return null;
      return rewriteFor(id, code) ?? null;
    },
  };
}

/** esbuild plugin applying the same rules (bench, bundle tests). */
export function stsEsbuildBundling(): EsbuildPlugin {
  return {
    name: 'aws-saml-sync:sts-bundling',
    setup(build) {
      build.onResolve({ filter: /^aws-saml-sync:not-bundled$/ }, () => ({ path: 'not-bundled', namespace: 'sts-bundling' }));
      build.onResolve({ filter: SOURCES }, (args) => {
        const r = redirectFor(args.path, args.importer);
        if (!r) return undefined;
        if ('file' in r) return { path: r.file };
        return { path: r.virtual, namespace: 'sts-bundling', pluginData: { resolveDir: dirname(args.importer) } };
      });
      build.onLoad({ filter: REWRITTEN }, (args) => {
        const contents = rewriteFor(args.path, readFileSync(args.path, 'utf8'));
        return contents === undefined ? undefined : { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
      build.onLoad({ filter: /.*/, namespace: 'sts-bundling' }, (args) => ({
        contents: virtualModule(args.path as VirtualName | 'not-bundled'),
        loader: 'js',
        resolveDir: (args.pluginData as { resolveDir?: string } | undefined)?.resolveDir,
      }));
    },
  };
}
