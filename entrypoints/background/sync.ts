/**
 * Runs a sync for the background: from the captured login and settings to ~/.aws through the host, keeping the
 * outcome (no secrets) and the credentials (session memory only) for the popup.
 */
import { browser } from 'wxt/browser';
import { errorSentence, t } from '@/i18n/translate';
import { hostPatternOf } from '@/utils/aws-endpoints';
import type { CapturedLoginOk } from '@/utils/captured-login';
import type { ManagedProfile, RoleSyncState } from '@/utils/messages';
import { rewritesForWriteAs, syncProfiles, type SyncOutcome } from '@/utils/profile-sync';
import type { Settings } from '@/utils/settings';
import { createDurationMemory } from '@/utils/sts-duration-memory';
import { autoSyncTargets, type SyncTarget } from '@/utils/sync-plan';
import type { HostAccess } from './host';
import { heldProfiles, holdCredentials, setKnownProfiles, setLastAutoSyncError, setRoleSyncStates } from './session-state';

/** The browser's answers to permissions.contains by host pattern, forgotten whenever a permission is granted or removed. */
const reachable = new Map<string, Promise<boolean>>();
let watchingGrants = false;

/**
 * Called once by the background as it starts: from then on mayReach keeps the browser's answers until a permission
 * is granted or removed. Without it (pages, tests) every call asks the browser.
 */
export function keepReachAnswers(): void {
  if (watchingGrants) return;
  const forget = () => reachable.clear();
  browser.permissions.onAdded.addListener(forget);
  browser.permissions.onRemoved.addListener(forget);
  watchingGrants = true;
}

/**
 * Whether the extension holds a host permission for this STS URL. Without one a browser may still send the request
 * (only the answer is withheld), so nothing goes to a host it was not granted: the assertion is a bearer token.
 * The answer is kept until the grants change (keepReachAnswers), so a sign-in's STS call does not wait for the
 * browser's answer again (tens of milliseconds while it loads the page AWS answered the sign-in with).
 */
export async function mayReach(endpoint: string): Promise<boolean> {
  const pattern = hostPatternOf(endpoint);
  if (!pattern) return false;
  if (!watchingGrants) return browser.permissions.contains({ origins: [pattern] });
  let answer = reachable.get(pattern);
  if (!answer) {
    answer = browser.permissions.contains({ origins: [pattern] });
    reachable.set(pattern, answer);
    // A failed question is asked again next time.
    answer.catch(() => {
      if (reachable.get(pattern) === answer) reachable.delete(pattern);
    });
  }
  return answer;
}

/** One per service worker: it keeps what it read in memory (utils/sts-duration-memory.ts). */
const durationMemory = createDurationMemory(browser.storage.local);

/** A sync's outcome; `hostListed`: the host's reply listed the profiles after the write (known profiles updated). */
export type RunOutcome = SyncOutcome & { hostListed: boolean };

export async function runSync(
  login: CapturedLoginOk,
  targets: SyncTarget[],
  settings: Settings,
  host: HostAccess,
  confirmOverwrite?: string[],
): Promise<RunOutcome> {
  // "syncing" is recorded while STS is asked: the sync does not wait for it, only its outcome is recorded after it.
  const recordingSyncing = setRoleSyncStates(targets.map((t): RoleSyncState => ({ roleArn: t.role.roleArn, profile: t.profile, status: 'syncing' })));
  let listed: ManagedProfile[] | undefined;
  const syncing = syncProfiles(
    {
      login: { ...login, capturedAt: login.capturedAt },
      targets,
      settings,
      // Read while STS is asked: only chains from profiles outside this sync need it.
      heldBefore: heldProfiles(),
      stsOptions: { durationMemory, allowEndpoint: mayReach },
    },
    {
      writeProfiles: async (writes) => {
        listed = await host.writeProfiles(writes, { confirmOverwrite, legacySecurityToken: settings.writeLegacySecurityToken });
      },
      describeError: errorSentence,
    },
  );
  const [outcome] = await Promise.all([syncing, recordingSyncing]);
  await Promise.all([holdCredentials(outcome.held), setRoleSyncStates(outcome.roles), listed && setKnownProfiles(listed)]);
  return { ...outcome, hostListed: listed !== undefined };
}

/** On every captured login: every remembered mapping with auto-sync on, plus the chains hanging off them. */
export async function autoSync(login: CapturedLoginOk, settings: Settings, host: HostAccess): Promise<RunOutcome | undefined> {
  const targets = autoSyncTargets(login.roles, settings);
  if (targets.length === 0) return undefined;
  const outcome = await runSync(login, targets, settings, host);
  await setLastAutoSyncError(firstFailure(outcome));
  return outcome;
}

export function firstFailure(outcome: SyncOutcome): string | undefined {
  if (outcome.writeError) return outcome.writeError;
  const role = outcome.roles.find((r) => r.status === 'error');
  if (role) return `${role.profile}: ${role.error}`;
  const chain = outcome.chains.find((c) => c.status === 'error');
  return chain ? `${chain.profile}: ${chain.error}` : undefined;
}

/**
 * After the settings changed how SAML profiles are written (keys <-> credential_process): write them again at once
 * from the credentials this session holds. The sentence when the helper failed; quiet when it is not installed.
 */
export async function applyWriteAs(before: Settings, after: Settings, host: HostAccess): Promise<string | undefined> {
  const writes = rewritesForWriteAs(before, after, await heldProfiles());
  if (writes.length === 0) return undefined;
  const status = await host.status();
  if (status.state === 'missing') return undefined;
  try {
    const listed = await host.writeProfiles(writes, { legacySecurityToken: after.writeLegacySecurityToken });
    if (listed) await setKnownProfiles(listed);
    return undefined;
  } catch (error) {
    return errorSentence(error);
  }
}

/**
 * After the settings changed: write the chained profiles hanging off profiles already in ~/.aws, so a chain added
 * in the options page works at once, without another sign-in. Quietly does nothing when the helper is not installed
 * (the page says so already); a helper that fails is said, in the outcome's writeError, never swallowed: a "Saved."
 * over a chain that was not written leaves the person with a profile that does not exist.
 */
export async function applyChains(settings: Settings, host: HostAccess): Promise<SyncOutcome | undefined> {
  if (settings.chains.length === 0) return undefined;
  const status = await host.status();
  if (status.state === 'missing') return undefined;
  const notWritten = (writeError: string): SyncOutcome => ({ roles: [], chains: [], held: {}, writeError });
  if (status.state !== 'ok') return notWritten(status.message ?? t('hostError.Failing'));
  let existing: string[];
  try {
    existing = (await host.listProfiles()).map((p) => p.profile);
  } catch (error) {
    return notWritten(errorSentence(error));
  }
  const outcome = await syncProfiles(
    { targets: [], settings, heldBefore: await heldProfiles(), existingProfiles: existing, stsOptions: { allowEndpoint: mayReach } },
    { writeProfiles: (writes) => host.writeProfiles(writes, { legacySecurityToken: settings.writeLegacySecurityToken }), describeError: errorSentence },
  );
  await holdCredentials(outcome.held);
  return outcome;
}
