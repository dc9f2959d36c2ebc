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
      <h2 id="chains-title">Chained profiles</h2>
      <p class="section-help">
        A profile that assumes another role from a synced one. By default it is written to ~/.aws/config as{' '}
        <code>source_profile</code> + <code>role_arn</code>, so the AWS CLI and SDKs chain (and refresh) it themselves.
        “Resolve now” makes the extension assume the role on every sync and write its keys too (at most 1 hour).
      </p>
      <datalist id={SOURCE_LIST_ID}>
        {sources.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <ul class="rows">
        {d.chains.map((c, i) => {
          const which = `of chained profile ${i + 1}`;
          return (
            <li key={c.key} class="row chain">
              <Field label="Profile name" srSuffix={which} mono value={c.profile} placeholder="dev-env" onInput={(v) => store.chains.change(c.key, { profile: v })} />
              <Field
                label="Source profile"
                srSuffix={which}
                mono
                value={c.sourceProfile}
                list={SOURCE_LIST_ID}
                placeholder={sources[0] ?? 'sts-temp'}
                onInput={(v) => store.chains.change(c.key, { sourceProfile: v })}
              />
              <Field
                label="Role ARN"
                srSuffix={which}
                mono
                value={c.roleArn}
                placeholder="arn:aws:iam::888777666555:role/assumed-dev"
                onInput={(v) => store.chains.change(c.key, { roleArn: v })}
              />
              <Field label="Region" srSuffix={which} value={c.region} list={REGION_LIST_ID} placeholder={d.defaultRegion || 'default'} onInput={(v) => store.chains.change(c.key, { region: v })} />
              <button type="button" class="danger" onClick={() => store.chains.remove(c.key)}>
                Remove<span class="sr-only"> chained profile {i + 1}{c.profile ? ` (${c.profile})` : ''}</span>
              </button>
              <div class="full">
                <Checkbox
                  label="Resolve now: assume the role in the extension and write its keys too"
                  srSuffix={which}
                  checked={c.resolveNow}
                  onChange={(v) => store.chains.change(c.key, { resolveNow: v })}
                />
              </div>
              <details>
                <summary>More options<span class="sr-only"> {which}</span></summary>
                <div class="fields">
                  <Field label="External ID" srSuffix={which} mono value={c.externalId} onInput={(v) => store.chains.change(c.key, { externalId: v })} />
                  <Field label="Session name" srSuffix={which} mono value={c.roleSessionName} onInput={(v) => store.chains.change(c.key, { roleSessionName: v })} />
                  <Field
                    label="Duration (s)"
                    srSuffix={which}
                    type="number"
                    inputMode="numeric"
                    min={900}
                    max={3600}
                    value={c.durationSeconds}
                    help="900 to 3600: AWS caps chained sessions at 1 hour."
                    onInput={(v) => store.chains.change(c.key, { durationSeconds: v })}
                  />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      {d.chains.length === 0 && <p class="subtle">No chained profiles.</p>}
      <button type="button" onClick={() => store.chains.add()}>
        Add chained profile
      </button>
    </section>
  );
}
