/**
 * Which profiles a login syncs, and in what order. Pure: no STS, no host, no browser.
 */
import type { SamlRole } from './saml';
import type { ChainedProfile, ProfileMapping, Settings } from './settings';

export interface SyncTarget {
  role: SamlRole;
  profile: string;
  region?: string;
  durationSeconds?: number;
  writeAs?: 'keys' | 'credential-process';
}

/** Every remembered mapping with auto-sync on whose role is in this login. */
export function autoSyncTargets(roles: SamlRole[], settings: Settings): SyncTarget[] {
  const byArn = new Map(roles.map((r) => [r.roleArn, r]));
  return settings.mappings
    .filter((m) => m.autoSync && byArn.has(m.roleArn))
    .map((m) => targetOf(byArn.get(m.roleArn)!, m));
}

export function targetOf(role: SamlRole, mapping: Pick<ProfileMapping, 'profile' | 'region' | 'durationSeconds'> & { writeAs?: ProfileMapping['writeAs'] }): SyncTarget {
  const target: SyncTarget = { role, profile: mapping.profile, region: mapping.region, durationSeconds: mapping.durationSeconds };
  if (mapping.writeAs === 'credential-process') target.writeAs = 'credential-process';
  return target;
}

/**
 * The chained profiles that hang off the given profiles, directly or through other chains, sources before the
 * chains built on them. A chain whose source is neither synced nor reachable is left out; cycles are cut.
 */
export function chainsHangingOff(syncedProfiles: Iterable<string>, chains: ChainedProfile[]): ChainedProfile[] {
  const ready = new Set(syncedProfiles);
  const ordered: ChainedProfile[] = [];
  let remaining = chains.filter((c) => !ready.has(c.profile));
  for (;;) {
    const next = remaining.filter((c) => ready.has(c.sourceProfile));
    if (next.length === 0) return ordered;
    for (const c of next) {
      ordered.push(c);
      ready.add(c.profile);
    }
    remaining = remaining.filter((c) => !next.includes(c));
  }
}

/**
 * Remember (or update) the profile name a role was synced to, keeping its other settings. A new mapping is not
 * auto-synced: the person turns that on (a first sync may come from a sign-in they did not mean to trust).
 */
export function rememberMapping(settings: Settings, roleArn: string, profile: string, region?: string): Settings {
  const existing = settings.mappings.find((m) => m.roleArn === roleArn);
  const others = settings.mappings.filter((m) => m.roleArn !== roleArn && m.profile !== profile);
  const mapping: ProfileMapping = existing
    ? { ...existing, profile, region: region ?? existing.region }
    : { roleArn, profile, region, autoSync: false };
  return { ...settings, mappings: [...others, mapping] };
}
