// First: registers the SAML listeners before anything heavy below is evaluated (see early-capture.ts).
import { earlySamlPosts } from './early-capture';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import type { CapturedLoginOk } from '@/utils/captured-login';
import { NATIVE_HOST_NAME } from '@/utils/extension-identity';
import { SETTINGS_KEY, signInUrlOf, type Settings } from '@/utils/settings';
import { showBadge, notifySyncFailure } from './badge';
import { forgetStaleAssertion, handleSamlPost, type CaptureOutcome, type TrustSettings } from './capture';
import { createCredentialProcess } from './credential-process';
import { createHostAccess } from './host';
import { confirmedOrigins } from './login-store';
import { broadcastState, createHandlers, listenForRequests } from './messages';
import { listenForSamlPosts, type SamlPost } from './saml-listener';
import { knownProfiles, lastAutoSyncError, purgeExpired } from './session-state';
import { forgetManagedSettings, loadSettings } from './settings-store';
import { autoSync, firstFailure, keepReachAnswers } from './sync';
import { createRefresher, refreshBadgeProblem, wantsSentence } from './refresh';

const TICK_ALARM = 'tick';

export default defineBackground(() => {
  // Registered while the bundle was evaluated (early-capture.ts), else now, first and synchronously: the POST that
  // wakes a stopped service worker is delivered to the listeners present when its script finishes its first run.
  // Posts seen before the rest is ready are kept.
  const samlPosts = earlySamlPosts ?? listenForSamlPosts();
  keepReachAnswers();

  const host = createHostAccess(
    () => browser.runtime.connectNative(NATIVE_HOST_NAME),
    () => browser.runtime.lastError?.message,
  );

  const changed = async (options?: { listHost?: boolean }): Promise<void> => {
    const state = await broadcastState(host, options);
    await showBadge(
      state.profiles.map((p) => p.expiration),
      state.lastAutoSyncError ?? state.refresh?.needsYou ?? state.refresh?.lastFailure,
    );
    await refresher.reschedule(state.profiles, state.settings);
  };

  // Silent refresh (entrypoints/background/refresh.ts): its alarm may be what woke the worker.
  const refresher = createRefresher({ host, changed });
  refresher.listen();

  /**
   * A login that counts: every remembered mapping with auto-sync on, at once (nothing waits for the popup's state),
   * with the settings its capture was judged by when it has them. It may start while the capture still stores the
   * login (`stored`): what follows the sync reads that login back, so it waits for the store.
   */
  const syncLogin = async (login: CapturedLoginOk, settings?: Settings, stored?: Promise<void>): Promise<void> => {
    const outcome = await autoSync(login, settings ?? (await loadSettings()), host);
    await stored;
    const failure = outcome && firstFailure(outcome);
    if (failure) await notifySyncFailure(failure);
    else await refresher.loginSynced();
    // The host's write reply listed the profiles: no list request again.
    await changed({ listHost: !outcome?.hostListed });
  };

  const trustSettings = async (): Promise<TrustSettings> => {
    const [settings, origins] = await Promise.all([loadSettings(), confirmedOrigins.getValue()]);
    return { signInUrl: signInUrlOf(settings), confirmedOrigins: origins, settings };
  };

  /** A SAML post seen by the listener (or offered by the role chooser page): taken by the rules, then synced at once. */
  const takeSamlPost = async (post: SamlPost): Promise<CaptureOutcome> => {
    // The sync starts the moment the login counts, while the capture still stores it.
    let syncing: Promise<void> | undefined;
    const outcome = await handleSamlPost(post, trustSettings, (login, { settings, stored }) => (syncing = syncLogin(login, settings, stored)));
    // The popup sees the new login at once, from what the host listed last: a list request now would go to the
    // host ahead of the sync's write. The sync ends with a full state.
    if (syncing) await Promise.all([syncing, changed({ listHost: false })]);
    else if (outcome.kind === 'captured' || outcome.kind === 'untrusted') await changed();
    return outcome;
  };

  samlPosts.deliverTo((post) => void takeSamlPost(post));

  listenForRequests(createHandlers(host, changed, syncLogin, takeSamlPost, refresher));

  // credential_process (issue 12): one native port open while any profile is served on demand.
  const credentialProcess = createCredentialProcess({
    connect: () => browser.runtime.connectNative(NATIVE_HOST_NAME),
    lastError: () => browser.runtime.lastError?.message,
    loadSettings,
    host,
    silentRefresh: async () => {
      const attempt = await refresher.refreshNow();
      return attempt.ok ? attempt : { ok: false, wants: wantsSentence(attempt.kind) };
    },
  });
  void credentialProcess.update();

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed') forgetManagedSettings();
    if (area === 'managed' || (area === 'local' && SETTINGS_KEY in changes)) void credentialProcess.update();
  });

  // Every minute: drop what has expired and count the badge down, from what the host listed last (no host call).
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== TICK_ALARM) return;
    await forgetStaleAssertion();
    await purgeExpired();
    await showBadge(
      (await knownProfiles()).map((p) => p.expiration),
      (await lastAutoSyncError()) ?? (await refreshBadgeProblem()),
    );
  });
  void browser.alarms.get(TICK_ALARM).then((existing) => {
    if (!existing) void browser.alarms.create(TICK_ALARM, { periodInMinutes: 1 });
  });
});
