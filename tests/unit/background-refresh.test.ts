/**
 * The background's silent refresh (entrypoints/background/refresh.ts) on WXT's fake browser, with a fake IdP fetch
 * and a fake host: what it fetches, that an IdP wanting the person writes nothing and notifies once per expiry,
 * that offline, timeouts and HTTP errors never notify, that a good answer takes the captured login's path, and that
 * turning refresh off gives the host permission back.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { SETTINGS_KEY, validateSettings } from '@/utils/settings';
import type { HostAccess } from '@/entrypoints/background/host';
import { buildSamlResponse } from '../support/saml-fixtures';
import { accountChooserPage, autoPostPage, loginPage, mfaPage } from '../support/journey-stand-ins';

const autoSync = vi.fn(async (..._args: unknown[]) => ({ roles: [], chains: [], held: {} }));
vi.mock('@/entrypoints/background/sync', () => ({
  autoSync: (...args: unknown[]) => autoSync(...args),
  firstFailure: () => undefined,
}));
const { createRefresher, loadRefreshState, refreshBadgeProblem, REFRESH_ALARM, REFRESH_NOTIFICATION } = await import('@/entrypoints/background/refresh');
const { currentLogin } = await import('@/entrypoints/background/login-store');
const { setKnownProfiles } = await import('@/entrypoints/background/session-state');

const SIGN_IN = 'https://accounts.google.com/o/saml2/initsso?idpid=C0saml5ync&spid=246813579&forceauthn=false';
const EXPIRES = () => new Date(Date.now() + 10 * 60_000).toISOString();
const SETTINGS = validateSettings({
  version: 1,
  googleIdpId: 'C0saml5ync',
  googleSpId: '246813579',
  refreshEnabled: true,
  refreshLeadMinutes: 60,
  refreshAuthUser: { [SIGN_IN]: 1 },
  mappings: [{ roleArn: 'arn:aws:iam::111222333444:role/saml-init', profile: 'sts-temp', autoSync: true }],
});

const host: HostAccess = {
  status: async () => ({ state: 'ok' }),
  writeProfiles: vi.fn(async () => undefined),
  listProfiles: async () => [{ profile: 'sts-temp', kind: 'saml', expiration: EXPIRES() }],
  removeProfiles: async () => [],
};

function answer(body: string, status = 200, url = SIGN_IN): Response {
  const r = new Response(body, { status, headers: { 'content-type': 'text/html' } });
  Object.defineProperty(r, 'url', { value: url });
  return r;
}

async function setup(fetch: (url: string, init?: RequestInit) => Promise<Response>) {
  const changed = vi.fn(async () => undefined);
  const calls: { url: string; init?: RequestInit }[] = [];
  const refresher = createRefresher({
    host,
    changed,
    fetch: (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return fetch(url, init);
    }) as typeof globalThis.fetch,
  });
  refresher.listen();
  await browser.storage.local.set({ [SETTINGS_KEY]: SETTINGS });
  await setKnownProfiles([{ profile: 'sts-temp', kind: 'saml', expiration: EXPIRES() }]);
  return { refresher, calls, changed };
}

const notificationsShown = vi.spyOn(fakeBrowser.notifications, 'create');

beforeEach(() => {
  fakeBrowser.reset();
  autoSync.mockClear();
  notificationsShown.mockClear();
  vi.mocked(host.writeProfiles).mockClear();
});

describe('silent refresh in the background', () => {
  it('fetches the sign-in URL with the browser cookies and the chosen account, and syncs the assertion like a captured one', async () => {
    const saml = buildSamlResponse({ dialect: 'google', roles: [{ roleArn: 'arn:aws:iam::111222333444:role/saml-init', principalArn: 'arn:aws:iam::111222333444:saml-provider/G' }] });
    const { refresher, calls } = await setup(async () => answer(autoPostPage(saml)));
    expect(await refresher.refreshNow()).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${SIGN_IN}&authuser=1`);
    expect(calls[0]!.init).toMatchObject({ credentials: 'include', redirect: 'follow' });
    expect(autoSync).toHaveBeenCalledOnce();
    const login = autoSync.mock.calls[0]![0] as { samlResponse: string; url: string };
    expect(login.samlResponse).toBe(saml);
    expect(login.url).toBe('https://signin.aws.amazon.com/saml');
    // Kept where a captured login is kept, so it is forgotten as soon as a captured one would be.
    expect((await currentLogin.getValue())?.ok).toBe(true);
    expect((await loadRefreshState()).failures).toBe(0);
    expect(notificationsShown).not.toHaveBeenCalled();
  });

  it.each([
    ['the login page', () => answer(loginPage(SIGN_IN), 200, 'https://accounts.google.com/ServiceLogin?continue=x'), 'sign-in'],
    ['the account chooser', () => answer(accountChooserPage(['a', 'b']), 200, 'https://accounts.google.com/AccountChooser'), 'account-chooser'],
    ['2-Step Verification', () => answer(mfaPage()), 'mfa'],
  ])('%s: nothing written, "needs you", one notification per expiry', async (_label, page, reason) => {
    const { refresher } = await setup(async () => page());
    expect(await refresher.refreshNow()).toMatchObject({ ok: false, kind: reason });
    expect(await refresher.refreshNow()).toMatchObject({ ok: false, kind: reason });
    expect(autoSync).not.toHaveBeenCalled();
    expect(host.writeProfiles).not.toHaveBeenCalled();
    expect(notificationsShown).toHaveBeenCalledOnce();
    expect(notificationsShown.mock.calls[0]![0]).toBe(REFRESH_NOTIFICATION);
    const state = await loadRefreshState();
    expect(state.needsYou?.reason).toBe(reason);
    expect(state.failures).toBe(2);
    // The next try waits for the backoff (2 min after the second failure), not a loop. (index.ts reschedules in
    // `changed`, which is faked here.)
    await refresher.reschedule([{ profile: 'sts-temp', kind: 'saml', expiration: EXPIRES() }]);
    const alarm = await browser.alarms.get(REFRESH_ALARM);
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(110_000);
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it('a click on the notification opens the sign-in URL in a tab', async () => {
    const { refresher } = await setup(async () => answer(loginPage(SIGN_IN)));
    await refresher.refreshNow();
    const created = vi.spyOn(fakeBrowser.tabs, 'create');
    await fakeBrowser.notifications.onClicked.trigger(REFRESH_NOTIFICATION);
    await vi.waitFor(() => expect(created).toHaveBeenCalledWith({ url: `${SIGN_IN}&authuser=1`, active: true }));
  });

  it.each([
    ['offline', () => Promise.reject(new TypeError('Failed to fetch')), 'offline', true],
    ['a timeout', () => Promise.reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), 'timeout', false],
    ['HTTP 500', () => Promise.resolve(answer('<h1>Server Error</h1>', 500)), 'http-error', false],
  ])('%s: retried by the backoff, never a notification, the badge says so', async (_label, fail, kind, offline) => {
    if (offline) vi.stubGlobal('navigator', { onLine: false });
    try {
      const { refresher } = await setup(fail);
      for (let i = 0; i < 3; i++) expect(await refresher.refreshNow()).toMatchObject({ ok: false, kind });
      expect(notificationsShown).not.toHaveBeenCalled();
      const state = await loadRefreshState();
      expect(state.failures).toBe(3);
      expect(state.needsYou).toBeUndefined();
      expect(await refreshBadgeProblem()).toBe(state.lastFailure);
      expect(state.lastFailure).toMatch(/^\S.*\.$/);
      await refresher.loginSynced();
      expect(await refreshBadgeProblem()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('reschedules on one alarm from the profiles listed, and a captured login clears "needs you"', async () => {
    const { refresher } = await setup(async () => answer(loginPage(SIGN_IN)));
    await refresher.refreshNow();
    await refresher.reschedule([{ profile: 'sts-temp', kind: 'saml', expiration: EXPIRES() }]);
    const alarm = await browser.alarms.get(REFRESH_ALARM);
    expect(alarm!.scheduledTime).toBeGreaterThanOrEqual(Date.now() + 50_000);
    expect(alarm!.scheduledTime).toBeLessThanOrEqual(Date.now() + 61_000);
    await refresher.loginSynced();
    expect((await loadRefreshState()).needsYou).toBeUndefined();
  });

  it('a browser start rebuilds the alarm from what the host lists (nothing held in memory survives)', async () => {
    await setup(async () => answer(loginPage(SIGN_IN)));
    // The settings written by setup reschedule on their own; let that finish, then lose what a restart loses: the
    // session's memory and (Chrome may drop them) the alarms.
    await vi.waitFor(async () => expect(await browser.alarms.get(REFRESH_ALARM)).toBeDefined());
    await fakeBrowser.storage.session.clear();
    await browser.alarms.clearAll();
    await fakeBrowser.runtime.onStartup.trigger();
    // 10 min left, 60 min lead, nothing tried yet: due at once (an alarm a second from now).
    await vi.waitFor(async () => expect((await browser.alarms.get(REFRESH_ALARM))?.scheduledTime).toBeLessThanOrEqual(Date.now() + 1_000));
  });

  it('turning refresh off gives the IdP host permission back and clears the alarm', async () => {
    const removed = vi.fn(async () => true);
    (fakeBrowser as unknown as { permissions: { remove: unknown } }).permissions.remove = removed;
    const { refresher } = await setup(async () => answer(loginPage(SIGN_IN)));
    await refresher.reschedule([{ profile: 'sts-temp', kind: 'saml', expiration: EXPIRES() }]);
    expect(await browser.alarms.get(REFRESH_ALARM)).toBeDefined();
    await browser.storage.local.set({ [SETTINGS_KEY]: { ...SETTINGS, refreshEnabled: false } });
    await vi.waitFor(async () => expect(await browser.alarms.get(REFRESH_ALARM)).toBeUndefined());
    expect(removed).toHaveBeenCalledWith({ origins: ['https://accounts.google.com/*'] });
  });
});
