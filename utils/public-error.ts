import type { LocalizedText } from './localized-text';

/**
 * The base of every error written for people: its message is one sentence of what happened and what to do next,
 * free of any secret, so it may cross to the popup, a notification or the options page. Any other error (a bug, a
 * library's own text) is replaced by a generic sentence at the boundary (`errorSentence` in i18n/translate.ts).
 */
export class PublicError extends Error {
  /** The sentence as a catalogue key and its values, for the edge to word in the UI language. */
  readonly text?: LocalizedText;
  /** A catalogue sentence (the message is then its key, for logs), or one already written in English. */
  constructor(sentence: LocalizedText | string) {
    super(typeof sentence === 'string' ? sentence : sentence.key);
    if (typeof sentence !== 'string') this.text = sentence;
  }
}
