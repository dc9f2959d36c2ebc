/**
 * mayReach (entrypoints/background/sync.ts): the host-permission check before any STS request. Once the background
 * has started (keepReachAnswers), the browser's answer is kept, so a sign-in does not wait for it again, and it is
 * forgotten the moment a permission is granted or removed, so a removed grant stops the next request.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { keepReachAnswers, mayReach } from '@/entrypoints/background/sync';

const STS = 'https://sts.eu-central-1.amazonaws.com';
const OTHER = 'https://vpce-0a1b2c3d-abcdefgh.sts.us-east-1.vpce.amazonaws.com';

/** Who listens to the grants: the background registers once per worker (this file is one worker). */
const listeners = { added: [] as (() => void)[], removed: [] as (() => void)[] };

/** permissions.contains and its two events on the fake browser (it has none of its own). */
function fakeGrants(initial: string[]) {
  const granted = new Set(initial);
  const contains = vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o)));
  Object.assign(fakeBrowser.permissions, {
    contains,
    onAdded: { addListener: (l: () => void) => listeners.added.push(l) },
    onRemoved: { addListener: (l: () => void) => listeners.removed.push(l) },
  });
  return {
    contains,
    grant(origin: string) {
      granted.add(origin);
      for (const l of listeners.added) l();
    },
    remove(origin: string) {
      granted.delete(origin);
      for (const l of listeners.removed) l();
    },
  };
}

describe('mayReach', () => {
  let grants: ReturnType<typeof fakeGrants>;
  beforeEach(() => {
    fakeBrowser.reset();
    grants = fakeGrants([`${STS}/*`]);
    // What an earlier test left kept is forgotten, as after a change of the grants.
    for (const l of listeners.removed) l();
  });

  it('asks the browser every time until the background keeps the answers', async () => {
    expect(await mayReach(STS)).toBe(true);
    expect(await mayReach(STS)).toBe(true);
    expect(grants.contains).toHaveBeenCalledTimes(2);
  });

  it('then asks once per host, until a permission is removed or granted', async () => {
    keepReachAnswers();
    expect(await Promise.all([mayReach(STS), mayReach(STS), mayReach(OTHER)])).toEqual([true, true, false]);
    expect(await mayReach(STS)).toBe(true);
    expect(grants.contains).toHaveBeenCalledTimes(2);

    grants.remove(`${STS}/*`);
    expect(await mayReach(STS)).toBe(false);
    grants.grant(`${OTHER}/*`);
    expect(await mayReach(OTHER)).toBe(true);
    expect(await mayReach(STS)).toBe(false);
    expect(grants.contains).toHaveBeenCalledTimes(5);
  });

  it('asks again after the browser failed to answer, and never reaches a URL that is not an STS endpoint', async () => {
    keepReachAnswers();
    grants.contains.mockRejectedValueOnce(new Error('Extension context invalidated.'));
    await expect(mayReach(STS)).rejects.toThrow('Extension context invalidated.');
    expect(await mayReach(STS)).toBe(true);
    expect(await mayReach('not a url')).toBe(false);
  });
});
