import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';
import { AliasesEditor } from './AliasesEditor';
import { ChainsEditor } from './ChainsEditor';
import { GeneralSettings } from './GeneralSettings';
import { ImportExport } from './ImportExport';
import { MappingsEditor } from './MappingsEditor';
import { RegionList } from './RegionList';

/** The options page: every setting, one Save for all, and import/export. */
export function OptionsApp({ store, onReady, profiles }: { store: OptionsStore; onReady?: () => void; profiles?: ComponentChildren }) {
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
        <h1>{t('extension.settingsTitle')}</h1>
        <p class="section-help">{t('options.noSecrets')}</p>
      </header>
      {loadError && (
        <p role="alert" class="banner error">
          {loadError}
        </p>
      )}
      {!draft && !loadError && <p class="subtle">{t('common.loading')}</p>}
      {profiles}
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
                {t('options.save')}
              </button>
              <button type="button" disabled={!store.dirty.value || store.busy.value} onClick={() => store.revert()}>
                {t('options.undo')}
              </button>
              <div aria-live="polite" class="save-status">
                {status ? (
                  <p class={`notice ${status.kind}`} role={status.kind === 'error' ? 'alert' : undefined}>
                    {status.text}
                  </p>
                ) : store.dirty.value ? (
                  <p class="notice subtle">{t('options.unsaved')}</p>
                ) : null}
              </div>
            </div>
          </div>
        </form>
      )}
    </div>
  );
}
