/**
 * Every way an STS exchange can fail, as one typed error whose message is a single sentence a person can act on.
 * Pure: no network, no browser API.
 *
 * The message never holds a key, a token, the assertion or a stack trace: it is built from a fixed table of advice
 * plus values we chose (role ARN, region, host). STS's own message is kept apart in `stsMessage`, cleaned of
 * anything that looks like a key or a token, for a "details" line or a bug report.
 */

/** STS error codes as they appear on the wire (`<Code>` of an `ErrorResponse`), plus our own. */
export type StsErrorCode =
  // STS, from the facts file and the botocore model
  | 'ExpiredTokenException'
  | 'InvalidIdentityToken'
  | 'AccessDenied'
  | 'ValidationError'
  | 'IDPRejectedClaim'
  | 'RegionDisabledException'
  | 'MalformedPolicyDocument'
  | 'PackedPolicyTooLarge'
  | 'IDPCommunicationError'
  // any AWS query API (chained AssumeRole is signed with the SAML credentials)
  | 'Throttling'
  | 'ExpiredToken'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'ServiceUnavailable'
  | 'OtherServiceError'
  // ours
  | 'Expired'
  | 'SsoRole'
  | 'InvalidInput'
  | 'Network'
  | 'Timeout'
  | 'Unknown';

export type StsOperation = 'AssumeRoleWithSAML' | 'AssumeRole';

export interface StsErrorDetails {
  roleArn?: string;
  operation?: StsOperation;
  httpStatus?: number;
  requestId?: string;
  /** STS's own message, cleaned of anything that looks like a key, token or assertion; never in `message`. */
  stsMessage?: string;
  /** The wire code when `code` is 'OtherServiceError'. */
  awsCode?: string;
}

export class StsError extends Error {
  override name = 'StsError';
  readonly code: StsErrorCode;
  /** The same sentence as `message`: what happened and what to do next. */
  readonly advice: string;
  readonly roleArn?: string;
  readonly operation?: StsOperation;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly stsMessage?: string;
  readonly awsCode?: string;

  constructor(code: StsErrorCode, advice: string, details: StsErrorDetails = {}) {
    super(advice);
    this.code = code;
    this.advice = advice;
    this.roleArn = details.roleArn;
    this.operation = details.operation;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.stsMessage = details.stsMessage;
    this.awsCode = details.awsCode;
  }

  /** What crosses the message boundary to the popup: data only, no stack. */
  toJSON(): { name: string; code: StsErrorCode; message: string; roleArn?: string; requestId?: string } {
    return { name: this.name, code: this.code, message: this.message, roleArn: this.roleArn, requestId: this.requestId };
  }
}

export const EXPIRED_ASSERTION_ADVICE = 'Sign in again: the SAML assertion has expired.';
export const SSO_ROLE_ADVICE =
  'IAM Identity Center roles (AWSReservedSSO_…) cannot be assumed with SAML; use `aws sso login` for them instead.';

export interface ErrorContext {
  operation: StsOperation;
  roleArn?: string;
  region: string;
  endpoint: string;
  timeoutMs: number;
}

/** The SDK's names for modelled exceptions, back to the codes STS sends. */
const SDK_NAME_TO_CODE: Readonly<Record<string, string>> = {
  IDPRejectedClaimException: 'IDPRejectedClaim',
  InvalidIdentityTokenException: 'InvalidIdentityToken',
  MalformedPolicyDocumentException: 'MalformedPolicyDocument',
  PackedPolicyTooLargeException: 'PackedPolicyTooLarge',
  IDPCommunicationErrorException: 'IDPCommunicationError',
};

const KNOWN_SERVICE_CODES = new Set<StsErrorCode>([
  'ExpiredTokenException',
  'InvalidIdentityToken',
  'AccessDenied',
  'ValidationError',
  'IDPRejectedClaim',
  'RegionDisabledException',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'IDPCommunicationError',
  'Throttling',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ServiceUnavailable',
]);

/** Codes that mean the same to a person. */
const ALIASES: Readonly<Record<string, StsErrorCode>> = {
  ThrottlingException: 'Throttling',
  RequestLimitExceeded: 'Throttling',
  TooManyRequestsException: 'Throttling',
  AccessDeniedException: 'AccessDenied',
  InternalFailure: 'ServiceUnavailable',
  InternalError: 'ServiceUnavailable',
  ServiceUnavailableException: 'ServiceUnavailable',
};

