/**
 * The person's settings: versioned, validated, migrated. Pure: reading and writing `storage.local`/`managed` is the
 * caller's job (entrypoints/background/settings-store.ts). Nothing secret lives here.
 */
import { localized, type LocalizedText, type MessageKey } from './localized-text';
import { PublicError } from './public-error';
import * as v from 'valibot';
import { parseStsEndpoint } from './aws-endpoints';
import { ACCOUNT_ID, EXTERNAL_ID, PROFILE_NAME, REGION, ROLE_ARN, SESSION_NAME, type NameRule } from './aws-names';
import { signInUrlProblem } from './login-origins';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 1;

const REFRESH_LEAD: MessageKey = 'settings.refreshLead';

/** A trimmed text field that follows one of the AWS name rules (utils/aws-names.ts). */
const named = (rule: NameRule) => v.pipe(v.string(), v.trim(), v.regex(rule.pattern, rule.key));
const profileName = named(PROFILE_NAME);
const roleArn = named(ROLE_ARN);
const region = named(REGION);
const duration = v.pipe(v.number(), v.integer(), v.minValue(900), v.maxValue(43200));
/** Only AWS STS hosts (utils/aws-endpoints.ts parseStsEndpoint): the assertion goes nowhere else. */
const stsEndpoint = v.pipe(
  v.string(),
  v.trim(),
  v.check((u) => parseStsEndpoint(u) !== undefined, 'settings.stsEndpoint' satisfies MessageKey),
  v.transform((u) => parseStsEndpoint(u)!.url),
);
/** Checked further by checkConsistency (signInUrlProblem), whose sentence names the host it found. */
const signInUrl = v.pipe(v.string(), v.trim());

export const ProfileMappingSchema = v.object({
  roleArn,
  profile: profileName,
  region: v.optional(region),
  durationSeconds: v.optional(duration),
  autoSync: v.optional(v.boolean(), true),
  /** How the profile is written: keys in ~/.aws/credentials (unset), or credential_process served on demand. */
  writeAs: v.optional(v.picklist(['keys', 'credential-process'])),
});
export type ProfileMapping = v.InferOutput<typeof ProfileMappingSchema>;

export const ChainedProfileSchema = v.object({
  profile: profileName,
  sourceProfile: profileName,
  roleArn,
  region: v.optional(region),
  externalId: v.optional(named(EXTERNAL_ID)),
  roleSessionName: v.optional(named(SESSION_NAME)),
  durationSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(900), v.maxValue(3600))),
  /** false: write source_profile + role_arn to ~/.aws/config and let the CLI chain; true: assume now, write keys. */
  resolveNow: v.optional(v.boolean(), false),
  /** For resolveNow chains: keys in ~/.aws/credentials (unset), or credential_process, assumed on demand. */
  writeAs: v.optional(v.picklist(['keys', 'credential-process'])),
});
export type ChainedProfile = v.InferOutput<typeof ChainedProfileSchema>;

export const SettingsSchema = v.object({
  version: v.literal(SETTINGS_VERSION),
  /** The region written into each profile's config (`region = …`) unless a mapping or chain names its own. */
  defaultRegion: v.optional(region, 'us-east-1'),
  /** Where STS is called; unset: the region of the sign-in endpoint the assertion was posted to (AWS's advice). */
  stsRegion: v.optional(region),
  stsEndpoint: v.optional(stsEndpoint),
  maxSessionSeconds: v.optional(duration, 43200),
  profileNameTemplate: v.optional(
    v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
    '{alias}-{role}',
  ),
  googleIdpId: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[\w-]{1,64}$/, 'settings.idpid' satisfies MessageKey))),
  googleSpId: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[\w-]{1,64}$/, 'settings.spid' satisfies MessageKey))),
  /** Any other IdP's sign-in URL (wins over the Google ids). */
  signInUrl: v.optional(signInUrl),
  accountAliases: v.optional(
    v.record(v.pipe(v.string(), v.regex(ACCOUNT_ID.pattern, ACCOUNT_ID.key)), v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))),
    {},
  ),
  mappings: v.optional(v.array(ProfileMappingSchema), []),
  chains: v.optional(v.array(ChainedProfileSchema), []),
  /** Also write aws_security_token (some old tools read it). */
  writeLegacySecurityToken: v.optional(v.boolean(), false),
  /** Silent refresh through the IdP session (utils/refresh-schedule.ts): off until the person turns it on. */
  refreshEnabled: v.optional(v.boolean(), false),
  /** "Refresh N minutes before expiry". */
  refreshLeadMinutes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1, REFRESH_LEAD), v.maxValue(60, REFRESH_LEAD)),
    10,
  ),
  /** For IdPs that hand the assertion only to a top-level page: refresh in an inactive tab instead of a fetch. */
  refreshInBackgroundTab: v.optional(v.boolean(), false),
  /** Google's `authuser` (which signed-in account) per sign-in URL, for several signed-in Google accounts. */
  refreshAuthUser: v.optional(
    v.record(v.pipe(v.string(), v.maxLength(2048)), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99, 'settings.authUser' satisfies MessageKey))),
    {},
  ),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
