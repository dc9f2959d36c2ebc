/**
 * Every way an STS exchange can fail, as one typed error whose advice is a single sentence a person can act on (a
 * catalogue key and its values; the edge words it in the UI language). Pure: no network, no browser API.
 *
 * The advice never holds a key, a token, the assertion or a stack trace: it is a fixed table of sentences plus
 * values we chose (role ARN, region, host). STS's own message is kept apart in `stsMessage`, cleaned of
 * anything that looks like a key or a token, for a "details" line or a bug report.
 */
import { localized, type LocalizedText } from './localized-text';
import { PublicError } from './public-error';

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
  | 'EndpointNotAllowed'
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

export class StsError extends PublicError {
  override name = 'StsError';
  readonly code: StsErrorCode;
  /** What happened and what to do next, as a catalogue sentence (the `message` is its key, for logs). */
  readonly advice: LocalizedText;
  readonly roleArn?: string;
  readonly operation?: StsOperation;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly stsMessage?: string;
  readonly awsCode?: string;

  constructor(code: StsErrorCode, advice: LocalizedText, details: StsErrorDetails = {}) {
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

export const EXPIRED_ASSERTION_ADVICE = localized('sts.expiredAssertion');
export const SSO_ROLE_ADVICE = localized('sts.ssoRole');

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
): LocalizedText {
  const saml = ctx.operation === 'AssumeRoleWithSAML';
  const seconds = ctx.timeoutMs >= 1000 ? Math.round(ctx.timeoutMs / 1000) : ctx.timeoutMs / 1000;
  switch (code) {
    case 'ExpiredTokenException':
      return saml
        ? localized('sts.samlExpiredToken')
        : localized('sts.sourceExpiredToken');
    case 'InvalidIdentityToken':
      return localized('sts.invalidIdentityToken');
    case 'AccessDenied':
      return saml
        ? localized('sts.samlAccessDenied')
        : localized('sts.chainAccessDenied');
    case 'ValidationError':
      return validationAdvice(service?.stsMessage ?? '', saml);
    case 'IDPRejectedClaim':
      return localized('sts.idpRejectedClaim');
    case 'RegionDisabledException':
      return localized('sts.regionDisabled', { region: ctx.region });
    case 'MalformedPolicyDocument':
      return localized('sts.malformedPolicy');
    case 'PackedPolicyTooLarge':
      return localized('sts.packedPolicyTooLarge');
    case 'IDPCommunicationError':
      return localized('sts.idpCommunication');
    case 'Throttling':
      return localized('sts.throttling');
    case 'ExpiredToken':
      return localized('sts.chainExpiredToken');
    case 'InvalidClientTokenId':
      return localized('sts.invalidClientTokenId');
    case 'SignatureDoesNotMatch':
      return localized('sts.signatureDoesNotMatch');
    case 'ServiceUnavailable':
      return status ? localized('sts.serviceUnavailableStatus', { host, status }) : localized('sts.serviceUnavailable', { host });
    case 'OtherServiceError':
      // STS's own words (and an unknown code) are the server's text, not ours: they stay in the error's details.
      return localized('sts.otherServiceError');
    case 'Network':
      return localized('sts.network', { host });
    case 'Timeout':
      return localized('sts.timeout', { host, seconds });
    case 'Expired':
      return EXPIRED_ASSERTION_ADVICE;
    case 'SsoRole':
      return SSO_ROLE_ADVICE;
    case 'InvalidInput':
      return localized('sts.invalidInput');
    case 'EndpointNotAllowed':
      return localized('sts.endpointNotAllowed', { host });
    case 'Unknown':
      return status ? localized('sts.notSts', { host, status }) : localized('sts.unknown');
  }
}

function validationAdvice(message: string, saml: boolean): LocalizedText {
  if (/DurationSeconds|MaxSessionDuration|session duration|role chaining/i.test(message)) {
    return saml
      ? localized('sts.samlDurationTooLong')
      : localized('sts.chainDurationTooLong');
  }
  if (/RoleSessionName|roleSessionName/.test(message)) {
    return saml
      ? localized('sts.samlSessionName')
      : localized('sts.chainSessionName');
  }
  if (/ExternalId|externalId/.test(message)) {
    return localized('sts.chainExternalId');
  }
  if (/arn|ARN|Arn/.test(message)) {
    return localized('sts.invalidArn');
  }
  return localized('sts.invalid');
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
