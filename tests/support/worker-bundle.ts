/**
 * Bundles a snippet the way the service worker gets it (browser `browser` fields, fetch, WebCrypto), with or
 * without build/sdk-xml-reader.ts: for the bundle test (tests/integration/sts-bundle.test.ts) and the bench.
 * Imports of './utils/…' in the snippet resolve from the project root.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { sdkXmlReaderEsbuild, sdkXmlReaderVite } from '../../build/sdk-xml-reader';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface BundleOptions {
  /** Apply build/sdk-xml-reader.ts (what the real build does); false shows what a naive browser bundle gets. */
  xmlReader: boolean;
}

/** esbuild, minified ES module. */
export async function esbuildWorkerBundle(contents: string, { xmlReader }: BundleOptions): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    plugins: xmlReader ? [sdkXmlReaderEsbuild()] : [],
  });
  return result.outputFiles[0]!.text;
}

/** As WXT builds the background: Vite (rolldown, oxc minifier), one minified IIFE. */
export async function viteWorkerBundle(contents: string, { xmlReader }: BundleOptions): Promise<string> {
  // The entry exists only in memory, named as a file in the project root so that its imports resolve from there.
  const entry = join(ROOT, '__worker-bundle-entry.ts');
  const out = (await viteBuild({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      { name: 'worker-bundle-entry', enforce: 'pre', resolveId: (id) => (id === entry ? id : null), load: (id) => (id === entry ? contents : null) },
      ...(xmlReader ? [sdkXmlReaderVite()] : []),
    ],
    build: { write: false, minify: true, target: 'es2022', lib: { entry, formats: ['iife'], name: 'core', fileName: 'core' } },
  })) as { output: { code?: string }[] } | { output: { code?: string }[] }[];
  return (Array.isArray(out) ? out[0]! : out).output[0]!.code ?? '';
}
