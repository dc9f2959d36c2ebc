import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { Field } from './Field';

/** Account id -> name, shown in the popup and used by the {alias} placeholder. */
export function AliasesEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  return (
    <section aria-labelledby="aliases-title">
      <h2 id="aliases-title">{t('options.aliases.title')}</h2>
      <p class="section-help">
        {t('options.aliases.help')}
      </p>
      <ul class="rows">
        {d.aliases.map((a, i) => {
          const which = t('options.srRow', { row: t('options.aliases.row'), number: i + 1 });
          const badId = a.accountId.trim() !== '' && !/^\d{12}$/.test(a.accountId.trim());
          return (
            <li key={a.key} class="row alias">
              <Field
                label={t('options.aliases.accountId')}
                srSuffix={which}
                mono
                inputMode="numeric"
                value={a.accountId}
                placeholder="111222333444"
                help={badId ? <span class="field-error">{t('options.aliases.badAccountId')}</span> : undefined}
                onInput={(v) => store.aliases.change(a.key, { accountId: v })}
              />
              <Field label={t('options.aliases.name')} srSuffix={which} value={a.name} placeholder="sandbox" onInput={(v) => store.aliases.change(a.key, { name: v })} />
              <button type="button" class="danger" onClick={() => store.aliases.remove(a.key)}>
                {t('common.remove')}
                <span class="sr-only">
                  {a.name
                    ? t('options.srRemoveNamedRow', { row: t('options.aliases.row'), number: i + 1, name: a.name })
                    : t('options.srRemoveRow', { row: t('options.aliases.row'), number: i + 1 })}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={() => store.aliases.add()}>
        {t('options.aliases.add')}
      </button>
    </section>
  );
}
