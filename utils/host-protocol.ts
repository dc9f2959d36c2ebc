/**
 * The native host protocol (PROTOCOL.md) as one valibot schema, imported by the extension (utils/native-client.ts)
 * and by the host (host/), so both sides accept and refuse exactly the same messages.
 */
import * as v from 'valibot';

export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOLS = [1] as const;
export const HOST_VERSION = '0.1.0';
export const CAPABILITIES = ['writeProfiles', 'listProfiles', 'removeProfiles', 'confirmOverwrite', 'legacySecurityToken'] as const;
/** Browser -> host frames above this are refused (and skipped). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const MAX_PROFILES_PER_WRITE = 200;

/** Numbers are only appended; see PROTOCOL.md. */
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
} as const;
export type HostErrorName = keyof typeof HOST_ERRORS;

const oneLine = (what: string, max: number) =>
  v.pipe(
    v.string(),
    v.minLength(1, `${what} is empty.`),
    v.maxLength(max, `${what} is longer than ${max} characters.`),
    v.regex(/^[^\r\n\0]*$/, `${what} must be on one line.`),
  );

export const ProfileNameSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.@+=,-]{1,64}$/, 'A profile name may use letters, digits and _ . @ + = , - (1 to 64 characters).'),
);
const RoleArnSchema = v.pipe(
  v.string(),
  v.regex(/^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'That is not an IAM role ARN.'),
);
/** Secrets: checked for shape only; error messages never include the value. */
const SecretSchema = (what: string, max: number) =>
  v.pipe(v.string(), v.regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `${what} must be 1 to ${max} printable characters without spaces.`));

export const CredentialsSchema = v.strictObject({
  accessKeyId: v.pipe(v.string(), v.regex(/^[A-Z0-9]{16,128}$/, 'The access key id must be 16 to 128 capital letters and digits.')),
  secretAccessKey: SecretSchema('The secret access key', 256),
  sessionToken: SecretSchema('The session token', 8192),
  expiration: v.pipe(v.string(), v.isoTimestamp('The expiration must be an ISO 8601 time.')),
});

export const ConfigKeysSchema = v.strictObject({
  region: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'That is not an AWS region name.'))),
  source_profile: v.optional(ProfileNameSchema),
  role_arn: v.optional(RoleArnSchema),
  role_session_name: v.optional(v.pipe(v.string(), v.regex(/^[\w+=,.@-]{2,64}$/, 'A session name is 2 to 64 of letters, digits and _+=,.@-.'))),
  duration_seconds: v.optional(v.pipe(v.string(), v.regex(/^\d{3,5}$/, 'duration_seconds must be a number of seconds.'))),
  external_id: v.optional(v.pipe(v.string(), v.regex(/^[\w+=,.@:/-]{2,1224}$/, 'An external ID is 2 to 1224 of letters, digits and _+=,.@:/-.'))),
});
export type ConfigKeys = v.InferOutput<typeof ConfigKeysSchema>;

export const ProfileWriteSchema = v.pipe(
  v.strictObject({
    profile: ProfileNameSchema,
    kind: v.picklist(['saml', 'chained', 'chained-config'], 'kind must be saml, chained or chained-config.'),
    roleArn: RoleArnSchema,
    credentials: v.optional(CredentialsSchema),
    config: ConfigKeysSchema,
  }),
  v.check((p) => (p.kind === 'chained-config') === !p.credentials, 'saml and chained profiles carry credentials; chained-config profiles do not.'),
  v.check((p) => p.kind !== 'chained-config' || (!!p.config.source_profile && !!p.config.role_arn), 'A chained-config profile needs source_profile and role_arn.'),
);
export type ProfileWriteRequest = v.InferOutput<typeof ProfileWriteSchema>;

export const WriteProfilesBodySchema = v.pipe(
  v.strictObject({
    profiles: v.pipe(v.array(ProfileWriteSchema), v.minLength(1, 'No profiles to write.'), v.maxLength(MAX_PROFILES_PER_WRITE, `At most ${MAX_PROFILES_PER_WRITE} profiles in one write.`)),
    confirmOverwrite: v.optional(v.array(ProfileNameSchema)),
    legacySecurityToken: v.optional(v.boolean()),
  }),
  v.check((b) => new Set(b.profiles.map((p) => p.profile)).size === b.profiles.length, 'Each profile may appear once in a write.'),
);
export type WriteProfilesBody = v.InferOutput<typeof WriteProfilesBodySchema>;

export const RemoveProfilesBodySchema = v.strictObject({ profiles: v.pipe(v.array(ProfileNameSchema), v.minLength(1), v.maxLength(MAX_PROFILES_PER_WRITE)) });
const EmptyBodySchema = v.strictObject({});

export const REQUEST_BODIES = {
  hello: EmptyBodySchema,
  writeProfiles: WriteProfilesBodySchema,
  listProfiles: EmptyBodySchema,
  removeProfiles: RemoveProfilesBodySchema,
} as const;
export type RequestType = keyof typeof REQUEST_BODIES;
export type RequestBody<T extends RequestType> = v.InferInput<(typeof REQUEST_BODIES)[T]>;

export const EnvelopeSchema = v.strictObject({
  v: v.pipe(v.number(), v.integer()),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  type: v.string(),
  body: v.optional(v.unknown(), {}),
});

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
export const RemoveReplySchema = v.object({ removed: v.array(v.string()) });

export const REPLY_BODIES = {
  hello: HelloReplySchema,
  writeProfiles: WriteReplySchema,
  listProfiles: ListReplySchema,
  removeProfiles: RemoveReplySchema,
} as const;
export type ReplyBody<T extends RequestType> = v.InferOutput<(typeof REPLY_BODIES)[T]>;

export const ReplySchema = v.union([
  v.object({ v: v.number(), id: v.nullable(v.string()), ok: v.literal(true), body: v.unknown() }),
  v.object({
    v: v.number(),
    id: v.nullable(v.string()),
    ok: v.literal(false),
    error: v.object({ code: v.number(), name: v.string(), message: v.string(), field: v.optional(v.string()) }),
  }),
]);
export type Reply = v.InferOutput<typeof ReplySchema>;

/** The first problem of a failed parse as `{ field, message }`, never quoting the value. */
export function firstIssue(issues: readonly v.BaseIssue<unknown>[] | undefined): { field?: string; message: string } {
  const issue = issues?.[0];
  if (!issue) return { message: 'The request is not valid.' };
  const field = v.getDotPath(issue) ?? undefined;
  const own = issue.message && !/^Invalid (type|key|length|value)/.test(issue.message) ? issue.message : undefined;
  return { field, message: own ?? `${field ? `Field "${field}"` : 'The request'} is not valid (${issue.expected ?? issue.kind}).` };
}
