/**
 * "Open console" from temporary credentials: AWS's federation endpoint turns them into a sign-in token, then a
 * login URL. Pure: builds the URLs and reads the answer; the background fetches and opens the tab.
 *
 * - `GET https://<signin host>/federation?Action=getSigninToken&Session=<JSON>[&SessionDuration=…]` → `{"SigninToken"}`
 * - `…/federation?Action=login&Issuer=…&Destination=<console>&SigninToken=…` (valid 15 minutes)
 * - chained credentials (AssumeRole from SAML credentials) with SessionDuration get HTTP 400: left out for them.
 */
import { PARTITIONS, type Partition } from './aws-endpoints';

export const FEDERATION_ISSUER = 'aws-saml-sync';

export const CONSOLE_HOSTS: Readonly<Record<Partition, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

/** Host permissions for the federation paths only, in every partition (manifest host_permissions). */
export const FEDERATION_HOST_PATTERNS: readonly string[] = (Object.keys(PARTITIONS) as Partition[]).map(
  (p) => `https://${PARTITIONS[p].signinHost}/federation*`,
);

export interface FederationCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The partition of a role ARN (`arn:aws-us-gov:iam::…`), default `aws`. */
export function partitionOfArn(arn: string | undefined): Partition {
  const p = arn?.split(':')[1];
  return p === 'aws-us-gov' || p === 'aws-cn' ? p : 'aws';
}

export function federationBase(partition: Partition): string {
  return `https://${PARTITIONS[partition].signinHost}/federation`;
}

/**
 * The getSigninToken URL. `sessionSeconds` is only for credentials straight from AssumeRoleWithSAML; pass
 * undefined for chained ones (AWS refuses SessionDuration for them; their console session lasts 1 hour).
 */
export function signinTokenUrl(partition: Partition, creds: FederationCredentials, sessionSeconds?: number): string {
  const session = JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
  const q = new URLSearchParams({ Action: 'getSigninToken', Session: session });
  if (sessionSeconds !== undefined) q.set('SessionDuration', String(Math.max(900, Math.min(43_200, Math.floor(sessionSeconds)))));
  return `${federationBase(partition)}?${q.toString()}`;
}

export function consoleLoginUrl(partition: Partition, signinToken: string, region?: string): string {
  const destination = `https://${CONSOLE_HOSTS[partition]}/${region ? `?region=${encodeURIComponent(region)}` : ''}`;
  const q = new URLSearchParams({ Action: 'login', Issuer: FEDERATION_ISSUER, Destination: destination, SigninToken: signinToken });
  return `${federationBase(partition)}?${q.toString()}`;
}

/** The SigninToken of the federation endpoint's answer, or undefined. */
export function signinTokenOf(body: unknown): string | undefined {
  const token = (body as { SigninToken?: unknown } | null)?.SigninToken;
  return typeof token === 'string' && token.length > 0 && token.length < 8192 ? token : undefined;
}
