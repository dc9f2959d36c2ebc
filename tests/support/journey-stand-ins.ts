/**
 * Local stand-ins for everything the journey touches outside this machine, served over one TLS front:
 *
 * - `idp.saml-sync.test`: a "Google Apps" launcher page with an AWS tile, whose link goes to Google's
 *   `https://accounts.google.com/o/saml2/initsso?idpid=..&spid=..` (also mapped here), which answers with a page auto-posting a fresh SAMLResponse (Google-shaped: Role pairs role-first,
 *   RoleSessionName an e-mail, SessionDuration), signed with a throwaway test key, to https://signin.aws.amazon.com/saml;
 *   Google's web session is a real cookie (`SID`, Secure, SameSite=Lax, HttpOnly): initsso without it redirects to
 *   a login page (`/ServiceLogin`, which signs the person in by itself, as if they typed their password, and sets
 *   the cookie); `idp` switches modes for silent refresh: session ended, MFA wanted, account chooser, HTTP 500,
 *   slow (past the extension's 15 s timeout), two accounts (`authuser` picks one);
 * - `signin.aws.amazon.com`: AWS's "Select a role" page (account names, role radios), answering that POST, and
 *   its `/federation` endpoint (getSigninToken, login) for "Open console";
 * - `eu-central-1.signin.aws.amazon.com`: the same, as a regional endpoint an IdP may post to (`signInHost`);
 * - `sts.<region>.amazonaws.com` and one VPC endpoint of STS (`VPCE_STS_HOST`): STS, passed through to moto (the STS/S3/ECR emulator), except roles the test
 *   marks as refused, which get AWS's real AccessDenied error document (moto never refuses anything).
 *
 * - `evil.test`: an attacker's site, whose page auto-posts the attacker's own valid SAMLResponse to AWS (login CSRF),
 *   and which, with an STS-shaped VPC endpoint host mapped onto it, counts every request that reaches it.
 *
 * Chromium reaches the front with --host-resolver-rules; Firefox cannot remap ports, so it is given an HTTP
 * proxy (`proxyPort`) that tunnels every CONNECT to the front. Nothing here is reached by the extension through a
 * test-only path: it calls the real AWS host names.
 */
