/**
 * The webRequest listeners that see a SAMLResponse POST to AWS, and who posted it. Light on purpose (it imports
 * nothing heavy): it must be registered in the worker's first instant, and what it sees before the rest of the
 * background is ready is kept until a sink takes it.
 *
 * Who posted it (the initiator's origin) decides whether the sign-in counts (utils/login-origins.ts). Firefox gives
 * `originUrl` with the request. Chrome gives `initiator` only for origins the extension has host permission for,
 * so for the IdP's auto-posted form the Origin header is read in onBeforeSendHeaders (`extraHeaders`) and matched
 * by request id; a request that fails first, or whose headers never come, has no known initiator. Such a post is
 * handed on at once with `initiatorKnown`, so its assertion is read while the headers are on their way.
 */
import { browser, type Browser } from 'wxt/browser';
import { SAML_SIGNIN_MATCH_PATTERNS } from '@/utils/aws-endpoints';

/** One POST to an AWS SAML endpoint, as the browser reported it (the body still unparsed). */
export interface SamlPost {
  requestId: string;
  url: string;
  method: string;
  timeStamp: number;
  requestBody?: Browser.webRequest.OnBeforeRequestDetails['requestBody'];
  /** The origin (or URL) of the page that sent the form; undefined when the browser would not say. */
  initiator?: string;
  /** Set while the browser has yet to say who sent it (Chrome: its Origin header): `initiator`, once known. */
  initiatorKnown?: Promise<string | undefined>;
}

export type SamlPostSink = (post: SamlPost) => void;

/** How long a POST waits for its headers (Chrome) before it is handed on with no known initiator. */
const HEADERS_WAIT_MS = 3_000;

type BeforeRequest = Browser.webRequest.OnBeforeRequestDetails & { originUrl?: string; initiator?: string };
type BeforeSendHeaders = Browser.webRequest.OnBeforeSendHeadersDetails;

export interface SamlListener {
  /** Hands every post seen so far, and every later one, to `sink`. */
  deliverTo(sink: SamlPostSink): void;
}

/**
 * Registers the listeners synchronously. Call it first thing while the worker starts: a worker woken by the POST
 * itself is only given the event if its listener exists when the first run of its script ends.
 */
export function listenForSamlPosts(): SamlListener {
  let sink: SamlPostSink | undefined;
  const early: SamlPost[] = [];
  const waiting = new Map<string, { tell: (initiator: string | undefined) => void; timer: ReturnType<typeof setTimeout> }>();
  const filter = { urls: [...SAML_SIGNIN_MATCH_PATTERNS], types: ['main_frame' as const] };

  const emit = (post: SamlPost): void => {
    if (sink) sink(post);
    else early.push(post);
  };
  const release = (requestId: string, initiator?: string): void => {
    const entry = waiting.get(requestId);
    if (!entry) return;
    waiting.delete(requestId);
    clearTimeout(entry.timer);
    entry.tell(initiator);
  };

  // Chrome only: the Origin header is hidden from listeners without `extraHeaders`, an option Firefox does not know.
  const extraHeaders = (browser.webRequest as { OnBeforeSendHeadersOptions?: { EXTRA_HEADERS?: string } }).OnBeforeSendHeadersOptions
    ?.EXTRA_HEADERS;

  browser.webRequest.onBeforeRequest.addListener(
    (d) => {
      const details = d as BeforeRequest;
      if (details.method !== 'POST') return undefined;
      const post: SamlPost = {
        requestId: details.requestId,
        url: details.url,
        method: details.method,
        timeStamp: details.timeStamp || Date.now(),
        requestBody: details.requestBody,
        initiator: details.originUrl ?? details.initiator,
      };
      if (post.initiator !== undefined || !extraHeaders) emit(post);
      else {
        let tell!: (initiator: string | undefined) => void;
        const initiatorKnown = new Promise<string | undefined>((resolve) => (tell = resolve));
        waiting.set(post.requestId, { tell, timer: setTimeout(() => release(post.requestId), HEADERS_WAIT_MS) });
        emit({ ...post, initiatorKnown });
      }
      return undefined;
    },
    filter,
    ['requestBody'],
  );

  if (extraHeaders) {
    browser.webRequest.onBeforeSendHeaders.addListener(
      (d) => {
        const details = d as BeforeSendHeaders;
        const origin = details.requestHeaders?.find((h) => h.name.toLowerCase() === 'origin')?.value;
        release(details.requestId, origin);
        return undefined;
      },
      filter,
      ['requestHeaders', extraHeaders as 'extraHeaders'],
    );
    browser.webRequest.onErrorOccurred.addListener((d) => release(d.requestId), filter);
  }

  return {
    deliverTo(next) {
      sink = next;
      for (const post of early.splice(0)) next(post);
    },
  };
}
