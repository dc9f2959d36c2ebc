/**
 * What the toolbar badge shows. Pure: minutes left of the soonest-expiring profile, "!" after a failed sync.
 */

export interface Badge {
  text: string;
  color: string;
  title: string;
}

const GREEN = '#1a7f37';
const AMBER = '#9a6700';
const RED = '#cf222e';

export function badgeFor(expirations: (string | undefined)[], now: number, failure?: string): Badge {
  if (failure) return { text: '!', color: RED, title: `AWS SAML Sync: ${failure}` };
  const live = expirations
    .filter((e): e is string => !!e)
    .map((e) => Date.parse(e))
    .filter((t) => Number.isFinite(t) && t > now);
  if (live.length === 0) return { text: '', color: GREEN, title: 'AWS SAML Sync' };
  const minutes = Math.floor((Math.min(...live) - now) / 60_000);
  const text = minutes >= 100 ? `${Math.floor(minutes / 60)}h` : `${minutes}m`;
  return {
    text,
    color: minutes < 10 ? AMBER : GREEN,
    title: `AWS SAML Sync: the soonest profile expires in ${minutes} min`,
  };
}
