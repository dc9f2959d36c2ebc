/**
 * The page's single fields (sign-in, refresh, profile naming, STS), and the refresh checkbox, which asks for the
 * IdP's host permission as it is turned on.
 */
import { t } from '@/i18n/translate';
import type { Draft } from './draft';
import { draftSignInUrl, type ScalarField, type SettingsDraft } from './settings-draft';
import type { Status } from './status';

export type RefreshAccess = 'granted' | 'refused' | 'not-covered';

export interface GeneralFieldsDeps {
  /**
   * Asks for host access to the IdP's origin(s) for silent refresh (browser.permissions.request), from the click
   * that turns refresh on. 'not-covered': the extension cannot ask for that host (a self-hosted IdP).
   */
  requestRefreshAccess?: (signInUrl: string) => Promise<RefreshAccess>;
}

export function createGeneralFields({ requestRefreshAccess }: GeneralFieldsDeps, draft: Draft, status: Status) {
  function setField<K extends ScalarField>(field: K, value: SettingsDraft[K]): void {
    draft.edit((d) => ({ ...d, [field]: value }));
  }

  /**
   * The "Refresh profiles before they expire" checkbox. Turning it on asks for the IdP's host permission first,
   * inside the click (permissions.request needs the user gesture); turning it off gives it back on Save.
   */
  async function setRefreshEnabled(on: boolean): Promise<void> {
    const d = draft.settings.value;
    if (!d) return;
    if (!on) return setField('refreshEnabled', false);
    const url = draftSignInUrl(d);
    const asked = url && !d.refreshInBackgroundTab && requestRefreshAccess ? requestRefreshAccess(url) : undefined;
    setField('refreshEnabled', true);
    if (!url) {
      setField('refreshEnabled', false);
      status.notice.value = { kind: 'error', text: t('options.refresh.needsUrl') };
      return;
    }
    const answer = asked ? await asked : 'granted';
    if (answer === 'granted') return;
    setField('refreshEnabled', false);
    status.notice.value = {
      kind: 'error',
      text: answer === 'not-covered' ? t('options.refresh.notCovered') : t('options.refresh.refused'),
    };
  }

  return { setField, setRefreshEnabled };
}
