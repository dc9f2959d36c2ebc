/** The popup's wording of times, with a fixed clock (local times, so any time zone gives the same text) and locale. */
import { describe, expect, it } from 'vitest';
import { clockTime, durationText, expiryText, isExpired, nextTickDelay } from '@/utils/format-time';

const at = (h: number, m: number, s = 0) => new Date(2026, 10, 24, h, m, s).getTime();
const iso = (h: number, m: number, s = 0) => new Date(at(h, m, s)).toISOString();

describe('clockTime', () => {
  it('is local 24-hour HH:MM in English and in Chinese', () => {
    expect(clockTime(at(15, 42), 'en-US')).toBe('15:42');
    expect(clockTime(iso(9, 5), 'en-US')).toBe('09:05');
    expect(clockTime(new Date(at(0, 0)), 'en-US')).toBe('00:00');
    expect(clockTime(at(15, 42), 'zh-CN')).toBe('15:42');
  });
});

describe('durationText', () => {
  it.each([
    [0, '0 sec', '0秒'],
    [-5000, '0 sec', '0秒'],
    [45_000, '45 sec', '45秒'],
    [59_999, '59 sec', '59秒'],
    [60_000, '1 min', '1分钟'],
    [59 * 60_000 + 59_000, '59 min', '59分钟'],
    [3600_000, '1 hr', '1小时'],
    [65 * 60_000, '1 hr 5 min', '1小时5分钟'],
    [12 * 3600_000, '12 hr', '12小时'],
  ])('%i ms -> %s, %s', (ms, en, zh) => {
    expect(durationText(ms, 'en-US')).toBe(en);
    expect(durationText(ms, 'zh-CN')).toBe(zh);
  });
});

describe('expiryText', () => {
  const now = at(14, 43);
  const en = (expiration: string) => expiryText(expiration, now, 'en-US');
  it('says when and how soon', () => {
    expect(en(iso(15, 42, 30))).toEqual({ key: 'time.expiresIn', params: { time: '15:42', duration: '59 min' } });
    expect(en(iso(15, 48))).toEqual({ key: 'time.expiresIn', params: { time: '15:48', duration: '1 hr 5 min' } });
    expect(expiryText(iso(14, 43, 45), now, 'zh-CN')).toEqual({ key: 'time.expiresIn', params: { time: '14:43', duration: '45秒' } });
  });
  it('says "expired" once past', () => {
    expect(en(iso(14, 43))).toEqual({ key: 'time.expiredAt', params: { time: '14:43' } });
    expect(en(iso(13, 0))).toEqual({ key: 'time.expiredAt', params: { time: '13:00' } });
  });
  it('copes with an unreadable time', () => {
    expect(en('not a date')).toEqual({ key: 'time.expiryUnknown' });
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
