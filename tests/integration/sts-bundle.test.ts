/**
 * The STS and SAML code as the service worker gets it: bundled for the browser (the SDK's `browser` fields, fetch,
 * WebCrypto) and run here in Node, which like an MV3 service worker has no DOMParser. Without the rules of
 * utils/sts-bundling.ts the SDK's browser XML parser needs DOMParser and every STS answer fails; with them the
 * exchange works against moto, every STS error reads as it does unbundled, and the bundle loses the parts STS never
 * runs (each stand-in is held to what it replaces in tests/unit/sts-bundling.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Saml from '../../utils/saml';
import type * as Sts from '../../utils/sts';
import * as unbundled from '../../utils/sts';
import { NOT_BUNDLED_MESSAGE, stsEsbuildBundling, stsViteBundling } from '../../utils/sts-bundling';
import { buildSamlResponse, DEFAULT_ROLES } from '../support/saml-fixtures';
import { startStsErrorServer, STS_ERROR_STATUS, stsError, stsSuccess, type StsRequest } from '../support/sts-error-server';

type Core = Pick<typeof Sts, 'assumeRoleWithSaml' | 'assumeChainedRole' | 'StsError'> & Pick<typeof Saml, 'parseSamlResponse'>;

/** Code in the worker bundle that STS never runs (event streams, the endpoint rule set and partitions table, ...). */
const DROPPED = ['EventStreamCodec', 'us-isob-east-1', 'aws-iso-b', 'X-Amz-S3session-Token', 'Signature version 4 presigned URLs', 'rateLimiter', 'EntityDecoder'];

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = `export { assumeRoleWithSaml, assumeChainedRole, StsError } from './utils/sts';
export { parseSamlResponse } from './utils/saml';`;
const endpoint = inject('motoEndpoint');
const dir = mkdtempSync(join(tmpdir(), 'sts-bundle-'));

async function bundle(withRules: boolean): Promise<{ code: string; load: () => Promise<Core> }> {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    plugins: withRules ? [stsEsbuildBundling()] : [],
  });
  const code = result.outputFiles[0]!.text;
  const file = join(dir, `core-${withRules ? 'rules' : 'naive'}.mjs`);
  writeFileSync(file, code);
  return { code, load: () => import(pathToFileURL(file).href) as Promise<Core> };
}