/** True when STS refused a DurationSeconds above the role's MaxSessionDuration (retry with less). */
export function isMaxSessionDurationError(error: unknown): boolean {
  return (
    error instanceof StsError &&
    error.code === 'ValidationError' &&
    /DurationSeconds|MaxSessionDuration|session duration/i.test(error.stsMessage ?? '')
  );
}

/** Turn anything thrown by an STS call into an StsError. */
export function toStsError(error: unknown, ctx: ErrorContext): StsError {
  if (error instanceof StsError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string };
    $fault?: unknown;
    cause?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  const host = hostOf(ctx.endpoint);
  const base = { roleArn: ctx.roleArn, operation: ctx.operation };

  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return new StsError('Timeout', adviceFor('Timeout', ctx, host), base);
  }

  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && e.$fault !== undefined) {
    const wire = typeof e.Code === 'string' && e.Code ? e.Code : (SDK_NAME_TO_CODE[name] ?? name);
    const stsMessage = cleanStsMessage(rawMessage);
    const details: StsErrorDetails = { ...base, httpStatus: status, requestId: e.$metadata?.requestId, stsMessage };
    let code: StsErrorCode = ALIASES[wire] ?? (KNOWN_SERVICE_CODES.has(wire as StsErrorCode) ? (wire as StsErrorCode) : 'OtherServiceError');
    if (code === 'OtherServiceError' && (wire === 'Unknown' || wire === '' || !/^[A-Za-z][\w.]{0,63}$/.test(wire))) {
      // Not an STS error document: a proxy page, a captive portal, a server that is not STS.
      code = status >= 500 ? 'ServiceUnavailable' : 'Unknown';
      return new StsError(code, adviceFor(code, ctx, host, undefined, status), { ...details, stsMessage: undefined });
    }
    if (code === 'OtherServiceError') details.awsCode = wire;
    return new StsError(code, adviceFor(code, ctx, host, { wire, stsMessage }, status), details);
  }

  if (isNetworkError(e)) {
    return new StsError('Network', adviceFor('Network', ctx, host), base);
  }
  return new StsError('Unknown', adviceFor('Unknown', ctx, host), base);
}

function isNetworkError(e: { name?: unknown; message?: unknown; code?: unknown; cause?: unknown }): boolean {
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'];
  if (typeof e.code === 'string' && codes.includes(e.code)) return true;
  // fetch (service worker, Firefox event page): "Failed to fetch", "NetworkError when attempting to fetch resource."
  if (e.name === 'TypeError' && typeof e.message === 'string' && /fetch|network|load failed/i.test(e.message)) return true;
  if (e.cause && typeof e.cause === 'object') return isNetworkError(e.cause as typeof e);
  return false;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'STS';
  }
}

