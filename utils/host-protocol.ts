/**
 * The native host protocol (PROTOCOL.md) as one valibot schema, imported by the extension (utils/native-client.ts)
 * and by the host (host/), so both sides accept and refuse exactly the same messages.
 * No browser or Node API here: it is bundled into the service worker and into the host.
 */
import * as v from 'valibot';
import { PROFILE_NAME_PATTERN } from './profile-naming';

export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOLS = [1] as const;
/** Kept equal to package.json's version (a unit test checks it). */
export const HOST_VERSION = '0.1.0';
export const CAPABILITIES = ['writeProfiles', 'listProfiles', 'removeProfiles', 'confirmOverwrite', 'legacySecurityToken'] as const;
/** Browser -> host frames above this are refused (and skipped). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Host -> browser frames may not exceed this (Chrome's limit for messages from a native host). */
export const MAX_REPLY_BYTES = 1024 * 1024;
export const MAX_PROFILES_PER_WRITE = 200;

/** Numbers are only appended, never reused; see PROTOCOL.md. 14-18 are raised by the extension's client. */
export const HOST_ERRORS = {
  BadFrame: 1,
  InvalidJson: 2,
  UnknownType: 3,
  InvalidRequest: 4,
  UnsupportedVersion: 5,
  NeedsConfirmation: 6,
  Locked: 7,
  PermissionDenied: 8,
  ReadOnly: 9,
  DiskFull: 10,
  Internal: 11,
  FrameTooLarge: 12,
  NotAFile: 13,
  ReplyTooLarge: 14,
  Timeout: 15,
  BadReply: 16,
  HostNotInstalled: 17,
  HostExited: 18,
} as const;
export type HostErrorName = keyof typeof HOST_ERRORS;

/**
 * Profile names both parsers read back under the same name: botocore's configparser and the JS SDK's
 * (@smithy/shared-ini-file-loader), which does not recognise `[profile a=b]` or `[profile a,b]`.
 */
export { PROFILE_NAME_PATTERN };

export const ProfileNameSchema = v.pipe(
  v.string('A profile name must be text.'),
  v.regex(PROFILE_NAME_PATTERN, 'A profile name may use letters, digits and _ . @ + - (1 to 64 characters).'),
);
const RoleArnSchema = v.pipe(
  v.string('A role ARN must be text.'),
  v.regex(/^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'That is not an IAM role ARN (arn:aws:iam::123456789012:role/name).'),
);
/**
 * Secrets are checked for shape only and error messages never include them. Printable ASCII without spaces, and
 * not starting with `#` or `;` (the JS SDK would read that as a comment).
 */
const SecretSchema = (what: string, max: number) =>
  v.pipe(
    v.string(`${what} must be text.`),
    v.regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `${what} must be 1 to ${max} printable characters without spaces.`),
    v.regex(/^[^#;]/, `${what} may not start with # or ;.`),
  );

export const CredentialsSchema = v.strictObject(
  {
    accessKeyId: v.pipe(v.string('The access key id must be text.'), v.regex(/^[A-Z0-9]{16,128}$/, 'The access key id must be 16 to 128 capital letters and digits.')),
    secretAccessKey: SecretSchema('The secret access key', 256),
    sessionToken: SecretSchema('The session token', 8192),
    expiration: v.pipe(v.string('The expiration must be text.'), v.isoTimestamp('The expiration must be an ISO 8601 time (2030-01-01T00:00:00Z).')),
  },
  'credentials must hold exactly accessKeyId, secretAccessKey, sessionToken and expiration.',
);

const DurationSchema = v.pipe(
  v.union([v.pipe(v.string(), v.regex(/^\d{3,5}$/)), v.pipe(v.number(), v.integer())], 'duration_seconds must be a whole number of seconds.'),
  v.transform((d) => String(d)),
  v.check((d) => Number(d) >= 900 && Number(d) <= 43200, 'duration_seconds must be between 900 and 43200.'),
);

export const ConfigKeysSchema = v.strictObject(
  {
    region: v.optional(v.pipe(v.string('region must be text.'), v.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'region must be an AWS region name such as eu-west-1.'))),
    source_profile: v.optional(ProfileNameSchema),
    role_arn: v.optional(RoleArnSchema),
    role_session_name: v.optional(v.pipe(v.string('role_session_name must be text.'), v.regex(/^[\w+=,.@-]{2,64}$/, 'role_session_name is 2 to 64 of letters, digits and _+=,.@-.'))),
    duration_seconds: v.optional(DurationSchema),
    external_id: v.optional(v.pipe(v.string('external_id must be text.'), v.regex(/^[\w+=,.@:/-]{2,1224}$/, 'external_id is 2 to 1224 of letters, digits and _+=,.@:/-.'))),
  },
  'config may hold only region, source_profile, role_arn, role_session_name, duration_seconds and external_id.',
);
export type ConfigKeys = v.InferOutput<typeof ConfigKeysSchema>;

