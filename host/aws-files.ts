/**
 * Where the AWS files are and how they are written: resolved paths, a cross-process lock, atomic private writes.
 *
 * Libraries: write-file-atomic (npm's own: temp file in the same folder, fsync, rename, keeps an existing file's
 * mode) and proper-lockfile (mkdir-based lock with stale detection, works across processes and browsers).
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, realpath, stat } from 'node:fs/promises';
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
  ) {
    super(message);
    this.name = 'HostFailure';
    this.code = HOST_ERRORS[errorName];
  }
}

/** One sentence for a file-system error while touching `path`. */
export function fsFailure(error: unknown, path: string): HostFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new HostFailure('PermissionDenied', `${path} cannot be written (permission denied); check its owner and mode, then sync again.`);
    case 'EROFS':
      return new HostFailure('ReadOnly', `${path} is on a read-only file system; point AWS_SHARED_CREDENTIALS_FILE/AWS_CONFIG_FILE at a writable place, then sync again.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new HostFailure('DiskFull', `The disk holding ${path} is full; free some space, then sync again. Nothing was changed.`);
    case 'ELOCKED':
      return new HostFailure('Locked', `Another program kept ${path} locked for too long; try again in a moment.`);
    case 'EISDIR':
    case 'ENOTDIR':
      return new HostFailure('PermissionDenied', `${path} is not a regular file; move whatever is there aside, then sync again.`);
    default:
      return new HostFailure('Internal', `${path} could not be written (${code ?? 'unknown error'}); try again, and report it if it repeats.`);
  }
}

/** The file's text, or '' when it does not exist yet. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw fsFailure(error, path);
  }
}

/** The real file behind a path (following symlinks), or the path itself when nothing is there yet. */
async function target(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

export interface FileSystemOps {
  writeFile(path: string, data: string, options: { mode?: number }): Promise<void>;
}

export const realFileSystem: FileSystemOps = {
  writeFile: (path, data, options) => writeFileAtomic(path, data, { ...options, fsync: true }),
};

/** Atomic, private write: symlinks resolved, an existing file's mode kept, new files 0600 in folders 0700. */
export async function writeTextAtomic(path: string, text: string, fs: FileSystemOps = realFileSystem): Promise<void> {
  const real = await target(path);
  try {
    const exists = await stat(real).then(
      () => true,
      () => false,
    );
    if (!exists) await mkdir(dirname(real), { recursive: true, mode: 0o700 });
    await fs.writeFile(real, text, exists ? {} : { mode: 0o600 });
    if (!exists) await chmod(real, 0o600);
  } catch (error) {
    throw error instanceof HostFailure ? error : fsFailure(error, path);
  }
}

export const LOCK_WAIT_MS = 10_000;

/** Run `fn` holding the cross-process lock of the folder that holds the credentials file. */
export async function withAwsLock<T>(paths: AwsPaths, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const folder = dirname(await target(paths.credentialsFile));
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw fsFailure(error, folder);
  }
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, {
      lockfilePath: join(folder, '.aws-saml-sync.lock'),
      realpath: false,
      stale: 10_000,
      retries: { retries: Math.ceil(waitMs / 100), factor: 1, minTimeout: 50, maxTimeout: 100, randomize: true },
    });
  } catch (error) {
    throw fsFailure(error, folder);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
