import { useId, useState } from 'preact/hooks';
import type { OptionsStore } from '../options-store';

/** Settings as a JSON file: export the saved ones, import from a file or pasted text (migrated and checked). */
export function ImportExport({ store }: { store: OptionsStore }) {
  const [text, setText] = useState('');
  const fileId = useId();
  const textId = useId();
  const busy = store.busy.value;
  return (
    <section aria-labelledby="import-export-title" class="import-export">
      <h2 id="import-export-title">Import and export</h2>
      <p class="section-help">
        Share your mappings and chains with a colleague or a new machine. The file holds no secrets. Importing replaces
        all of these settings and saves them; files from older versions are brought up to date.
      </p>
      <div class="actions">
        <button type="button" onClick={() => void store.exportJson()}>
          Export settings
        </button>
        <label for={fileId} class="field-label">
          Import from a file
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
          Or paste settings JSON
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
          Import pasted JSON
        </button>
      </div>
    </section>
  );
}
