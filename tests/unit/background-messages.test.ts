/**
 * The background's request handlers against WXT's fake browser, with STS and the native host faked: what the
 * popup and options page rely on (remembered mappings, copy-as-env, settings import/export, aliases, errors as
 * one sentence, requests from other extensions ignored).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CAPTURED_LOGIN_KEY, capturedLoginFromSaml } from '../../utils/captured-login';
import { request, type ManagedProfile, type RequestEnvelope } from '../../utils/messages';
import type { ProfileWrite } from '../../utils/profile-sync';
import { parseSamlResponse } from '../../utils/saml';
import { SETTINGS_KEY } from '../../utils/settings';
import type { HostAccess } from '../../entrypoints/background/host';
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
    writeProfiles: vi.fn(async (w: ProfileWrite[], _confirm?: string[]) => {
      writes.push(w);
      for (const p of w) profiles.push({ profile: p.profile, kind: p.kind, roleArn: p.roleArn, expiration: p.credentials?.expiration });
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
    expect(stored.mappings).toEqual([expect.objectContaining({ roleArn: ROLE, profile: 'sts-temp', autoSync: true })]);
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain('s3cr');
    const { text } = await handlers.copyEnv({ profile: 'sts-temp' });
    expect(text).toContain(`export AWS_SECRET_ACCESS_KEY='s3cr'\\''et'`);
    expect(onChange).toHaveBeenCalled();
  });

  it('passes the person’s confirmation to replace an existing profile on to the host', async () => {
    await storeLogin();
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp', replaceExisting: true });
    expect(host.writeProfiles).toHaveBeenLastCalledWith(expect.any(Array), ['sts-temp']);
    await handlers.syncRole({ roleArn: ROLE, profile: 'sts-temp' });
    expect(host.writeProfiles).toHaveBeenLastCalledWith(expect.any(Array), undefined);
  });

  it('refuses to sync without a fresh assertion, and to copy what was never synced, in one sentence', async () => {
    await expect(handlers.syncRole({ roleArn: ROLE, profile: 'x' })).rejects.toThrow(/click the AWS tile/);
    await expect(handlers.copyEnv({ profile: 'nope' })).rejects.toThrow(/sync it again/);
  });

  it('imports, migrates and exports settings; bad JSON and bad values are refused without saving', async () => {
    await expect(handlers.importSettings({ json: '{not json' })).rejects.toThrow('That file is not JSON; choose a settings file exported by aws-saml-sync.');
    await expect(handlers.importSettings({ json: JSON.stringify({ version: 1, defaultRegion: 'mars' }) })).rejects.toThrow(/region/);
    expect(await fakeBrowser.storage.local.get(SETTINGS_KEY)).toEqual({});
    const saved = await handlers.importSettings({ json: JSON.stringify({ profiles: [{ roleArn: ROLE, profile: 'sts-temp' }] }) });
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

  it('remembers account aliases from the role chooser page, ignoring junk', async () => {
    expect(await handlers.rememberAliases({ aliases: { '111222333444': 'sandbox', nope: 'x', '222333444555': ' ' } })).toEqual({ saved: 1 });
    expect((await handlers.getState({})).settings.accountAliases).toEqual({ '111222333444': 'sandbox' });
  });
});

describe('request routing', () => {
  it('answers this extension only, and sends errors back as data', async () => {
    listenForRequests(handlers);
    const envelope: RequestEnvelope<'copyEnv'> = { kind: 'request', type: 'copyEnv', body: { profile: 'nope' } };
    const fromUs = await fakeBrowser.runtime.onMessage.trigger(envelope, { id: fakeBrowser.runtime.id }, () => undefined);
    expect(fromUs).toContainEqual({ ok: false, error: { name: 'SettingsError', message: expect.stringMatching(/sync it again/) } });
    const fromOthers = await fakeBrowser.runtime.onMessage.trigger(envelope, { id: "some-other-extension" }, () => undefined);
    expect(fromOthers.filter((x: unknown) => x !== undefined)).toEqual([]);
    await expect(request(async () => ({ ok: false, error: { name: 'StsError', message: 'AWS said no.' } }), 'getState', {})).rejects.toThrow('AWS said no.');
  });
});
