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
      <h2 id="mappings-title">Profile mappings</h2>
      <p class="section-help">
        Which profile in ~/.aws each role of your sign-in goes to. Syncing a role from the popup adds it here; with
        auto-sync on, every later sign-in refreshes the profile by itself.
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
          const which = `of mapping ${i + 1}`;
          return (
            <li key={m.key} class="row mapping">
              <Field
                label="Role ARN"
                srSuffix={which}
                mono
                value={m.roleArn}
                list={known.length > 0 ? ROLE_LIST_ID : undefined}
                placeholder="arn:aws:iam::111222333444:role/saml-init"
                onInput={(v) => store.mappings.change(m.key, { roleArn: v })}
              />
              <Field label="Profile name" srSuffix={which} mono value={m.profile} placeholder="sts-temp" onInput={(v) => store.mappings.change(m.key, { profile: v })} />
              <Field label="Region" srSuffix={which} value={m.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || 'default'} onInput={(v) => store.mappings.change(m.key, { region: v })} />
              <Field
                label="Duration (s)"
                srSuffix={which}
                type="number"
                inputMode="numeric"
                min={900}
                max={43200}
                value={m.durationSeconds}
                placeholder={d.maxSessionSeconds || '43200'}
                onInput={(v) => store.mappings.change(m.key, { durationSeconds: v })}
              />
              <Checkbox label="Auto-sync" srSuffix={which} checked={m.autoSync} onChange={(v) => store.mappings.change(m.key, { autoSync: v })} />
              <button type="button" class="danger" onClick={() => store.mappings.remove(m.key)}>
                Remove<span class="sr-only"> mapping {i + 1}{m.profile ? ` (${m.profile})` : ''}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {d.mappings.length === 0 && <p class="subtle">No mappings yet: sync a role from the popup, or add one here.</p>}
      <button type="button" onClick={() => store.mappings.add()}>
        Add mapping
      </button>
    </section>
  );
}
