/**
 * The person's settings: versioned, validated, migrated. Pure: reading and writing `storage.local`/`managed` is the
 * caller's job (entrypoints/background/settings-store.ts). Nothing secret lives here.
 */
import * as v from 'valibot';
import { PROFILE_NAME_PATTERN, PROFILE_NAME_RULE } from './profile-naming';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 1;

const profileName = v.pipe(
  v.string(),
  v.trim(),
  v.regex(PROFILE_NAME_PATTERN, PROFILE_NAME_RULE),
);
const roleArn = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'That is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>).'),
);
const region = v.pipe(v.string(), v.trim(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'That is not an AWS region name (like eu-west-1).'));
const duration = v.pipe(v.number(), v.integer(), v.minValue(900), v.maxValue(43200));
const httpsUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('That is not a URL.'),
  v.check((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(u), 'Use an https:// URL (plain http only for localhost).'),
);

export const ProfileMappingSchema = v.object({
  roleArn,
  profile: profileName,
  region: v.optional(region),
  durationSeconds: v.optional(duration),
  autoSync: v.optional(v.boolean(), true),
});
export type ProfileMapping = v.InferOutput<typeof ProfileMappingSchema>;

export const ChainedProfileSchema = v.object({
  profile: profileName,
  sourceProfile: profileName,
  roleArn,
  region: v.optional(region),
  externalId: v.optional(v.pipe(v.string(), v.regex(/^[\w+=,.@:/-]{2,1224}$/, 'An external ID uses letters, digits and _+=,.@:/- (2 to 1224 characters).'))),
  roleSessionName: v.optional(v.pipe(v.string(), v.regex(/^[\w+=,.@-]{2,64}$/, 'A session name uses letters, digits and _+=,.@- (2 to 64 characters).'))),
  durationSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(900), v.maxValue(3600))),
  /** false: write source_profile + role_arn to ~/.aws/config and let the CLI chain; true: assume now, write keys. */
  resolveNow: v.optional(v.boolean(), false),
});
export type ChainedProfile = v.InferOutput<typeof ChainedProfileSchema>;

export const SettingsSchema = v.object({
  version: v.literal(SETTINGS_VERSION),
  defaultRegion: v.optional(region, 'us-east-1'),
  stsEndpoint: v.optional(httpsUrl),
  maxSessionSeconds: v.optional(duration, 43200),
  profileNameTemplate: v.optional(
    v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
    '{alias}-{role}',
  ),
  googleIdpId: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[\w-]{1,64}$/, 'The idpid is letters, digits, - and _.'))),
  googleSpId: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[\w-]{1,64}$/, 'The spid is letters, digits, - and _.'))),
  /** Any other IdP's sign-in URL (wins over the Google ids). */
  signInUrl: v.optional(httpsUrl),
  accountAliases: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^\d{12}$/)), v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64))),
    {},
  ),
  mappings: v.optional(v.array(ProfileMappingSchema), []),
  chains: v.optional(v.array(ChainedProfileSchema), []),
  /** Also write aws_security_token (some old tools read it). */
  writeLegacySecurityToken: v.optional(v.boolean(), false),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
export type SettingsInput = v.InferInput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = v.parse(SettingsSchema, { version: SETTINGS_VERSION });

export class SettingsError extends Error {
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
    throw new SettingsError('These settings are not a JSON object; export them again from the options page.');
  }
  let current = { ...(raw as Record<string, unknown>) };
  let version = typeof current.version === 'number' ? current.version : 0;
  if (version > SETTINGS_VERSION) {
    throw new SettingsError(
      `These settings come from a newer version of aws-saml-sync (settings version ${version}); update the extension first.`,
    );
  }
  while (version < SETTINGS_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new SettingsError(`Settings version ${version} is unknown; export them again from the options page.`);
    current = step(current);
    version = current.version as number;
  }
  return validateSettings(current);
}

export function validateSettings(input: unknown): Settings {
  const result = v.safeParse(SettingsSchema, input);
  if (result.success) return checkConsistency(result.output);
  const issue = result.issues[0];
  const where = issue ? v.getDotPath(issue) : undefined;
  throw new SettingsError(`${where ? `Setting "${where}": ` : ''}${issue?.message ?? 'invalid value'}`);
}

function checkConsistency(s: Settings): Settings {
  const names = new Set<string>();
  for (const p of [...s.mappings.map((m) => m.profile), ...s.chains.map((c) => c.profile)]) {
    if (names.has(p)) throw new SettingsError(`Profile "${p}" is used twice; give each mapping and chain its own profile name.`);
    names.add(p);
  }
  for (const c of s.chains) {
    if (c.sourceProfile === c.profile) {
      throw new SettingsError(`Chained profile "${c.profile}" cannot be its own source; pick the profile it assumes the role from.`);
    }
  }
  return s;
}

/**
 * Managed settings an administrator preset (storage.managed) win over the person's own, key by key; arrays from
 * the admin come first and the person's entries with other profile names are kept after them.
 */
export function mergeManagedSettings(own: Settings, managed: Partial<SettingsInput> | undefined): Settings {
  if (!managed || Object.keys(managed).length === 0) return own;
  const byProfile = <T extends { profile: string }>(admin: T[] | undefined, mine: T[]): T[] => {
    if (!admin) return mine;
    const taken = new Set(admin.map((a) => a.profile));
    return [...admin, ...mine.filter((m) => !taken.has(m.profile))];
  };
  const merged = { ...own, ...managed, version: SETTINGS_VERSION } as Record<string, unknown>;
  merged.accountAliases = { ...own.accountAliases, ...(managed.accountAliases ?? {}) };
  merged.mappings = byProfile(managed.mappings as ProfileMapping[] | undefined, own.mappings);
  merged.chains = byProfile(managed.chains as ChainedProfile[] | undefined, own.chains);
  return validateSettings(merged);
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
