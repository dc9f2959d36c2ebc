/**
 * The extension's client of the native host (PROTOCOL.md): one lazily opened port, a map of request id to pending
 * promise, a timeout per request, everything pending rejected when the port goes away, requests and replies
 * checked against the shared schema. No browser API here: the caller passes `connect`
 * (`() => browser.runtime.connectNative(NATIVE_HOST_NAME)`) or a port, so tests hand in a fake.
 *
 *   const client = createNativeClient(() => browser.runtime.connectNative(NATIVE_HOST_NAME),
 *                                     { lastError: () => browser.runtime.lastError?.message });
 *   const hello = await client.hello();           // { hostVersion, protocols, capabilities, credentialsFile, ... }
 *   await client.writeProfiles([{ profile, kind: 'saml', roleArn, credentials, config: { region } }]);
 *   const profiles = await client.listProfiles(); // never secrets
 *   const removed = await client.removeProfiles(['sts-temp']);
 *
 * Failures are thrown as HostError (`code` and `errorName` from PROTOCOL.md's table, `message` one sentence for a
 * person, `field`/`profiles` when the host named them), or HostUnavailableError when the helper is not installed.
 */
import { PublicError } from './public-error';
import * as v from 'valibot';
import {
  CredentialsAskSchema,
  firstIssue,
  HOST_ERRORS,
  PROTOCOL_VERSION,
  REPLY_BODIES,
  REQUEST_BODIES,
  ReplySchema,
  type CredentialsAnswerBody,
  type CredentialsAsk,
  type HostErrorName,
  type ListedProfile,
  type ProfileWriteInput,
  type ReplyBody,
  type RequestBody,
  type RequestType,
} from './host-protocol';

/** What `browser.runtime.connectNative()` returns, as far as this client uses it. */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: (port: PortLike) => void): void };
  disconnect(): void;
  /** Firefox puts the reason for a disconnect here. */
  error?: { message?: string } | null;
}

export const HOST_INSTALL_HINT = 'run npx aws-saml-sync-host install in a terminal, then try again';
export const DEFAULT_TIMEOUT_MS = 20_000;

/** The host answered with an error, or the exchange failed (PROTOCOL.md error table). */
export class HostError extends PublicError {
  override name = 'HostError';
  readonly code: number;
  constructor(
    message: string,
    readonly errorName: HostErrorName | string,
    readonly field?: string,
    readonly profiles?: string[],
    /** The code the host sent; by default the table's number for errorName. */
    code?: number,
  ) {
    super(message);
    this.code = code ?? (HOST_ERRORS as Record<string, number>)[errorName] ?? 0;
  }
}

/** The helper cannot be started: not installed, or installed for another extension id. */
export class HostUnavailableError extends HostError {
  override name = 'HostUnavailableError';
  constructor(message = `The aws-saml-sync helper is not installed; ${HOST_INSTALL_HINT}.`) {
    super(message, 'HostNotInstalled');
  }
}

export interface NativeClientOptions {
  /** Per request; generous, because a write may wait up to 10 s for another browser's lock. Default 20 s. */
  timeoutMs?: number;
  /** Chrome's `runtime.lastError?.message`, read when the port disconnects. Default: the global `chrome`'s. */
  lastError?: () => string | undefined;
  /**
   * credential_process: answers the host's own asks (`{ type: "credentials" }`, PROTOCOL.md), sent back as
   * `credentialsAnswer` with the ask's id. Without it, such asks are answered NoCredentials.
   */
  onHostRequest?: (ask: CredentialsAsk) => Promise<CredentialsAnswerBody>;
  /** Called when an open port closes (the host exited, or the browser closed it), with the reason. */
  onDisconnect?: (error: HostError) => void;
}

/** Chrome: "Specified native messaging host not found.", "Access to the specified native messaging host is forbidden."; Firefox: "No such native application …". */
const NOT_INSTALLED = /not found|no such native application|not registered|is forbidden/i;

