/**
 * The catalogues hold together: locales/en.yml and locales/zh_CN.yml have the same keys with the same {placeholders},
 * every key the code names is in them, and every key in them is named somewhere in the code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromeMessages, LOCALES } from '../support/message-catalogue';

const ROOT = process.cwd();
const SOURCE_DIRS = ['components', 'entrypoints', 'i18n', 'utils'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** The extension's code, and its WXT config (where the manifest names __MSG_extension_name__). */
const code = [...SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d))), join(ROOT, 'wxt.config.ts')].map((f) => readFileSync(f, 'utf8')).join('\n');

const placeholders = (message: string) => [...new Set(message.match(/\{\w+\}/g) ?? [])].sort();

/** messages.json names ("popup_role_sync") back to the code's keys ("popup.role.sync"). */
const codeKey = (name: string) => name.replaceAll('_', '.');

describe('message catalogues', () => {
  it('have the same keys and the same placeholders per key in every locale', async () => {
    const [en, ...others] = await Promise.all(LOCALES.map((l) => chromeMessages(l)));
    for (const other of others) {
      expect(Object.keys(other!).sort()).toEqual(Object.keys(en!).sort());
      for (const [name, { message }] of Object.entries(en!)) {
        expect({ name, placeholders: placeholders(other![name]!.message) }).toEqual({ name, placeholders: placeholders(message) });
      }
    }
  });

  it('hold no empty sentence', async () => {
    for (const locale of LOCALES) {
      for (const [name, { message }] of Object.entries(await chromeMessages(locale))) expect({ name, message: message.trim() }).not.toEqual({ name, message: '' });
    }
  });

  it('hold every key the code names, and no key the code does not name', async () => {
    const names = Object.keys(await chromeMessages('en'));
    const keys = new Set(names.map(codeKey));
    // A key in the code: the first argument of t(), localized() or `key:`, as a quoted dotted name.
    const used = [...code.matchAll(/(?:\bt\(|\blocalized\(|\bkey: )'([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)].map((m) => m[1]!);
    expect(used.filter((k) => !keys.has(k))).toEqual([]);
    const unused = names.filter((name) => !code.includes(`'${codeKey(name)}'`) && !code.includes(`__MSG_${name}__`));
    expect(unused).toEqual([]);
  });
});
