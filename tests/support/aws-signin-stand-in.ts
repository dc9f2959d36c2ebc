/**
 * A local HTTPS stand-in for AWS's SAML sign-in endpoint and for an IdP page that auto-posts a SAMLResponse to it,
 * as Google's `initsso` page does. The browser reaches it through --host-resolver-rules, so the extension sees the
 * real AWS URL. It records every POST it receives.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTestCertificate } from './tls';

export interface SigninStandIn {
  port: number;
  /** Form bodies POSTed to /saml, in order. */
  posts: URLSearchParams[];
  /** Set the SAMLResponse the IdP page posts next. */
  setAssertion(samlResponseBase64: string): void;
  close(): Promise<void>;
}

export const IDP_HOST = 'idp.saml-sync.test';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The auto-submitting page an IdP answers with; `action` is where the browser POSTs. */
export function autoPostPage(action: string, samlResponse: string, relayState?: string): string {
  return `<!doctype html><html><head><title>Signing in</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">
${relayState ? `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">` : ''}
<noscript><button>Continue</button></noscript></form></body></html>`;
}

export async function startSigninStandIn(options: { action?: string } = {}): Promise<SigninStandIn> {
  const action = options.action ?? 'https://signin.aws.amazon.com/saml';
  const cert = makeTestCertificate([IDP_HOST, new URL(action).hostname]);
  let assertion = '';
  const posts: URLSearchParams[] = [];
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://local');
    if (req.method === 'GET' && url.pathname === '/o/saml2/initsso') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(autoPostPage(action, assertion));
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/saml')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Amazon Web Services Sign-In</title><h1>Select a role</h1>');
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    posts,
    setAssertion(b64) {
      assertion = b64;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
