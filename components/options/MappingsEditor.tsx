import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { Checkbox, Field } from './Field';
import { REGION_LIST_ID } from './RegionList';

const ROLE_LIST_ID = 'known-role-arns';

/** Role ARN -> profile name, region, session length and auto-sync, one row per role. */
export function MappingsEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  const known = store.knownRoleArns.value;
  return (
    <section aria-labelledby="mappings-title">
      <h2 id="mappings-title">{t('options.mappings.title')}</h2>
      <p class="section-help">
        {t('options.mappings.help')}
      </p>
      {known.length > 0 && (
        <datalist id={ROLE_LIST_ID}>
          {known.map((arn) => (
            <option key={arn} value={arn} />
          ))}
        </datalist>
      )}
      <ul class="rows">
        {d.mappings.map((m, i) => {
          const which = t('options.srRow', { row: t('options.mappings.row'), number: i + 1 });
          return (
            <li key={m.key} class="row mapping">
              <Field
                label={t('options.mappings.roleArn')}
                srSuffix={which}
                mono
                value={m.roleArn}
                list={known.length > 0 ? ROLE_LIST_ID : undefined}
                placeholder="arn:aws:iam::111222333444:role/saml-init"
                onInput={(v) => store.mappings.change(m.key, { roleArn: v })}
              />
              <Field label={t('options.mappings.profileName')} srSuffix={which} mono value={m.profile} placeholder="sts-temp" onInput={(v) => store.mappings.change(m.key, { profile: v })} />
              <Field label={t('options.mappings.region')} srSuffix={which} value={m.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || t('options.mappings.regionDefault')} onInput={(v) => store.mappings.change(m.key, { region: v })} />
              <Field
                label={t('options.mappings.duration')}
                srSuffix={which}
                type="number"
                inputMode="numeric"
                min={900}
                max={43200}
                value={m.durationSeconds}
                placeholder={d.maxSessionSeconds || '43200'}
                onInput={(v) => store.mappings.change(m.key, { durationSeconds: v })}
              />
              <Checkbox label={t('options.mappings.autoSync')} srSuffix={which} checked={m.autoSync} onChange={(v) => store.mappings.change(m.key, { autoSync: v })} />
              <Checkbox
                label={t('options.mappings.servedOnDemand')}
                srSuffix={which}
                checked={m.servedOnDemand}
                onChange={(v) => store.mappings.change(m.key, { servedOnDemand: v })}
              />
              <button type="button" class="danger" onClick={() => store.mappings.remove(m.key)}>
                {t('common.remove')}
                <span class="sr-only">
                  {m.profile
                    ? t('options.srRemoveNamedRow', { row: t('options.mappings.row'), number: i + 1, name: m.profile })
                    : t('options.srRemoveRow', { row: t('options.mappings.row'), number: i + 1 })}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {d.mappings.length === 0 && <p class="subtle">{t('options.mappings.none')}</p>}
      <button type="button" onClick={() => store.mappings.add()}>
        {t('options.mappings.add')}
      </button>
    </section>
  );
}
