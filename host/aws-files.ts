/**
 * Where the AWS files are and how they are written: resolved paths, a cross-process lock, atomic private writes.
 *
 * Library: proper-lockfile (mkdir-based lock with stale detection, works across processes, so two browsers syncing
 * at once take turns). The atomic write (temp file in the same folder, fsync, rename, mode and owner kept) is
 * written here: npm's write-file-atomic, used before, renames a cut-off file over the good one when the disk fills
 * up mid-write (see writeWholeFileAtomic below); it also resolves a symlink only when its target exists, and does not
 * fsync the folder.
 *
 * The file operations of a write are synchronous: the host serves one request at a time, and on a busy machine
 * (the browser loading the page AWS answered the sign-in with) each asynchronous one waited for the event loop to be
 * scheduled again: taking the lock and checking the files took 2-15 ms of the sync's 20-odd in the capture bench.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import lockfile from 'proper-lockfile';
import { HOST_ERRORS, type HostErrorName } from '../utils/host-protocol';

export interface AwsPaths {
  credentialsFile: string;
  configFile: string;
}

/**
 * A leading `~` is the home folder, as botocore's os.path.expanduser reads it: `~/x` everywhere, and on Windows
 * `~\x` too (the separator people type there).
 */
function expandHome(path: string, home: string, platform: NodeJS.Platform): string {
  if (path === '~' || path.startsWith('~/')) return pathFor(platform).join(home, path.slice(1));
  if (platform === 'win32' && path.startsWith('~\\')) return win32.join(home, path.slice(1));
  return path;
}

function pathFor(platform: NodeJS.Platform) {
  return platform === 'win32' ? win32 : posix;
}

/** As the AWS CLI resolves them: the environment variables (a leading ~ expanded), else ~/.aws/. */
export function awsPaths(
  env: NodeJS.ProcessEnv = process.env,
  { home = homedir(), platform = process.platform }: { home?: string; platform?: NodeJS.Platform } = {},
): AwsPaths {
  const p = platform === process.platform ? { join, resolve } : pathFor(platform);
  return {
    credentialsFile: p.resolve(expandHome(env.AWS_SHARED_CREDENTIALS_FILE || p.join(home, '.aws', 'credentials'), home, platform)),
    configFile: p.resolve(expandHome(env.AWS_CONFIG_FILE || p.join(home, '.aws', 'config'), home, platform)),
  };
}

/** An error that goes back to the extension: a protocol code and one sentence, no secrets. */
export class HostFailure extends Error {
  readonly code: number;
  constructor(
    readonly errorName: HostErrorName,
    message: string,
    readonly field?: string,
    readonly profiles?: string[],
  ) {
    super(message);
    this.name = 'HostFailure';
    this.code = HOST_ERRORS[errorName];
  }
}

