/**
 * credential_process in the background: while any profile is served by credential_process, one native port stays
 * open to a host process that listens on the per-user local socket (`serveCredentials`), so `aws` and the SDKs get
 * credentials from this browser on demand (utils/credential-answer.ts). An open native port keeps a Chrome MV3
 * worker alive; Firefox keeps the background alive while the native application runs. When the port closes it is
 * reopened (1 s, doubling to 1 min); when no profile is served any more it is closed.
 */
import { errorSentence, t } from '@/i18n/translate';
import { answerCredentials, OPEN_BROWSER_SENTENCE, type RefreshProfile } from '@/utils/credential-answer';
import { createNativeClient, HostError, type PortLike } from '@/utils/native-client';
import { syncProfiles, type HeldCredentials } from '@/utils/profile-sync';
import { servesCredentialProcess, signInUrlOf, type Settings } from '@/utils/settings';
import type { HostAccess } from './host';
import { heldCredentials, holdCredentials } from './session-state';
import { mayReach } from './sync';

const MAX_RETRY_MS = 60_000;
/** Chained credentials are assumed only from a source with at least this much left. */
const SOURCE_MIN_MS = 5 * 60_000;

export interface CredentialProcessDeps {
  connect: () => PortLike;
  lastError?: () => string | undefined;
  loadSettings: () => Promise<Settings>;
  /** The writing host (entrypoints/background/host.ts), to write chained credentials assumed on demand. */
  host: HostAccess;
  /** Injected for tests and for silent refresh (issue 11); default: createRefreshProfile(...) below. */
  refreshProfile?: RefreshProfile;
  silentRefresh?: SilentRefresh;
}

/** Silent refresh's outcome for credential_process: done, or what the IdP wants from the person (one clause). */
export type SilentRefresh = () => Promise<{ ok: true } | { ok: false; wants: string }>;

/**
 * Fresh credentials for a credential_process profile. A resolve-now chain is assumed on demand from its source's held
 * credentials (and written, which also refreshes the helper's cache). A SAML profile needs a new assertion.
 */
export function createRefreshProfile(
  loadSettings: () => Promise<Settings>,
  host: HostAccess,
  /** Silent refresh (entrypoints/background/refresh.ts): a new assertion through the IdP session, synced. */
  silentRefresh?: SilentRefresh,
): RefreshProfile {
  /** Held credentials, or the sentence of why STS gave none (refused, no permission for its endpoint). */
  const assumeChain = async (settings: Settings, profile: string): Promise<HeldCredentials | { needsPerson: string } | undefined> => {
    const chain = settings.chains.find((c) => c.profile === profile && c.resolveNow);
    if (chain) {
      const source = await heldCredentials(chain.sourceProfile, Date.now() + SOURCE_MIN_MS);
      if (source) {
        const outcome = await syncProfiles(
          {
            targets: [],
            settings: { ...settings, chains: [chain] },
            heldBefore: { [chain.sourceProfile]: source },
            existingProfiles: [chain.sourceProfile],
            // As in every sync: nothing goes to an STS endpoint whose host permission is not granted.
            stsOptions: { allowEndpoint: mayReach },
          },
          { writeProfiles: (writes) => host.writeProfiles(writes, { legacySecurityToken: settings.writeLegacySecurityToken }), describeError: errorSentence },
        );
        const held: HeldCredentials | undefined = outcome.held[profile];
        if (held) {
          await holdCredentials({ [profile]: held });
          return held;
        }
        const refused = outcome.writeError ?? outcome.chains.find((c) => c.status === 'error')?.error;
        if (refused) return { needsPerson: refused };
      }
    }
    return undefined;
  };
  return async (profile) => {
    const settings = await loadSettings();
    const chained = await assumeChain(settings, profile);
    if (chained) return chained;
    // A SAML profile, or a chain whose source is too old: a new assertion without the person (silent refresh syncs
    // every auto-synced mapping and its chains), then the fresh credentials from the vault. When the IdP wants the
    // person, refresh has already notified them; the command says what the IdP wants and what to do.
    if (settings.refreshEnabled && silentRefresh) {
      const refreshed = await silentRefresh();
      if (!refreshed.ok) return { needsPerson: t('refresh.commandNeedsYou', { why: refreshed.wants }) };
      const fresh = (await heldCredentials(profile, Date.now() + SOURCE_MIN_MS)) ?? (await assumeChain(await loadSettings(), profile));
      if (fresh) return fresh;
    }
    return { needsPerson: OPEN_BROWSER_SENTENCE };
  };
}

export function createCredentialProcess(deps: CredentialProcessDeps) {
  const refreshProfile = deps.refreshProfile ?? createRefreshProfile(deps.loadSettings, deps.host, deps.silentRefresh);
  let serving = false;
  let wanted = false;
  let retryMs = 1_000;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let updating: Promise<void> | undefined;

  const client = createNativeClient(deps.connect, {
    lastError: deps.lastError,
    onHostRequest: async (ask) =>
      answerCredentials(ask.body.profile, {
        settings: await deps.loadSettings(),
        held: (profile) => heldCredentials(profile),
        refreshProfile,
      }),
    onDisconnect: () => {
      serving = false;
      if (wanted) scheduleRetry();
    },
  });

  function scheduleRetry(): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void update(), retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }

  async function run(): Promise<void> {
    const settings = await deps.loadSettings();
    wanted = servesCredentialProcess(settings);
    if (!wanted) {
      clearTimeout(retryTimer);
      if (serving) client.disconnect();
      serving = false;
      return;
    }
    if (serving) return;
    try {
      const url = signInUrlOf(settings);
      await client.serveCredentials(url ? { signInUrl: url } : {});
      serving = true;
      retryMs = 1_000;
    } catch (error) {
      // SocketInUse: another browser serves already; keep trying slowly in case it closes.
      if (error instanceof HostError && error.errorName === 'SocketInUse') retryMs = MAX_RETRY_MS;
      client.disconnect();
      scheduleRetry();
    }
  }

  /** Start or stop serving to match the settings (on start-up and whenever they change). */
  function update(): Promise<void> {
    updating = (updating ?? Promise.resolve()).then(run, run);
    return updating;
  }

  return { update, isServing: () => serving };
}
