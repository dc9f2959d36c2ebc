/**
 * Chrome's service worker script (the manifest names it instead of background.js): it registers the SAML listeners
 * before the background's bundle is even loaded, then loads that bundle in the same first run. A login posted in a
 * worker's first instant is then seen also when the bundle takes long to compile: the first start after install
 * has no code cache (200-400 ms here for background.js, against a few ms for this script). What it sees waits in
 * the listener until the background hands it a sink (entrypoints/background/early-capture.ts).
 *
 * Not built for Firefox: its background page evaluates background.js, whose first module registers the listeners
 * (early-capture.ts), and the fresh-install tests there never missed a login.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { listenForSamlPosts } from './background/saml-listener';
import { EARLY_LISTENER_GLOBAL, type EarlyGlobal } from './background/early-listener';

export default defineUnlistedScript({
  exclude: ['firefox'],
  main() {
    (globalThis as EarlyGlobal)[EARLY_LISTENER_GLOBAL] = listenForSamlPosts();
    const load = (globalThis as { importScripts?: (...urls: string[]) => void }).importScripts;
    if (typeof load === 'function') load('/background.js');
  },
});
