/**
 * The background's request handlers against WXT's fake browser, with STS and the native host faked: what the
 * popup and options page rely on (remembered mappings, copy-as-env, settings import/export, aliases, errors as
 * one sentence, requests from other extensions ignored).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionSentence } from '../support/error-sentences';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CAPTURED_LOGIN_KEY, capturedLoginFromSaml } from '../../utils/captured-login';
import { NOT_ALLOWED, REQUEST_SENDERS, request, type ManagedProfile, type RequestEnvelope } from '../../utils/messages';
import type { ProfileWrite } from '../../utils/profile-sync';
import { parseSamlResponse } from '../../utils/saml';
import { SETTINGS_KEY } from '../../utils/settings';
import type { HostAccess, WriteOptions } from '../../entrypoints/background/host';
import { confirmedOrigins, pendingLogin } from '../../entrypoints/background/login-store';
import { handleSamlPost } from '../../entrypoints/background/capture';
import { createHandlers, listenForRequests } from '../../entrypoints/background/messages';
import { buildSamlResponse } from '../support/saml-fixtures';

vi.mock('../../utils/sts', async (original) => {
  const real = await original<typeof import('../../utils/sts')>();
  return {
    ...real,
    assumeRolesWithSaml: vi.fn(async (_login: unknown, roles: { roleArn: string }[]) =>
      roles.map((role) => ({
        role,
        ok: true,
        credentials: { accessKeyId: 'ASIAFAKEEXAMPLE', secretAccessKey: "s3cr'et", sessionToken: 'tok', expiration: new Date(Date.now() + 3_600_000) },
      })),
    ),
  };
});

const ROLE = 'arn:aws:iam::111222333444:role/saml-init';
const PROVIDER = 'arn:aws:iam::111222333444:saml-provider/Google';

function fakeHost(): HostAccess & { writes: ProfileWrite[][] } {
  const writes: ProfileWrite[][] = [];
  const profiles: ManagedProfile[] = [];
  return {
    writes,
    status: vi.fn(async () => ({ state: 'ok' as const, hostVersion: '1.0.0' })),
    writeProfiles: vi.fn(async (w: ProfileWrite[], _options?: WriteOptions) => {
      writes.push(w);
      for (const p of w) profiles.push({ profile: p.profile, kind: p.kind, roleArn: p.roleArn, expiration: p.credentials?.expiration });
      // Like a current host: the profiles as ~/.aws stands after the write.
      return [...profiles];
    }),
    listProfiles: vi.fn(async () => profiles),
    removeProfiles: vi.fn(async (names: string[]) => names),
  };
}

async function storeLogin(): Promise<void> {
  const saml = buildSamlResponse({ roles: [{ roleArn: ROLE, principalArn: PROVIDER }] });
  const login = capturedLoginFromSaml(parseSamlResponse(saml), {
    url: 'https://signin.aws.amazon.com/saml',
    endpoint: { partition: 'aws', encrypted: false },
    capturedAt: Date.now(),
  });
  await fakeBrowser.storage.session.set({ [CAPTURED_LOGIN_KEY]: login });
}

let host: ReturnType<typeof fakeHost>;
let handlers: ReturnType<typeof createHandlers>;
const onChange = vi.fn(async () => undefined);

beforeEach(() => {
  fakeBrowser.reset();
  host = fakeHost();
  onChange.mockClear();
  handlers = createHandlers(host, onChange);
});

describe('background request handlers', () => {
  it('syncRole remembers the mapping, writes through the host and keeps credentials for copying', async () => {
    await storeLogin();
    const state = await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    expect(state).toMatchObject({ roleArn: ROLE, profile: 'sts-temp', status: 'ok', copyAvailable: true });
    expect(host.writes[0]!.map((w) => w.profile)).toEqual(['sts-temp']);
    const stored = (await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as { mappings: unknown[] };
    // A first sync never turns auto-sync on: the person does.
    expect(stored.mappings).toEqual([expect.objectContaining({ roleArn: ROLE, profile: 'sts-temp', autoSync: false })]);
    expect((await handlers.setAutoSync({ roleArn: ROLE, autoSync: true })).mappings[0]!.autoSync).toBe(true);
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain('s3cr');
    const { text } = await handlers.copyEnv({ profile: 'sts-temp' });
    expect(text).toContain(`export AWS_SECRET_ACCESS_KEY='s3cr'\\''et'`);
    expect(onChange).toHaveBeenCalled();
  });

  it('passes the person’s confirmation to replace an existing profile on to the host', async () => {
    await storeLogin();
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp', replaceExisting: true });
    expect(host.writeProfiles).toHaveBeenLastCalledWith(expect.any(Array), { confirmOverwrite: ['sts-temp'], legacySecurityToken: false });
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    expect(host.writeProfiles).toHaveBeenLastCalledWith(expect.any(Array), { confirmOverwrite: undefined, legacySecurityToken: false });
  });

  it('refuses to sync without a fresh assertion, and to copy what was never synced, in one sentence', async () => {
    expect(await rejectionSentence(handlers.syncRole({ roleArn: ROLE, profile: 'x' }))).toMatch(/click the AWS tile/);
    expect(await rejectionSentence(handlers.copyEnv({ profile: 'nope' }))).toMatch(/sync it again/);
  });

  it('imports only what the person saw: a preview lists what changes, then the confirmed file is applied', async () => {
    expect(await rejectionSentence(handlers.previewImport({ json: '{not json' }))).toContain('That file is not JSON; choose a settings file exported by aws-saml-sync.');
    expect(await rejectionSentence(handlers.previewImport({ json: JSON.stringify({ version: 1, defaultRegion: 'mars' }) }))).toMatch(/region/);
    expect(await rejectionSentence(handlers.previewImport({ json: JSON.stringify({ version: 1, stsEndpoint: 'https://evil.test' }) }))).toMatch(/must be an AWS STS host/);
    const json = JSON.stringify({
      profiles: [{ roleArn: ROLE, profile: 'sts-temp' }],
      stsEndpoint: 'https://vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com',
      signInUrl: 'https://idp.example.com/aws',
      chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev' }],
    });
    const preview = await handlers.previewImport({ json });
    expect(preview.changes).toEqual([
      'STS endpoint: none → https://vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com (every sign-in will be sent there)',
      'Sign-in URL: none → https://idp.example.com/aws (sign-ins posted from its site will count as yours)',
      `New mapping: ${ROLE} → profile sts-temp, synced on every sign-in`,
      'New chained profile: dev-env from sts-temp → arn:aws:iam::888777666555:role/assumed-dev',
    ]);
    expect(preview.needsAccess).toEqual(['https://vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com']);
    expect(preview.summary).toMatch(/^Profile mappings: 1, chained profiles: 1, account names: 0/);
    expect(await fakeBrowser.storage.local.get(SETTINGS_KEY)).toEqual({});
    // Another file than the one shown is refused.
    expect(await rejectionSentence(handlers.importSettings({ json: json.replace('dev-env', 'prod-env'), digest: preview.digest }))).toMatch(/changed after they were shown/);
    expect(await fakeBrowser.storage.local.get(SETTINGS_KEY)).toEqual({});
    const saved = await handlers.importSettings({ json, digest: preview.digest });
    expect(saved.mappings[0]!.profile).toBe('sts-temp');
    expect(JSON.parse((await handlers.exportSettings({})).json)).toMatchObject({ version: 1, mappings: [{ profile: 'sts-temp' }] });
  });

  it('saving a chain writes it at once when its source profile is already in ~/.aws', async () => {
    await storeLogin();
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    const settings = (await handlers.getState({})).settings;
    await handlers.saveSettings({
      settings: { ...settings, chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev' }] },
    });
    expect(host.writes.at(-1)).toEqual([
      expect.objectContaining({ profile: 'dev-env', kind: 'chained-config', config: expect.objectContaining({ source_profile: 'sts-temp' }) }),
    ]);
  });

  it('switching a profile to credential_process (and back) writes it that way at once, from the credentials held', async () => {
    await storeLogin();
    const synced = await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    const settings = (await handlers.getState({})).settings;
    const served = settings.mappings.map((m) => ({ ...m, writeAs: 'credential-process' as const }));
    await handlers.saveSettings({ settings: { ...settings, mappings: served } });
    expect(host.writes.at(-1)).toEqual([
      expect.objectContaining({ profile: 'sts-temp', kind: 'saml', roleArn: ROLE, writeAs: 'credential-process', credentials: expect.objectContaining({ expiration: synced.expiration }) }),
    ]);
    const writes = host.writes.length;
    await handlers.saveSettings({ settings: { ...settings, mappings: served } }); // nothing changed: nothing written
    expect(host.writes.length).toBe(writes);
    await handlers.saveSettings({ settings: { ...settings, mappings: served.map((m) => ({ ...m, writeAs: 'keys' as const })) } });
    expect(host.writes.at(-1)).toEqual([expect.objectContaining({ profile: 'sts-temp', kind: 'saml' })]);
    expect(host.writes.at(-1)![0]!.writeAs).toBeUndefined();
  });

  it('saving a chain while the helper fails says so in one sentence; the settings are saved, nothing is written', async () => {
    await storeLogin();
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    const writesBefore = host.writes.length;
    const settings = (await handlers.getState({})).settings;
    vi.mocked(host.listProfiles).mockRejectedValueOnce(new Error('port closed'));
    const chains = [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::888777666555:role/assumed-dev' }];
    expect(await rejectionSentence(handlers.saveSettings({ settings: { ...settings, chains } }))).toMatch(/^Saved, but a chained profile could not be written: /);
    expect(host.writes.length).toBe(writesBefore);
    expect((await handlers.getState({})).settings.chains).toEqual([expect.objectContaining({ profile: 'dev-env' })]);
    // Once the helper answers again, saving writes the chain.
    await handlers.saveSettings({ settings: { ...settings, chains } });
    expect(host.writes.at(-1)).toEqual([expect.objectContaining({ profile: 'dev-env', kind: 'chained-config' })]);
  });

  it('remembers account names from the role chooser only for accounts of the current sign-in, never over known names', async () => {
    expect(await handlers.rememberAliases({ aliases: { '111222333444': 'sandbox' } })).toEqual({ saved: 0 }); // no sign-in yet
    await storeLogin();
    await handlers.saveSettings({ settings: { version: 1, accountAliases: { '111222333444': 'typed-by-me' } } });
    expect(await handlers.rememberAliases({ aliases: { '111222333444': 'acme-prod', '999988887777': 'other', nope: 'x' } })).toEqual({ saved: 0 });
    expect((await handlers.getState({})).settings.accountAliases).toEqual({ '111222333444': 'typed-by-me' });
    await handlers.saveSettings({ settings: { version: 1 } });
    expect(await handlers.rememberAliases({ aliases: { '111222333444': ' sandbox ' } })).toEqual({ saved: 1 });
    expect((await handlers.getState({})).settings.accountAliases).toEqual({ '111222333444': 'sandbox' });
  });

  it('removing a profile drops its credentials from session memory too', async () => {
    await storeLogin();
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    expect((await handlers.copyEnv({ profile: 'sts-temp' })).text).toContain('AWS_ACCESS_KEY_ID');
    await handlers.removeProfile({ profile: 'sts-temp' });
    expect(await rejectionSentence(handlers.copyEnv({ profile: 'sts-temp' }))).toMatch(/sync it again/);
    expect(JSON.stringify(await fakeBrowser.storage.session.get())).not.toContain('s3cr');
  });

  it('a sign-in waiting for the person is used only once they confirm its origin', async () => {
    const saml = buildSamlResponse({ roles: [{ roleArn: ROLE, principalArn: PROVIDER }] });
    const login = capturedLoginFromSaml(parseSamlResponse(saml), { url: 'https://signin.aws.amazon.com/saml', endpoint: { partition: 'aws', encrypted: false }, capturedAt: Date.now() });
    await pendingLogin.setValue({ login, origin: 'https://idp.example.com' });
    const state = await handlers.getState({});
    expect(state.pendingSignIn).toEqual({ origin: 'https://idp.example.com', host: 'idp.example.com', accounts: ['111222333444'] });
    expect(state.login).toBeUndefined();
    expect(await rejectionSentence(handlers.answerPendingSignIn({ origin: 'https://other.test', trust: true }))).toMatch(/no longer waiting/);
    const trusted = vi.fn(async () => undefined);
    handlers = createHandlers(host, onChange, trusted);
    expect(await handlers.answerPendingSignIn({ origin: 'https://idp.example.com', trust: true })).toEqual({ trusted: true });
    expect(trusted).toHaveBeenCalledWith(login);
    expect(await confirmedOrigins.getValue()).toEqual(['https://idp.example.com']);
    const after = await handlers.getState({});
    expect(after.pendingSignIn).toBeUndefined();
    expect(after.login).toMatchObject({ ok: true, firstSync: { accounts: ['111222333444'] } });
  });
});

describe('the person’s answer and the chooser page’s account names, at the same time', () => {
  it.each([0, 1, 2, 3, 4, 5])('no name is lost whichever comes first (the names sent %i steps into the answer)', async (steps) => {
    fakeBrowser.reset();
    const handlers = createHandlers(fakeHost(), async () => undefined, async () => undefined);
    const saml = buildSamlResponse({ roles: [{ roleArn: ROLE, principalArn: PROVIDER }] });
    const login = capturedLoginFromSaml(parseSamlResponse(saml), { url: 'https://signin.aws.amazon.com/saml', endpoint: { partition: 'aws', encrypted: false }, capturedAt: Date.now() });
    await pendingLogin.setValue({ login, origin: 'https://idp.example.com' });
    const answering = handlers.answerPendingSignIn({ origin: 'https://idp.example.com', trust: true });
    for (let i = 0; i < steps; i++) await new Promise((r) => setTimeout(r, 0));
    await Promise.all([answering, handlers.rememberAliases({ aliases: { '111222333444': 'acme-prod' } })]);
    expect(((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as { accountAliases?: object } | undefined)?.accountAliases).toEqual({ '111222333444': 'acme-prod' });
    expect(await pendingLogin.getValue()).toBeNull();
  });
});

describe('request routing', () => {
  const EXT = fakeBrowser.runtime.getURL('/');
  const page = { id: fakeBrowser.runtime.id, url: `${EXT}popup.html` };
  const contentScript = { id: fakeBrowser.runtime.id, url: 'https://signin.aws.amazon.com/saml', tab: { id: 1 } };
  const send = (type: string, body: unknown, sender: object) =>
    fakeBrowser.runtime.onMessage.trigger({ kind: 'request', type, body }, sender, () => undefined).then((r: unknown[]) => r.filter((x) => x !== undefined));

  it('answers this extension only, and sends errors back as data', async () => {
    listenForRequests(handlers);
    const envelope: RequestEnvelope<'copyEnv'> = { kind: 'request', type: 'copyEnv', body: { profile: 'nope' } };
    const fromUs = await fakeBrowser.runtime.onMessage.trigger(envelope, page, () => undefined);
    expect(fromUs).toContainEqual({ ok: false, error: { name: 'SettingsError', message: expect.stringMatching(/sync it again/) } });
    const fromOthers = await fakeBrowser.runtime.onMessage.trigger(envelope, { id: 'some-other-extension', url: 'chrome-extension://other/x.html' }, () => undefined);
    expect(fromOthers.filter((x: unknown) => x !== undefined)).toEqual([]);
    expect(await rejectionSentence(request(async () => ({ ok: false, error: { name: 'StsError', message: 'AWS said no.' } }), 'getState', {}))).toContain('AWS said no.');
  });

  it('the content script may send account names and the chooser page’s sign-in, and nothing else', async () => {
    expect(Object.entries(REQUEST_SENDERS).filter(([, who]) => who.includes('content-script')).map(([t]) => t)).toEqual(['rememberAliases', 'offerSignIn']);
    listenForRequests(handlers);
    for (const type of (Object.keys(REQUEST_SENDERS) as (keyof typeof REQUEST_SENDERS)[]).filter((t) => !REQUEST_SENDERS[t].includes('content-script'))) {
      expect(await send(type, {}, contentScript), type).toEqual([{ ok: false, error: { name: 'NotAllowed', message: NOT_ALLOWED } }]);
    }
    expect(await send('rememberAliases', { aliases: {} }, contentScript)).toEqual([{ ok: true, body: { saved: 0 } }]);
    // Pages may not pose as the content script, and a content script elsewhere than AWS's sign-in page is nobody.
    expect(await send('rememberAliases', { aliases: {} }, page)).toEqual([{ ok: false, error: { name: 'NotAllowed', message: NOT_ALLOWED } }]);
    expect(await send('rememberAliases', { aliases: {} }, { ...contentScript, url: 'https://evil.test/saml' })).toEqual([]);
  });

  it('looks handlers up as own properties only', async () => {
    listenForRequests(handlers);
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(await send(type, {}, page)).toEqual([]);
  });
});

describe('the role chooser net', () => {
  it('hands the chooser page’s assertion to the capture with the page that posted it as its origin', async () => {
    const taken: unknown[] = [];
    const h = createHandlers(host, onChange, async () => undefined, async (post) => (taken.push(post), { kind: 'duplicate' }));
    expect(await h.offerSignIn({ samlResponse: 'QUJD', url: 'https://signin.aws.amazon.com/saml', referrer: 'https://accounts.google.com/' })).toEqual({ taken: false });
    expect(taken).toEqual([
      expect.objectContaining({ url: 'https://signin.aws.amazon.com/saml', method: 'POST', initiator: 'https://accounts.google.com/', requestBody: { formData: { SAMLResponse: ['QUJD'] } } }),
    ]);
    await h.offerSignIn({ samlResponse: 'QUJD', url: 'https://signin.aws.amazon.com/saml', referrer: '' });
    expect((taken[1] as { initiator?: string }).initiator).toBeUndefined();
  });

  it('keeps the page’s account names with its sign-in even when the listener’s capture of it comes later or never', async () => {
    fakeBrowser.reset();
    const trust = async () => ({ confirmedOrigins: [] });
    const h = createHandlers(fakeHost(), async () => undefined, async () => undefined, (post) => handleSamlPost(post, trust));
    const saml = buildSamlResponse({ roles: [{ roleArn: ROLE, principalArn: PROVIDER }] });
    const url = 'https://signin.aws.amazon.com/saml';
    // The chooser page speaks first: nothing of this sign-in is known yet.
    await h.offerSignIn({ samlResponse: saml, url, referrer: 'https://idp.example.com/', aliases: { '111222333444': 'acme-prod' } });
    // Then the listener's capture of the same POST: the question stays as it is, names and all.
    await handleSamlPost({ requestId: '1', url, method: 'POST', timeStamp: Date.now(), requestBody: { formData: { SAMLResponse: [saml] } }, initiator: 'https://idp.example.com' }, trust);
    expect((await pendingLogin.getValue())?.aliases).toEqual({ '111222333444': 'acme-prod' });
    await h.answerPendingSignIn({ origin: 'https://idp.example.com', trust: true });
    expect(((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as { accountAliases?: object }).accountAliases).toEqual({ '111222333444': 'acme-prod' });
  });
});
