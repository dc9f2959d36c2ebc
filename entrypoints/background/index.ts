import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { NATIVE_HOST_NAME } from '@/utils/extension-identity';
import { showBadge, notifySyncFailure } from './badge';
import { forgetStaleAssertion, listenForSamlPosts } from './capture';
import { createHostAccess } from './host';
import { broadcastState, createHandlers, listenForRequests } from './messages';
import { knownProfiles, lastAutoSyncError, purgeExpired } from './session-state';
import { loadSettings } from './settings-store';
import { autoSync, firstFailure } from './sync';

const TICK_ALARM = 'tick';

export default defineBackground(() => {
  const host = createHostAccess(
    () => browser.runtime.connectNative(NATIVE_HOST_NAME),
    () => browser.runtime.lastError?.message,
  );

  const changed = async (): Promise<void> => {
    const state = await broadcastState(host);
    await showBadge(
      state.profiles.map((p) => p.expiration),
      state.lastAutoSyncError,
    );
  };

  // Registered first and synchronously: the POST that wakes a stopped service worker is delivered to the
  // listeners present when its script finishes its first run.
  listenForSamlPosts(async (login) => {
    await changed();
    if (!login.ok) return;
    const outcome = await autoSync(login, await loadSettings(), host);
    if (!outcome) return;
    const failure = firstFailure(outcome);
    if (failure) await notifySyncFailure(failure);
    await changed();
  });

  listenForRequests(createHandlers(host, changed));

  // Every minute: drop what has expired and count the badge down, from what the host listed last (no host call).
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== TICK_ALARM) return;
    await forgetStaleAssertion();
    await purgeExpired();
    await showBadge(
      (await knownProfiles()).map((p) => p.expiration),
      await lastAutoSyncError(),
    );
  });
  void browser.alarms.get(TICK_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(TICK_ALARM, { periodInMinutes: 1 });
  });
});
