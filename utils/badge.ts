/**
 * What the toolbar badge shows. Pure: minutes left of the soonest-expiring profile, "!" after a failed sync; the
 * title as a catalogue sentence.
 */
import { localized, type LocalizedText } from './localized-text';

export interface Badge {
  /** At most 4 characters on the toolbar: "59m", "8h" (a catalogue sentence), "!" or nothing. */
  text: string | LocalizedText;
  color: string;
  title: LocalizedText;
}

const GREEN = '#1a7f37';
const AMBER = '#9a6700';
const RED = '#cf222e';

export function badgeFor(expirations: (string | undefined)[], now: number, failure?: string): Badge {
  if (failure) return { text: '!', color: RED, title: localized('badge.failure', { failure }) };
  const live = expirations
    .filter((e): e is string => !!e)
    .map((e) => Date.parse(e))
    .filter((t) => Number.isFinite(t) && t > now);
  if (live.length === 0) return { text: '', color: GREEN, title: localized('badge.title') };
  const minutes = Math.floor((Math.min(...live) - now) / 60_000);
  const text = minutes >= 100 ? localized('badge.hoursLeft', { hours: Math.floor(minutes / 60) }) : localized('badge.minutesLeft', { minutes });
  return {
    text,
    color: minutes < 10 ? AMBER : GREEN,
    title: localized('badge.expiresIn', { minutes }),
  };
}
