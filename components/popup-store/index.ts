/**
 * The popup's state and actions. Components read these signals and call these actions; only this store talks to
 * the background, and only through the injected `send` (so tests hand in a fake). No browser API in here but the
 * message catalogue, through i18n/translate.ts. Each piece holds one thing:
 * - background-state.ts: the background's state (the one copy) and the clock;
 * - roles.ts: the sign-in's roles, their profile names and "Sync";
 * - profiles.ts: the managed profiles and their actions;
 * - host-banner.ts: the helper missing or failing;
 * - sign-in.ts: opening the sign-in page, answering a sign-in from another origin.
 */
import type { SendMessage } from '@/utils/messages';
import { createBackgroundState } from './background-state';
import { createHostBanner } from './host-banner';
import { createProfiles } from './profiles';
import { createRoles } from './roles';
import type { MessageSource } from './shared';
import { createSignIn } from './sign-in';

export { HOST_DOCTOR_COMMAND, HOST_INSTALL_COMMAND } from './host-banner';
export { profileTree, type ProfileNode } from './profiles';
export { FILTER_THRESHOLD, profileNameProblem, type AccountGroupData } from './roles';
export { errorSentence, type MessageSource, type Notice } from './shared';

export interface PopupDeps {
  /** `browser.runtime.sendMessage` in the extension, a fake background in tests. */
  send: SendMessage;
  /** Where `state-changed` events arrive from (`browser.runtime.onMessage`). */
  events?: MessageSource;
  /** `navigator.clipboard.writeText`. */
  writeClipboard: (text: string) => Promise<void>;
  now?: () => number;
  /** Opens the options page. */
  openOptions?: () => void;
  /** Closes the popup (after opening the sign-in page in a tab). */
  close?: () => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function createPopupStore(deps: PopupDeps) {
  const background = createBackgroundState({
    send: deps.send,
    events: deps.events,
    now: deps.now ?? (() => Date.now()),
    setTimer: deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
    clearTimer: deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
  });

  return {
    state: background.state,
    loadError: background.loadError,
    clock: background.clock,
    load: background.load,
    applyState: background.applyState,
    start: background.start,
    stop: background.stop,
    ...createRoles(background.access),
    ...createProfiles(background.access, deps.writeClipboard),
    ...createHostBanner(background.access, deps.writeClipboard),
    ...createSignIn(background.access, deps.close),
    openOptions: () => deps.openOptions?.(),
  };
}

export type PopupStore = ReturnType<typeof createPopupStore>;
