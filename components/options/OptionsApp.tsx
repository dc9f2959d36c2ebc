import { useEffect } from 'preact/hooks';
import type { OptionsStore } from '../options-store';
import { AliasesEditor } from './AliasesEditor';
import { ChainsEditor } from './ChainsEditor';
import { GeneralSettings } from './GeneralSettings';
import { ImportExport } from './ImportExport';
import { MappingsEditor } from './MappingsEditor';
import { RegionList } from './RegionList';

/** The options page: every setting, one Save for all, and import/export. */
export function OptionsApp({ store, onReady }: { store: OptionsStore; onReady?: () => void }) {
  const draft = store.draft.value;
  const loadError = store.loadError.value;
  const status = store.status.value;
  const ready = draft !== undefined || loadError !== undefined;
  useEffect(() => {
    if (ready) onReady?.();
  }, [ready]);
  return (
    <div class="options">
      <header>
        <h1>AWS SAML Sync settings</h1>
        <p class="section-help">Nothing secret is stored here; credentials stay in this browser session and in ~/.aws.</p>
      </header>
      {loadError && (
        <p role="alert" class="banner error">
          {loadError}
        </p>
      )}
      {!draft && !loadError && <p class="subtle">Loading…</p>}
      {draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void store.save();
          }}
        >
          <RegionList />
          <GeneralSettings store={store} />
          <MappingsEditor store={store} />
          <ChainsEditor store={store} />
          <AliasesEditor store={store} />
          <ImportExport store={store} />
          <div class="save-bar">
            <div class="save-bar-inner">
              <button type="submit" class="primary" disabled={store.busy.value}>
                Save
              </button>
              <button type="button" disabled={!store.dirty.value || store.busy.value} onClick={() => store.revert()}>
                Undo changes
              </button>
              <div aria-live="polite" class="save-status">
                {status ? (
                  <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : undefined}>
                    {status.text}
                  </p>
                ) : store.dirty.value ? (
                  <p class="notice subtle">Unsaved changes.</p>
                ) : null}
              </div>
            </div>
          </div>
        </form>
      )}
    </div>
  );
}
