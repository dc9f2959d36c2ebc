/**
 * How the popup words times: "expires 15:42, in 59 min". Pure: every function takes the current time and the UI
 * language, and a sentence comes back as a catalogue key with its values.
 */
import { localized, type LocalizedText } from './localized-text';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function toMillis(value: string | number | Date): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}

/** Local 24-hour clock time in the UI language `locale` (a BCP 47 tag such as "en-US"): "15:42". */
export function clockTime(value: string | number | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(toMillis(value));
}

function unitText(locale: string, unit: 'second' | 'minute' | 'hour', amount: number): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(amount);
}

/** A span of time for people, in `locale`: "45 sec", "59 min", "1 hr 5 min", "3 hr". Rounded down, never negative. */
export function durationText(ms: number, locale: string): string {
  const safe = Math.max(0, ms);
  if (safe < MINUTE) return unitText(locale, 'second', Math.floor(safe / 1000));
  if (safe < HOUR) return unitText(locale, 'minute', Math.floor(safe / MINUTE));
  const hours = unitText(locale, 'hour', Math.floor(safe / HOUR));
  const minutes = Math.floor((safe % HOUR) / MINUTE);
  return minutes === 0 ? hours : new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }).format([hours, unitText(locale, 'minute', minutes)]);
}

/** "expires 15:42, in 59 min", or "expired at 14:02" once past; "expiry unknown" for an unreadable time. */
export function expiryText(expiration: string | number | Date, now: number, locale: string): LocalizedText {
  const at = toMillis(expiration);
  if (!Number.isFinite(at)) return localized('time.expiryUnknown');
  if (at <= now) return localized('time.expiredAt', { time: clockTime(at, locale) });
  return localized('time.expiresIn', { time: clockTime(at, locale), duration: durationText(at - now, locale) });
}

export function isExpired(expiration: string | undefined, now: number): boolean {
  if (!expiration) return false;
  const at = Date.parse(expiration);
  return Number.isFinite(at) && at <= now;
}

/**
 * How long a live countdown may wait before its next tick: every second while something expires within a
 * minute (the text counts seconds then), else every 15 s; undefined when nothing is left to count down.
 */
export function nextTickDelay(expirations: readonly (string | undefined)[], now: number): number | undefined {
  const left = expirations
    .map((e) => (e ? Date.parse(e) - now : NaN))
    .filter((ms) => Number.isFinite(ms) && ms > 0);
  if (left.length === 0) return undefined;
  return Math.min(...left) <= MINUTE ? 1000 : 15_000;
}
