import { t } from '@/i18n/translate';
import { usePopupStore } from './context';

/** Before any sign-in: one sentence, and a button to the sign-in page when one is configured. */
export function SignInPrompt({ again = false }: { again?: boolean }) {
  const store = usePopupStore();
  const signInUrl = store.state.value?.signInUrl;
  return (
    <section class="sign-in" aria-label={t('popup.signIn.label')}>
      {!again && (
        <p>
          {t(signInUrl ? 'popup.signIn.promptConfigured' : 'popup.signIn.prompt')}
        </p>
      )}
      {signInUrl && (
        <button type="button" class="primary" onClick={() => void store.openSignIn()}>
          {t(again ? 'popup.signIn.again' : 'popup.signIn.button')}
        </button>
      )}
    </section>
  );
}
