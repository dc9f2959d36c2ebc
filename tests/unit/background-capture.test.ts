/**
 * The background's webRequest listeners and capture, driven through WXT's fake browser: a SAML POST from a trusted
 * origin ends up parsed in session storage (never local/sync storage); one from any other page waits as a question
 * and changes nothing; the role picker's re-post of the same assertion is one login; everything else is ignored or
 * gets one sentence.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CAPTURED_LOGIN_KEY, type CapturedLogin } from '../../utils/captured-login';
import { SAML_SIGNIN_MATCH_PATTERNS } from '../../utils/aws-endpoints';
import { handleSamlPost, type TrustSettings } from '../../entrypoints/background/capture';
import { pendingLogin } from '../../entrypoints/background/login-store';
import { listenForSamlPosts, type SamlPost } from '../../entrypoints/background/saml-listener';
import { createTestEvent, type TestEvent } from '../support/fake-events';
import { buildSamlResponse } from '../support/saml-fixtures';

const IDP = 'https://idp.example.com';
const trust: TrustSettings = { signInUrl: `${IDP}/app/aws/sso`, confirmedOrigins: [] };
const trusted = async () => trust;

const post = (url: string, body: SamlPost['requestBody'], initiator: string | undefined = IDP): SamlPost => ({
  requestId: String(Math.random()),
  url,
  method: 'POST',
  timeStamp: Date.now(),
  requestBody: body,
  initiator,
});

async function stored(): Promise<CapturedLogin | undefined> {
  return (await fakeBrowser.storage.session.get(CAPTURED_LOGIN_KEY))[CAPTURED_LOGIN_KEY] as CapturedLogin | undefined;
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the webRequest listeners', () => {
  type Details = Record<string, unknown>;
  let onBeforeRequest: TestEvent<[Details]>;
  let onBeforeSendHeaders: TestEvent<[Details]>;
  let onErrorOccurred: TestEvent<[Details]>;

  function install(chrome: boolean) {
    onBeforeRequest = createTestEvent<[Details]>();
    onBeforeSendHeaders = createTestEvent<[Details]>();
    onErrorOccurred = createTestEvent<[Details]>();
    (fakeBrowser as unknown as { webRequest: unknown }).webRequest = {
      onBeforeRequest,
      onBeforeSendHeaders,
      onErrorOccurred,
      ...(chrome ? { OnBeforeSendHeadersOptions: { EXTRA_HEADERS: 'extraHeaders' } } : {}),
    };
  }
  const details = (extra: Details = {}): Details => ({
    requestId: '7',
    url: 'https://signin.aws.amazon.com/saml',
    method: 'POST',
    type: 'main_frame',
    timeStamp: 1,
    requestBody: { formData: { SAMLResponse: ['x'] } },
    ...extra,
  });

  it('listens to main-frame requests to every AWS SAML endpoint, with the body, and in Chrome to their headers', () => {
    install(true);
    listenForSamlPosts();
    const filter = { urls: [...SAML_SIGNIN_MATCH_PATTERNS], types: ['main_frame'] };
    expect(onBeforeRequest.registrations[0]?.extra).toEqual([filter, ['requestBody']]);
    expect(onBeforeSendHeaders.registrations[0]?.extra).toEqual([filter, ['requestHeaders', 'extraHeaders']]);
  });

  it('Firefox: hands the post on with its originUrl at once; posts seen before the sink exists are kept', async () => {
    install(false);
    const listener = listenForSamlPosts();
    expect(onBeforeSendHeaders.registrations).toHaveLength(0);
    await onBeforeRequest.trigger(details({ originUrl: 'https://idp.example.com/sso/page' }));
    const seen: SamlPost[] = [];
    listener.deliverTo((p) => seen.push(p));
    expect(seen).toEqual([expect.objectContaining({ requestId: '7', initiator: 'https://idp.example.com/sso/page' })]);
  });

  it('Chrome: hands the post on at once; who sent it follows from the Origin header of the same request', async () => {
    install(true);
    const seen: SamlPost[] = [];
    listenForSamlPosts().deliverTo((p) => seen.push(p));
    await onBeforeRequest.trigger(details());
    expect(seen).toEqual([expect.objectContaining({ requestId: '7', initiator: undefined })]);
    await onBeforeSendHeaders.trigger({ requestId: '8', requestHeaders: [{ name: 'Origin', value: 'https://other.test' }] }); // another request
    await onBeforeSendHeaders.trigger({ requestId: '7', requestHeaders: [{ name: 'Origin', value: IDP }] });
    expect(await seen[0]!.initiatorKnown).toBe(IDP);
  });

  it('Chrome: a request that fails before its headers goes on with no known initiator', async () => {
    install(true);
    const seen: SamlPost[] = [];
    listenForSamlPosts().deliverTo((p) => seen.push(p));
    await onBeforeRequest.trigger(details());
    await onErrorOccurred.trigger({ requestId: '7' });
    expect(seen).toEqual([expect.objectContaining({ requestId: '7', initiator: undefined })]);
    expect(await seen[0]!.initiatorKnown).toBeUndefined();
  });

  it('ignores GETs', async () => {
    install(false);
    const seen: SamlPost[] = [];
    listenForSamlPosts().deliverTo((p) => seen.push(p));
    await onBeforeRequest.trigger(details({ method: 'GET' }));
    expect(seen).toEqual([]);
  });
});

describe('background SAML capture', () => {
  it('stores a login from the configured IdP in session storage only', async () => {
    const saml = buildSamlResponse({ roleSessionName: 'alice@example.com', sessionDuration: 7200 });
    const outcome = await handleSamlPost(post('https://eu-west-1.signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }), trusted);
    expect(outcome.kind).toBe('captured');
    const login = (await stored())!;
    expect(login).toMatchObject({ ok: true, partition: 'aws', region: 'eu-west-1', roleSessionName: 'alice@example.com', sessionDuration: 7200 });
    expect(login.ok && login.samlResponse).toBe(saml);
    expect(await fakeBrowser.storage.local.get()).toEqual({});
    expect(await fakeBrowser.storage.sync.get()).toEqual({});
  });

  it('reads the assertion from raw bytes when the browser gives no form data', async () => {
    const saml = buildSamlResponse();
    const bytes = new TextEncoder().encode(`SAMLResponse=${encodeURIComponent(saml)}`).buffer as ArrayBuffer;
    await handleSamlPost(post('https://signin.aws.amazon.com/saml', { raw: [{ bytes }] }), trusted);
    expect((await stored())?.ok).toBe(true);
  });

  it('ignores GETs, look-alike hosts and POSTs without a SAMLResponse', async () => {
    const saml = buildSamlResponse();
    const outcomes = [
      await handleSamlPost({ ...post('https://signin.aws.amazon.com/saml', undefined), method: 'GET' }, trusted),
      await handleSamlPost(post('https://signin.aws.amazon.com.evil.example/saml', { formData: { SAMLResponse: [saml] } }), trusted),
      await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { roleIndex: ['arn:aws:iam::1:role/x'] } }), trusted),
    ];
    expect(outcomes.map((o) => o.kind)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(await stored()).toBeUndefined();
  });

  it('keeps one sentence, free of the assertion, for a malformed or encrypted sign-in', async () => {
    await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: ['bm90IHhtbA=='] } }), trusted);
    const failed = (await stored()) as Extract<CapturedLogin, { ok: false }>;
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/^[^\n]+\.$/);
    expect(failed.error).not.toContain('bm90IHhtbA');

    await handleSamlPost(post('https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4EXAMPLE', { formData: {} }), trusted);
    expect(await stored()).toMatchObject({ error: expect.stringMatching(/encrypted/) });
  });

  it('a login posted by any other page does not replace the current one: it waits as a question', async () => {
    const mine = buildSamlResponse({ roleSessionName: 'alice@example.com' });
    await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [mine] } }), trusted);
    const before = await stored();

    const theirs = buildSamlResponse({ roleSessionName: 'mallory@evil.test', roles: [{ roleArn: 'arn:aws:iam::999988887777:role/acme-prod', principalArn: 'arn:aws:iam::999988887777:saml-provider/Evil' }] });
    const outcome = await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [theirs] } }, 'https://evil.test'), trusted);
    expect(outcome).toEqual({ kind: 'untrusted', origin: 'https://evil.test' });
    expect(await stored()).toEqual(before);
    expect((await pendingLogin.getValue())?.origin).toBe('https://evil.test');

    // AWS's role picker re-posting the attacker's assertion does not make it count either.
    const repost = await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [theirs] } }, 'https://signin.aws.amazon.com'), trusted);
    expect(repost.kind).toBe('untrusted');
    expect(await stored()).toEqual(before);
  });

  it('a post whose sender the browser tells later (Chrome) is judged by that sender, read meanwhile', async () => {
    const mine = buildSamlResponse({ roleSessionName: 'alice@example.com' });
    let tell!: (origin: string | undefined) => void;
    const later = { ...post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [mine] } }, undefined), initiatorKnown: new Promise<string | undefined>((r) => (tell = r)) };
    const taking = handleSamlPost(later, trusted);
    await new Promise((r) => setTimeout(r, 10));
    expect(await stored()).toBeUndefined(); // nothing counts before the sender is known
    tell(IDP);
    expect((await taking).kind).toBe('captured');
    const mineStored = await stored();

    const theirs = buildSamlResponse({ roleSessionName: 'mallory@evil.test' });
    const foreign = { ...post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [theirs] } }, undefined), initiatorKnown: Promise.resolve('https://evil.test') };
    expect(await handleSamlPost(foreign, trusted)).toEqual({ kind: 'untrusted', origin: 'https://evil.test' });
    const unknown = { ...post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [buildSamlResponse()] } }, undefined), initiatorKnown: Promise.resolve(undefined) };
    expect((await handleSamlPost(unknown, trusted)).kind).toBe('untrusted');
    expect(await stored()).toEqual(mineStored);
  });

  it('no initiator, an opaque origin, or a garbled post from an unknown page change nothing', async () => {
    const saml = buildSamlResponse();
    for (const initiator of [undefined, 'null']) {
      expect((await handleSamlPost({ ...post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }), initiator }, trusted)).kind).toBe('untrusted');
    }
    expect(await pendingLogin.getValue()).toBeNull();
    await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: ['bm90IHhtbA=='] } }, 'https://evil.test'), trusted);
    expect(await stored()).toBeUndefined();
  });

  it('counts a confirmed origin and AWS’s own role picker; the picker’s re-post of the same login is one login', async () => {
    const saml = buildSamlResponse();
    const confirmed = async () => ({ confirmedOrigins: ['https://okta.example.com'] });
    expect((await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }, 'https://okta.example.com'), confirmed)).kind).toBe('captured');
    const again = await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }, 'https://signin.aws.amazon.com'), confirmed);
    expect(again.kind).toBe('duplicate');
    // A new assertion through the picker alone (the IdP's POST was not seen) counts.
    const other = buildSamlResponse({ roleSessionName: 'bob@example.com' });
    expect((await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [other] } }, 'https://signin.aws.amazon.com'), confirmed)).kind).toBe('captured');
  });

  it('tells of a login that counts before it is stored, and the re-post right behind it is still one login', async () => {
    const saml = buildSamlResponse();
    const confirmed = async () => ({ confirmedOrigins: ['https://okta.example.com'] });
    const heard: string[] = [];
    // The store takes a while, as Chrome's storage round trip does; the sync is told before it ends.
    const set = fakeBrowser.storage.session.set.bind(fakeBrowser.storage.session);
    vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation(async (items) => {
      await new Promise((r) => setTimeout(r, 20));
      await set(items);
      heard.push('set');
    });
    const first = handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }, 'https://okta.example.com'), confirmed, (login, { stored }) => {
      heard.push(`counted ${login.roles.length} role(s)`);
      void stored.then(() => heard.push('stored'));
    });
    const again = handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }, 'https://signin.aws.amazon.com'), confirmed, () => heard.push('counted again'));
    expect((await first).kind).toBe('captured');
    expect((await again).kind).toBe('duplicate');
    expect(heard).toEqual(['counted 2 role(s)', 'set', 'stored']);
    // A login that does not count is never told.
    const foreign = buildSamlResponse({ roleSessionName: 'mallory@example.com' });
    await handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [foreign] } }, 'https://evil.test'), confirmed, () => heard.push('counted foreign'));
    expect(heard.filter((h) => h.startsWith('counted'))).toHaveLength(1);
    vi.restoreAllMocks();
  });
});

describe('the early listener hands posts to the capture', () => {
  it('a post seen before the rest of the background was ready still ends up captured', async () => {
    const onBeforeRequest = createTestEvent<[Record<string, unknown>]>();
    (fakeBrowser as unknown as { webRequest: unknown }).webRequest = { onBeforeRequest, onBeforeSendHeaders: createTestEvent(), onErrorOccurred: createTestEvent() };
    const listener = listenForSamlPosts();
    const saml = buildSamlResponse();
    await onBeforeRequest.trigger({ requestId: '1', url: 'https://signin.aws.amazon.com/saml', method: 'POST', type: 'main_frame', timeStamp: Date.now(), requestBody: { formData: { SAMLResponse: [saml] } }, originUrl: `${IDP}/x` });
    const done = vi.fn();
    listener.deliverTo((p) => void handleSamlPost(p, trusted).then(done));
    await vi.waitFor(() => expect(done).toHaveBeenCalledWith(expect.objectContaining({ kind: 'captured' })));
  });
});

describe('posts arriving together', () => {
  it('the role picker’s re-post arriving while the IdP’s POST is still being read is one login', async () => {
    const saml = buildSamlResponse();
    let release!: () => void;
    const slow = () => new Promise<TrustSettings>((r) => (release = () => r(trust)));
    const first = handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }), slow);
    const second = handleSamlPost(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }, 'https://signin.aws.amazon.com'), trusted);
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect([(await first).kind, (await second).kind]).toEqual(['captured', 'duplicate']);
  });
});
