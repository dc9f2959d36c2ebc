/** The popup: wires the browser to the popup store and renders. Everything else lives in components/. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { localizePage, t } from '@/i18n/translate';
import { createPopupStore } from '@/components/popup-store';
import { PopupApp } from '@/components/popup/PopupApp';
import '@/components/ui.css';

const store = createPopupStore({
  send: (message) => browser.runtime.sendMessage(message),
  events: browser.runtime.onMessage,
  writeClipboard: (text) => navigator.clipboard.writeText(text),
  openOptions: () => void browser.runtime.openOptionsPage(),
  close: () => window.close(),
});

function markRendered(): void {
  if (document.body.dataset.rendered) return;
  performance.mark('first-render');
  document.body.dataset.rendered = '1';
}

localizePage(document, t('extension.name'));
render(<PopupApp store={store} onReady={markRendered} />, document.getElementById('app')!);
store.start();
addEventListener('pagehide', () => store.stop());
