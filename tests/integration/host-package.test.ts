/**
 * The helper as people get it: `npm pack` of host/ (built first), installed from the tarball into a temporary npm
 * prefix and HOME (`npm install -g --prefix … <tarball>`, offline: the package has no dependencies), then its bin
 * run as the README says: install for Chromium and for Firefox, a hello through each manifest's launcher (as the
 * browser starts it), doctor clean (exit 0), doctor on a broken installation (manifest removed, launcher not
 * executable, ~/.aws 0777: each problem named with its fix, exit 1), uninstall leaving nothing behind.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostPackage, PACKAGE_DIR } from '../../host/build';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../../utils/extension-identity';
import { HOST_VERSION } from '../../utils/host-protocol';
import { makeHome, startHost, type TempHome } from '../support/host-process';

const run = promisify(execFile);

let work: TempHome;
let home: string;
let bin: string;

/** A person's shell: this HOME, none of the machine's XDG or AWS variables. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, npm_config_cache: join(work.path, 'npm-cache') };
  for (const k of Object.keys(e)) if (/^(XDG_|AWS_)/.test(k) || (k.startsWith('npm_') && k !== 'npm_config_cache')) delete e[k];
  return e;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { env: env(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  work = await makeHome('aws-saml-sync-package-');
  home = join(work.path, 'home');
  mkdirSync(home);
  await buildHostPackage();
  const packed = join(work.path, 'packed');
  mkdirSync(packed);
  const { stdout } = await run('npm', ['pack', PACKAGE_DIR, '--pack-destination', packed, '--json'], { env: env(), timeout: 120_000 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  expect(info!.files.map((f) => f.path).sort()).toEqual(['README.md', 'dist/aws-saml-sync-host.cjs', 'dist/cli.cjs', 'package.json']);
  const prefix = join(work.path, 'prefix');
  await run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(packed, info!.filename)], { env: env(), timeout: 120_000 });
  bin = join(prefix, 'bin', 'aws-saml-sync-host');
}, 240_000);

afterAll(async () => {
  await work?.cleanup();
});

const data = () => join(home, '.local', 'share', 'aws-saml-sync');
const chromiumManifest = () => join(home, '.config', 'chromium', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
const firefoxManifest = () => join(home, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);

describe('the aws-saml-sync-host package, installed from its tarball', () => {
  it('--version and help', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${HOST_VERSION}\n` });
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/aws-saml-sync-host install \[--browser NAME\|all\]/);
    expect(help.stdout).toMatch(/aws-saml-sync-host doctor/);
    expect((await cli(['instal'])).code).toBe(2);
  });

  it('install for Chromium and Firefox; each launcher answers hello; doctor is clean, then names each breakage with its fix; uninstall leaves nothing', async () => {
    const chromium = await cli(['install', '--browser', 'chromium']);
    expect(chromium.code).toBe(0);
    expect(chromium.stdout).toContain(chromiumManifest());
    expect((await cli(['install', '--browser', 'firefox'])).code).toBe(0);

    for (const [manifestPath, args] of [
      [chromiumManifest(), [CHROME_EXTENSION_ORIGIN]],
      [firefoxManifest(), [firefoxManifest(), GECKO_ID]],
    ] as const) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path: string };
      expect(manifest.path).toBe(join(data(), 'aws-saml-sync-host'));
      const host = await startHost({ home, command: manifest.path, args: [...args] });
      expect(await host.request('hello', {})).toMatchObject({ ok: true, body: { hostVersion: HOST_VERSION, credentialsFile: join(home, '.aws', 'credentials') } });
      expect((await host.close()).code).toBe(0);
    }
    // The installed copy does not live in npm's prefix: removing the package leaves the helper working.
    expect(readFileSync(join(data(), 'aws-saml-sync-host'), 'utf8')).not.toContain(join(work.path, 'prefix'));

    mkdirSync(join(home, '.aws'), { mode: 0o700 });
    writeFileSync(join(home, '.aws', 'config'), '[profile dev-env]\nregion = eu-west-1\n', { mode: 0o600 });
    const clean = await cli(['doctor']);
    expect(clean.stdout).toContain('No problems found.');
    expect(clean.stdout).toContain('answers hello (helper');
    expect(clean.code).toBe(0);

    rmSync(chromiumManifest());
    chmodSync(join(data(), 'aws-saml-sync-host'), 0o644);
    chmodSync(join(home, '.aws'), 0o777);
    const broken = await cli(['doctor']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`The chromium host manifest is missing (${chromiumManifest()}).\n     fix: npx aws-saml-sync-host install --browser chromium`);
    expect(broken.stdout).toContain(`is not executable, so Firefox cannot start it.\n     fix: chmod +x ${join(data(), 'aws-saml-sync-host')}`);
    expect(broken.stdout).toContain(`can be written by other users (mode 0777), so they could replace your credentials.\n     fix: chmod 700 ${join(home, '.aws')}`);
    expect(broken.stdout).toMatch(/^3 problems:$/m);

    const removed = await cli(['uninstall']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(firefoxManifest());
    expect(existsSync(data())).toBe(false);
    // Nothing of ours is left in HOME: only the ~/.aws this test made.
    expect(readdirSync(home)).toEqual(['.aws']);
  });

  it('refuses an unknown browser with one sentence and writes nothing', async () => {
    const failure = await cli(['install', '--browser', 'safari']);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^aws-saml-sync-host install: Unknown browser "safari"; use one of chrome, /);
    expect(existsSync(data())).toBe(false);
  });
});