import { createHash, createSign, generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { buildSamlXml, encodeSamlXml, type SamlFixtureRole } from './saml-fixtures';
import { startMoto, type Moto } from './moto';
import { makeTestCertificate } from './tls';

/** The "Google Apps" launcher page with the AWS tile. */
export const IDP_HOST = 'idp.saml-sync.test';
/** Google's real initsso host, mapped onto the front, so the extension's own sign-in URL works unchanged. */
export const GOOGLE_ACCOUNTS_HOST = 'accounts.google.com';
export const SIGNIN_HOST = 'signin.aws.amazon.com';
export const STS_HOSTS = ['sts.amazonaws.com', 'sts.us-east-1.amazonaws.com', 'sts.eu-west-1.amazonaws.com'];
/** A regional sign-in endpoint an IdP may post to instead (AWS's failover endpoints), and its region's STS. */
export const REGIONAL_SIGNIN_HOST = 'eu-central-1.signin.aws.amazon.com';
/** A VPC interface endpoint of STS, as an STS endpoint override names it. */
export const VPCE_STS_HOST = 'vpce-0a1b2c3d4e5f67890-abcdefgh.sts.us-east-1.vpce.amazonaws.com';
export const EXTRA_STS_HOSTS = ['sts.eu-central-1.amazonaws.com', 'sts.eu-west-2.amazonaws.com', VPCE_STS_HOST];
/** An attacker's web site, and an STS-shaped VPC endpoint host that in truth leads to the attacker's server. */
export const EVIL_HOST = 'evil.test';
export const EVIL_STS_HOST = 'vpce-0e0e0e0e0e0e0e0e0-evil0000.sts.us-east-1.vpce.amazonaws.com';
export const ALL_HOSTS = [IDP_HOST, GOOGLE_ACCOUNTS_HOST, SIGNIN_HOST, ...STS_HOSTS, EVIL_HOST, EVIL_STS_HOST, REGIONAL_SIGNIN_HOST, ...EXTRA_STS_HOSTS];
/** The attacker's own account and role: a valid assertion, for an account that is not the person's. */
export const ATTACKER = {
  role: 'arn:aws:iam::999988887777:role/acme-prod',
  provider: 'arn:aws:iam::999988887777:saml-provider/Evil',
  accountName: 'acme-prod',
} as const;
export const GOOGLE_IDPID = 'C0saml5ync';
export const GOOGLE_SPID = '246813579';

export const SEED = {
  baseRole: 'arn:aws:iam::111222333444:role/saml-init',
  provider: 'arn:aws:iam::111222333444:saml-provider/GoogleWorkspace',
  otherRole: 'arn:aws:iam::111222333444:role/ReadOnly',
  refusedRole: 'arn:aws:iam::111222333444:role/refused-by-trust-policy',
  chainedRole: 'arn:aws:iam::888777666555:role/assumed-dev',
  accountName: 'sandbox',
  bucket: 'mybucket',
  objectKey: 'mydir/hello.txt',
  person: 'dev.person@example.com',
} as const;

export interface AssertionPlan {
  /** Seconds from now until NotOnOrAfter; negative for an assertion that has already expired. */
  validForSeconds?: number;
  sessionDuration?: number;
  roles?: SamlFixtureRole[];
  /** The sign-in host the IdP posts to (and the assertion's Destination names); default signin.aws.amazon.com. */
  signInHost?: string;
}

/** One request the STS stand-in answered: where it went and what it asked (never the assertion). */
export interface StsRequest {
  host: string;
  method: string;
  action: string;
  roleArn?: string;
  durationSeconds?: number;
  roleSessionName?: string;
  externalId?: string;
  /** Date.now() when it arrived, and when its answer was sent. */
  at: number;
  answeredAt?: number;
}

export type IdpMode = 'normal' | 'mfa' | 'account-chooser' | 'http-500' | 'slow';

/** What the stand-in Google does, and what it saw. */
export interface IdpControl {
  mode: IdpMode;
  /** Signed-in accounts per new session: 2 makes initsso without `authuser` answer the account chooser. */
  accounts: 1 | 2;
  /** SessionDuration of every later assertion (the journey's refresh uses 900), unless a plan says otherwise. */
  sessionDuration: number;
  /** Ends every web session: the next initsso answers the login page. */
  endSession(): void;
  /** initsso requests, with whether they carried a live session cookie, and their authuser. */
  initsso: { withSession: boolean; authuser?: string }[];
  /** The federation requests "Open console" made. */
  federation: { action: string; sessionOk: boolean; sessionDuration?: string }[];
}

export interface JourneyStandIns {
  moto: Moto;
  frontPort: number;
  proxyPort: number;
  /** `host -> 127.0.0.1:frontPort` for Chromium's --host-resolver-rules. */
  chromiumHostMap: Record<string, string>;
  /** Prefs that send Firefox's HTTPS traffic through the tunnelling proxy. */
  firefoxProxyPrefs: Record<string, unknown>;
  launcherUrl: string;
  signInUrl: string;
  /** What the next tile click posts. */
  planNextAssertion(plan: AssertionPlan): void;
  /** Every STS action the front saw, in order (e.g. 'AssumeRoleWithSAML'), and every SAML POST it answered. */
  stsActions: string[];
  /** Every request to an STS host (any method, even without an Action), in order. */
  stsRequests: StsRequest[];
  /**
   * When set, AssumeRoleWithSAML answers carry credentials that expire this many seconds after the answer (moto's
   * own Expiration replaced): shorter than the 900 s AWS grants at least, to reach a session's last minutes
   * (botocore's, the 5 minutes credential_process still serves) without waiting for them.
   */
  samlExpiresInSeconds: number | undefined;
  samlPosts: number;
  /** Role picker posts: AWS's "Select a role" form sent back with a `roleIndex` (not counted in `samlPosts`). */
  pickerPosts: number;
  /** When (Date.now()) the last SAML POST from the IdP reached the sign-in stand-in. */
  lastSamlPostAt: number;
  /** A Google page whose button GETs AWS's role chooser with an assertion in its form: no SAML POST to see. */
  chooserByGetUrl: string;
  /** The attacker's page that auto-posts its own assertion to AWS. */
  attackerUrl: string;
  /** Every request that reached the attacker's hosts (evil.test, the fake VPC endpoint), as `host path`. */
  evilRequests: string[];
  /** When each SAML POST reached the AWS sign-in stand-in (ms since epoch), for the bench. */
  samlPostTimes: number[];
  idp: IdpControl;
  stop(): Promise<void>;
}

const defaultRoles = (): SamlFixtureRole[] => [
  { roleArn: SEED.baseRole, principalArn: SEED.provider },
  { roleArn: SEED.otherRole, principalArn: SEED.provider },
  { roleArn: SEED.refusedRole, principalArn: SEED.provider },
];

/** A throwaway RSA key: the IdP signs like a real one would; nothing here checks it (STS would, moto does not). */
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Enveloped RSA-SHA256 signature over the Assertion as serialised, inserted after its Issuer. */
export function signAssertion(xml: string): string {
  const match = /<((?:\w+:)?)Assertion\b[^>]*\bID="([^"]+)"[\s\S]*?<\/\1Assertion>/.exec(xml);
  if (!match) return xml;
  const [assertion, prefix, id] = match as unknown as [string, string, string];
  const digest = createHash('sha256').update(assertion).digest('base64');
  const signedInfo =
    `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${id}"><ds:Transforms>` +
    `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const value = createSign('RSA-SHA256').update(signedInfo).sign(signingKey.privateKey, 'base64');
  const signature = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${signedInfo}<ds:SignatureValue>${value}</ds:SignatureValue></ds:Signature>`;
  const issuerEnd = assertion.indexOf(`</${prefix}Issuer>`);
  if (issuerEnd < 0) return xml;
  const at = issuerEnd + `</${prefix}Issuer>`.length;
  return xml.replace(assertion, assertion.slice(0, at) + signature + assertion.slice(at));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function launcherPage(): string {
  const tile = `https://${GOOGLE_ACCOUNTS_HOST}/o/saml2/initsso?idpid=${GOOGLE_IDPID}&spid=${GOOGLE_SPID}&forceauthn=false`;
  return `<!doctype html><html lang="en"><head><title>Google apps</title>
<style>body{font:14px system-ui;margin:2rem}.tile{display:inline-flex;flex-direction:column;align-items:center;padding:1rem;border:1px solid #ccc;border-radius:8px;text-decoration:none;color:#202124}</style></head>
<body><h1>Your apps</h1><a class="tile" href="${escapeHtml(tile)}" aria-label="Amazon Web Services"><span style="font-size:32px">☁</span>Amazon Web Services</a></body></html>`;
}

