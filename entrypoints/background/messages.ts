/**
 * The handlers of every request in utils/messages.ts, who may send each (REQUEST_SENDERS), and the state the popup
 * and options page render.
 */
import { browser } from 'wxt/browser';
import { parseSamlEndpoint } from '@/utils/aws-endpoints';
import { ACCOUNT_ID, follows } from '@/utils/aws-names';
import { withoutAssertion, type CapturedLoginOk } from '@/utils/captured-login';
import { envExportLines } from '@/utils/env-export';
import { hostOfOrigin } from '@/utils/login-origins';
import {
  isRequestEnvelope,
  NOT_ALLOWED,
  REQUEST_SENDERS,
  type FirstSync,
  type PopupState,
  type RequestHandlers,
  type ResponseEnvelope,
  type SenderKind,
  type StateChangedEvent,
} from '@/utils/messages';
import { errorSentence, translate } from '@/i18n/translate';
import { localized, type LocalizedText } from '@/utils/localized-text';
import { PublicError } from '@/utils/public-error';
import { migrateSettings, SettingsError, signInUrlOf, type Settings } from '@/utils/settings';
import { describeImport } from '@/utils/settings-import';
import { refreshUrlOf } from '@/utils/refresh-access';
import { rememberMapping, targetOf } from '@/utils/sync-plan';
import { capturesSettled, inTurnWithCaptures, loadCapturedLogin, type CaptureOutcome } from './capture';
import type { HostAccess } from './host';
import type { SamlPost } from './saml-listener';
import { confirmOrigin, currentLogin, pendingLogin, rememberSyncedFrom, sha256Hex, syncedFrom } from './login-store';
import {
  forgetCredentials,
  heldCredentials,
  knownProfiles,
  lastAutoSyncError,
  roleSyncStates,
  setKnownProfiles,
} from './session-state';
import { loadOwnSettings, loadSettings, saveSettings, updateSettings } from './settings-store';
import { openConsole } from './console';
import { refreshView, type Refresher } from './refresh';
import { applyChains, applyWriteAs, firstFailure, runSync } from './sync';

/** At most this many account names from one role chooser page. */
const MAX_ALIASES_PER_PAGE = 50;

async function firstSyncOf(login: CapturedLoginOk, settings: Settings): Promise<FirstSync | undefined> {
  const known = await syncedFrom.getValue();
  const mapped = new Set(settings.mappings.map((m) => m.roleArn.split(':')[4]));
  const accounts = [...new Set(login.roles.map((r) => r.accountId))].filter((a) => !known.accounts.includes(a) && !mapped.has(a));
  const issuer = login.issuer && !known.issuers.includes(login.issuer) ? login.issuer : undefined;
  return accounts.length > 0 || issuer ? { accounts, issuer } : undefined;
}

/**
 * @param listHost false: the profiles the host listed last instead of asking it again (a state shown while a sync
 *   is under way must not put a list request in front of that sync's write).
 */
export async function popupState(host: HostAccess, { listHost = true }: { listHost?: boolean } = {}): Promise<PopupState> {
  const managedProblems: LocalizedText[] = [];
  const [login, settings, hostStatus, roleSync, autoSyncError, pending] = await Promise.all([
    loadCapturedLogin(),
    loadSettings(managedProblems),
    host.status(),
    roleSyncStates(),
    lastAutoSyncError(),
    pendingLogin.getValue(),
  ]);
  const profiles = hostStatus.state !== 'ok' ? [] : listHost ? await host.listProfiles().catch(() => knownProfiles()) : await knownProfiles();
  if (listHost) await setKnownProfiles(profiles);
  const publicLogin = login && withoutAssertion(login);
  return {
    login: publicLogin?.ok ? { ...publicLogin, firstSync: await firstSyncOf(login as CapturedLoginOk, settings) } : publicLogin,
    settings,
    host: hostStatus,
    profiles,
    roleSync,
    signInUrl: signInUrlOf(settings),
    lastAutoSyncError: autoSyncError,
    pendingSignIn: pending
      ? { origin: pending.origin, host: hostOfOrigin(pending.origin), accounts: [...new Set(pending.login.roles.map((r) => r.accountId))] }
      : undefined,
    managedProblems: managedProblems.length > 0 ? managedProblems.map(translate) : undefined,
    refresh: await refreshView(settings, profiles),
  };
}

export async function broadcastState(host: HostAccess, options?: { listHost?: boolean }): Promise<PopupState> {
  const state = await popupState(host, options);
  const event: StateChangedEvent = { kind: 'event', type: 'state-changed', state };
  // No page open means no receiver: that is fine.
  await browser.runtime.sendMessage(event).catch(() => undefined);
  return state;
}


function parseSettingsJson(json: string): Settings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SettingsError(localized('background.notJson'));
  }
  return migrateSettings(parsed);
}

/**
 * @param onTrustedLogin runs when the person confirms a waiting sign-in's origin: that login is now theirs, and is
 *   auto-synced like any captured one.
 */
