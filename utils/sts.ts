/**
 * Turns a captured SAML assertion into STS credentials (AssumeRoleWithSAML), and those into a chained role's
 * credentials (AssumeRole). Pure of UI and of browser APIs: storage comes in through `DurationMemory`, time through
 * `now`, the network through the AWS SDK (fetch in the service worker, node:http in tests).
 *
 * Only `STSClient` and the two commands are imported: the v3 client is modular and `sideEffects: false`, so the
 * bundle gets nothing else of the SDK's commands. The service worker build must resolve the SDK's XML parser to
 * its DOM-free version (MV3 service workers have no DOMParser): see build/sdk-xml-reader.ts.
 */
import { AssumeRoleCommand, AssumeRoleWithSAMLCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { assertionIsFresh } from './assertion-freshness';
import { mapBounded } from './bounded';
import { localized } from './localized-text';
import { EXTERNAL_ID, follows, parseRoleArn, SESSION_NAME } from './aws-names';
import { resolveStsTarget, StsEndpointError, type StsTarget } from './sts-endpoint';
import {
  EXPIRED_ASSERTION_ADVICE,
  isMaxSessionDurationError,
  SSO_ROLE_ADVICE,
  StsError,
  toStsError,
  type StsOperation,
} from './sts-errors';

export { StsError, EXPIRED_ASSERTION_ADVICE, SSO_ROLE_ADVICE, type StsErrorCode } from './sts-errors';
export { resolveStsTarget, regionalStsUrl, type StsTarget } from './sts-endpoint';

/** What this module needs of a parsed login: a `SamlLogin` (utils/saml.ts) or a stored `CapturedLoginOk` fits. */
export interface StsLogin {
  /** The base64 SAMLResponse, sent as is. */
  samlResponse: string;
  roleSessionName?: string;
  /** The assertion's SessionDuration attribute, seconds. */
  sessionDuration?: number;
  /** The Response's Destination: a regional sign-in URL names the region to prefer. */
  destination?: string;
  notOnOrAfter?: Date | string;
  /** When the browser saw the POST (ms since epoch, Date or ISO string). */
  capturedAt?: number | Date | string;
}

/** A role offered by the assertion (`SamlRole` fits). */
export interface StsRole {
  roleArn: string;
  principalArn: string;
  /** The person's longest wanted session for this role (a mapping's "Duration"); wins over `maxSessionSeconds`. */
  maxSessionSeconds?: number;
}

export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** `arn:<partition>:sts::<account>:assumed-role/<role>/<session>` */
  assumedRoleArn?: string;
  sourceIdentity?: string;
  /** The DurationSeconds STS granted this session (undefined: we let STS choose its default). */
  durationSeconds?: number;
}

/**
 * Per role ARN, the DurationSeconds that worked after a longer one was refused (0: "send no DurationSeconds").
 * Holds no secret. See utils/sts-duration-memory.ts for the storage.local one.
 */
export interface DurationMemory {
  get(roleArn: string): Promise<number | undefined>;
  set(roleArn: string, seconds: number): Promise<void>;
}

export interface StsOptions {
  /** Preferred STS region (options page / profile mapping); ignored when not in the role's partition. */
  region?: string;
  /** Custom STS base URL (an AWS STS host: VPC or FIPS endpoint). Overrides the URL, never the partition. */
  stsEndpoint?: string;
  /**
   * Asked before anything is sent: may the extension reach this STS base URL (a granted host permission)? A `false`
   * fails the call with 'EndpointNotAllowed' and sends nothing. Default: allowed.
   */
  allowEndpoint?: (endpoint: string) => Promise<boolean>;
  /** The SAML destination, when the login at hand is not passed (chained roles). */
  samlDestination?: string;
  /** Per HTTP attempt; default 10 000 ms. */
  requestTimeoutMs?: number;
  /** SDK standard retry mode; default 3 attempts. */
  maxAttempts?: number;
  now?: () => number;
  /** An SDK request handler or handler options; replaces the timeout handling (tests). */
  requestHandler?: STSClientConfig['requestHandler'];
}

