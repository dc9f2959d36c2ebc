/**
 * Silent refresh: before profiles expire, get a fresh assertion from the IdP session the browser already has and
 * run it through the same path as a captured login (parse → every auto-synced mapping and chain → one host write).
 *
 * - Schedule: utils/refresh-schedule.ts (pure). One alarm (`browser.alarms`, so it survives the worker sleeping),
 *   rebuilt at browser start-up and after every sync from what the host lists.
 * - Assertion: a `fetch(signInUrl, {credentials: 'include'})` read with utils/saml-form.ts, never posted to AWS; or,
 *   with "Refresh in a background tab", an inactive tab whose POST the usual capture takes (closed after 20 s).
 * - It counts as trusted because it came from the configured sign-in URL; it is kept as the current login, so it
 *   is forgotten as soon as a captured one would be (entrypoints/background/capture.ts forgetStaleAssertion).
 * - When the IdP wants the person: nothing is written, the badge says so, one notification per expiry, whose
 *   click opens the sign-in URL in a tab, where the normal capture completes it.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { t, translate } from '@/i18n/translate';
import type { MessageKey } from '@/utils/localized-text';
import type { SamlEndpoint } from '@/utils/aws-endpoints';
import type { ManagedProfile, RefreshView } from '@/utils/messages';
import { refreshOriginsFor, refreshUrlOf } from '@/utils/refresh-access';
import {
  afterAttempt,
  afterCapturedLogin,
  INITIAL_REFRESH_STATE,
  planRefresh,
  shouldNotify,
  type RefreshFailureKind,
  type RefreshState,
  type ScheduledProfile,
} from '@/utils/refresh-schedule';
import { parseSamlForm } from '@/utils/saml-form';
import { SETTINGS_KEY, signInUrlOf, type Settings } from '@/utils/settings';
import { chainsHangingOff } from '@/utils/sync-plan';
import type { HostAccess } from './host';
import { handleSamlPost } from './capture';
import { knownProfiles } from './session-state';
import { loadSettings } from './settings-store';
import { autoSync, firstFailure } from './sync';

export const REFRESH_ALARM = 'silent-refresh';
export const REFRESH_NOTIFICATION = 'aws-saml-sync-refresh';
/** Attempts and back-off between worker runs and browser restarts (no secrets). */
const refreshStateItem = storage.defineItem<RefreshState>('local:refreshState', { fallback: INITIAL_REFRESH_STATE });
/** How long the IdP may take to answer before the attempt counts as a timeout. */
export const REFRESH_FETCH_TIMEOUT_MS = 15_000;
/** How long a background tab may take to post the assertion. */
export const REFRESH_TAB_TIMEOUT_MS = 20_000;

const WANTS_KEY: Record<RefreshFailureKind, MessageKey> = {
  'sign-in': 'refresh.wants.signIn',
  'account-chooser': 'refresh.wants.accountChooser',
  mfa: 'refresh.wants.mfa',
  consent: 'refresh.wants.consent',
  captcha: 'refresh.wants.captcha',
  'no-form': 'refresh.wants.noForm',
  'http-error': 'refresh.wants.httpError',
  timeout: 'refresh.wants.timeout',
  offline: 'refresh.wants.offline',
  'sync-failed': 'refresh.wants.syncFailed',
};

/** What the IdP (or the machine) wants when a refresh of this kind failed, as one clause, in the UI language. */
export function wantsSentence(kind: RefreshFailureKind): string {
  return translate({ key: WANTS_KEY[kind] });
}

function needsYouSentence(kind: RefreshFailureKind): string {
  return t('refresh.needsYou', { why: wantsSentence(kind) });
}

export async function loadRefreshState(): Promise<RefreshState> {
  const stored = await refreshStateItem.getValue();
  // A value some earlier build wrote in another shape starts over rather than breaking the schedule.
  return stored && typeof stored === 'object' && typeof stored.failures === 'number' ? stored : INITIAL_REFRESH_STATE;
}

