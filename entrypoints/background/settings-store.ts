/**
 * Settings in `storage.local` (no secrets), merged with what an administrator preset in `storage.managed`.
 */
import { browser } from 'wxt/browser';
import {
  mergeManagedSettings,
  migrateSettings,
  SETTINGS_KEY,
  validateSettings,
  type Settings,
  type SettingsInput,
} from '@/utils/settings';

async function managedSettings(): Promise<Partial<SettingsInput> | undefined> {
  try {
    // Throws where no managed schema or policy exists (Firefox without policies, unit tests).
    return (await browser.storage.managed.get()) as Partial<SettingsInput>;
  } catch {
    return undefined;
  }
}

export async function loadOwnSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  try {
    return migrateSettings(stored[SETTINGS_KEY]);
  } catch {
    // Unreadable stored settings must not lock the person out; defaults keep the extension usable and the
    // options page shows them so they can be set again.
    return migrateSettings(undefined);
  }
}

export async function loadSettings(): Promise<Settings> {
  return mergeManagedSettings(await loadOwnSettings(), await managedSettings());
}

/** Validates first; on a bad value nothing is stored and the SettingsError's sentence goes back to the page. */
export async function saveSettings(input: unknown): Promise<Settings> {
  const settings = validateSettings(input);
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
  return loadSettings();
}

export async function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  return saveSettings(change(await loadOwnSettings()));
}
