/**
 * The SAML listener registered in the worker's first instant: in Chrome by entrypoints/capture-first.ts, the
 * service worker script that loads background.js after registering it; else (Firefox, or when that script did not
 * run) by this module, the first of the background's bundle (index.ts imports it first), while the bundle is still
 * being evaluated, before the STS SDK and everything else.
 * Either way a login posted right away (just installed, just restarted, woken by the POST itself) is kept until
 * the background hands it a sink.
 *
 * This is the one module with an effect at its top level. WXT also imports entrypoints at build time, in Node,
 * where there is no `browser.webRequest`: then it does nothing and the background registers in main() instead.
 */
import { browser } from 'wxt/browser';
import { EARLY_LISTENER_GLOBAL, type EarlyGlobal } from './early-listener';
import { listenForSamlPosts, type SamlListener } from './saml-listener';

export const earlySamlPosts: SamlListener | undefined =
  (globalThis as EarlyGlobal)[EARLY_LISTENER_GLOBAL] ??
  (typeof (browser as { webRequest?: { onBeforeRequest?: { addListener?: unknown } } } | undefined)?.webRequest?.onBeforeRequest?.addListener ===
  'function'
    ? listenForSamlPosts()
    : undefined);
