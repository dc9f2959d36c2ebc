import type { CapturedLoginOk } from '@/utils/captured-login';
import { clockTime } from '@/utils/format-time';
import { usePopupStore } from './context';
import { AccountGroup } from './AccountGroup';
import { SignInPrompt } from './SignInPrompt';

/** The roles of the last sign-in, grouped by account, with a filter box when there are many. */
export function RoleList({ login }: { login: Omit<CapturedLoginOk, 'samlResponse'> }) {
  const store = usePopupStore();
  const groups = store.groups.value;
  const needle = store.filter.value.trim();
  const stale = login.notOnOrAfter !== undefined && Date.parse(login.notOnOrAfter) <= store.clock.value;
  return (
    <section class="role-list" aria-labelledby="roles-title">
      <h2 id="roles-title">
        Roles <span class="subtle">from your sign-in at {clockTime(login.capturedAt)}</span>
      </h2>
      {stale && (
        <div class="hint stale">
          <p>This sign-in is too old for AWS to accept again; sign in again to sync more roles.</p>
          <SignInPrompt again />
        </div>
      )}
      {store.showFilter.value && (
        <div class="filter">
          <label for="role-filter" class="field-label">
            Filter roles
          </label>
          <input
            id="role-filter"
            type="search"
            value={store.filter.value}
            placeholder="account, role or profile"
            autocomplete="off"
            onInput={(e) => (store.filter.value = e.currentTarget.value)}
          />
        </div>
      )}
      {groups.length === 0 && store.roles.value.length > 0 && <p class="subtle">No role matches “{needle}”.</p>}
      {store.roles.value.length === 0 && <p>This sign-in carried no AWS roles; ask your AWS admin which roles you should have.</p>}
      {groups.map((group) => (
        <AccountGroup key={group.accountId} group={group} />
      ))}
    </section>
  );
}
