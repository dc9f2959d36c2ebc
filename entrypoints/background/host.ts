/**
 * The background's view of the native host: connects on demand, lets go of the connection when idle (an open
 * native port keeps the host process and the service worker alive), remembers what the handshake said, and turns
 * every failure into a HostStatus sentence.
 */
import type { HostStatus, ManagedProfile } from '@/utils/messages';
import { createNativeClient, HostError, HostUnavailableError, type PortLike } from '@/utils/native-client';
import type { ProfileWrite } from '@/utils/profile-sync';

/** Oldest host that speaks what this extension needs. */
export const MIN_HOST_PROTOCOL = 1;
const IDLE_DISCONNECT_MS = 15_000;

export interface HostAccess {
  status(fresh?: boolean): Promise<HostStatus>;
  /** `confirmOverwrite`: profile names the person agreed may replace existing sections. */
  writeProfiles(writes: ProfileWrite[], confirmOverwrite?: string[]): Promise<void>;
  listProfiles(): Promise<ManagedProfile[]>;
  removeProfiles(profiles: string[]): Promise<string[]>;
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
            message: `The installed aws-saml-sync helper (${hello.hostVersion}) is too old for this extension; run npm run host:install again.`,
          };
    } catch (error) {
      known =
        error instanceof HostUnavailableError
          ? { state: 'missing', message: error.message }
          : { state: 'error', message: error instanceof HostError ? error.message : 'The aws-saml-sync helper did not answer properly; run npm run host:install again.' };
    }
    return known;
  }

  return {
    status,
    async writeProfiles(writes, confirmOverwrite) {
      await use(() => client.writeProfiles(writes, { confirmOverwrite }));
    },
    async listProfiles() {
      return use(() => client.listProfiles());
    },
    async removeProfiles(profiles) {
      return use(() => client.removeProfiles(profiles));
    },
  };
}
