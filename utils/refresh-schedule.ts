/**
 * When to refresh profiles through the IdP session (silent refresh). Pure: no browser API, no clock of its own; the
 * background (entrypoints/background/refresh.ts) feeds it the profiles the host lists and the attempts it made, and
 * turns the answer into one `browser.alarms` alarm.
 *
 * Rules:
 * - a profile with an expiry is due at `expiry − lead`, never sooner than 60 s after the last attempt (no loops);
 * - after failures the gap grows 1, 2, 4, 8, 16, 30, 30 … minutes;
 * - nothing is tried at or after a profile's expiry (the person has to sign in; a captured login starts it again);
 * - one refresh serves every profile (one assertion, every mapping and chain), so the alarm is the soonest due time.
 */

export const MIN_GAP_MS = 60_000;
export const MAX_BACKOFF_MS = 30 * 60_000;
export const DEFAULT_LEAD_MINUTES = 10;
export const MIN_LEAD_MINUTES = 1;
export const MAX_LEAD_MINUTES = 60;

/** What the background remembers between attempts (storage.local: no secrets, survives a browser restart). */
export interface RefreshState {
  /** ms since epoch of the last attempt (successful or not). */
  lastAttemptAt?: number;
  /** Attempts that failed in a row since the last success. */
  failures: number;
  /** Set when the last attempt found the IdP wanting the person (login page, MFA, chooser …). */
  needsYou?: { since: number; reason: RefreshFailureKind };
  /** The expiry (ISO) a "sign in again" notification was shown for: one per expiry. */
  notifiedFor?: string;
  /** One sentence about the last failure (no secrets), for the popup. */
  lastFailure?: string;
}

export const INITIAL_REFRESH_STATE: RefreshState = { failures: 0 };

export interface ScheduledProfile {
  profile: string;
  /** ISO 8601 */
  expiration?: string;
}

export type RefreshFailureKind =
  | 'sign-in' // login page, session ended
  | 'account-chooser'
  | 'mfa'
  | 'consent'
  | 'captcha'
  | 'no-form' // an answer without the auto-post form
  | 'http-error'
  | 'timeout'
  | 'offline'
  | 'sync-failed'; // the assertion was fine, STS or the host refused

/** Failures that mean the IdP (or the network) is not giving an assertion without the person. */
export const NEEDS_PERSON: readonly RefreshFailureKind[] = ['sign-in', 'account-chooser', 'mfa', 'consent', 'captcha', 'no-form'];

export function backoffMs(failures: number): number {
  if (failures <= 0) return MIN_GAP_MS;
  return Math.min(MAX_BACKOFF_MS, MIN_GAP_MS * 2 ** (failures - 1));
}

export function clampLeadMinutes(minutes: number | undefined): number {
  if (minutes === undefined || !Number.isFinite(minutes)) return DEFAULT_LEAD_MINUTES;
  return Math.min(MAX_LEAD_MINUTES, Math.max(MIN_LEAD_MINUTES, Math.round(minutes)));
}

/** When this profile should be refreshed next, or undefined when it will not be (no expiry, or expired by then). */
export function nextRefreshOf(profile: ScheduledProfile, state: RefreshState, leadMinutes: number, now: number): number | undefined {
  const expiry = profile.expiration ? Date.parse(profile.expiration) : NaN;
  if (!Number.isFinite(expiry)) return undefined;
  const wanted = expiry - clampLeadMinutes(leadMinutes) * 60_000;
  const floor = state.lastAttemptAt === undefined ? -Infinity : state.lastAttemptAt + backoffMs(state.failures);
  const at = Math.max(wanted, floor, state.lastAttemptAt === undefined ? now : -Infinity);
  return at < expiry ? at : undefined;
}

export interface RefreshPlan {
  /** The soonest time any profile is due (the alarm), or undefined for none. */
  at?: number;
  /** Per profile: its next refresh, or undefined when it waits for the person. */
  byProfile: Record<string, number | undefined>;
}

export function planRefresh(profiles: readonly ScheduledProfile[], state: RefreshState, leadMinutes: number, now: number): RefreshPlan {
  const byProfile: Record<string, number | undefined> = {};
  let at: number | undefined;
  for (const p of profiles) {
    const next = nextRefreshOf(p, state, leadMinutes, now);
    byProfile[p.profile] = next;
    if (next !== undefined && (at === undefined || next < at)) at = next;
  }
  return { at, byProfile };
}

/** The state after an attempt. */
export function afterAttempt(state: RefreshState, outcome: { ok: true } | { ok: false; kind: RefreshFailureKind }, now: number): RefreshState {
  if (outcome.ok) return { failures: 0, lastAttemptAt: now, notifiedFor: state.notifiedFor };
  const needsYou = NEEDS_PERSON.includes(outcome.kind) ? { since: state.needsYou?.since ?? now, reason: outcome.kind } : state.needsYou;
  return { ...state, lastAttemptAt: now, failures: state.failures + 1, needsYou };
}

/**
 * Whether to show "sign in again" now: the IdP wants the person, and no notification was shown for this expiry
 * yet (the soonest one among the profiles). Offline, timeouts and HTTP errors never notify: they are retried.
 */
export function shouldNotify(state: RefreshState, soonestExpiry: string | undefined): boolean {
  return state.needsYou !== undefined && soonestExpiry !== undefined && state.notifiedFor !== soonestExpiry;
}

/** A captured login (the person signed in) clears "needs you" and the backoff; the 60 s floor stays. */
export function afterCapturedLogin(state: RefreshState): RefreshState {
  return { failures: 0, lastAttemptAt: state.lastAttemptAt, notifiedFor: state.notifiedFor };
}
