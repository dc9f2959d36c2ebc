import { translate, uiLanguage } from '@/i18n/translate';
import { expiryText } from '@/utils/format-time';
import { usePopupStore } from './context';

/** "expires 15:42, in 59 min", ticking with the popup's shared clock. */
export function Countdown({ expiration }: { expiration: string }) {
  const { clock } = usePopupStore();
  const now = clock.value;
  const expired = Date.parse(expiration) <= now;
  return (
    <time class={expired ? 'countdown expired' : 'countdown'} dateTime={expiration}>
      {translate(expiryText(expiration, now, uiLanguage()))}
    </time>
  );
}
