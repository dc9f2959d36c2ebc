/** The toolbar badge: minutes left of the soonest-expiring profile, or "!" after a failed automatic sync. */
import { browser } from 'wxt/browser';
import { t, translate } from '@/i18n/translate';
import { badgeFor } from '@/utils/badge';

export async function showBadge(expirations: (string | undefined)[], failure?: string): Promise<void> {
  const badge = badgeFor(expirations, Date.now(), failure);
  const action = browser.action;
  await Promise.all([
    action.setBadgeText({ text: typeof badge.text === 'string' ? badge.text : translate(badge.text) }),
    action.setBadgeBackgroundColor({ color: badge.color }),
    action.setTitle({ title: translate(badge.title) }),
  ]).catch(() => undefined);
}

export async function notifySyncFailure(message: string): Promise<void> {
  await browser.notifications
    .create('aws-saml-sync-failure', {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: t('notify.syncFailedTitle'),
      message,
    })
    .catch(() => undefined);
}