export const ProfileWriteSchema = v.pipe(
  v.strictObject(
    {
      profile: ProfileNameSchema,
      kind: v.picklist(['saml', 'chained', 'chained-config'], 'kind must be saml, chained or chained-config.'),
      roleArn: RoleArnSchema,
      credentials: v.optional(CredentialsSchema),
      config: v.optional(ConfigKeysSchema, {}),
    },
    'A profile holds only profile, kind, roleArn, credentials and config.',
  ),
  v.forward(
    v.check((p) => (p.kind === 'chained-config') === !p.credentials, 'saml and chained profiles carry credentials; chained-config profiles do not.'),
    ['credentials'],
  ),
  v.forward(
    v.check((p) => p.kind !== 'chained-config' || (!!p.config.source_profile && !!p.config.role_arn), 'A chained-config profile needs source_profile and role_arn.'),
    ['config'],
  ),
  v.forward(
    v.check((p) => !p.config.source_profile === !p.config.role_arn, 'source_profile and role_arn go together.'),
    ['config'],
  ),
  v.forward(
    v.check((p) => p.config.source_profile !== p.profile, 'A profile cannot be its own source_profile.'),
    ['config', 'source_profile'],
  ),
);
export type ProfileWriteRequest = v.InferOutput<typeof ProfileWriteSchema>;
export type ProfileWriteInput = v.InferInput<typeof ProfileWriteSchema>;

export const WriteProfilesBodySchema = v.pipe(
  v.strictObject(
    {
      profiles: v.pipe(
        v.array(ProfileWriteSchema, 'profiles must be a list.'),
        v.minLength(1, 'No profiles to write.'),
        v.maxLength(MAX_PROFILES_PER_WRITE, `At most ${MAX_PROFILES_PER_WRITE} profiles in one write.`),
      ),
      confirmOverwrite: v.optional(v.array(ProfileNameSchema, 'confirmOverwrite must be a list of profile names.')),
      legacySecurityToken: v.optional(v.boolean('legacySecurityToken must be true or false.')),
    },
    'A write holds only profiles, confirmOverwrite and legacySecurityToken.',
  ),
  v.forward(
    v.check((b) => new Set(b.profiles.map((p) => p.profile)).size === b.profiles.length, 'Each profile may appear once in a write.'),
    ['profiles'],
  ),
);
export type WriteProfilesBody = v.InferOutput<typeof WriteProfilesBodySchema>;

export const RemoveProfilesBodySchema = v.strictObject(
  {
    profiles: v.pipe(
      v.array(ProfileNameSchema, 'profiles must be a list.'),
      v.minLength(1, 'No profiles to remove.'),
      v.maxLength(MAX_PROFILES_PER_WRITE, `At most ${MAX_PROFILES_PER_WRITE} profiles in one call.`),
    ),
  },
  'A removal holds only profiles.',
);
/** hello and listProfiles take no arguments; unknown keys are ignored so a newer extension can add some. */
const EmptyBodySchema = v.object({}, 'The body must be an object.');

