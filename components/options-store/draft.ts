/**
 * The settings as saved and the draft the person edits: its changes row by row, whether it differs from the saved
 * settings, and undo. Saving, importing and the background's own changes hand in new saved settings (`adopt`).
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Settings } from '@/utils/settings';
import { aliasDraft, chainDraft, draftToSettings, mappingDraft, settingsToDraft, type RowList, type SettingsDraft } from './settings-draft';
import type { Status } from './status';

/** One list of rows in the draft (mappings, chains or aliases), and its edits. */
export interface DraftRows<Row extends { key: string }> {
  rows: ReadonlySignal<readonly Row[]>;
  add(): void;
  change(rowKey: string, patch: Partial<Row>): void;
  remove(rowKey: string): void;
}

export function createDraft(status: Status) {
  const saved = signal<Settings | undefined>(undefined);
  const draft = signal<SettingsDraft | undefined>(undefined);

  /** Whether saving the draft would change the saved settings (what differs only in spacing does not count). */
  const dirty = computed(() => {
    if (!draft.value || !saved.value) return false;
    return JSON.stringify(draftToSettings(draft.value)) !== JSON.stringify(draftToSettings(settingsToDraft(saved.value)));
  });

  /** New saved settings, and a fresh draft of them. */
  function adopt(settings: Settings): void {
    batch(() => {
      saved.value = settings;
      draft.value = settingsToDraft(settings);
    });
  }

  /** New saved settings from elsewhere, under the person's unsaved edits (kept). */
  function savedElsewhere(settings: Settings): void {
    if (dirty.value) saved.value = settings;
    else adopt(settings);
  }

  function edit(change: (d: SettingsDraft) => SettingsDraft): void {
    if (!draft.value) return;
    draft.value = change(draft.value);
    status.clearOk();
  }

  function revert(): void {
    if (saved.value) adopt(saved.value);
    status.notice.value = undefined;
  }

  function rowsOf<K extends RowList, Row extends SettingsDraft[K][number]>(list: K, newRow: () => Row): DraftRows<Row> {
    const rowsIn = (d: SettingsDraft) => d[list] as Row[];
    return {
      rows: computed(() => (draft.value ? rowsIn(draft.value) : [])),
      add: () => edit((d) => ({ ...d, [list]: [...rowsIn(d), newRow()] })),
      change: (rowKey, patch) => edit((d) => ({ ...d, [list]: rowsIn(d).map((r) => (r.key === rowKey ? { ...r, ...patch } : r)) })),
      remove: (rowKey) => edit((d) => ({ ...d, [list]: rowsIn(d).filter((r) => r.key !== rowKey) })),
    };
  }

  return {
    /** The draft's settings, as typed (undefined until the background answered). */
    settings: draft as ReadonlySignal<SettingsDraft | undefined>,
    dirty,
    adopt,
    savedElsewhere,
    edit,
    revert,
    mappings: rowsOf('mappings', () => mappingDraft()),
    chains: rowsOf('chains', () => chainDraft()),
    aliases: rowsOf('aliases', () => aliasDraft()),
  };
}

export type Draft = ReturnType<typeof createDraft>;
