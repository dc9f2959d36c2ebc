/**
 * The options page's state and actions: the settings as the background has them, a draft the person edits (strings,
 * as typed), save / import / export through the injected `send`. No browser API in here but the message
 * catalogue (i18n/translate.ts); the background validates.
 */
import { batch, computed, signal } from '@preact/signals';
import { t } from '@/i18n/translate';
import { isStateChangedEvent, request, type ImportPreview, type PopupState, type SendMessage } from '@/utils/messages';
import { DEFAULT_SETTINGS, signInUrlOf, type ChainedProfile, type ProfileMapping, type Settings } from '@/utils/settings';
import { errorSentence, type MessageSource, type Notice } from './popup-store';

export const EXPORT_FILE_NAME = 'aws-saml-sync-settings.json';

export interface MappingDraft {
  key: string;
  roleArn: string;
  profile: string;
  region: string;
  durationSeconds: string;
  autoSync: boolean;
  /** Written as credential_process, served on demand by this browser. */
  servedOnDemand: boolean;
}

export interface ChainDraft {
  key: string;
  profile: string;
  sourceProfile: string;
  roleArn: string;
  region: string;
  resolveNow: boolean;
  externalId: string;
  roleSessionName: string;
  durationSeconds: string;
  servedOnDemand: boolean;
}

export interface AliasDraft {
  key: string;
  accountId: string;
  name: string;
}

export interface SettingsDraft {
  defaultRegion: string;
  stsRegion: string;
  stsEndpoint: string;
  maxSessionSeconds: string;
  profileNameTemplate: string;
  googleIdpId: string;
  googleSpId: string;
  signInUrl: string;
  writeLegacySecurityToken: boolean;
  refreshEnabled: boolean;
  refreshLeadMinutes: string;
  refreshInBackgroundTab: boolean;
  /** Google's authuser for the sign-in URL being edited ('' = none). */
  refreshAuthUser: string;
  /** The authuser of every sign-in URL, as saved (the field above edits the current URL's). */
  refreshAuthUserMap: Record<string, number>;
  mappings: MappingDraft[];
  chains: ChainDraft[];
  aliases: AliasDraft[];
}

export type ScalarField = Exclude<keyof SettingsDraft, 'mappings' | 'chains' | 'aliases' | 'refreshAuthUserMap'>;

/** The sign-in URL a draft names (Google ids or another URL), as utils/settings.ts signInUrlOf builds it. */
export function draftSignInUrl(d: Pick<SettingsDraft, 'googleIdpId' | 'googleSpId' | 'signInUrl'>): string | undefined {
  return signInUrlOf({
    ...DEFAULT_SETTINGS,
    googleIdpId: d.googleIdpId.trim() || undefined,
    googleSpId: d.googleSpId.trim() || undefined,
    signInUrl: d.signInUrl.trim() || undefined,
  });
}

export type RefreshAccess = 'granted' | 'refused' | 'not-covered';

export interface OptionsDeps {
  send: SendMessage;
  events?: MessageSource;
  /** Offers `text` as a file download named `filename`. */
  download: (filename: string, text: string) => void;
  /**
   * Asks for host access to a custom STS endpoint (browser.permissions.request); resolves false when refused.
   * Called first thing in `save()`, while the click's user gesture still holds.
   */
  requestEndpointAccess?: (url: string) => Promise<boolean>;
  /**
   * Asks for host access to the IdP's origin(s) for silent refresh (browser.permissions.request), from the click
   * that turns refresh on. 'not-covered': the extension cannot ask for that host (a self-hosted IdP).
   */
  requestRefreshAccess?: (signInUrl: string) => Promise<RefreshAccess>;
}

const str = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

