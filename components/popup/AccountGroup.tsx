import type { AccountGroupData } from '../popup-store';
import { RoleRow } from './RoleRow';

/** The roles of one account, under the account's alias when known, else its id. */
export function AccountGroup({ group }: { group: AccountGroupData }) {
  const headingId = `account-${group.accountId}`;
  return (
    <section class="account" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {group.alias ?? group.accountId}
        {group.alias && <span class="account-id"> {group.accountId}</span>}
      </h3>
      <ul class="roles">
        {group.roles.map((role) => (
          <RoleRow key={role.roleArn} role={role} />
        ))}
      </ul>
    </section>
  );
}
