/**
 * aws-saml-sync native messaging host: started by the browser, answers the extension over stdin/stdout
 * (PROTOCOL.md). stdout carries frames only; every log line goes to stderr and never holds a secret.
 */
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../utils/extension-identity';
import { encodeFrame, FrameReader } from './framing';
import { errorReply, handleRequest } from './handlers';

const log = (line: string) => process.stderr.write(`aws-saml-sync host: ${line}\n`);

/** Chromium passes the caller's origin as the first argument; Firefox passes the manifest path, then the add-on id. */
export function isAllowedCaller(argv: string[]): boolean {
  const args = argv.slice(2);
  return args.includes(CHROME_EXTENSION_ORIGIN) || (args.length >= 2 && args[1] === GECKO_ID);
}

export function main(): void {
  if (!isAllowedCaller(process.argv)) {
    log('refusing to run: started by something other than the aws-saml-sync extension');
    process.exit(2);
  }
  const reader = new FrameReader();
  // One request at a time, in order: a write finishes before the next request is looked at.
  let queue: Promise<void> = Promise.resolve();
  const send = (reply: unknown) => process.stdout.write(encodeFrame(reply));

  process.stdin.on('data', (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      queue = queue.then(async () => {
        if (event.kind === 'problem') {
          log(event.message);
          send(errorReply(null, event.error, event.message));
          return;
        }
        send(await handleRequest(event.value, { log }));
      });
    }
  });
  process.stdin.on('end', () => {
    const problem = reader.end();
    if (problem?.kind === 'problem') log(problem.message);
    void queue.then(() => process.exit(0));
  });
}

main();
