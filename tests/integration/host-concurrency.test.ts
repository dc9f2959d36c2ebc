/**
 * Several browsers syncing at once: 8 real host processes on one HOME, 25 writes each to profiles of their own, all
 * at the same time. At the end every profile is there with its own values; all along, a reader parses both files
 * with the AWS JS SDK's parser and finds only whole files (never a half-written section) and never fewer profiles
 * than before (no write lost by another's read-modify-write). Without the lock, the read-modify-write of one host
 * overwrites another's and profiles go missing; without the atomic rename, the reader sees cut-off files.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, startHost, type HostProcess, type TempHome } from '../support/host-process';

const run = promisify(execFile);
const HOSTS = 8;
const WRITES_EACH = 25;

let home: TempHome;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  home = await makeHome();
});
afterAll(async () => {
  for (const h of hosts) h.kill();
  await home?.cleanup();
});

const profileName = (h: number, i: number) => `host${h}-write${i}`;
/** Distinct, recognisable fake values per profile (EXAMPLE in every key). */
const keyId = (h: number, i: number) => `ASIAEXAMPLE${String(h).padStart(2, '0')}${String(i).padStart(3, '0')}X`.slice(0, 20).padEnd(20, 'X');

function body(h: number, i: number) {
  return {
    profiles: [
      {
        profile: profileName(h, i),
        kind: 'saml',
        roleArn: `arn:aws:iam::123456789012:role/role-${h}`,
        credentials: {
          accessKeyId: keyId(h, i),
          secretAccessKey: `secretEXAMPLE/${h}/${i}`,
          sessionToken: `tokenEXAMPLE${h}x${i}`,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        },
        config: { region: 'eu-west-1' },
      },
    ],
  };
}

interface Observation {
  reads: number;
  maxProfiles: number;
  problems: string[];
}

/** Parses both files over and over until `stop()`; records anything a reader should never see. */
function watch(awsDir: string): { stop: () => Promise<Observation> } {
  const seen: Observation = { reads: 0, maxProfiles: 0, problems: [] };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { credentialsFile, configFile } = await loadSharedConfigFiles({
          filepath: join(awsDir, 'credentials'),
          configFilepath: join(awsDir, 'config'),
          ignoreCache: true,
        });
        seen.reads++;
        const names = Object.keys(credentialsFile);
        for (const name of names) {
          const s = credentialsFile[name]!;
          if (!s.aws_access_key_id || !s.aws_secret_access_key || !s.aws_session_token || !s.x_security_token_expires || s.x_aws_saml_sync !== 'saml') {
            seen.problems.push(`read ${seen.reads}: section ${name} is incomplete`);
          }
        }
        if (names.length < seen.maxProfiles) seen.problems.push(`read ${seen.reads}: ${names.length} profiles after ${seen.maxProfiles} had been seen`);
        seen.maxProfiles = Math.max(seen.maxProfiles, names.length);
        if (Object.keys(configFile).length > 0 && Object.values(configFile).some((c) => c.region !== 'eu-west-1')) {
          seen.problems.push(`read ${seen.reads}: a config section without its region`);
        }
      } catch (error) {
        // A file that does not exist yet is fine; anything else is a reader seeing something broken.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') seen.problems.push(`read ${seen.reads}: ${String(error)}`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

describe('8 hosts writing at once', () => {
  it('loses no write, and a reader only ever sees whole, parseable files', { timeout: 180_000 }, async () => {
    const awsDir = join(home.path, '.aws');
    for (let h = 0; h < HOSTS; h++) hosts.push(await startHost({ home: home.path }));
    const watcher = watch(awsDir);

    const failures: string[] = [];
    await Promise.all(
      hosts.map(async (host, h) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          const reply = await host.request('writeProfiles', body(h, i));
          if (!reply.ok) failures.push(`${profileName(h, i)}: ${reply.error.code} ${reply.error.message}`);
        }
      }),
    );
    const seen = watcher.stop();
    for (const host of hosts) expect((await host.close()).code).toBe(0);

    expect(failures).toEqual([]);
    const observation = await seen;
    expect(observation.problems).toEqual([]);
    expect(observation.reads).toBeGreaterThan(10);

    const { credentialsFile, configFile } = await loadSharedConfigFiles({
      filepath: join(awsDir, 'credentials'),
      configFilepath: join(awsDir, 'config'),
      ignoreCache: true,
    });
    expect(Object.keys(credentialsFile)).toHaveLength(HOSTS * WRITES_EACH);
    expect(Object.keys(configFile)).toHaveLength(HOSTS * WRITES_EACH);
    for (let h = 0; h < HOSTS; h++) {
      for (let i = 0; i < WRITES_EACH; i++) {
        expect(credentialsFile[profileName(h, i)]).toMatchObject({
          aws_access_key_id: keyId(h, i),
          aws_secret_access_key: `secretEXAMPLE/${h}/${i}`,
          aws_session_token: `tokenEXAMPLE${h}x${i}`,
        });
        expect(configFile[profileName(h, i)]).toMatchObject({ region: 'eu-west-1', x_aws_saml_sync: 'saml' });
      }
    }

    // The CLI's parser (botocore's configparser, which refuses duplicate sections and keys) agrees.
    const env = { ...process.env, HOME: home.path, AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'), AWS_CONFIG_FILE: join(awsDir, 'config') };
    const script = 'import botocore.session; s = botocore.session.Session(); print(len(s.available_profiles), len(s.full_config["profiles"]))';
    const { stdout } = await run('python3', ['-c', script], { env, timeout: 60_000 });
    expect(stdout.trim()).toBe(`${HOSTS * WRITES_EACH} ${HOSTS * WRITES_EACH}`);

    // Nothing left behind: no lock, no temp file.
    expect(readdirSync(awsDir).sort()).toEqual(['config', 'credentials']);
    expect(readFileSync(join(awsDir, 'credentials'), 'utf8').match(/^\[/gm)).toHaveLength(HOSTS * WRITES_EACH);
  });
});
