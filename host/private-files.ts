/**
 * Private folders and files for credential_process (its cache and its socket): folders 0700 and files 0600, owned
 * by this user, never reached through a symlink. Anything else found there is refused, never followed or fixed up
 * on someone else's behalf. No AWS file goes through here (those are host/aws-files.ts's).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HostFailure } from './aws-files';

const posixOwner = typeof process.getuid === 'function' && process.platform !== 'win32';

/** A folder that only this user can enter: created 0700 (with its parents), a real folder (not a symlink) of ours. */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const info = await lstat(path);
  if (info.isSymbolicLink() || !info.isDirectory()) {
    throw new HostFailure('SocketUnsafe', `${path} is not a folder (it is a symlink or a file), so aws-saml-sync does not use it; move it aside and try again.`);
  }
  if (!posixOwner) return;
  if (info.uid !== process.getuid!()) {
    throw new HostFailure('SocketUnsafe', `${path} belongs to another user, so aws-saml-sync does not use it; remove it and try again.`);
  }
  if ((info.mode & 0o077) !== 0) await chmod(path, 0o700);
}

/** The text of a private file of ours, or undefined when it is missing, a symlink, someone else's or readable by others. */
export async function readPrivateFile(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > 1024 * 1024) return undefined;
    if (posixOwner && (info.uid !== process.getuid!() || (info.mode & 0o077) !== 0)) return undefined;
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Write a whole private file atomically: a new 0600 temp file beside it (never an existing one), fsync, rename. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temp = `${dirname(path)}/.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
