/**
 * credential_process, the serving side: while the extension keeps its native port open it asks this host process
 * (`serveCredentials`) to listen on a per-user local socket, never a TCP port. `aws-saml-sync-host credentials
 * --profile NAME` (host/credentials-cli.ts), run by the AWS CLI or an SDK, connects and asks; this process answers
 * from the cache while the credentials have 15 minutes left, else forwards the ask to the extension over the native
 * port (a host -> extension `credentials` message) and caches the answer. Concurrent asks for one profile share one
 * ask to the extension.
 *
 * Who can connect: on Linux and macOS a Unix domain socket `credentials.sock` (0600) in `<data folder>/run/` (0700,
 * ours, not a symlink); a socket left by a crashed host is replaced only after connecting to it failed, and only
 * when it really is a socket of ours. On Windows a named pipe per user name, created as the first instance (a pipe
 * someone else created first is never joined) with Node's default, user-only write access (`readableAll` and
 * `writableAll` false). Frames are native messaging's (4-byte little-endian length, UTF-8 JSON), one request per
 * connection, at most 64 KiB, within 5 s of connecting (PROTOCOL.md "credential_process").
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type ListenOptions, type Server, type Socket } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import {
  CredentialsAnswerBodySchema,
  firstIssue,
  HOST_ERRORS,
  MAX_SOCKET_REQUEST_BYTES,
  PROTOCOL_VERSION,
  SocketRequestSchema,
  type CredentialsAnswerBody,
  type HostErrorName,
  type ProcessCredentials,
} from '../utils/host-protocol';
import { HostFailure } from './aws-files';
import { CredentialCache, timeLeft, type Credentials } from './credential-cache';
import { currentPlatform, dataDir, type Platform } from './browsers';
import { encodeFrame, FrameReader } from './framing';
import { ensurePrivateDir } from './private-files';

/** Served from the cache without asking the extension while this much is left (botocore refreshes at 15 min). */
export const SERVE_FROM_CACHE_MS = 15 * 60_000;
/** Served when nothing fresher can be had (the JS SDK treats less than 5 minutes as expired). */
export const LAST_RESORT_MS = 5 * 60_000;
/** How long this host waits for the extension's answer; the command-line process waits a little longer. */
export const ASK_TIMEOUT_MS = 20_000;
/** A client must send its whole request within this after connecting. */
export const CLIENT_IDLE_MS = 5_000;
export const MAX_CONNECTIONS = 64;

export interface SocketLocation {
  /** The socket path, or the pipe name on Windows. */
  path: string;
  /** The private folder that holds it (POSIX only). */
  dir?: string;
}

/** A name Windows accepts in a pipe name, from the user name (the pipe's ACL, not its name, keeps others out). */
function pipeSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'user';
}

export function socketLocation(platform: Platform, home: string, env: NodeJS.ProcessEnv = process.env, userName = safeUserName()): SocketLocation {
  if (platform === 'win32') return { path: `\\\\.\\pipe\\aws-saml-sync-credentials-${pipeSafe(userName)}` };
  const dir = join(dataDir(platform, home, env), 'run');
  return { dir, path: join(dir, 'credentials.sock') };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USERNAME ?? 'user';
  }
}

export function currentSocketLocation(env: NodeJS.ProcessEnv = process.env): SocketLocation {
  return socketLocation(currentPlatform(), homedir(), env);
}

/**
 * How the server listens: never readable or writable by all (on Windows that keeps the pipe's default DACL:
 * full control for the user, SYSTEM and administrators only; on POSIX the socket is chmod 0600 after listen too),
 * and exclusive (no handle shared with a cluster).
 */
export function listenOptions(location: SocketLocation): ListenOptions {
  return { path: location.path, readableAll: false, writableAll: false, exclusive: true };
}

/** Connects to a socket path: true when something answers (a live host), false when nothing listens there. */
export function isListening(path: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    // A host too busy to accept within a second is taken for alive: never remove a live host's socket.
    const timer = setTimeout(() => done(true), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}

/**
 * Make way for our socket at `path` (POSIX): nothing there is fine; a socket of ours that nobody answers on (left by
 * a crash) is removed; a live one means another host serves already; anything else (a symlink, a file, someone
 * else's socket) is refused and left as it is.
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (info.isSymbolicLink() || !info.isSocket()) {
    throw new HostFailure('SocketUnsafe', `${path} is not a socket of aws-saml-sync (it is a ${info.isSymbolicLink() ? 'symlink' : 'file or folder'}), so it is left alone and credential_process is not served; remove it and reload the extension.`);
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new HostFailure('SocketUnsafe', `${path} belongs to another user, so credential_process is not served; remove it and reload the extension.`);
  }
  if (await isListening(path)) {
    throw new HostFailure('SocketInUse', 'Another browser already serves credential_process for aws-saml-sync; it keeps answering the AWS CLI while it runs.');
  }
  await unlink(path);
}

export type CredentialsAsker = (profile: string) => Promise<CredentialsAnswerBody>;

export interface ProviderOptions {
  cache: CredentialCache;
  /** Forward the ask to the extension; rejects with a HostFailure (NoAnswer) when it does not answer. */
  ask: CredentialsAsker;
  signInUrl?: () => string | undefined;
  now?: () => number;
  log?: (line: string) => void;
}

