/**
 * The trust boundaries of issue 14, tried as an attacker would, in real Chromium and real Firefox ESR over the same
 * stand-ins as the journey (tests/support/journey-stand-ins.ts):
 * - a page on another origin (evil.test) auto-posts its own valid SAMLResponse to AWS: nothing changes (~/.aws
 *   byte for byte, the current login, the settings, no account name learned); the popup only asks;
 * - an imported settings file pointing STS at evil.test is refused, and evil.test gets no request;
 * - an STS-shaped VPC endpoint host (really the attacker's server) set without its host permission gets nothing;
 * - (Chromium) code in the content script's world may send account names and the chooser page's sign-in (which
 *   the background judges by the same rules as a capture) and nothing else, and web pages cannot
 *   reach the extension at all (externally_connectable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { REQUEST_SENDERS } from '../../utils/messages';
import { launchChromiumJourney, type ChromiumJourney } from '../support/chromium-journey';
import { launchFirefoxJourney } from '../support/firefox-journey';
import { readAwsBytes } from '../support/journey';
import { firstSignIn, type JourneyDriver, type JourneyDriverFactory } from '../support/journey-driver';
import { ATTACKER, EVIL_HOST, EVIL_STS_HOST, SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';
import { sleep, waitUntil } from '../support/wait';

const DRIVERS: { name: string; launch: JourneyDriverFactory }[] = [
  { name: 'Chromium', launch: launchChromiumJourney },
  { name: 'Firefox', launch: launchFirefoxJourney },
];

let standIns: JourneyStandIns;

beforeAll(async () => {
  standIns = await startJourneyStandIns();
});
afterAll(async () => {
  await standIns?.stop();
});

describe.each(DRIVERS)('trust boundaries in $name', ({ launch }) => {
  let driver: JourneyDriver;
  const files = () => [readAwsBytes(driver.home, 'credentials'), readAwsBytes(driver.home, 'config')];

  beforeAll(async () => {
    driver = await launch(standIns, { withHost: true });
    await firstSignIn(driver);
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('a page on another origin posting a valid assertion changes nothing; the popup only asks', async () => {
    const before = files();
    const localBefore = await driver.readStorage('local');
    const loginBefore = (await driver.readStorage('session')).capturedLogin;
    const page = await driver.openPage(standIns.attackerUrl);
    // The attacker's form went through to AWS (its role picker, naming the attacker's account)…
    await page.find({}, new RegExp(`Account: ${ATTACKER.accountName}`));
    // …and the extension saw it: it waits as a question, nothing more.
    await waitUntil(async () => ((await driver.readStorage('session')).pendingLogin as { origin?: string } | undefined)?.origin === `https://${EVIL_HOST}`, 'the attacker’s sign-in to be seen');
    await sleep(1_500); // the role picker's content script has had its say
    await page.close();

    expect(files()).toEqual(before);
    expect(await driver.readStorage('local')).toEqual(localBefore); // no alias, no mapping, no trusted origin
    expect((await driver.readStorage('session')).capturedLogin).toEqual(loginBefore);

    const popup = await driver.openPopup();
    await popup.find({ role: 'heading' }, /^This sign-in came from evil\.test — use sign-ins from there\?$/);
    await popup.find({ role: 'heading' }, new RegExp(`${SEED.accountName}.*111222333444`)); // still the person's roles
    await popup.click('Ignore this sign-in');
    await popup.find({ role: 'button' }, /^Sync saml-init$/);
    await popup.close();
    expect((await driver.readStorage('session')).pendingLogin).toBeUndefined();
    expect(JSON.stringify(await driver.readStorage('local'))).not.toContain(ATTACKER.accountName);
  });

  it('an imported settings file pointing STS elsewhere is refused, and that server gets no request', async () => {
    const options = await driver.openOptions();
    await options.fill('Or paste settings JSON', JSON.stringify({ version: 1, stsEndpoint: `https://${EVIL_HOST}`, mappings: [{ roleArn: SEED.baseRole, profile: 'sts-temp', autoSync: true }] }));
    await options.click('Import pasted JSON');
    expect(await options.find({ role: 'alert' }, /STS endpoint/)).toMatch(/^Setting "stsEndpoint": An STS endpoint must be an AWS STS host: /);
    await options.close();
    const stored = (await driver.readStorage('local')).settings as { stsEndpoint?: string };
    expect(stored.stsEndpoint).toBeUndefined();

    // The next sign-in syncs at the real STS host as always; evil.test hears nothing.
    const requestsBefore = standIns.evilRequests.length;
    const before = readAwsBytes(driver.home, 'credentials');
    await driver.clickAwsTile();
    await waitUntil(() => !readAwsBytes(driver.home, 'credentials')!.equals(before!), 'the auto-sync of sts-temp');
    expect(standIns.evilRequests.slice(requestsBefore)).toEqual([]);
  });

  it('an STS-shaped endpoint the extension has no permission for is sent nothing', async () => {
    const settings = (await driver.readStorage('local')).settings as Record<string, unknown>;
    // As if saved earlier and the host permission later withdrawn (or set by an administrator's preset).
    await driver.writeStorage('local', { settings: { ...settings, stsEndpoint: `https://${EVIL_STS_HOST}` } });
    const before = files();
    const requestsBefore = standIns.evilRequests.length;
    try {
      await driver.clickAwsTile();
      const popup = await driver.openPopup();
      expect(await popup.find({ role: 'alert' }, /Automatic sync failed/)).toMatch(
        new RegExp(`no permission to reach ${EVIL_STS_HOST.replace(/\./g, '\\.')}, so nothing was sent`),
      );
      await popup.close();
      expect(standIns.evilRequests.slice(requestsBefore)).toEqual([]);
      expect(files()).toEqual(before);
    } finally {
      await driver.writeStorage('local', { settings });
    }
  });
});

describe('the content script’s world in Chromium', () => {
  let driver: ChromiumJourney;

  beforeAll(async () => {
    driver = (await launchChromiumJourney(standIns, { withHost: true })) as ChromiumJourney;
    await firstSignIn(driver);
  });
  afterAll(async () => {
    await driver?.close();
  });

  /** Evaluates `expression` in the isolated world the extension's content script runs in on AWS's sign-in page. */
  async function inContentScriptWorld(): Promise<{ run(expression: string, contextId?: number): Promise<unknown>; cdp: CDPSession; mainWorld: number }> {
    const page = await driver.browser.context.newPage();
    const cdp = await driver.browser.context.newCDPSession(page);
    const worlds: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context as never));
    await cdp.send('Runtime.enable');
    await page.goto('https://signin.aws.amazon.com/saml');
    await waitUntil(() => worlds.some((w) => w.auxData?.type === 'isolated' && w.origin.includes(driver.browser.extensionId)), 'the content script to run');
    const isolated = worlds.find((w) => w.auxData?.type === 'isolated' && w.origin.includes(driver.browser.extensionId))!;
    const main = worlds.filter((w) => w.auxData?.isDefault).at(-1)!;
    const run = async (expression: string, contextId = isolated.id) =>
      ((await cdp.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true })) as { result: { value: unknown } }).result.value;
    return { run, cdp, mainWorld: main.id };
  }

  it('may send account names and the chooser page’s sign-in, nothing else; web pages cannot reach the extension at all', async () => {
    const world = await inContentScriptWorld();
    const send = (type: string, body: unknown) => world.run(`chrome.runtime.sendMessage(${JSON.stringify({ kind: 'request', type, body })})`);
    for (const type of (Object.keys(REQUEST_SENDERS) as (keyof typeof REQUEST_SENDERS)[]).filter((t) => !REQUEST_SENDERS[t].includes('content-script'))) {
      expect(await send(type, { profile: 'sts-temp', json: '{}', settings: {}, roleArn: SEED.baseRole }), type).toEqual({
        ok: false,
        error: { name: 'NotAllowed', message: 'This part of the extension may not ask for that.' },
      });
    }
    // Names only for accounts of the current sign-in, never over a known name.
    expect(await send('rememberAliases', { aliases: { '999988887777': 'acme-prod', '111222333444': 'renamed' } })).toEqual({ ok: true, body: { saved: 0 } });
    expect(JSON.stringify(await driver.readStorage('local'))).not.toMatch(/acme-prod|renamed/);
    // The page's own world has no way in (externally_connectable lists no page and no other extension).
    expect(await world.run(`typeof globalThis.chrome?.runtime?.sendMessage`, world.mainWorld)).toBe('undefined');
    await world.cdp.detach();
  });
});