export function createHandlers(
  host: HostAccess,
  onChange: () => Promise<unknown>,
  onTrustedLogin: (login: CapturedLoginOk) => Promise<unknown> = async () => undefined,
  /** A SAML post the background should take as if its listener had seen it (capture, then auto-sync). */
  takeSamlPost: (post: SamlPost) => Promise<CaptureOutcome> = async () => ({ kind: 'ignored' }),
  refresher?: Pick<Refresher, 'refreshNow'>,
): RequestHandlers {
  /** Account names from the role chooser: for the current login, or kept with the one waiting for the person. */
  async function keepChooserNames(aliases: unknown): Promise<number> {
    if (typeof aliases !== 'object' || aliases === null) return 0;
    const names = aliases as Record<string, unknown>;
    // The chooser page loads right after the POST: its capture (and any answer of the person) goes first.
    const saved = await inTurnWithCaptures(async () => {
      const login = await loadCapturedLogin();
      if (login?.ok && accountsOf(login).some((a) => Object.hasOwn(names, a))) return saveAliases(names, login);
      // A sign-in still waiting for the person's word: keep the names with it, for if they confirm it.
      const pending = await pendingLogin.getValue();
      if (pending && accountsOf(pending.login).some((a) => Object.hasOwn(names, a))) {
        await pendingLogin.setValue({ ...pending, aliases: acceptableAliases(names, pending.login, {}) });
      }
      return 0;
    });
    if (saved > 0) await onChange();
    return saved;
  }

  return {
    getState: () => popupState(host),

    async syncRole({ roleArn, profile, region, replaceExisting }) {
      const login = await loadCapturedLogin();
      if (!login?.ok || !login.samlResponse) throw new SettingsError(localized('background.staleLogin'));
      const role = login.roles.find((r) => r.roleArn === roleArn);
      if (!role) throw new SettingsError(localized('background.roleNotInLogin'));
      const settings = await updateSettings((s) => rememberMapping(s, roleArn, profile, region));
      const mapping = settings.mappings.find((m) => m.roleArn === roleArn)!;
      const outcome = await runSync(login, [targetOf(role, mapping)], settings, host, replaceExisting ? [mapping.profile] : undefined);
      const result = outcome.roles[0]!;
      if (result.status === 'ok') await rememberSyncedFrom([role.accountId], login.issuer);
      await onChange();
      return result;
    },

    async copyEnv({ profile }) {
      const held = await heldCredentials(profile);
      if (!held) {
        throw new SettingsError(localized('background.noCredentialsToCopy', { profile }));
      }
      return { text: envExportLines(held, { region: held.region }) };
    },

    async saveSettings({ settings }) {
      const before = await loadSettings();
      const saved = await saveSettings(settings);
      // What the page changed shows in ~/.aws at once: how profiles are written, and the chains.
      const rewriteFailure = await applyWriteAs(before, saved, host);
      const chains = await applyChains(saved, host);
      await onChange();
      if (rewriteFailure) throw new SettingsError(localized('background.profileNotRewritten', { failure: rewriteFailure }));
      const failure = chains && firstFailure(chains);
      if (failure) throw new SettingsError(localized('background.chainNotWritten', { failure }));
      return saved;
    },

    async previewImport({ json }) {
      const incoming = parseSettingsJson(json);
      const { changes, summary, needsAccess } = describeImport(await loadOwnSettings(), incoming);
      return { changes: changes.map(translate), summary: translate(summary), needsAccess, digest: await sha256Hex(json) };
    },

    async importSettings({ json, digest }) {
      if (digest !== (await sha256Hex(json))) {
        throw new SettingsError(localized('background.importChanged'));
      }
      const saved = await saveSettings(parseSettingsJson(json));
      await onChange();
      return saved;
    },

    async exportSettings() {
      return { json: `${JSON.stringify(await loadOwnSettings(), null, 2)}\n` };
    },

    async openSignIn() {
      // With the Google account the person picked for refresh (authuser), when they did.
      const url = refreshUrlOf(await loadSettings());
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
      // Its credentials leave this browser's memory too, whether or not the file still had them.
      await forgetCredentials([profile]);
      await onChange();
      return { removed: removed.includes(profile) };
    },

    async answerPendingSignIn({ origin, trust }) {
      const confirmed = await inTurnWithCaptures(async () => {
        const pending = await pendingLogin.getValue();
        if (!pending || pending.origin !== origin) {
          throw new SettingsError(localized('background.signInGone'));
        }
        await pendingLogin.removeValue();
        if (!trust) return undefined;
        await confirmOrigin(origin);
        await currentLogin.setValue(pending.login);
        if (pending.aliases) await saveAliases(pending.aliases, pending.login);
        return pending.login;
      });
      // Its sync runs after the turn: a capture coming meanwhile does not wait for it.
      if (confirmed) await onTrustedLogin(confirmed);
      await onChange();
      return { trusted: trust };
    },

    async refreshNow() {
      if (!refresher) throw new SettingsError(localized('background.noRefresh'));
      const settings = await loadSettings();
      if (!refreshUrlOf(settings)) throw new SettingsError(localized('background.needsSignInUrl'));
      const result = await refresher.refreshNow();
      return result.ok ? { ok: true } : { ok: false, message: result.why };
    },

    async openConsole({ profile }) {
      return openConsole(profile, await loadSettings());
    },

    async setAutoSync({ roleArn, autoSync }) {
      const settings = await updateSettings((s) => {
        if (!s.mappings.some((m) => m.roleArn === roleArn)) throw new SettingsError(localized('background.roleHasNoProfile'));
        return { ...s, mappings: s.mappings.map((m) => (m.roleArn === roleArn ? { ...m, autoSync } : m)) };
      });
      await onChange();
      return settings;
    },

    async offerSignIn({ samlResponse, url, referrer, aliases }) {
      if (typeof samlResponse !== 'string' || typeof url !== 'string') return { taken: false };
      // Usually the listener saw this login already: let it finish, and the same assertion is recognised.
      await capturesSettled();
      const taking = takeSamlPost({
        requestId: `role-chooser-${Date.now()}`,
        url,
        method: 'POST',
        timeStamp: Date.now(),
        requestBody: { formData: { SAMLResponse: [samlResponse] } },
        initiator: typeof referrer === 'string' && referrer !== '' ? referrer : undefined,
      });
      // Queued right behind the sign-in's capture (both enqueue before their first await), not behind its sync.
      const [outcome] = await Promise.all([taking, keepChooserNames(aliases)]);
      return { taken: outcome.kind === 'captured' };
    },

    async rememberAliases({ aliases }) {
      return { saved: await keepChooserNames(aliases) };
    },
  };
}

