import type { CapturedLoginFailed } from '@/utils/captured-login';
import { t } from '@/i18n/translate';
import { SignInPrompt } from './SignInPrompt';

/** The last sign-in was seen but cannot be used: its one sentence, and a way to sign in again. */
export function LoginError({ login }: { login: CapturedLoginFailed }) {
  return (
    <section class="login-error" aria-labelledby="login-error-title">
      <h2 id="login-error-title">{t('popup.loginError.title')}</h2>
      <p role="alert" class="error-text">
        {login.error}
      </p>
      <SignInPrompt again />
    </section>
  );
}
