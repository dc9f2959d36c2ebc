/**
 * Turns a SAMLResponse POST to AWS (entrypoints/background/saml-listener.ts) into the current login, when it counts:
 * - it must come from a trusted origin (utils/login-origins.ts): the configured sign-in URL's, one the person
 *   confirmed, or AWS's own sign-in pages (the role picker re-posts the assertion it was given);
 * - from any other origin it waits as a question for the popup, never replacing the current login, never synced;
 * - the same assertion posted twice (the IdP's POST, then the role picker's) is one login, synced once.
 */
import { parseSamlEndpoint } from '@/utils/aws-endpoints';
import { errorSentence } from '@/i18n/translate';
import { localized } from '@/utils/localized-text';
import { capturedLoginFailure, capturedLoginFromSaml, type CapturedLogin, type CapturedLoginOk } from '@/utils/captured-login';
import { originOf, trustOfLogin } from '@/utils/login-origins';
import { formFromRequestBody } from '@/utils/saml-capture';
import { parseSamlResponse, SamlError } from '@/utils/saml';
import { assertionIsFresh } from '@/utils/assertion-freshness';
import { oneAtATime } from '@/utils/one-at-a-time';
import type { Settings } from '@/utils/settings';
import { assertionDigest, currentLogin, pendingLogin, rememberUntrusted, untrustedAssertions } from './login-store';
import type { SamlPost } from './saml-listener';

export type CaptureOutcome =
  | { kind: 'ignored' }
  /** Same assertion as the current login (the role picker's re-post): nothing new. */
  | { kind: 'duplicate' }
  /** From an origin the person has not confirmed: kept as a question. */
  | { kind: 'untrusted'; origin?: string }
  | { kind: 'captured'; login: CapturedLogin; settings?: Settings };

export interface TrustSettings {
  signInUrl?: string;
  confirmedOrigins: readonly string[];
  /** The settings these came from: handed on with a captured login, so its sync does not read them again. */
  settings?: Settings;
}


/**
 * Posts are taken one after another: the IdP's POST and the role picker's re-post of the same assertion can arrive
 * while the first is still being read, and each must see what the one before it stored (or both would count).
 */
const captures = oneAtATime();

/** Resolves once every SAML post seen so far has been taken or turned away (the role chooser page may ask before). */
export function capturesSettled(): Promise<void> {
  return captures.settled();
}

/**
 * Told of a login that counts as soon as that is decided, while it is still being stored (`stored` resolves then):
 * its sync need not wait for the store, only what reads the current login back does. The next post's turn waits
 * for it, so the role picker's re-post is still recognised.
 */
export type OnCounted = (login: CapturedLoginOk, context: { settings?: Settings; stored: Promise<void> }) => void;

export function handleSamlPost(
  post: SamlPost,
  trust: () => Promise<TrustSettings>,
  onCounted?: OnCounted,
): Promise<CaptureOutcome> {
  return inTurnWithCaptures(() => capture(post, trust, onCounted));
}

/**
 * Runs `work` after every SAML post seen so far has been taken, and before any seen later: for what else reads and
 * changes the current or pending login (the person's answer to "use sign-ins from there?", the account names from
 * the role chooser page). Otherwise they interleave at each await, and names sent while an answer moves the pending
 * login to the current one are lost.
 */
export function inTurnWithCaptures<T>(work: () => Promise<T>): Promise<T> {
  return captures.run(work);
}

async function capture(
  post: SamlPost,
  trust: () => Promise<TrustSettings>,
  onCounted?: OnCounted,
): Promise<CaptureOutcome> {
  if (post.method !== 'POST') return { kind: 'ignored' };
  const endpoint = parseSamlEndpoint(post.url);
  if (!endpoint) return { kind: 'ignored' };
  const form = formFromRequestBody(post.requestBody as Parameters<typeof formFromRequestBody>[0]);
  // Not a SAML sign-in (e.g. the role chooser's own form without the assertion).
  if (!form.samlResponse && !endpoint.encrypted) return { kind: 'ignored' };

  // What the rules need is read while the assertion is parsed: nothing on this path waits for what it need not.
  // The same assertion posted again (the role picker's re-post, the chooser page's net, both while the first
  // login's STS call is under way) is recognised by its digest and dropped, parsed or not.
  const reading = Promise.all([
    trust(),
    form.samlResponse ? assertionDigest(form.samlResponse) : undefined,
    currentLogin.getValue(),
    pendingLogin.getValue(),
  ]);
  const meta = { url: post.url, endpoint, capturedAt: post.timeStamp };
  let login: CapturedLogin;
  try {
    if (!form.samlResponse) throw new SamlError(localized('saml.encryptedForm'), 'encrypted');
    login = capturedLoginFromSaml(parseSamlResponse(form.samlResponse), meta);
  } catch (error) {
    login = capturedLoginFailure(error, meta, errorSentence);
  }
  const [[settings, posted, current, pending], initiator] = await Promise.all([reading, post.initiatorKnown ?? post.initiator]);
  const why = trustOfLogin({ initiator, signInUrl: settings.signInUrl, confirmedOrigins: settings.confirmedOrigins });
  if (why && posted && current?.ok && current.assertionDigest === posted) return { kind: 'duplicate' };
  if (login.ok) login.assertionDigest = posted;
  const digest = login.ok ? login.assertionDigest : undefined;

  if (why === 'aws-sign-in' && digest) {
    // The role picker re-posts whatever assertion it was given: one that did not count does not count now either.
    if (pending?.login.assertionDigest === digest || (await untrustedAssertions.getValue()).includes(digest)) {
      return { kind: 'untrusted', origin: pending?.origin };
    }
  }
  if (!why) {
    const origin = originOf(initiator);
    if (login.ok && digest) {
      await rememberUntrusted(digest);
      // Only a login that could be used is worth a question; the person is asked only for a readable origin. The
      // same assertion again (the role chooser's net) keeps the question as it is, with the names kept for it.
      if (origin && pending?.login.assertionDigest !== digest) await pendingLogin.setValue({ login, origin });
    }
    return { kind: 'untrusted', origin };
  }

  const samePoster = pending && originOf(pending.origin) === originOf(initiator);
  const storing = Promise.all([currentLogin.setValue(login), samePoster ? pendingLogin.removeValue() : undefined]).then(() => undefined);
  if (login.ok) onCounted?.(login, { settings: settings.settings, stored: storing.catch(() => undefined) });
  await storing;
  return { kind: 'captured', login, settings: settings.settings };
}

export async function loadCapturedLogin(): Promise<CapturedLogin | undefined> {
  return (await currentLogin.getValue()) ?? undefined;
}

/**
 * Drop the assertion once STS would refuse it anyway (utils/assertion-freshness.ts): a bearer token is kept no longer
 * than it is useful. The parsed roles stay for the popup. A pending login waiting for the person goes entirely.
 */
export async function forgetStaleAssertion(now = Date.now()): Promise<void> {
  const login = await loadCapturedLogin();
  if (login?.ok && login.samlResponse && !assertionIsFresh(login, now)) {
    await currentLogin.setValue({ ...login, samlResponse: '' });
  }
  const pending = await pendingLogin.getValue();
  if (pending && !assertionIsFresh(pending.login, now)) await pendingLogin.removeValue();
}

export type { CapturedLoginOk };