export function autoPostPage(samlResponse: string, signInHost = SIGNIN_HOST): string {
  return `<!doctype html><html><head><title>Redirecting to AWS</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="https://${signInHost}/saml">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"><input type="hidden" name="RelayState" value="">
<noscript><button>Continue</button></noscript></form></body></html>`;
}

export const SESSION_COOKIE = 'SID';

/** Google's login page: it signs in by itself (the person typing their password) and comes back to `next`. */
export function loginPage(next: string): string {
  return `<!doctype html><html lang="en"><head><title>Sign in - Google Accounts</title></head>
<body onload="document.forms[0].submit()"><h1>Sign in</h1><form method="post" action="/ServiceLogin">
<input type="hidden" name="continue" value="${escapeHtml(next)}"><label>Email <input type="email" name="identifier" value="${SEED.person}"></label>
<label>Password <input type="password" name="password" value="stand-in"></label><button>Next</button></form></body></html>`;
}

export function mfaPage(): string {
  return `<!doctype html><html lang="en"><head><title>2-Step Verification</title></head><body><h1>2-Step Verification</h1>
<p>Enter the verification code from your authenticator app.</p><form method="post" action="/signin/challenge/totp"><input name="totpPin"></form></body></html>`;
}

export function accountChooserPage(accounts: string[]): string {
  return `<!doctype html><html lang="en"><head><title>Choose an account</title></head><body><h1>Choose an account</h1><ul>
${accounts.map((a, i) => `<li data-authuser="${i}"><a href="?authuser=${i}">${escapeHtml(a)}</a></li>`).join('\n')}</ul></body></html>`;
}


