/**
 * The native host protocol (PROTOCOL.md) as one valibot schema, imported by the extension (utils/native-client.ts)
 * and by the host (host/), so both sides accept and refuse exactly the same messages.
 * No browser or Node API here: it is bundled into the service worker and into the host.
 */
import * as v from 'valibot';
import { EXTERNAL_ID, PROFILE_NAME, REGION, ROLE_ARN, SESSION_NAME, type NameRule } from './aws-names';

export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOLS = [1] as const;
/** Kept equal to package.json's version (a unit test checks it). */
export const HOST_VERSION = '0.1.0';
export const CAPABILITIES = ['writeProfiles', 'listProfiles', 'removeProfiles', 'confirmOverwrite', 'legacySecurityToken', 'credentialProcess'] as const;
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
  // credential_process (PROTOCOL.md "credential_process"): 19-24 are sent by the host on the local socket, and
  // 19-20 also by the extension in its credentialsAnswer.
  NoCredentials: 19,
  NeedsPerson: 20,
  SocketInUse: 21,
  SocketUnsafe: 22,
  NoAnswer: 23,
  UnquotablePath: 24,
} as const;
export type HostErrorName = keyof typeof HOST_ERRORS;

/** A text field that follows one of the AWS name rules (utils/aws-names.ts). */
const named = (what: string, rule: NameRule) => v.pipe(v.string(`${what} must be text.`), v.regex(rule.pattern, rule.rule));

export const ProfileNameSchema = named('A profile name', PROFILE_NAME);
const RoleArnSchema = named('A role ARN', ROLE_ARN);
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
    region: v.optional(named('region', REGION)),
    source_profile: v.optional(ProfileNameSchema),
    role_arn: v.optional(RoleArnSchema),
    role_session_name: v.optional(named('role_session_name', SESSION_NAME)),
    duration_seconds: v.optional(DurationSchema),
    external_id: v.optional(named('external_id', EXTERNAL_ID)),
  },
  'config may hold only region, source_profile, role_arn, role_session_name, duration_seconds and external_id.',
);
export type ConfigKeys = v.InferOutput<typeof ConfigKeysSchema>;

export const WRITE_AS = ['keys', 'credential-process'] as const;
export type WriteAs = (typeof WRITE_AS)[number];

