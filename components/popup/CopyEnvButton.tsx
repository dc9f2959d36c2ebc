import { t } from '@/i18n/translate';
import { usePopupStore } from './context';

/** Copies a profile's shell `export` lines to the clipboard; the lines themselves never reach the screen. */
export function CopyEnvButton({ profile }: { profile: string }) {
  const store = usePopupStore();
  const notice = store.copyNotices.value[profile];
  return (
    <div class="copy-env">
      <button type="button" class="secondary" onClick={() => void store.copyEnv(profile)}>
        {t('popup.copyEnv')}<span class="sr-only">{t('common.srFor', { name: profile })}</span>
      </button>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </div>
  );
}
