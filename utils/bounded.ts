/**
 * `items.map(fn)` with at most `limit` calls pending, results in input order. A worker pool over an index is all a
 * bounded bulk call needs (p-limit would do the same with a queue). Pure.
 */
export async function mapBounded<T, U>(items: readonly T[], limit: number, fn: (item: T) => Promise<U>): Promise<U[]> {
  const results = new Array<U>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
