import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { Checkbox, Field } from './Field';
import { REGION_LIST_ID } from './RegionList';
import { RowEditor } from './RowEditor';

const SOURCE_LIST_ID = 'source-profiles';

/** Profiles that assume another role from a synced profile (source_profile + role_arn). */
export function ChainsEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  const sources = store.sourceProfiles.value;
  return (
    <RowEditor
      titleId="chains-title"
      title={t('options.chains.title')}
      help={t('options.chains.help')}
      rowName={t('options.chains.row')}
      rowClass="chain"
      rows={store.chains}
      nameOf={(c) => c.profile}
      empty={t('options.chains.none')}
      addLabel={t('options.chains.add')}
      fields={({ row: c, which, change }) => (
        <>
          <Field label={t('options.mappings.profileName')} srSuffix={which} mono value={c.profile} placeholder="dev-env" onInput={(v) => change({ profile: v })} />
          <Field
            label={t('options.chains.sourceProfile')}
            srSuffix={which}
            mono
            value={c.sourceProfile}
            list={SOURCE_LIST_ID}
            placeholder={sources[0] ?? 'sts-temp'}
            onInput={(v) => change({ sourceProfile: v })}
          />
          <Field
            label={t('options.mappings.roleArn')}
            srSuffix={which}
            mono
            value={c.roleArn}
            placeholder="arn:aws:iam::888777666555:role/assumed-dev"
            onInput={(v) => change({ roleArn: v })}
          />
          <Field label={t('options.mappings.region')} srSuffix={which} value={c.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || t('options.mappings.regionDefault')} onInput={(v) => change({ region: v })} />
        </>
      )}
      below={({ row: c, which, change }) => (
        <>
          <div class="full">
            <Checkbox label={t('options.chains.resolveNow')} srSuffix={which} checked={c.resolveNow} onChange={(v) => change({ resolveNow: v })} />
            {c.resolveNow && (
              <Checkbox label={t('options.chains.servedOnDemand')} srSuffix={which} checked={c.servedOnDemand} onChange={(v) => change({ servedOnDemand: v })} />
            )}
          </div>
          <details>
            <summary>{t('options.chains.more')}<span class="sr-only">{which}</span></summary>
            <div class="fields">
              <Field label={t('options.chains.externalId')} srSuffix={which} mono value={c.externalId} onInput={(v) => change({ externalId: v })} />
              <Field label={t('options.chains.sessionName')} srSuffix={which} mono value={c.roleSessionName} onInput={(v) => change({ roleSessionName: v })} />
              <Field
                label={t('options.mappings.duration')}
                srSuffix={which}
                type="number"
                inputMode="numeric"
                min={900}
                max={3600}
                value={c.durationSeconds}
                help={t('options.chains.durationHelp')}
                onInput={(v) => change({ durationSeconds: v })}
              />
            </div>
          </details>
        </>
      )}
    >
      <datalist id={SOURCE_LIST_ID}>
        {sources.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
    </RowEditor>
  );
}
