/**
 * The popup's state and actions. Components read these signals and call these actions; only this module talks to
 * the background, and only through the injected `send` (so tests hand in a fake). No browser API in here but the
 * message catalogue, through i18n/translate.ts.
 */
import { batch, computed, signal } from '@preact/signals';
import { t, translate, uiLanguage } from '@/i18n/translate';
import { clockTime, nextTickDelay } from '@/utils/format-time';
import {
  isStateChangedEvent,
  request,
  RequestError,
  type HostStatus,
  type ManagedProfile,
  type PopupState,
  type RoleSyncState,
  type SendMessage,
} from '@/utils/messages';
import { PROFILE_NAME } from '@/utils/aws-names';
import { defaultProfileName, isValidProfileName } from '@/utils/profile-naming';
import type { SamlRole } from '@/utils/saml';

/** The one command that installs the native host (see README, "Install it for real"); it needs no checkout. */
export const HOST_INSTALL_COMMAND = 'npx aws-saml-sync-host install';
/** What a failing host's banner offers instead: one screen naming each problem with its fix. */
export const HOST_DOCTOR_COMMAND = 'npx aws-saml-sync-host doctor';

/** Above this many roles the popup offers a filter box. */
export const FILTER_THRESHOLD = 7;

export interface MessageSource {
  addListener(listener: (message: unknown) => void): void;
  removeListener(listener: (message: unknown) => void): void;
}

