/**
 * `aws-saml-sync-host credentials --profile NAME [--open]`: the command a credential_process profile runs.
 * Prints AWS's Version 1 JSON on stdout and exits 0; otherwise one sentence on stderr and exit 1. Never a secret on
 * stderr. Never waits more than 30 s (botocore and the JS SDK set no timeout), except with --open (up to 120 s for
 * the person to sign in).
 *
 *  1. Ask the browser: the host process the extension keeps open listens on the per-user local socket
 *     (host/credential-server.ts); it answers from its cache or asks the extension.
 *  2. No browser: the last credentials it was given (host/credential-cache.ts) while they have 5 minutes left.
 *  3. Otherwise "Open your browser and click the AWS tile (or run with --open)"; with --open, the sign-in URL the
 *     extension gave is opened in the default browser and the cache is watched until the sign-in delivers.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import * as v from 'valibot';
import { ErrorSchema, PROTOCOL_VERSION, ProfileNameSchema, ProcessCredentialsSchema, type ProcessCredentials } from '../utils/host-protocol';
import { CredentialCache, timeLeft } from './credential-cache';
import { currentSocketLocation, LAST_RESORT_MS, processCredentials, type SocketLocation } from './credential-server';
import { FrameReader, encodeFrame } from './framing';

export const OPEN_BROWSER_SENTENCE = 'Open your browser and click the AWS tile (or run with --open).';
export const USAGE = 'Usage: aws-saml-sync-host credentials --profile NAME [--open]';
/** The whole run, browser asked and cache read: under botocore's patience and the 30 s. */
export const CLI_DEADLINE_MS = 29_000;
export const SOCKET_REPLY_MS = 25_000;
export const OPEN_WAIT_MS = 120_000;

export interface CliDeps {
  location?: SocketLocation;
  cache?: CredentialCache;
  out?: (text: string) => void;
  err?: (text: string) => void;
  now?: () => number;
  /** Opens a URL in the default browser (default: xdg-open, open, rundll32 url.dll on Windows). */
  openUrl?: (url: string) => void;
  pollMs?: number;
  openWaitMs?: number;
}

type Asked = { kind: 'ok'; credentials: ProcessCredentials } | { kind: 'error'; name: string; message: string } | { kind: 'unreachable' };

/** One request on the local socket: the serving host's answer, or unreachable (no browser, or no answer in time). */
export function askSocket(path: string, profile: string, timeoutMs = SOCKET_REPLY_MS): Promise<Asked> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const reader = new FrameReader(1024 * 1024);
    let settled = false;
    const done = (result: Asked) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ kind: 'unreachable' }), timeoutMs);
    socket.once('connect', () => socket.write(encodeFrame({ v: PROTOCOL_VERSION, id: 'c1', type: 'credentials', body: { profile } })));
    socket.on('error', () => done({ kind: 'unreachable' }));
    socket.on('close', () => done({ kind: 'unreachable' }));
    socket.on('data', (chunk: Buffer) => {
      const event = reader.push(chunk)[0];
      if (!event) return;
      if (event.kind === 'problem') return done({ kind: 'unreachable' });
      const reply = event.value as { ok?: unknown; body?: unknown; error?: unknown };
      if (reply?.ok === true) {
        const body = v.safeParse(ProcessCredentialsSchema, reply.body);
        return done(body.success ? { kind: 'ok', credentials: body.output } : { kind: 'unreachable' });
      }
      const error = v.safeParse(ErrorSchema, reply?.error);
      done(error.success ? { kind: 'error', name: error.output.name, message: error.output.message } : { kind: 'unreachable' });
    });
  });
}

export function defaultOpenUrl(url: string): void {
  const [command, args] =
    process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

export function parseCliArgs(argv: string[]): { profile: string; open: boolean } | undefined {
  let profile: string | undefined;
  let open = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--open') open = true;
    else if (arg === '--profile') profile = argv[++i];
    else if (arg.startsWith('--profile=')) profile = arg.slice('--profile='.length);
    else return undefined;
  }
  return profile !== undefined && v.is(ProfileNameSchema, profile) ? { profile, open } : undefined;
}

/** Runs the command; resolves with the exit status. */
export async function runCredentialsCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(t));
  const err = deps.err ?? ((t: string) => process.stderr.write(t));
  const now = deps.now ?? Date.now;
  const fail = (sentence: string) => {
    err(`${sentence}\n`);
    return 1;
  };
  const args = parseCliArgs(argv);
  if (!args) return fail(`${USAGE} (a profile name is letters, digits and _ . @ + -).`);
  const cache = deps.cache ?? new CredentialCache();
  const location = deps.location ?? currentSocketLocation();
  const print = (c: ProcessCredentials) => {
    out(`${JSON.stringify(c)}\n`);
    return 0;
  };
  const fromCache = async () => {
    const entry = await cache.read(args.profile);
    return entry && timeLeft(entry.credentials, now()) >= LAST_RESORT_MS ? entry : undefined;
  };

  const asked = await askSocket(location.path, args.profile);
  if (asked.kind === 'ok') return print(asked.credentials);
  if (asked.kind === 'error' && asked.name !== 'NeedsPerson') return fail(asked.message);
  const cached = asked.kind === 'unreachable' ? await fromCache() : undefined;
  if (cached) return print(processCredentials(cached.credentials));
  if (!args.open) return fail(asked.kind === 'error' ? asked.message : OPEN_BROWSER_SENTENCE);

  // --open: the sign-in URL the extension gave, then wait for the sign-in to deliver fresh credentials.
  const before = await cache.read(args.profile);
  const signInUrl = before?.signInUrl ?? (await cache.readSignInUrl());
  if (!signInUrl) {
    return fail('aws-saml-sync does not know your sign-in page yet: open your browser and click the AWS tile once.');
  }
  (deps.openUrl ?? defaultOpenUrl)(signInUrl);
  err('Opened your sign-in page in the browser; waiting up to 2 minutes for the sign-in.\n');
  const until = now() + (deps.openWaitMs ?? OPEN_WAIT_MS);
  while (now() < until) {
    await new Promise((r) => setTimeout(r, deps.pollMs ?? 500));
    const fresh = await fromCache();
    if (fresh && fresh.savedAt !== before?.savedAt) return print(processCredentials(fresh.credentials));
  }
  return fail(`No sign-in arrived within ${Math.round((deps.openWaitMs ?? OPEN_WAIT_MS) / 1000)} seconds; ${OPEN_BROWSER_SENTENCE.charAt(0).toLowerCase()}${OPEN_BROWSER_SENTENCE.slice(1)}`);
}

/** The process entry (host/main.ts routes `credentials` here): a hard deadline, whatever happens. */
export function credentialsMain(argv: string[]): void {
  const open = argv.includes('--open');
  const deadline = setTimeout(() => {
    process.stderr.write(`aws-saml-sync did not get credentials within ${open ? 'the 2 minutes' : '30 seconds'}; ${OPEN_BROWSER_SENTENCE.charAt(0).toLowerCase()}${OPEN_BROWSER_SENTENCE.slice(1)}\n`);
    process.exit(1);
  }, open ? OPEN_WAIT_MS + CLI_DEADLINE_MS : CLI_DEADLINE_MS);
  deadline.unref();
  runCredentialsCli(argv).then(
    (code) => {
      process.exitCode = code;
      // stdout flushed first: a pipe to botocore may be slow.
      process.stdout.write('', () => process.exit(code));
    },
    () => {
      process.stderr.write('Something went wrong inside the aws-saml-sync helper; try again, and report it if it repeats.\n');
      process.exit(1);
    },
  );
}
