/**
 * A scripted stand-in for the extension's background, installed into one extension page (popup.html, options.html)
 * with Playwright's `addInitScript`, before the page's own code runs. It answers the page's requests
 * (utils/messages.ts envelopes) from a scenario, so the screenshot test can show states that need STS, the native
 * host or a request in flight (syncing, a failed sync, the host missing) without them. Only that page is affected:
 * the real background keeps running and other pages still talk to it.
 *
 * The function below is serialised into the page: it must not use anything from its module scope.
 */
import type { HostStatus, PopupState } from '../../utils/messages';
import type { Settings } from '../../utils/settings';

export interface PageBackgroundScenario {
  state: PopupState;
  /** hold: syncRole stays pending until `__uiFake.release()`; ok/error: answer at once. */
  syncRole?: { mode: 'hold' | 'ok' | 'error'; expiration?: string; error?: string };
  /** copyEnv answers this text (the page must not show it). */
  copyEnvText?: string;
  checkHost?: HostStatus;
  /** saveSettings: store and echo what it gets, or refuse with this sentence. */
  saveError?: string;
  exportJson?: string;
}

/** What a test can reach in the page as `window.__uiFake`. */
export interface PageBackgroundHandle {
  calls: { type: string; body: unknown }[];
  release(): void;
  emit(state: PopupState): void;
}

/**
 * The init script for `page.addInitScript({ content })`: the function's source and its scenario. Prefixed with a
 * no-op `__name` because some transpilers (tsx/esbuild's keepNames) wrap functions in calls to it.
 */
export function pageBackgroundScript(scenario: PageBackgroundScenario): string {
  return `var __name = (f) => f;\n(${installPageBackground.toString()})(${JSON.stringify(scenario)});`;
}

export function installPageBackground(scenario: PageBackgroundScenario): void {
  type Envelope = { kind: string; type: string; body: Record<string, unknown> };
  type Listener = (message: unknown, ...rest: unknown[]) => unknown;
  const g = globalThis as unknown as {
    chrome?: { runtime?: Record<string, unknown> };
    browser?: { runtime?: Record<string, unknown> };
    __uiFake?: PageBackgroundHandle;
  };
  const runtime = g.chrome?.runtime;
  if (!runtime || !location.protocol.endsWith('-extension:')) return;

  let settings: Settings = scenario.state.settings;
  const held: (() => void)[] = [];
  const listeners: Listener[] = [];
  const handle: PageBackgroundHandle = {
    calls: [],
    release() {
      for (const resolve of held.splice(0)) resolve();
    },
    emit(state) {
      for (const l of listeners) l({ kind: 'event', type: 'state-changed', state });
    },
  };
  g.__uiFake = handle;

  const ok = (body: unknown) => ({ ok: true, body });
  const fail = (message: string, name = 'FakeBackground') => ({ ok: false, error: { name, message } });

  async function answer(m: Envelope): Promise<unknown> {
    handle.calls.push({ type: m.type, body: m.body });
    switch (m.type) {
      case 'getState':
        return ok({ ...scenario.state, settings });
      case 'syncRole': {
        const { roleArn, profile } = m.body as { roleArn: string; profile: string };
        const plan = scenario.syncRole ?? { mode: 'ok' };
        if (plan.mode === 'hold') await new Promise<void>((resolve) => held.push(resolve));
        if (plan.mode === 'error') return ok({ roleArn, profile, status: 'error', error: plan.error ?? 'The sync failed.' });
        const expiration = plan.expiration ?? new Date(Date.now() + 3600_000).toISOString();
        return ok({ roleArn, profile, status: 'ok', expiration, copyAvailable: true });
      }
      case 'copyEnv':
        return scenario.copyEnvText ? ok({ text: scenario.copyEnvText }) : fail('Nothing to copy for that profile; sync it first.');
      case 'checkHost':
        return ok(scenario.checkHost ?? scenario.state.host);
      case 'openSignIn':
        return ok({ opened: false });
      case 'saveSettings':
        if (scenario.saveError) return fail(scenario.saveError, 'SettingsError');
        settings = m.body.settings as Settings;
        return ok(settings);
      case 'exportSettings':
        return ok({ json: scenario.exportJson ?? JSON.stringify(settings, null, 2) });
      default:
        return fail(`The page background stand-in has no answer for ${m.type}.`);
    }
  }

  const sendMessage = (message: unknown): Promise<unknown> => {
    const m = message as Envelope;
    if (m && m.kind === 'request') return answer(m);
    return Promise.resolve(undefined);
  };
  // Both namespaces where they differ (WXT's `browser` is globalThis.browser when it exists, else chrome).
  const patched = new Set<object>();
  for (const ns of [g.chrome?.runtime, g.browser?.runtime] as (Record<string, unknown> | undefined)[]) {
    if (!ns || patched.has(ns)) continue;
    patched.add(ns);
    Object.defineProperty(ns, 'sendMessage', { value: sendMessage, configurable: true, writable: true });
    const onMessage = ns.onMessage as { addListener(l: Listener): void } | undefined;
    if (!onMessage || patched.has(onMessage)) continue;
    patched.add(onMessage);
    const addListener = onMessage.addListener.bind(onMessage);
    // Keep the real registration; also remember the listener so the test can emit state-changed events.
    Object.defineProperty(onMessage, 'addListener', {
      configurable: true,
      writable: true,
      value: (l: Listener) => {
        listeners.push(l);
        addListener(l);
      },
    });
  }
}
