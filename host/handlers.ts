/**
 * Turns one decoded request into one reply. Everything is validated with the shared schema before any file is
 * touched; failures become `{ ok: false, error }` with one sentence and no secret.
 */
import * as v from 'valibot';
import {
  CAPABILITIES,
  EnvelopeSchema,
  firstIssue,
  HOST_ERRORS,
  HOST_VERSION,
  MAX_REPLY_BYTES,
  PROTOCOL_VERSION,
  REQUEST_BODIES,
  SUPPORTED_PROTOCOLS,
  type HostErrorName,
  type Reply,
} from '../utils/host-protocol';
import { awsPaths, HostFailure, type AwsPaths, type FileSystemOps } from './aws-files';
import { CredentialCache } from './credential-cache';
import { ownLauncherCommand } from './launcher';
import { listProfiles, removeProfiles, writeProfiles } from './profile-store';

export interface HandlerContext {
  /** Default: resolved from the environment for each request. */
  paths?: AwsPaths;
  fs?: FileSystemOps;
  /** One line to stderr; never given a secret or a request body. */
  log?: (line: string) => void;
  /** credential_process: the launcher command (default: this helper's own) and the cache (default: its data folder). */
  launcher?: () => string;
  cache?: CredentialCache;
  /** Starts serving credential_process on the local socket (host/credential-server.ts; main.ts provides it). */
  serveCredentials?: (body: v.InferOutput<typeof REQUEST_BODIES.serveCredentials>) => Promise<{ socket: string }>;
}

export function errorReply(id: string | null, name: HostErrorName, message: string, extra: { field?: string; profiles?: string[] } = {}): Reply {
  const error = { code: HOST_ERRORS[name], name, message, ...(extra.field ? { field: extra.field } : {}), ...(extra.profiles ? { profiles: extra.profiles } : {}) };
  return { v: PROTOCOL_VERSION, id, ok: false, error };
}

/** The request's id when it has a usable one, so even a refused request gets an answer the extension can match. */
function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

export async function handleRequest(raw: unknown, ctx: HandlerContext = {}): Promise<Reply> {
  const id = idOf(raw);
  const envelope = v.safeParse(EnvelopeSchema, raw);
  if (!envelope.success) {
    const issue = firstIssue(envelope.issues);
    return errorReply(id, 'InvalidRequest', issue.message, { field: issue.field });
  }
  const { v: version, type, body } = envelope.output;
  if (!(SUPPORTED_PROTOCOLS as readonly number[]).includes(version)) {
    return errorReply(id, 'UnsupportedVersion', `This aws-saml-sync helper speaks protocol ${SUPPORTED_PROTOCOLS.join(', ')}, not ${version}; update the extension, or run npm run host:install again.`, { field: 'v' });
  }
  if (!Object.hasOwn(REQUEST_BODIES, type)) {
    const shown = /^[\w-]{1,40}$/.test(type) ? `"${type}"` : 'it was sent';
    return errorReply(id, 'UnknownType', `This aws-saml-sync helper does not know the request ${shown}; run npm run host:install again to update it.`, { field: 'type' });
  }
  const paths = ctx.paths ?? awsPaths();
  const launcher = ctx.launcher ?? ownLauncherCommand;
  try {
    switch (type as keyof typeof REQUEST_BODIES) {
      case 'hello':
        check(REQUEST_BODIES.hello, body);
        return ok(id, {
          hostVersion: HOST_VERSION,
          protocols: [...SUPPORTED_PROTOCOLS],
          capabilities: [...CAPABILITIES],
          credentialsFile: paths.credentialsFile,
          configFile: paths.configFile,
          node: process.versions.node,
          ...launcherOf(launcher),
        });
      case 'writeProfiles': {
        const request = check(REQUEST_BODIES.writeProfiles, body);
        const { written, profiles } = await writeProfiles(paths, request, ctx.fs, { launcher, cache: ctx.cache ?? new CredentialCache(), log: ctx.log });
        // The list after the write comes with it: the extension needs no listProfiles round trip to show it.
        return ok(id, { written, credentialsFile: paths.credentialsFile, configFile: paths.configFile, profiles });
      }
      case 'listProfiles':
        check(REQUEST_BODIES.listProfiles, body);
        return ok(id, { profiles: await listProfiles(paths) });
      case 'removeProfiles': {
        const request = check(REQUEST_BODIES.removeProfiles, body);
        return ok(id, await removeProfiles(paths, request.profiles, ctx.fs, ctx.cache ?? new CredentialCache()));
      }
      case 'serveCredentials': {
        const request = check(REQUEST_BODIES.serveCredentials, body);
        if (!ctx.serveCredentials) throw new HostFailure('Internal', 'This aws-saml-sync helper cannot serve credential_process here; run npm run host:install again.');
        return ok(id, await ctx.serveCredentials(request));
      }
    }
  } catch (error) {
    if (error instanceof HostFailure) return errorReply(id, error.errorName, error.message, { field: error.field, profiles: error.profiles });
    // Only the error's class and errno code: a message could quote a file's content.
    ctx.log?.(`internal error in ${type}: ${error instanceof Error ? error.name : typeof error} ${(error as NodeJS.ErrnoException)?.code ?? ''}`);
    return errorReply(id, 'Internal', 'Something went wrong inside the aws-saml-sync helper; try again, and report it if it repeats.');
  }
}

/** hello's `launcher`, left out when this helper's path cannot be quoted (a credential_process write then says why). */
function launcherOf(launcher: () => string): { launcher?: string } {
  try {
    return { launcher: launcher() };
  } catch {
    return {};
  }
}

function ok(id: string | null, body: unknown): Reply {
  return { v: PROTOCOL_VERSION, id, ok: true, body };
}

function check<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = firstIssue(result.issues, 'body');
  throw new HostFailure('InvalidRequest', issue.message, issue.field);
}

/** The reply as a frame payload; a reply above Chrome's 1 MiB limit is replaced by error ReplyTooLarge. */
export function encodeReply(reply: Reply): Buffer {
  const json = Buffer.from(JSON.stringify(reply), 'utf8');
  if (json.length <= MAX_REPLY_BYTES) return json;
  const error = errorReply(reply.id, 'ReplyTooLarge', 'The answer of the aws-saml-sync helper would be larger than the 1 MiB a browser accepts; remove some profiles and try again.');
  return Buffer.from(JSON.stringify(error), 'utf8');
}