export interface PopupDeps {
  /** `browser.runtime.sendMessage` in the extension, a fake background in tests. */
  send: SendMessage;
  /** Where `state-changed` events arrive from (`browser.runtime.onMessage`). */
  events?: MessageSource;
  /** `navigator.clipboard.writeText`. */
  writeClipboard: (text: string) => Promise<void>;
  now?: () => number;
  /** Opens the options page. */
  openOptions?: () => void;
  /** Closes the popup (after opening the sign-in page in a tab). */
  close?: () => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export interface AccountGroupData {
  accountId: string;
  /** The account's alias when known, else undefined (the id is shown). */
  alias?: string;
  roles: SamlRole[];
}

export interface ProfileNode {
  profile: ManagedProfile;
  children: ProfileNode[];
}

export function errorSentence(error: unknown): string {
  // The background words its own errors; only its silence is worded here.
  if (error instanceof RequestError && error.causeName === 'NoAnswer') return t('common.noAnswer');
  if (error instanceof Error && error.message) return error.message;
  return t('common.popupError');
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

/** Profiles as a forest: profiles chained from another managed profile sit under their source. */
export function profileTree(profiles: readonly ManagedProfile[]): ProfileNode[] {
  const names = new Set(profiles.map((p) => p.profile));
  const nodes = new Map<string, ProfileNode>(profiles.map((p) => [p.profile, { profile: p, children: [] }]));
  const roots: ProfileNode[] = [];
  for (const p of profiles) {
    const node = nodes.get(p.profile)!;
    const parent = p.sourceProfile && p.sourceProfile !== p.profile && names.has(p.sourceProfile) ? nodes.get(p.sourceProfile) : undefined;
    if (parent && !isAncestor(node, parent)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function isAncestor(candidate: ProfileNode, of: ProfileNode): boolean {
  // Guards against a cycle (a -> b -> a) hiding both profiles.
  if (candidate === of) return true;
  return candidate.children.some((c) => isAncestor(c, of));
}

export function createPopupStore(deps: PopupDeps) {
  const now = deps.now ?? (() => Date.now());
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  const state = signal<PopupState | undefined>(undefined);
  const loadError = signal<string | undefined>(undefined);
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
  /** Result of the last copy per profile. */
  const copyNotices = signal<Record<string, Notice>>({});
  const hostNotice = signal<Notice | undefined>(undefined);
  const hostChecking = signal(false);
  /** The shared clock every countdown reads. */
  const clock = signal(now());
  /** Outcome of the last Refresh / Open console / Remove per profile. */
  const profileNotices = signal<Record<string, Notice>>({});
  /** Profiles whose Remove waits for the person's "yes". */
  const confirmingRemove = signal<string | undefined>(undefined);
  /** Profiles with an action under way. */
  const profileBusy = signal<Record<string, boolean>>({});

  const roles = computed<SamlRole[]>(() => {
    const login = state.value?.login;
    return login?.ok ? login.roles : [];
  });

  const aliases = computed<Record<string, string>>(() => state.value?.settings.accountAliases ?? {});

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

  function syncOf(roleArn: string): RoleSyncState | undefined {
    const asked = syncsAsked.value[roleArn];
    if (asked !== undefined) return { roleArn, profile: asked, status: 'syncing' };
    return syncRefusals.value[roleArn] ?? state.value?.roleSync[roleArn];
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

  const profiles = computed(() => profileTree(state.value?.profiles ?? []));

  const hostProblem = computed<HostStatus | undefined>(() => {
    const host = state.value?.host;
    return host && (host.state === 'missing' || host.state === 'outdated' || host.state === 'error') ? host : undefined;
  });

  /** Expiry of a profile this session knows of, from the profile list or a sync result. */
  function expirationOf(profile: string): string | undefined {
    const listed = state.value?.profiles.find((p) => p.profile === profile)?.expiration;
    if (listed) return listed;
    // Also a failed write to ~/.aws keeps the credentials (and their expiry) for copying.
    const fromSync = Object.values(state.value?.roleSync ?? {}).find((r) => r.profile === profile && r.expiration !== undefined);
    return fromSync?.expiration;
  }

  function refreshClock(): void {
    clock.value = now();
  }

  function applyState(next: PopupState): void {
    batch(() => {
      // A refused request is said until the background has something newer to say of that role.
      const before = state.value?.roleSync ?? {};
      const refusals = Object.entries(syncRefusals.value).filter(([arn]) => next.roleSync[arn] === before[arn]);
      if (refusals.length !== Object.keys(syncRefusals.value).length) syncRefusals.value = Object.fromEntries(refusals);
      state.value = next;
      loadError.value = undefined;
      refreshClock();
    });
  }

  async function load(): Promise<void> {
    try {
      applyState(await request(deps.send, 'getState', {}));
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

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
      outcome = await request(deps.send, 'syncRole', { roleArn: role.roleArn, profile, ...(replaceExisting ? { replaceExisting } : {}) });
    } catch (error) {
      refusal = { roleArn: role.roleArn, profile, status: 'error', error: errorSentence(error) };
    }
    batch(() => {
      const { [role.roleArn]: _done, ...stillAsked } = syncsAsked.value;
      syncsAsked.value = stillAsked;
      // The reply is the background's own outcome (also in its next state-changed event, which may come later).
      if (outcome && state.value) state.value = { ...state.value, roleSync: { ...state.value.roleSync, [role.roleArn]: outcome } };
      if (refusal) syncRefusals.value = { ...syncRefusals.value, [role.roleArn]: refusal };
      refreshClock();
    });
  }

  async function copyEnv(profile: string): Promise<void> {
    let notice: Notice;
    try {
      const { text } = await request(deps.send, 'copyEnv', { profile });
      try {
        await deps.writeClipboard(text);
      } catch {
        throw new Error(t('popup.clipboardRefused'));
      }
      const expiration = expirationOf(profile);
      notice = {
        kind: 'ok',
        text: expiration
          ? t('popup.copiedEnvExpiring', { profile, time: clockTime(expiration, uiLanguage()) })
          : t('popup.copiedEnv', { profile }),
      };
    } catch (error) {
      notice = { kind: 'error', text: errorSentence(error) };
    }
    copyNotices.value = { ...copyNotices.value, [profile]: notice };
  }

  async function copyInstallCommand(): Promise<void> {
    try {
      await deps.writeClipboard(hostProblem.value?.state === 'error' ? HOST_DOCTOR_COMMAND : HOST_INSTALL_COMMAND);
      hostNotice.value = { kind: 'ok', text: t('popup.host.copiedCommand') };
    } catch {
      hostNotice.value = { kind: 'error', text: t('popup.host.clipboardRefused') };
    }
  }

  async function checkHost(): Promise<void> {
    hostChecking.value = true;
    try {
      const host = await request(deps.send, 'checkHost', {});
      batch(() => {
        if (state.value) state.value = { ...state.value, host };
        hostNotice.value =
          host.state === 'ok' ? { kind: 'ok', text: t('popup.host.answersNow') } : undefined;
      });
    } catch (error) {
      hostNotice.value = { kind: 'error', text: errorSentence(error) };
    } finally {
      hostChecking.value = false;
    }
  }

  /** The person's answer to "This sign-in came from <host>: use sign-ins from there?". */
  async function answerSignIn(trust: boolean): Promise<void> {
    const pending = state.value?.pendingSignIn;
    if (!pending) return;
    try {
      await request(deps.send, 'answerPendingSignIn', { origin: pending.origin, trust });
      await load();
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  /** Whether a role's remembered profile is synced on every sign-in (undefined: no profile remembered yet). */
  function autoSyncOf(roleArn: string): boolean | undefined {
    return state.value?.settings.mappings.find((m) => m.roleArn === roleArn)?.autoSync;
  }

  async function setAutoSync(roleArn: string, autoSync: boolean): Promise<void> {
    try {
      const settings = await request(deps.send, 'setAutoSync', { roleArn, autoSync });
      if (state.value) state.value = { ...state.value, settings };
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  async function openSignIn(): Promise<void> {
    try {
      const { opened } = await request(deps.send, 'openSignIn', {});
      if (opened) deps.close?.();
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  function setProfileNotice(profile: string, notice: Notice | undefined): void {
    const next = { ...profileNotices.value };
    if (notice) next[profile] = notice;
    else delete next[profile];
    profileNotices.value = next;
  }

  async function profileAction(profile: string, run: () => Promise<Notice | undefined>): Promise<void> {
    if (profileBusy.value[profile]) return;
    profileBusy.value = { ...profileBusy.value, [profile]: true };
    try {
      setProfileNotice(profile, await run());
    } catch (error) {
      setProfileNotice(profile, { kind: 'error', text: errorSentence(error) });
    } finally {
      profileBusy.value = { ...profileBusy.value, [profile]: false };
    }
  }

  /** "Refresh <profile>": one refresh through the IdP session now, the way the schedule does it. */
  function refreshProfile(profile: string): Promise<void> {
    return profileAction(profile, async () => {
      const result = await request(deps.send, 'refreshNow', { profile });
      await load();
      return result.ok ? { kind: 'ok', text: t('popup.profile.refreshed', { profile }) } : { kind: 'error', text: result.message ?? t('popup.profile.refreshFailed') };
    });
  }

  function openConsole(profile: string): Promise<void> {
    return profileAction(profile, async () => {
      await request(deps.send, 'openConsole', { profile });
      return { kind: 'ok', text: t('popup.profile.openedConsole', { profile }) };
    });
  }

  /** "Remove <profile>" asks first; `confirmRemove` does it. */
  function askRemove(profile: string | undefined): void {
    confirmingRemove.value = profile;
  }

  function confirmRemove(profile: string): Promise<void> {
    confirmingRemove.value = undefined;
    return profileAction(profile, async () => {
      const { removed } = await request(deps.send, 'removeProfile', { profile });
      await load();
      return removed ? undefined : { kind: 'error', text: t('popup.profile.goneAlready', { profile }) };
    });
  }

  function expirationsOnScreen(): (string | undefined)[] {
    const s = state.value;
    return [
      ...(s?.profiles.map((p) => p.expiration) ?? []),
      ...Object.values(s?.roleSync ?? {}).map((r) => r.expiration),
    ];
  }

  let timer: unknown;
  let listening = false;
  const onMessage = (message: unknown): void => {
    if (isStateChangedEvent(message)) applyState(message.state);
  };

  function tick(): void {
    refreshClock();
    timer = setTimer(tick, nextTickDelay(expirationsOnScreen(), clock.value) ?? 15_000);
  }

  /** Load the state, listen for changes, run the clock. Returns the function that stops all of it. */
  function start(): () => void {
    if (deps.events && !listening) {
      deps.events.addListener(onMessage);
      listening = true;
    }
    tick();
    void load();
    return stop;
  }

  function stop(): void {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (listening) deps.events?.removeListener(onMessage);
    listening = false;
  }

  return {
    // state
    state,
    loadError,
    profileEdits,
    filter,
    clock,
    copyNotices,
    profileNotices,
    confirmingRemove,
    profileBusy,
    hostNotice,
    hostChecking,
    // derived
    roles,
    groups,
    showFilter,
    profiles,
    hostProblem,
    profileFor,
    syncOf,
    // actions
    load,
    applyState,
    setProfile,
    syncRole,
    copyEnv,
    copyInstallCommand,
    checkHost,
    openSignIn,
    answerSignIn,
    autoSyncOf,
    setAutoSync,
    refreshProfile,
    openConsole,
    askRemove,
    confirmRemove,
    openOptions: () => deps.openOptions?.(),
    start,
    stop,
  };
}

export type PopupStore = ReturnType<typeof createPopupStore>;
