/**
 * What the background remembers for this browser session, in `storage.session` (memory only): credentials of the
 * profiles synced in this session (for "Copy as environment variables" and for chaining), the latest sync outcome
 * per role, and the last automatic sync failure. Expired credentials are dropped by `purgeExpired`.
 */
import { browser } from 'wxt/browser';
import type { ManagedProfile, RoleSyncState } from '@/utils/messages';
import type { HeldCredentials } from '@/utils/profile-sync';

const VAULT_KEY = 'vault';
const ROLE_SYNC_KEY = 'roleSync';
const AUTO_SYNC_ERROR_KEY = 'lastAutoSyncError';

async function read<T>(key: string, fallback: T): Promise<T> {
  const stored = await browser.storage.session.get(key);
  return (stored[key] as T | undefined) ?? fallback;
}

export async function holdCredentials(entries: Record<string, HeldCredentials>): Promise<void> {
  const vault = await read<Record<string, HeldCredentials>>(VAULT_KEY, {});
  await browser.storage.session.set({ [VAULT_KEY]: { ...vault, ...entries } });
}

export async function heldCredentials(profile: string, now = Date.now()): Promise<HeldCredentials | undefined> {
  const held = (await read<Record<string, HeldCredentials>>(VAULT_KEY, {}))[profile];
  return held && Date.parse(held.expiration) > now ? held : undefined;
}

export async function heldProfiles(now = Date.now()): Promise<Record<string, HeldCredentials>> {
  const vault = await read<Record<string, HeldCredentials>>(VAULT_KEY, {});
  return Object.fromEntries(Object.entries(vault).filter(([, c]) => Date.parse(c.expiration) > now));
}

export async function purgeExpired(now = Date.now()): Promise<void> {
  const vault = await read<Record<string, HeldCredentials>>(VAULT_KEY, {});
  const live = Object.fromEntries(Object.entries(vault).filter(([, c]) => Date.parse(c.expiration) > now));
  if (Object.keys(live).length !== Object.keys(vault).length) await browser.storage.session.set({ [VAULT_KEY]: live });
}

export async function roleSyncStates(): Promise<Record<string, RoleSyncState>> {
  return read<Record<string, RoleSyncState>>(ROLE_SYNC_KEY, {});
}

export async function setRoleSyncStates(states: RoleSyncState[]): Promise<void> {
  const current = await roleSyncStates();
  for (const s of states) current[s.roleArn] = s;
  await browser.storage.session.set({ [ROLE_SYNC_KEY]: current });
}

export async function lastAutoSyncError(): Promise<string | undefined> {
  return read<string | undefined>(AUTO_SYNC_ERROR_KEY, undefined);
}

export async function setLastAutoSyncError(message: string | undefined): Promise<void> {
  if (message) await browser.storage.session.set({ [AUTO_SYNC_ERROR_KEY]: message });
  else await browser.storage.session.remove(AUTO_SYNC_ERROR_KEY);
}

const KNOWN_PROFILES_KEY = 'knownProfiles';

/** The managed profiles the host listed last (names and expiry, no secrets), so the badge ticks without the host. */
export async function knownProfiles(): Promise<ManagedProfile[]> {
  return read<ManagedProfile[]>(KNOWN_PROFILES_KEY, []);
}

export async function setKnownProfiles(profiles: ManagedProfile[]): Promise<void> {
  await browser.storage.session.set({ [KNOWN_PROFILES_KEY]: profiles });
}