export interface SamlExchangeOptions extends StsOptions {
  /** The person's longest wanted session, seconds (900..43200); default 43200. */
  maxSessionSeconds?: number;
  durationMemory?: DurationMemory;
  /** Overrides `login.capturedAt`. */
  capturedAt?: number | Date | string;
}

export interface ChainOptions extends StsOptions {
  /** At most 3600 (role chaining limit) and at least 900; default 3600. */
  durationSeconds?: number;
  /** Default `aws-saml-sync`; pass the SAML RoleSessionName to keep the person's name in CloudTrail. */
  roleSessionName?: string;
  externalId?: string;
}

export interface BulkOptions extends SamlExchangeOptions {
  /** Requests in flight at once; default 8. */
  concurrency?: number;
}

export type RoleResult<R extends StsRole = StsRole> =
  | { role: R; ok: true; credentials: StsCredentials }
  | { role: R; ok: false; error: StsError };

export const DEFAULT_MAX_SESSION_SECONDS = 43_200;
export const MIN_SESSION_SECONDS = 900;
/** Chained role sessions and the fallback when a role's maximum is unknown. */
export const ONE_HOUR = 3_600;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_CONCURRENCY = 8;

const SSO_ROLE = /^AWSReservedSSO_/;

/**
 * The DurationSeconds values to try, in order (undefined: send none, STS's default of one hour):
 * the smaller of the person's setting and the assertion's SessionDuration, or what was remembered for the role;
 * then, only after STS said it exceeds the role's MaxSessionDuration, 3600, then none.
 */
export function planSamlDurations(input: {
  maxSessionSeconds?: number;
  sessionDuration?: number;
  remembered?: number;
}): (number | undefined)[] {
  const clamp = (s: number) => Math.min(DEFAULT_MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, Math.floor(s)));
  const valid = (s: number | undefined): s is number => typeof s === 'number' && Number.isFinite(s) && s > 0;
  const ceiling = clamp(
    Math.min(
      valid(input.maxSessionSeconds) ? input.maxSessionSeconds : DEFAULT_MAX_SESSION_SECONDS,
      valid(input.sessionDuration) ? input.sessionDuration : DEFAULT_MAX_SESSION_SECONDS,
    ),
  );
  if (input.remembered === 0) return [undefined];
  const first = valid(input.remembered) ? Math.min(clamp(input.remembered), ceiling) : ceiling;
  return first > ONE_HOUR ? [first, ONE_HOUR, undefined] : [first];
}

/** An StsError('Expired') when the assertion must not be sent any more, else undefined. */
export function checkAssertionFresh(
  login: Pick<StsLogin, 'notOnOrAfter' | 'capturedAt'>,
  options: { now?: () => number; capturedAt?: StsLogin['capturedAt'] } = {},
): StsError | undefined {
  const now = options.now?.() ?? Date.now();
  if (!assertionIsFresh({ notOnOrAfter: login.notOnOrAfter, capturedAt: options.capturedAt ?? login.capturedAt }, now)) {
    return new StsError('Expired', EXPIRED_ASSERTION_ADVICE, { operation: 'AssumeRoleWithSAML' });
  }
  return undefined;
}

/**
 * AssumeRoleWithSAML for one role, asking for the longest session allowed (see planSamlDurations). Throws StsError.
 */
export async function assumeRoleWithSaml(login: StsLogin, role: StsRole, options: SamlExchangeOptions = {}): Promise<StsCredentials> {
  const clients = new ClientPool(options);
  try {
    return await exchangeOne(login, role, options, clients);
  } finally {
    clients.destroy();
  }
}

/**
 * AssumeRoleWithSAML for many roles of one assertion, at most `concurrency` (8) in flight. Never throws: one result
 * per role, in the order given, each naming its role.
 */
