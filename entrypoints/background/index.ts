import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { withoutAssertion } from '@/utils/captured-login';
import { listenForSamlPosts } from './capture';

export default defineBackground(() => {
  // Registered first and synchronously: the POST that wakes a stopped service worker is delivered to the
  // listeners present when its script finishes its first run.
  listenForSamlPosts(async (login) => {
    // Tell an open popup; with none open there is no receiver, which is fine.
    await browser.runtime.sendMessage({ type: 'login-captured', login: withoutAssertion(login) }).catch(() => undefined);
  });
});