/** Where a person signs in (given to the host so `credentials --open` can open it): an https URL. */
export const SignInUrlSchema = v.pipe(
  v.string('signInUrl must be text.'),
  v.maxLength(2048, 'signInUrl must be at most 2048 characters.'),
  v.regex(/^https:\/\/[^\s"'<>\\^`{|}]+$/, 'signInUrl must be an https URL without spaces or quotes.'),
);

export const ProfileWriteSchema = v.pipe(
  v.strictObject(
    {
      profile: ProfileNameSchema,
      kind: v.picklist(['saml', 'chained', 'chained-config'], 'kind must be saml, chained or chained-config.'),
      roleArn: RoleArnSchema,
      credentials: v.optional(CredentialsSchema),
      config: v.optional(ConfigKeysSchema, {}),
      /** keys (default): credentials in ~/.aws/credentials; credential-process: served on demand (PROTOCOL.md). */
      writeAs: v.optional(v.picklist(WRITE_AS, 'writeAs must be keys or credential-process.')),
    },
    'A profile holds only profile, kind, roleArn, credentials, config and writeAs.',
  ),
  v.forward(
    v.check((p) => p.writeAs !== 'credential-process' || p.kind !== 'chained-config', 'A chained-config profile is written as config only; credential-process is for saml and chained profiles.'),
    ['writeAs'],
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
      signInUrl: v.optional(SignInUrlSchema),
    },
    'A write holds only profiles, confirmOverwrite, legacySecurityToken and signInUrl.',
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

/** The extension asks this host process to serve credential_process on the local socket while its port is open. */
export const ServeCredentialsBodySchema = v.object(
  { signInUrl: v.optional(SignInUrlSchema), profiles: v.optional(v.array(ProfileNameSchema, 'profiles must be a list of profile names.')) },
  'The body must be an object.',
);

export const REQUEST_BODIES = {
  hello: EmptyBodySchema,
  writeProfiles: WriteProfilesBodySchema,
  listProfiles: EmptyBodySchema,
  removeProfiles: RemoveProfilesBodySchema,
  serveCredentials: ServeCredentialsBodySchema,
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
  /** The command line a credential_process profile runs, without its arguments (the helper's launcher, quoted). */
  launcher: v.optional(v.string()),
});
export type HelloReply = v.InferOutput<typeof HelloReplySchema>;


export const ListedProfileSchema = v.object({
  profile: v.string(),
  kind: v.picklist(['saml', 'chained', 'chained-config']),
  roleArn: v.optional(v.string()),
  sourceProfile: v.optional(v.string()),
  region: v.optional(v.string()),
  expiration: v.optional(v.string()),
  /** true: its config section has this helper's credential_process (served on demand, no keys on disk in ~/.aws). */
  credentialProcess: v.optional(v.boolean()),
});
export type ListedProfile = v.InferOutput<typeof ListedProfileSchema>;
export const ListReplySchema = v.object({ profiles: v.array(ListedProfileSchema) });
/** `profiles`: every managed profile as the files stand after the write (older hosts leave it out). */
export const WriteReplySchema = v.object({
  written: v.array(v.string()),
  credentialsFile: v.string(),
  configFile: v.string(),
  profiles: v.optional(v.array(ListedProfileSchema)),
});
export type WriteReply = v.InferOutput<typeof WriteReplySchema>;
export const RemoveReplySchema = v.object({ removed: v.array(v.string()), notManaged: v.optional(v.array(v.string())) });

export const REPLY_BODIES = {
  hello: HelloReplySchema,
  writeProfiles: WriteReplySchema,
  listProfiles: ListReplySchema,
  removeProfiles: RemoveReplySchema,
  serveCredentials: v.object({ socket: v.string() }),
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

// --- credential_process (PROTOCOL.md "credential_process") -------------------------------------------------

/** Local socket frames (command-line process -> serving host) above this are refused and the connection closed. */
export const MAX_SOCKET_REQUEST_BYTES = 64 * 1024;

/** Host -> extension, over the native port: "give me credentials for this profile". */
export const CredentialsAskSchema = v.strictObject({
  v: v.number(),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  type: v.literal('credentials'),
  body: v.strictObject({ profile: ProfileNameSchema }),
});
export type CredentialsAsk = v.InferOutput<typeof CredentialsAskSchema>;

/** Extension -> host: the answer to a CredentialsAsk, with the ask's id. */
export const CredentialsAnswerBodySchema = v.union([
  v.strictObject({ credentials: CredentialsSchema }),
  v.strictObject({
    error: v.strictObject({
      name: v.picklist(['NoCredentials', 'NeedsPerson']),
      message: v.pipe(v.string(), v.minLength(1), v.maxLength(300)),
    }),
  }),
]);
export type CredentialsAnswerBody = v.InferOutput<typeof CredentialsAnswerBodySchema>;

/** Command-line process -> serving host, over the local socket. */
export const SocketRequestSchema = v.strictObject(
  {
    v: v.number('v must be the protocol version (an integer).'),
    id: v.pipe(v.string('id must be text.'), v.minLength(1, 'id must not be empty.'), v.maxLength(64, 'id must be at most 64 characters.')),
    type: v.literal('credentials', 'type must be credentials.'),
    body: v.strictObject({ profile: ProfileNameSchema }, 'The body holds only profile.'),
  },
  'A request holds only v, id, type and body.',
);

/** What credential_process prints (AWS's Version 1 format), also the socket's reply body. */
export const ProcessCredentialsSchema = v.object({
  Version: v.literal(1),
  AccessKeyId: v.string(),
  SecretAccessKey: v.string(),
  SessionToken: v.string(),
  Expiration: v.string(),
});
export type ProcessCredentials = v.InferOutput<typeof ProcessCredentialsSchema>;