/** An optional text field: trimmed, left out when empty. */
function opt(v: string): string | undefined {
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** An optional whole number: left out when empty; anything else goes to the background as typed, which says why. */
function optNumber(v: string): number | string | undefined {
  const t = v.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function authUserMap(d: SettingsDraft): Record<string, number | string> {
  const url = draftSignInUrl(d);
  const map: Record<string, number | string> = { ...d.refreshAuthUserMap };
  if (!url) return map;
  const value = optNumber(d.refreshAuthUser);
  if (value === undefined) delete map[url];
  else map[url] = value;
  return map;
}

/** What the background's saveSettings gets: the draft as plain settings, unvalidated. */
export function draftToSettings(d: SettingsDraft): Record<string, unknown> {
  const aliases: Record<string, string> = {};
  for (const a of d.aliases) {
    const id = a.accountId.trim();
    const name = a.name.trim();
    if (id === '' && name === '') continue;
    aliases[id] = name;
  }
  return dropUndefined({
    version: 1,
    defaultRegion: opt(d.defaultRegion),
    stsRegion: opt(d.stsRegion),
    stsEndpoint: opt(d.stsEndpoint),
    maxSessionSeconds: optNumber(d.maxSessionSeconds),
    profileNameTemplate: opt(d.profileNameTemplate),
    googleIdpId: opt(d.googleIdpId),
    googleSpId: opt(d.googleSpId),
    signInUrl: opt(d.signInUrl),
    writeLegacySecurityToken: d.writeLegacySecurityToken,
    refreshEnabled: d.refreshEnabled,
    refreshLeadMinutes: optNumber(d.refreshLeadMinutes),
    refreshInBackgroundTab: d.refreshInBackgroundTab,
    refreshAuthUser: authUserMap(d),
    accountAliases: aliases,
    mappings: d.mappings.map((m) =>
      dropUndefined({
        roleArn: m.roleArn.trim(),
        profile: m.profile.trim(),
        region: opt(m.region),
        durationSeconds: optNumber(m.durationSeconds),
        autoSync: m.autoSync,
        writeAs: m.servedOnDemand ? 'credential-process' : undefined,
      }),
    ),
    chains: d.chains.map((c) =>
      dropUndefined({
        profile: c.profile.trim(),
        sourceProfile: c.sourceProfile.trim(),
        roleArn: c.roleArn.trim(),
        region: opt(c.region),
        externalId: opt(c.externalId),
        roleSessionName: opt(c.roleSessionName),
        durationSeconds: optNumber(c.durationSeconds),
        resolveNow: c.resolveNow,
        writeAs: c.resolveNow && c.servedOnDemand ? 'credential-process' : undefined,
      }),
    ),
  });
}

export function createOptionsStore(deps: OptionsDeps) {
  let nextKey = 0;
  const key = (): string => `k${++nextKey}`;

  const mappingDraft = (m?: ProfileMapping): MappingDraft => ({
    key: key(),
    roleArn: m?.roleArn ?? '',
    profile: m?.profile ?? '',
    region: m?.region ?? '',
    durationSeconds: str(m?.durationSeconds),
    autoSync: m?.autoSync ?? true,
    servedOnDemand: m?.writeAs === 'credential-process',
  });
  const chainDraft = (c?: ChainedProfile): ChainDraft => ({
    key: key(),
    profile: c?.profile ?? '',
    sourceProfile: c?.sourceProfile ?? '',
    roleArn: c?.roleArn ?? '',
    region: c?.region ?? '',
    resolveNow: c?.resolveNow ?? false,
    externalId: c?.externalId ?? '',
    roleSessionName: c?.roleSessionName ?? '',
    durationSeconds: str(c?.durationSeconds),
    servedOnDemand: c?.writeAs === 'credential-process',
  });
  const toDraft = (s: Settings): SettingsDraft => ({
    defaultRegion: s.defaultRegion,
    stsRegion: s.stsRegion ?? '',
    stsEndpoint: s.stsEndpoint ?? '',
    maxSessionSeconds: str(s.maxSessionSeconds),
    profileNameTemplate: s.profileNameTemplate,
    googleIdpId: s.googleIdpId ?? '',
    googleSpId: s.googleSpId ?? '',
    signInUrl: s.signInUrl ?? '',
    writeLegacySecurityToken: s.writeLegacySecurityToken,
    refreshEnabled: s.refreshEnabled,
    refreshLeadMinutes: str(s.refreshLeadMinutes),
    refreshInBackgroundTab: s.refreshInBackgroundTab,
    refreshAuthUser: str(((url) => (url ? s.refreshAuthUser[url] : undefined))(signInUrlOf(s))),
    refreshAuthUserMap: { ...s.refreshAuthUser },
    mappings: s.mappings.map(mappingDraft),
    chains: s.chains.map(chainDraft),
    aliases: Object.entries(s.accountAliases).map(([accountId, name]) => ({ key: key(), accountId, name })),
  });

  const saved = signal<Settings | undefined>(undefined);
  const draft = signal<SettingsDraft | undefined>(undefined);
  /** The latest state from the background (the login's roles feed the role ARN suggestions). */
  const popupState = signal<PopupState | undefined>(undefined);
  const loadError = signal<string | undefined>(undefined);
  const status = signal<Notice | undefined>(undefined);
  const busy = signal(false);

  const dirty = computed(() => {
    if (!draft.value || !saved.value) return false;
    return JSON.stringify(draftToSettings(draft.value)) !== JSON.stringify(draftToSettings(toDraft(saved.value)));
  });

  /** Role ARNs the last sign-in offered, for the mapping's role ARN suggestions. */
  const knownRoleArns = computed(() => {
    const login = popupState.value?.login;
    return login?.ok ? login.roles.map((r) => r.roleArn) : [];
  });

  /** Profile names a chained profile can start from: the mappings' profiles, then the other chains'. */
  const sourceProfiles = computed(() => {
    const d = draft.value;
    if (!d) return [];
    const names = [...d.mappings.map((m) => m.profile.trim()), ...d.chains.map((c) => c.profile.trim())].filter(Boolean);
    return [...new Set(names)];
  });

  function adopt(settings: Settings): void {
    batch(() => {
      saved.value = settings;
      draft.value = toDraft(settings);
    });
  }

  async function load(): Promise<void> {
    try {
      const state = await request(deps.send, 'getState', {});
      batch(() => {
        popupState.value = state;
        loadError.value = undefined;
        adopt(state.settings);
      });
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  function update(change: (d: SettingsDraft) => SettingsDraft): void {
    if (!draft.value) return;
    draft.value = change(draft.value);
    if (status.value?.kind === 'ok') status.value = undefined;
  }

  function setField<K extends ScalarField>(field: K, value: SettingsDraft[K]): void {
    update((d) => ({ ...d, [field]: value }));
  }

  function listOps<K extends 'mappings' | 'chains' | 'aliases', T extends SettingsDraft[K][number]>(list: K, make: () => T) {
    return {
      add(): string {
        const item = make();
        update((d) => ({ ...d, [list]: [...d[list], item] }));
        return item.key;
      },
      change(itemKey: string, patch: Partial<T>): void {
        update((d) => ({ ...d, [list]: (d[list] as T[]).map((x) => (x.key === itemKey ? { ...x, ...patch } : x)) }));
      },
      remove(itemKey: string): void {
        update((d) => ({ ...d, [list]: (d[list] as T[]).filter((x) => x.key !== itemKey) }));
      },
    };
  }

  const mappings = listOps('mappings', () => mappingDraft());
  const chains = listOps('chains', () => chainDraft());
  const aliases = listOps('aliases', () => ({ key: key(), accountId: '', name: '' }));

  /** Runs one action with the page busy; a failure becomes the status sentence, and the action answers false. */
  async function act(run: () => Promise<boolean>): Promise<boolean> {
    busy.value = true;
    try {
      return await run();
    } catch (error) {
      status.value = { kind: 'error', text: errorSentence(error) };
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Asks for host access to a custom STS endpoint, synchronously from the click (permissions need the gesture). */
  function askEndpointAccess(endpoint: string | undefined): Promise<boolean> {
    return endpoint && deps.requestEndpointAccess ? deps.requestEndpointAccess(endpoint) : Promise.resolve(true);
  }

  /**
   * The "Refresh profiles before they expire" checkbox. Turning it on asks for the IdP's host permission first,
   * inside the click (permissions.request needs the user gesture); turning it off gives it back on Save.
   */
  async function setRefreshEnabled(on: boolean): Promise<void> {
    const d = draft.value;
    if (!d) return;
    if (!on) return setField('refreshEnabled', false);
    const url = draftSignInUrl(d);
    const asked = url && !d.refreshInBackgroundTab && deps.requestRefreshAccess ? deps.requestRefreshAccess(url) : undefined;
    setField('refreshEnabled', true);
    if (!url) {
      setField('refreshEnabled', false);
      status.value = { kind: 'error', text: t('options.refresh.needsUrl') };
      return;
    }
    const answer = asked ? await asked : 'granted';
    if (answer === 'granted') return;
    setField('refreshEnabled', false);
    status.value = {
      kind: 'error',
      text:
        answer === 'not-covered'
          ? t('options.refresh.notCovered')
          : t('options.refresh.refused'),
    };
  }

  async function save(): Promise<boolean> {
    const d = draft.value;
    if (!d || busy.value) return false;
    const endpoint = opt(d.stsEndpoint);
    const accessAsked = askEndpointAccess(endpoint);
    return act(async () => {
      if (!(await accessAsked)) {
        status.value = {
          kind: 'error',
          text: t('options.sts.endpointRefused', { endpoint: endpoint ?? '' }),
        };
        return false;
      }
      const settings = await request(deps.send, 'saveSettings', { settings: draftToSettings(d) });
      batch(() => {
        adopt(settings);
        status.value = { kind: 'ok', text: t('options.saved') };
      });
      return true;
    });
  }

  function revert(): void {
    if (saved.value) adopt(saved.value);
    status.value = undefined;
  }

  /** An import waiting for the person's confirmation: what it would change, and the text it came from. */
  const pendingImport = signal<{ json: string; preview: ImportPreview } | undefined>(undefined);

  /** Step one: read and check the file, and show what it would change. Nothing is saved yet. */
  async function importJson(json: string): Promise<boolean> {
    if (json.trim() === '') {
      status.value = { kind: 'error', text: t('options.importExport.pasteFirst') };
      return false;
    }
    return act(async () => {
      const preview = await request(deps.send, 'previewImport', { json });
      batch(() => {
        pendingImport.value = { json, preview };
        status.value = undefined;
      });
      return true;
    });
  }

  /** Step two: the person confirmed what the preview listed. Asks for a new STS host's permission first (user gesture). */
  async function applyImport(): Promise<boolean> {
    const pending = pendingImport.value;
    if (!pending || busy.value) return false;
    const host = pending.preview.needsAccess[0];
    const accessAsked = askEndpointAccess(host);
    return act(async () => {
      if (!(await accessAsked)) {
        status.value = {
          kind: 'error',
          text: t('options.importExport.accessRefused', { host: host ?? '' }),
        };
        return false;
      }
      const settings = await request(deps.send, 'importSettings', { json: pending.json, digest: pending.preview.digest });
      batch(() => {
        adopt(settings);
        pendingImport.value = undefined;
        status.value = { kind: 'ok', text: t('options.importExport.imported', { summary: pending.preview.summary }) };
      });
      return true;
    });
  }

  function cancelImport(): void {
    pendingImport.value = undefined;
    status.value = { kind: 'ok', text: t('options.importExport.cancelled') };
  }

  async function exportJson(): Promise<void> {
    try {
      const { json } = await request(deps.send, 'exportSettings', {});
      deps.download(EXPORT_FILE_NAME, json);
      status.value = {
        kind: 'ok',
        text: dirty.value
          ? t('options.importExport.exportedDirty', { file: EXPORT_FILE_NAME })
          : t('options.importExport.exported', { file: EXPORT_FILE_NAME }),
      };
    } catch (error) {
      status.value = { kind: 'error', text: errorSentence(error) };
    }
  }

  const onMessage = (message: unknown): void => {
    if (!isStateChangedEvent(message)) return;
    batch(() => {
      popupState.value = message.state;
      // Changes made elsewhere (an alias read from the role chooser, a mapping the popup remembered) show up
      // here unless the person is in the middle of editing.
      if (!dirty.value) adopt(message.state.settings);
      else saved.value = message.state.settings;
    });
  };

  function start(): () => void {
    deps.events?.addListener(onMessage);
    void load();
    return () => deps.events?.removeListener(onMessage);
  }

  return {
    saved,
    draft,
    popupState,
    loadError,
    status,
    busy,
    dirty,
    knownRoleArns,
    sourceProfiles,
    load,
    setField,
    setRefreshEnabled,
    mappings,
    chains,
    aliases,
    save,
    revert,
    importJson,
    pendingImport,
    applyImport,
    cancelImport,
    exportJson,
    start,
  };
}

export type OptionsStore = ReturnType<typeof createOptionsStore>;
