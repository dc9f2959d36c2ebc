/**
 * The profiles the helper manages, as a tree (a chained profile under its source), and what can be done with
 * each: copy as environment variables, refresh now, open the console, remove (after a "yes").
 */
import { computed, signal } from '@preact/signals';
import { t, uiLanguage } from '@/i18n/translate';
import { clockTime } from '@/utils/format-time';
import { request, type ManagedProfile, type PopupState } from '@/utils/messages';
import { errorSentence, type Notice, type StateAccess } from './shared';

export interface ProfileNode {
  profile: ManagedProfile;
  children: ProfileNode[];
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

/** Expiry of a profile this session knows of, from the profile list or a sync result. */
function expirationOf(state: PopupState | undefined, profile: string): string | undefined {
  const listed = state?.profiles.find((p) => p.profile === profile)?.expiration;
  if (listed) return listed;
  // Also a failed write to ~/.aws keeps the credentials (and their expiry) for copying.
  return Object.values(state?.roleSync ?? {}).find((r) => r.profile === profile && r.expiration !== undefined)?.expiration;
}

export function createProfiles(background: StateAccess, writeClipboard: (text: string) => Promise<void>) {
  const { state, send } = background;
  /** Result of the last copy per profile. */
  const copyNotices = signal<Record<string, Notice>>({});
  /** Outcome of the last Refresh / Open console / Remove per profile. */
  const profileNotices = signal<Record<string, Notice>>({});
  /** The profile whose Remove waits for the person's "yes". */
  const confirmingRemove = signal<string | undefined>(undefined);
  /** Profiles with an action under way. */
  const profileBusy = signal<Record<string, boolean>>({});

  const profiles = computed(() => profileTree(state.value?.profiles ?? []));

  async function copyEnv(profile: string): Promise<void> {
    let notice: Notice;
    try {
      const { text } = await request(send, 'copyEnv', { profile });
      try {
        await writeClipboard(text);
      } catch {
        throw new Error(t('popup.clipboardRefused'));
      }
      const expiration = expirationOf(state.value, profile);
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
      const result = await request(send, 'refreshNow', { profile });
      await background.load();
      return result.ok ? { kind: 'ok', text: t('popup.profile.refreshed', { profile }) } : { kind: 'error', text: result.message ?? t('popup.profile.refreshFailed') };
    });
  }

  function openConsole(profile: string): Promise<void> {
    return profileAction(profile, async () => {
      await request(send, 'openConsole', { profile });
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
      const { removed } = await request(send, 'removeProfile', { profile });
      await background.load();
      return removed ? undefined : { kind: 'error', text: t('popup.profile.goneAlready', { profile }) };
    });
  }

  return { profiles, copyNotices, profileNotices, confirmingRemove, profileBusy, copyEnv, refreshProfile, openConsole, askRemove, confirmRemove };
}
