import { useEffect } from 'preact/hooks';
import { t } from '@/i18n/translate';
import type { PopupStore } from '../popup-store';
import { PopupStoreContext, usePopupStore } from './context';
import { HostMissing } from './HostMissing';
import { LoginError } from './LoginError';
import { PendingSignIn } from './PendingSignIn';
import { RoleList } from './RoleList';
import { SignInPrompt } from './SignInPrompt';
import { SyncedProfiles } from './SyncedProfiles';

function PopupBody({ onReady }: { onReady?: () => void }) {
  const store = usePopupStore();
  const state = store.state.value;
  const loadError = store.loadError.value;
  const ready = state !== undefined || loadError !== undefined;
  useEffect(() => {
    if (ready) onReady?.();
  }, [ready]);

  if (!state) {
    return loadError ? (
      <p role="alert" class="error-text">
        {loadError}
      </p>
    ) : (
      <p class="subtle" aria-busy="true">
        {t('common.loading')}
      </p>
    );
  }
  const login = state.login;
  const host = store.hostProblem.value;
  return (
    <>
      {loadError && (
        <p role="alert" class="error-text">
          {loadError}
        </p>
      )}
      {host && <HostMissing host={host} />}
      {state.lastAutoSyncError && (
        <p role="alert" class="banner error">
          {t('popup.autoSyncFailed', { error: state.lastAutoSyncError })}
        </p>
      )}
      {state.pendingSignIn && <PendingSignIn pending={state.pendingSignIn} />}
      {!login && !state.pendingSignIn && <SignInPrompt />}
      {login && !login.ok && <LoginError login={login} />}
      {login?.ok && <RoleList login={login} />}
      <SyncedProfiles />
    </>
  );
}

/** The whole popup. `onReady` runs once the first state (or its error) is on screen. */
export function PopupApp({ store, onReady }: { store: PopupStore; onReady?: () => void }) {
  return (
    <PopupStoreContext.Provider value={store}>
      <div class="popup">
        <header class="app-header">
          <h1>{t('extension.name')}</h1>
          <button type="button" class="link" onClick={() => store.openOptions()}>
            {t('popup.settings')}
          </button>
        </header>
        <main>
          <PopupBody onReady={onReady} />
        </main>
      </div>
    </PopupStoreContext.Provider>
  );
}
