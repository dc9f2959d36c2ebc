/**
 * The extension's client of the native host (PROTOCOL.md): one lazily opened port, a map of request id to pending
 * promise, a timeout per request, everything pending rejected when the port goes away, replies checked against the
 * shared schema. No browser API here: the caller passes `connect` (`() => browser.runtime.connectNative(NAME)`),
 * so tests hand in a fake port.
 */
import * as v from 'valibot';
import {
  PROTOCOL_VERSION,
  REPLY_BODIES,
  ReplySchema,
  type ListedProfile,
  type ProfileWriteRequest,
  type ReplyBody,
  type RequestBody,
  type RequestType,
} from './host-protocol';

export interface PortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: (port: PortLike) => void): void };
  disconnect(): void;
  /** Firefox puts the reason for a disconnect here. */
  error?: { message?: string } | null;
}

export const HOST_INSTALL_HINT = 'run npm run host:install in the aws-saml-sync folder, then try again';

/** The host cannot be reached: not installed, not allowed, crashed. */
export class HostUnavailableError extends Error {
  override name = 'HostUnavailableError';
}

/** The host answered with an error (PROTOCOL.md error table). */
export class HostError extends Error {
  override name = 'HostError';
  constructor(
    message: string,
    readonly code: number,
    readonly errorName: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface NativeClientOptions {
  /** Per request; generous, because a first write may wait for another browser's lock. Default 20 s. */
  timeoutMs?: number;
  /** Chrome's `runtime.lastError?.message`, read when the port disconnects. */
  lastError?: () => string | undefined;
}

/** One sentence for a disconnect, from what the browser said. */
export function disconnectSentence(reason: string | undefined): string {
  if (!reason || /not found|no such native application|not registered|access to the specified native messaging host is forbidden/i.test(reason)) {
    return `The aws-saml-sync helper is not installed; ${HOST_INSTALL_HINT}.`;
  }
  if (/exited|terminated|crash/i.test(reason)) {
    return `The aws-saml-sync helper stopped unexpectedly; ${HOST_INSTALL_HINT}.`;
  }
  return `The aws-saml-sync helper could not be reached; ${HOST_INSTALL_HINT}.`;
}

interface Pending {
  type: RequestType;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WriteOptions {
  confirmOverwrite?: string[];
  legacySecurityToken?: boolean;
}

export interface NativeClient {
  hello(): Promise<ReplyBody<'hello'>>;
  writeProfiles(profiles: ProfileWriteRequest[], options?: WriteOptions): Promise<string[]>;
  listProfiles(): Promise<ListedProfile[]>;
  removeProfiles(profiles: string[]): Promise<string[]>;
  disconnect(): void;
}

export function createNativeClient(connect: () => PortLike, options: NativeClientOptions = {}): NativeClient {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const pending = new Map<string, Pending>();
  let port: PortLike | undefined;
  let counter = 0;

  function failAll(error: Error): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(error);
    }
  }

  function onMessage(message: unknown): void {
    const reply = v.safeParse(ReplySchema, message);
    if (!reply.success || reply.output.id === null) return; // a frame-level complaint, or noise: nothing waits for it
    const waiting = pending.get(reply.output.id);
    if (!waiting) return;
    pending.delete(reply.output.id);
    clearTimeout(waiting.timer);
    if (!reply.output.ok) {
      const e = reply.output.error;
      waiting.reject(new HostError(e.message, e.code, e.name, e.field));
      return;
    }
    const body = v.safeParse(REPLY_BODIES[waiting.type], reply.output.body);
    if (body.success) waiting.resolve(body.output);
    else waiting.reject(new HostError(`The aws-saml-sync helper answered in a way this extension does not understand; ${HOST_INSTALL_HINT}.`, 0, 'BadReply'));
  }

  function open(): PortLike {
    if (port) return port;
    let opened: PortLike;
    try {
      opened = connect();
    } catch (error) {
      throw new HostUnavailableError(disconnectSentence(error instanceof Error ? error.message : undefined));
    }
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener((p) => {
      if (port === opened) port = undefined;
      failAll(new HostUnavailableError(disconnectSentence(p?.error?.message ?? opened.error?.message ?? options.lastError?.())));
    });
    port = opened;
    return opened;
  }

  function call<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ReplyBody<T>> {
    return new Promise<ReplyBody<T>>((resolve, reject) => {
      let p: PortLike;
      try {
        p = open();
      } catch (error) {
        reject(error as Error);
        return;
      }
      const id = `r${++counter}`;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new HostUnavailableError(`The aws-saml-sync helper did not answer within ${Math.round(timeoutMs / 1000)} s; try again, or ${HOST_INSTALL_HINT}.`));
      }, timeoutMs);
      pending.set(id, { type, resolve: resolve as (b: unknown) => void, reject, timer });
      try {
        p.postMessage({ v: PROTOCOL_VERSION, id, type, body });
      } catch (error) {
        clearTimeout(timer);
        pending.delete(id);
        port = undefined;
        reject(new HostUnavailableError(disconnectSentence(error instanceof Error ? error.message : undefined)));
      }
    });
  }

  return {
    hello: () => call('hello', {}),
    async writeProfiles(profiles, opts = {}) {
      const body = {
        profiles: profiles.map((p) => ({
          profile: p.profile,
          kind: p.kind,
          roleArn: p.roleArn,
          ...(p.credentials ? { credentials: p.credentials } : {}),
          config: Object.fromEntries(Object.entries(p.config).filter(([, value]) => value !== undefined)),
        })),
        ...(opts.confirmOverwrite?.length ? { confirmOverwrite: opts.confirmOverwrite } : {}),
        ...(opts.legacySecurityToken ? { legacySecurityToken: true } : {}),
      };
      return (await call('writeProfiles', body as RequestBody<'writeProfiles'>)).written;
    },
    listProfiles: async () => (await call('listProfiles', {})).profiles,
    removeProfiles: async (profiles) => (await call('removeProfiles', { profiles })).removed,
    disconnect() {
      const p = port;
      port = undefined;
      p?.disconnect();
      failAll(new HostUnavailableError('The connection to the aws-saml-sync helper was closed; try again.'));
    },
  };
}
