import { useId, useState } from 'preact/hooks';
import { t } from '@/i18n/translate';
import type { OptionsStore } from '../options-store';

/** What an import would change, with Apply and Cancel: nothing is saved before the person confirms. */
function ImportConfirmation({ store }: { store: OptionsStore }) {
  const pending = store.pendingImport.value;
  if (!pending) return null;
  const { changes, summary, needsAccess } = pending.preview;
  return (
    <div class="import-preview" role="region" aria-label={t('options.importExport.previewLabel')}>
      <h3>{t('options.importExport.previewTitle')}</h3>
      {changes.length > 0 ? (
        <ul>
          {changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        <p class="subtle">{t('options.importExport.noChanges')}</p>
      )}
      <p>{summary}</p>
      {needsAccess.length > 0 && <p class="subtle">{t('options.importExport.needsAccess', { hosts: needsAccess.join(', ') })}</p>}
      <div class="actions">
        <button type="button" class="primary" disabled={store.busy.value} onClick={() => void store.applyImport()}>
          {t('options.importExport.apply')}
        </button>
        <button type="button" disabled={store.busy.value} onClick={() => store.cancelImport()}>
          {t('options.importExport.cancel')}
        </button>
      </div>
    </div>
  );
}

/** Settings as a JSON file: export the saved ones, import from a file or pasted text (checked, shown, then confirmed). */
export function ImportExport({ store }: { store: OptionsStore }) {
  const [text, setText] = useState('');
  const fileId = useId();
  const textId = useId();
  const busy = store.busy.value;
  return (
    <section aria-labelledby="import-export-title" class="import-export">
      <h2 id="import-export-title">{t('options.importExport.title')}</h2>
      <p class="section-help">
        {t('options.importExport.help')}
      </p>
      <div class="actions">
        <button type="button" onClick={() => void store.exportJson()}>
          {t('options.importExport.export')}
        </button>
        <label for={fileId} class="field-label">
          {t('options.importExport.fromFile')}
        </label>
        <input
          id={fileId}
          type="file"
          accept="application/json,.json"
          disabled={busy}
          onChange={async (e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (!file) return;
            await store.importJson(await file.text());
            input.value = '';
          }}
        />
      </div>
      <div class="field" style={{ marginTop: '12px' }}>
        <label for={textId} class="field-label">
          {t('options.importExport.paste')}
        </label>
        <textarea id={textId} value={text} spellcheck={false} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            if (await store.importJson(text)) setText('');
          }}
        >
          {t('options.importExport.importPasted')}
        </button>
      </div>
      <ImportConfirmation store={store} />
    </section>
  );
}