function adviceFor(
  code: StsErrorCode,
  ctx: ErrorContext,
  host: string,
  service?: { wire: string; stsMessage?: string },
  status?: number,
): string {
  const saml = ctx.operation === 'AssumeRoleWithSAML';
  const seconds = ctx.timeoutMs >= 1000 ? Math.round(ctx.timeoutMs / 1000) : ctx.timeoutMs / 1000;
  switch (code) {
    case 'ExpiredTokenException':
      return saml
        ? 'AWS says this SAML sign-in is too old (it must be used within 5 minutes of the IdP issuing it); click the AWS tile again.'
        : 'The credentials of the source profile have expired; click the AWS tile again to refresh them.';
    case 'InvalidIdentityToken':
      return 'AWS rejected the SAML assertion: the SAML provider ARN does not match the IdP that signed it, or RoleSessionName is missing or invalid; ask your IdP admin to check the Role and RoleSessionName attributes of the AWS app.';
    case 'AccessDenied':
      return saml
        ? 'AWS refused to let you assume this role: its trust policy does not allow this SAML provider (sts:AssumeRoleWithSAML); ask your AWS admin to check the role\'s trust policy.'
        : 'AWS refused the chained role: its trust policy does not allow the source role, or the external ID is wrong; check the external ID, or ask your AWS admin to check the trust policy.';
    case 'ValidationError':
      return validationAdvice(service?.stsMessage ?? '', saml);
    case 'IDPRejectedClaim':
      return 'AWS rejected the sign-in because the IAM SAML provider does not trust this IdP (outdated metadata or signing certificate); ask your AWS admin to update the SAML provider in IAM.';
    case 'RegionDisabledException':
      return `STS is not activated in ${ctx.region} for this account; choose another STS region in the options, or ask your AWS admin to activate STS there.`;
    case 'MalformedPolicyDocument':
      return 'AWS refused the session policy that came with the sign-in as malformed; ask your IdP admin to check the session policy or tags sent to AWS.';
    case 'PackedPolicyTooLarge':
      return 'The session tags or policies sent with the sign-in are too large for AWS; ask your IdP admin to send fewer PrincipalTag attributes.';
    case 'IDPCommunicationError':
      return 'AWS could not reach your identity provider to check the sign-in; wait a minute and click the AWS tile again.';
    case 'Throttling':
      return 'AWS is limiting STS requests for this account right now; wait a minute and sync again.';
    case 'ExpiredToken':
      return 'The credentials used for the chained role have expired; click the AWS tile again to refresh them.';
    case 'InvalidClientTokenId':
      return 'AWS did not recognise the credentials used for the chained role; click the AWS tile again to get fresh ones.';
    case 'SignatureDoesNotMatch':
      return 'AWS could not verify the request signature; check that this computer\'s clock and time zone are right, then sync again.';
    case 'ServiceUnavailable':
      return `STS at ${host} answered with an error${status ? ` (HTTP ${status})` : ''}; wait a minute and sync again, or choose another STS region in the options.`;
    case 'OtherServiceError':
      return `AWS STS refused the request (${service?.wire ?? 'error'}${service?.stsMessage ? `: ${service.stsMessage.replace(/[.\s]+$/, '')}` : ''}); check the role and the options, and report it if it makes no sense.`;
    case 'Network':
      return `STS at ${host} could not be reached; check your network connection, VPN or proxy, and sync again.`;
    case 'Timeout':
      return `STS at ${host} did not answer within ${seconds} seconds; check your network connection and sync again.`;
    case 'Expired':
      return EXPIRED_ASSERTION_ADVICE;
    case 'SsoRole':
      return SSO_ROLE_ADVICE;
    case 'InvalidInput':
      return 'The request to STS could not be built from this sign-in; click the AWS tile again.';
    case 'Unknown':
      return status
        ? `The server at ${host} did not answer like STS (HTTP ${status}); check the custom STS endpoint in the options, or your proxy.`
        : 'The STS call failed for an unexpected reason; sync again, and report it if it repeats.';
  }
}

function validationAdvice(message: string, saml: boolean): string {
  if (/DurationSeconds|MaxSessionDuration|session duration|role chaining/i.test(message)) {
    return saml
      ? 'The requested session length is longer than this role allows; lower the session length in the options, or ask your AWS admin to raise the role\'s maximum session duration.'
      : 'A chained role session can last at most one hour; set its session length to 3600 seconds or less.';
  }
  if (/RoleSessionName|roleSessionName/.test(message)) {
    return saml
      ? 'AWS refused the RoleSessionName sent by your IdP (2 to 64 letters, digits and _+=,.@-); ask your IdP admin to fix the RoleSessionName attribute.'
      : 'AWS refused the session name of the chained role; use 2 to 64 letters, digits and _+=,.@-.';
  }
  if (/ExternalId|externalId/.test(message)) {
    return 'AWS refused the external ID of the chained role; use 2 to 1224 letters, digits and _+=,.@:/-.';
  }
  if (/arn|ARN|Arn/.test(message)) {
    return 'AWS says the role or SAML provider ARN is not valid; check the role your IdP sends, or the role ARN in the options.';
  }
  return 'AWS refused the request as invalid; check the role ARN, the session name and the session length in the options.';
}

/**
 * STS's own message, safe to show as a detail: one line, at most 300 characters, with anything shaped like an
 * access key id, a secret, a session token or a base64 blob (the assertion: 32 or more base64 characters with a
 * digit among them) replaced by "[redacted]".
 */
export function cleanStsMessage(message: string): string | undefined {
  const cleaned = message
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[redacted]')
    .replace(/[A-Za-z0-9+/=]{32,}/g, (run) => (/\d/.test(run) ? '[redacted]' : run))
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return undefined;
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
}
