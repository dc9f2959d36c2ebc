/**
 * What the background keeps of the latest SAML sign-in, in `storage.session` only (memory, never on disk).
 * Pure: turns a parse result or a parse failure into a plain, serialisable record.
 */
import type { SamlEndpoint } from './aws-endpoints';
import { localized } from './localized-text';
import { SamlError, type SamlLogin, type SamlRole } from './saml';

export const CAPTURED_LOGIN_KEY = 'capturedLogin';

interface CaptureMeta {
  /** The sign-in URL the form was posted to. */
  url: string;
  endpoint: SamlEndpoint;
  /** When the browser saw the POST (ms since epoch). */
  capturedAt: number;
}

export interface CapturedLoginOk {
  ok: true;
  id: string;
  url: string;
  partition: SamlEndpoint['partition'];
  region?: string;
  capturedAt: string;
  roles: SamlRole[];
  roleSessionName?: string;
  sessionDuration?: number;
  notOnOrAfter?: string;
  issuer?: string;
  destination?: string;
  /** The base64 assertion, needed for AssumeRoleWithSAML. A bearer token: session storage only. */
  samlResponse: string;
  /** Hex SHA-256 of the assertion, to recognise the same sign-in posted twice (no secret). */
  assertionDigest?: string;
}

export interface CapturedLoginFailed {
  ok: false;
  id: string;
  url: string;
  capturedAt: string;
  /** One sentence a person can act on, free of any part of the assertion. */
  error: string;
}

export type CapturedLogin = CapturedLoginOk | CapturedLoginFailed;

export function capturedLoginFromSaml(login: SamlLogin, meta: CaptureMeta): CapturedLoginOk {
  return {
    ok: true,
    id: captureId(meta),
    url: meta.url,
    partition: meta.endpoint.partition,
    region: meta.endpoint.region,
    capturedAt: new Date(meta.capturedAt).toISOString(),
    roles: login.roles,
    roleSessionName: login.roleSessionName,
    sessionDuration: login.sessionDuration,
    notOnOrAfter: login.notOnOrAfter?.toISOString(),
    issuer: login.issuer,
    destination: login.destination,
    samlResponse: login.samlResponse,
  };
}

/** `describe` words the error in the UI language (the background's `errorSentence`). */
export function capturedLoginFailure(error: unknown, meta: CaptureMeta, describe: (error: unknown) => string): CapturedLoginFailed {
  return {
    ok: false,
    id: captureId(meta),
    url: meta.url,
    capturedAt: new Date(meta.capturedAt).toISOString(),
    error: describe(error instanceof SamlError ? error : new SamlError(localized('saml.loginInternal'))),
  };
}

/** Without the assertion: safe to hand to any page of the extension or to a log. */
export function withoutAssertion(login: CapturedLogin): Omit<CapturedLoginOk, 'samlResponse'> | CapturedLoginFailed {
  if (!login.ok) return login;
  const { samlResponse: _secret, ...rest } = login;
  return rest;
}

function captureId(meta: CaptureMeta): string {
  return `${meta.capturedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
