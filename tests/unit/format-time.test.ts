/** The popup's wording of times, with a fixed clock (local times, so any time zone gives the same text). */
import { describe, expect, it } from 'vitest';
import { clockTime, durationText, expiryText, isExpired, nextTickDelay } from '@/utils/format-time';

const at = (h: number, m: number, s = 0) => new Date(2026, 10, 24, h, m, s).getTime();
const iso = (h: number, m: number, s = 0) => new Date(at(h, m, s)).toISOString();

describe('clockTime', () => {
  it('is local 24-hour HH:MM', () => {
    expect(clockTime(at(15, 42))).toBe('15:42');
    expect(clockTime(iso(9, 5))).toBe('09:05');
    expect(clockTime(new Date(at(0, 0)))).toBe('00:00');
  });
});

describe('durationText', () => {
  it.each([
    [0, '0 s'],
    [-5000, '0 s'],
    [45_000, '45 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [59 * 60_000 + 59_000, '59 min'],
    [3600_000, '1 h'],
    [65 * 60_000, '1 h 5 min'],
    [12 * 3600_000, '12 h'],
  ])('%i ms -> %s', (ms, text) => expect(durationText(ms)).toBe(text));
});

describe('expiryText', () => {
  const now = at(14, 43);
  it('says when and how soon', () => {
    expect(expiryText(iso(15, 42, 30), now)).toBe('expires 15:42, in 59 min');
    expect(expiryText(iso(15, 48), now)).toBe('expires 15:48, in 1 h 5 min');
    expect(expiryText(iso(14, 43, 45), now)).toBe('expires 14:43, in 45 s');
  });
  it('says "expired" once past', () => {
    expect(expiryText(iso(14, 43), now)).toBe('expired at 14:43');
    expect(expiryText(iso(13, 0), now)).toBe('expired at 13:00');
  });
  it('copes with an unreadable time', () => {
    expect(expiryText('not a date', now)).toBe('expiry unknown');
  });
});

describe('isExpired', () => {
  it('is true only for a past time', () => {
    expect(isExpired(iso(14, 0), at(14, 43))).toBe(true);
    expect(isExpired(iso(15, 0), at(14, 43))).toBe(false);
    expect(isExpired(undefined, at(14, 43))).toBe(false);
  });
});

describe('nextTickDelay', () => {
  const now = at(14, 43);
  it('ticks every 15 s, every second when something expires within a minute, not at all with nothing live', () => {
    expect(nextTickDelay([iso(15, 42)], now)).toBe(15_000);
    expect(nextTickDelay([iso(15, 42), iso(14, 43, 50)], now)).toBe(1000);
    expect(nextTickDelay([iso(14, 0), undefined], now)).toBeUndefined();
    expect(nextTickDelay([], now)).toBeUndefined();
  });
});
