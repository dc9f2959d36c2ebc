/**
 * The STS and SAML code as the service worker gets it: bundled for the browser (the SDK's `browser` fields, fetch,
 * WebCrypto) and run here in Node, which like an MV3 service worker has no DOMParser. Without
 * build/sdk-xml-reader.ts the SDK's browser XML parser needs DOMParser and every STS answer fails; with it the
 * SDK's DOM-free reader parses every STS answer, in the esbuild bundle and in the Vite one (how WXT builds the
 * worker): the exchange works against moto and every STS error reads as it does unbundled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Saml from '../../utils/saml';
import type * as Sts from '../../utils/sts';
import * as unbundled from '../../utils/sts';
import { buildSamlResponse, DEFAULT_ROLES } from '../support/saml-fixtures';
import { startStsErrorServer, STS_ERROR_STATUS, stsError, stsSuccess, type StsRequest } from '../support/sts-error-server';
import { viaStandIn } from '../support/sts-route';
import { esbuildWorkerBundle, viteWorkerBundle } from '../support/worker-bundle';

type Core = Pick<typeof Sts, 'assumeRoleWithSaml' | 'assumeChainedRole' | 'StsError'> & Pick<typeof Saml, 'parseSamlResponse'>;

const ENTRY = `export { assumeRoleWithSaml, assumeChainedRole, StsError } from './utils/sts';
export { parseSamlResponse } from './utils/saml';`;
const endpoint = inject('motoEndpoint');
const dir = mkdtempSync(join(tmpdir(), 'sts-bundle-'));

interface Bundle {
  code: string;
  load: () => Promise<Core>;
}

/** `code` as a module file in `dir`; an IIFE bundle (Vite's) is a script that sets `var core`. */
function loadable(name: string, code: string, iife: boolean): Bundle {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, iife ? `${code}
export default core;` : code);
  return {
    code,
    load: async () => {
      const m = (await import(pathToFileURL(file).href)) as Core & { default?: Core };
      return iife ? m.default! : m;
    },
  };
}

/** A SAML exchange and a chained one from it, against moto, with the bundle's own XML reader. */
async function exchangesWork(core: Core): Promise<void> {
  const login = core.parseSamlResponse(buildSamlResponse({ roles: DEFAULT_ROLES, roleSessionName: 'alice@example.com', sessionDuration: 7_200 }));
  const base = await core.assumeRoleWithSaml(login, login.roles[1]!, { ...viaStandIn(endpoint, 10_000, 'fetch') });
  expect(base.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/Deployer/alice@example.com');
  expect(base.durationSeconds).toBe(7_200);
  expect(base.accessKeyId).toMatch(/^ASIA/);
  const chained = await core.assumeChainedRole(base, 'arn:aws:iam::888777666555:role/assumed-dev', { ...viaStandIn(endpoint, 10_000, 'fetch'), roleSessionName: 'alice' });
  expect(chained.assumedRoleArn).toBe('arn:aws:sts::888777666555:assumed-role/assumed-dev/alice');
}

describe('the service-worker bundle of utils/sts.ts + utils/saml.ts', () => {
  let withReader: Bundle;
  let naive: Bundle;
  let vite: Bundle;
  let viteNaive: Bundle;

  beforeAll(async () => {
    expect(typeof (globalThis as { DOMParser?: unknown }).DOMParser).toBe('undefined');
    const [a, b, c, d] = await Promise.all([
      esbuildWorkerBundle(ENTRY, { xmlReader: true }),
      esbuildWorkerBundle(ENTRY, { xmlReader: false }),
      viteWorkerBundle(ENTRY, { xmlReader: true }),
      viteWorkerBundle(ENTRY, { xmlReader: false }),
    ]);
    withReader = loadable('esbuild-reader', a, false);
    naive = loadable('esbuild-naive', b, false);
    vite = loadable('vite-reader', c, true);
    viteNaive = loadable('vite-naive', d, true);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a naive browser bundle needs DOMParser, so every STS answer fails in a service worker', async () => {
    for (const bundle of [naive, viteNaive]) {
      expect(bundle.code).toContain('DOMParser');
      const core = await bundle.load();
      const login = core.parseSamlResponse(buildSamlResponse({ roles: [DEFAULT_ROLES[0]!] }));
      const error = await core.assumeRoleWithSaml(login, login.roles[0]!, { ...viaStandIn(endpoint, 10_000, 'fetch'), maxAttempts: 1 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'StsError', code: 'Unknown' });
    }
  });

  it('with build/sdk-xml-reader.ts (esbuild): no DOMParser, and SAML + chained exchanges work against moto', async () => {
    expect(withReader.code).not.toContain('DOMParser');
    await exchangesWork(await withReader.load());
  });

  it('with build/sdk-xml-reader.ts (Vite, as WXT builds the worker): the same', async () => {
    expect(vite.code).not.toContain('DOMParser');
    await exchangesWork(await vite.load());
  });

  it.each(['esbuild', 'Vite'] as const)('reads every STS error, and retries, exactly as the unbundled code does (%s)', async (which) => {
    const core = await (which === 'esbuild' ? withReader : vite).load();
    const server = await startStsErrorServer();
    const ROLE = { roleArn: 'arn:aws:iam::123456789012:role/Developer', principalArn: 'arn:aws:iam::123456789012:saml-provider/ExampleIdP' };
    const BASE = { accessKeyId: 'ASIAEXAMPLEBASEKEY01', secretAccessKey: 'baseSecretKeyEXAMPLE0123456789abcdefghij', sessionToken: 'BASETOKENEXAMPLE' };
    const login = { samlResponse: Buffer.from('<samlp:Response/>').toString('base64'), roleSessionName: 'alice@example.com' };
    /** What the person sees and what went over the wire (the request id and the signature change every time). */
    const run = async (sts: Pick<Core, 'assumeRoleWithSaml' | 'assumeChainedRole'>, exchange: 'saml' | 'chained', maxAttempts?: number) => {
      server.requests.length = 0;
      const options = { ...viaStandIn(server.endpoint, 10_000, 'fetch'), region: 'eu-south-1', maxAttempts };
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

});
