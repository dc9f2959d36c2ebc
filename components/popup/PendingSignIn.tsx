import type { PendingSignIn as Pending } from '@/utils/messages';
import { t } from '@/i18n/translate';
import { usePopupStore } from './context';

/**
 * A sign-in posted by a page whose origin the person has not confirmed. It is not used (no role list, no sync, no
 * account names) until they say so: any web page can post its own valid SAML assertion to AWS.
 */
export function PendingSignIn({ pending }: { pending: Pending }) {
  const store = usePopupStore();
  return (
    <section class="banner warn" aria-labelledby="pending-signin-title">
      <h2 id="pending-signin-title">{t('popup.pending.title', { host: pending.host })}</h2>
      <p>
        {t(pending.accounts.length === 1 ? 'popup.pending.whyOne' : 'popup.pending.whyMany', { accounts: pending.accounts.join(', ') })}
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void store.answerSignIn(true)}>
          {t('popup.pending.trust', { host: pending.host })}
        </button>
        <button type="button" onClick={() => void store.answerSignIn(false)}>
          {t('popup.pending.ignore')}
        </button>
      </div>
    </section>
  );
}