async function saveRefreshState(state: RefreshState): Promise<void> {
  await refreshStateItem.setValue(state);
}

/** The profiles refresh keeps fresh: auto-synced mappings and the chains with keys hanging off them, with expiry. */
export function refreshedProfiles(settings: Settings, listed: readonly ManagedProfile[]): ScheduledProfile[] {
  const bases = settings.mappings.filter((m) => m.autoSync).map((m) => m.profile);
  const chained = chainsHangingOff(bases, settings.chains)
    .filter((c) => c.resolveNow)
    .map((c) => c.profile);
  const wanted = new Set([...bases, ...chained]);
  return listed.filter((p) => wanted.has(p.profile) && p.expiration).map((p) => ({ profile: p.profile, expiration: p.expiration }));
}

function isOn(settings: Settings): boolean {
  return settings.refreshEnabled && signInUrlOf(settings) !== undefined;
}

function soonestExpiry(profiles: readonly ScheduledProfile[], now: number): string | undefined {
  const live = profiles.filter((p) => p.expiration && Date.parse(p.expiration) > now).sort((a, b) => Date.parse(a.expiration!) - Date.parse(b.expiration!));
  return live[0]?.expiration;
}

/** What the popup and options page show. */
export async function refreshView(settings: Settings, listed: readonly ManagedProfile[], now = Date.now()): Promise<RefreshView> {
  const state = await loadRefreshState();
  const profiles = refreshedProfiles(settings, listed);
  const enabled = isOn(settings);
  const plan = planRefresh(profiles, state, settings.refreshLeadMinutes, now);
  const next = Object.fromEntries(
    profiles.map((p) => [p.profile, enabled && !state.needsYou && plan.byProfile[p.profile] !== undefined ? new Date(plan.byProfile[p.profile]!).toISOString() : undefined]),
  );
  const failedOther = !state.needsYou && state.failures > 0 && state.lastFailure ? state.lastFailure : undefined;
  return {
    enabled,
    profiles: profiles.map((p) => p.profile),
    next,
    needsYou: enabled && state.needsYou ? needsYouSentence(state.needsYou.reason) : undefined,
    lastFailure: enabled ? failedOther : undefined,
  };
}

/**
 * The sentence for the badge's "!" while refresh is on and not keeping up: the IdP wants the person, or the last
 * try failed otherwise (offline, a timeout, an HTTP error; retried by itself, without a notification). Else undefined.
 */
export async function refreshBadgeProblem(): Promise<string | undefined> {
  const [settings, state] = await Promise.all([loadSettings(), loadRefreshState()]);
  if (!isOn(settings)) return undefined;
  if (state.needsYou) return needsYouSentence(state.needsYou.reason);
  return state.failures > 0 ? state.lastFailure : undefined;
}

type Attempt = { ok: true } | { ok: false; kind: RefreshFailureKind; why: string };

export interface RefresherDeps {
  host: HostAccess;
  /** After a refresh: broadcast the state and set the badge (index.ts `changed`). */
  changed: () => Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
}