export async function assumeRolesWithSaml<R extends StsRole>(
  login: StsLogin,
  roles: readonly R[],
  options: BulkOptions = {},
): Promise<RoleResult<R>[]> {
  const clients = new ClientPool(options);
  try {
    return await mapBounded(roles, options.concurrency ?? DEFAULT_CONCURRENCY, async (role): Promise<RoleResult<R>> => {
      try {
        return { role, ok: true, credentials: await exchangeOne(login, role, options, clients) };
      } catch (error) {
        return { role, ok: false, error: error instanceof StsError ? error : toStsError(error, errorContext('AssumeRoleWithSAML', role.roleArn, undefined, options)) };
      }
    });
  } finally {
    clients.destroy();
  }
}

/**
 * AssumeRole from credentials (usually the SAML ones) into a secondary role: one hour at most, as AWS allows for
 * role chaining. Throws StsError.
 */
export async function assumeChainedRole(
  baseCredentials: Pick<StsCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> & { expiration?: Date },
  roleArn: string,
  options: ChainOptions = {},
): Promise<StsCredentials> {
  const op: StsOperation = 'AssumeRole';
  const now = options.now?.() ?? Date.now();
  const target = targetOrThrow(roleArn, options, options.samlDestination, op);
  const ctx = errorContext(op, roleArn, target, options);
  const sessionName = options.roleSessionName ?? 'aws-saml-sync';
  if (!follows(SESSION_NAME, sessionName)) {
    throw new StsError('InvalidInput', localized('sts.chainSessionNameRule'), { roleArn, operation: op });
  }
  if (options.externalId !== undefined && !follows(EXTERNAL_ID, options.externalId)) {
    throw new StsError('InvalidInput', localized('sts.chainExternalIdRule'), { roleArn, operation: op });
  }
  if (baseCredentials.expiration && baseCredentials.expiration.getTime() <= now) {
    throw new StsError('ExpiredToken', localized('sts.chainExpiredToken'), { roleArn, operation: op });
  }
  const durationSeconds = Math.max(MIN_SESSION_SECONDS, Math.min(ONE_HOUR, Math.floor(options.durationSeconds ?? ONE_HOUR)));
  await checkEndpointAllowed(target, options, roleArn, op);
  const client = createClient(target, options, baseCredentials);
  try {
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: durationSeconds,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      }),
    );
    return credentialsFrom(out, durationSeconds, ctx);
  } catch (error) {
    throw toStsError(error, ctx);
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function exchangeOne(login: StsLogin, role: StsRole, options: SamlExchangeOptions, clients: ClientPool): Promise<StsCredentials> {
  const op: StsOperation = 'AssumeRoleWithSAML';
  const { roleArn } = role;
  const expired = checkAssertionFresh(login, options);
  if (expired) throw new StsError(expired.code, expired.advice, { roleArn, operation: op });
  const arn = parseRoleArn(roleArn);
  if (arn && SSO_ROLE.test(arn.roleName)) {
    throw new StsError('SsoRole', SSO_ROLE_ADVICE, { roleArn, operation: op });
  }
  const target = targetOrThrow(roleArn, options, login.destination, op);
  const ctx = errorContext(op, roleArn, target, options);
  if (!login.roleSessionName) {
    throw new StsError(
      'InvalidInput',
      localized('sts.noRoleSessionName'),
      { roleArn, operation: op },
    );
  }

  const [, remembered] = await Promise.all([checkEndpointAllowed(target, options, roleArn, op), safely(() => options.durationMemory?.get(roleArn))]);
  const plan = planSamlDurations({ maxSessionSeconds: role.maxSessionSeconds ?? options.maxSessionSeconds, sessionDuration: login.sessionDuration, remembered });
  const client = clients.get(target);
  for (let i = 0; ; i++) {
    const durationSeconds = plan[i];
    try {
      const out = await client.send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: roleArn,
          PrincipalArn: role.principalArn,
          SAMLAssertion: login.samlResponse,
          ...(durationSeconds !== undefined ? { DurationSeconds: durationSeconds } : {}),
        }),
      );
      if (i > 0) await safely(() => options.durationMemory?.set(roleArn, durationSeconds ?? 0));
      return credentialsFrom(out, durationSeconds, ctx);
    } catch (error) {
      const stsError = toStsError(error, ctx);
      // Only a refused duration is worth another try; the SDK has already retried throttling and network errors.
      if (isMaxSessionDurationError(stsError) && i + 1 < plan.length) continue;
      throw stsError;
    }
  }
}

