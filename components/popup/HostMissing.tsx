import type { HostStatus } from '@/utils/messages';
import { t, translate } from '@/i18n/translate';
import type { MessageKey } from '@/utils/localized-text';
import { HOST_DOCTOR_COMMAND, HOST_INSTALL_COMMAND } from '../popup-store';
import { usePopupStore } from './context';

const TITLES: Record<string, MessageKey> = {
  missing: 'popup.host.missingTitle',
  outdated: 'popup.host.outdatedTitle',
  error: 'popup.host.errorTitle',
};

const FALLBACK: Record<string, MessageKey> = {
  missing: 'popup.host.missing',
  outdated: 'popup.host.outdated',
  error: 'popup.host.error',
};

/**
 * The native host is missing, too old or failing: the one command that installs it (for a failing one, the command
 * that says what is wrong), and the copy fallback.
 */
export function HostMissing({ host }: { host: HostStatus }) {
  const store = usePopupStore();
  const notice = store.hostNotice.value;
  const failing = host.state === 'error';
  return (
    <section class="banner warn host-missing" aria-labelledby="host-title">
      <h2 id="host-title">{translate({ key: TITLES[host.state] ?? 'popup.host.missingTitle' })}</h2>
      <p>{host.message ?? translate({ key: FALLBACK[host.state] ?? 'popup.host.missing' })}</p>
      <p>{t(failing ? 'popup.host.runDoctor' : 'popup.host.runInstall')}</p>
      <div class="command">
        <code>{failing ? HOST_DOCTOR_COMMAND : HOST_INSTALL_COMMAND}</code>
        <button type="button" class="secondary" onClick={() => void store.copyInstallCommand()}>
          {t('popup.host.copyCommand')}
        </button>
      </div>
      <p class="hint">{t('popup.host.copyFallback')}</p>
      <button
        type="button"
        class="secondary"
        disabled={store.hostChecking.value}
        onClick={() => void store.checkHost()}
      >
        {t(store.hostChecking.value ? 'popup.host.checking' : 'popup.host.checkAgain')}
      </button>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </section>
  );
}
