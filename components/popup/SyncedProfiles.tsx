import { t, uiLanguage } from '@/i18n/translate';
import { clockTime, isExpired } from '@/utils/format-time';
import type { ProfileNode } from '../popup-store';
import { usePopupStore } from './context';
import { Countdown } from './Countdown';
import { CopyEnvButton } from './CopyEnvButton';

/** Where a profile's credentials come from: the sign-in itself, or the profile it is assumed (or chained) from. */
function kindText({ kind, sourceProfile }: ProfileNode['profile']): string {
  if (kind === 'saml') return t('popup.profile.kindSaml');
  if (!sourceProfile) return '';
  return kind === 'chained' ? t('popup.profile.kindChained', { source: sourceProfile }) : t('popup.profile.kindChainedConfig', { source: sourceProfile });
}

function ProfileItem({ node }: { node: ProfileNode }) {
  const store = usePopupStore();
  const p = node.profile;
  const live = p.kind !== 'chained-config' && p.expiration !== undefined && !isExpired(p.expiration, store.clock.value);
  const served = p.credentialProcess === true;
  return (
    <li class={`profile ${p.kind}`}>
      <div class="profile-line">
        <strong class="profile-name">{p.profile}</strong>
        {p.expiration && !served ? <Countdown expiration={p.expiration} /> : null}
        {served ? <span class="subtle served-note">{t('popup.profile.servedOnDemand')}</span> : null}
      </div>
      <p class="subtle profile-kind">
        {kindText(p)}
        {p.roleArn ? <span class="role-arn"> · {p.roleArn.split(':role/')[1] ?? p.roleArn}</span> : null}
      </p>
      <RefreshLine profile={p.profile} />
      <ProfileActions profile={p.profile} kind={p.kind} />
      {live && <CopyEnvButton profile={p.profile} />}
      {node.children.length > 0 && (
        <ul class="profiles nested" aria-label={t('popup.profile.chainedFrom', { profile: p.profile })}>
          {node.children.map((child) => (
            <ProfileItem key={child.profile.profile} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** "refreshes 15:42", or "needs you" with a Sign in button, for profiles silent refresh keeps fresh. */
function RefreshLine({ profile }: { profile: string }) {
  const store = usePopupStore();
  const refresh = store.state.value?.refresh;
  if (!refresh?.enabled || !refresh.profiles.includes(profile)) return null;
  const next = refresh.next[profile];
  if (refresh.needsYou || !next) {
    return (
      <div class="refresh-line needs-you">
        <p class="subtle" role="status">
          {refresh.needsYou ? t('popup.profile.refreshNeedsYouBecause', { why: refresh.needsYou }) : t('popup.profile.refreshNeedsYou')}
        </p>
        <button type="button" class="secondary" onClick={() => void store.openSignIn()}>
          {t('popup.signIn.label')}<span class="sr-only">{t('popup.profile.srRefresh', { profile })}</span>
        </button>
      </div>
    );
  }
  return (
    <p class="subtle refresh-line" role="status">
      {refresh.lastFailure
        ? t('popup.profile.refreshesAtLastFailed', { time: clockTime(next, uiLanguage()), failure: refresh.lastFailure })
        : t('popup.profile.refreshesAt', { time: clockTime(next, uiLanguage()) })}
    </p>
  );
}

/** Refresh, Open console, Remove (asks first). */
export function ProfileActions({ profile, kind }: { profile: string; kind: ProfileNode['profile']['kind'] }) {
  const store = usePopupStore();
  const refresh = store.state.value?.refresh;
  const busy = store.profileBusy.value[profile] === true;
  const notice = store.profileNotices.value[profile];
  const confirming = store.confirmingRemove.value === profile;
  const canRefresh = !!refresh?.enabled && !!refresh.profiles.includes(profile);
  return (
    <div class="profile-actions">
      {canRefresh && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void store.refreshProfile(profile)}>
          {t('popup.profile.refresh')}<span class="sr-only">{t('common.srName', { name: profile })}</span>
        </button>
      )}
      <button type="button" class="secondary" disabled={busy} onClick={() => void store.openConsole(profile)}>
        {t('popup.profile.openConsole')}<span class="sr-only">{t('common.srFor', { name: profile })}</span>
      </button>
      {!confirming && (
        <button type="button" class="secondary" disabled={busy} onClick={() => store.askRemove(profile)}>
          {t('common.remove')}<span class="sr-only">{t('common.srName', { name: profile })}</span>
        </button>
      )}
      {confirming && (
        <div class="confirm" role="group" aria-label={t('popup.profile.confirmRemoveTitle', { profile })}>
          <p>
            {t(kind === 'saml' ? 'popup.profile.confirmRemoveSaml' : 'popup.profile.confirmRemove', { profile })}
          </p>
          <button type="button" class="danger" onClick={() => void store.confirmRemove(profile)}>
            {t('popup.profile.yesRemove', { profile })}
          </button>
          <button type="button" onClick={() => store.askRemove(undefined)}>
            {t('popup.profile.keep', { profile })}
          </button>
        </div>
      )}
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </div>
  );
}

/** Every profile this extension manages in ~/.aws, with a live countdown; chained profiles under their source. */
export function SyncedProfiles() {
  const store = usePopupStore();
  const tree = store.profiles.value;
  if (tree.length === 0) return null;
  return (
    <section class="synced" aria-labelledby="synced-title">
      <h2 id="synced-title">{t('popup.profile.syncedTitle')}</h2>
      <ul class="profiles">
        {tree.map((node) => (
          <ProfileItem key={node.profile.profile} node={node} />
        ))}
      </ul>
    </section>
  );
}
