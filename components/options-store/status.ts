/**
 * The save bar's sentence (what the last action did, or why it failed) and the busy flag while an action runs:
 * one of each for the whole page.
 */
import { signal } from '@preact/signals';
import { errorSentence, type Notice } from '../popup-store';

export function createStatus() {
  const notice = signal<Notice | undefined>(undefined);
  const busy = signal(false);

  function fail(error: unknown): void {
    notice.value = { kind: 'error', text: errorSentence(error) };
  }

  /** Runs one action with the page busy; a failure becomes the sentence, and the action answers false. */
  async function run(action: () => Promise<boolean>): Promise<boolean> {
    busy.value = true;
    try {
      return await action();
    } catch (error) {
      fail(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** An edit makes an earlier "Saved." untrue; an error stays until the person acts on it. */
  function clearOk(): void {
    if (notice.value?.kind === 'ok') notice.value = undefined;
  }

  return { notice, busy, fail, run, clearOk };
}

export type Status = ReturnType<typeof createStatus>;
