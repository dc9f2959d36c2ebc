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
  PROTOCOL_VERSION,
  REQUEST_BODIES,
  SUPPORTED_PROTOCOLS,
  type HostErrorName,
  type Reply,
} from '../utils/host-protocol';
import { awsPaths, HostFailure, type AwsPaths, type FileSystemOps } from './aws-files';
import { listProfiles, removeProfiles, writeProfiles } from './profile-store';

export interface HandlerContext {
  paths?: AwsPaths;
  fs?: FileSystemOps;
  log?: (line: string) => void;
}

export function errorReply(id: string | null, name: HostErrorName, message: string, field?: string): Reply {
  return { v: PROTOCOL_VERSION, id, ok: false, error: { code: HOST_ERRORS[name], name, message, ...(field ? { field } : {}) } };
}

export async function handleRequest(raw: unknown, ctx: HandlerContext = {}): Promise<Reply> {
  const envelope = v.safeParse(EnvelopeSchema, raw);
  const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? ((raw as { id: string }).id.slice(0, 64) || null) : null;
  if (!envelope.success) {
    const issue = firstIssue(envelope.issues);
    return errorReply(id, 'InvalidRequest', issue.message, issue.field);
  }
  const { v: version, type, body } = envelope.output;
  if (!(SUPPORTED_PROTOCOLS as readonly number[]).includes(version)) {
    return errorReply(id, 'UnsupportedVersion', `This helper speaks protocol ${SUPPORTED_PROTOCOLS.join(', ')}, not ${version}; update the extension or run npm run host:install again.`);
  }
  if (!Object.hasOwn(REQUEST_BODIES, type)) {
    return errorReply(id, 'UnknownType', `This helper does not know the message "${type.slice(0, 40)}"; run npm run host:install again to update it.`, 'type');
  }
  const paths = ctx.paths ?? awsPaths();
  try {
    switch (type) {
      case 'hello':
        check(REQUEST_BODIES.hello, body);
        return ok(id, {
          hostVersion: HOST_VERSION,
          protocols: [...SUPPORTED_PROTOCOLS],
          capabilities: [...CAPABILITIES],
          credentialsFile: paths.credentialsFile,
          configFile: paths.configFile,
          node: process.versions.node,
        });
      case 'writeProfiles': {
        const request = check(REQUEST_BODIES.writeProfiles, body);
        const written = await writeProfiles(paths, request, ctx.fs);
        return ok(id, { written, credentialsFile: paths.credentialsFile, configFile: paths.configFile });
      }
      case 'listProfiles':
        check(REQUEST_BODIES.listProfiles, body);
        return ok(id, { profiles: await listProfiles(paths) });
      case 'removeProfiles': {
        const request = check(REQUEST_BODIES.removeProfiles, body);
        return ok(id, { removed: await removeProfiles(paths, request.profiles, ctx.fs) });
      }
    }
  } catch (error) {
    if (error instanceof HostFailure) return errorReply(id, error.errorName, error.message, error.field);
    ctx.log?.(`internal error in ${type}: ${error instanceof Error ? error.name : typeof error}`);
    return errorReply(id, 'Internal', 'The helper failed unexpectedly; try again, and report it if it repeats.');
  }
  return errorReply(id, 'UnknownType', 'Unknown message.', 'type');
}

function ok(id: string | null, body: unknown): Reply {
  return { v: PROTOCOL_VERSION, id, ok: true, body };
}

function check<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = firstIssue(result.issues);
  throw new HostFailure('InvalidRequest', issue.message, issue.field ? `body.${issue.field}` : 'body');
}
