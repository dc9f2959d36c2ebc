import type { CapturedLoginOk } from '@/utils/captured-login';
import type { FirstSync } from '@/utils/messages';
import { t, uiLanguage } from '@/i18n/translate';
import { clockTime } from '@/utils/format-time';
import { usePopupStore } from './context';
import { AccountGroup } from './AccountGroup';
import { SignInPrompt } from './SignInPrompt';

/** The roles of the last sign-in, grouped by account, with a filter box when there are many. */
export function RoleList({ login }: { login: Omit<CapturedLoginOk, 'samlResponse'> & { firstSync?: FirstSync } }) {
  const store = usePopupStore();
  const groups = store.groups.value;
  const needle = store.filter.value.trim();
  const stale = login.notOnOrAfter !== undefined && Date.parse(login.notOnOrAfter) <= store.clock.value;
  return (
    <section class="role-list" aria-labelledby="roles-title">
      <h2 id="roles-title">
        {t('popup.roles.title')} <span class="subtle">{t('popup.roles.fromSignIn', { time: clockTime(login.capturedAt, uiLanguage()) })}</span>
      </h2>
      {stale && (
        <div class="hint stale">
          <p>{t('popup.roles.stale')}</p>
          <SignInPrompt again />
        </div>
      )}
      {login.firstSync && (
        <p class="hint first-sync" role="note">
          {firstSyncSentence(login.firstSync)}
        </p>
      )}
      {store.showFilter.value && (
        <div class="filter">
          <label for="role-filter" class="field-label">
            {t('popup.roles.filter')}
          </label>
          <input
            id="role-filter"
            type="search"
            value={store.filter.value}
            placeholder={t('popup.roles.filterPlaceholder')}
            autocomplete="off"
            onInput={(e) => (store.filter.value = e.currentTarget.value)}
          />
        </div>
      )}
      {groups.length === 0 && store.roles.value.length > 0 && <p class="subtle">{t('popup.roles.noMatch', { filter: needle })}</p>}
      {store.roles.value.length === 0 && <p>{t('popup.roles.none')}</p>}
      {groups.map((group) => (
        <AccountGroup key={group.accountId} group={group} />
      ))}
    </section>
  );
}

/** "You have not synced from account 111122223333 (or its IdP) before; check…" */
function firstSyncSentence(first: FirstSync): string {
  const accounts = first.accounts.join(', ');
  if (accounts && first.issuer) return t('popup.roles.firstSyncBoth', { accounts, issuer: first.issuer });
  return first.issuer ? t('popup.roles.firstSyncIssuer', { issuer: first.issuer }) : t('popup.roles.firstSyncAccounts', { accounts });
}
