/**
 * Popup and options states for the UI tests (component tests and the Chromium screenshots), and a scripted fake
 * background that answers the requests of utils/messages.ts. Plain data: no DOM, no browser API.
 */
import type { CapturedLoginFailed, CapturedLoginOk } from '../../utils/captured-login';
import type { ManagedProfile, PopupState, RequestMap, RequestType, ResponseEnvelope, RoleSyncState } from '../../utils/messages';
import type { SamlRole } from '../../utils/saml';
import type { Settings } from '../../utils/settings';

/** The same defaults as utils/settings.ts DEFAULT_SETTINGS (kept literal so this file needs no valibot). */
export const BASE_SETTINGS: Settings = {
  version: 1,
  defaultRegion: 'us-east-1',
  maxSessionSeconds: 43200,
  profileNameTemplate: '{alias}-{role}',
  accountAliases: {},
  mappings: [],
  chains: [],
  writeLegacySecurityToken: false,
  refreshEnabled: false,
  refreshLeadMinutes: 10,
  refreshInBackgroundTab: false,
  refreshAuthUser: {},
};

export const SEED_ACCOUNT = '111222333444';
export const SEED_ROLE_ARN = `arn:aws:iam::${SEED_ACCOUNT}:role/saml-init`;
export const DEV_ROLE_ARN = 'arn:aws:iam::888777666555:role/assumed-dev';

export function role(accountId: string, path: string, partition: SamlRole['partition'] = 'aws'): SamlRole {
  const roleName = path.split('/').pop()!;
  return {
    roleArn: `arn:${partition}:iam::${accountId}:role/${path}`,
    principalArn: `arn:${partition}:iam::${accountId}:saml-provider/Google`,
    accountId,
    roleName,
    partition,
  };
}

/** The two roles of the seed workflow's sign-in. */
export const SEED_ROLES: SamlRole[] = [role(SEED_ACCOUNT, 'saml-init'), role(SEED_ACCOUNT, 'team/Deployer')];

/** Nine roles in three accounts: enough for the filter box. */
export const MANY_ROLES: SamlRole[] = [
  role(SEED_ACCOUNT, 'saml-init'),
  role(SEED_ACCOUNT, 'team/Deployer'),
  role(SEED_ACCOUNT, 'ReadOnly'),
  role('222333444555', 'Admin'),
  role('222333444555', 'Developer'),
  role('222333444555', 'ReadOnly'),
  role('333444555666', 'Admin'),
  role('333444555666', 'Billing'),
  role('333444555666', 'SecurityAudit'),
];

export function okLogin(roles: SamlRole[], capturedAt: string, extra: Partial<CapturedLoginOk> = {}): Omit<CapturedLoginOk, 'samlResponse'> {
  return {
    ok: true,
    id: 'login-1',
    url: 'https://signin.aws.amazon.com/saml',
    partition: 'aws',
    capturedAt,
    roles,
    roleSessionName: 'alice@example.com',
    sessionDuration: 3600,
    ...extra,
  };
}

export function failedLogin(capturedAt: string, error: string): CapturedLoginFailed {
  return { ok: false, id: 'login-2', url: 'https://signin.aws.amazon.com/saml', capturedAt, error };
}

export const LOGIN_ERROR_SENTENCE =
  'This sign-in carried no AWS role; ask your IdP admin to add the https://aws.amazon.com/SAML/Attributes/Role attribute.';
export const SYNC_ERROR_SENTENCE =
  'AWS refused the sign-in because it is more than 5 minutes old; click the AWS tile again and sync within 5 minutes.';
export const HOST_MISSING_SENTENCE = 'The aws-saml-sync helper is not installed, so ~/.aws cannot be written from this browser.';

export function popupState(overrides: Partial<PopupState> = {}): PopupState {
  return {
    settings: BASE_SETTINGS,
    host: { state: 'ok', hostVersion: '1.0.0' },
    profiles: [],
    roleSync: {},
    ...overrides,
  };
}

/** Settings after the seed workflow: saml-init as sts-temp, dev-env chained from it. */
export const SEED_SETTINGS: Settings = {
  ...BASE_SETTINGS,
  googleIdpId: 'C01abc2de',
  googleSpId: '123456789012',
  accountAliases: { [SEED_ACCOUNT]: 'sandbox' },
  mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: true }],
  chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: DEV_ROLE_ARN, resolveNow: false }],
};

export function seedProfiles(expiration: string): ManagedProfile[] {
  return [
    { profile: 'sts-temp', kind: 'saml', roleArn: SEED_ROLE_ARN, expiration },
    { profile: 'dev-env', kind: 'chained-config', roleArn: DEV_ROLE_ARN, sourceProfile: 'sts-temp' },
  ];
}

export function syncOk(roleArn: string, profile: string, expiration: string): RoleSyncState {
  return { roleArn, profile, status: 'ok', expiration, copyAvailable: true };
}

// ---- a scripted background -----------------------------------------------------------------------------------

export type FakeHandlers = {
  [K in RequestType]?: (body: RequestMap[K]['req']) => RequestMap[K]['res'] | Promise<RequestMap[K]['res']>;
};

/** A failure the fake background answers with; its message reaches the page as RequestError.message. */
export class FakeFailure extends Error {
  constructor(
    message: string,
    readonly code = 'FakeFailure',
  ) {
    super(message);
  }
}

export interface FakeBackground {
  send: (message: unknown) => Promise<unknown>;
  calls: { type: RequestType; body: unknown }[];
}

/** Answers like the real background: `{ok:true, body}` or `{ok:false, error}`; unknown requests fail. */
export function fakeBackground(handlers: FakeHandlers): FakeBackground {
  const calls: FakeBackground['calls'] = [];
  const send = async (message: unknown): Promise<unknown> => {
    const { type, body } = message as { type: RequestType; body: never };
    calls.push({ type, body });
    const handler = handlers[type] as ((b: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { name: 'NoHandler', message: `No fake handler for ${type}.` } } satisfies ResponseEnvelope;
    try {
      return { ok: true, body: await handler(body) };
    } catch (error) {
      const e = error as Error & { code?: string };
      return { ok: false, error: { name: e.code ?? e.name, message: e.message } };
    }
  };
  return { send, calls };
}
