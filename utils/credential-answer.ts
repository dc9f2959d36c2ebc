/**
 * credential_process, the extension's answer to the host's ask for a profile's credentials (PROTOCOL.md
 * "credential_process"). Pure: the held credentials, the settings and the refresh are passed in.
 *
 * - Only profiles the person switched to credential_process are served (a mapping, or a resolve-now chain).
 * - 15 minutes or more left on the held credentials: those (botocore refreshes 15 minutes before expiry).
 * - Otherwise `refreshProfile`. When it needs the person, credentials with 5 minutes left are still given (the JS
 *   SDK treats less as expired; botocore keeps working with them), else the sentence.
 */
import type { CredentialsAnswerBody } from './host-protocol';
import type { HeldCredentials } from './profile-sync';
import type { Settings } from './settings';

export const SERVE_FROM_MEMORY_MS = 15 * 60_000;
export const LAST_RESORT_MS = 5 * 60_000;
export const OPEN_BROWSER_SENTENCE = 'Open your browser and click the AWS tile (or run with --open).';

/** Fresh credentials for a profile, or the sentence for a person (the IdP wants them). */
export type RefreshProfile = (profile: string) => Promise<HeldCredentials | { needsPerson: string }>;

export function isServedProfile(settings: Settings, profile: string): boolean {
  return (
    settings.mappings.some((m) => m.profile === profile && m.writeAs === 'credential-process') ||
    settings.chains.some((c) => c.profile === profile && c.resolveNow && c.writeAs === 'credential-process')
  );
}

function answerOf(h: HeldCredentials): CredentialsAnswerBody {
  return { credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secretAccessKey, sessionToken: h.sessionToken, expiration: h.expiration } };
}

export async function answerCredentials(
  profile: string,
  deps: { settings: Settings; held: (profile: string) => Promise<HeldCredentials | undefined>; refreshProfile: RefreshProfile; now?: () => number },
): Promise<CredentialsAnswerBody> {
  const now = deps.now ?? Date.now;
  if (!isServedProfile(deps.settings, profile)) {
    return {
      error: {
        name: 'NoCredentials',
        message: `aws-saml-sync does not serve profile "${profile}" by credential_process; switch it on for that profile in the options page.`,
      },
    };
  }
  const left = (h: HeldCredentials | undefined) => (h ? Date.parse(h.expiration) - now() : -1);
  const held = await deps.held(profile);
  if (held && left(held) >= SERVE_FROM_MEMORY_MS) return answerOf(held);
  const refreshed = await deps.refreshProfile(profile);
  if (!('needsPerson' in refreshed)) return answerOf(refreshed);
  if (held && left(held) >= LAST_RESORT_MS) return answerOf(held);
  return { error: { name: 'NeedsPerson', message: refreshed.needsPerson } };
}
