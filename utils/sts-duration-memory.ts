/**
 * Remembers, per role ARN, the DurationSeconds STS accepted after refusing a longer one, so the next sign-in asks
 * right the first time. Kept in a storage area the caller passes (`browser.storage.local` in the extension) under
 * one key, as `{ [roleArn]: { seconds, at } }`: no secret, nothing about the person.
 *
 * An entry is forgotten after `maxAgeMs` (a week), so a role whose MaxSessionDuration an admin raised gets the
 * longer session again after one extra STS round trip; at most MAX_ENTRIES roles are kept (the oldest go first).
 *
 * The area is read once per instance and kept in memory after that (the background makes one instance and is the
 * area's only writer): a sign-in's STS call does not wait for a storage round trip, which takes tens of
 * milliseconds while the browser is busy loading the page AWS answered the sign-in with.
 */
import type { DurationMemory } from './sts';

export const DURATION_MEMORY_KEY = 'stsDurationMemory';
export const DURATION_MEMORY_MAX_AGE_MS = 7 * 24 * 3600_000;
export const MAX_ENTRIES = 500;

/** The part of `browser.storage.local` this needs. */
export interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

interface Entry {
  seconds: number;
  at: number;
}

export function createDurationMemory(
  area: StorageAreaLike,
  options: { now?: () => number; maxAgeMs?: number } = {},
): DurationMemory {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DURATION_MEMORY_MAX_AGE_MS;
  // Writes of a bulk sync arrive together; chain them so none overwrites another's read-modify-write.
  let writes: Promise<void> = Promise.resolve();

  let kept: Promise<Record<string, Entry>> | undefined;
  const read = (): Promise<Record<string, Entry>> => {
    // A failed read is tried again next time rather than kept.
    kept ??= readArea().catch((error: unknown) => {
      kept = undefined;
      throw error;
    });
    return kept;
  };

  const readArea = async (): Promise<Record<string, Entry>> => {
    const stored = (await area.get(DURATION_MEMORY_KEY))[DURATION_MEMORY_KEY];
    const entries: Record<string, Entry> = {};
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return entries;
    for (const [arn, value] of Object.entries(stored as Record<string, unknown>)) {
      const e = value as Partial<Entry> | null;
      if (e && Number.isInteger(e.seconds) && (e.seconds as number) >= 0 && (e.seconds as number) <= 43_200 && Number.isFinite(e.at)) {
        entries[arn] = { seconds: e.seconds as number, at: e.at as number };
      }
    }
    return entries;
  };

  return {
    async get(roleArn) {
      const entry = (await read())[roleArn];
      if (!entry || now() - entry.at > maxAgeMs) return undefined;
      return entry.seconds;
    },
    set(roleArn, seconds) {
      const write = writes.then(async () => {
        const entries = await read();
        entries[roleArn] = { seconds, at: now() };
        const newest = Object.fromEntries(
          Object.entries(entries)
            .filter(([, e]) => now() - e.at <= maxAgeMs)
            .sort((a, b) => b[1].at - a[1].at)
            .slice(0, MAX_ENTRIES),
        );
        kept = Promise.resolve(newest);
        await area.set({ [DURATION_MEMORY_KEY]: newest });
      });
      writes = write.catch(() => undefined);
      return write;
    },
  };
}
