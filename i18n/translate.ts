/**
 * The one place the extension turns catalogue keys into the words of the browser's UI language (locales/*.yml,
 * built into _locales/*\/messages.json by @wxt-dev/i18n). Components and the background call these; utils/ return
 * `LocalizedText` and stay free of browser APIs.
 */
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { LocalizedText, MessageKey, MessageParams } from '@/utils/localized-text';
import { PublicError } from '@/utils/public-error';

/** The typed `t` of @wxt-dev/i18n: a key and, when its sentence has {placeholders}, their values. */
export const t = i18n.t;

/** `t` for a key known only at run time (a sentence a pure module chose). */
const untypedT = i18n.t as unknown as (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export function translate(text: LocalizedText): string {
  if (!text.params) return untypedT(text.key);
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.params as MessageParams)) params[name] = typeof value === 'object' ? translate(value) : value;
  return untypedT(text.key, params);
}

/** The browser's UI language ("en-US", "zh-CN"), for Intl formatting of times and durations. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}

/** Host error codes (PROTOCOL.md) whose sentence the catalogues hold; any other keeps the host's own English. */
const HOST_ERROR_KEYS: Readonly<Record<string, MessageKey>> = {
  NeedsConfirmation: 'hostError.NeedsConfirmation',
  Locked: 'hostError.Locked',
  PermissionDenied: 'hostError.PermissionDenied',
  ReadOnly: 'hostError.ReadOnly',
  DiskFull: 'hostError.DiskFull',
  NotAFile: 'hostError.NotAFile',
  Internal: 'hostError.Internal',
  Timeout: 'hostError.Timeout',
  BadReply: 'hostError.BadReply',
  HostNotInstalled: 'hostError.HostNotInstalled',
  HostExited: 'hostError.HostExited',
};

/**
 * The helper's error code name of a HostError (utils/native-client.ts), the one PublicError that carries one. Read
 * from the error, not by `instanceof HostError`: importing that class would bundle the native protocol's schemas
 * (valibot) into every page that only shows words, the popup among them.
 */
function hostErrorName(error: PublicError): string | undefined {
  const name = (error as { errorName?: unknown }).errorName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The one sentence a person sees for an error: the catalogue's for a host error code or a PublicError that carries
 * its key, the error's own (English) sentence for any other PublicError, else the generic one.
 */
export function errorSentence(error: unknown): string {
  if (!(error instanceof PublicError)) return t('common.internalError');
  const hostError = hostErrorName(error);
  if (hostError !== undefined) {
    const key = HOST_ERROR_KEYS[hostError];
    return key ? translate({ key }) : error.message;
  }
  return error.text ? translate(error.text) : error.message;
}

/** A page in the UI language: its `lang` (for fonts and screen readers) and its title. */
export function localizePage(document: Document, title: string): void {
  document.documentElement.lang = uiLanguage();
  document.title = title;
}
