/**
 * Build-time only (wxt.config.ts, the bench, tests): how the AWS SDK and fast-xml-parser must be bundled into the
 * MV3 service worker. Not imported by any extension code.
 *
 * 1. Correctness. In a browser build, @aws-sdk/xml-builder's `browser` field swaps its XML parser for one built on
 *    `DOMParser`, which MV3 service workers do not have (aws/aws-sdk-js-v3#7375): every STS answer would fail with
 *    "DOMParser is not defined". Resolve it to the package's own DOM-free parser (a few KB of plain JS).
 * 2. Size (about 30 KB of the ~218 KB a naive build gives, keeping both libraries whole where they run):
 *    - `@smithy/core/event-streams` is reached only through a dynamic import() for event-stream operations; STS has
 *      none, but a single-file service worker inlines it (~14 KB). A stub that throws if it were ever used.
 *    - `@aws-sdk/client-sts` imports its whole package.json for one field (the version in the User-Agent).
 *    - `is-unsafe` (fast-xml-parser's check of DOCTYPE entity values, which only ever asks about HTML and XML) sets a
 *      label on every one of its contexts at load time, which defeats tree-shaking of the SQL, shell, NoSQL, ReDoS,
 *      log and SVG rules (~12 KB). Those resolve to empty lists; `isUnsafe` throws a TypeError on an empty list, so
 *      a future caller that used one would fail loudly, never pass silently.
 *
 *   // wxt.config.ts
 *   vite: () => ({ plugins: [preact(), stsViteBundling()], ... })
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

const UNUSED_IS_UNSAFE_CONTEXTS = new Set(['svg', 'sql', 'sql-strict', 'shell', 'redos', 'nosql', 'log']);

type Redirect = { file: string } | { virtual: 'event-streams' | 'sts-package-json' | 'empty-list' };

const slashes = (p: string) => p.replace(/\\/g, '/');

/** The rule table both plugins share: where an import from `importer` must go instead, or undefined. */
export function redirectFor(source: string, importer: string | undefined): Redirect | undefined {
  if (!importer) return undefined;
  const from = slashes(importer).replace(/\?.*$/, '');
  if (source === './xml-parser' && /\/@aws-sdk\/xml-builder\/dist-es\/index\.js$/.test(from)) {
    return { file: join(dirname(importer.replace(/\?.*$/, '')), 'xml-parser.js') };
  }
  if (source === '@smithy/core/event-streams' && /\/@smithy\/core\//.test(from)) {
    return { virtual: 'event-streams' };
  }
  if (source === '../package.json' && /\/@aws-sdk\/client-sts\/dist-es\/[^/]+\.js$/.test(from)) {
    return { virtual: 'sts-package-json' };
  }
  const context = /^\.\/contexts\/([\w-]+)\.js$/.exec(source)?.[1];
  if (context && UNUSED_IS_UNSAFE_CONTEXTS.has(context) && /\/is-unsafe\/src\/index\.js$/.test(from)) {
    return { virtual: 'empty-list' };
  }
  return undefined;
}

function stsClientVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(require.resolve('@aws-sdk/client-sts/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function virtualModule(name: 'event-streams' | 'sts-package-json' | 'empty-list'): string {
  switch (name) {
    case 'event-streams':
      return `const unsupported = () => { throw new Error('AWS SDK event streams are not bundled into this service worker'); };
export class EventStreamSerde { constructor() { unsupported(); } }
export const eventStreamSerdeProvider = unsupported;`;
    case 'sts-package-json':
      return `export default { version: ${JSON.stringify(stsClientVersion())} };`;
    case 'empty-list':
      return 'export default [];';
  }
}

const VIRTUAL_PREFIX = '\0sts-bundling:';

/** Vite (WXT) plugin applying the rules above. */
export function stsViteBundling(): VitePlugin {
  return {
    name: 'aws-saml-sync:sts-bundling',
    enforce: 'pre',
    resolveId(source, importer) {
      const r = redirectFor(source, importer);
      if (!r) return null;
      return 'file' in r ? r.file : `${VIRTUAL_PREFIX}${r.virtual}`;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL_PREFIX)) return null;
      return virtualModule(id.slice(VIRTUAL_PREFIX.length) as 'event-streams' | 'sts-package-json' | 'empty-list');
    },
  };
}

/** esbuild plugin applying the same rules (bench, bundle tests). */
export function stsEsbuildBundling(): EsbuildPlugin {
  return {
    name: 'aws-saml-sync:sts-bundling',
    setup(build) {
      build.onResolve({ filter: /^(\.\/xml-parser|@smithy\/core\/event-streams|\.\.\/package\.json|\.\/contexts\/[\w-]+\.js)$/ }, (args) => {
        const r = redirectFor(args.path, args.importer);
        if (!r) return undefined;
        return 'file' in r ? { path: r.file } : { path: r.virtual, namespace: 'sts-bundling' };
      });
      build.onLoad({ filter: /.*/, namespace: 'sts-bundling' }, (args) => ({
        contents: virtualModule(args.path as 'event-streams' | 'sts-package-json' | 'empty-list'),
        loader: 'js',
      }));
    },
  };
}
