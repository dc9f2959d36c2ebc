/**
 * The credential_process cache: the last credentials the extension gave for each credential_process profile, so
 * `credentials --profile NAME` can answer while the browser is closed (as long as they have 5 minutes left), and the
 * sign-in URL `--open` opens. One 0600 file per profile in `<helper data folder>/cache/` (folder 0700); nowhere
 * else. Secrets: never logged.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { unlink } from 'node:fs/promises';
import * as v from 'valibot';
import { CredentialsSchema, ProfileNameSchema, SignInUrlSchema } from '../utils/host-protocol';
import { currentPlatform, dataDir } from './browsers';
import { ensurePrivateDir, readPrivateFile, writePrivateFile } from './private-files';

const EntrySchema = v.object({
  credentials: CredentialsSchema,
  signInUrl: v.optional(SignInUrlSchema),
  savedAt: v.string(),
});
export type CacheEntry = v.InferOutput<typeof EntrySchema>;
export type Credentials = CacheEntry['credentials'];

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(currentPlatform(), homedir(), env), 'cache');
}

/** Milliseconds these credentials have left. */
export function timeLeft(c: { expiration: string }, now = Date.now()): number {
  return Date.parse(c.expiration) - now;
}

export class CredentialCache {
  constructor(readonly dir: string = cacheDir()) {}

  private file(profile: string): string {
    // Checked again here: a name is a file name in our folder (no /, and ".json" is appended).
    v.parse(ProfileNameSchema, profile);
    return join(this.dir, `${profile}.json`);
  }

  async read(profile: string): Promise<CacheEntry | undefined> {
    const text = await readPrivateFile(this.file(profile));
    if (text === undefined) return undefined;
    try {
      const parsed = v.safeParse(EntrySchema, JSON.parse(text));
      return parsed.success ? parsed.output : undefined;
    } catch {
      return undefined;
    }
  }

  async write(profile: string, credentials: Credentials, signInUrl?: string): Promise<void> {
    await ensurePrivateDir(this.dir);
    const before = signInUrl ? undefined : await this.read(profile);
    const entry: CacheEntry = { credentials, signInUrl: signInUrl ?? before?.signInUrl, savedAt: new Date().toISOString() };
    await writePrivateFile(this.file(profile), `${JSON.stringify(entry)}\n`);
  }

  /** The sign-in URL the extension gave last (serveCredentials), for `--open` before any profile was cached. */
  async readSignInUrl(): Promise<string | undefined> {
    const text = await readPrivateFile(join(this.dir, 'sign-in.json'));
    try {
      const parsed = v.safeParse(v.object({ signInUrl: SignInUrlSchema }), JSON.parse(text ?? 'null'));
      return parsed.success ? parsed.output.signInUrl : undefined;
    } catch {
      return undefined;
    }
  }

  async writeSignInUrl(signInUrl: string): Promise<void> {
    await ensurePrivateDir(this.dir);
    await writePrivateFile(join(this.dir, 'sign-in.json'), `${JSON.stringify({ signInUrl })}\n`);
  }

  async remove(profiles: string[]): Promise<void> {
    for (const p of profiles) await unlink(this.file(p)).catch(() => undefined);
  }
}
