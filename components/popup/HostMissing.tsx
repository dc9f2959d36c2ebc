import type { HostStatus } from '@/utils/messages';
import { HOST_INSTALL_COMMAND } from '../popup-store';
import { usePopupStore } from './context';

const TITLES: Record<string, string> = {
  missing: 'Install the local helper',
  outdated: 'Update the local helper',
  error: 'The local helper is failing',
};

const FALLBACK: Record<string, string> = {
  missing: 'The helper that writes ~/.aws is not installed for this browser.',
  outdated: 'The helper that writes ~/.aws is too old for this version of the extension.',
  error: 'The helper that writes ~/.aws did not answer properly.',
};

/** The native host is missing, too old or failing: the one command that installs it, and the copy fallback. */
export function HostMissing({ host }: { host: HostStatus }) {
  const store = usePopupStore();
  const notice = store.hostNotice.value;
  return (
    <section class="banner warn host-missing" aria-labelledby="host-title">
      <h2 id="host-title">{TITLES[host.state] ?? TITLES.missing}</h2>
      <p>{host.message ?? FALLBACK[host.state] ?? FALLBACK.missing}</p>
      <p>Run this in a terminal, in the aws-saml-sync folder:</p>
      <div class="command">
        <code>{HOST_INSTALL_COMMAND}</code>
        <button type="button" class="secondary" onClick={() => void store.copyInstallCommand()}>
          Copy command
        </button>
      </div>
      <p class="hint">Until then, “Copy as environment variables” still works for the roles you sync.</p>
      <button
        type="button"
        class="secondary"
        disabled={store.hostChecking.value}
        onClick={() => void store.checkHost()}
      >
        {store.hostChecking.value ? 'Checking…' : 'Check again'}
      </button>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </section>
  );
}
