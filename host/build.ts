/**
 * `npm run host:build`: bundles the host into one self-contained file, `.output/host/aws-saml-sync-host.cjs`, with
 * every dependency inlined (valibot, proper-lockfile): the installed copy depends on neither this
 * checkout nor its node_modules, only on Node 22.
 *
 * The list of source files that went into the bundle is kept beside it, so `ensureHostBuilt()` (the installer, the
 * tests, the bench) rebuilds exactly when one of them changed. The bundle is written to a temp file and renamed, so
 * a test starting the host while another one rebuilds it never runs half a file.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(import.meta.dirname, '..');
export const HOST_BUNDLE = join(ROOT, '.output', 'host', 'aws-saml-sync-host.cjs');
/** The `aws-saml-sync-host` package: host/package.json, host/README.md and what buildHostPackage puts in dist/. */
export const PACKAGE_DIR = join(ROOT, 'host');
export const PACKAGE_DIST = join(PACKAGE_DIR, 'dist');
const INPUTS_FILE = `${HOST_BUNDLE}.inputs.json`;

/** True when the bundle is missing, or older than one of its sources (or this build script, or the lock file). */
export function hostBundleIsStale(): boolean {
  if (!existsSync(HOST_BUNDLE) || !existsSync(INPUTS_FILE)) return true;
  const built = statSync(HOST_BUNDLE).mtimeMs;
  let inputs: string[];
  try {
    inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as string[];
  } catch {
    return true;
  }
  const files = [...inputs.map((f) => join(ROOT, f)), join(ROOT, 'host', 'build.ts'), join(ROOT, 'package-lock.json')];
  return files.some((f) => !existsSync(f) || statSync(f).mtimeMs > built);
}

export async function buildHost(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'host', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    // CommonJS: dependencies (proper-lockfile) use require and __filename.
    format: 'cjs',
    write: false,
    outfile: HOST_BUNDLE,
    metafile: true,
    minify: false,
    legalComments: 'inline',
    logLevel: 'warning',
    banner: { js: '// aws-saml-sync native messaging host (built by npm run host:build; see PROTOCOL.md)' },
  });
  const bundle = result.outputFiles.find((f) => resolve(f.path) === resolve(HOST_BUNDLE));
  if (!bundle) throw new Error('esbuild produced no host bundle');
  mkdirSync(join(ROOT, '.output', 'host'), { recursive: true });
  const temp = `${HOST_BUNDLE}.${process.pid}.tmp`;
  writeFileSync(temp, bundle.contents);
  renameSync(temp, HOST_BUNDLE);
  const inputs = Object.keys(result.metafile.inputs)
    .map((f) => relative(ROOT, resolve(f)))
    .sort();
  writeFileSync(`${INPUTS_FILE}.${process.pid}.tmp`, `${JSON.stringify(inputs, null, 1)}\n`);
  renameSync(`${INPUTS_FILE}.${process.pid}.tmp`, INPUTS_FILE);
  return HOST_BUNDLE;
}

/**
 * `npm run host:package`: the package's dist/: `cli.cjs` (the bin: install, uninstall, doctor; host/bin.ts) and
 * `aws-saml-sync-host.cjs` (the host it installs, the same bundle as above). Both self-contained, so the package
 * has no dependencies.
 */
export async function buildHostPackage(): Promise<{ cli: string; host: string }> {
  const host = await buildHost();
  mkdirSync(PACKAGE_DIST, { recursive: true });
  const cli = join(PACKAGE_DIST, 'cli.cjs');
  await build({
    entryPoints: [join(ROOT, 'host', 'bin.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile: cli,
    minify: false,
    legalComments: 'inline',
    logLevel: 'warning',
    banner: { js: '#!/usr/bin/env node\n// aws-saml-sync-host: installs and checks the aws-saml-sync native messaging host (built by npm run host:package)' },
  });
  chmodSync(cli, 0o755);
  const packagedHost = join(PACKAGE_DIST, 'aws-saml-sync-host.cjs');
  copyFileSync(host, `${packagedHost}.tmp`);
  renameSync(`${packagedHost}.tmp`, packagedHost);
  return { cli, host: packagedHost };
}

/** The bundle's path, building it first when it is missing or stale. */
export async function ensureHostBuilt(): Promise<{ bundle: string; built: boolean }> {
  if (!hostBundleIsStale()) return { bundle: HOST_BUNDLE, built: false };
  return { bundle: await buildHost(), built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outputs = process.argv.includes('--package') ? Object.values(await buildHostPackage()) : [await buildHost()];
  for (const out of outputs) console.log(`built ${relative(process.cwd(), out)} (${Math.round(statSync(out).size / 1024)} KB)`);
}
