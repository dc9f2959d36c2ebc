/** Polling for end-to-end tests, with no browser library behind it: any driver, script or test may use it. */

/** Probe every `everyMs` until it returns something truthy (returned), or fail after `ms` naming `what`. */
export async function waitUntil<T>(probe: () => T | Promise<T>, what: string, ms = 30_000, everyMs = 250): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