/** Credentials for a profile: the cache while it has 15 minutes, else one shared ask to the extension. */
export function createCredentialProvider(options: ProviderOptions): (profile: string) => Promise<Credentials> {
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Promise<Credentials>>();
  /** The extension's latest answers: served at once while the disk copy is still being written. */
  const latest = new Map<string, Credentials>();
  return async (profile) => {
    const onDisk = (await options.cache.read(profile))?.credentials;
    const inMemory = latest.get(profile);
    const cached = inMemory && (!onDisk || Date.parse(inMemory.expiration) >= Date.parse(onDisk.expiration)) ? inMemory : onDisk;
    if (cached && timeLeft(cached, now()) >= SERVE_FROM_CACHE_MS) return cached;
    const running = inFlight.get(profile);
    if (running) return running;
    const fetching = (async () => {
      const lastResort = () => (cached && timeLeft(cached, now()) >= LAST_RESORT_MS ? cached : undefined);
      let answer: CredentialsAnswerBody;
      try {
        answer = await options.ask(profile);
      } catch (error) {
        const old = lastResort();
        if (old) return old;
        throw error;
      }
      if ('credentials' in answer) {
        latest.set(profile, answer.credentials);
        // Written after the answer leaves (the fsync is not the caller's wait); the memory copy covers the gap.
        void options.cache.write(profile, answer.credentials, options.signInUrl?.()).catch((error: unknown) => {
          options.log?.(`credential_process cache not updated: ${(error as NodeJS.ErrnoException)?.code ?? 'error'}`);
        });
        return answer.credentials;
      }
      const old = lastResort();
      if (old) return old;
      throw new HostFailure(answer.error.name, answer.error.message);
    })();
    inFlight.set(profile, fetching);
    try {
      return await fetching;
    } finally {
      inFlight.delete(profile);
    }
  };
}

export function processCredentials(c: Credentials): ProcessCredentials {
  return { Version: 1, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: new Date(c.expiration).toISOString() };
}

function errorFrame(id: string | null, name: HostErrorName, message: string, field?: string): Buffer {
  return encodeFrame({ v: PROTOCOL_VERSION, id, ok: false, error: { code: HOST_ERRORS[name], name, message, ...(field ? { field } : {}) } });
}

/** One connection: one request within CLIENT_IDLE_MS, one reply, then the connection is closed. */
function serveConnection(socket: Socket, credentialsFor: (profile: string) => Promise<Credentials>, log: (line: string) => void): void {
  const reader = new FrameReader(MAX_SOCKET_REQUEST_BYTES);
  let handled = false;
  socket.on('error', () => undefined);
  // From the moment it connects (not a timer that each byte restarts): a client trickling bytes is cut off too.
  const idle = setTimeout(() => {
    if (handled) return;
    log('credential_process: a client sent no whole request within 5 s; closed');
    socket.destroy();
  }, CLIENT_IDLE_MS);
  idle.unref();
  socket.on('close', () => clearTimeout(idle));
  const finish = (frame: Buffer) => {
    if (!socket.destroyed) socket.end(frame);
  };
  socket.on('data', (chunk: Buffer) => {
    if (handled) return;
    const event = reader.push(chunk)[0];
    if (!event) return;
    handled = true;
    clearTimeout(idle);
    if (event.kind === 'problem') {
      log(`credential_process: ${event.message}`);
      socket.end(errorFrame(null, event.error, event.message));
      // A huge frame's bytes are not read (nor buffered): the connection goes.
      if (event.error === 'FrameTooLarge') setTimeout(() => socket.destroy(), 100).unref();
      return;
    }
    const started = Date.now();
    void answer(event.value, credentialsFor).then((frame) => {
      log(`credential_process: ${frame.ok ? 'ok' : `error ${frame.code}`} in ${Date.now() - started} ms`);
      finish(frame.bytes);
    });
  });
}

