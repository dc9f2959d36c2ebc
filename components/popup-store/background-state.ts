/**
 * The background's state as the popup shows it: one copy, replaced by every `state-changed` event and every
 * getState answer, and the clock that makes countdowns tick while the popup is open.
 */
import { batch, signal } from '@preact/signals';
import { nextTickDelay } from '@/utils/format-time';
import { isStateChangedEvent, request, type PopupState, type SendMessage } from '@/utils/messages';
import { errorSentence, type MessageSource, type StateAccess } from './shared';

export interface BackgroundStateDeps {
  send: SendMessage;
  events?: MessageSource;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export function createBackgroundState(deps: BackgroundStateDeps) {
  const state = signal<PopupState | undefined>(undefined);
  const loadError = signal<string | undefined>(undefined);
  const clock = signal(deps.now());
  /** Called with each new state before it is shown (StateAccess.onState). */
  const onState: ((next: PopupState, before: PopupState | undefined) => void)[] = [];

  function refreshClock(): void {
    clock.value = deps.now();
  }

  function applyState(next: PopupState): void {
    batch(() => {
      for (const listener of onState) listener(next, state.value);
      state.value = next;
      loadError.value = undefined;
      refreshClock();
    });
  }

  async function load(): Promise<void> {
    try {
      applyState(await request(deps.send, 'getState', {}));
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  const access: StateAccess = {
    send: deps.send,
    state,
    patch: (change) => {
      if (state.value) state.value = change(state.value);
    },
    load,
    setLoadError: (sentence) => void (loadError.value = sentence),
    refreshClock,
    onState: (listener) => void onState.push(listener),
  };

  let timer: unknown;
  let listening = false;
  const onMessage = (message: unknown): void => {
    if (isStateChangedEvent(message)) applyState(message.state);
  };

  function tick(): void {
    refreshClock();
    // The next tick falls on the next minute change of an expiry on screen.
    const onScreen = [
      ...(state.value?.profiles.map((p) => p.expiration) ?? []),
      ...Object.values(state.value?.roleSync ?? {}).map((r) => r.expiration),
    ];
    timer = deps.setTimer(tick, nextTickDelay(onScreen, clock.value) ?? 15_000);
  }

  /** Load the state, listen for changes, run the clock. Returns the function that stops all of it. */
  function start(): () => void {
    if (deps.events && !listening) {
      deps.events.addListener(onMessage);
      listening = true;
    }
    tick();
    void load();
    return stop;
  }

  function stop(): void {
    if (timer !== undefined) deps.clearTimer(timer);
    timer = undefined;
    if (listening) deps.events?.removeListener(onMessage);
    listening = false;
  }

  return {
    state,
    loadError,
    clock,
    access,
    load,
    applyState,
    start,
    stop,
  };
}
