/** The options page: wires the browser to the options store and renders. Everything else lives in components/. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createOptionsStore } from '@/components/options-store';
import { OptionsApp } from '@/components/options/OptionsApp';
import { STS_HOST_PATTERNS } from '@/utils/aws-endpoints';
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
 * An STS endpoint outside the built-in host permissions needs the optional `*.amazonaws.com` access. Called
 * synchronously from the Save click: permissions.request() only works inside a user gesture.
 */
function requestEndpointAccess(endpoint: string): Promise<boolean> {
  let host: string;
  try {
    const u = new URL(endpoint);
    if (u.protocol !== 'https:') return Promise.resolve(true);
    host = u.hostname;
  } catch {
    return Promise.resolve(true); // the background explains a malformed URL
  }
  const origin = `https://${host}/*`;
  const optional = host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  if (!optional || STS_HOST_PATTERNS.includes(origin)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [origin] }).catch(() => false);
}

const store = createOptionsStore({
  send: (message) => browser.runtime.sendMessage(message),
  events: browser.runtime.onMessage,
  download,
  requestEndpointAccess,
});

render(
  <OptionsApp
    store={store}
    onReady={() => {
      document.body.dataset.rendered = '1';
    }}
  />,
  document.getElementById('app')!,
);
store.start();
