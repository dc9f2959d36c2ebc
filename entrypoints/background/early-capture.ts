/**
 * The first module of the worker's bundle (index.ts imports it first): it registers the SAML listeners while the
 * bundle is still being evaluated, before the STS SDK and everything else, so that a login posted in the worker's
 * first instant (just installed, just restarted, woken by the POST itself) is seen. What it sees is kept until the
 * background hands it a sink.
 *
 * This is the one module with an effect at its top level. WXT also imports entrypoints at build time, in Node,
 * where there is no `browser.webRequest`: then it does nothing and the background registers in main() instead.
 */
import { browser } from 'wxt/browser';
import { listenForSamlPosts, type SamlListener } from './saml-listener';

export const earlySamlPosts: SamlListener | undefined =
  typeof (browser as { webRequest?: { onBeforeRequest?: { addListener?: unknown } } } | undefined)?.webRequest?.onBeforeRequest
    ?.addListener === 'function'
    ? listenForSamlPosts()
    : undefined;
