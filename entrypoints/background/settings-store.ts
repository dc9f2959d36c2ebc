/**
 * Settings in `storage.local` (no secrets), merged with what an administrator preset in `storage.managed`.
 *
 * `storage.managed.get()` can take seconds after a browser start, or never answer: it is read once with a time
 * limit and kept (re-read when the policy changes). A slow or silent managed storage never blocks a sync; until it
 * answers, the person's own settings apply.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { LocalizedText } from '@/utils/localized-text';
import { oneAtATime } from '@/utils/one-at-a-time';
import {
  mergeManagedSettings,
  migrateSettings,
  SETTINGS_KEY,
  validateSettings,
  type Settings,
  type SettingsInput,
} from '@/utils/settings';

type Managed = Partial<SettingsInput> | undefined;

/**
 * The person's own settings as stored, of any version: the version travels inside the value because exported
 * files carry it too, so one migration (migrateSettings in utils/settings.ts) serves both stored and imported ones.
 */
const ownSettings = storage.defineItem<unknown>(`local:${SETTINGS_KEY}`);

/** How long a read of managed storage may hold up the settings. */
export const MANAGED_READ_LIMIT_MS = 1_000;

let managed: { value: Managed; settled: boolean } | undefined;
let reading: Promise<void> | undefined;
/** One time limit for every read until managed storage answers: once it has passed, reads do not wait again. */
let deadline: Promise<void> | undefined;

function readManaged(): Promise<void> {
  reading ??= browser.storage.managed
    .get()
    .then(
      (value) => void (managed = { value: value as Managed, settled: true }),
      // Throws where no managed schema or policy exists (Firefox without policies, unit tests).
      () => void (managed = { value: undefined, settled: true }),
    )
    .finally(() => (reading = undefined));
  return reading;
}

async function managedSettings(): Promise<Managed> {
  if (managed?.settled) return managed.value;
  deadline ??= new Promise((r) => setTimeout(r, MANAGED_READ_LIMIT_MS));
  await Promise.race([readManaged(), deadline]);
  return managed?.value;
}

/** The policy changed: read it again next time. */
export function forgetManagedSettings(): void {
  managed = undefined;
  deadline = undefined;
}

export async function loadOwnSettings(): Promise<Settings> {
  const stored = await ownSettings.getValue();
  try {
    return migrateSettings(stored ?? undefined);
  } catch {
    // Unreadable stored settings must not lock the person out; defaults keep the extension usable and the
    // options page shows them so they can be set again.
    return migrateSettings(undefined);
  }
}

/** The settings in force; sentences about preset keys that were ignored go to `problems`. */
export async function loadSettings(problems?: LocalizedText[]): Promise<Settings> {
  const [own, preset] = await Promise.all([loadOwnSettings(), managedSettings()]);
  return mergeManagedSettings(own, preset, problems);
}

/**
 * Writes of the settings, one after another: updateSettings reads, changes and writes them, and a save from the
 * options page landing between its read and its write would otherwise be lost (or it would be).
 */
const writes = oneAtATime();

async function store(input: unknown): Promise<Settings> {
  const settings = validateSettings(input);
  await ownSettings.setValue(settings);
  return loadSettings();
}

/** Validates first; on a bad value nothing is stored and the SettingsError's sentence goes back to the page. */
export function saveSettings(input: unknown): Promise<Settings> {
  return writes.run(() => store(input));
}

/** Changes what is stored now (account names, a remembered mapping), after any write under way. */
export function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  return writes.run(async () => store(change(await loadOwnSettings())));
}
