/**
 * The silent refresh schedule (utils/refresh-schedule.ts), driven with vitest's fake clock: the lead, the 60 s floor,
 * the backoff, a restart (state from storage), expiry, several profiles, one notification per expiry.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  afterAttempt,
  afterCapturedLogin,
  backoffMs,
  clampLeadMinutes,
  INITIAL_REFRESH_STATE,
  planRefresh,
  shouldNotify,
  type RefreshState,
} from '../../utils/refresh-schedule';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

/** Runs the schedule like the background does: wait for the alarm, attempt, repeat; returns the attempt times. */
function run(
  expiry: () => string,
  outcome: (n: number) => { ok: true } | { ok: false; kind: 'sign-in' | 'offline' | 'http-error' },
  lead: number,
  until: number,
  state: RefreshState = INITIAL_REFRESH_STATE,
): { attempts: number[]; state: RefreshState } {
  const attempts: number[] = [];
  for (;;) {
    const plan = planRefresh([{ profile: 'sts-temp', expiration: expiry() }], state, lead, Date.now());
    if (plan.at === undefined || plan.at > until) return { attempts, state };
    vi.setSystemTime(Math.max(plan.at, Date.now()));
    attempts.push(Date.now() - T0);
    state = afterAttempt(state, outcome(attempts.length), Date.now());
  }
}

describe('when a profile is refreshed', () => {
  it('is due lead minutes before expiry', () => {
    const plan = planRefresh([{ profile: 'sts-temp', expiration: iso(T0 + 60 * MIN) }], INITIAL_REFRESH_STATE, 10, T0);
    expect(plan.at).toBe(T0 + 50 * MIN);
    expect(plan.byProfile['sts-temp']).toBe(T0 + 50 * MIN);
  });

  it('is due at once when expiry − lead has passed and nothing was tried yet', () => {
    expect(planRefresh([{ profile: 'p', expiration: iso(T0 + 15 * MIN) }], INITIAL_REFRESH_STATE, 60, T0).at).toBe(T0);
  });

  it('never sooner than 60 s after the last attempt, however large the lead', () => {
    const state = afterAttempt(INITIAL_REFRESH_STATE, { ok: true }, T0);
    expect(planRefresh([{ profile: 'p', expiration: iso(T0 + 15 * MIN) }], state, 60, T0).at).toBe(T0 + MIN);
  });

  it('with 900 s credentials and a 60 min lead: once a minute, each success giving a later expiry', () => {
    let expiry = T0 + 15 * MIN;
    const { attempts } = run(
      () => iso(expiry),
      () => {
        expiry = Date.now() + 15 * MIN;
        return { ok: true };
      },
      60,
      T0 + 5 * MIN,
    );
    expect(attempts).toEqual([0, 1, 2, 3, 4, 5].map((m) => m * MIN));
  });

  it('backs off 1, 2, 4, 8, 16, 30, 30 min after failures and stops at expiry', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(backoffMs)).toEqual([1, 1, 2, 4, 8, 16, 30, 30, 30].map((m) => m * MIN));
    const expiry = iso(T0 + 12 * 60 * MIN);
    const { attempts } = run(() => expiry, () => ({ ok: false, kind: 'sign-in' }), 60, T0 + 24 * 60 * MIN);
    const gaps = attempts.slice(1).map((t, i) => (t - attempts[i]!) / MIN);
    expect(attempts[0]).toBe(11 * 60 * MIN);
    // The next gap (30 min, after 31 min of trying) would end past the expiry: no attempt then.
    expect(gaps).toEqual([1, 2, 4, 8, 16]);
    // Nothing at or after expiry.
    expect(Math.max(...attempts)).toBeLessThan(12 * 60 * MIN);
  });

  it('keeps its place after a restart: the state comes back from storage as plain JSON', () => {
    let state = afterAttempt(INITIAL_REFRESH_STATE, { ok: false, kind: 'http-error' }, T0);
    state = afterAttempt(state, { ok: false, kind: 'http-error' }, T0 + MIN);
    const restored = JSON.parse(JSON.stringify(state)) as RefreshState;
    vi.setSystemTime(T0 + 90_000); // the browser comes back 30 s later
    const plan = planRefresh([{ profile: 'p', expiration: iso(T0 + 60 * MIN) }], restored, 60, Date.now());
    expect(plan.at).toBe(T0 + MIN + 2 * MIN);
  });

  it('an expired profile waits for the person; a captured login starts it again', () => {
    let state = afterAttempt(INITIAL_REFRESH_STATE, { ok: false, kind: 'sign-in' }, T0);
    expect(planRefresh([{ profile: 'p', expiration: iso(T0 + 30_000) }], state, 10, T0).at).toBeUndefined();
    state = afterCapturedLogin(state);
    expect(state.needsYou).toBeUndefined();
    expect(state.failures).toBe(0);
    expect(planRefresh([{ profile: 'p', expiration: iso(T0 + 60 * MIN) }], state, 10, T0).at).toBe(T0 + 50 * MIN);
  });

  it('several profiles: the alarm is the soonest due one; profiles without an expiry are left out', () => {
    const plan = planRefresh(
      [
        { profile: 'long', expiration: iso(T0 + 8 * 60 * MIN) },
        { profile: 'chain', expiration: iso(T0 + 60 * MIN) },
        { profile: 'config-only' },
      ],
      INITIAL_REFRESH_STATE,
      10,
      T0,
    );
    expect(plan.at).toBe(T0 + 50 * MIN);
    expect(plan.byProfile).toEqual({ long: T0 + 470 * MIN, chain: T0 + 50 * MIN, 'config-only': undefined });
  });

  it('the lead is 1 to 60 minutes, default 10', () => {
    expect([undefined, 0, 1, 30, 61, Number.NaN].map(clampLeadMinutes)).toEqual([10, 1, 1, 30, 60, 10]);
  });
});

describe('notifications', () => {
  it('one per expiry, only when the IdP wants the person, never for offline', () => {
    const offline = afterAttempt(INITIAL_REFRESH_STATE, { ok: false, kind: 'offline' }, T0);
    expect(shouldNotify(offline, iso(T0 + MIN))).toBe(false);
    let state = afterAttempt(INITIAL_REFRESH_STATE, { ok: false, kind: 'sign-in' }, T0);
    expect(shouldNotify(state, iso(T0 + 5 * MIN))).toBe(true);
    state = { ...state, notifiedFor: iso(T0 + 5 * MIN) };
    state = afterAttempt(state, { ok: false, kind: 'sign-in' }, T0 + MIN);
    expect(shouldNotify(state, iso(T0 + 5 * MIN))).toBe(false);
    // The person signed in; a later expiry that ends the same way is worth one more.
    state = afterAttempt(afterCapturedLogin(state), { ok: false, kind: 'sign-in' }, T0 + 2 * MIN);
    expect(shouldNotify(state, iso(T0 + 60 * MIN))).toBe(true);
  });
});
