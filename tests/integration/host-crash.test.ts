/**
 * A host killed (kill -9) while it holds the ~/.aws lock must not block the next sync: its lock is taken over once
 * it is stale, within the wait (PROTOCOL.md, error 7). A live holder, which keeps refreshing its lock, is waited for
 * and then refused with error 7, and the files stay as they were.
 *
 * The real, bundled host is made to hold the lock by the test hook AWS_SAML_SYNC_TEST_HOLD_LOCK_MS (host/aws-files.ts:
 * it pauses right after taking the lock and says so on stderr); only tests set it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOST_ERRORS, type Reply } from '../../utils/host-protocol';
import { makeHome, startHost, type HostProcess, type TempHome } from '../support/host-process';

const HOLD = { AWS_SAML_SYNC_TEST_HOLD_LOCK_MS: '600000' };

const saml = (profile: string, keyId: string) => ({
  profiles: [
    {
      profile,
      kind: 'saml',
      roleArn: 'arn:aws:iam::123456789012:role/Developer',
      credentials: { accessKeyId: keyId, secretAccessKey: 'secretEXAMPLEsecretEXAMPLE', sessionToken: 'tokenEXAMPLEtokenEXAMPLE', expiration: '2030-01-01T00:00:00.000Z' },
      config: { region: 'us-east-1' },
    },
  ],
});

let home: TempHome;
let aws: string;
const running: HostProcess[] = [];

beforeEach(async () => {
  home = await makeHome();
  aws = join(home.path, '.aws');
  mkdirSync(aws, { mode: 0o700 });
  writeFileSync(join(aws, 'credentials'), '# mine\n[default]\nregion = eu-west-1\n', { mode: 0o600 });
  writeFileSync(join(aws, 'config'), '[default]\nregion = eu-west-1\n', { mode: 0o600 });
});
afterEach(async () => {
  for (const h of running.splice(0)) h.kill();
  await home.cleanup();
});

async function host(env: Record<string, string> = {}): Promise<HostProcess> {
  const h = await startHost({ home: home.path, env });
  running.push(h);
  return h;
}

/** Starts a write on a host with the hook and resolves once that host holds the lock. */
async function holdingTheLock(): Promise<HostProcess> {
  const holder = await host(HOLD);
  expect((await holder.request('hello', {})).ok).toBe(true); // started and serving
  // The worst case: proper-lockfile sets a new lock's mtime to the next whole second (+5 ms), so a lock taken just
  // after a second begins is almost 1 s ahead, and turns stale almost 11 s after a crash. Ask just then.
  while (Date.now() % 1000 > 20) await new Promise((r) => setTimeout(r, 1));
  holder.send({ v: 1, id: 'held', type: 'writeProfiles', body: saml('held', 'ASIAEXAMPLEHELD00001') });
  const t0 = Date.now();
  while (!holder.stderr().includes('test hook: holding the lock')) {
    if (Date.now() - t0 > 20_000) throw new Error(`the host did not take the lock; stderr: ${holder.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(existsSync(join(aws, '.aws-saml-sync.lock'))).toBe(true);
  return holder;
}

const files = () => ({ credentials: readFileSync(join(aws, 'credentials')), config: readFileSync(join(aws, 'config')) });

describe('the lock of a host that died', () => {
  it('kill -9 while it holds the lock: the next write, through a fresh host, succeeds within 15 s', { timeout: 60_000 }, async () => {
    const holder = await holdingTheLock();
    process.kill(holder.child.pid!, 'SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    // The dead host's lock is still there: nobody removed it.
    expect(existsSync(join(aws, '.aws-saml-sync.lock'))).toBe(true);

    const next = await host();
    const t0 = Date.now();
    const reply: Reply = await next.request('writeProfiles', saml('after-crash', 'ASIAEXAMPLEAFTER0001'));
    const took = Date.now() - t0;
    console.log(`write after kill -9 of the lock holder: ${reply.ok ? 'ok' : `error ${reply.error.code}`} in ${took} ms`);
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    expect(took).toBeLessThan(15_000);
    const credentials = readFileSync(join(aws, 'credentials'), 'utf8');
    expect(credentials).toContain('[after-crash]\naws_access_key_id = ASIAEXAMPLEAFTER0001\n');
    expect(credentials).not.toContain('ASIAEXAMPLEHELD00001');
    expect(credentials.startsWith('# mine\n[default]\nregion = eu-west-1\n')).toBe(true);
    expect((await next.close()).code).toBe(0);
    expect(readdirSync(aws).sort()).toEqual(['config', 'credentials']);
  });

  it('a live holder is waited for, then refused with error 7 and one sentence; nothing written', { timeout: 60_000 }, async () => {
    const holder = await holdingTheLock();
    const before = files();
    const waiting = await host();
    const t0 = Date.now();
    const reply = await waiting.request('writeProfiles', saml('waiting', 'ASIAEXAMPLEWAIT00001'));
    const took = Date.now() - t0;
    console.log(`write while a live host holds the lock: ${reply.ok ? 'ok' : `error ${reply.error.code}`} in ${took} ms`);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toMatchObject({ code: HOST_ERRORS.Locked, name: 'Locked' });
    expect(reply.error.message).toMatch(/^\S[^\n]*\.$/);
    expect(reply.error.message).toContain('still running');
    // The whole wait (12 s), longer than the 10 s after which a dead host's lock is taken over: the live holder's
    // lock, refreshed every 2 s, was never taken for stale.
    expect(took).toBeGreaterThanOrEqual(11_500);
    expect(files()).toEqual(before);
    expect(holder.child.exitCode).toBeNull();
    expect(waiting.stderr()).not.toContain('EXAMPLE');
  });
});
