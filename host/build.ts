/**
 * Bundles the host into one self-contained file, `.output/host/aws-saml-sync-host.cjs`, with every dependency
 * inlined: the installed copy does not depend on this checkout or its node_modules.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = join(import.meta.dirname, '..');
export const HOST_BUNDLE = join(ROOT, '.output', 'host', 'aws-saml-sync-host.cjs');
const SOURCES = [join(ROOT, 'host'), join(ROOT, 'utils', 'host-protocol.ts'), join(ROOT, 'utils', 'extension-identity.ts'), join(ROOT, 'package-lock.json')];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  return st.isDirectory() ? readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), st.mtimeMs) : st.mtimeMs;
}

export function hostBundleIsStale(): boolean {
  return !existsSync(HOST_BUNDLE) || statSync(HOST_BUNDLE).mtimeMs < Math.max(...SOURCES.map(newest));
}

export async function buildHost(): Promise<string> {
  await build({
    entryPoints: [join(ROOT, 'host', 'main.ts')],
    outfile: HOST_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node22',
    // CommonJS: the dependencies (proper-lockfile, write-file-atomic) use require and __filename.
    format: 'cjs',
    minify: false,
    legalComments: 'inline',
    logLevel: 'warning',
  });
  return HOST_BUNDLE;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildHost();
  console.log(`built ${out}`);
}
