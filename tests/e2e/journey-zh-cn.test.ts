/**
 * The main screens once more with Chromium in Chinese (`--lang=zh-CN`, LANGUAGE=zh_CN): the first sign-in's
 * question, the roles, a sync of saml-init as sts-temp that lands in ~/.aws, and the options page, all in the zh_CN
 * catalogue's words. Screenshots go to `.output/screenshots/zh-CN/`. The English journey (journey.test.ts) stays
 * the one that walks every step; this one checks that a Chinese browser gets the Chinese extension.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumJourney } from '../support/chromium-journey';
import { readAwsFile, sectionOf } from '../support/journey';
import type { JourneyDriver } from '../support/journey-driver';
import { SEED, startJourneyStandIns, type JourneyStandIns } from '../support/journey-stand-ins';
import { waitUntil } from '../support/wait';

const SHOTS = join(import.meta.dirname, '..', '..', '.output', 'screenshots', 'zh-CN');

/**
 * The saml-init row's Sync button as a screen reader names it: "同步" and its visually hidden "（saml-init）", which
 * the accessibility tree joins with a space (the hidden span is positioned out of the flow).
 */
const SYNC_SAML_INIT = '同步 （saml-init）';

let standIns: JourneyStandIns;
let driver: JourneyDriver;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  standIns = await startJourneyStandIns();
  driver = await launchChromiumJourney(standIns, { withHost: true, lang: 'zh-CN' });
});
afterAll(async () => {
  await driver?.close();
  await standIns?.stop();
});

describe('the journey in Chromium, in Chinese', () => {
  it('asks about the first sign-in, lists the roles and syncs saml-init as sts-temp, in Chinese', async () => {
    await driver.clickAwsTile();
    const popup = await driver.openPopup();
    await popup.find({ role: 'heading' }, /^这次登录来自 accounts\.google\.com——是否使用来自该处的登录？$/);
    await popup.screenshot(join(SHOTS, 'popup-pending-sign-in.png'));
    await popup.click('使用来自 accounts.google.com 的登录');

    await popup.find({ role: 'heading' }, /^角色 来自你 \d\d:\d\d 的登录$/);
    await popup.find({ role: 'heading' }, new RegExp(`${SEED.accountName}.*111222333444`));
    await popup.find({}, /^你之前从未从账户 111222333444 .*同步过；同步前请确认这次登录确实是你本人的。$/);
    await popup.screenshot(join(SHOTS, 'popup-roles.png'));

    await popup.fill('配置文件名称（saml-init）', 'sts-temp');
    await popup.click(SYNC_SAML_INIT);
    await popup.find({ role: 'status', inRowOf: SYNC_SAML_INIT }, /^✓ sts-temp \d\d:\d\d 过期，还剩 \d+小时/);
    await popup.find({ role: 'heading' }, /^已同步的配置文件$/);
    await popup.screenshot(join(SHOTS, 'popup-synced.png'), { fullPage: true });
    await popup.close();

    const creds = sectionOf(readAwsFile(driver.home, 'credentials'), 'sts-temp');
    expect(creds.aws_access_key_id).toMatch(/^ASIA/);
    // The toolbar badge counts the hours left in Chinese too ("8时").
    await waitUntil(async () => /^\d+(时|分)$/.test(await driver.readBadge()), 'the badge to show the time left in Chinese');
  });

  it('shows the options page in Chinese, with the synced role as a mapping', async () => {
    const options = await driver.openOptions();
    await options.find({ role: 'heading' }, /^AWS SAML Sync 设置$/);
    await options.find({ role: 'heading' }, /^配置文件映射$/);
    await options.find({ role: 'heading' }, /^链式配置文件$/);
    expect(await options.value('配置文件名称（第 1 个映射）', /sts-temp/)).toBe('sts-temp');
    await options.screenshot(join(SHOTS, 'options.png'), { fullPage: true });
    await options.close();
  });
});