/** One sentence for a file-system error while touching `path`. */
export function fsFailure(error: unknown, path: string, platform: NodeJS.Platform = process.platform): HostFailure {
  if (error instanceof HostFailure) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) {
    // Windows refuses to replace a file another program holds open (an editor, a backup or antivirus scan), with
    // EPERM as often as EBUSY; renameWithRetry has already waited for it.
    return new HostFailure('Locked', `${path} is held open by another program (Windows cannot replace a file that is open elsewhere: an editor, a backup or antivirus scan); close it or wait a moment, then sync again.`);
  }
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new HostFailure('PermissionDenied', `${path} cannot be written (permission denied); check its owner and mode and those of its folder, then sync again.`);
    case 'EROFS':
      return new HostFailure('ReadOnly', `${path} is on a read-only file system; point AWS_SHARED_CREDENTIALS_FILE/AWS_CONFIG_FILE at a writable place, then sync again.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new HostFailure('DiskFull', `The disk holding ${path} is full; free some space, then sync again.`);
    case 'ELOCKED':
      return new HostFailure('Locked', `Another aws-saml-sync that is still running kept ${path} locked for more than ${LOCK_WAIT_MS / 1000} seconds; try again in a moment.`);
    case 'EBUSY':
      return new HostFailure('Locked', `${path} is busy (another program holds it open); close that program or try again in a moment.`);
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ELOOP':
      return new HostFailure('NotAFile', `${path} is not a regular file (or a symlink to one); move whatever is there aside, then sync again.`);
    default:
      return new HostFailure('Internal', `${path} could not be written (${code ?? 'unknown error'}); try again, and report it if it repeats.`);
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A file's bytes as text, one character per byte (latin1), so that writing the text back gives the same bytes
 * whatever the file's encoding: a Windows-1252 comment or any byte that is not UTF-8 would otherwise become U+FFFD
 * and be rewritten as EF BF BD. A UTF-8 byte-order mark becomes U+FEFF, as aws-ini.ts expects. Everything the host
 * writes itself is ASCII (the schema allows nothing else), which latin1 leaves as it is.
 */
export function bytesToText(bytes: Buffer): string {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? `\uFEFF${bytes.toString('latin1', 3)}` : bytes.toString('latin1');
}

/** The inverse of bytesToText. */
export function textToBytes(text: string): Buffer {
  return text.startsWith('\uFEFF') ? Buffer.concat([UTF8_BOM, Buffer.from(text.slice(1), 'latin1')]) : Buffer.from(text, 'latin1');
}

/**
 * The file's text, or '' when it does not exist yet. Read in one synchronous call: the host serves one request at a
 * time, and fs.promises.readFile reads in 512 KiB chunks, which doubles the time for a 5,000-profile file.
 */
export async function readText(path: string): Promise<string> {
  try {
    return bytesToText(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw fsFailure(error, path);
  }
}

/**
 * The real file behind a path: symlinks followed, also a dangling one (its target is where the file will be
 * created, so the link survives). The path itself when nothing is there.
 */
export function resolveTarget(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const info = lstatSync(current, { throwIfNoEntry: false });
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

export interface FileSystemOps {
  writeFile(path: string, data: Buffer, options: { mode?: number }): Promise<void>;
}

export const realFileSystem: FileSystemOps = { writeFile: writeWholeFileAtomic };

/**
 * Temp file in the same folder (created exclusively), the whole payload written, fsync, rename over `path`; an
 * existing file's mode and owner are copied to the temp file first; the temp file is removed on any failure.
 *
 * Not write-file-atomic (npm's), which this replaced: it writes with one fs.write and ignores the count of bytes
 * written, and when a disk fills up mid-write, write(2) returns a short count rather than ENOSPC, so a cut-off file
 * was fsynced and renamed over the good one (seen on a full tmpfs: a 20 KiB config became 12 KiB, and the host
 * answered ok). FileHandle.writeFile loops until every byte is written or throws (ENOSPC then), and the size is
 * checked once more before the rename.
 */
async function writeWholeFileAtomic(path: string, data: Buffer, options: { mode?: number }): Promise<void> {
  const existing = statSync(path, { throwIfNoEntry: false });
  const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o600);
  const temp = `${path}.aws-saml-sync-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  let fd: number | undefined = openSync(temp, 'wx', mode);
  let renamed = false;
  try {
    fchmodSync(fd, mode); // exact, whatever the umask
    if (existing && process.getuid) {
      // Keep the owner (root editing someone's file); a non-root process may not chown, and then keeps its own.
      try {
        fchownSync(fd, existing.uid, existing.gid);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'EINVAL') throw error;
      }
    }
    writeFileSync(fd, data);
    if (fstatSync(fd).size !== data.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    await renameWithRetry(temp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      if (fd !== undefined) closeQuietly(fd);
      try {
        unlinkSync(temp);
      } catch {
        // already gone, or never made
      }
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // closed already
  }
}

export interface RenameOptions {
  platform?: NodeJS.Platform;
  rename?: (from: string, to: string) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/** Waits between attempts on Windows: about 1.5 s in all, as graceful-fs does (briefer) for the same failure. */
export const WINDOWS_RENAME_DELAYS_MS = [20, 50, 100, 200, 400, 700];

/**
 * rename(2), and on Windows a few retries: a rename over a file another process holds open (an editor, an
 * antivirus or backup scan, a second reader) fails with EPERM, EACCES or EBUSY, usually only for a moment
 * (graceful-fs and write-file-atomic retry the same codes for the same reason). Elsewhere a failure is final.
 */
export async function renameWithRetry(from: string, to: string, options: RenameOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  const doRename = options.rename ?? rename;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      await doRename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const retriable = platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!retriable || attempt >= WINDOWS_RENAME_DELAYS_MS.length) throw error;
      await sleep(WINDOWS_RENAME_DELAYS_MS[attempt]!);
    }
  }
}

/**
 * Refuses (error 8) a file that exists and that the person made read-only: a mode without any write bit (e.g.
 * `chmod 0400`), or one this process may not write. Without this check the write would replace it: a rename over a
 * file needs only its folder to be writable (and root ignores modes). A file that does not exist yet is fine.
 */
export async function assertWritable(path: string): Promise<void> {
  try {
    const real = resolveTarget(path);
    const info = statSync(real, { throwIfNoEntry: false });
    if (!info || !info.isFile()) return; // missing: created; not a file: the write gives NotAFile
    if ((info.mode & 0o222) === 0) {
      throw new HostFailure('PermissionDenied', `${path} is read-only (its mode allows no writing), so aws-saml-sync leaves it as it is; make it writable (chmod u+w) if it may be changed, then sync again.`);
    }
    accessSync(real, constants.W_OK);
  } catch (error) {
    throw fsFailure(error, path);
  }
}