export function createRefresher(deps: RefresherDeps) {
  const now = deps.now ?? (() => Date.now());
  const doFetch = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let running: Promise<Attempt> | undefined;
  let tabWaiter: (() => void) | undefined;

  async function setAlarm(at: number | undefined): Promise<void> {
    if (at === undefined) await browser.alarms.clear(REFRESH_ALARM);
    // Chrome and Firefox fire an alarm whose time has passed at once.
    else await browser.alarms.create(REFRESH_ALARM, { when: Math.max(at, now() + 1_000) });
  }

  /** Sets the one alarm from the profiles the host listed (or, without them, the ones it listed last). */
  async function reschedule(listed?: readonly ManagedProfile[], settings?: Settings): Promise<void> {
    const s = settings ?? (await loadSettings());
    if (!isOn(s)) return setAlarm(undefined);
    const profiles = refreshedProfiles(s, listed ?? (await knownProfiles()));
    const state = await loadRefreshState();
    await setAlarm(planRefresh(profiles, state, s.refreshLeadMinutes, now()).at);
  }

  type Fetched = { ok: true; samlResponse: string; action: string; endpoint: SamlEndpoint } | Extract<Attempt, { ok: false }>;

  async function fetchAssertion(url: string): Promise<Fetched> {
    let response: Response;
    try {
      response = await doFetch(url, {
        credentials: 'include',
        redirect: 'follow',
        cache: 'no-store',
        signal: AbortSignal.timeout(REFRESH_FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, kind: 'timeout', why: t('refresh.why.timeout') };
      if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, kind: 'offline', why: t('refresh.why.offline') };
      return { ok: false, kind: 'http-error', why: t('refresh.why.unreachable') };
    }
    if (!response.ok) return { ok: false, kind: 'http-error', why: t('refresh.why.httpStatus', { status: response.status }) };
    let html: string;
    try {
      html = await response.text();
    } catch {
      return { ok: false, kind: 'timeout', why: t('refresh.why.slowAnswer') };
    }
    const form = parseSamlForm(html, response.url || url);
    return form.ok ? form : { ok: false, kind: form.wants, why: translate(form.why) };
  }

  async function viaFetch(settings: Settings, url: string): Promise<Attempt> {
    const got = await fetchAssertion(url);
    if (!got.ok) return got;
    // The captured login's own path (same parser, same trust rule, one queue), so it is forgotten as soon as a
    // captured one would be; it counts because it came from the configured sign-in URL itself.
    const taken = await handleSamlPost(
      { requestId: `refresh-${now()}`, url: got.action, method: 'POST', timeStamp: now(), requestBody: { formData: { SAMLResponse: [got.samlResponse] } }, initiator: url },
      async () => ({ signInUrl: url, confirmedOrigins: [] }),
    );
    if (taken.kind !== 'captured' || !taken.login.ok) {
      const why = taken.kind === 'captured' && !taken.login.ok ? taken.login.error : t('refresh.why.unreadable');
      return { ok: false, kind: 'no-form', why };
    }
    const login = taken.login;
    const outcome = await autoSync(login, settings, deps.host);
    const failure = outcome && firstFailure(outcome);
    return failure ? { ok: false, kind: 'sync-failed', why: failure } : { ok: true };
  }

  async function viaTab(url: string): Promise<Attempt> {
    const captured = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), REFRESH_TAB_TIMEOUT_MS);
      tabWaiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    const tab = await browser.tabs.create({ url, active: false });
    try {
      return (await captured) ? { ok: true } : { ok: false, kind: 'sign-in', why: t('refresh.why.noTabSignIn') };
    } finally {
      tabWaiter = undefined;
      if (tab.id !== undefined) await browser.tabs.remove(tab.id).catch(() => undefined);
    }
  }

  async function attempt(): Promise<Attempt> {
    const settings = await loadSettings();
    const url = refreshUrlOf(settings);
    if (!url) return { ok: false, kind: 'no-form', why: t('refresh.why.noUrl') };
    // The attempt is on record before anything else: a worker that dies half-way does not retry in a loop.
    const started = now();
    await saveRefreshState({ ...(await loadRefreshState()), lastAttemptAt: started });
    const result = settings.refreshInBackgroundTab ? await viaTab(url) : await viaFetch(settings, url);
    let state = afterAttempt(await loadRefreshState(), result.ok ? result : { ok: false, kind: result.kind }, started);
    state = result.ok ? { ...state, lastFailure: undefined } : { ...state, lastFailure: t('refresh.failure', { why: wantsSentence(result.kind), detail: result.why }) };
    const listed = await knownProfiles();
    const soonest = soonestExpiry(refreshedProfiles(settings, listed), now());
    if (!result.ok && shouldNotify(state, soonest)) {
      state = { ...state, notifiedFor: soonest };
      await notifyNeedsYou(result.kind);
    }
    await saveRefreshState(state);
    await deps.changed();
    return result;
  }

  /** One attempt at a time; a second caller waits for the one running. */
  function refreshNow(): Promise<Attempt> {
    running ??= attempt().finally(() => (running = undefined));
    return running;
  }

  async function notifyNeedsYou(kind: RefreshFailureKind): Promise<void> {
    const profiles = (await loadSettings()).mappings.filter((m) => m.autoSync).map((m) => m.profile);
    await browser.notifications
      .create(REFRESH_NOTIFICATION, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title: t('notify.refreshTitle'),
        message: t('notify.refreshMessage', { why: wantsSentence(kind), profiles: profiles.join(', ') || t('notify.yourProfiles') }),
      })
      .catch(() => undefined);
  }

  async function openSignIn(): Promise<void> {
    const url = refreshUrlOf(await loadSettings());
    if (url) await browser.tabs.create({ url, active: true });
  }

  /** Registers the listeners; call synchronously while the worker starts (an alarm may be what woke it). */
  function listen(): void {
    browser.alarms.onAlarm.addListener((alarm) => {
      // An alarm left from before refresh was turned off does nothing.
      if (alarm.name === REFRESH_ALARM) void loadSettings().then(async (s) => {
          if (isOn(s)) await refreshNow();
          else await setAlarm(undefined);
        });
    });
    browser.notifications.onClicked.addListener((id) => {
      if (id !== REFRESH_NOTIFICATION) return;
      void browser.notifications.clear(id).catch(() => undefined);
      void openSignIn();
    });
    // Offline: the backoff retries, and where the background hears the network come back (Firefox's background
    // page; Chrome's service worker has no such event), it tries at once.
    (globalThis as { addEventListener?: (type: string, listener: () => void) => void }).addEventListener?.('online', () => {
      void loadRefreshState().then((state) => {
        if (state.lastFailure?.startsWith(wantsSentence('offline'))) void refreshNow();
      });
    });
    // A browser start: rebuild the alarm from what the host lists.
    browser.runtime.onStartup.addListener(() => void rescheduleFromHost());
    browser.runtime.onInstalled.addListener(() => void rescheduleFromHost());
    browser.storage.onChanged.addListener((changes, area) => {
      if (area !== 'local' || !changes[SETTINGS_KEY]) return;
      const before = changes[SETTINGS_KEY].oldValue as Partial<Settings> | undefined;
      const after = changes[SETTINGS_KEY].newValue as Partial<Settings> | undefined;
      void settingsChanged(before, after);
    });
  }

  async function rescheduleFromHost(): Promise<void> {
    const settings = await loadSettings();
    if (!isOn(settings)) return setAlarm(undefined);
    const listed = (await deps.host.status()).state === 'ok' ? await deps.host.listProfiles().catch(() => undefined) : undefined;
    await reschedule(listed, settings);
  }

  async function settingsChanged(before: Partial<Settings> | undefined, after: Partial<Settings> | undefined): Promise<void> {
    const wasOn = !!before?.refreshEnabled;
    const isOnNow = !!after?.refreshEnabled;
    if (wasOn && !isOnNow) {
      // Turning refresh off gives the IdP's host permission back.
      const oldUrl = before && signInUrlOf(before as Settings);
      const origins = oldUrl ? refreshOriginsFor(oldUrl) : undefined;
      if (origins) await browser.permissions.remove({ origins }).catch(() => undefined);
      await saveRefreshState(INITIAL_REFRESH_STATE);
    }
    await reschedule();
  }

  return {
    listen,
    reschedule,
    refreshNow,
    /** A login the person made (captured, trusted) was synced: "needs you" and the backoff are over. */
    async loginSynced(): Promise<void> {
      tabWaiter?.();
      const state = await loadRefreshState();
      if (state.needsYou || state.failures > 0) await saveRefreshState({ ...afterCapturedLogin(state), lastFailure: undefined });
    },
  };
}

export type Refresher = ReturnType<typeof createRefresher>;