function targetOrThrow(roleArn: string, options: StsOptions, samlDestination: string | undefined, op: StsOperation): StsTarget {
  try {
    return resolveStsTarget({ roleArn, region: options.region, stsEndpoint: options.stsEndpoint, samlDestination });
  } catch (error) {
    if (error instanceof StsEndpointError) throw new StsError('InvalidInput', error.text ?? localized('sts.invalidInput'), { roleArn, operation: op });
    throw error;
  }
}

async function checkEndpointAllowed(target: StsTarget, options: StsOptions, roleArn: string, op: StsOperation): Promise<void> {
  if (!options.allowEndpoint) return;
  const allowed = await options.allowEndpoint(target.endpoint).catch(() => false);
  if (!allowed) {
    throw new StsError(
      'EndpointNotAllowed',
      localized('sts.endpointNotAllowed', { host: new URL(target.endpoint).host }),
      { roleArn, operation: op },
    );
  }
}

function errorContext(operation: StsOperation, roleArn: string, target: StsTarget | undefined, options: StsOptions) {
  return {
    operation,
    roleArn,
    region: target?.region ?? options.region ?? 'us-east-1',
    endpoint: target?.endpoint ?? options.stsEndpoint ?? 'https://sts.amazonaws.com',
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

interface StsOutput {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date };
  AssumedRoleUser?: { Arn?: string };
  SourceIdentity?: string;
}

function credentialsFrom(out: StsOutput, durationSeconds: number | undefined, ctx: ReturnType<typeof errorContext>): StsCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !(c.Expiration instanceof Date)) {
    throw new StsError('Unknown', localized('sts.incompleteCredentials'), {
      roleArn: ctx.roleArn,
      operation: ctx.operation,
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    assumedRoleArn: out.AssumedRoleUser?.Arn,
    sourceIdentity: out.SourceIdentity,
    durationSeconds,
  };
}

function createClient(target: StsTarget, options: StsOptions, credentials?: Pick<StsCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): STSClient {
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new STSClient({
    region: target.region,
    endpoint: target.endpoint,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    // FetchHttpHandler (service worker) reads requestTimeout; NodeHttpHandler (tests, bench) only warns on it
    // unless throwOnRequestTimeout is set.
    requestHandler: options.requestHandler ?? { requestTimeout: timeout, connectionTimeout: timeout, throwOnRequestTimeout: true },
    // AssumeRoleWithSAML is unsigned (smithy.api#noAuth in the model, kept because the endpoint is always explicit);
    // AssumeRole is signed with the credentials it chains from.
    ...(credentials
      ? { credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken } }
      : {}),
  });
}

/** One unsigned client per endpoint+region for the roles of one assertion (they share connections). */
class ClientPool {
  private readonly clients = new Map<string, STSClient>();
  constructor(private readonly options: StsOptions) {}
  get(target: StsTarget): STSClient {
    const key = `${target.endpoint}|${target.region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createClient(target, this.options);
      this.clients.set(key, client);
    }
    return client;
  }
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

async function safely<T>(fn: () => Promise<T> | T | undefined): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined; // a storage failure must not fail the sign-in; at worst we ask too long once more
  }
}
