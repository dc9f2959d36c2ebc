/**
 * WXT's fake browser leaves webRequest unmocked; this is the smallest event object with the browser's
 * addListener/removeListener/hasListener shape plus `trigger`, installed in its place for background tests.
 */
type Listener<A extends unknown[]> = (...args: A) => unknown;

export interface TestEvent<A extends unknown[]> {
  addListener(listener: Listener<A>, ...extra: unknown[]): void;
  removeListener(listener: Listener<A>): void;
  hasListener(listener: Listener<A>): boolean;
  hasListeners(): boolean;
  /** Calls every listener, awaiting what they return. */
  trigger(...args: A): Promise<unknown[]>;
  /** Extra arguments each listener was registered with (filters, extraInfoSpec). */
  registrations: { listener: Listener<A>; extra: unknown[] }[];
}

export function createTestEvent<A extends unknown[]>(): TestEvent<A> {
  const registrations: { listener: Listener<A>; extra: unknown[] }[] = [];
  return {
    registrations,
    addListener(listener, ...extra) {
      registrations.push({ listener, extra });
    },
    removeListener(listener) {
      const i = registrations.findIndex((r) => r.listener === listener);
      if (i >= 0) registrations.splice(i, 1);
    },
    hasListener: (listener) => registrations.some((r) => r.listener === listener),
    hasListeners: () => registrations.length > 0,
    trigger: (...args) => Promise.all(registrations.map((r) => r.listener(...args))),
  };
}
