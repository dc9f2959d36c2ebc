/** The sign-in itself: open the sign-in page in a tab, and answer "use sign-ins from <host>?". */
import { request } from '@/utils/messages';
import { errorSentence, type StateAccess } from './shared';

export function createSignIn(background: StateAccess, close?: () => void) {
  async function openSignIn(): Promise<void> {
    try {
      const { opened } = await request(background.send, 'openSignIn', {});
      if (opened) close?.();
    } catch (error) {
      background.setLoadError(errorSentence(error));
    }
  }

  /** The person's answer to "This sign-in came from <host>: use sign-ins from there?". */
  async function answerSignIn(trust: boolean): Promise<void> {
    const pending = background.state.value?.pendingSignIn;
    if (!pending) return;
    try {
      await request(background.send, 'answerPendingSignIn', { origin: pending.origin, trust });
      await background.load();
    } catch (error) {
      background.setLoadError(errorSentence(error));
    }
  }

  return { openSignIn, answerSignIn };
}
