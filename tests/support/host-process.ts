/**
 * Runs the real, bundled native host (`.output/host/aws-saml-sync-host.cjs`, rebuilt first when a source changed)
 * as the browser would, and talks to it in native messaging frames, for the integration tests, the installer test
 * and the bench.
 *
 *   const home = await makeHome();                      // a temporary HOME, removed by home.cleanup()
 *   const host = await startHost({ home: home.path });  // `node <bundle> chrome-extension://<pinned id>/`
 *   const reply = await host.request('hello', {});      // one frame out, the reply with the same id back
 *   host.sendRaw(Buffer.from([0, 0, 0, 0]));            // anything at all, for the framing tests
 *   const next = await host.nextReply();                // the next frame, whatever its id
 *   const { code, stderr } = await host.close();        // end of input; waits for the host to exit
 *
 * Frames are decoded here with a few lines of our own, not with host/framing.ts, so a bug there cannot hide
 * itself. The host gets a small, explicit environment: PATH, HOME and what the test adds (never the AWS_* of the
 * machine running the tests).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost, HOST_BUNDLE, hostBundleIsStale } from '../../host/build';
import type { Reply } from '../../utils/host-protocol';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../utils/extension-identity';

/** Arguments Chromium passes: the caller's origin. */
export const CHROME_ARGS = [CHROME_EXTENSION_ORIGIN];
/** Arguments Firefox passes: the host manifest's path, then the add-on id. */
export const FIREFOX_ARGS = ['/home/someone/.mozilla/native-messaging-hosts/org.aws_saml_sync.host.json', GECKO_ID];

let building: Promise<string> | undefined;

/** The bundle's path, built first when it is missing or older than its sources (once per process). */
export function hostBundle(): Promise<string> {
  building ??= (async () => (hostBundleIsStale() ? buildHost() : HOST_BUNDLE))();
  return building;
}

export interface TempHome {
  /** The real path (no symlink in it), so paths the host reports compare equal. */
  path: string;
  cleanup(): Promise<void>;
}

export async function makeHome(prefix = 'aws-saml-sync-home-'): Promise<TempHome> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface HostOptions {
  home: string;
  /** Added to PATH and HOME; `undefined` leaves a variable out. */
  env?: Record<string, string | undefined>;
  /** Default: CHROME_ARGS. */
  args?: string[];
  /** Run this file instead of `node <bundle>` (the installer's launcher). */
  command?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface HostProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Frames one message (JSON) and sends it. */
  send(message: unknown): void;
  /** Sends bytes as they are. */
  sendRaw(bytes: Buffer): void;
  /** The next reply frame, in arrival order (rejects after timeoutMs, or when the host exits first). */
  nextReply(timeoutMs?: number): Promise<Reply>;
  /** The next host -> extension ask (`{ v, id, type: "credentials", body }`, credential_process), in arrival order. */
  nextAsk(timeoutMs?: number): Promise<{ id: string; type: string; body: { profile: string } }>;
  /** Sends `{ v: 1, id, type, body }` and waits for the reply with that id. */
  request(type: string, body: unknown, id?: string): Promise<Reply>;
  /** Every stdout byte so far (frames only, if the host behaves). */
  stdout(): Buffer;
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** Ends stdin and waits for the exit. */
  close(): Promise<Exit>;
  /** SIGKILL, for cleanup after a failed test. */
  kill(): void;
}

let counter = 0;

/** A frame the host sends on its own (credential_process asks) rather than in reply to a request. */
const isAsk = (r: Reply) => (r as { type?: unknown }).type === 'credentials';

/** Encodes one frame: 4-byte little-endian length, then the bytes. */
export function frame(payload: Buffer | string | object): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length, 0);
  return Buffer.concat([header, body]);
}

export async function startHost(options: HostOptions): Promise<HostProcess> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home };
  for (const [k, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[k];
    else env[k] = value;
  }
  const args = options.args ?? CHROME_ARGS;
  const child = options.command
    ? spawn(options.command, args, { env, stdio: 'pipe' })
    : spawn(process.execPath, [await hostBundle(), ...args], { env, stdio: 'pipe' });

  let out = Buffer.alloc(0);
  let parsedUpTo = 0;
  let err = '';
  /** Replies not yet taken by nextReply() or request(). */
  const replies: Reply[] = [];
  const listeners = new Set<() => void>();
  let exitInfo: Exit | undefined;
  const notify = () => {
    for (const l of [...listeners]) l();
  };

  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      exitInfo = { code, signal, stderr: err };
      resolve(exitInfo);
      notify();
    });
  });
  child.stdin.on('error', () => undefined); // writing to a host that already exited (the refused-caller tests)
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    out = Buffer.concat([out, chunk]);
    while (out.length - parsedUpTo >= 4) {
      const length = out.readUInt32LE(parsedUpTo);
      if (out.length - parsedUpTo - 4 < length) break;
      const json = out.subarray(parsedUpTo + 4, parsedUpTo + 4 + length).toString('utf8');
      parsedUpTo += 4 + length;
      replies.push(JSON.parse(json) as Reply);
    }
    notify();
  });

  /** The first reply (in arrival order) that `match` accepts, taken out of the queue. */
  const take = (match: (r: Reply) => boolean, what: string, timeoutMs: number): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      const check = () => {
        const i = replies.findIndex(match);
        if (i >= 0) {
          done();
          resolve(replies.splice(i, 1)[0]!);
        } else if (exitInfo) {
          done();
          reject(new Error(`the host exited (${exitInfo.code ?? exitInfo.signal}) before ${what}; stderr: ${err.trim().slice(-500)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; stderr: ${err.trim().slice(-500)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const host: HostProcess = {
    child,
    send: (message) => child.stdin.write(frame(message as object)),
    sendRaw: (bytes) => child.stdin.write(bytes),
    nextReply: (timeoutMs = 20_000) => take((r) => !isAsk(r), 'reply', timeoutMs),
    nextAsk: async (timeoutMs = 20_000) => (await take(isAsk, 'ask', timeoutMs)) as unknown as { id: string; type: string; body: { profile: string } },
    request(type, body, id = `t${++counter}`) {
      host.send({ v: 1, id, type, body });
      return take((r) => r.id === id, `reply to ${type} ${id}`, 60_000);
    },
    stdout: () => out,
    stderr: () => err,
    exited,
    async close() {
      child.stdin.end();
      return exited;
    },
    kill() {
      if (!exitInfo) child.kill('SIGKILL');
    },
  };
  return host;
}
