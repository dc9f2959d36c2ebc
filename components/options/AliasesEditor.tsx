import { t } from '@/i18n/translate';
import { ACCOUNT_ID, follows } from '@/utils/aws-names';
import type { OptionsStore } from '../options-store';
import { Field } from './Field';
import { RowEditor } from './RowEditor';

/** Account id -> name, shown in the popup and used by the {alias} placeholder. */
export function AliasesEditor({ store }: { store: OptionsStore }) {
  if (!store.draft.value) return null;
  return (
    <RowEditor
      titleId="aliases-title"
      title={t('options.aliases.title')}
      help={t('options.aliases.help')}
      rowName={t('options.aliases.row')}
      rowClass="alias"
      rows={store.aliases}
      nameOf={(a) => a.name}
      addLabel={t('options.aliases.add')}
      fields={({ row: a, which, change }) => {
        const accountId = a.accountId.trim();
        const badId = accountId !== '' && !follows(ACCOUNT_ID, accountId);
        return (
          <>
            <Field
              label={t('options.aliases.accountId')}
              srSuffix={which}
              mono
              inputMode="numeric"
              value={a.accountId}
              placeholder="111222333444"
              help={badId ? <span class="field-error">{t('options.aliases.badAccountId')}</span> : undefined}
              onInput={(v) => change({ accountId: v })}
            />
            <Field label={t('options.aliases.name')} srSuffix={which} value={a.name} placeholder="sandbox" onInput={(v) => change({ name: v })} />
          </>
        );
      }}
    />
  );
}