function accountsOf(login: CapturedLoginOk): string[] {
  return [...new Set(login.roles.map((r) => r.accountId))];
}

/**
 * Account names from AWS's role chooser that may be kept: only for accounts of that sign-in, never over a name
 * already known (typed by the person, or read before), at most a page's worth. The page is not ours.
 */
function acceptableAliases(aliases: Record<string, unknown>, login: CapturedLoginOk, known: Record<string, string>): Record<string, string> {
  const accounts = new Set(accountsOf(login));
  return Object.fromEntries(
    Object.entries(aliases)
      .filter(([id]) => follows(ACCOUNT_ID, id) && accounts.has(id) && !Object.hasOwn(known, id))
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '' && e[1].trim().length <= 64)
      .slice(0, MAX_ALIASES_PER_PAGE)
      .map(([id, name]) => [id, name.trim()]),
  );
}

async function saveAliases(aliases: Record<string, unknown>, login: CapturedLoginOk): Promise<number> {
  const clean = acceptableAliases(aliases, login, (await loadOwnSettings()).accountAliases);
  const count = Object.keys(clean).length;
  if (count > 0) await updateSettings((s) => ({ ...s, accountAliases: { ...clean, ...s.accountAliases } }));
  return count;
}

interface Sender {
  id?: string;
  url?: string;
  tab?: unknown;
}

/** Which of this extension's parts sent a message, or undefined for anyone else. */
export function senderKind(sender: Sender, extensionId: string, extensionOrigin: string): SenderKind | undefined {
  if (sender.id !== extensionId || !sender.url) return undefined;
  if (sender.url.startsWith(extensionOrigin)) return 'page';
  // The role chooser content script runs on AWS's SAML sign-in page only.
  if (sender.tab && parseSamlEndpoint(sender.url)) return 'content-script';
  return undefined;
}

/** Answers requests from this extension's own pages and content script, each only for what it may ask; errors go back as data. */
export function listenForRequests(handlers: RequestHandlers): void {
  const extensionOrigin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => {
    if (!isRequestEnvelope(message)) return undefined;
    const kind = senderKind(sender, browser.runtime.id, extensionOrigin);
    if (!kind) return undefined;
    const type = message.type;
    if (!Object.hasOwn(REQUEST_SENDERS, type) || !Object.hasOwn(handlers, type)) return undefined;
    if (!REQUEST_SENDERS[type].includes(kind)) {
      return Promise.resolve<ResponseEnvelope>({ ok: false, error: { name: 'NotAllowed', message: NOT_ALLOWED } });
    }
    const handler = handlers[type] as (body: unknown) => Promise<unknown>;
    return handler(message.body).then(
      (body): ResponseEnvelope => ({ ok: true, body: body as never }),
      (error: unknown): ResponseEnvelope => ({ ok: false, error: publicError(error) }),
    );
  });
}

function publicError(error: unknown): { name: string; message: string } {
  // Only errors written for people cross the boundary; anything else gets a generic sentence.
  return { name: error instanceof PublicError ? error.name : 'InternalError', message: errorSentence(error) };
}
