import { isExpired } from '@/utils/format-time';
import type { ProfileNode } from '../popup-store';
import { usePopupStore } from './context';
import { Countdown } from './Countdown';
import { CopyEnvButton } from './CopyEnvButton';

const KIND_TEXT = {
  saml: 'from your sign-in',
  chained: 'assumed from',
  'chained-config': 'chained in ~/.aws/config; the AWS CLI refreshes it from',
} as const;

function ProfileItem({ node }: { node: ProfileNode }) {
  const store = usePopupStore();
  const p = node.profile;
  const live = p.kind !== 'chained-config' && p.expiration !== undefined && !isExpired(p.expiration, store.clock.value);
  return (
    <li class={`profile ${p.kind}`}>
      <div class="profile-line">
        <strong class="profile-name">{p.profile}</strong>
        {p.expiration ? <Countdown expiration={p.expiration} /> : null}
      </div>
      <p class="subtle profile-kind">
        {KIND_TEXT[p.kind]}
        {p.kind !== 'saml' && p.sourceProfile ? ` ${p.sourceProfile}` : ''}
        {p.roleArn ? <span class="role-arn"> · {p.roleArn.split(':role/')[1] ?? p.roleArn}</span> : null}
      </p>
      {live && <CopyEnvButton profile={p.profile} />}
      {node.children.length > 0 && (
        <ul class="profiles nested" aria-label={`Profiles chained from ${p.profile}`}>
          {node.children.map((child) => (
            <ProfileItem key={child.profile.profile} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Every profile this extension manages in ~/.aws, with a live countdown; chained profiles under their source. */
export function SyncedProfiles() {
  const store = usePopupStore();
  const tree = store.profiles.value;
  if (tree.length === 0) return null;
  return (
    <section class="synced" aria-labelledby="synced-title">
      <h2 id="synced-title">Synced profiles</h2>
      <ul class="profiles">
        {tree.map((node) => (
          <ProfileItem key={node.profile.profile} node={node} />
        ))}
      </ul>
    </section>
  );
}
