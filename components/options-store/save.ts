/** Save: the draft to the background, which validates it and answers with the settings it stored. */
import { batch } from '@preact/signals';
import { t } from '@/i18n/translate';
import { request, type SendMessage } from '@/utils/messages';
import type { Draft } from './draft';
import { draftToSettings, optionalText } from './settings-draft';
import type { Status } from './status';

/**
 * Asks for host access to a custom STS endpoint (none: true at once). Called synchronously from the click:
 * permissions need the user gesture.
 */
export type AskEndpointAccess = (endpoint: string | undefined) => Promise<boolean>;

export interface SaveDeps {
  send: SendMessage;
  askEndpointAccess: AskEndpointAccess;
}

export function createSave({ send, askEndpointAccess }: SaveDeps, draft: Draft, status: Status) {
  /** Asks for a custom STS endpoint's host permission first, inside the click (the user gesture). */
  async function save(): Promise<boolean> {
    const d = draft.settings.value;
    if (!d || status.busy.value) return false;
    const endpoint = optionalText(d.stsEndpoint);
    const accessAsked = askEndpointAccess(endpoint);
    return status.run(async () => {
      if (!(await accessAsked)) {
        status.notice.value = { kind: 'error', text: t('options.sts.endpointRefused', { endpoint: endpoint ?? '' }) };
        return false;
      }
      const settings = await request(send, 'saveSettings', { settings: draftToSettings(d) });
      batch(() => {
        draft.adopt(settings);
        status.notice.value = { kind: 'ok', text: t('options.saved') };
      });
      return true;
    });
  }

  return { save };
}
