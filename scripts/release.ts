/**
 * `npm run release`: everything a release publishes, from one version (the root package.json's):
 *   - the Chrome Web Store zip and the Firefox add-on zip with its sources zip (`wxt zip`, `wxt zip -b firefox`);
 *   - the helper's npm tarball (`npm pack` of host/, after building its dist/).
 * It refuses, changing nothing, when host/package.json, utils/host-protocol.ts's HOST_VERSION, a built manifest
 * or CHANGELOG.md does not agree with the root version: bump them together by hand (they are three lines; a unit
 * test keeps the first two in step), so a release never carries a version nobody wrote down.
 * Everything lands in .output/release/ and is listed with its size at the end.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildHostPackage, PACKAGE_DIR, PACKAGE_DIST, ROOT } from '../host/build';
import { HOST_VERSION } from '../utils/host-protocol';

const OUT = join(ROOT, '.output');
const RELEASE = join(OUT, 'release');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version?: string; name?: string };

function refuse(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

const version = readJson(join(ROOT, 'package.json')).version ?? refuse('package.json has no version.');
const disagree = [
  ['host/package.json', readJson(join(PACKAGE_DIR, 'package.json')).version],
  ['HOST_VERSION in utils/host-protocol.ts', HOST_VERSION],
].filter(([, v]) => v !== version);
if (disagree.length > 0) refuse(`the version is ${version} in package.json but ${disagree.map(([where, v]) => `${v} in ${where}`).join(' and ')}; set them all to one version first.`);
if (!new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b`, 'm').test(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'))) {
  refuse(`CHANGELOG.md has no "## ${version}" section; say what changed first.`);
}

const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

console.log(`release ${version}`);
rmSync(RELEASE, { recursive: true, force: true });
mkdirSync(RELEASE, { recursive: true });
const before = new Set(readdirSync(OUT));
// The sources zip takes the tree as it is, and host/dist/ is generated: out of the way until the zips are made.
rmSync(PACKAGE_DIST, { recursive: true, force: true });
run('npx', ['wxt', 'zip']);
run('npx', ['wxt', 'zip', '-b', 'firefox']);
for (const [dir, what] of [
  ['chrome-mv3', 'Chrome'],
  ['firefox-mv3', 'Firefox'],
] as const) {
  const built = readJson(join(OUT, dir, 'manifest.json')).version;
  if (built !== version) refuse(`the ${what} manifest says ${built}, package.json ${version}.`);
}
const zips = readdirSync(OUT).filter((f) => f.endsWith('.zip') && f.includes(version) && (!before.has(f) || statSync(join(OUT, f)).mtimeMs > Date.now() - 600_000));
if (!zips.some((z) => z.endsWith('-chrome.zip')) || !zips.some((z) => z.endsWith('-firefox.zip')) || !zips.some((z) => z.endsWith('-sources.zip'))) {
  refuse(`wxt zip did not produce the three zips (found: ${zips.join(', ') || 'none'}).`);
}
for (const z of zips) copyFileSync(join(OUT, z), join(RELEASE, z));

await buildHostPackage();
const packed = JSON.parse(run('npm', ['pack', PACKAGE_DIR, '--pack-destination', RELEASE, '--json'])) as { filename: string; version: string }[];
if (packed[0]?.version !== version) refuse(`npm pack made ${packed[0]?.filename ?? 'nothing'}, not version ${version}.`);

console.log(`\n.output/release/`);
for (const f of readdirSync(RELEASE).sort()) console.log(`  ${f.padEnd(44)} ${Math.round(statSync(join(RELEASE, f)).size / 1024)} KB`);
console.log(`\nPublish: the two store zips (and the sources zip for Firefox), then npm publish .output/release/${packed[0].filename}`);
