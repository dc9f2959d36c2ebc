/**
 * The command line a credential_process profile runs: this helper's launcher (installed by host/install.ts beside
 * the bundle: `aws-saml-sync-host`, `aws-saml-sync-host.cmd` on Windows), or, for a bundle run without one (the
 * tests' `.output/host`), Node and the bundle. Every path is double-quoted on every OS, so a folder with spaces
 * works for botocore (shlex on POSIX, its own Windows splitter) and for the JS SDK (a shell: sh, or cmd.exe).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HostFailure } from './aws-files';
import type { Platform } from './browsers';

/** Characters a double-quoted word cannot hold safely: sh expands $ ` \ inside quotes; cmd.exe expands %…%. */
const UNSAFE: Record<'posix' | 'win32', RegExp> = { posix: /["\\$`\n\r\0]/, win32: /["%\n\r\0]/ };

export function quotePath(path: string, platform: Platform): string {
  if (UNSAFE[platform === 'win32' ? 'win32' : 'posix'].test(path)) {
    throw new HostFailure(
      'UnquotablePath',
      `The aws-saml-sync helper's path (${path.replace(/[\n\r\0]/g, '?')}) holds a quote, $, \` , \\ or % that a credential_process line cannot carry safely; install it in a folder without them (npm run host:install) and try again.`,
    );
  }
  return `"${path}"`;
}

/** The program part of the command line: the launcher when there is one beside the bundle, else Node + bundle. */
export function launcherCommand(
  platform: Platform,
  bundlePath: string,
  nodePath: string,
  exists: (path: string) => boolean = existsSync,
): string {
  const bundle = resolve(bundlePath);
  const launcher = join(dirname(bundle), platform === 'win32' ? 'aws-saml-sync-host.cmd' : 'aws-saml-sync-host');
  if (basename(bundle) === 'aws-saml-sync-host.cjs' && exists(launcher)) return quotePath(launcher, platform);
  return `${quotePath(nodePath, platform)} ${quotePath(bundle, platform)}`;
}

/** `credential_process = <launcher> credentials --profile NAME` (profile names need no quoting: [A-Za-z0-9_.@+-]). */
export function credentialProcessLine(launcher: string, profile: string): string {
  return `${launcher} credentials --profile ${profile}`;
}

/** This running helper's launcher command. */
export function ownLauncherCommand(): string {
  return launcherCommand(process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux', process.argv[1] ?? '', process.execPath);
}
