/**
 * The worker's first script (the manifest names it before background.js): it registers the SAML listeners before
 * the background's bundle is even loaded, so that a login posted in the worker's first instant is seen also when
 * that bundle takes long to compile (the first start after install has no code cache: 200-400 ms here). What it sees
 * waits in the listener until the background hands it a sink (entrypoints/background/early-capture.ts).
 *
 * Chrome: this is the service worker; it loads background.js in the same first run. Firefox: the manifest lists
 * both scripts, in this order, for its background page.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { listenForSamlPosts } from './background/saml-listener';
import { EARLY_LISTENER_GLOBAL, type EarlyGlobal } from './background/early-listener';

export default defineUnlistedScript(() => {
  (globalThis as EarlyGlobal)[EARLY_LISTENER_GLOBAL] = listenForSamlPosts();
  const load = (globalThis as { importScripts?: (...urls: string[]) => void }).importScripts;
  if (typeof load === 'function') load('/background.js');
});
