/**
 * The background's webRequest listener, driven through WXT's fake browser: a SAML POST to AWS ends up parsed in
 * session storage (never local/sync storage), and everything else is ignored or gets one sentence.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CAPTURED_LOGIN_KEY, type CapturedLogin } from '../../utils/captured-login';
import { SAML_SIGNIN_MATCH_PATTERNS } from '../../utils/aws-endpoints';
import { listenForSamlPosts } from '../../entrypoints/background/capture';
import { createTestEvent, type TestEvent } from '../support/fake-events';
import { buildSamlResponse } from '../support/saml-fixtures';

type Details = {
  url: string;
  method: string;
  type: string;
  timeStamp: number;
  requestBody?: { formData?: Record<string, string[]>; raw?: { bytes: ArrayBuffer }[] };
};

let onBeforeRequest: TestEvent<[Details]>;
const onLogin = vi.fn();

beforeEach(() => {
  fakeBrowser.reset();
  onLogin.mockReset();
  onBeforeRequest = createTestEvent<[Details]>();
  (fakeBrowser.webRequest as unknown as { onBeforeRequest: unknown }).onBeforeRequest = onBeforeRequest;
  listenForSamlPosts(onLogin);
});

const post = (url: string, body: Details['requestBody']): Details => ({
  url,
  method: 'POST',
  type: 'main_frame',
  timeStamp: Date.now(),
  requestBody: body,
});

async function stored(): Promise<CapturedLogin | undefined> {
  return (await fakeBrowser.storage.session.get(CAPTURED_LOGIN_KEY))[CAPTURED_LOGIN_KEY] as CapturedLogin | undefined;
}

describe('background SAML capture', () => {
  it('listens to main-frame requests to every AWS SAML endpoint, with the request body', () => {
    const [registration] = onBeforeRequest.registrations;
    expect(registration?.extra).toEqual([{ urls: [...SAML_SIGNIN_MATCH_PATTERNS], types: ['main_frame'] }, ['requestBody']]);
  });

  it('stores the parsed login in session storage only, and tells the listener', async () => {
    const saml = buildSamlResponse({ roleSessionName: 'alice@example.com', sessionDuration: 7200 });
    await onBeforeRequest.trigger(post('https://eu-west-1.signin.aws.amazon.com/saml', { formData: { SAMLResponse: [saml] } }));
    await vi.waitFor(async () => expect(await stored()).toBeDefined());
    const login = (await stored())!;
    expect(login).toMatchObject({ ok: true, partition: 'aws', region: 'eu-west-1', roleSessionName: 'alice@example.com', sessionDuration: 7200 });
    expect(login.ok && login.samlResponse).toBe(saml);
    expect(onLogin).toHaveBeenCalledWith(login);
    expect(await fakeBrowser.storage.local.get()).toEqual({});
    expect(await fakeBrowser.storage.sync.get()).toEqual({});
  });

  it('reads the assertion from raw bytes when the browser gives no form data', async () => {
    const saml = buildSamlResponse();
    const bytes = new TextEncoder().encode(`SAMLResponse=${encodeURIComponent(saml)}`).buffer as ArrayBuffer;
    await onBeforeRequest.trigger(post('https://signin.aws.amazon.com/saml', { raw: [{ bytes }] }));
    await vi.waitFor(async () => expect((await stored())?.ok).toBe(true));
  });

  it('ignores GETs, look-alike hosts and POSTs without a SAMLResponse', async () => {
    const saml = buildSamlResponse();
    await onBeforeRequest.trigger({ ...post('https://signin.aws.amazon.com/saml', undefined), method: 'GET' });
    await onBeforeRequest.trigger(post('https://signin.aws.amazon.com.evil.example/saml', { formData: { SAMLResponse: [saml] } }));
    await onBeforeRequest.trigger(post('https://signin.aws.amazon.com/saml', { formData: { roleIndex: ['arn:aws:iam::1:role/x'] } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(await stored()).toBeUndefined();
    expect(onLogin).not.toHaveBeenCalled();
  });

  it('keeps one sentence, free of the assertion, for a malformed or encrypted sign-in', async () => {
    await onBeforeRequest.trigger(post('https://signin.aws.amazon.com/saml', { formData: { SAMLResponse: ['bm90IHhtbA=='] } }));
    await vi.waitFor(async () => expect((await stored())?.ok).toBe(false));
    const failed = (await stored()) as Extract<CapturedLogin, { ok: false }>;
    expect(failed.error).toMatch(/^[^\n]+\.$/);
    expect(failed.error).not.toContain('bm90IHhtbA');

    await onBeforeRequest.trigger(post('https://us-east-1.signin.aws.amazon.com/saml/acs/SAMLSP4EXAMPLE', { formData: {} }));
    await vi.waitFor(async () => expect((await stored()) as { error?: string }).toMatchObject({ error: expect.stringMatching(/encrypted/) }));
  });
});
