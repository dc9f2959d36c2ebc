/**
 * What the background keeps of sign-ins, as WXT storage items: the current login and one waiting for the person's
 * word (session storage: they hold the assertion, a bearer token), the digests of assertions that must not count,
 * and, in local storage (no secrets), the sign-in origins the person confirmed and the accounts and issuers they
 * synced from before.
 */
import { storage } from 'wxt/utils/storage';
import { CAPTURED_LOGIN_KEY, type CapturedLogin, type CapturedLoginOk } from '@/utils/captured-login';

/** The login the popup offers and auto-sync uses. Only sign-ins from a trusted origin get here. */
export const currentLogin = storage.defineItem<CapturedLogin | null>(`session:${CAPTURED_LOGIN_KEY}`, { fallback: null });

/** A sign-in posted from an origin the person has not confirmed: shown as a question, never used until confirmed. */
export interface PendingLogin {
  login: CapturedLoginOk;
  /** `https://host` of the page that posted it. */
  origin: string;
  /** Account names AWS's role chooser showed for it: remembered only if the person confirms the origin. */
  aliases?: Record<string, string>;
}
export const pendingLogin = storage.defineItem<PendingLogin | null>('session:pendingLogin', { fallback: null });

/** SHA-256 digests of assertions posted from untrusted pages: AWS's role picker re-posting one does not make it count. */
export const untrustedAssertions = storage.defineItem<string[]>('session:untrustedAssertions', { fallback: [] });
const UNTRUSTED_KEPT = 32;

/** Origins (`https://host`) whose SAML sign-ins the person said to use. */
export const confirmedOrigins = storage.defineItem<string[]>('local:confirmedLoginOrigins', { fallback: [], version: 1 });

/** Accounts and IdP issuers synced from before, so a first sync from a new one can say so. */
export interface SyncedFrom {
  accounts: string[];
  issuers: string[];
}
export const syncedFrom = storage.defineItem<SyncedFrom>('local:syncedFrom', { fallback: { accounts: [], issuers: [] }, version: 1 });
const SYNCED_FROM_KEPT = 500;

export async function rememberUntrusted(digest: string): Promise<void> {
  const list = await untrustedAssertions.getValue();
  if (!list.includes(digest)) await untrustedAssertions.setValue([...list, digest].slice(-UNTRUSTED_KEPT));
}

export async function confirmOrigin(origin: string): Promise<void> {
  const list = await confirmedOrigins.getValue();
  if (!list.includes(origin)) await confirmedOrigins.setValue([...list, origin]);
}

export async function rememberSyncedFrom(accounts: string[], issuer: string | undefined): Promise<void> {
  const known = await syncedFrom.getValue();
  const add = <T>(list: T[], items: T[]) => [...new Set([...list, ...items])].slice(-SYNCED_FROM_KEPT);
  await syncedFrom.setValue({ accounts: add(known.accounts, accounts), issuers: add(known.issuers, issuer ? [issuer] : []) });
}

export async function sha256Hex(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Recognises the same sign-in posted twice (base64 line breaks aside) without keeping a second copy of it. */
export function assertionDigest(samlResponse: string): Promise<string> {
  return sha256Hex(samlResponse.replace(/\s+/g, ''));
}
