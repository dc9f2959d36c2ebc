/**
 * Runs a sync for the background: from the captured login and settings to ~/.aws through the host, keeping the
 * outcome (no secrets) and the credentials (session memory only) for the popup.
 */
import { browser } from 'wxt/browser';
import type { CapturedLoginOk } from '@/utils/captured-login';
import type { RoleSyncState } from '@/utils/messages';
import { syncProfiles, type SyncOutcome } from '@/utils/profile-sync';
import type { Settings } from '@/utils/settings';
import { createDurationMemory } from '@/utils/sts-duration-memory';
import { autoSyncTargets, type SyncTarget } from '@/utils/sync-plan';
import type { HostAccess } from './host';
import { heldProfiles, holdCredentials, setLastAutoSyncError, setRoleSyncStates } from './session-state';

export async function runSync(
  login: CapturedLoginOk,
  targets: SyncTarget[],
  settings: Settings,
  host: HostAccess,
  confirmOverwrite?: string[],
): Promise<SyncOutcome> {
  await setRoleSyncStates(targets.map((t): RoleSyncState => ({ roleArn: t.role.roleArn, profile: t.profile, status: 'syncing' })));
  const outcome = await syncProfiles(
    {
      login: { ...login, capturedAt: login.capturedAt },
      targets,
      settings,
      heldBefore: await heldProfiles(),
      stsOptions: { durationMemory: createDurationMemory(browser.storage.local) },
    },
    { writeProfiles: (writes) => host.writeProfiles(writes, confirmOverwrite) },
  );
  await holdCredentials(outcome.held);
  await setRoleSyncStates(outcome.roles);
  return outcome;
}

/** On every captured login: every remembered mapping with auto-sync on, plus the chains hanging off them. */
export async function autoSync(login: CapturedLoginOk, settings: Settings, host: HostAccess): Promise<SyncOutcome | undefined> {
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
 * After the settings changed: write the chained profiles hanging off profiles already in ~/.aws, so a chain added
 * in the options page works at once, without another sign-in. Quietly does nothing when the host is missing.
 */
export async function applyChains(settings: Settings, host: HostAccess): Promise<SyncOutcome | undefined> {
  if (settings.chains.length === 0 || (await host.status()).state !== 'ok') return undefined;
  const existing = (await host.listProfiles().catch(() => [])).map((p) => p.profile);
  const outcome = await syncProfiles(
    { targets: [], settings, heldBefore: await heldProfiles(), existingProfiles: existing },
    { writeProfiles: (writes) => host.writeProfiles(writes) },
  );
  await holdCredentials(outcome.held);
  return outcome;
}
