/**
 * The one rule of when a SAML assertion may still be sent to STS: before its NotOnOrAfter, and within 5 minutes
 * of the browser seeing it (STS: "Token must be redeemed within 5 minutes of issuance"). Pure.
 */

/** STS redeems an assertion only within 5 minutes of issuance. */
export const ASSERTION_MAX_AGE_MS = 5 * 60_000;

export interface AssertionTimes {
  notOnOrAfter?: Date | string | number;
  /** When the browser saw the POST. */
  capturedAt?: Date | string | number;
}

export function assertionIsFresh(times: AssertionTimes, now = Date.now()): boolean {
  const notOnOrAfter = toMs(times.notOnOrAfter);
  const capturedAt = toMs(times.capturedAt);
  if (notOnOrAfter !== undefined && now >= notOnOrAfter) return false;
  if (capturedAt !== undefined && now - capturedAt > ASSERTION_MAX_AGE_MS) return false;
  return true;
}

export function toMs(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
