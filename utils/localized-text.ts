/**
 * A sentence for people as data: the catalogue key (locales/en.yml) and the values of its {placeholders}. Pure
 * modules return these; the edge (components, background) turns them into the UI language's words with
 * `translate` in i18n/translate.ts.
 */
import type { GeneratedI18nStructure } from '#i18n';

/** Every key of the catalogues, without the browser's own `@@` ones. */
export type MessageKey = Exclude<keyof GeneratedI18nStructure, `@@${string}`>;

/** Values of the placeholders: plain values, or a sentence of its own (worded in the same language). */
export type MessageParams = Readonly<Record<string, string | number | LocalizedText>>;

export interface LocalizedText {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export function localized(key: MessageKey, params?: MessageParams): LocalizedText {
  return params ? { key, params } : { key };
}
