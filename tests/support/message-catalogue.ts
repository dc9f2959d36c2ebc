/**
 * The catalogues as the built extension gets them (locales/*.yml through @wxt-dev/i18n's own build functions), and
 * a `browser.i18n` for WXT's fake browser that answers from one of them: the fake has no i18n of its own.
 */
import { join } from 'node:path';
import { generateChromeMessages, parseMessagesFile, type ChromeMessage } from '@wxt-dev/i18n/build';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const LOCALES = ['en', 'zh_CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** The repository's root is where vitest runs (a happy-dom test has no file: URL of its own). */
export const LOCALES_DIR = join(process.cwd(), 'locales');

/** messages.json of one locale: message name ("popup_role_sync") -> its message. */
export async function chromeMessages(locale: Locale): Promise<Record<string, ChromeMessage>> {
  return generateChromeMessages(await parseMessagesFile(join(LOCALES_DIR, `${locale}.yml`)));
}

const UI_LANGUAGE: Record<Locale, string> = { en: 'en-US', zh_CN: 'zh-CN' };

/**
 * Makes `browser.i18n` answer in `locale`, the way the browser does: the UI locale's message, else the default
 * (en) one, else "". Positional $1–$9 substitutions and `$$` as in Chrome; named {placeholders} are @wxt-dev/i18n's.
 */
export async function useCatalogue(locale: Locale): Promise<void> {
  const [chosen, fallback] = await Promise.all([chromeMessages(locale), chromeMessages('en')]);
  const i18n = fakeBrowser.i18n as unknown as {
    getMessage: (name: string, substitutions?: string | string[]) => string;
    getUILanguage: () => string;
  };
  i18n.getMessage = (name, substitutions) => {
    const message = (chosen[name] ?? fallback[name])?.message ?? '';
    const subs = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
    return message.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (subs[Number(which) - 1] ?? '')));
  };
  i18n.getUILanguage = () => UI_LANGUAGE[locale];
}