/**
 * Atomic, private write: symlinks resolved, an existing file's mode kept, new files 0600 in new folders 0700; a
 * read-only file is refused (assertWritable), never renamed over.
 */
export async function writeTextAtomic(path: string, text: string, fs: FileSystemOps = realFileSystem): Promise<void> {
  await assertWritable(path);
  try {
    const real = resolveTarget(path);
    const exists = lstatSync(real, { throwIfNoEntry: false }) !== undefined;
    if (!exists) mkdirSync(dirname(real), { recursive: true, mode: 0o700 });
    // An existing file's mode and owner are kept by writeWholeFileAtomic; a new one is created 0600.
    await fs.writeFile(real, textToBytes(text), exists ? {} : { mode: 0o600 });
    fsyncFolder(dirname(real));
  } catch (error) {
    throw fsFailure(error, path);
  }
}

/** So the rename itself survives a power cut. Best effort: some file systems refuse to fsync a folder. */
function fsyncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // refused by this file system
  }
  closeQuietly(fd);
}

/** A lock whose folder was not refreshed for this long belongs to a host that died: it is taken over. */
export const LOCK_STALE_MS = 10_000;
/**
 * How long a write waits for the lock before error 7. Longer than LOCK_STALE_MS by 2 s, so a lock left by a host
 * killed while it held it is always taken over within the wait: proper-lockfile sets the lock's mtime up to 1 s
 * ahead (it rounds up to the second when it probes the file system's mtime precision), so such a lock turns stale
 * up to 11 s after the crash. With a wait of 10 s (as before) the next sync gave up just before that moment.
 */
export const LOCK_WAIT_MS = LOCK_STALE_MS + 2_000;
/** How often a held lock is refreshed (proper-lockfile's `update`): well inside LOCK_STALE_MS. */
const LOCK_UPDATE_MS = 2_000;

/**
 * Tests only (tests/integration/host-crash.test.ts): when this variable holds a number of milliseconds, the host
 * waits that long right after taking the lock, with a line on stderr, so a test can kill it while it holds the
 * lock. Nothing else sets it; the browser starts the host with its own environment. PROTOCOL.md names it.
 */
export const TEST_HOLD_LOCK_ENV = 'AWS_SAML_SYNC_TEST_HOLD_LOCK_MS';

/**
 * Run `fn` holding the cross-process lock of the folder that holds the credentials file (`.aws-saml-sync.lock`, a
 * folder proper-lockfile creates and refreshes every 2 s; one not refreshed for 10 s, left by a host that died, is
 * taken over). The lock is waited for waitMs (a deadline, whatever each attempt costs), then error 7.
 */
export async function withAwsLock<T>(paths: AwsPaths, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  let folder = dirname(paths.credentialsFile);
  try {
    folder = dirname(resolveTarget(paths.credentialsFile));
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw fsFailure(error, folder);
  }
  let compromised: Error | undefined;
  let release: () => unknown;
  const options = {
    lockfilePath: join(folder, '.aws-saml-sync.lock'),
    realpath: false,
    stale: LOCK_STALE_MS,
    update: LOCK_UPDATE_MS,
    // The default throws from a timer, which would kill the host mid-write; note it and fail this request instead.
    onCompromised: (error: Error) => {
      compromised = error;
    },
  };
  try {
    try {
      // Free (the usual case): taken at once, in one synchronous step (a stale lock is taken over in it too).
      release = lockfile.lockSync(folder, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      // Held by another host: tried every 15-30 ms (randomised so waiting hosts do not move in step) until waitMs
      // have passed (node-retry's maxRetryTime; the count is only an upper bound).
      release = await lockfile.lock(folder, {
        ...options,
        retries: { retries: Math.ceil(waitMs / 10), factor: 1, minTimeout: 15, maxTimeout: 30, randomize: true, maxRetryTime: waitMs },
      });
    }
  } catch (error) {
    throw fsFailure(error, folder);
  }
  try {
    await holdForTests();
    const result = await fn();
    if (compromised) throw new HostFailure('Locked', `Another program took the lock on ${folder} while aws-saml-sync was writing; sync again.`);
    return result;
  } finally {
    try {
      await release();
    } catch {
      // gone already (taken over): nothing to give back
    }
  }
}

async function holdForTests(): Promise<void> {
  const ms = Number(process.env[TEST_HOLD_LOCK_ENV]);
  if (!Number.isFinite(ms) || ms <= 0) return;
  process.stderr.write(`aws-saml-sync host: test hook: holding the lock for ${ms} ms\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
