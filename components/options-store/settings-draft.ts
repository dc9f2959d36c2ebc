/**
 * The settings as the options page edits them: every field a string as typed (or a checkbox), each mapping, chain
 * and alias a row with its own key, and the conversions both ways. Pure: the background validates what it gets.
 */
import { DEFAULT_SETTINGS, SETTINGS_VERSION, signInUrlOf, type ChainedProfile, type ProfileMapping, type Settings } from '@/utils/settings';

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

/** The draft's lists of rows. */
export type RowList = 'mappings' | 'chains' | 'aliases';

/** The draft's single fields (the general settings). */
export type ScalarField = Exclude<keyof SettingsDraft, RowList | 'refreshAuthUserMap'>;

let lastRowKey = 0;
/** A key no other row has, for Preact's list and for editing one row. */
const newRowKey = (): string => `k${++lastRowKey}`;

/** A saved value as the text its field shows ('' when unset). */
const fieldText = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

/** An optional text field: trimmed, left out when empty. */
export function optionalText(v: string): string | undefined {
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An optional whole number: left out when empty; anything else goes to the background as typed, which says why. */
function optionalNumber(v: string): number | string | undefined {
  const trimmed = v.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A mapping row: an empty one (auto-sync on), or a saved mapping's. */
export function mappingDraft(m?: ProfileMapping): MappingDraft {
  return {
    key: newRowKey(),
    roleArn: m?.roleArn ?? '',
    profile: m?.profile ?? '',
    region: m?.region ?? '',
    durationSeconds: fieldText(m?.durationSeconds),
    autoSync: m?.autoSync ?? true,
    servedOnDemand: m?.writeAs === 'credential-process',
  };
}

/** A chained profile row: an empty one, or a saved chain's. */
export function chainDraft(c?: ChainedProfile): ChainDraft {
  return {
    key: newRowKey(),
    profile: c?.profile ?? '',
    sourceProfile: c?.sourceProfile ?? '',
    roleArn: c?.roleArn ?? '',
    region: c?.region ?? '',
    resolveNow: c?.resolveNow ?? false,
    externalId: c?.externalId ?? '',
    roleSessionName: c?.roleSessionName ?? '',
    durationSeconds: fieldText(c?.durationSeconds),
    servedOnDemand: c?.writeAs === 'credential-process',
  };
}

/** An account alias row: an empty one, or a saved alias's. */
export function aliasDraft(accountId = '', name = ''): AliasDraft {
  return { key: newRowKey(), accountId, name };
}

/** The sign-in URL a draft names (Google ids or another URL), as utils/settings.ts signInUrlOf builds it. */
export function draftSignInUrl(d: Pick<SettingsDraft, 'googleIdpId' | 'googleSpId' | 'signInUrl'>): string | undefined {
  return signInUrlOf({
    ...DEFAULT_SETTINGS,
    googleIdpId: optionalText(d.googleIdpId),
    googleSpId: optionalText(d.googleSpId),
    signInUrl: optionalText(d.signInUrl),
  });
}

/** The saved settings as a draft to edit. */
export function settingsToDraft(s: Settings): SettingsDraft {
  const signInUrl = signInUrlOf(s);
  return {
    defaultRegion: s.defaultRegion,
    stsRegion: s.stsRegion ?? '',
    stsEndpoint: s.stsEndpoint ?? '',
    maxSessionSeconds: fieldText(s.maxSessionSeconds),
    profileNameTemplate: s.profileNameTemplate,
    googleIdpId: s.googleIdpId ?? '',
    googleSpId: s.googleSpId ?? '',
    signInUrl: s.signInUrl ?? '',
    writeLegacySecurityToken: s.writeLegacySecurityToken,
    refreshEnabled: s.refreshEnabled,
    refreshLeadMinutes: fieldText(s.refreshLeadMinutes),
    refreshInBackgroundTab: s.refreshInBackgroundTab,
    refreshAuthUser: fieldText(signInUrl ? s.refreshAuthUser[signInUrl] : undefined),
    refreshAuthUserMap: { ...s.refreshAuthUser },
    mappings: s.mappings.map((m) => mappingDraft(m)),
    chains: s.chains.map((c) => chainDraft(c)),
    aliases: Object.entries(s.accountAliases).map(([accountId, name]) => aliasDraft(accountId, name)),
  };
}

/** The saved authuser map with the field being edited written in for the draft's sign-in URL. */
function authUserMap(d: SettingsDraft): Record<string, number | string> {
  const url = draftSignInUrl(d);
  const map: Record<string, number | string> = { ...d.refreshAuthUserMap };
  if (!url) return map;
  const value = optionalNumber(d.refreshAuthUser);
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
    version: SETTINGS_VERSION,
    defaultRegion: optionalText(d.defaultRegion),
    stsRegion: optionalText(d.stsRegion),
    stsEndpoint: optionalText(d.stsEndpoint),
    maxSessionSeconds: optionalNumber(d.maxSessionSeconds),
    profileNameTemplate: optionalText(d.profileNameTemplate),
    googleIdpId: optionalText(d.googleIdpId),
    googleSpId: optionalText(d.googleSpId),
    signInUrl: optionalText(d.signInUrl),
    writeLegacySecurityToken: d.writeLegacySecurityToken,
    refreshEnabled: d.refreshEnabled,
    refreshLeadMinutes: optionalNumber(d.refreshLeadMinutes),
    refreshInBackgroundTab: d.refreshInBackgroundTab,
    refreshAuthUser: authUserMap(d),
    accountAliases: aliases,
    mappings: d.mappings.map((m) =>
      dropUndefined({
        roleArn: m.roleArn.trim(),
        profile: m.profile.trim(),
        region: optionalText(m.region),
        durationSeconds: optionalNumber(m.durationSeconds),
        autoSync: m.autoSync,
        writeAs: m.servedOnDemand ? 'credential-process' : undefined,
      }),
    ),
    chains: d.chains.map((c) =>
      dropUndefined({
        profile: c.profile.trim(),
        sourceProfile: c.sourceProfile.trim(),
        roleArn: c.roleArn.trim(),
        region: optionalText(c.region),
        externalId: optionalText(c.externalId),
        roleSessionName: optionalText(c.roleSessionName),
        durationSeconds: optionalNumber(c.durationSeconds),
        resolveNow: c.resolveNow,
        writeAs: c.resolveNow && c.servedOnDemand ? 'credential-process' : undefined,
      }),
    ),
  });
}
