/** The options page: wires the browser to the options store and renders. Everything else lives in components/. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { localizePage, t } from '@/i18n/translate';
import { createOptionsStore, type RefreshAccess } from '@/components/options-store';
import { OptionsApp } from '@/components/options/OptionsApp';
import { createPopupStore } from '@/components/popup-store';
import { PopupStoreContext } from '@/components/popup/context';
import { SyncedProfiles } from '@/components/popup/SyncedProfiles';
import { refreshOriginsFor } from '@/utils/refresh-access';
import { hostPatternOf, parseStsEndpoint, STS_HOST_PATTERNS } from '@/utils/aws-endpoints';
import '@/components/ui.css';

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A custom STS endpoint outside the built-in host permissions needs its own host permission (within the optional
 * `*.amazonaws.com` ones). Called synchronously from the Save or Apply click: permissions.request() only works inside
 * a user gesture. Anything that is not an AWS STS host is left to the background, which refuses it with a sentence.
 */
function requestEndpointAccess(endpoint: string): Promise<boolean> {
  const sts = parseStsEndpoint(endpoint);
  const pattern = sts && hostPatternOf(sts.url);
  if (!pattern || STS_HOST_PATTERNS.includes(pattern)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [pattern] }).catch(() => false);
}

/** Silent refresh's host permission for the IdP, asked from the click that turns refresh on. */
function requestRefreshAccess(signInUrl: string): Promise<RefreshAccess> {
  const origins = refreshOriginsFor(signInUrl);
  if (!origins) return Promise.resolve('not-covered');
  return browser.permissions.request({ origins }).then(
    (granted) => (granted ? 'granted' : 'refused'),
    () => 'refused',
  );
}

/** The same "Synced profiles" list and actions as the popup. */
const profilesStore = createPopupStore({
  send: (message) => browser.runtime.sendMessage(message),
  events: browser.runtime.onMessage,
  writeClipboard: (text) => navigator.clipboard.writeText(text),
});

const store = createOptionsStore({
  send: (message) => browser.runtime.sendMessage(message),
  events: browser.runtime.onMessage,
  download,
  requestEndpointAccess,
  requestRefreshAccess,
});

localizePage(document, t('extension.settingsTitle'));
render(
  <OptionsApp
    store={store}
    profiles={
      <PopupStoreContext.Provider value={profilesStore}>
        <SyncedProfiles />
      </PopupStoreContext.Provider>
    }
    onReady={() => {
      document.body.dataset.rendered = '1';
    }}
  />,
  document.getElementById('app')!,
);
store.start();
profilesStore.start();
