/**
 * aws-saml-sync native messaging host: started by the browser, answers the extension over stdin/stdout
 * (PROTOCOL.md). stdout carries frames only; every log line goes to stderr and never holds a secret.
 */
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../utils/extension-identity';
import { createCredentialService } from './credential-server';
import { credentialsMain } from './credentials-cli';
import { errorReply, encodeReply, handleRequest } from './handlers';
import { encodeFrame, FrameReader } from './framing';

const log = (line: string) => process.stderr.write(`aws-saml-sync host: ${line}\n`);

/**
 * Chromium passes the caller's origin as the first argument (and `--parent-window=N` on Windows); Firefox passes
 * the manifest path, then the add-on id.
 */
export function isAllowedCaller(args: string[]): boolean {
  if (args[0] === CHROME_EXTENSION_ORIGIN) return true;
  return args.length >= 2 && args[1] === GECKO_ID;
}

export function main(): void {
  const args = process.argv.slice(2);
  // The command-line mode a credential_process profile runs (not started by a browser). To join host/cli.ts at merge.
  if (args[0] === 'credentials') {
    credentialsMain(args.slice(1));
    return;
  }
  if (!isAllowedCaller(args)) {
    log(`refusing to run: started by something other than the aws-saml-sync extension (${JSON.stringify(args.slice(0, 2)).slice(0, 200)})`);
    process.exit(2);
  }
  const reader = new FrameReader();
  // One request at a time, in arrival order: a write finishes before the next request is looked at, and replies
  // leave in request order (PROTOCOL.md relies on it for replies with id null).
  let queue: Promise<unknown> = Promise.resolve();
  let lastWrite: Promise<void> = Promise.resolve();
  const send = (payload: Buffer) => {
    lastWrite = new Promise<void>((resolve) => process.stdout.write(encodeFrame(payload), () => resolve()));
  };
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => log(`unexpected failure: ${error instanceof Error ? error.name : typeof error}`));
  };

  // credential_process: this process serves the local socket once the extension asks (serveCredentials).
  const credentials = createCredentialService({ send: (message) => send(Buffer.from(JSON.stringify(message), 'utf8')), log });
  const leave = (code: number) => void credentials.close().finally(() => process.exit(code));

  // The browser went away: nobody reads our replies any more.
  process.stdout.on('error', () => leave(0));
  process.on('SIGTERM', () => leave(0));

  process.stdin.on('data', (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      // An answer to our own ask: settled at once, never queued behind a write that waits for the lock.
      if (event.kind === 'message' && (event.value as { type?: unknown } | null)?.type === 'credentialsAnswer') {
        credentials.onAnswer(event.value);
        continue;
      }
      enqueue(async () => {
        if (event.kind === 'problem') {
          log(event.message);
          send(encodeReply(errorReply(null, event.error, event.message)));
          return;
        }
        const started = Date.now();
        const reply = await handleRequest(event.value, { log, serveCredentials: (body) => credentials.serve(body) });
        const type = String((event.value as { type?: unknown } | null)?.type ?? '?').replace(/[^\w-]/g, '').slice(0, 40);
        log(`${type}: ${reply.ok ? 'ok' : `error ${reply.error.code}`} in ${Date.now() - started} ms`);
        send(encodeReply(reply));
      });
    }
  });
  process.stdin.on('end', () => {
    const problem = reader.end();
    if (problem?.kind === 'problem') {
      enqueue(async () => {
        log(problem.message);
        send(encodeReply(errorReply(null, problem.error, problem.message)));
      });
    }
    // Finish the request in hand (its lock released, its reply flushed), then leave.
    enqueue(async () => {
      await lastWrite;
      leave(0);
    });
  });
}

main();
