import type { OptionsStore } from '../options-store';
import { Field } from './Field';

/** Account id -> name, shown in the popup and used by the {alias} placeholder. */
export function AliasesEditor({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  return (
    <section aria-labelledby="aliases-title">
      <h2 id="aliases-title">Account aliases</h2>
      <p class="section-help">
        Names for your AWS accounts. They are read from AWS's “Select a role” page when you sign in there; you can also
        type them.
      </p>
      <ul class="rows">
        {d.aliases.map((a, i) => {
          const which = `of alias ${i + 1}`;
          const badId = a.accountId.trim() !== '' && !/^\d{12}$/.test(a.accountId.trim());
          return (
            <li key={a.key} class="row alias">
              <Field
                label="Account ID"
                srSuffix={which}
                mono
                inputMode="numeric"
                value={a.accountId}
                placeholder="111222333444"
                help={badId ? <span class="field-error">An account ID is 12 digits.</span> : undefined}
                onInput={(v) => store.aliases.change(a.key, { accountId: v })}
              />
              <Field label="Name" srSuffix={which} value={a.name} placeholder="sandbox" onInput={(v) => store.aliases.change(a.key, { name: v })} />
              <button type="button" class="danger" onClick={() => store.aliases.remove(a.key)}>
                Remove<span class="sr-only"> alias {i + 1}{a.name ? ` (${a.name})` : ''}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={() => store.aliases.add()}>
        Add alias
      </button>
    </section>
  );
}
