import { useId } from 'preact/hooks';
import type { SamlRole } from '@/utils/saml';
import { t } from '@/i18n/translate';
import { profileNameProblem } from '../popup-store';
import { usePopupStore } from './context';
import { Countdown } from './Countdown';
import { CopyEnvButton } from './CopyEnvButton';

/** One role: its name, the profile it goes to (editable), a Sync button and the outcome of the last sync. */
export function RoleRow({ role }: { role: SamlRole }) {
  const store = usePopupStore();
  const id = useId();
  const profile = store.profileFor(role);
  const problem = profileNameProblem(profile, role.roleArn, store.state.value);
  const sync = store.syncOf(role.roleArn);
  const syncing = sync?.status === 'syncing';
  const autoSync = store.autoSyncOf(role.roleArn);
  const inputId = `${id}-profile`;
  const problemId = `${id}-problem`;
  return (
    <li class="role">
      <form
        class="role-sync"
        onSubmit={(e) => {
          e.preventDefault();
          void store.syncRole(role);
        }}
      >
        <div class="role-head">
          <span class="role-name" title={role.roleArn}>
            {role.roleName}
          </span>
          <span class="subtle" aria-hidden="true">
            →
          </span>
          <label for={inputId} class="field-label">
            {t('popup.role.profileName')}<span class="sr-only">{t('common.srFor', { name: role.roleName })}</span>
          </label>
        </div>
        <input
          id={inputId}
          type="text"
          value={profile}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? problemId : undefined}
          onInput={(e) => store.setProfile(role.roleArn, e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={!!problem || syncing}>
          {t('popup.role.sync')}<span class="sr-only">{t('common.srName', { name: role.roleName })}</span>
        </button>
      </form>
      {problem && (
        <p id={problemId} class="field-error">
          {problem}
        </p>
      )}
      {sync && (
        <div class={`sync-result ${sync.status}`}>
          {sync.status === 'syncing' && (
            <p role="status">
              <span class="spinner" aria-hidden="true" /> {t('popup.role.syncing', { profile: sync.profile })}
            </p>
          )}
          {sync.status === 'ok' && (
            <p role="status">
              <span aria-hidden="true">✓ </span>
              <strong class="profile-name">{sync.profile}</strong>{' '}
              {sync.expiration ? <Countdown expiration={sync.expiration} /> : t('popup.role.synced')}
            </p>
          )}
          {sync.status === 'error' && (
            <p role="alert" class="error-text">
              {sync.error ?? t('popup.role.syncFailed')}
            </p>
          )}
          {sync.status === 'error' && sync.needsConfirmation && (
            <button type="button" class="danger" onClick={() => void store.syncRole(role, true)}>
              {t('popup.role.replace', { profile: sync.profile })}
            </button>
          )}
          {sync.status !== 'syncing' && sync.copyAvailable && <CopyEnvButton profile={sync.profile} />}
          {sync.status === 'ok' && autoSync !== undefined && (
            <label class="auto-sync">
              <input
                type="checkbox"
                checked={autoSync}
                onChange={(e) => void store.setAutoSync(role.roleArn, e.currentTarget.checked)}
              />{' '}
              {t('popup.role.autoSync')}<span class="sr-only">{t('common.srFor', { name: sync.profile })}</span>
            </label>
          )}
        </div>
      )}
    </li>
  );
}
