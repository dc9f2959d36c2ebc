/**
 * credential_process test helpers: a serving host with a fake extension on its native side, the command-line mode
 * run as the AWS CLI runs it, raw local-socket clients, and example credentials (…EXAMPLE, never real-looking).
 *
 *   const serving = await startServingHost(home.path, async (profile) => ({ credentials: exampleCredentials() }));
 *   const run = await runCli(home.path, ['--profile', 'sts-temp']);   // { code, stdout, stderr }
 *   serving.asks                                                       // profiles the fake extension was asked for
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CredentialsAnswerBody } from '../../utils/host-protocol';
import { hostBundle, startHost, frame, type HostProcess } from './host-process';

const run = promisify(execFile);

export interface ExampleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

let n = 0;
/** Distinct example credentials that expire in `minutes`. */
export function exampleCredentials(minutes = 60): ExampleCredentials {
  n++;
  return {
    accessKeyId: `ASIAEXAMPLE${String(n).padStart(8, '0')}`,
    secretAccessKey: `secretEXAMPLE${n}/abc+def`,
    sessionToken: `tokenEXAMPLE${n}${'x'.repeat(40)}`,
    expiration: new Date(Date.now() + minutes * 60_000).toISOString(),
  };
}

export const socketDir = (home: string) => join(home, '.local', 'share', 'aws-saml-sync', 'run');
export const socketPath = (home: string) => join(socketDir(home), 'credentials.sock');
export const cacheDir = (home: string) => join(home, '.local', 'share', 'aws-saml-sync', 'cache');

export interface ServingHost {
  host: HostProcess;
  /** Every profile the fake extension was asked for, in order. */
  asks: string[];
  /** The serveCredentials reply. */
  reply: Awaited<ReturnType<HostProcess['request']>>;
  stop(): Promise<void>;
}

/** A host started as the browser starts it, asked to serve, with `answer` playing the extension. */
export async function startServingHost(
  home: string,
  answer: (profile: string) => Promise<CredentialsAnswerBody | 'ignore'>,
  options: { command?: string; signInUrl?: string; env?: Record<string, string | undefined> } = {},
): Promise<ServingHost> {
  const host = await startHost({ home, command: options.command, env: options.env });
  const asks: string[] = [];
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const ask = await host.nextAsk(3_600_000).catch(() => undefined);
      if (!ask) return;
      asks.push(ask.body.profile);
      const body = await answer(ask.body.profile);
      if (body !== 'ignore') host.send({ v: 1, id: ask.id, type: 'credentialsAnswer', body });
    }
  })();
  const reply = await host.request('serveCredentials', options.signInUrl ? { signInUrl: options.signInUrl } : {});
  return {
    host,
    asks,
    reply,
    async stop() {
      stopped = true;
      await host.close();
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node <bundle> credentials ARGS` (or `command credentials ARGS`), with this HOME and nothing else of ours. */
export async function runCli(home: string, args: string[], options: { command?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  const [file, argv] = options.command ? [options.command, ['credentials', ...args]] : [process.execPath, [await hostBundle(), 'credentials', ...args]];
  return runWithHome(home, file, argv, options);
}

/** The words of a `credential_process` line as botocore splits it on POSIX (shlex): double-quoted paths, plain words. */
export function credentialProcessWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** A `credential_process` line from ~/.aws/config, run as botocore runs it (no shell), with this HOME. */
export function runCredentialProcess(home: string, line: string, options: { timeoutMs?: number } = {}): Promise<CliRun> {
  const [file, ...argv] = credentialProcessWords(line);
  return runWithHome(home, file!, argv, options);
}

async function runWithHome(home: string, file: string, argv: string[], options: { env?: Record<string, string>; timeoutMs?: number }): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...options.env };
  const started = Date.now();
  try {
    const { stdout, stderr } = await run(file, argv, { env, timeout: options.timeoutMs ?? 60_000 });
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ms: Date.now() - started };
  }
}

/** Sends raw bytes on the local socket and collects what comes back until the server closes (or `waitMs`). */
export function rawSocket(path: string, bytes: Buffer | undefined, waitMs = 10_000): Promise<{ data: Buffer; closedBy: 'server' | 'timeout' | 'error'; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => finish('timeout'), waitMs);
    const finish = (closedBy: 'server' | 'timeout' | 'error', error?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closedBy, error });
    };
    socket.on('connect', () => {
      if (bytes) socket.write(bytes, () => undefined);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => finish('error', e.code));
    socket.on('close', () => finish('server'));
  });
}

/** The JSON frames in a byte string. */
export function framesIn(data: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (data.length - at >= 4) {
    const length = data.readUInt32LE(at);
    if (data.length - at - 4 < length) break;
    out.push(JSON.parse(data.subarray(at + 4, at + 4 + length).toString('utf8')));
    at += 4 + length;
  }
  return out;
}

export const socketRequest = (profile: string, id = 'x1') => frame({ v: 1, id, type: 'credentials', body: { profile } });