export const REQUEST_BODIES = {
  hello: EmptyBodySchema,
  writeProfiles: WriteProfilesBodySchema,
  listProfiles: EmptyBodySchema,
  removeProfiles: RemoveProfilesBodySchema,
} as const;
export type RequestType = keyof typeof REQUEST_BODIES;
export type RequestBody<T extends RequestType> = v.InferInput<(typeof REQUEST_BODIES)[T]>;

export const EnvelopeSchema = v.strictObject(
  {
    v: v.pipe(v.number('v must be the protocol version (an integer).'), v.integer('v must be the protocol version (an integer).')),
    id: v.pipe(v.string('id must be text.'), v.minLength(1, 'id must not be empty.'), v.maxLength(64, 'id must be at most 64 characters.')),
    type: v.string('type must be text.'),
    body: v.optional(v.unknown(), {}),
  },
  'A request holds only v, id, type and body.',
);

export const HelloReplySchema = v.object({
  hostVersion: v.string(),
  protocols: v.array(v.number()),
  capabilities: v.array(v.string()),
  credentialsFile: v.string(),
  configFile: v.string(),
  node: v.string(),
});
export type HelloReply = v.InferOutput<typeof HelloReplySchema>;

export const WriteReplySchema = v.object({ written: v.array(v.string()), credentialsFile: v.string(), configFile: v.string() });
export type WriteReply = v.InferOutput<typeof WriteReplySchema>;

export const ListedProfileSchema = v.object({
  profile: v.string(),
  kind: v.picklist(['saml', 'chained', 'chained-config']),
  roleArn: v.optional(v.string()),
  sourceProfile: v.optional(v.string()),
  region: v.optional(v.string()),
  expiration: v.optional(v.string()),
});
export type ListedProfile = v.InferOutput<typeof ListedProfileSchema>;
export const ListReplySchema = v.object({ profiles: v.array(ListedProfileSchema) });
export const RemoveReplySchema = v.object({ removed: v.array(v.string()), notManaged: v.optional(v.array(v.string())) });

export const REPLY_BODIES = {
  hello: HelloReplySchema,
  writeProfiles: WriteReplySchema,
  listProfiles: ListReplySchema,
  removeProfiles: RemoveReplySchema,
} as const;
export type ReplyBody<T extends RequestType> = v.InferOutput<(typeof REPLY_BODIES)[T]>;

export const ErrorSchema = v.object({
  code: v.number(),
  name: v.string(),
  message: v.string(),
  field: v.optional(v.string()),
  profiles: v.optional(v.array(v.string())),
});
export type HostErrorBody = v.InferOutput<typeof ErrorSchema>;

export const ReplySchema = v.variant('ok', [
  v.object({ v: v.number(), id: v.nullable(v.string()), ok: v.literal(true), body: v.unknown() }),
  v.object({ v: v.number(), id: v.nullable(v.string()), ok: v.literal(false), error: ErrorSchema }),
]);
export type Reply = v.InferOutput<typeof ReplySchema>;

/** valibot's own messages ("Invalid format: Expected … but received "<value>"") may quote the value: never used. */
const DEFAULT_MESSAGE = /^Invalid [^:]*:/;

/** The first problem of a failed parse as `{ field, message }`: the field's dotted path and a rule, never the value. */
export function firstIssue(issues: readonly v.BaseIssue<unknown>[] | undefined, prefix?: string): { field?: string; message: string } {
  const issue = issues?.[0];
  if (!issue) return { field: prefix, message: 'The request is not valid.' };
  const path = v.getDotPath(issue);
  const field = [prefix, path].filter(Boolean).join('.') || undefined;
  const missing = issue.kind === 'schema' && issue.input === undefined;
  const own = !missing && issue.message && !DEFAULT_MESSAGE.test(issue.message) ? issue.message.replace(/\.$/, '') : undefined;
  const rule = missing ? 'This field is missing' : (own ?? `This field is not valid (expected ${issue.expected ?? 'something else'})`);
  return { field, message: `${rule}${field ? ` (at ${field})` : ''}.` };
}
