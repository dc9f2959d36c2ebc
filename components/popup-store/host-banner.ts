/** The banner shown when the local helper is missing, outdated or failing: the one command to run, and "Check again". */
import { batch, computed, signal } from '@preact/signals';
import { t } from '@/i18n/translate';
import { request, type HostStatus } from '@/utils/messages';
import { errorSentence, type Notice, type StateAccess } from './shared';

/** The one command that installs the native host (see README, "Install it for real"); it needs no checkout. */
export const HOST_INSTALL_COMMAND = 'npx aws-saml-sync-host install';
/** What a failing host's banner offers instead: one screen naming each problem with its fix. */
export const HOST_DOCTOR_COMMAND = 'npx aws-saml-sync-host doctor';

export function createHostBanner(background: StateAccess, writeClipboard: (text: string) => Promise<void>) {
  const hostNotice = signal<Notice | undefined>(undefined);
  const hostChecking = signal(false);

  const hostProblem = computed<HostStatus | undefined>(() => {
    const host = background.state.value?.host;
    return host && (host.state === 'missing' || host.state === 'outdated' || host.state === 'error') ? host : undefined;
  });

  async function copyInstallCommand(): Promise<void> {
    try {
      await writeClipboard(hostProblem.value?.state === 'error' ? HOST_DOCTOR_COMMAND : HOST_INSTALL_COMMAND);
      hostNotice.value = { kind: 'ok', text: t('popup.host.copiedCommand') };
    } catch {
      hostNotice.value = { kind: 'error', text: t('popup.host.clipboardRefused') };
    }
  }

  async function checkHost(): Promise<void> {
    hostChecking.value = true;
    try {
      const host = await request(background.send, 'checkHost', {});
      batch(() => {
        background.patch((s) => ({ ...s, host }));
        hostNotice.value = host.state === 'ok' ? { kind: 'ok', text: t('popup.host.answersNow') } : undefined;
      });
    } catch (error) {
      hostNotice.value = { kind: 'error', text: errorSentence(error) };
    } finally {
      hostChecking.value = false;
    }
  }

  return { hostProblem, hostNotice, hostChecking, copyInstallCommand, checkHost };
}
