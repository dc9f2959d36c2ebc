/**
 * The options page's state and actions, composed of small pieces: the settings draft with its row edits
 * (draft.ts, settings-draft.ts), the general fields, Save, import/export, and the save bar's status. This module
 * links them to the background: the state it loads and the changes it announces. No browser API in here but the
 * message catalogue (i18n/translate.ts); the background validates.
 */
import { batch, signal } from '@preact/signals';
import { isStateChangedEvent, request, type PopupState, type SendMessage } from '@/utils/messages';
import { errorSentence, type MessageSource } from '../popup-store';
import { createDraft } from './draft';
import { createGeneralFields, type GeneralFieldsDeps } from './general-fields';
import { createImportExport } from './import-export';
import { createSave, type AskEndpointAccess } from './save';
import { createStatus } from './status';
import { createSuggestions } from './suggestions';

export { EXPORT_FILE_NAME } from './import-export';
export { draftSignInUrl } from './settings-draft';
export type { DraftRows } from './draft';
export type { RefreshAccess } from './general-fields';

export interface OptionsDeps extends GeneralFieldsDeps {
  send: SendMessage;
  events?: MessageSource;
  /** Offers `text` as a file download named `filename`. */
  download: (filename: string, text: string) => void;
  /**
   * Asks for host access to a custom STS endpoint (browser.permissions.request); resolves false when refused.
   * Called first thing in `save()`, while the click's user gesture still holds.
   */
  requestEndpointAccess?: (url: string) => Promise<boolean>;
}

export function createOptionsStore(deps: OptionsDeps) {
  const status = createStatus();
  const draft = createDraft(status);
  /** The latest state from the background (the login's roles feed the role ARN suggestions). */
  const popupState = signal<PopupState | undefined>(undefined);
  const loadError = signal<string | undefined>(undefined);

  const askEndpointAccess: AskEndpointAccess = (endpoint) =>
    endpoint && deps.requestEndpointAccess ? deps.requestEndpointAccess(endpoint) : Promise.resolve(true);
  const generalFields = createGeneralFields(deps, draft, status);
  const { save } = createSave({ send: deps.send, askEndpointAccess }, draft, status);
  const importExport = createImportExport({ send: deps.send, download: deps.download, askEndpointAccess }, draft, status);

  async function load(): Promise<void> {
    try {
      const state = await request(deps.send, 'getState', {});
      batch(() => {
        popupState.value = state;
        loadError.value = undefined;
        draft.adopt(state.settings);
      });
    } catch (error) {
      loadError.value = errorSentence(error);
    }
  }

  const onMessage = (message: unknown): void => {
    if (!isStateChangedEvent(message)) return;
    batch(() => {
      popupState.value = message.state;
      // Changes made elsewhere (an alias read from the role chooser, a mapping the popup remembered) show up
      // here unless the person is in the middle of editing.
      draft.savedElsewhere(message.state.settings);
    });
  };

  function start(): () => void {
    deps.events?.addListener(onMessage);
    void load();
    return () => deps.events?.removeListener(onMessage);
  }

  return {
    draft: draft.settings,
    popupState,
    loadError,
    status: status.notice,
    busy: status.busy,
    dirty: draft.dirty,
    ...createSuggestions(draft.settings, popupState),
    ...generalFields,
    mappings: draft.mappings,
    chains: draft.chains,
    aliases: draft.aliases,
    save,
    revert: draft.revert,
    ...importExport,
    start,
  };
}

export type OptionsStore = ReturnType<typeof createOptionsStore>;
