/**
 * The built extension's real popup and options pages in Chromium, one screenshot per state under
 * `.output/screenshots/` (checked for content through text and ARIA, never pixels).
 *
 * Two ways to reach a state:
 * - through the real background: the sign-in and settings it reads are seeded into `storage.session` /
 *   `storage.local` from its service worker, and what the options page saves is read back from storage;
 * - through a scripted stand-in for the background, installed into one page only (tests/support/ui-page-background.ts),
 *   for states that need STS, the native host or a request in flight (syncing, a failed sync, the host missing).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURED_LOGIN_KEY, type CapturedLoginOk } from '../../utils/captured-login';
import type { PopupState } from '../../utils/messages';
import { SETTINGS_KEY } from '../../utils/settings';
import { ensureBuilt } from '../support/build-global-setup';
import { launchExtensionChromium, type ExtensionBrowser } from '../support/chromium';
import { makeTestCertificate } from '../support/tls';
import { roleChooserHtml } from '../support/ui-role-chooser-page';
import { pageBackgroundScript, type PageBackgroundHandle, type PageBackgroundScenario } from '../support/ui-page-background';
import {
  BASE_SETTINGS,
  DEV_ROLE_ARN,
  failedLogin,
  HOST_MISSING_SENTENCE,
  LOGIN_ERROR_SENTENCE,
  MANY_ROLES,
  okLogin,
  popupState,
  SEED_ACCOUNT,
  SEED_ROLE_ARN,
  SEED_ROLES,
  SEED_SETTINGS,
  seedProfiles,
  SYNC_ERROR_SENTENCE,
  syncOk,
} from '../support/ui-fixtures';

const SHOTS = join(import.meta.dirname, '..', '..', '.output', 'screenshots');
const SIGN_IN_URL = 'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012&forceauthn=false';
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000 + 30_000).toISOString();
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let browser: ExtensionBrowser;
/** Stands in for https://signin.aws.amazon.com: answers /saml with a "Select a role" page. */
let signin: Server;

const CHOOSER_ACCOUNTS = [
  { label: 'Account: sandbox (111222333444)', roleArns: [SEED_ROLE_ARN, 'arn:aws:iam::111222333444:role/team/Deployer'] },
  { label: 'Account: 222333444555', roleArns: ['arn:aws:iam::222333444555:role/Admin'] },
  { label: 'Account: shared-services (333444555666)', roleArns: ['arn:aws:iam::333444555666:role/ReadOnly'] },
];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const cert = makeTestCertificate(['signin.aws.amazon.com']);
  signin = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    if (req.url?.startsWith('/saml')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(roleChooserHtml(CHOOSER_ACCOUNTS));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => signin.listen(0, '127.0.0.1', resolve));
  browser = await launchExtensionChromium({
    extensionDir: ensureBuilt('chrome'),
    hostMap: { 'signin.aws.amazon.com': `127.0.0.1:${(signin.address() as AddressInfo).port}` },
  });
  await browser.serviceWorker();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => signin?.close(resolve));
});

const pageUrl = (page: 'popup' | 'options') => `chrome-extension://${browser.extensionId}/${page}.html`;

/** Opens popup.html or options.html in a tab, optionally with the scripted background, and waits for its first state. */
async function open(which: 'popup' | 'options', scenario?: PageBackgroundScenario, dark = false, recordClipboard = false): Promise<Page> {
  const page = await browser.context.newPage();
  if (which === 'popup') await page.setViewportSize({ width: 380, height: 560 });
  else await page.setViewportSize({ width: 1100, height: 900 });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  if (scenario) await page.addInitScript({ content: pageBackgroundScript(scenario) });
  // Headless Chromium has no system clipboard to read back from an extension page: record what is written.
  if (recordClipboard) await page.addInitScript({ content: `var __name = (f) => f;\n(${recordClipboardWrites.toString()})();` });
  await page.goto(pageUrl(which));
  await page.waitForSelector('body[data-rendered="1"]', { timeout: 15_000 });
  return page;
}

