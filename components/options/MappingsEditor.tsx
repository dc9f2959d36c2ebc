import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { Checkbox, Field } from './Field';
import { REGION_LIST_ID } from './RegionList';
import { RowEditor } from './RowEditor';

const ROLE_LIST_ID = 'known-role-arns';

/** Role ARN -> profile name, region, session length and auto-sync, one row per role. */
export function MappingsEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  const known = store.knownRoleArns.value;
  return (
    <RowEditor
      titleId="mappings-title"
      title={t('options.mappings.title')}
      help={t('options.mappings.help')}
      rowName={t('options.mappings.row')}
      rowClass="mapping"
      rows={store.mappings}
      nameOf={(m) => m.profile}
      empty={t('options.mappings.none')}
      addLabel={t('options.mappings.add')}
      fields={({ row: m, which, change }) => (
        <>
          <Field
            label={t('options.mappings.roleArn')}
            srSuffix={which}
            mono
            value={m.roleArn}
            list={known.length > 0 ? ROLE_LIST_ID : undefined}
            placeholder="arn:aws:iam::111222333444:role/saml-init"
            onInput={(v) => change({ roleArn: v })}
          />
          <Field label={t('options.mappings.profileName')} srSuffix={which} mono value={m.profile} placeholder="sts-temp" onInput={(v) => change({ profile: v })} />
          <Field label={t('options.mappings.region')} srSuffix={which} value={m.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || t('options.mappings.regionDefault')} onInput={(v) => change({ region: v })} />
          <Field
            label={t('options.mappings.duration')}
            srSuffix={which}
            type="number"
            inputMode="numeric"
            min={900}
            max={43200}
            value={m.durationSeconds}
            placeholder={d.maxSessionSeconds || '43200'}
            onInput={(v) => change({ durationSeconds: v })}
          />
          <Checkbox label={t('options.mappings.autoSync')} srSuffix={which} checked={m.autoSync} onChange={(v) => change({ autoSync: v })} />
          <Checkbox label={t('options.mappings.servedOnDemand')} srSuffix={which} checked={m.servedOnDemand} onChange={(v) => change({ servedOnDemand: v })} />
        </>
      )}
    >
      {known.length > 0 && (
        <datalist id={ROLE_LIST_ID}>
          {known.map((arn) => (
            <option key={arn} value={arn} />
          ))}
        </datalist>
      )}
    </RowEditor>
  );
}
