/**
 * What a person reads for an error a test provoked: the catalogue sentence (English in tests, see
 * english-catalogue-setup.ts) for an error written for people, the message of any other.
 */
import { errorSentence } from '@/i18n/translate';
import { PublicError } from '@/utils/public-error';

function sentenceOf(error: unknown): string {
  return error instanceof PublicError ? errorSentence(error) : (error as Error).message;
}

/** The sentence of what `run` throws; fails when it throws nothing. */
export function thrownSentence(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return sentenceOf(error);
  }
  throw new Error('expected it to throw');
}

/** The sentence `promise` rejects with; fails when it resolves. */
export async function rejectionSentence(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => {
      throw new Error('expected it to reject');
    },
    sentenceOf,
  );
}
