/**
 * The roles of the current sign-in: grouped by account (with a filter above FILTER_THRESHOLD roles), the profile
 * name each would be synced as, whether it is synced on every sign-in, and "Sync".
 */
import { batch, computed, signal } from '@preact/signals';
import { t, translate } from '@/i18n/translate';
import { PROFILE_NAME } from '@/utils/aws-names';
import { request, type PopupState, type RoleSyncState } from '@/utils/messages';
import { defaultProfileName, isValidProfileName } from '@/utils/profile-naming';
import type { SamlRole } from '@/utils/saml';
import { errorSentence, type StateAccess } from './shared';

/** Above this many roles the popup offers a filter box. */
export const FILTER_THRESHOLD = 7;

export interface AccountGroupData {
  accountId: string;
  /** The account's alias when known, else undefined (the id is shown). */
  alias?: string;
  roles: SamlRole[];
}

/** Why a profile name cannot be used, in one sentence, or undefined when it can. */
export function profileNameProblem(
  name: string,
  roleArn: string,
  state: Pick<PopupState, 'settings'> | undefined,
): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return t('popup.profile.problemEmpty');
  if (!isValidProfileName(trimmed)) return translate({ key: PROFILE_NAME.key });
  const settings = state?.settings;
  if (settings?.chains.some((c) => c.profile === trimmed)) {
    return t('popup.profile.problemChained', { name: trimmed });
  }
  const other = settings?.mappings.find((m) => m.profile === trimmed && m.roleArn !== roleArn);
  if (other) return t('popup.profile.problemTaken', { name: trimmed, role: other.roleArn.split(':role/')[1] ?? other.roleArn });
  return undefined;
}

export function createRoles(background: StateAccess) {
  const { state } = background;
  /** Profile names the person typed, by role ARN. */
  const profileEdits = signal<Record<string, string>>({});
  const filter = signal('');
  /**
   * Syncs this popup asked for and still waits on (role ARN -> profile). What a sync did is the background's state
   * (`state.roleSync`), also for the one asked here: its reply is put there.
   */
  const syncsAsked = signal<Record<string, string>>({});
  /** A sync request that got no outcome at all (no answer, a refusal before it started), by role ARN. */
  const syncRefusals = signal<Record<string, RoleSyncState>>({});

  const roles = computed<SamlRole[]>(() => {
    const login = state.value?.login;
    return login?.ok ? login.roles : [];
  });

  const aliases = computed<Record<string, string>>(() => state.value?.settings.accountAliases ?? {});

  function syncOf(roleArn: string): RoleSyncState | undefined {
    const asked = syncsAsked.value[roleArn];
    if (asked !== undefined) return { roleArn, profile: asked, status: 'syncing' };
    return syncRefusals.value[roleArn] ?? state.value?.roleSync[roleArn];
  }

  function profileFor(role: SamlRole): string {
    const edited = profileEdits.value[role.roleArn];
    if (edited !== undefined) return edited;
    const s = state.value?.settings;
    const mapped = s?.mappings.find((m) => m.roleArn === role.roleArn)?.profile;
    if (mapped) return mapped;
    const synced = syncOf(role.roleArn)?.profile;
    if (synced) return synced;
    return defaultProfileName(s?.profileNameTemplate ?? '{alias}-{role}', role, aliases.value[role.accountId]);
  }

  const showFilter = computed(() => roles.value.length > FILTER_THRESHOLD);

  const groups = computed<AccountGroupData[]>(() => {
    const needle = showFilter.value ? filter.value.trim().toLowerCase() : '';
    const byAccount = new Map<string, AccountGroupData>();
    for (const role of roles.value) {
      const alias = aliases.value[role.accountId];
      if (needle) {
        const hay = [role.roleName, role.roleArn, role.accountId, alias ?? '', profileFor(role)].join(' ').toLowerCase();
        if (!hay.includes(needle)) continue;
      }
      let group = byAccount.get(role.accountId);
      if (!group) {
        group = { accountId: role.accountId, alias, roles: [] };
        byAccount.set(role.accountId, group);
      }
      group.roles.push(role);
    }
    return [...byAccount.values()];
  });

  // A refused request is said until the background has something newer to say of that role.
  background.onState((next, before) => {
    const earlier = before?.roleSync ?? {};
    const kept = Object.entries(syncRefusals.value).filter(([arn]) => next.roleSync[arn] === earlier[arn]);
    if (kept.length !== Object.keys(syncRefusals.value).length) syncRefusals.value = Object.fromEntries(kept);
  });

  function setProfile(roleArn: string, name: string): void {
    profileEdits.value = { ...profileEdits.value, [roleArn]: name };
  }

  /** `replaceExisting`: after the person confirmed that an existing profile of that name may be replaced. */
  async function syncRole(role: SamlRole, replaceExisting = false): Promise<void> {
    const profile = profileFor(role).trim();
    if (profileNameProblem(profile, role.roleArn, state.value)) return;
    if (syncOf(role.roleArn)?.status === 'syncing') return;
    const { [role.roleArn]: _earlier, ...otherRefusals } = syncRefusals.value;
    batch(() => {
      syncRefusals.value = otherRefusals;
      syncsAsked.value = { ...syncsAsked.value, [role.roleArn]: profile };
    });
    let outcome: RoleSyncState | undefined;
    let refusal: RoleSyncState | undefined;
    try {
      outcome = await request(background.send, 'syncRole', { roleArn: role.roleArn, profile, ...(replaceExisting ? { replaceExisting } : {}) });
    } catch (error) {
      refusal = { roleArn: role.roleArn, profile, status: 'error', error: errorSentence(error) };
    }
    batch(() => {
      const { [role.roleArn]: _done, ...stillAsked } = syncsAsked.value;
      syncsAsked.value = stillAsked;
      // The reply is the background's own outcome (also in its next state-changed event, which may come later).
      if (outcome) background.patch((s) => ({ ...s, roleSync: { ...s.roleSync, [role.roleArn]: outcome } }));
      if (refusal) syncRefusals.value = { ...syncRefusals.value, [role.roleArn]: refusal };
      background.refreshClock();
    });
  }

  /** Whether a role's remembered profile is synced on every sign-in (undefined: no profile remembered yet). */
  function autoSyncOf(roleArn: string): boolean | undefined {
    return state.value?.settings.mappings.find((m) => m.roleArn === roleArn)?.autoSync;
  }

  async function setAutoSync(roleArn: string, autoSync: boolean): Promise<void> {
    try {
      const settings = await request(background.send, 'setAutoSync', { roleArn, autoSync });
      background.patch((s) => ({ ...s, settings }));
    } catch (error) {
      background.setLoadError(errorSentence(error));
    }
  }

  return { profileEdits, filter, roles, groups, showFilter, profileFor, syncOf, setProfile, syncRole, autoSyncOf, setAutoSync };
}
