/**
 * What the popup's store pieces (and the options page's store) share: how they reach the background, the notice a
 * button leaves behind, and how an error becomes the one sentence a person reads.
 */
import type { ReadonlySignal } from '@preact/signals';
import { t } from '@/i18n/translate';
import { RequestError, type PopupState, type SendMessage } from '@/utils/messages';

export interface MessageSource {
  addListener(listener: (message: unknown) => void): void;
  removeListener(listener: (message: unknown) => void): void;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export function errorSentence(error: unknown): string {
  // The background words its own errors; only its silence is worded here.
  if (error instanceof RequestError && error.causeName === 'NoAnswer') return t('common.noAnswer');
  if (error instanceof Error && error.message) return error.message;
  return t('common.popupError');
}

/** What each piece of the popup store gets from the one that holds the background's state. */
export interface StateAccess {
  send: SendMessage;
  /** The background's state as last received (the one copy the popup has). */
  state: ReadonlySignal<PopupState | undefined>;
  /** Replaces part of it with what the background just answered. */
  patch: (change: (state: PopupState) => PopupState) => void;
  /** Asks the background for its whole state again. */
  load: () => Promise<void>;
  /** A sentence about the popup as a whole (the state could not be read, an action failed). */
  setLoadError: (sentence: string) => void;
  /** The shared clock every countdown reads: set to now. */
  refreshClock: () => void;
  /** Lets a piece see each new state just before it is shown (to drop what it no longer needs to say). */
  onState: (listener: (next: PopupState, before: PopupState | undefined) => void) => void;
}