/**
 * AWS's "Select a role" page, in the shape the role chooser content script reads. Like AWS's, its form posts the
 * assertion it was given back to /saml with the chosen `roleIndex`.
 */
function roleChooserPage(roles: SamlFixtureRole[], samlResponse: string): string {
  const byAccount = new Map<string, string[]>();
  for (const r of roles) {
    const account = r.roleArn.split(':')[4]!;
    byAccount.set(account, [...(byAccount.get(account) ?? []), r.roleArn]);
  }
  const blocks = [...byAccount]
    .map(
      ([account, arns], i) => `<fieldset><div class="saml-account" id="${i}"><div class="expandable-container">
<div class="saml-account-name">Account: ${account === ATTACKER.role.split(':')[4] ? ATTACKER.accountName : SEED.accountName} (${account})</div></div><hr><div class="saml-account">
${arns.map((arn) => `<div class="saml-role"><input type="radio" name="roleIndex" value="${arn}" class="saml-radio" id="${arn}"><label for="${arn}" class="saml-role-description">${arn.split('/').pop()}</label></div>`).join('\n')}
</div></div></fieldset>`,
    )
    .join('\n');
  return `<!doctype html><html><head><title>Amazon Web Services Sign-In</title></head><body>
<form id="saml_form" method="post" action="/saml"><input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"><p class="signin-title">Select a role:</p>${blocks}
<input type="submit" value="Sign in" id="signin_button"></form></body></html>`;
}

