/**
 * Where the AWS files are and how they are written: resolved paths, a cross-process lock, atomic private writes.
 *
 * Libraries: write-file-atomic (npm's own: temp file in the same folder, fsync, rename, keeps an existing file's
 * mode and owner, removes the temp file on failure) and proper-lockfile (mkdir-based lock with stale detection,
 * works across processes, so two browsers syncing at once take turns). Only the symlink walk and the folder fsync
 * are written here: write-file-atomic resolves a symlink only when its target exists, and does not fsync the folder.
 */
import { constants, readFileSync } from 'node:fs';
import { access, lstat, mkdir, open, readlink, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { HOST_ERRORS, type HostErrorName } from '../utils/host-protocol';

export interface AwsPaths {
  credentialsFile: string;
  configFile: string;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** As the AWS CLI resolves them: the environment variables (a leading ~ expanded), else ~/.aws/. */
export function awsPaths(env: NodeJS.ProcessEnv = process.env): AwsPaths {
  return {
    credentialsFile: resolve(expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'))),
    configFile: resolve(expandHome(env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'))),
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
export function fsFailure(error: unknown, path: string): HostFailure {
  if (error instanceof HostFailure) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
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
      return new HostFailure('Locked', `Another aws-saml-sync kept ${path} locked for more than 10 seconds; try again in a moment.`);
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
export async function resolveTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

export interface FileSystemOps {
  writeFile(path: string, data: Buffer, options: { mode?: number }): Promise<void>;
}

export const realFileSystem: FileSystemOps = {
  writeFile: (path, data, options) => writeFileAtomic(path, data, { ...options, fsync: true }),
};

/** Atomic, private write: symlinks resolved, an existing file's mode kept, new files 0600 in new folders 0700. */
export async function writeTextAtomic(path: string, text: string, fs: FileSystemOps = realFileSystem): Promise<void> {
  try {
    const real = await resolveTarget(path);
    const exists = await lstat(real).then(
      () => true,
      () => false,
    );
    if (!exists) await mkdir(dirname(real), { recursive: true, mode: 0o700 });
    // An existing file's mode and owner are kept by write-file-atomic; a new one is created 0600.
    await fs.writeFile(real, textToBytes(text), exists ? {} : { mode: 0o600 });
    await fsyncFolder(dirname(real));
  } catch (error) {
    throw fsFailure(error, path);
  }
}

/** So the rename itself survives a power cut. Best effort: some file systems refuse to fsync a folder. */
async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

export const LOCK_WAIT_MS = 10_000;

/**
 * Run `fn` holding the cross-process lock of the folder that holds the credentials file (`.aws-saml-sync.lock`, a
 * folder proper-lockfile creates and refreshes; one left by a crashed host is taken over after 10 s).
 */
export async function withAwsLock<T>(paths: AwsPaths, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  let folder = dirname(paths.credentialsFile);
  try {
    folder = dirname(await resolveTarget(paths.credentialsFile));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw fsFailure(error, folder);
  }
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, {
      lockfilePath: join(folder, '.aws-saml-sync.lock'),
      realpath: false,
      stale: 10_000,
      // Every 15-30 ms (randomised so waiting hosts do not move in step), for about waitMs in all.
      retries: { retries: Math.ceil(waitMs / 22), factor: 1, minTimeout: 15, maxTimeout: 30, randomize: true },
      // The default throws from a timer, which would kill the host mid-write; note it and fail this request instead.
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    throw fsFailure(error, folder);
  }
  try {
    const result = await fn();
    if (compromised) throw new HostFailure('Locked', `Another program took the lock on ${folder} while aws-saml-sync was writing; sync again.`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
