/**
 * Whose SAML sign-ins count. A SAMLResponse POST to AWS is taken as the person's login only when the page that
 * posted it belongs to the configured sign-in URL's origin, to an origin the person confirmed once in the popup,
 * or to AWS's own sign-in hosts (the role picker re-posts the same assertion). Any other page could be an attacker
 * posting its own valid assertion (login CSRF). Pure: no browser API.
 */
import { parseSigninHost } from './aws-endpoints';
import { localized, type LocalizedText } from './localized-text';

export type LoginOriginTrust = 'sign-in-url' | 'confirmed' | 'aws-sign-in';

/** `https://host[:port]` of an http(s) URL or origin string, lower-case; undefined for anything else (`null`, data:). */
export function originOf(url: string | undefined): string | undefined {
  if (!url || url === 'null') return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/** The host of an origin, for sentences ("This sign-in came from idp.example.com"). */
export function hostOfOrigin(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/** Origins of AWS's sign-in pages, in every partition and region (`https://[<region>.]signin…`). */
export function isAwsSignInOrigin(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.port === '' && parseSigninHost(u.hostname) !== undefined;
}

export interface TrustInput {
  /** The origin of the page that posted the form (Origin header, `initiator` or `originUrl`); undefined if unknown. */
  initiator: string | undefined;
  /** The configured sign-in URL (Google initsso from idpid + spid, or the person's own). */
  signInUrl: string | undefined;
  /** Origins the person confirmed in the popup. */
  confirmedOrigins: readonly string[];
}

/** Why a sign-in counts, or undefined when it must not count without the person's word. */
export function trustOfLogin(input: TrustInput): LoginOriginTrust | undefined {
  const initiator = originOf(input.initiator);
  if (!initiator) return undefined;
  if (initiator === originOf(input.signInUrl)) return 'sign-in-url';
  if (input.confirmedOrigins.some((o) => originOf(o) === initiator)) return 'confirmed';
  if (isAwsSignInOrigin(initiator)) return 'aws-sign-in';
  return undefined;
}

/**
 * Hosts of well-known IdPs and of AWS, whose names attackers put in front of their own domain
 * (`accounts.google.com.evil.test`). A sign-in URL whose host carries one of them followed by more labels is refused.
 */
const WELL_KNOWN_DOMAINS = [
  'accounts.google.com',
  'google.com',
  'okta.com',
  'oktapreview.com',
  'okta-emea.com',
  'microsoftonline.com',
  'microsoft.com',
  'onelogin.com',
  'jumpcloud.com',
  'pingidentity.com',
  'amazon.com',
  'amazonaws.com',
  'amazonaws-us-gov.com',
  'amazonaws.cn',
];

/** One sentence when a sign-in URL cannot be used, else undefined. */
export function signInUrlProblem(url: string): LocalizedText | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return localized('signInUrl.notUrl');
  }
  if (u.protocol !== 'https:') return localized('signInUrl.notHttps');
  if (u.username || u.password) return localized('signInUrl.credentials');
  const host = u.hostname;
  const lookAlike = WELL_KNOWN_DOMAINS.find((d) => host.startsWith(`${d}.`) || host.includes(`.${d}.`));
  return lookAlike ? localized('signInUrl.lookAlike', { host, lookAlike }) : undefined;
}
