/**
 * The built extension in real Chromium catches the SAMLResponse form POST to https://signin.aws.amazon.com/saml
 * (mapped to a local stand-in) from the configured IdP and keeps the parsed login in session storage; also when its
 * service worker had been stopped before the POST, and when the sign-in endpoint cannot be reached at all (Chrome
 * still shows onBeforeSendHeaders, and so the Origin header that says who posted it, before the connection fails).
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURED_LOGIN_KEY, type CapturedLogin } from '../../utils/captured-login';
import { ensureBuilt } from '../support/build-global-setup';
import {
  launchExtensionChromium,
  readExtensionStorage,
  stopAllServiceWorkers,
  writeExtensionStorage,
  type ExtensionBrowser,
} from '../support/chromium';
import { IDP_HOST, startSigninStandIn, type SigninStandIn } from '../support/aws-signin-stand-in';
import { buildSamlResponse } from '../support/saml-fixtures';

const ROLES = [
  { roleArn: 'arn:aws:iam::111222333444:role/saml-init', principalArn: 'arn:aws:iam::111222333444:saml-provider/Google' },
  { roleArn: 'arn:aws:iam::111222333444:role/team/Deployer', principalArn: 'arn:aws:iam::111222333444:saml-provider/Google' },
];

/** A loopback port nothing listens on (not one of Chromium's blocked "unsafe" ports such as 9). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const SIGN_IN_URL = `https://${IDP_HOST}/o/saml2/initsso?idpid=C0test&spid=123&forceauthn=false`;

async function waitForLogin(browser: ExtensionBrowser, notId?: string): Promise<CapturedLogin> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const login = (await readExtensionStorage(browser.context, 'session', CAPTURED_LOGIN_KEY)) as CapturedLogin | undefined;
    if (login && login.id !== notId) return login;
    if (Date.now() > deadline) throw new Error('the extension did not store a captured login within 20 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('SAML capture in Chromium', () => {
  let standIn: SigninStandIn;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    standIn = await startSigninStandIn();
    browser = await launchExtensionChromium({
      extensionDir: ensureBuilt('chrome'),
      hostMap: {
        'signin.aws.amazon.com': `127.0.0.1:${standIn.port}`,
        [IDP_HOST]: `127.0.0.1:${standIn.port}`,
      },
    });
    await browser.serviceWorker();
    // The person set their IdP's sign-in URL: sign-ins posted from its origin count.
    await writeExtensionStorage(browser.context, 'local', { settings: { version: 1, signInUrl: SIGN_IN_URL } });
  });

  afterAll(async () => {
    await browser?.close();
    await standIn?.close();
  });

  afterEach(() => {
    standIn.posts.length = 0;
  });

  async function signIn(sessionName: string): Promise<void> {
    standIn.setAssertion(buildSamlResponse({ roles: ROLES, roleSessionName: sessionName, sessionDuration: 3600 }));
    const page = await browser.context.newPage();
    await page.goto(`https://${IDP_HOST}/o/saml2/initsso?idpid=C0test&spid=123&forceauthn=false`);
    await page.waitForURL('https://signin.aws.amazon.com/saml');
    await page.getByText('Select a role').waitFor();
    await page.close();
  }

  it('captures the assertion posted by the IdP page and parses its roles', async () => {
    await signIn('alice@example.com');
    expect(standIn.posts).toHaveLength(1); // the real POST went through to "AWS" untouched
    const login = await waitForLogin(browser);
    expect(login.ok).toBe(true);
    if (!login.ok) return;
    expect(login.roles.map((r) => r.roleArn)).toEqual(ROLES.map((r) => r.roleArn));
    expect(login.roles[1]).toMatchObject({ accountId: '111222333444', roleName: 'Deployer', partition: 'aws' });
    expect(login.roleSessionName).toBe('alice@example.com');
    expect(login.partition).toBe('aws');
    expect(login.samlResponse).toBe(standIn.posts[0]!.get('SAMLResponse'));
  });

  it('still captures the login after Chrome stopped the idle service worker', async () => {
    const before = (await readExtensionStorage(browser.context, 'session', CAPTURED_LOGIN_KEY)) as CapturedLogin | undefined;
    await stopAllServiceWorkers(browser.context);
    // The worker is gone: Chrome starts it again for the webRequest event, and the listener must be there in time.
    await signIn('bob@example.com');
    const login = await waitForLogin(browser, before?.id);
    expect(login.ok && login.roleSessionName).toBe('bob@example.com');
  });
});

describe('SAML capture in Chromium with the sign-in endpoint unreachable', () => {
  it('captures the POST even though the request itself fails', async () => {
    const standIn = await startSigninStandIn();
    // signin.aws.amazon.com resolves to a closed port: the navigation fails, as with the network down.
    const browser = await launchExtensionChromium({
      extensionDir: ensureBuilt('chrome'),
      hostMap: { 'signin.aws.amazon.com': `127.0.0.1:${await closedPort()}`, [IDP_HOST]: `127.0.0.1:${standIn.port}` },
    });
    try {
      await browser.serviceWorker();
      await writeExtensionStorage(browser.context, 'local', { settings: { version: 1, signInUrl: SIGN_IN_URL } });
      standIn.setAssertion(buildSamlResponse({ roles: ROLES.slice(0, 1), roleSessionName: 'carol@example.com' }));
      const page = await browser.context.newPage();
      await page.goto(`https://${IDP_HOST}/o/saml2/initsso?idpid=C0test&spid=123`).catch(() => undefined);
      const login = await waitForLogin(browser);
      expect(login.ok && login.roles.map((r) => r.roleName)).toEqual(['saml-init']);
      expect(standIn.posts).toHaveLength(0);
    } finally {
      await browser.close();
      await standIn.close();
    }
  });
});
