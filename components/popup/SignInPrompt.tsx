import { usePopupStore } from './context';

/** Before any sign-in: one sentence, and a button to the sign-in page when one is configured. */
export function SignInPrompt({ again = false }: { again?: boolean }) {
  const store = usePopupStore();
  const signInUrl = store.state.value?.signInUrl;
  return (
    <section class="sign-in" aria-label="Sign in">
      {!again && (
        <p>
          {signInUrl
            ? 'Sign in to AWS through your identity provider and your roles show up here.'
            : "Click the AWS tile in Google's app launcher (or your identity provider) and your roles show up here."}
        </p>
      )}
      {signInUrl && (
        <button type="button" class="primary" onClick={() => void store.openSignIn()}>
          {again ? 'Sign in again' : 'Sign in to AWS'}
        </button>
      )}
    </section>
  );
}