/** The error for a port that closed (or could not open), from what the browser said. */
export function disconnectError(reason: string | undefined): HostError {
  if (!reason || NOT_INSTALLED.test(reason)) return new HostUnavailableError();
  if (/exited|terminated|crash/i.test(reason)) {
    return new HostError(`The aws-saml-sync helper stopped unexpectedly; ${HOST_INSTALL_HINT}, and report it if it repeats.`, 'HostExited');
  }
  return new HostUnavailableError(`The aws-saml-sync helper could not be started; ${HOST_INSTALL_HINT}.`);
}

interface Pending {
  type: RequestType;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface WriteOptions {
  /** Profiles the person confirmed may replace a section not written by aws-saml-sync, or long-term keys. */
  confirmOverwrite?: string[];
  /** Also write aws_security_token for old tools. */
  legacySecurityToken?: boolean;
}

export interface NativeClient {
  hello(): Promise<ReplyBody<'hello'>>;
  /** One locked write of all these profiles; resolves with their names. */
  /** The names written, and (from current hosts) every managed profile as the files stand after the write. */
  writeProfiles(profiles: ProfileWriteInput[], options?: WriteOptions): Promise<{ written: string[]; profiles?: ListedProfile[] }>;
  listProfiles(): Promise<ListedProfile[]>;
  /** Resolves with the names whose sections were removed (sections not written by aws-saml-sync stay). */
  removeProfiles(profiles: string[]): Promise<string[]>;
  /** Asks this host process to serve credential_process on its local socket while the port stays open. */
  serveCredentials(body: RequestBody<'serveCredentials'>): Promise<ReplyBody<'serveCredentials'>>;
  /** Close the port (the host exits); anything pending is rejected. The next call opens a new one. */
  disconnect(): void;
}

function chromeLastError(): string | undefined {
  return (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime?.lastError?.message;
}

function isPort(x: unknown): x is PortLike {
  return typeof (x as PortLike | null)?.postMessage === 'function';
}

export function createNativeClient(connectOrPort: (() => PortLike) | PortLike, options: NativeClientOptions = {}): NativeClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lastError = options.lastError ?? chromeLastError;
  let given: PortLike | undefined = isPort(connectOrPort) ? connectOrPort : undefined;
  const connect = isPort(connectOrPort)
    ? () => {
        // A port handed in works once: after it closes there is nothing to reconnect with.
        if (!given) throw new Error('Attempt to use a disconnected port');
        const p = given;
        given = undefined;
        return p;
      }
    : connectOrPort;
  /** In send order, which is the host's reply order. */
  const pending = new Map<string, Pending>();
  let port: PortLike | undefined;
  let counter = 0;

  function settle(id: string): Pending | undefined {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  function failAll(error: Error): void {
    for (const id of [...pending.keys()]) settle(id)?.reject(error);
  }

  function answerAsk(ask: CredentialsAsk, from: PortLike): void {
    const answering = options.onHostRequest
      ? options.onHostRequest(ask)
      : Promise.resolve<CredentialsAnswerBody>({ error: { name: 'NoCredentials', message: 'This browser does not serve credential_process.' } });
    void answering
      .catch((): CredentialsAnswerBody => ({ error: { name: 'NoCredentials', message: 'Something went wrong inside aws-saml-sync; try again, and report it if it repeats.' } }))
      .then((body) => {
        try {
          from.postMessage({ v: PROTOCOL_VERSION, id: ask.id, type: 'credentialsAnswer', body });
        } catch {
          // The port closed meanwhile: the host has gone, nobody waits for this answer.
        }
      });
  }

  function onMessage(message: unknown): void {
    // The host's own ask (credential_process), not a reply to one of ours.
    if ((message as { type?: unknown } | null)?.type === 'credentials' && !('ok' in (message as object))) {
      const ask = v.safeParse(CredentialsAskSchema, message);
      if (ask.success && port) answerAsk(ask.output, port);
      return;
    }
    const reply = v.safeParse(ReplySchema, message);
    if (!reply.success) {
      // Cannot tell whom it answers; the host answers in order, so it is the oldest request's.
      const oldest = pending.keys().next();
      if (!oldest.done) settle(oldest.value)?.reject(badReply());
      return;
    }
    const { id } = reply.output;
    // id null: the host could not read a request (bad frame); it answers in order, so it is the oldest one.
    const waiting = id === null ? settleOldest() : settle(id);
    if (!waiting) return;
    if (!reply.output.ok) {
      const e = reply.output.error;
      waiting.reject(new HostError(e.message, e.name, e.field, e.profiles, e.code));
      return;
    }
    const body = v.safeParse(REPLY_BODIES[waiting.type], reply.output.body);
    if (body.success) waiting.resolve(body.output);
    else waiting.reject(badReply());
  }

  function settleOldest(): Pending | undefined {
    const oldest = pending.keys().next();
    return oldest.done ? undefined : settle(oldest.value);
  }

  function open(): PortLike {
    if (port) return port;
    let opened: PortLike;
    try {
      opened = connect();
    } catch (error) {
      throw disconnectError(error instanceof Error ? error.message : undefined);
    }
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener((p) => {
      if (port !== opened) return;
      port = undefined;
      const error = disconnectError(p?.error?.message ?? opened.error?.message ?? lastError());
      failAll(error);
      options.onDisconnect?.(error);
    });
    port = opened;
    return opened;
  }

  function call<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ReplyBody<T>> {
    return new Promise<ReplyBody<T>>((resolve, reject) => {
      // Checked here first with the host's own schema: a bad request fails at once, with the host's sentence.
      const checked = v.safeParse(REQUEST_BODIES[type], body);
      if (!checked.success) {
        const issue = firstIssue(checked.issues, 'body');
        reject(new HostError(issue.message, 'InvalidRequest', issue.field));
        return;
      }
      let p: PortLike;
      try {
        p = open();
      } catch (error) {
        reject(error as Error);
        return;
      }
      const id = `r${++counter}`;
      const timer = setTimeout(() => {
        if (!settle(id)) return;
        reject(new HostError(`The aws-saml-sync helper did not answer within ${Math.round(timeoutMs / 1000)} seconds; try again, and if it keeps happening ${HOST_INSTALL_HINT}.`, 'Timeout'));
      }, timeoutMs);
      pending.set(id, { type, resolve: resolve as (b: unknown) => void, reject, timer });
      try {
        p.postMessage({ v: PROTOCOL_VERSION, id, type, body: checked.output });
      } catch (error) {
        settle(id);
        if (port === p) port = undefined;
        reject(disconnectError(error instanceof Error ? error.message : undefined));
      }
    });
  }

  return {
    hello: () => call('hello', {}),
    async writeProfiles(profiles, opts = {}) {
      const body: RequestBody<'writeProfiles'> = {
        profiles: profiles.map((p) => ({
          ...p,
          // undefined entries (an optional setting left empty) are simply not sent.
          config: p.config && (Object.fromEntries(Object.entries(p.config).filter(([, value]) => value !== undefined)) as ProfileWriteInput['config']),
        })),
        ...(opts.confirmOverwrite?.length ? { confirmOverwrite: opts.confirmOverwrite } : {}),
        ...(opts.legacySecurityToken ? { legacySecurityToken: true } : {}),
      };
      const reply = await call('writeProfiles', body);
      return { written: reply.written, profiles: reply.profiles };
    },
    listProfiles: async () => (await call('listProfiles', {})).profiles,
    removeProfiles: async (profiles) => (await call('removeProfiles', { profiles })).removed,
    serveCredentials: (body) => call('serveCredentials', body),
    disconnect() {
      const p = port;
      port = undefined;
      failAll(new HostError('The connection to the aws-saml-sync helper was closed before it answered; try again.', 'HostExited'));
      p?.disconnect();
    },
  };
}

function badReply(): HostError {
  return new HostError(`The aws-saml-sync helper answered something this extension does not understand; ${HOST_INSTALL_HINT}.`, 'BadReply');
}
