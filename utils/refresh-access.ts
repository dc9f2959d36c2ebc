/**
 * What silent refresh fetches and which host permission it needs. Pure.
 *
 * The worker fetches the configured sign-in URL with the browser's cookies; that only works with host permission
 * for every origin the answer passes through (the IdP's), which is asked when the person turns refresh on. The
 * manifest can only offer origins it lists as optional, so the IdPs whose origin varies per company are covered
 * by the narrowest pattern of their cloud domain; a self-hosted IdP (Keycloak, ADFS, …) is not, and uses the
 * background-tab strategy, which needs no permission (the capture is the usual webRequest one on AWS's endpoint).
 */
import { signInUrlOf, type Settings } from './settings';

/** optional_host_permissions for silent refresh (wxt.config.ts). Never `https://*\/*`. */
export const OPTIONAL_IDP_HOST_PATTERNS: readonly string[] = [
  'https://accounts.google.com/*',
  'https://*.okta.com/*',
  'https://*.oktapreview.com/*',
  'https://*.okta-emea.com/*',
  'https://login.microsoftonline.com/*',
  'https://launcher.myapps.microsoft.com/*',
  'https://myapps.microsoft.com/*',
  'https://*.onelogin.com/*',
  'https://sso.jumpcloud.com/*',
  'https://auth.pingone.com/*',
];

/** Hosts an IdP-initiated URL is known to pass through on its way to the form (Entra's link goes to its login host). */
const ALSO_NEEDED: Record<string, string[]> = {
  'launcher.myapps.microsoft.com': ['https://login.microsoftonline.com/*'],
  'myapps.microsoft.com': ['https://login.microsoftonline.com/*'],
};

/** Does match pattern `pattern` (`https://host/*` or `https://*.domain/*`) cover `https://<host>/`? */
export function patternCoversHost(pattern: string, host: string): boolean {
  const m = /^https:\/\/(\*\.)?([^/*]+)\/\*$/.exec(pattern);
  if (!m) return false;
  const [, wildcard, domain] = m;
  const h = host.toLowerCase();
  return h === domain || (!!wildcard && h.endsWith(`.${domain}`));
}

/**
 * The origins (`https://host/*`) to ask for so the worker may fetch `signInUrl`, or undefined when one is not
 * covered by OPTIONAL_IDP_HOST_PATTERNS (then only the background-tab strategy can refresh).
 */
export function refreshOriginsFor(signInUrl: string): string[] | undefined {
  let host: string;
  try {
    const u = new URL(signInUrl);
    if (u.protocol !== 'https:' || u.port !== '') return undefined;
    host = u.hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const origins = [`https://${host}/*`, ...(ALSO_NEEDED[host] ?? [])];
  return origins.every((o) => OPTIONAL_IDP_HOST_PATTERNS.some((p) => patternCoversHost(p, new URL(o.replace('/*', '/')).hostname)))
    ? origins
    : undefined;
}

/** The URL silent refresh fetches: the sign-in URL, with Google's `authuser` when the person picked an account. */
export function refreshUrlOf(settings: Settings): string | undefined {
  const url = signInUrlOf(settings);
  if (!url) return undefined;
  const authuser = settings.refreshAuthUser[url];
  if (authuser === undefined) return url;
  const u = new URL(url);
  // Google's initsso honours authuser; forceauthn=true would ask the person every time.
  u.searchParams.set('authuser', String(authuser));
  if (u.searchParams.get('forceauthn') === 'true') u.searchParams.set('forceauthn', 'false');
  return u.href;
}