export type SettingsInput = v.InferInput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = v.parse(SettingsSchema, { version: SETTINGS_VERSION });

export class SettingsError extends PublicError {
  override name = 'SettingsError';
}

/**
 * Bring stored or imported settings of any earlier version to the current one. Each step takes version N to N+1
 * and is never changed once released; a new version appends a step.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  // 0: settings exported before versioning existed had no `version` and called mappings `profiles`.
  0: (old) => {
    const { profiles, ...rest } = old;
    return { ...rest, mappings: rest.mappings ?? profiles, version: 1 };
  },
};

export function migrateSettings(raw: unknown): Settings {
  if (raw === undefined || raw === null) return DEFAULT_SETTINGS;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SettingsError(localized('settings.notObject'));
  }
  let current = { ...(raw as Record<string, unknown>) };
  let version = typeof current.version === 'number' ? current.version : 0;
  if (version > SETTINGS_VERSION) {
    throw new SettingsError(localized('settings.newerVersion', { version }));
  }
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new SettingsError(localized('settings.unknownVersion', { version }));
    current = step(current);
    version = current.version as number;
  }
  return validateSettings(current);
}

/** Our own checks name a catalogue key as their valibot message; valibot's own (a wrong type) get a generic one. */
function issueSentence(message: string | undefined): LocalizedText {
  return message && /^(names|settings)\.[A-Za-z]+$/.test(message) ? localized(message as MessageKey) : localized('settings.invalidValue');
}

export function validateSettings(input: unknown): Settings {
  const result = v.safeParse(SettingsSchema, input);
  if (result.success) return checkConsistency(result.output);
  const issue = result.issues[0];
  const where = issue ? v.getDotPath(issue) : undefined;
  const problem = issueSentence(issue?.message);
  throw new SettingsError(where ? localized('settings.invalidAt', { where, problem }) : problem);
}

function checkConsistency(s: Settings): Settings {
  const signInProblem = s.signInUrl ? signInUrlProblem(s.signInUrl) : undefined;
  if (signInProblem) throw new SettingsError(localized('settings.invalidAt', { where: 'signInUrl', problem: signInProblem }));
  const names = new Set<string>();
  for (const p of [...s.mappings.map((m) => m.profile), ...s.chains.map((c) => c.profile)]) {
    if (names.has(p)) throw new SettingsError(localized('settings.profileTwice', { profile: p }));
    names.add(p);
  }
  for (const c of s.chains) {
    if (c.sourceProfile === c.profile) {
      throw new SettingsError(localized('settings.ownSource', { profile: c.profile }));
    }
  }
  return s;
}

/**
 * Managed settings an administrator preset (storage.managed) win over the person's own, key by key; arrays from
 * the admin come first and the person's entries with other profile names are kept after them. A preset key that
 * breaks a rule (an STS endpoint that is not an AWS STS host, say) is ignored, with its sentence pushed to `problems`.
 */
export function mergeManagedSettings(own: Settings, managed: Partial<SettingsInput> | undefined, problems: LocalizedText[] = []): Settings {
  if (!managed || typeof managed !== 'object' || Object.keys(managed).length === 0) return own;
  const byProfile = <T extends { profile: string }>(admin: T[] | undefined, mine: T[]): T[] => {
    if (!Array.isArray(admin)) return mine;
    const taken = new Set(admin.map((a) => a.profile));
    return [...admin, ...mine.filter((m) => !taken.has(m.profile))];
  };
  let merged = own;
  for (const [key, value] of Object.entries(managed)) {
    if (key === 'version' || value === undefined) continue;
    const next = { ...merged } as Record<string, unknown>;
    if (key === 'accountAliases') next.accountAliases = { ...merged.accountAliases, ...(value as Record<string, string>) };
    else if (key === 'mappings') next.mappings = byProfile(value as ProfileMapping[], merged.mappings);
    else if (key === 'chains') next.chains = byProfile(value as ChainedProfile[], merged.chains);
    else next[key] = value;
    try {
      merged = validateSettings(next);
    } catch (error) {
      const problem = error instanceof PublicError && error.text ? error.text : localized('settings.invalidValue');
      problems.push(localized('settings.presetIgnored', { problem }));
    }
  }
  return merged;
}

/** True when any mapping or resolve-now chain is served by credential_process (the extension then serves it). */
export function servesCredentialProcess(s: Settings): boolean {
  return s.mappings.some((m) => m.writeAs === 'credential-process') || s.chains.some((c) => c.resolveNow && c.writeAs === 'credential-process');
}

/** The URL that starts a sign-in: the configured one, else Google's initsso from idpid + spid, else none. */
export function signInUrlOf(s: Settings): string | undefined {
  if (s.signInUrl) return s.signInUrl;
  if (s.googleIdpId && s.googleSpId) {
    const q = new URLSearchParams({ idpid: s.googleIdpId, spid: s.googleSpId, forceauthn: 'false' });
    return `https://accounts.google.com/o/saml2/initsso?${q.toString()}`;
  }
  return undefined;
}
