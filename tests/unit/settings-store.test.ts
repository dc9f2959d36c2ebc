/**
 * entrypoints/background/settings-store.ts on WXT's fake browser: writes of the settings happen one after another,
 * so the options page's save is never lost to a read-change-write made at the same time (account names from the
 * role chooser, a mapping remembered by a sync).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadOwnSettings, saveSettings, updateSettings } from '../../entrypoints/background/settings-store';

beforeEach(() => fakeBrowser.reset());

describe('settings writes', () => {
  it('a save made while names are being remembered stands, and so do the names when they come first', async () => {
    await saveSettings({ version: 1 });
    const remembering = updateSettings((s) => ({ ...s, accountAliases: { ...s.accountAliases, '111222333444': 'sandbox' } }));
    const saving = saveSettings({ version: 1, defaultRegion: 'eu-west-1' });
    await Promise.all([remembering, saving]);
    expect((await loadOwnSettings()).defaultRegion).toBe('eu-west-1');

    const saved = saveSettings({ version: 1, defaultRegion: 'eu-central-1' });
    const named = updateSettings((s) => ({ ...s, accountAliases: { ...s.accountAliases, '111222333444': 'sandbox' } }));
    await Promise.all([saved, named]);
    expect(await loadOwnSettings()).toMatchObject({ defaultRegion: 'eu-central-1', accountAliases: { '111222333444': 'sandbox' } });
  });

  it('a refused save changes nothing and does not hold up the next write', async () => {
    await saveSettings({ version: 1, defaultRegion: 'eu-west-1' });
    await expect(saveSettings({ version: 1, defaultRegion: 'not a region' })).rejects.toThrow();
    await updateSettings((s) => ({ ...s, defaultRegion: 'us-east-2' }));
    expect((await loadOwnSettings()).defaultRegion).toBe('us-east-2');
  });
});