describe('the service-worker bundle of utils/sts.ts + utils/saml.ts', () => {
  let withRules: Awaited<ReturnType<typeof bundle>>;
  let naive: Awaited<ReturnType<typeof bundle>>;

  beforeAll(async () => {
    expect(typeof (globalThis as { DOMParser?: unknown }).DOMParser).toBe('undefined');
    [withRules, naive] = await Promise.all([bundle(true), bundle(false)]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a naive browser bundle needs DOMParser, so every STS answer fails in a service worker', async () => {
    expect(naive.code).toContain('DOMParser');
    for (const gone of DROPPED) expect(naive.code).toContain(gone);
    const core = await naive.load();
    const login = core.parseSamlResponse(buildSamlResponse({ roles: [DEFAULT_ROLES[0]!] }));
    const error = await core.assumeRoleWithSaml(login, login.roles[0]!, { stsEndpoint: endpoint, maxAttempts: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StsError', code: 'Unknown' });
  });

  it('with the bundling rules: no DOMParser, and SAML + chained exchanges work against moto without any credentials provider', async () => {
    expect(withRules.code).not.toContain('DOMParser');
    for (const gone of DROPPED) expect(withRules.code).not.toContain(gone);
    expect(withRules.code).toContain(NOT_BUNDLED_MESSAGE);
    const core = await withRules.load();
    const login = core.parseSamlResponse(buildSamlResponse({ roles: DEFAULT_ROLES, roleSessionName: 'alice@example.com', sessionDuration: 7_200 }));
    const base = await core.assumeRoleWithSaml(login, login.roles[1]!, { stsEndpoint: endpoint });
    expect(base.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/Deployer/alice@example.com');
    expect(base.durationSeconds).toBe(7_200);
    const chained = await core.assumeChainedRole(base, 'arn:aws:iam::888777666555:role/assumed-dev', { stsEndpoint: endpoint, roleSessionName: 'alice' });
    expect(chained.assumedRoleArn).toBe('arn:aws:sts::888777666555:assumed-role/assumed-dev/alice');
  });

  it('reads every STS error, and retries, exactly as the unbundled code does', async () => {
    const core = await withRules.load();
    const server = await startStsErrorServer();
    const ROLE = { roleArn: 'arn:aws:iam::123456789012:role/Developer', principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP' };
    const BASE = { accessKeyId: 'ASIAEXAMPLEBASEKEY01', secretAccessKey: 'baseSecretKeyEXAMPLE0123456789abcdefghij', sessionToken: 'BASETOKENEXAMPLE' };
    const login = { samlResponse: Buffer.from('<samlp:Response/>').toString('base64'), roleSessionName: 'alice@example.com' };
    /** What the person sees and what went over the wire (the request id and the signature change every time). */
    const run = async (sts: Pick<Core, 'assumeRoleWithSaml' | 'assumeChainedRole'>, exchange: 'saml' | 'chained', maxAttempts?: number) => {
      server.requests.length = 0;
      const options = { stsEndpoint: server.endpoint, region: 'eu-south-1', maxAttempts };
      const result = await (exchange === 'saml'
        ? sts.assumeRoleWithSaml({ ...login, notOnOrAfter: new Date(Date.now() + 60_000) }, ROLE, options)
        : sts.assumeChainedRole(BASE, 'arn:aws:iam::888777666555:role/assumed-dev', options)
      ).then(
        (c) => ({ ...c, expiration: c.expiration.toISOString() }),
        (e: InstanceType<Core['StsError']>) => ({ ...e, name: e.name, message: e.message, requestId: typeof e.requestId }),
      );
      const requests = server.requests.map((r: StsRequest) => ({ action: r.action, signed: r.signed, params: r.params.toString() }));
      return { result, requests };
    };
    try {
      for (const wire of [...Object.keys(STS_ERROR_STATUS), 'SomethingNewFromAws']) {
        server.fallback = () => stsError(wire);
        for (const exchange of ['saml', 'chained'] as const) {
          const expected = await run(unbundled, exchange, 1);
          expect(expected.result).toHaveProperty('code');
          expect(await run(core, exchange, 1), `${exchange} ${wire}`).toEqual(expected);
        }
      }
      // The SDK's standard retries: throttling 3 times, then the advice; a transient 503, then the credentials.
      server.fallback = () => stsError('Throttling');
      expect(await run(core, 'saml')).toEqual(await run(unbundled, 'saml'));
      expect(server.requests).toHaveLength(3);
      for (const exchange of ['saml', 'chained'] as const) {
        server.script(stsError('ServiceUnavailable'), stsSuccess(3_600));
        const bundled = await run(core, exchange);
        server.script(stsError('ServiceUnavailable'), stsSuccess(3_600));
        const expected = await run(unbundled, exchange);
        expect(bundled.result).toMatchObject({ accessKeyId: 'ASIAERRSERVEREXAMPLE', assumedRoleArn: expect.stringContaining(':assumed-role/') });
        expect({ ...bundled.result, expiration: undefined }).toEqual({ ...expected.result, expiration: undefined });
        expect(bundled.requests).toEqual(expected.requests);
      }
    } finally {
      await server.close();
    }
  });

  it('is smaller than the naive bundle by the parts STS never runs', () => {
    expect(naive.code.length - withRules.code.length).toBeGreaterThan(60_000);
  });

  it('keeps fast-xml-parser\'s entity check whole for the contexts it uses, and loud for the ones dropped', async () => {
    const result = await esbuild.build({
      stdin: { contents: `export { isUnsafe, HTML, XML, SQL } from 'is-unsafe';`, resolveDir: ROOT, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      plugins: [stsEsbuildBundling()],
    });
    const file = join(dir, 'is-unsafe.mjs');
    writeFileSync(file, result.outputFiles[0]!.text);
    const m = (await import(pathToFileURL(file).href)) as { isUnsafe: (v: string, c: unknown) => boolean; HTML: unknown; XML: unknown; SQL: unknown };
    expect(m.isUnsafe('<script>alert(1)</script>', [m.HTML, m.XML])).toBe(true);
    expect(m.isUnsafe('<!ENTITY x SYSTEM "file:///etc/passwd">', [m.HTML, m.XML])).toBe(true);
    expect(m.isUnsafe('alice@example.com', [m.HTML, m.XML])).toBe(false);
    expect(() => m.isUnsafe("' OR 1=1 --", m.SQL)).toThrow(TypeError);
  });

  it('the Vite plugin (what WXT builds with) applies the same rules', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, ENTRY.replaceAll("'./utils/", `'${ROOT}/utils/`));
    {
      const build = async (plugins: ReturnType<typeof stsViteBundling>[]) => {
        const out = (await viteBuild({
          root: ROOT,
          configFile: false,
          logLevel: 'silent',
          plugins,
          build: { write: false, minify: true, target: 'es2022', lib: { entry, formats: ['iife'], name: 'core', fileName: 'core' } },
        })) as { output: { code?: string }[] } | { output: { code?: string }[] }[];
        return (Array.isArray(out) ? out[0]! : out).output[0]!.code ?? '';
      };
      const [naiveCode, code] = [await build([]), await build([stsViteBundling()])];
      expect(naiveCode).toContain('DOMParser');
      expect(code).not.toContain('DOMParser');
      for (const gone of DROPPED) expect(naiveCode).toContain(gone);
      for (const gone of DROPPED) expect(code).not.toContain(gone);
      expect(code).toContain(NOT_BUNDLED_MESSAGE);
      expect(naiveCode.length - code.length).toBeGreaterThan(60_000);
    }
  });
});
