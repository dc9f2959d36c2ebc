/**
 * The handlers of every request in utils/messages.ts, and the state the popup and options page render.
 */
import { browser } from 'wxt/browser';
import { withoutAssertion } from '@/utils/captured-login';
import { envExportLines } from '@/utils/env-export';
import {
  isRequestEnvelope,
  type PopupState,
  type RequestHandlers,
  type ResponseEnvelope,
  type StateChangedEvent,
} from '@/utils/messages';
import { migrateSettings, SettingsError, signInUrlOf } from '@/utils/settings';
import { rememberMapping, targetOf } from '@/utils/sync-plan';
import { loadCapturedLogin } from './capture';
import type { HostAccess } from './host';
import { heldCredentials, knownProfiles, lastAutoSyncError, roleSyncStates, setKnownProfiles } from './session-state';
import { loadOwnSettings, loadSettings, saveSettings, updateSettings } from './settings-store';
import { applyChains, firstFailure, runSync } from './sync';

export async function popupState(host: HostAccess): Promise<PopupState> {
  const [login, settings, hostStatus, roleSync, autoSyncError] = await Promise.all([
    loadCapturedLogin(),
    loadSettings(),
    host.status(),
    roleSyncStates(),
    lastAutoSyncError(),
  ]);
  const profiles = hostStatus.state === 'ok' ? await host.listProfiles().catch(() => knownProfiles()) : [];
  await setKnownProfiles(profiles);
  return {
    login: login && withoutAssertion(login),
    settings,
    host: hostStatus,
    profiles,
    roleSync,
    signInUrl: signInUrlOf(settings),
    lastAutoSyncError: autoSyncError,
  };
}

export async function broadcastState(host: HostAccess): Promise<PopupState> {
  const state = await popupState(host);
  const event: StateChangedEvent = { kind: 'event', type: 'state-changed', state };
  // No page open means no receiver: that is fine.
  await browser.runtime.sendMessage(event).catch(() => undefined);
  return state;
}

const STALE_LOGIN =
  'There is no fresh sign-in to sync from; click the AWS tile in your IdP again, then sync within 5 minutes.';

export function createHandlers(host: HostAccess, onChange: () => Promise<unknown>): RequestHandlers {
  return {
    getState: () => popupState(host),

    async syncRole({ roleArn, profile, region, replaceExisting }) {
      const login = await loadCapturedLogin();
      if (!login?.ok || !login.samlResponse) throw new SettingsError(STALE_LOGIN);
      const role = login.roles.find((r) => r.roleArn === roleArn);
      if (!role) throw new SettingsError('That role is not in your latest sign-in; click the AWS tile again.');
      const settings = await updateSettings((s) => rememberMapping(s, roleArn, profile, region));
      const mapping = settings.mappings.find((m) => m.roleArn === roleArn)!;
      const outcome = await runSync(login, [targetOf(role, mapping)], settings, host, replaceExisting ? [mapping.profile] : undefined);
      await onChange();
      return outcome.roles[0]!;
    },

    async copyEnv({ profile }) {
      const held = await heldCredentials(profile);
      if (!held) {
        throw new SettingsError(`No fresh credentials for "${profile}" in this browser session; sync it again, then copy.`);
      }
      return { text: envExportLines(held, { region: held.region }) };
    },

    async saveSettings({ settings }) {
      const saved = await saveSettings(settings);
      const chains = await applyChains(saved, host);
      await onChange();
      const failure = chains && firstFailure(chains);
      if (failure) throw new SettingsError(`Saved, but a chained profile could not be written: ${failure}`);
      return saved;
    },

    async importSettings({ json }) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        throw new SettingsError('That file is not JSON; choose a settings file exported by aws-saml-sync.');
      }
      const saved = await saveSettings(migrateSettings(parsed));
      await onChange();
      return saved;
    },

    async exportSettings() {
      return { json: `${JSON.stringify(await loadOwnSettings(), null, 2)}\n` };
    },

    async openSignIn() {
      const url = signInUrlOf(await loadSettings());
      if (!url) return { opened: false };
      await browser.tabs.create({ url });
      return { opened: true };
    },

    async checkHost() {
      const status = await host.status(true);
      await onChange();
      return status;
    },

    async removeProfile({ profile }) {
      const removed = await host.removeProfiles([profile]);
      await onChange();
      return { removed: removed.includes(profile) };
    },

    async rememberAliases({ aliases }) {
      const clean = Object.fromEntries(
        Object.entries(aliases).filter(([id, name]) => /^\d{12}$/.test(id) && typeof name === 'string' && name.trim() !== ''),
      );
      if (Object.keys(clean).length === 0) return { saved: 0 };
      await updateSettings((s) => ({ ...s, accountAliases: { ...s.accountAliases, ...clean } }));
      await onChange();
      return { saved: Object.keys(clean).length };
    },
  };
}

/** Answers requests from this extension's own pages and content scripts only; errors go back as data. */
export function listenForRequests(handlers: RequestHandlers): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string }) => {
    if (!isRequestEnvelope(message) || sender.id !== browser.runtime.id) return undefined;
    const handler = handlers[message.type] as ((body: unknown) => Promise<unknown>) | undefined;
    if (!handler) return undefined;
    return handler(message.body).then(
      (body): ResponseEnvelope => ({ ok: true, body: body as never }),
      (error: unknown): ResponseEnvelope => ({ ok: false, error: publicError(error) }),
    );
  });
}

function publicError(error: unknown): { name: string; message: string } {
  // Only errors written for people cross the boundary; anything else gets a generic sentence.
  const known = ['SettingsError', 'StsError', 'HostError', 'HostUnavailableError', 'SamlError'];
  if (error instanceof Error && known.includes(error.name)) return { name: error.name, message: error.message };
  return { name: 'InternalError', message: 'Something went wrong inside aws-saml-sync; try again, and report it if it repeats.' };
}
