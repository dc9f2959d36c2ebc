/**
 * Catches the SAMLResponse form POST to an AWS sign-in endpoint and keeps the parsed login in session storage.
 */
import { browser, type Browser } from 'wxt/browser';
import { parseSamlEndpoint, SAML_SIGNIN_MATCH_PATTERNS } from '@/utils/aws-endpoints';
import {
  CAPTURED_LOGIN_KEY,
  capturedLoginFailure,
  capturedLoginFromSaml,
  type CapturedLogin,
} from '@/utils/captured-login';
import { formFromRequestBody } from '@/utils/saml-capture';
import { parseSamlResponse, SamlError } from '@/utils/saml';
import { ASSERTION_MAX_AGE_MS } from '@/utils/sts';

export type LoginListener = (login: CapturedLogin) => void | Promise<void>;

/**
 * Registers the webRequest listener. Must be called synchronously while the background starts, so that a
 * service worker woken by the POST itself still has its listener in place when the event is dispatched.
 */
export function listenForSamlPosts(onLogin: LoginListener): void {
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      void handleSamlPost(details, onLogin);
      return undefined;
    },
    { urls: [...SAML_SIGNIN_MATCH_PATTERNS], types: ['main_frame'] },
    ['requestBody'],
  );
}

type RequestDetails = Browser.webRequest.OnBeforeRequestDetails;

export async function handleSamlPost(details: RequestDetails, onLogin: LoginListener): Promise<CapturedLogin | undefined> {
  if (details.method !== 'POST') return undefined;
  const endpoint = parseSamlEndpoint(details.url);
  if (!endpoint) return undefined;
  const meta = { url: details.url, endpoint, capturedAt: details.timeStamp || Date.now() };
  const form = formFromRequestBody(details.requestBody as Parameters<typeof formFromRequestBody>[0]);
  if (!form.samlResponse) {
    if (!endpoint.encrypted) return undefined; // not a SAML sign-in (e.g. the role chooser's own form)
  }
  let login: CapturedLogin;
  try {
    if (endpoint.encrypted && !form.samlResponse) {
      throw new SamlError(
        'This sign-in uses an encrypted SAML assertion, which only AWS can read; ask your IdP admin to turn off assertion encryption for AWS API access.',
      );
    }
    login = capturedLoginFromSaml(parseSamlResponse(form.samlResponse ?? ''), meta);
  } catch (error) {
    login = capturedLoginFailure(error, meta);
  }
  await browser.storage.session.set({ [CAPTURED_LOGIN_KEY]: login });
  await onLogin(login);
  return login;
}

export async function loadCapturedLogin(): Promise<CapturedLogin | undefined> {
  const stored = await browser.storage.session.get(CAPTURED_LOGIN_KEY);
  return stored[CAPTURED_LOGIN_KEY] as CapturedLogin | undefined;
}

/**
 * Drop the assertion once STS would refuse it anyway (past NotOnOrAfter, or 5 minutes after capture): a bearer
 * token is kept no longer than it is useful. The parsed roles stay for the popup.
 */
export async function forgetStaleAssertion(now = Date.now()): Promise<void> {
  const login = await loadCapturedLogin();
  if (!login?.ok || !login.samlResponse) return;
  const expired =
    (login.notOnOrAfter !== undefined && Date.parse(login.notOnOrAfter) <= now) ||
    now - Date.parse(login.capturedAt) > ASSERTION_MAX_AGE_MS;
  if (expired) await browser.storage.session.set({ [CAPTURED_LOGIN_KEY]: { ...login, samlResponse: '' } });
}
