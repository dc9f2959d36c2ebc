/**
 * A real full disk: a 64 KiB tmpfs mounted in a private mount namespace (`unshare -m`, so nothing outside this
 * test sees it), filled to the last block, holds the credentials and config files; the real, bundled host is asked
 * to write into it. ENOSPC comes from the kernel, not from an injected error (tests/unit/host-handlers.test.ts
 * injects ENOSPC and EDQUOT through the file layer), once with no block left (the credentials write fails) and once
 * with 12 KiB left (the credentials write succeeds, the larger config write fails, the credentials file is put
 * back). Both files must stay byte for byte, with no temp file left, and the reply must be error 10, one sentence.
 *
 * It needs root and unshare(1); elsewhere it is skipped, and the reason is in the test's name and on the console.
 * EDQUOT is not run for real: it needs a file system with quotas (tmpfs quotas need a kernel built with them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN } from '../../utils/extension-identity';
import { HOST_ERRORS } from '../../utils/host-protocol';
import { hostBundle, makeHome, startHost, type HostProcess, type TempHome } from '../support/host-process';

/** Why a real full-disk run cannot happen here, or undefined when it can. */
function whyNot(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (mounting a tmpfs needs it)';
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt'], { stdio: 'pipe', timeout: 10_000 });
  } catch (error) {
    return `unshare -m with a tmpfs mount failed here (${String((error as Error).message).split('\n')[0]})`;
  }
  return undefined;
}
const skipReason = whyNot();
if (skipReason) console.log(`host-disk-full: the real full-disk run is skipped: ${skipReason}`);

const ORIGINAL_CREDENTIALS = Buffer.from('# mine, kept byte for byte\n[default]\nregion = eu-west-1\n\n[sts-temp]\nx_aws_saml_sync = saml\naws_access_key_id = ASIAOLDEXAMPLE000001\n');
const ORIGINAL_CONFIG = Buffer.from('[default]\nregion = eu-west-1\n');

/** 50 profiles with 8 KiB session tokens: about 400 KiB of new text, far more than the few KiB a full tmpfs has. */
function bigWrite() {
  return {
    profiles: Array.from({ length: 50 }, (_, i) => ({
      profile: `big-${i}`,
      kind: 'saml',
      roleArn: 'arn:aws:iam::123456789012:role/Developer',
      credentials: {
        accessKeyId: `ASIAEXAMPLE${String(i).padStart(9, '0')}`,
        secretAccessKey: 'secretEXAMPLEsecretEXAMPLE',
        sessionToken: `tokenEXAMPLE${'x'.repeat(8000)}`,
        expiration: '2030-01-01T00:00:00.000Z',
      },
      config: { region: 'us-east-1' },
    })),
  };
}

let home: TempHome;
let h: HostProcess | undefined;
beforeEach(async () => {
  home = await makeHome();
});
afterEach(async () => {
  h?.kill();
  await home.cleanup();
});

/** One small profile: the credentials file grows by one 4 KiB page at most. */
function smallWrite() {
  const [first] = bigWrite().profiles;
  return { profiles: [{ ...first!, credentials: { ...first!.credentials, sessionToken: 'tokenEXAMPLEtokenEXAMPLE' } }] };
}

/** A config file of about 20 KiB (the person's own comments): its rewrite needs 6 free pages. */
const BIG_CONFIG = Buffer.from(`[default]\nregion = eu-west-1\n${'# a long comment of my own, kept byte for byte\n'.repeat(430)}`);

const cases = [
  { what: 'no block left: the credentials write fails', leaveKiB: 0, config: ORIGINAL_CONFIG, body: bigWrite, failing: 'credentials' },
  { what: '12 KiB left: the credentials write succeeds, the config write fails, the credentials file is put back', leaveKiB: 12, config: BIG_CONFIG, body: smallWrite, failing: 'config' },
] as const;

describe('a real full disk', () => {
  it.skipIf(!!skipReason).each(cases)(`ENOSPC on a 64 KiB tmpfs, $what: error 10, both files byte for byte, no temp file left${skipReason ? ` (skipped: ${skipReason})` : ''}`, async ({ leaveKiB, config, body, failing }) => {
    const seed = join(home.path, 'seed');
    const out = join(home.path, 'out');
    const mnt = join(home.path, 'aws');
    mkdirSync(seed);
    mkdirSync(out);
    mkdirSync(mnt);
    writeFileSync(join(seed, 'credentials'), ORIGINAL_CREDENTIALS, { mode: 0o600 });
    writeFileSync(join(seed, 'config'), config, { mode: 0o600 });
    // Inside the namespace: mount, copy the files in, fill every block that is left, run the host; when it has
    // exited, copy both files and the folder listing out (the mount goes away with the namespace).
    const script = [
      'set -u',
      'mount -t tmpfs -o size=64k,mode=0700 tmpfs "$MNT" || exit 90',
      'cp -p "$SEED/credentials" "$SEED/config" "$MNT/" || exit 91',
      'avail=$(df -k --output=avail "$MNT" | tail -1)',
      'dd if=/dev/zero of="$MNT/filler" bs=1024 count=$((avail - LEAVE_KIB)) 2>/dev/null; sync',
      'df -k "$MNT" | tail -1 >&2',
      '"$NODE" "$BUNDLE" "$ORIGIN"; status=$?',
      'cp -p "$MNT/credentials" "$MNT/config" "$OUT/"; ls -A "$MNT" > "$OUT/listing"; ls -l "$MNT" >&2; df -k "$MNT" | tail -1 >&2',
      'exit $status',
    ].join('\n');
    h = await startHost({
      home: home.path,
      command: 'unshare',
      args: ['-m', '--propagation', 'private', 'sh', '-c', script],
      env: {
        MNT: mnt,
        LEAVE_KIB: String(leaveKiB),
        SEED: seed,
        OUT: out,
        NODE: process.execPath,
        BUNDLE: await hostBundle(),
        ORIGIN: CHROME_EXTENSION_ORIGIN,
        AWS_SHARED_CREDENTIALS_FILE: join(mnt, 'credentials'),
        AWS_CONFIG_FILE: join(mnt, 'config'),
      },
    });
    const reply = await h.request('writeProfiles', body());
    const exit = await h.close();
    console.log(`host-disk-full: ${exit.stderr.trim().split('\n').join(' | ')}`);
    expect(exit.code, exit.stderr).toBe(0);
    expect(reply.ok, JSON.stringify(reply).slice(0, 300)).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toMatchObject({ code: HOST_ERRORS.DiskFull, name: 'DiskFull' });
    expect(reply.error.message).toMatch(/^\S[^\n]*\.$/);
    expect(reply.error.message).toContain(join(mnt, failing));
    expect(JSON.stringify(reply)).not.toContain('tokenEXAMPLE');
    expect(readFileSync(join(out, 'credentials')).equals(ORIGINAL_CREDENTIALS)).toBe(true);
    expect(readFileSync(join(out, 'config')).equals(config)).toBe(true);
    // No temp file and no lock left behind: only what was there.
    expect(readFileSync(join(out, 'listing'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['config', 'credentials', 'filler']);
  });
});
