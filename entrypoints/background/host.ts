/**
 * The background's view of the native host: connects on demand, lets go of the connection when idle (an open
 * native port keeps the host process and the service worker alive), remembers what the handshake said, and turns
 * every failure into a HostStatus sentence.
 */
import { errorSentence, t } from '@/i18n/translate';
import type { HostStatus, ManagedProfile } from '@/utils/messages';
import { createNativeClient, HostError, HostUnavailableError, type PortLike } from '@/utils/native-client';
import type { ProfileWrite } from '@/utils/profile-sync';

/** Oldest host that speaks what this extension needs. */
export const MIN_HOST_PROTOCOL = 1;
const IDLE_DISCONNECT_MS = 15_000;

export interface HostAccess {
  status(fresh?: boolean): Promise<HostStatus>;
  /** Resolves with every managed profile as ~/.aws stands after the write, when the host sent that list with its reply. */
  writeProfiles(writes: ProfileWrite[], options?: WriteOptions): Promise<ManagedProfile[] | undefined>;
  listProfiles(): Promise<ManagedProfile[]>;
  removeProfiles(profiles: string[]): Promise<string[]>;
}

export interface WriteOptions {
  /** Profile names the person agreed may replace existing sections. */
  confirmOverwrite?: string[];
  /** Also write aws_security_token (the option "for old tools"). */
  legacySecurityToken?: boolean;
}

export function createHostAccess(connect: () => PortLike, lastError?: () => string | undefined): HostAccess {
  const client = createNativeClient(connect, { lastError });
  let known: HostStatus | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;

  async function use<T>(call: () => Promise<T>): Promise<T> {
    clearTimeout(idleTimer);
    inFlight++;
    try {
      return await call();
    } finally {
      if (--inFlight === 0) idleTimer = setTimeout(() => client.disconnect(), IDLE_DISCONNECT_MS);
    }
  }

  async function status(fresh = false): Promise<HostStatus> {
    if (known && !fresh && known.state === 'ok') return known;
    try {
      const hello = await use(() => client.hello());
      known = hello.protocols.includes(MIN_HOST_PROTOCOL)
        ? { state: 'ok', hostVersion: hello.hostVersion, credentialsFile: hello.credentialsFile, configFile: hello.configFile }
        : {
            state: 'outdated',
            hostVersion: hello.hostVersion,
            message: t('hostError.Outdated', { version: hello.hostVersion }),
          };
    } catch (error) {
      known =
        error instanceof HostUnavailableError
          ? { state: 'missing', message: errorSentence(error) }
          : { state: 'error', message: error instanceof HostError ? errorSentence(error) : t('hostError.Failing') };
    }
    return known;
  }

  return {
    status,
    async writeProfiles(writes, options = {}) {
      return (await use(() => client.writeProfiles(writes, options))).profiles;
    },
    async listProfiles() {
      return use(() => client.listProfiles());
    },
    async removeProfiles(profiles) {
      return use(() => client.removeProfiles(profiles));
    },
  };
}