export async function startJourneyStandIns(): Promise<JourneyStandIns> {
  const moto = await startMoto();
  // The bucket and object the person lists at the end of the journey.
  await fetch(`${moto.endpoint}/${SEED.bucket}`, { method: 'PUT' });
  await fetch(`${moto.endpoint}/${SEED.bucket}/${SEED.objectKey}`, { method: 'PUT', body: 'hello from the journey\n' });

  let plan: AssertionPlan = {};
  const sessions = new Map<string, number>();
  let sessionCount = 0;
  const idp: IdpControl = {
    mode: 'normal',
    accounts: 1,
    sessionDuration: 28_800,
    endSession: () => sessions.clear(),
    initsso: [],
    federation: [],
  };
  const accountNames = (n: number) => [SEED.person, 'second.person@example.com'].slice(0, n);
  const sessionOf = (req: IncomingMessage): number | undefined => {
    const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    return cookie ? sessions.get(cookie.slice(SESSION_COOKIE.length + 1)) : undefined;
  };
  let lastRoles = defaultRoles();
  const stsActions: string[] = [];
  const stsRequests: StsRequest[] = [];
  let samlPosts = 0;
  const evilRequests: string[] = [];
  let pickerPosts = 0;
  let lastSamlPostAt = 0;
  let signInHost = SIGNIN_HOST;
  const samlPostTimes: number[] = [];

  const nextAssertion = (person: string = SEED.person): string => {
    const now = Date.now();
    const roles = plan.roles ?? defaultRoles();
    lastRoles = roles;
    signInHost = plan.signInHost ?? SIGNIN_HOST;
    const xml = buildSamlXml({
      destination: `https://${signInHost}/saml`,
      dialect: 'google',
      roles,
      roleSessionName: person,
      sessionDuration: plan.sessionDuration ?? idp.sessionDuration,
      issueInstant: new Date(now - (plan.validForSeconds !== undefined && plan.validForSeconds < 0 ? 600_000 : 0)),
      notOnOrAfter: new Date(now + (plan.validForSeconds ?? 300) * 1000),
    });
    plan = {};
    return encodeSamlXml(signAssertion(xml));
  };

  let samlExpiresInSeconds: number | undefined;
  const proxyToMoto = async (req: IncomingMessage, res: ServerResponse, body: Buffer, expiresInSeconds?: number): Promise<void> => {
    const target = new URL(moto.endpoint);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        if (expiresInSeconds === undefined) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        void readBody(answer).then((raw) => {
          const expiration = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
          const text = Buffer.from(raw.toString('utf8').replace(/<Expiration>[^<]*<\/Expiration>/, `<Expiration>${expiration}</Expiration>`), 'utf8');
          const { 'transfer-encoding': _chunked, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(text.length) });
          res.end(text);
        });
      },
    );
    upstream.on('error', () => html(res, 502, 'moto is not answering'));
    upstream.end(body);
  };

  const cert = makeTestCertificate(ALL_HOSTS);
  const front: Server = createHttpsServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    void (async () => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      const url = new URL(req.url ?? '/', `https://${host}`);
      const body = await readBody(req);
      if (host === IDP_HOST && url.pathname === '/') return html(res, 200, launcherPage());
      if (host === EVIL_HOST || host === EVIL_STS_HOST) {
        evilRequests.push(`${host} ${url.pathname}`);
        if (host === EVIL_HOST && url.pathname === '/win-a-prize') {
          plan = { roles: [{ roleArn: ATTACKER.role, principalArn: ATTACKER.provider }] };
          return html(res, 200, autoPostPage(nextAssertion()));
        }
        return html(res, 404, 'nothing here');
      }
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/chooser-by-get') {
        // For the role chooser net: a way to AWS's "Select a role" page with no SAML POST for a listener to see.
        return html(res, 200, `<!doctype html><title>Continue</title><form method="get" action="https://${SIGNIN_HOST}/saml"><input type="hidden" name="replay" value="1"><button>Continue to AWS</button></form>`);
      }
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/ServiceLogin' && req.method === 'POST') {
        const form = new URLSearchParams(body.toString('utf8'));
        const token = `session-${++sessionCount}-${Math.random().toString(36).slice(2)}`;
        sessions.set(token, idp.accounts);
        const next = form.get('continue') ?? '/';
        const back = new URL(next, `https://${GOOGLE_ACCOUNTS_HOST}`);
        res.writeHead(303, {
          location: back.host === GOOGLE_ACCOUNTS_HOST ? back.href : '/',
          'set-cookie': `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Lax`,
          'cache-control': 'no-store',
        });
        return res.end();
      }
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/ServiceLogin') return html(res, 200, loginPage(url.searchParams.get('continue') ?? '/'));
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/AccountChooser') return html(res, 200, accountChooserPage(accountNames(2)));
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/o/saml2/initsso') {
        const accounts = sessionOf(req);
        const authuser = url.searchParams.get('authuser') ?? undefined;
        idp.initsso.push({ withSession: accounts !== undefined, authuser });
        if (idp.mode === 'slow') await new Promise((r) => setTimeout(r, 20_000));
        if (idp.mode === 'http-500') return html(res, 500, '<!doctype html><title>Error 500</title><h1>Server Error</h1>');
        if (accounts === undefined) {
          res.writeHead(302, { location: `/ServiceLogin?continue=${encodeURIComponent(url.href)}`, 'cache-control': 'no-store' });
          return res.end();
        }
        if (idp.mode === 'mfa') return html(res, 200, mfaPage());
        const index = authuser === undefined ? undefined : Number(authuser);
        if (idp.mode === 'account-chooser' || (accounts > 1 && index === undefined)) {
          res.writeHead(302, { location: `/AccountChooser?continue=${encodeURIComponent(url.href)}`, 'cache-control': 'no-store' });
          return res.end();
        }
        return html(res, 200, autoPostPage(nextAssertion(accountNames(2)[index ?? 0] ?? SEED.person), signInHost));
      }
      if (host === SIGNIN_HOST || host === REGIONAL_SIGNIN_HOST) {
        if (req.method === 'GET' && url.pathname === '/federation') {
          const action = url.searchParams.get('Action') ?? '';
          if (action === 'getSigninToken') {
            let sessionOk: boolean;
            try {
              const session = JSON.parse(url.searchParams.get('Session') ?? '') as Record<string, unknown>;
              sessionOk = ['sessionId', 'sessionKey', 'sessionToken'].every((k) => typeof session[k] === 'string' && (session[k] as string).length > 0);
            } catch {
              sessionOk = false;
            }
            const sessionDuration = url.searchParams.get('SessionDuration') ?? undefined;
            idp.federation.push({ action, sessionOk, sessionDuration });
            res.writeHead(sessionOk ? 200 : 400, { 'content-type': 'application/json' });
            return res.end(JSON.stringify(sessionOk ? { SigninToken: `stand-in-signin-token-${idp.federation.length}` } : { message: 'Invalid credentials parameter' }));
          }
          idp.federation.push({ action, sessionOk: (url.searchParams.get('SigninToken') ?? '').startsWith('stand-in-signin-token-') });
          return html(res, 200, '<!doctype html><title>AWS Management Console</title><h1>Console Home</h1>');
        }
        if (req.method === 'POST' && url.pathname === '/saml') {
          const form = new URLSearchParams(body.toString('utf8'));
          if (form.has('roleIndex')) {
            pickerPosts++;
            return html(res, 200, '<!doctype html><title>AWS Management Console</title><h1>Console</h1>');
          }
          samlPosts++;
          lastSamlPostAt = Date.now();
          samlPostTimes.push(lastSamlPostAt);
          return html(res, 200, roleChooserPage(lastRoles, form.get('SAMLResponse') ?? ''));
        }
        if (req.method === 'GET' && url.pathname === '/saml' && url.searchParams.get('replay') === '1') {
          const assertion = nextAssertion();
          return html(res, 200, roleChooserPage(lastRoles, assertion));
        }
        return html(res, 200, '<!doctype html><title>AWS Management Console</title><h1>Console</h1>');
      }
      if (STS_HOSTS.includes(host) || /^sts\.[a-z0-9-]+\.amazonaws\.com$/.test(host) || host === VPCE_STS_HOST) {
        const form = new URLSearchParams(body.toString('utf8'));
        const action = form.get('Action') ?? '';
        const duration = form.get('DurationSeconds');
        stsRequests.push({
          host,
          method: req.method ?? '',
          action,
          roleArn: form.get('RoleArn') ?? undefined,
          durationSeconds: duration === null ? undefined : Number(duration),
          roleSessionName: form.get('RoleSessionName') ?? undefined,
          externalId: form.get('ExternalId') ?? undefined,
          at: Date.now(),
        });
        const recorded = stsRequests.at(-1)!;
        res.on('finish', () => (recorded.answeredAt = Date.now()));
        stsActions.push(action);
        if (action === 'AssumeRoleWithSAML' && form.get('RoleArn') === SEED.refusedRole) {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
              `<Message>Not authorized to perform sts:AssumeRoleWithSAML</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
          );
          return;
        }
        return proxyToMoto(req, res, body, action === 'AssumeRoleWithSAML' ? samlExpiresInSeconds : undefined);
      }
      html(res, 404, 'unknown host');
    })();
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const frontPort = (front.address() as AddressInfo).port;

  // Firefox: an HTTP proxy whose every CONNECT tunnel ends at the front.
  const proxy = createHttpServer((_req, res) => html(res, 400, 'CONNECT only'));
  const tunnels = new Set<{ destroy(): void }>();
  proxy.on('connect', (_req, client, head) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = connect(frontPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;

  return {
    moto,
    frontPort,
    proxyPort,
    chromiumHostMap: Object.fromEntries(ALL_HOSTS.map((h) => [h, `127.0.0.1:${frontPort}`])),
    firefoxProxyPrefs: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
    },
    launcherUrl: `https://${IDP_HOST}/`,
    signInUrl: `https://${GOOGLE_ACCOUNTS_HOST}/o/saml2/initsso?idpid=${GOOGLE_IDPID}&spid=${GOOGLE_SPID}&forceauthn=false`,
    planNextAssertion(next) {
      plan = next;
    },
    stsActions,
    stsRequests,
    get samlExpiresInSeconds() {
      return samlExpiresInSeconds;
    },
    set samlExpiresInSeconds(seconds) {
      samlExpiresInSeconds = seconds;
    },
    attackerUrl: `https://${EVIL_HOST}/win-a-prize`,
    chooserByGetUrl: `https://${GOOGLE_ACCOUNTS_HOST}/chooser-by-get`,
    evilRequests,
    samlPostTimes,
    idp,
    get samlPosts() {
      return samlPosts;
    },
    get pickerPosts() {
      return pickerPosts;
    },
    get lastSamlPostAt() {
      return lastSamlPostAt;
    },
    async stop() {
      // Tunnels are upgraded sockets the servers no longer track: end them here, or close() waits forever.
      for (const t of tunnels) t.destroy();
      proxy.closeAllConnections();
      front.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => proxy.close(resolve)),
        new Promise((resolve) => front.close(resolve)),
        moto.stop(),
      ]);
    },
  };
}
