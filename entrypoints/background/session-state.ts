/**
 * What the background remembers for this browser session, as WXT storage items in `storage.session` (memory only):
 * credentials of the profiles synced in this session (for "Copy as environment variables" and for chaining), the
 * latest sync outcome per role, the last automatic sync failure, and the profiles the host listed last. Expired
 * credentials are dropped by `purgeExpired`.
 */
import { storage } from 'wxt/utils/storage';
import type { ManagedProfile, RoleSyncState } from '@/utils/messages';
import type { HeldCredentials } from '@/utils/profile-sync';

/** Secrets, by profile: session storage only, never local or sync. */
const vault = storage.defineItem<Record<string, HeldCredentials>>('session:vault', { fallback: {} });
/** The latest sync outcome per role ARN (no secrets). */
const roleSync = storage.defineItem<Record<string, RoleSyncState>>('session:roleSync', { fallback: {} });
const autoSyncError = storage.defineItem<string | null>('session:lastAutoSyncError', { fallback: null });
/** The managed profiles the host listed last (names and expiry, no secrets), so the badge ticks without the host. */
const knownProfilesItem = storage.defineItem<ManagedProfile[]>('session:knownProfiles', { fallback: [] });

const live = (held: Record<string, HeldCredentials>, now: number) =>
  Object.fromEntries(Object.entries(held).filter(([, c]) => Date.parse(c.expiration) > now));

export async function holdCredentials(entries: Record<string, HeldCredentials>): Promise<void> {
  if (Object.keys(entries).length === 0) return;
  await vault.setValue({ ...(await vault.getValue()), ...entries });
}

export async function heldCredentials(profile: string, now = Date.now()): Promise<HeldCredentials | undefined> {
  const held = (await vault.getValue())[profile];
  return held && Date.parse(held.expiration) > now ? held : undefined;
}

export async function heldProfiles(now = Date.now()): Promise<Record<string, HeldCredentials>> {
  return live(await vault.getValue(), now);
}

/** Drops the credentials and sync outcomes of these profiles (removed from ~/.aws). */
export async function forgetCredentials(profiles: string[]): Promise<void> {
  const [held, states] = await Promise.all([vault.getValue(), roleSync.getValue()]);
  await Promise.all([
    vault.setValue(Object.fromEntries(Object.entries(held).filter(([p]) => !profiles.includes(p)))),
    roleSync.setValue(Object.fromEntries(Object.entries(states).filter(([, s]) => !profiles.includes(s.profile)))),
  ]);
}

export async function purgeExpired(now = Date.now()): Promise<void> {
  const held = await vault.getValue();
  const kept = live(held, now);
  if (Object.keys(kept).length !== Object.keys(held).length) await vault.setValue(kept);
}

export function roleSyncStates(): Promise<Record<string, RoleSyncState>> {
  return roleSync.getValue();
}

export async function setRoleSyncStates(states: RoleSyncState[]): Promise<void> {
  const current = await roleSync.getValue();
  for (const s of states) current[s.roleArn] = s;
  await roleSync.setValue(current);
}

export async function lastAutoSyncError(): Promise<string | undefined> {
  return (await autoSyncError.getValue()) ?? undefined;
}

export async function setLastAutoSyncError(message: string | undefined): Promise<void> {
  if (message) await autoSyncError.setValue(message);
  else await autoSyncError.removeValue();
}

export function knownProfiles(): Promise<ManagedProfile[]> {
  return knownProfilesItem.getValue();
}

export async function setKnownProfiles(profiles: ManagedProfile[]): Promise<void> {
  await knownProfilesItem.setValue(profiles);
}
