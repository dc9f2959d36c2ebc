/**
 * The installer run the way the README says (`npm run host:install -- …`, `npm run host:uninstall`), with a temporary
 * HOME: what it writes and where, that the manifest's launcher really starts the host for the Chromium origin and
 * for Firefox's arguments (the browsers themselves are driven in tests/e2e/journey-*.test.ts, which install the host
 * with this same command), that the installed copy needs nothing from the checkout, that a stale bundle is rebuilt
 * first, and that uninstall removes everything it wrote, also from a custom manifest folder.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOST_BUNDLE } from '../../host/build';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, NATIVE_HOST_NAME } from '../../utils/extension-identity';
import { makeHome, startHost, type TempHome } from '../support/host-process';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

let home: TempHome;

beforeEach(async () => {
  home = await makeHome('aws-saml-sync-install-');
});
afterEach(async () => {
  await home.cleanup();
});

/** The environment of a person's shell: this HOME, none of the XDG folders of the machine running the tests. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: home.path };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE']) delete e[k];
  return e;
}

async function npmRun(script: 'host:install' | 'host:uninstall', args: string[] = []): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: env(), timeout: 120_000 });
  return stdout;
}

const dataDir = () => join(home.path, '.local', 'share', 'aws-saml-sync');
const launcher = () => join(dataDir(), 'aws-saml-sync-host');

function readManifest(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('npm run host:install', () => {
  it('--browser chromium --manifest-dir DIR: the manifest in DIR, a launcher that answers the pinned origin', async () => {
    const dir = join(home.path, 'chromium-profile', 'NativeMessagingHosts');
    const out = await npmRun('host:install', ['--browser', 'chromium', '--manifest-dir', dir]);
    const manifestPath = join(dir, `${NATIVE_HOST_NAME}.json`);
    // It says what it wrote and where.
    expect(out).toContain(manifestPath);
    expect(out).toContain(launcher());
    expect(out).toContain(join(dataDir(), 'aws-saml-sync-host.cjs'));

    expect(readManifest(manifestPath)).toEqual({
      name: NATIVE_HOST_NAME,
      description: expect.any(String),
      path: launcher(),
      type: 'stdio',
      allowed_origins: [CHROME_EXTENSION_ORIGIN],
    });
    expect(statSync(launcher()).mode & 0o111).not.toBe(0);
    expect(readFileSync(launcher(), 'utf8')).toContain(process.execPath);

    const host = await startHost({ home: home.path, command: launcher(), args: [CHROME_EXTENSION_ORIGIN] });
    const reply = await host.request('hello', {});
    expect(reply).toMatchObject({ ok: true, body: { credentialsFile: join(home.path, '.aws', 'credentials'), protocols: [1] } });
    expect((await host.close()).code).toBe(0);

    // Any other caller is refused by the installed host too.
    const stranger = await startHost({ home: home.path, command: launcher(), args: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] });
    expect((await stranger.exited).code).toBe(2);
  });

  it('--browser firefox: the manifest in ~/.mozilla/native-messaging-hosts, answering Firefox’s arguments', async () => {
    await npmRun('host:install', ['--browser', 'firefox']);
    const manifestPath = join(home.path, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);
    expect(readManifest(manifestPath)).toMatchObject({ name: NATIVE_HOST_NAME, path: launcher(), type: 'stdio', allowed_extensions: [GECKO_ID] });
    expect(readManifest(manifestPath)).not.toHaveProperty('allowed_origins');

    const host = await startHost({ home: home.path, command: launcher(), args: [manifestPath, GECKO_ID] });
    expect(await host.request('hello', {})).toMatchObject({ ok: true });
    expect((await host.close()).code).toBe(0);
  });

  it('without --browser: every browser’s user folder', async () => {
    await npmRun('host:install');
    for (const dir of [
      '.config/google-chrome/NativeMessagingHosts',
      '.config/chromium/NativeMessagingHosts',
      '.config/microsoft-edge/NativeMessagingHosts',
      '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      '.config/vivaldi/NativeMessagingHosts',
      '.mozilla/native-messaging-hosts',
    ]) {
      expect(readManifest(join(home.path, dir, `${NATIVE_HOST_NAME}.json`)).path).toBe(launcher());
    }
  });

  it('the installed host is one file needing only Node’s own modules, not the checkout', async () => {
    await npmRun('host:install', ['--browser', 'firefox']);
    const bundle = readFileSync(join(dataDir(), 'aws-saml-sync-host.cjs'), 'utf8');
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect([...required].filter((m) => !builtins.has(m))).toEqual([]);
    expect(bundle).not.toContain(ROOT);
    // Run from elsewhere, with no NODE_PATH: it still answers.
    const host = await startHost({ home: home.path, command: launcher(), args: ['/x.json', GECKO_ID], env: { NODE_PATH: undefined } });
    expect(await host.request('hello', {})).toMatchObject({ ok: true });
    await host.close();
  });

  it('builds the host first when the bundle is older than its sources', async () => {
    // Make the bundle look older than every source: the installer must rebuild it (an atomic rename, so tests
    // running the bundle meanwhile never see half a file).
    utimesSync(HOST_BUNDLE, new Date(0), new Date(0));
    const out = await npmRun('host:install', ['--browser', 'firefox']);
    expect(out).toMatch(/built the helper/);
    expect(statSync(HOST_BUNDLE).mtimeMs).toBeGreaterThan(Date.now() - 120_000);
    // Up to date now: not rebuilt again.
    expect(await npmRun('host:install', ['--browser', 'firefox'])).not.toMatch(/built the helper/);
  });

  it('refuses an unknown browser with one sentence and writes nothing', async () => {
    const failure = await npmRun('host:install', ['--browser', 'safari']).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/Unknown browser "safari"; use one of chrome, chrome-beta, chrome-dev, chrome-canary, chromium, .*, firefox, librewolf or all\./);
    expect(existsSync(dataDir())).toBe(false);
  });
});

describe('npm run host:uninstall', () => {
  it('removes every manifest it wrote (also in a custom folder) and the installed host', async () => {
    const custom = join(home.path, 'profile', 'NativeMessagingHosts');
    await npmRun('host:install', ['--browser', 'chromium', '--manifest-dir', custom]);
    await npmRun('host:install', ['--browser', 'firefox']);
    const firefoxManifest = join(home.path, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);
    expect(existsSync(firefoxManifest)).toBe(true);

    const out = await npmRun('host:uninstall');
    expect(out).toContain(firefoxManifest);
    expect(out).toContain(join(custom, `${NATIVE_HOST_NAME}.json`));
    expect(existsSync(firefoxManifest)).toBe(false);
    expect(existsSync(join(custom, `${NATIVE_HOST_NAME}.json`))).toBe(false);
    expect(existsSync(dataDir())).toBe(false);
    expect(await npmRun('host:uninstall')).toMatch(/Nothing to remove/);
  });

  it('--browser NAME removes only that browser’s manifest and keeps the host for the others', async () => {
    await npmRun('host:install');
    await npmRun('host:uninstall', ['--browser', 'firefox']);
    expect(existsSync(join(home.path, '.mozilla', 'native-messaging-hosts', `${NATIVE_HOST_NAME}.json`))).toBe(false);
    expect(existsSync(join(home.path, '.config', 'chromium', 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`))).toBe(true);
    expect(existsSync(launcher())).toBe(true);
  });
});
