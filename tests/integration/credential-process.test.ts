/**
 * credential_process through the real, bundled host: the serving host the extension keeps open (a fake extension on
 * its native side answers its asks), its local socket, the command-line mode `credentials --profile NAME`, and the
 * cache that answers when no browser runs. The AWS CLI, boto3 and the JS SDK against moto are in
 * credential-process-consumers.test.ts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHome, startHost, hostBundle, type TempHome } from '../support/host-process';
import {
  cacheDir,
  exampleCredentials,
  framesIn,
  rawSocket,
  runCli,
  socketDir,
  socketPath,
  socketRequest,
  startServingHost,
  type ExampleCredentials,
  type ServingHost,
} from '../support/credential-process';

const execFileAsync = promisify(execFile);
const OPEN_SENTENCE = 'Open your browser and click the AWS tile (or run with --open).';
const ROLE = 'arn:aws:iam::111222333444:role/saml-init';

let home: TempHome;
let serving: ServingHost[] = [];

beforeEach(async () => {
  home = await makeHome('aws-saml-sync-cp-');
});
afterEach(async () => {
  for (const s of serving) {
    s.host.kill();
    await s.host.exited;
  }
  serving = [];
  await home.cleanup();
});

async function serve(answer: Parameters<typeof startServingHost>[1], options?: Parameters<typeof startServingHost>[2]): Promise<ServingHost> {
  const s = await startServingHost(home.path, answer, options);
  serving.push(s);
  return s;
}

/** A credential_process write through a host started as the browser starts it (seeds the cache). */
async function writeServed(profile: string, credentials: ExampleCredentials, signInUrl?: string): Promise<void> {
  const host = await startHost({ home: home.path });
  const reply = await host.request('writeProfiles', {
    profiles: [{ profile, kind: 'saml', roleArn: ROLE, credentials, config: { region: 'us-east-1' }, writeAs: 'credential-process' }],
    ...(signInUrl ? { signInUrl } : {}),
  });
  expect(reply.ok, JSON.stringify(reply)).toBe(true);
  await host.close();
}

