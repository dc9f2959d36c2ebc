/**
 * How the popup words times: "expires 15:42, in 59 min". Pure: every function takes the current time.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function toMillis(value: string | number | Date): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return Date.parse(value);
}

/** Local 24-hour clock time, "15:42". */
export function clockTime(value: string | number | Date): string {
  const d = new Date(toMillis(value));
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A span of time for people: "45 s", "59 min", "1 h 5 min", "3 h". Rounded down, never negative. */
export function durationText(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < MINUTE) return `${Math.floor(safe / 1000)} s`;
  if (safe < HOUR) return `${Math.floor(safe / MINUTE)} min`;
  const hours = Math.floor(safe / HOUR);
  const minutes = Math.floor((safe % HOUR) / MINUTE);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** "expires 15:42, in 59 min", or "expired at 14:02" once past; "expiry unknown" for an unreadable time. */
export function expiryText(expiration: string | number | Date, now: number): string {
  const at = toMillis(expiration);
  if (!Number.isFinite(at)) return 'expiry unknown';
  if (at <= now) return `expired at ${clockTime(at)}`;
  return `expires ${clockTime(at)}, in ${durationText(at - now)}`;
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
