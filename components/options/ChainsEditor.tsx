import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { Checkbox, Field } from './Field';
import { REGION_LIST_ID } from './RegionList';

const SOURCE_LIST_ID = 'source-profiles';

/** Profiles that assume another role from a synced profile (source_profile + role_arn). */
export function ChainsEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  const sources = store.sourceProfiles.value;
  return (
    <section aria-labelledby="chains-title">
      <h2 id="chains-title">{t('options.chains.title')}</h2>
      <p class="section-help">
        {t('options.chains.help')}
      </p>
      <datalist id={SOURCE_LIST_ID}>
        {sources.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <ul class="rows">
        {d.chains.map((c, i) => {
          const which = t('options.srRow', { row: t('options.chains.row'), number: i + 1 });
          return (
            <li key={c.key} class="row chain">
              <Field label={t('options.mappings.profileName')} srSuffix={which} mono value={c.profile} placeholder="dev-env" onInput={(v) => store.chains.change(c.key, { profile: v })} />
              <Field
                label={t('options.chains.sourceProfile')}
                srSuffix={which}
                mono
                value={c.sourceProfile}
                list={SOURCE_LIST_ID}
                placeholder={sources[0] ?? 'sts-temp'}
                onInput={(v) => store.chains.change(c.key, { sourceProfile: v })}
              />
              <Field
                label={t('options.mappings.roleArn')}
                srSuffix={which}
                mono
                value={c.roleArn}
                placeholder="arn:aws:iam::888777666555:role/assumed-dev"
                onInput={(v) => store.chains.change(c.key, { roleArn: v })}
              />
              <Field label={t('options.mappings.region')} srSuffix={which} value={c.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || t('options.mappings.regionDefault')} onInput={(v) => store.chains.change(c.key, { region: v })} />
              <button type="button" class="danger" onClick={() => store.chains.remove(c.key)}>
                {t('common.remove')}
                <span class="sr-only">
                  {c.profile
                    ? t('options.srRemoveNamedRow', { row: t('options.chains.row'), number: i + 1, name: c.profile })
                    : t('options.srRemoveRow', { row: t('options.chains.row'), number: i + 1 })}
                </span>
              </button>
              <div class="full">
                <Checkbox
                  label={t('options.chains.resolveNow')}
                  srSuffix={which}
                  checked={c.resolveNow}
                  onChange={(v) => store.chains.change(c.key, { resolveNow: v })}
                />
                {c.resolveNow && (
                  <Checkbox
                    label={t('options.chains.servedOnDemand')}
                    srSuffix={which}
                    checked={c.servedOnDemand}
                    onChange={(v) => store.chains.change(c.key, { servedOnDemand: v })}
                  />
                )}
              </div>
              <details>
                <summary>{t('options.chains.more')}<span class="sr-only">{which}</span></summary>
                <div class="fields">
                  <Field label={t('options.chains.externalId')} srSuffix={which} mono value={c.externalId} onInput={(v) => store.chains.change(c.key, { externalId: v })} />
                  <Field label={t('options.chains.sessionName')} srSuffix={which} mono value={c.roleSessionName} onInput={(v) => store.chains.change(c.key, { roleSessionName: v })} />
                  <Field
                    label={t('options.mappings.duration')}
                    srSuffix={which}
                    type="number"
                    inputMode="numeric"
                    min={900}
                    max={3600}
                    value={c.durationSeconds}
                    help={t('options.chains.durationHelp')}
                    onInput={(v) => store.chains.change(c.key, { durationSeconds: v })}
                  />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      {d.chains.length === 0 && <p class="subtle">{t('options.chains.none')}</p>}
      <button type="button" onClick={() => store.chains.add()}>
        {t('options.chains.add')}
      </button>
    </section>
  );
}