async function answer(raw: unknown, credentialsFor: (profile: string) => Promise<Credentials>): Promise<{ bytes: Buffer; ok: boolean; code?: number }> {
  const id = typeof (raw as { id?: unknown } | null)?.id === 'string' && ((raw as { id: string }).id.length <= 64) ? (raw as { id: string }).id : null;
  const request = v.safeParse(SocketRequestSchema, raw);
  if (!request.success) {
    const issue = firstIssue(request.issues);
    return { bytes: errorFrame(id, 'InvalidRequest', issue.message, issue.field), ok: false, code: HOST_ERRORS.InvalidRequest };
  }
  if (request.output.v !== PROTOCOL_VERSION) {
    return { bytes: errorFrame(id, 'UnsupportedVersion', `This aws-saml-sync helper speaks protocol ${PROTOCOL_VERSION}; run npm run host:install again.`, 'v'), ok: false, code: HOST_ERRORS.UnsupportedVersion };
  }
  try {
    const credentials = await credentialsFor(request.output.body.profile);
    return { bytes: encodeFrame({ v: PROTOCOL_VERSION, id, ok: true, body: processCredentials(credentials) }), ok: true };
  } catch (error) {
    const failure = error instanceof HostFailure ? error : new HostFailure('Internal', 'Something went wrong inside the aws-saml-sync helper; try again, and report it if it repeats.');
    return { bytes: errorFrame(id, failure.errorName, failure.message), ok: false, code: failure.code };
  }
}

export interface CredentialServer {
  path: string;
  close(): Promise<void>;
}

/** Listen at `location` (its folder made private, a stale socket replaced) and serve every connection. */
export async function listenForCredentials(
  location: SocketLocation,
  credentialsFor: (profile: string) => Promise<Credentials>,
  log: (line: string) => void = () => undefined,
): Promise<CredentialServer> {
  if (location.dir) {
    await ensurePrivateDir(location.dir);
    await clearStaleSocket(location.path);
  }
  const server: Server = createServer((socket) => serveConnection(socket, credentialsFor, log));
  server.maxConnections = MAX_CONNECTIONS;
  const umask = location.dir ? process.umask(0o177) : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenOptions(location), () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new HostFailure('SocketInUse', 'Another browser (or program) already serves credential_process for aws-saml-sync; it keeps answering the AWS CLI while it runs.');
    throw new HostFailure('SocketUnsafe', `credential_process cannot listen at ${location.path} (${code ?? 'error'}); reload the extension, and report it if it repeats.`);
  } finally {
    if (umask !== undefined) process.umask(umask);
  }
  if (location.dir) await chmod(location.path, 0o600);
  server.on('error', (error: NodeJS.ErrnoException) => log(`credential_process server error: ${error.code ?? error.name}`));
  return {
    path: location.path,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The serving host's side of the native port: `serveCredentials` starts listening, each ask goes to the extension as
 * `{ v, id, type: "credentials", body: { profile } }` and its `credentialsAnswer` (same id) settles it.
 */
export function createCredentialService(deps: { send: (message: unknown) => void; log: (line: string) => void; cache?: CredentialCache; location?: SocketLocation }) {
  const cache = deps.cache ?? new CredentialCache();
  const pending = new Map<string, { resolve: (b: CredentialsAnswerBody) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  let counter = 0;
  let signInUrl: string | undefined;
  let server: Promise<CredentialServer> | undefined;

  const ask: CredentialsAsker = (profile) =>
    new Promise((resolve, reject) => {
      const id = `h${++counter}`;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new HostFailure('NoAnswer', `The browser's aws-saml-sync did not answer within ${ASK_TIMEOUT_MS / 1000} seconds; open the browser and try again.`));
      }, ASK_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      deps.send({ v: PROTOCOL_VERSION, id, type: 'credentials', body: { profile } });
    });

  const provider = createCredentialProvider({ cache, ask, signInUrl: () => signInUrl, log: deps.log });

  return {
    async serve(body: { signInUrl?: string }): Promise<{ socket: string }> {
      if (body.signInUrl && body.signInUrl !== signInUrl) {
        signInUrl = body.signInUrl;
        await cache.writeSignInUrl(signInUrl).catch(() => deps.log('credential_process: sign-in URL not cached'));
      }
      server ??= listenForCredentials(deps.location ?? currentSocketLocation(), provider, deps.log);
      try {
        const s = await server;
        deps.log('credential_process: serving');
        return { socket: s.path };
      } catch (error) {
        server = undefined;
        throw error;
      }
    },
    /** A `credentialsAnswer` from the extension; anything unmatched or malformed is dropped (and logged). */
    onAnswer(raw: unknown): void {
      const id = (raw as { id?: unknown } | null)?.id;
      const waiting = typeof id === 'string' ? pending.get(id) : undefined;
      if (!waiting) {
        deps.log('credential_process: an answer nobody waits for; dropped');
        return;
      }
      pending.delete(id as string);
      clearTimeout(waiting.timer);
      const body = v.safeParse(CredentialsAnswerBodySchema, (raw as { body?: unknown }).body);
      if (body.success) waiting.resolve(body.output);
      else waiting.reject(new HostFailure('Internal', 'The browser extension answered something this aws-saml-sync helper does not understand; update both and try again.'));
    },
    async close(): Promise<void> {
      for (const p of pending.values()) clearTimeout(p.timer);
      const s = await server?.catch(() => undefined);
      await s?.close();
    },
  };
}
