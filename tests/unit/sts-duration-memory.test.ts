/**
 * The per-role memory of which DurationSeconds STS accepted, in WXT's fake storage.local: one key, no secrets,
 * forgets after a week, survives a bulk sync's concurrent writes and junk in storage.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDurationMemory, DURATION_MEMORY_KEY, DURATION_MEMORY_MAX_AGE_MS, MAX_ENTRIES } from '../../utils/sts-duration-memory';

const A = 'arn:aws:iam::123456789012:role/Developer';
const B = 'arn:aws-us-gov:iam::123456789012:role/team/app/Deployer';

describe('createDurationMemory', () => {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const clock = () => now;

  beforeEach(() => {
    fakeBrowser.reset();
    now = Date.parse('2026-03-01T12:00:00Z');
  });

  it('remembers per role ARN, under one storage.local key holding only ARNs, seconds and times', async () => {
    const memory = createDurationMemory(fakeBrowser.storage.local, { now: clock });
    expect(await memory.get(A)).toBeUndefined();
    await memory.set(A, 3600);
    await memory.set(B, 0);
    expect(await memory.get(A)).toBe(3600);
    expect(await memory.get(B)).toBe(0);
    const all = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(all)).toEqual([DURATION_MEMORY_KEY]);
    expect(all[DURATION_MEMORY_KEY]).toEqual({ [A]: { seconds: 3600, at: now }, [B]: { seconds: 0, at: now } });
  });

  it('is shared by every instance over the same area (a restarted service worker)', async () => {
    await createDurationMemory(fakeBrowser.storage.local, { now: clock }).set(A, 3600);
    expect(await createDurationMemory(fakeBrowser.storage.local, { now: clock }).get(A)).toBe(3600);
  });

  it('forgets an entry after a week, so a raised MaxSessionDuration is found again', async () => {
    const memory = createDurationMemory(fakeBrowser.storage.local, { now: clock });
    await memory.set(A, 3600);
    now += DURATION_MEMORY_MAX_AGE_MS;
    expect(await memory.get(A)).toBe(3600);
    now += 1;
    expect(await memory.get(A)).toBeUndefined();
    await memory.set(B, 3600); // writing prunes the stale entry
    expect(Object.keys((await fakeBrowser.storage.local.get(DURATION_MEMORY_KEY))[DURATION_MEMORY_KEY] as object)).toEqual([B]);
  });

  it('keeps every write of a 50-role bulk sync that lands at once', async () => {
    const memory = createDurationMemory(fakeBrowser.storage.local, { now: clock });
    const arns = Array.from({ length: 50 }, (_, i) => `arn:aws:iam::123456789012:role/Role${i}`);
    await Promise.all(arns.map((arn, i) => memory.set(arn, i % 2 ? 3600 : 0)));
    expect(await Promise.all(arns.map((arn) => memory.get(arn)))).toEqual(arns.map((_, i) => (i % 2 ? 3600 : 0)));
  });

  it('keeps the newest MAX_ENTRIES roles', async () => {
    const memory = createDurationMemory(fakeBrowser.storage.local, { now: clock });
    for (let i = 0; i <= MAX_ENTRIES; i++) {
      now += 1;
      await memory.set(`arn:aws:iam::123456789012:role/R${i}`, 3600);
    }
    expect(await memory.get('arn:aws:iam::123456789012:role/R0')).toBeUndefined();
    expect(await memory.get(`arn:aws:iam::123456789012:role/R${MAX_ENTRIES}`)).toBe(3600);
  });

  it('ignores junk in storage instead of failing a sign-in', async () => {
    for (const junk of ['x', [1, 2], { [A]: { seconds: 'long', at: 1 } }, { [A]: { seconds: 99_999, at: now } }, { [A]: null }]) {
      await fakeBrowser.storage.local.set({ [DURATION_MEMORY_KEY]: junk });
      const memory = createDurationMemory(fakeBrowser.storage.local, { now: clock });
      expect(await memory.get(A)).toBeUndefined();
      await memory.set(A, 3600);
      expect(await memory.get(A)).toBe(3600);
    }
  });

  it('reads storage once, so a sign-in does not wait for it again; a failed read is tried again', async () => {
    await createDurationMemory(fakeBrowser.storage.local, { now: clock }).set(A, 3600);
    let reads = 0;
    let failNext = true;
    const area = {
      get: async (key: string) => {
        reads++;
        if (failNext) {
          failNext = false;
          throw new Error('storage is not available');
        }
        return fakeBrowser.storage.local.get(key);
      },
      set: (items: Record<string, unknown>) => fakeBrowser.storage.local.set(items),
    };
    const memory = createDurationMemory(area, { now: clock });
    await expect(memory.get(A)).rejects.toThrow('storage is not available');
    expect(await memory.get(A)).toBe(3600);
    expect(await memory.get(B)).toBeUndefined();
    await memory.set(B, 0);
    expect(await memory.get(B)).toBe(0);
    expect(reads).toBe(2);
    // What it wrote is in storage for the next service worker.
    expect(await createDurationMemory(fakeBrowser.storage.local, { now: clock }).get(B)).toBe(0);
  });
});
