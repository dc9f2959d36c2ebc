/**
 * The native host: `writeProfiles` of one profile into a 5,000-profile credentials file, in process (lock, read
 * both files, edit, atomic write with fsync, unlock; target median < 30 ms), the same edit without the disk, and
 * the full round trip the browser pays on a sync: spawn the bundled host, hello, one write, end of input, exit
 * (target median < 150 ms).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHostBuilt } from '../host/build';
import { encodeFrame, FrameReader } from '../host/framing';
import { planWrite, writeProfiles } from '../host/profile-store';
import { CHROME_EXTENSION_ORIGIN } from '../utils/extension-identity';
import type { WriteProfilesBody } from '../utils/host-protocol';
import { measure, report } from './measure';

const PROFILES = 5_000;

function oneProfile(n: number): WriteProfilesBody {
  return {
    profiles: [
      {
        profile: 'sts-temp',
        kind: 'saml',
        roleArn: 'arn:aws:iam::123456789012:role/saml-init',
        credentials: {
          accessKeyId: `ASIAEXAMPLE${String(n).padStart(9, '0')}`,
          secretAccessKey: `secretEXAMPLE${n}`,
          sessionToken: `tokenEXAMPLE${'x'.repeat(800)}${n}`,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        },
        config: { region: 'eu-west-1' },
      },
    ],
  };
}

/** Big files like a heavy user's: 5,000 profiles, each with a session token of realistic length, plus comments. */
function bigFiles(dir: string): { credentialsFile: string; configFile: string } {
  const credentials: string[] = ['# many profiles'];
  const config: string[] = ['[default]', 'region = us-east-1', ''];
  for (let i = 0; i < PROFILES; i++) {
    credentials.push(
      `[profile-${i}]`,
      `aws_access_key_id = ASIAEXAMPLE${String(i).padStart(9, '0')}`,
      `aws_secret_access_key = secretEXAMPLE${i}`,
      `aws_session_token = tokenEXAMPLE${'y'.repeat(800)}`,
      'x_security_token_expires = 2030-01-01T00:00:00.000Z',
      'x_aws_saml_sync = saml',
      '',
    );
    config.push(`[profile profile-${i}]`, 'region = eu-west-1', 'x_aws_saml_sync = saml', '');
  }
  const paths = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
  writeFileSync(paths.credentialsFile, credentials.join('\n'), { mode: 0o600 });
  writeFileSync(paths.configFile, config.join('\n'), { mode: 0o600 });
  return paths;
}

/** Spawn the bundle as Chrome would, hello, one write, close stdin, wait for the exit. */
function roundTrip(bundle: string, home: string, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, CHROME_EXTENSION_ORIGIN], { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
    const reader = new FrameReader();
    let replies = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        if (event.kind !== 'message' || !(event.value as { ok?: boolean }).ok) reject(new Error(`bad reply: ${JSON.stringify(event).slice(0, 300)}`));
        if (++replies === 1) child.stdin.write(encodeFrame({ v: 1, id: 'w', type: 'writeProfiles', body: oneProfile(n) }));
        if (replies === 2) child.stdin.end();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && replies === 2 ? resolve() : reject(new Error(`host exited ${code} after ${replies} replies`))));
    child.stdin.write(encodeFrame({ v: 1, id: 'h', type: 'hello', body: {} }));
  });
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-saml-sync-bench-'));
  try {
    const paths = bigFiles(dir);
    const texts = { credentials: '', config: '' };
    const { readFileSync } = await import('node:fs');
    texts.credentials = readFileSync(paths.credentialsFile, 'utf8');
    texts.config = readFileSync(paths.configFile, 'utf8');
    console.log(`credentials file: ${PROFILES} profiles, ${(statSync(paths.credentialsFile).size / 1024 / 1024).toFixed(1)} MB`);

    let n = 0;
    const edit = await measure(() => planWrite(texts, oneProfile(++n), paths), 30);
    report('edit only (parse, plan, serialise; no disk)', edit.median, 'ms');
    const write = await measure(() => writeProfiles(paths, oneProfile(++n)), 30);
    report('writeProfiles 1 profile into 5,000 (in process, fsync)', write.median, 'ms', { max: 30 });
    report('  p90', write.p90, 'ms');

    const home = join(dir, 'home');
    const { bundle } = await ensureHostBuilt();
    const trip = await measure(() => roundTrip(bundle, home, ++n), 15, 2);
    report('spawn host + hello + 1 write + exit (round trip)', trip.median, 'ms', { max: 150 });
    report('  p90', trip.p90, 'ms');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
