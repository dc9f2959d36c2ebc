/**
 * Settings as a JSON file: export the saved ones; import in two steps, the background's preview of what a file
 * would change, then the person's Apply (or Cancel).
 */
import { batch, signal } from '@preact/signals';
import { t } from '@/i18n/translate';
import { request, type ImportPreview, type SendMessage } from '@/utils/messages';
import type { Draft } from './draft';
import type { AskEndpointAccess } from './save';
import type { Status } from './status';

export const EXPORT_FILE_NAME = 'aws-saml-sync-settings.json';

export interface ImportExportDeps {
  send: SendMessage;
  /** Offers `text` as a file download named `filename`. */
  download: (filename: string, text: string) => void;
  askEndpointAccess: AskEndpointAccess;
}

export function createImportExport({ send, download, askEndpointAccess }: ImportExportDeps, draft: Draft, status: Status) {
  /** An import waiting for the person's confirmation: what it would change, and the text it came from. */
  const pendingImport = signal<{ json: string; preview: ImportPreview } | undefined>(undefined);

  /** Step one: read and check the file, and show what it would change. Nothing is saved yet. */
  async function importJson(json: string): Promise<boolean> {
    if (json.trim() === '') {
      status.notice.value = { kind: 'error', text: t('options.importExport.pasteFirst') };
      return false;
    }
    return status.run(async () => {
      const preview = await request(send, 'previewImport', { json });
      batch(() => {
        pendingImport.value = { json, preview };
        status.notice.value = undefined;
      });
      return true;
    });
  }

  /** Step two: the person confirmed what the preview listed. Asks for a new STS host's permission first (user gesture). */
  async function applyImport(): Promise<boolean> {
    const pending = pendingImport.value;
    if (!pending || status.busy.value) return false;
    const host = pending.preview.needsAccess[0];
    const accessAsked = askEndpointAccess(host);
    return status.run(async () => {
      if (!(await accessAsked)) {
        status.notice.value = { kind: 'error', text: t('options.importExport.accessRefused', { host: host ?? '' }) };
        return false;
      }
      const settings = await request(send, 'importSettings', { json: pending.json, digest: pending.preview.digest });
      batch(() => {
        draft.adopt(settings);
        pendingImport.value = undefined;
        status.notice.value = { kind: 'ok', text: t('options.importExport.imported', { summary: pending.preview.summary }) };
      });
      return true;
    });
  }

  function cancelImport(): void {
    pendingImport.value = undefined;
    status.notice.value = { kind: 'ok', text: t('options.importExport.cancelled') };
  }

  /** The saved settings, not the draft: the sentence says so when there are unsaved edits. */
  async function exportJson(): Promise<void> {
    try {
      const { json } = await request(send, 'exportSettings', {});
      download(EXPORT_FILE_NAME, json);
      status.notice.value = {
        kind: 'ok',
        text: draft.dirty.value
          ? t('options.importExport.exportedDirty', { file: EXPORT_FILE_NAME })
          : t('options.importExport.exported', { file: EXPORT_FILE_NAME }),
      };
    } catch (error) {
      status.fail(error);
    }
  }

  return { pendingImport, importJson, applyImport, cancelImport, exportJson };
}
