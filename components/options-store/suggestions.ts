/** What the rows' inputs suggest: the last sign-in's role ARNs, and the profile names a chain can start from. */
import { computed, type ReadonlySignal } from '@preact/signals';
import type { PopupState } from '@/utils/messages';
import type { SettingsDraft } from './settings-draft';

export function createSuggestions(draft: ReadonlySignal<SettingsDraft | undefined>, state: ReadonlySignal<PopupState | undefined>) {
  /** Role ARNs the last sign-in offered, for the mapping's role ARN suggestions. */
  const knownRoleArns = computed(() => {
    const login = state.value?.login;
    return login?.ok ? login.roles.map((r) => r.roleArn) : [];
  });

  /** Profile names a chained profile can start from: the mappings' profiles, then the other chains'. */
  const sourceProfiles = computed(() => {
    const d = draft.value;
    if (!d) return [];
    const names = [...d.mappings.map((m) => m.profile.trim()), ...d.chains.map((c) => c.profile.trim())].filter(Boolean);
    return [...new Set(names)];
  });

  return { knownRoleArns, sourceProfiles };
}
