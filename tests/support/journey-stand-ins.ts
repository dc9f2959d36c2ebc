/**
 * Local stand-ins for everything the journey touches outside this machine, served over one TLS front:
 *
 * - `idp.saml-sync.test`: a "Google Apps" launcher page with an AWS tile, whose link goes to Google's
 *   `https://accounts.google.com/o/saml2/initsso?idpid=..&spid=..` (also mapped here), which answers with a page auto-posting a fresh SAMLResponse (Google-shaped: Role pairs role-first,
 *   RoleSessionName an e-mail, SessionDuration), signed with a throwaway test key, to https://signin.aws.amazon.com/saml;
 * - `signin.aws.amazon.com`: AWS's "Select a role" page (account names, role radios), answering that POST;
 * - `sts.<region>.amazonaws.com`: STS, passed through to moto (the STS/S3/ECR emulator), except roles the test
 *   marks as refused, which get AWS's real AccessDenied error document (moto never refuses anything).
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
export const ALL_HOSTS = [IDP_HOST, GOOGLE_ACCOUNTS_HOST, SIGNIN_HOST, ...STS_HOSTS];
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
  samlPosts: number;
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

function autoPostPage(samlResponse: string): string {
  return `<!doctype html><html><head><title>Redirecting to AWS</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="https://${SIGNIN_HOST}/saml">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"><input type="hidden" name="RelayState" value="">
<noscript><button>Continue</button></noscript></form></body></html>`;
}

/** AWS's "Select a role" page, in the shape the role chooser content script reads. */
function roleChooserPage(roles: SamlFixtureRole[]): string {
  const byAccount = new Map<string, string[]>();
  for (const r of roles) {
    const account = r.roleArn.split(':')[4]!;
    byAccount.set(account, [...(byAccount.get(account) ?? []), r.roleArn]);
  }
  const blocks = [...byAccount]
    .map(
      ([account, arns], i) => `<fieldset><div class="saml-account" id="${i}"><div class="expandable-container">
<div class="saml-account-name">Account: ${SEED.accountName} (${account})</div></div><hr><div class="saml-account">
${arns.map((arn) => `<div class="saml-role"><input type="radio" name="roleIndex" value="${arn}" class="saml-radio" id="${arn}"><label for="${arn}" class="saml-role-description">${arn.split('/').pop()}</label></div>`).join('\n')}
</div></div></fieldset>`,
    )
    .join('\n');
  return `<!doctype html><html><head><title>Amazon Web Services Sign-In</title></head><body>
<form id="saml_form" method="post" action="/saml"><p class="signin-title">Select a role:</p>${blocks}
<input type="submit" value="Sign in" id="signin_button"></form></body></html>`;
}

export async function startJourneyStandIns(): Promise<JourneyStandIns> {
  const moto = await startMoto();
  // The bucket and object the person lists at the end of the journey.
  await fetch(`${moto.endpoint}/${SEED.bucket}`, { method: 'PUT' });
  await fetch(`${moto.endpoint}/${SEED.bucket}/${SEED.objectKey}`, { method: 'PUT', body: 'hello from the journey\n' });

  let plan: AssertionPlan = {};
  let lastRoles = defaultRoles();
  const stsActions: string[] = [];
  let samlPosts = 0;

  const nextAssertion = (): string => {
    const now = Date.now();
    const roles = plan.roles ?? defaultRoles();
    lastRoles = roles;
    const xml = buildSamlXml({
      dialect: 'google',
      roles,
      roleSessionName: SEED.person,
      sessionDuration: plan.sessionDuration ?? 28_800,
      issueInstant: new Date(now - (plan.validForSeconds !== undefined && plan.validForSeconds < 0 ? 600_000 : 0)),
      notOnOrAfter: new Date(now + (plan.validForSeconds ?? 300) * 1000),
    });
    plan = {};
    return encodeSamlXml(signAssertion(xml));
  };

  const proxyToMoto = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const target = new URL(moto.endpoint);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
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
      if (host === GOOGLE_ACCOUNTS_HOST && url.pathname === '/o/saml2/initsso') {
        return html(res, 200, autoPostPage(nextAssertion()));
      }
      if (host === SIGNIN_HOST) {
        if (req.method === 'POST' && url.pathname === '/saml') {
          samlPosts++;
          return html(res, 200, roleChooserPage(lastRoles));
        }
        return html(res, 200, '<!doctype html><title>AWS Management Console</title><h1>Console</h1>');
      }
      if (STS_HOSTS.includes(host) || /^sts\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) {
        const form = new URLSearchParams(body.toString('utf8'));
        const action = form.get('Action') ?? '';
        stsActions.push(action);
        if (action === 'AssumeRoleWithSAML' && form.get('RoleArn') === SEED.refusedRole) {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
              `<Message>Not authorized to perform sts:AssumeRoleWithSAML</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
          );
          return;
        }
        return proxyToMoto(req, res, body);
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
    get samlPosts() {
      return samlPosts;
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
