/**
 * STS exchange figures: a bulk sync of 50 roles against a local moto compared with one role, and the size of what
 * the service worker carries for STS + SAML (the SDK client and fast-xml-parser, bundled as they are but for the
 * SDK's DOM-free XML reader, build/sdk-xml-reader.ts), plus the built background.js of both browsers (rebuilt
 * first when their sources changed). Sizes are minified bytes / 1024 (KiB), as the 280 KB target counts them.
 *
 * Reading the ratio: against moto each request costs a few milliseconds of Python CPU time under one GIL and no
 * network latency, so 8 requests in flight cannot overlap much; the ratio measures mostly moto. Against real STS
 * a request is network-bound (DNS + TLS handshakes + one round trip), which 8 parallel connections overlap.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSamlResponse } from '../utils/saml';
import { assumeRolesWithSaml, assumeRoleWithSaml } from '../utils/sts';
import { ensureBuilt } from '../tests/support/build-global-setup';
import { startMoto } from '../tests/support/moto';
import { buildSamlResponse, manyRoles } from '../tests/support/saml-fixtures';
import { viaStandIn } from '../tests/support/sts-route';
import { viteWorkerBundle } from '../tests/support/worker-bundle';
import { measure, report } from './measure';

const ROOT = join(import.meta.dirname, '..');

async function bulkVersusOne(): Promise<void> {
  const moto = await startMoto();
  try {
    // The real STS host names, delivered to moto (tests/support/sts-route.ts); one transport per exchange.
    const options = () => viaStandIn(moto.endpoint);
    const many = parseSamlResponse(buildSamlResponse({ roles: manyRoles(50), roleSessionName: 'alice@example.com' }));
    const one = parseSamlResponse(buildSamlResponse({ roles: manyRoles(1), roleSessionName: 'alice@example.com' }));
    const fresh = <T extends object>(login: T) => ({ ...login, notOnOrAfter: undefined }); // the bench outlives 5 minutes

    const single = await measure(async () => {
      await assumeRoleWithSaml(fresh(many), many.roles[0]!, options());
    }, 30, 3);
    const singleSmall = await measure(async () => {
      await assumeRoleWithSaml(fresh(one), one.roles[0]!, options());
    }, 30, 3);
    const bulk = await measure(async () => {
      const results = await assumeRolesWithSaml(fresh(many), many.roles, options());
      const failed = results.filter((r) => !r.ok).length;
      if (failed) throw new Error(`${failed} of 50 roles failed against moto`);
    }, 10, 2);
    const sequential = await measure(async () => {
      await assumeRolesWithSaml(fresh(many), many.roles, { ...options(), concurrency: 1 });
    }, 5, 1);

    report('1 role of a 50-role assertion (median)', single.median, 'ms');
    report('1 role of a 1-role assertion (median, for reference)', singleSmall.median, 'ms');
    report('50 roles of that assertion, 8 in flight (median)', bulk.median, 'ms');
    report('50 roles of that assertion, one at a time (median, for reference)', sequential.median, 'ms');
    report('bulk 50 / single role', bulk.median / single.median, 'x', { max: 3, text: '3x' });
  } finally {
    await moto.stop();
  }
}

const SDK_AND_XML = `export { STSClient, AssumeRoleCommand, AssumeRoleWithSAMLCommand } from '@aws-sdk/client-sts';
export { XMLParser, XMLValidator } from 'fast-xml-parser';`;
const CORE = `export * from './utils/sts'; export { parseSamlResponse } from './utils/saml';`;
const KIB = (code: string) => Buffer.byteLength(code) / 1024;
const WORKER_TARGET = { max: 280, text: '280 KB' };

async function bundleSizes(): Promise<void> {
  report('SDK client + fast-xml-parser, as WXT bundles them', KIB(await viteWorkerBundle(SDK_AND_XML, { xmlReader: true })), 'KB');
  report('STS + SAML core, as WXT bundles them', KIB(await viteWorkerBundle(CORE, { xmlReader: true })), 'KB');

  for (const browser of ['chrome', 'firefox'] as const) {
    const background = join(ROOT, '.output', `${browser}-mv3`, 'background.js');
    try {
      ensureBuilt(browser); // rebuilt when any source is newer, so the figure is never a stale build's
    } catch {
      console.log(`  (npx wxt build -b ${browser} failed; no background.js to measure)`);
    }
    if (!existsSync(background)) continue;
    report(`.output/${browser}-mv3/background.js`, statSync(background).size / 1024, 'KB', WORKER_TARGET);
    if (readFileSync(background, 'utf8').includes('DOMParser')) {
      console.log('  (it needs DOMParser, which MV3 service workers lack: is sdkXmlReaderVite() in wxt.config.ts?)');
    }
  }
}

export default async function stsBench(): Promise<void> {
  await bulkVersusOne();
  await bundleSizes();
}
