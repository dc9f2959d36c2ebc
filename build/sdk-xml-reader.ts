/**
 * Build-time only (wxt.config.ts, the bench, tests): the one bundling rule the service worker needs for
 * @aws-sdk/client-sts.
 *
 * In a browser build, @aws-sdk/xml-builder's `browser` field swaps its XML parser for one built on `DOMParser`,
 * which MV3 service workers do not have (aws/aws-sdk-js-v3#7375): every STS answer would fail with "DOMParser is
 * not defined". So the package is resolved the way Node resolves it (its `main` entry today; the node/require
 * condition should it ever get `exports`): that entry carries the SDK's own DOM-free XML reader and no browser
 * mapping. Everything else of the SDK and of fast-xml-parser is bundled as it is.
 */
import { createRequire } from 'node:module';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

const PACKAGE = '@aws-sdk/xml-builder';
const NAME = 'aws-saml-sync:sdk-xml-reader';

/** Where Node loads @aws-sdk/xml-builder from, for the file `importer` (so a nested copy of the package is honoured). */
export function xmlBuilderNodeEntry(importer: string): string {
  return createRequire(importer.replace(/\?.*$/, '')).resolve(PACKAGE);
}

/** Vite (WXT) plugin. */
export function sdkXmlReaderVite(): VitePlugin {
  return {
    name: NAME,
    enforce: 'pre',
    resolveId: (source, importer) => (source === PACKAGE && importer ? xmlBuilderNodeEntry(importer) : null),
  };
}

/** esbuild plugin (bench, bundle tests). */
export function sdkXmlReaderEsbuild(): EsbuildPlugin {
  return {
    name: NAME,
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/xml-builder$/ }, (args) => (args.importer ? { path: xmlBuilderNodeEntry(args.importer) } : undefined));
    },
  };
}