/** Saves the whole page; the viewport grows to the page's height first so the sticky Save bar sits at the end. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > size.height) await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
  if (height > size.height) await page.setViewportSize(size);
}

function recordClipboardWrites(): void {
  const g = globalThis as unknown as { __uiClipboard: string[] };
  g.__uiClipboard = [];
  Object.defineProperty(navigator.clipboard, 'writeText', {
    configurable: true,
    value: async (text: string) => {
      g.__uiClipboard.push(text);
    },
  });
}

const fakeCalls = (page: Page) => page.evaluate(() => (globalThis as unknown as { __uiFake: PageBackgroundHandle }).__uiFake.calls);

describe('popup states (scripted background)', () => {
  const withRoles = (extra: Partial<PopupState> = {}): PopupState =>
    popupState({
      settings: { ...BASE_SETTINGS, accountAliases: { [SEED_ACCOUNT]: 'sandbox' }, mappings: SEED_SETTINGS.mappings },
      login: okLogin([...SEED_ROLES, MANY_ROLES[3]!, MANY_ROLES[4]!], minutesAgo(1)),
      signInUrl: SIGN_IN_URL,
      ...extra,
    });

  it('no sign-in yet, no sign-in URL configured: one sentence', async () => {
    const page = await open('popup', { state: popupState() });
    await expect(page.getByText("Click the AWS tile in Google's app launcher").isVisible()).resolves.toBe(true);
    expect(await page.getByRole('button', { name: 'Sign in to AWS' }).count()).toBe(0);
    await shot(page, 'popup-no-login');
    await page.close();
  });

  it('no sign-in yet, sign-in URL configured: a button that opens it', async () => {
    const page = await open('popup', { state: popupState({ signInUrl: SIGN_IN_URL }) });
    await page.getByRole('button', { name: 'Sign in to AWS' }).waitFor();
    await shot(page, 'popup-no-login-sign-in');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popup-no-login-sign-in-dark');
    await page.close();
  });

  it('a sign-in that cannot be used: its one sentence', async () => {
    const page = await open('popup', { state: popupState({ login: failedLogin(minutesAgo(1), LOGIN_ERROR_SENTENCE), signInUrl: SIGN_IN_URL }) });
    expect(await page.getByRole('alert').textContent()).toBe(LOGIN_ERROR_SENTENCE);
    await page.getByRole('button', { name: 'Sign in again' }).waitFor();
    await shot(page, 'popup-login-error');
    await page.close();
  });

  it('roles grouped by account, remembered and default profile names', async () => {
    const page = await open('popup', { state: withRoles() });
    await page.getByRole('heading', { name: `sandbox ${SEED_ACCOUNT}` }).waitFor();
    await page.getByRole('heading', { name: '222333444555' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Profile name for saml-init' }).inputValue()).resolves.toBe('sts-temp');
    await expect(page.getByRole('textbox', { name: 'Profile name for Deployer' }).inputValue()).resolves.toBe('sandbox-Deployer');
    await page.getByRole('button', { name: 'Sync saml-init' }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Filter roles' }).count()).toBe(0);
    await shot(page, 'popup-roles');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popup-roles-dark');
    await page.close();
  });

  it('more than 7 roles: a filter box', async () => {
    const page = await open('popup', { state: popupState({ login: okLogin(MANY_ROLES, minutesAgo(1)) }) });
    await expect(page.getByRole('button', { name: /^Sync / }).count()).resolves.toBe(9);
    await shot(page, 'popup-roles-many');
    await page.getByRole('searchbox', { name: 'Filter roles' }).fill('admin');
    await expect(page.getByRole('button', { name: /^Sync / }).count()).resolves.toBe(2);
    await shot(page, 'popup-roles-filtered');
    await page.close();
  });

  it('syncing, then synced with its expiry, then export lines copied (never shown)', async () => {
    const secret = "export AWS_ACCESS_KEY_ID='ASIAUITESTEXAMPLE'\nexport AWS_SECRET_ACCESS_KEY='ui-test-secret'\n";
    const page = await open('popup', { state: withRoles(), syncRole: { mode: 'hold', expiration: inMinutes(59) }, copyEnvText: secret }, false, true);
    await page.getByRole('button', { name: 'Sync saml-init' }).click();
    await page.getByText('Syncing sts-temp…').waitFor();
    await shot(page, 'popup-syncing');

    await page.evaluate(() => (globalThis as unknown as { __uiFake: PageBackgroundHandle }).__uiFake.release());
    const status = page.getByRole('status').filter({ hasText: 'sts-temp' });
    await expect(status.textContent()).resolves.toMatch(/^✓ sts-temp expires \d\d:\d\d, in 59 min$/);
    expect((await fakeCalls(page)).find((c) => c.type === 'syncRole')?.body).toEqual({ roleArn: SEED_ROLE_ARN, profile: 'sts-temp' });
    await shot(page, 'popup-synced');

    await page.getByRole('button', { name: 'Copy as environment variables for sts-temp' }).click();
    await page.getByText(/^Copied export lines for sts-temp \(expires \d\d:\d\d\)\.$/).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __uiClipboard: string[] }).__uiClipboard)).toEqual([secret]);
    const html = await page.content();
    expect(html).not.toContain('ASIAUITESTEXAMPLE');
    expect(html).not.toContain('ui-test-secret');
    await shot(page, 'popup-copied');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popup-copied-dark');
    await page.close();
  });

  it('a failed sync: what went wrong and what to do', async () => {
    const page = await open('popup', { state: withRoles(), syncRole: { mode: 'error', error: SYNC_ERROR_SENTENCE } });
    // By keyboard: Tab from the profile box reaches its Sync button, Enter presses it.
    await page.getByRole('textbox', { name: 'Profile name for Deployer' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sync Deployer');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('alert').textContent()).toBe(SYNC_ERROR_SENTENCE);
    await shot(page, 'popup-sync-error');
    await page.close();
  });

  it('the native host missing: the one command to install it, and the copy fallback', async () => {
    const state = withRoles({
      host: { state: 'missing', message: HOST_MISSING_SENTENCE },
      roleSync: { [SEED_ROLE_ARN]: { ...syncOk(SEED_ROLE_ARN, 'sts-temp', inMinutes(59)) } },
    });
    const page = await open('popup', { state });
    await page.getByRole('heading', { name: 'Install the local helper' }).waitFor();
    await page.getByText(HOST_MISSING_SENTENCE).waitFor();
    expect(await page.locator('.host-missing code').textContent()).toBe('npx aws-saml-sync-host install');
    await page.getByRole('button', { name: 'Copy command' }).waitFor();
    await page.getByText('“Copy as environment variables” still works').waitFor();
    await page.getByRole('button', { name: 'Copy as environment variables for sts-temp' }).waitFor();
    await shot(page, 'popup-host-missing');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popup-host-missing-dark');
    await page.close();
  });

  it('synced profiles with live countdowns, the chained profile under its source', async () => {
    const profiles = [
      ...seedProfiles(inMinutes(42)),
      { profile: 'prod-ro', kind: 'chained' as const, sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::999888777666:role/ReadOnly', expiration: inMinutes(17) },
    ];
    const page = await open('popup', { state: popupState({ settings: SEED_SETTINGS, profiles, signInUrl: SIGN_IN_URL }) });
    const section = page.getByRole('region', { name: 'Synced profiles' });
    await section.waitFor();
    const chained = section.getByRole('list', { name: 'Profiles chained from sts-temp' });
    // The profile's name as shown (its Refresh/Remove buttons also carry it, for screen readers).
    await chained.locator('.profile-name').getByText('dev-env', { exact: true }).waitFor();
    await chained.locator('.profile-name').getByText('prod-ro', { exact: true }).waitFor();
    await expect(section.locator('li.profile.saml .countdown').first().textContent()).resolves.toMatch(/^expires \d\d:\d\d, in 42 min$/);
    await chained.getByText('chained in ~/.aws/config; the AWS CLI refreshes it from sts-temp').waitFor();
    await shot(page, 'popup-profiles');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'popup-profiles-dark');
    await page.close();
  });

  it('a failed automatic sync', async () => {
    const page = await open('popup', {
      state: popupState({
        settings: SEED_SETTINGS,
        lastAutoSyncError: 'The role saml-init is not in your latest sign-in; pick a role in the popup.',
        profiles: seedProfiles(inMinutes(5)),
      }),
    });
    await page.getByText('Automatic sync failed: The role saml-init is not in your latest sign-in; pick a role in the popup.').waitFor();
    await shot(page, 'popup-auto-sync-error');
    await page.close();
  });
});

describe('options page (scripted background)', () => {
  it('the seed workflow filled in, light and dark', async () => {
    const page = await open('options', { state: popupState({ settings: SEED_SETTINGS, login: okLogin(SEED_ROLES, minutesAgo(1)) }) });
    await expect(page.getByLabel('Profile name of mapping 1').inputValue()).resolves.toBe('sts-temp');
    await expect(page.getByLabel('Source profile of chained profile 1').inputValue()).resolves.toBe('sts-temp');
    await expect(page.getByLabel('Role ARN of chained profile 1').inputValue()).resolves.toBe(DEV_ROLE_ARN);
    expect(await page.getByTestId('sign-in-url').textContent()).toBe(SIGN_IN_URL);
    await shot(page, 'options-seed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'options-seed-dark');
    await page.close();
  });

  it("the background's validation sentence", async () => {
    const sentence = 'Profile "sts-temp" is used twice; give each mapping and chain its own profile name.';
    const page = await open('options', { state: popupState({ settings: SEED_SETTINGS }), saveError: sentence });
    await page.getByLabel('Profile name of chained profile 1').fill('sts-temp');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('alert').textContent()).toBe(sentence);
    await shot(page, 'options-error');
    await page.close();
  });
});

describe("AWS's role chooser page", () => {
  it('the content script reads the account names and hands them to the background with the page’s sign-in', async () => {
    // An extension page hears what the content script sends, whether or not the background handles it yet.
    const listener = await open('popup', { state: popupState() });
    await listener.evaluate(() => {
      const g = globalThis as unknown as {
        __heard: unknown[];
        chrome: { runtime: { onMessage: { addListener(l: (m: { type?: string; body?: { aliases?: unknown } }) => void): void } } };
      };
      g.__heard = [];
      g.chrome.runtime.onMessage.addListener((m) => {
        if (m?.type === 'rememberAliases' || m?.type === 'offerSignIn') g.__heard.push({ type: m.type, aliases: m.body?.aliases });
      });
    });
    const aws = await browser.context.newPage();
    await aws.goto('https://signin.aws.amazon.com/saml');
    await aws.getByText('Select a role:').waitFor();
    await expect
      .poll(() => listener.evaluate(() => (globalThis as unknown as { __heard: unknown[] }).__heard), { timeout: 10_000 })
      .toEqual([{ type: 'offerSignIn', aliases: { '111222333444': 'sandbox', '333444555666': 'shared-services' } }]);
    await aws.close();
    await listener.close();
  });
});

describe('through the real background', () => {
  /** Whether the background answers getState yet (its handlers are built alongside these pages). */
  async function backgroundAnswers(): Promise<boolean> {
    const page = await browser.context.newPage();
    try {
      await page.goto(pageUrl('popup'));
      const answer = await page.evaluate(() =>
        Promise.race([
          (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime
            .sendMessage({ kind: 'request', type: 'getState', body: {} })
            .catch(() => undefined),
          new Promise((r) => setTimeout(() => r(undefined), 3000)),
        ]),
      );
      return (answer as { ok?: boolean } | undefined)?.ok === true;
    } finally {
      await page.close();
    }
  }

  let ready = false;
  beforeAll(async () => {
    ready = await backgroundAnswers();
    if (!ready) console.warn('[ui-screenshots] the background does not answer getState yet: skipping the real-background checks');
  });

  it('shows the roles of a sign-in the background holds, with the remembered profile name', async (ctx) => {
    if (!ready) ctx.skip();
    const sw = await browser.serviceWorker();
    const login: CapturedLoginOk = { ...okLogin(SEED_ROLES, new Date().toISOString(), { notOnOrAfter: inMinutes(5) }), samlResponse: 'PHNhbWxwOlJlc3BvbnNlLz4=' };
    await sw.evaluate(
      async ([loginKey, settingsKey, l, s]) => {
        const c = (globalThis as unknown as { chrome: { storage: Record<string, { set(v: object): Promise<void> }> } }).chrome;
        await c.storage.local!.set({ [settingsKey]: s });
        await c.storage.session!.set({ [loginKey]: l });
      },
      [CAPTURED_LOGIN_KEY, SETTINGS_KEY, login, SEED_SETTINGS] as const,
    );
    const page = await open('popup');
    await page.getByRole('heading', { name: `sandbox ${SEED_ACCOUNT}` }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Profile name for saml-init' }).inputValue()).resolves.toBe('sts-temp');
    await page.getByRole('button', { name: 'Sync saml-init' }).waitFor();
    const html = await page.content();
    expect(html).not.toContain('PHNhbWxwOlJlc3BvbnNlLz4='); // the assertion never reaches a page
    await shot(page, 'popup-real-background-roles');
    await page.close();
  });

  it('saves the seed workflow typed into the options page', async (ctx) => {
    if (!ready) ctx.skip();
    const sw = await browser.serviceWorker();
    await sw.evaluate(
      async (key) => {
        const c = (globalThis as unknown as { chrome: { storage: { local: { remove(k: string): Promise<void> } } } }).chrome;
        await c.storage.local.remove(key);
      },
      SETTINGS_KEY,
    );
    const page = await open('options');
    await page.getByLabel('Google idpid').fill('C01abc2de');
    await page.getByLabel('Google spid').fill('123456789012');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await page.getByLabel('Role ARN of mapping 1').fill(SEED_ROLE_ARN);
    await page.getByLabel('Profile name of mapping 1').fill('sts-temp');
    await page.getByRole('button', { name: 'Add chained profile' }).click();
    await page.getByLabel('Profile name of chained profile 1').fill('dev-env');
    await page.getByLabel('Source profile of chained profile 1').fill('sts-temp');
    await page.getByLabel('Role ARN of chained profile 1').fill(DEV_ROLE_ARN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const stored = await sw.evaluate(async (key) => {
      const c = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome;
      return (await c.storage.local.get(key))[key];
    }, SETTINGS_KEY);
    expect(stored).toMatchObject({
      googleIdpId: 'C01abc2de',
      googleSpId: '123456789012',
      mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: true }],
      chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: DEV_ROLE_ARN, resolveNow: false }],
    });
    await page.getByTestId('sign-in-url').waitFor();
    await shot(page, 'options-real-background-saved');
    await page.close();
  });
});