function printed(run: { stdout: string }): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('the serving host and its local socket', () => {
  it('listens in a private folder (0700) on a 0600 socket, and removes it when the browser closes the port', async () => {
    const s = await serve(async () => ({ credentials: exampleCredentials() }));
    expect(s.reply).toMatchObject({ ok: true, body: { socket: socketPath(home.path) } });
    expect(statSync(socketDir(home.path)).mode & 0o777).toBe(0o700);
    const sock = lstatSync(socketPath(home.path));
    expect(sock.isSocket()).toBe(true);
    expect(sock.mode & 0o777).toBe(0o600);
    await s.stop();
    expect(existsSync(socketPath(home.path))).toBe(false);
  });

  it('a socket left by a crashed host is replaced; a live one is not taken over (error 21)', async () => {
    const first = await serve(async () => ({ credentials: exampleCredentials() }));
    const second = await serve(async () => ({ credentials: exampleCredentials() }));
    expect(second.reply).toMatchObject({ ok: false, error: { code: 21, name: 'SocketInUse' } });
    first.host.kill();
    await first.host.exited;
    expect(lstatSync(socketPath(home.path)).isSocket()).toBe(true); // left behind by SIGKILL
    const third = await serve(async () => ({ credentials: exampleCredentials() }));
    expect(third.reply).toMatchObject({ ok: true });
    const run = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(run.code, run.stderr).toBe(0);
    expect(third.asks).toEqual(['sts-temp']);
  });

  it('a symlink where the socket goes is refused (error 22) and neither it nor its target is touched', async () => {
    mkdirSync(socketDir(home.path), { recursive: true, mode: 0o700 });
    const target = join(home.path, 'precious');
    writeFileSync(target, 'keep me');
    symlinkSync(target, socketPath(home.path));
    const s = await serve(async () => ({ credentials: exampleCredentials() }));
    expect(s.reply).toMatchObject({ ok: false, error: { code: 22, name: 'SocketUnsafe' } });
    expect(lstatSync(socketPath(home.path)).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });

  it('a symlinked socket folder is refused too, and a plain file in the socket’s place is left alone', async () => {
    const elsewhere = join(home.path, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    mkdirSync(join(home.path, '.local', 'share', 'aws-saml-sync'), { recursive: true });
    symlinkSync(elsewhere, socketDir(home.path));
    const s = await serve(async () => ({ credentials: exampleCredentials() }));
    expect(s.reply).toMatchObject({ ok: false, error: { code: 22 } });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a second user (another uid) cannot connect, nor read the cache', async () => {
    if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) return; // needs root and setpriv
    await writeServed('sts-temp', exampleCredentials());
    await serve(async () => ({ credentials: exampleCredentials() }));
    // Let the other user walk to the private folders (HOME is 0700 from mkdtemp); the folders themselves stay 0700.
    for (const dir of [home.path, join(home.path, '.local'), join(home.path, '.local', 'share'), join(home.path, '.local', 'share', 'aws-saml-sync')]) chmodSync(dir, 0o755);
    const probe = `require('net').connect(process.argv[1]).on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
    const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath];
    const { stdout } = await execFileAsync('setpriv', [...asNobody, '-e', probe, socketPath(home.path)]);
    expect(stdout.trim()).toBe('EACCES');
    const bundleCopy = join('/tmp', `aws-saml-sync-host-${process.pid}.cjs`);
    writeFileSync(bundleCopy, readFileSync(await hostBundle()), { mode: 0o644 });
    const cli = spawnSync('setpriv', [...asNobody, bundleCopy, 'credentials', '--profile', 'sts-temp'], { env: { PATH: process.env.PATH, HOME: home.path }, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr.trim()).toBe(OPEN_SENTENCE);
    // The cache folder is 0700 and its files 0600.
    expect(statSync(cacheDir(home.path)).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir(home.path), 'sts-temp.json')).mode & 0o777).toBe(0o600);
  });
});

describe('credentials --profile NAME', () => {
  it('asks the browser through the serving host and prints the Version 1 JSON', async () => {
    const creds = exampleCredentials();
    const s = await serve(async () => ({ credentials: creds }));
    const run = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(run.code, run.stderr).toBe(0);
    expect(printed(run)).toEqual({ Version: 1, AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey, SessionToken: creds.sessionToken, Expiration: creds.expiration });
    expect(run.stderr).toBe('');
    expect(s.asks).toEqual(['sts-temp']);
    // Cached now: the next caller is answered without asking the extension again.
    expect((await runCli(home.path, ['--profile', 'sts-temp'])).code).toBe(0);
    expect(s.asks).toEqual(['sts-temp']);
    expect(statSync(join(cacheDir(home.path), 'sts-temp.json')).mode & 0o777).toBe(0o600);
  });

  it('credentials with less than 15 minutes left are fetched afresh from the extension', async () => {
    const fresh = exampleCredentials(60);
    await writeServed('sts-temp', exampleCredentials(10));
    const s = await serve(async () => ({ credentials: fresh }));
    const run = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(printed(run).AccessKeyId).toBe(fresh.accessKeyId);
    expect(s.asks).toEqual(['sts-temp']);
  });

  it('when the IdP wants the person: exit 1 with the extension’s sentence', async () => {
    await serve(async () => ({ error: { name: 'NeedsPerson', message: OPEN_SENTENCE } }));
    const run = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr.trim()).toBe(OPEN_SENTENCE);
  });

  it('an unknown profile: exit 1 with one sentence, and the next caller is served', async () => {
    await serve(async (profile) =>
      profile === 'sts-temp' ? { credentials: exampleCredentials() } : { error: { name: 'NoCredentials', message: `aws-saml-sync does not serve profile "${profile}"; map a role to it in the options page.` } },
    );
    const unknown = await runCli(home.path, ['--profile', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('aws-saml-sync does not serve profile "nope"; map a role to it in the options page.');
    expect((await runCli(home.path, ['--profile', 'sts-temp'])).code).toBe(0);
  });

  it('bad arguments: exit 1 with the usage', async () => {
    for (const args of [[], ['--profile'], ['--profile', 'a b'], ['--profile', 'x', '--what']]) {
      const run = await runCli(home.path, args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^Usage: aws-saml-sync-host credentials --profile NAME \[--open\]/);
    }
  });

  it('no browser: the cache answers while the credentials have 5 minutes left, then the sentence', async () => {
    const creds = exampleCredentials(30);
    await writeServed('sts-temp', creds);
    const ok = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(printed(ok).SessionToken).toBe(creds.sessionToken);

    await writeServed('sts-temp', exampleCredentials(4));
    const late = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(late).toMatchObject({ code: 1, stdout: '' });
    expect(late.stderr.trim()).toBe(OPEN_SENTENCE);
    expect((await runCli(home.path, ['--profile', 'never-synced'])).stderr.trim()).toBe(OPEN_SENTENCE);
  });

  it('an extension that does not answer: exit 1 with a sentence well within 30 s', async () => {
    await serve(async () => 'ignore');
    const run = await runCli(home.path, ['--profile', 'sts-temp']);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(30_000);
    expect(run.stderr.trim()).toMatch(/did not answer within 20 seconds/);
  }, 60_000);

  it('--open opens the sign-in URL the extension gave and prints what the sign-in delivers', async () => {
    const url = 'https://accounts.google.com/o/saml2/initsso?idpid=C0EXAMPLE&spid=123EXAMPLE&forceauthn=false';
    await writeServed('sts-temp', exampleCredentials(2), url);
    // A fake xdg-open: records the URL (the person's browser would open it).
    const bin = join(home.path, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${join(home.path, 'opened')}"\n`, { mode: 0o755 });
    const running = runCli(home.path, ['--profile', 'sts-temp', '--open'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(home.path, 'opened')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(join(home.path, 'opened'), 'utf8')).toBe(url);
    const fresh = exampleCredentials(60);
    await writeServed('sts-temp', fresh); // the capture, synced by the extension
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(printed(run).AccessKeyId).toBe(fresh.accessKeyId);
  });
});

describe('load and abuse', () => {
  it('20 concurrent callers get the same credentials with one ask to the extension', async () => {
    const creds = exampleCredentials();
    const s = await serve(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { credentials: creds };
    });
    const runs = await Promise.all(Array.from({ length: 20 }, () => runCli(home.path, ['--profile', 'sts-temp'])));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(printed(run).AccessKeyId).toBe(creds.accessKeyId);
    }
    expect(s.asks).toEqual(['sts-temp']);
  });

  it('bad frames, a huge frame, bad requests and a silent client are refused or timed out; the next caller is served', async () => {
    await serve(async () => ({ credentials: exampleCredentials() }));
    const path = socketPath(home.path);
    const ask = async () => {
      const run = await runCli(home.path, ['--profile', 'sts-temp']);
      expect(run.code, run.stderr).toBe(0);
    };
    const cases: [string, Buffer, number][] = [
      ['empty frame', Buffer.from([0, 0, 0, 0]), 1],
      ['not JSON', Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.from('{{{')]), 2],
      ['huge frame', Buffer.from([0xff, 0xff, 0xff, 0x7f]), 12],
      ['wrong type', frameOf({ v: 1, id: 'a', type: 'writeProfiles', body: {} }), 4],
      ['bad profile name', frameOf({ v: 1, id: 'a', type: 'credentials', body: { profile: '../../etc/passwd' } }), 4],
      ['extra keys', frameOf({ v: 1, id: 'a', type: 'credentials', body: { profile: 'sts-temp', more: 1 } }), 4],
      ['wrong version', frameOf({ v: 9, id: 'a', type: 'credentials', body: { profile: 'sts-temp' } }), 5],
    ];
    for (const [what, bytes, code] of cases) {
      const got = await rawSocket(path, bytes);
      expect(got.closedBy, what).toBe('server');
      expect(framesIn(got.data), what).toMatchObject([{ ok: false, error: { code } }]);
      await ask();
    }
    // Connects and never writes: closed after 5 s, others are served meanwhile.
    const silent = rawSocket(path, undefined, 15_000);
    await ask();
    const closed = await silent;
    expect(closed.closedBy).toBe('server');
    expect(closed.data.length).toBe(0);
    // Trickles a byte at a time: cut off 5 s after connecting, too.
    const started = Date.now();
    const trickle = await new Promise<number>((resolve) => {
      const sock = connect(path);
      const bytes = socketRequest('sts-temp');
      let i = 0;
      const timer = setInterval(() => (i < bytes.length ? sock.write(bytes.subarray(i, ++i)) : undefined), 1_000);
      sock.on('error', () => undefined);
      sock.on('close', () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    });
    expect(trickle).toBeLessThan(8_000);
    await ask();
  }, 60_000);
});

function frameOf(value: object): Buffer {
  const body = Buffer.from(JSON.stringify(value));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  return Buffer.concat([head, body]);
}
