/**
 * Capture -> profile written, in real Chromium (Debian's, through playwright-core, temporary HOME) against the journey
 * stand-ins (tests/support/journey-stand-ins.ts: the IdP's auto-posting page, AWS's sign-in page, STS in front of
 * moto) and the real native host: from the capture (the browser's own time stamp of the SAML POST, handed to the
 * extension's webRequest listener and kept as the login's capturedAt) until ~/.aws/credentials has been renamed
 * into place holding the new keys (fs.watch on ~/.aws). Same clock as this process. The IdP page's form submit
 * (its own Date.now()) -> written is shown beside it: it adds the browser's navigation, which no extension changes.
 *
 * Two shapes, interleaved in one run so the machine's load falls on both alike: one role kept in sync by auto-sync,
 * and the same role plus 9 chained profiles resolved now (9 AssumeRole calls from its credentials, then one write).
 * Median of RUNS each after WARMUP untimed runs (the first starts the host process).
 */
import { watch } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromiumJourney, type ChromiumJourney } from '../tests/support/chromium-journey';
import { readAwsFile, sectionOf } from '../tests/support/journey';
import { SEED, startJourneyStandIns } from '../tests/support/journey-stand-ins';
import { CAPTURED_LOGIN_KEY } from '../utils/captured-login';
import { sleep } from '../tests/support/wait';
import { report } from './measure';

const RUNS = 10;
const WARMUP = 2;
const CHAINS = 9;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export default async function captureToWrittenBench(): Promise<void> {
  const standIns = await startJourneyStandIns();
  const driver = (await launchChromiumJourney(standIns, { withHost: true })) as ChromiumJourney;
  const context = driver.browser.context;
  const home = driver.home;
  const awsDir = join(home, '.aws');
  try {
    const mapping = { roleArn: SEED.baseRole, profile: 'sts-temp', autoSync: true };
    const chains = Array.from({ length: CHAINS }, (_, i) => ({
      profile: `chain-${i + 1}`,
      sourceProfile: 'sts-temp',
      roleArn: SEED.chainedRole,
      resolveNow: true,
    }));
    // The account's name is known since the first sign-in, as in a person's day: the chooser page's content script
    // has nothing to add, so no settings write of the extension's own races the ones the bench makes.
    const settingsFor = (withChains: boolean) => ({
      settings: {
        version: 1,
        signInUrl: standIns.signInUrl,
        mappings: [mapping],
        chains: withChains ? chains : [],
        accountAliases: { [SEED.baseRole.split(':')[4]!]: SEED.accountName },
      },
    });

    // Settings are written from the service worker itself: an extension page would render and ask the host too.
    const worker = await driver.browser.serviceWorker();
    const writeSettings = (items: object) =>
      worker.evaluate((i: object) => (globalThis as unknown as { chrome: { storage: { local: { set(i: object): Promise<void> } } } }).chrome.storage.local.set(i), items);

    const page: Page = await context.newPage();
    let submittedAt = 0;
    await page.exposeFunction('__benchFormSubmitted', (at: number) => void (submittedAt = at));
    await page.addInitScript(() => {
      const submit = HTMLFormElement.prototype.submit;
      HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
        void (globalThis as unknown as { __benchFormSubmitted(at: number): Promise<void> }).__benchFormSubmitted(Date.now());
        return submit.call(this);
      };
    });

    /** Where the time of each timed sign-in went, by the stand-ins' clocks (same machine, same clock). */
    const phases: Record<'toPost' | 'toSts' | 'sts' | 'toWritten' | 'chains', number[]> = { toPost: [], toSts: [], sts: [], toWritten: [], chains: [] };

    /** When the current login was captured (ms, epoch), as the extension keeps it. */
    const capturedAt = async (): Promise<number> =>
      Date.parse(
        await worker.evaluate(
          async (key: string) =>
            ((await (globalThis as unknown as { chrome: { storage: { session: { get(k: string): Promise<Record<string, { capturedAt?: string }>> } } } }).chrome.storage.session.get(key))[key]?.capturedAt ?? ''),
          CAPTURED_LOGIN_KEY,
        ),
      );

    /** One sign-in: the IdP page posts, the extension syncs; ms from the capture and from the form submit to the credentials file in place. */
    const once = async (withChains: boolean, timed = false): Promise<{ fromCapture: number; fromSubmit: number }> => {
      const mark = standIns.stsRequests.length;
      await writeSettings(settingsFor(withChains));
      const wanted = withChains ? ['sts-temp', ...chains.map((c) => c.profile)] : ['sts-temp'];
      const keyOf = (text: string, profile: string) => sectionOf(text, profile).aws_access_key_id;
      const beforeText = readAwsFile(home, 'credentials');
      const before = new Map(wanted.map((p) => [p, keyOf(beforeText, p)]));
      let writtenAt = 0;
      const written = new Promise<void>((resolve) => {
        const watcher = watch(awsDir, (event, file) => {
          if (event !== 'rename' || file !== 'credentials') return;
          const at = Date.now();
          const text = readAwsFile(home, 'credentials');
          // Complete: every profile of this sync holds new keys.
          if (!wanted.every((p) => keyOf(text, p) && keyOf(text, p) !== before.get(p))) return;
          writtenAt = at;
          watcher.close();
          resolve();
        });
      });
      submittedAt = 0;
      standIns.planNextAssertion({ roles: [{ roleArn: SEED.baseRole, principalArn: SEED.provider }] });
      await page.goto(standIns.signInUrl);
      await Promise.race([written, sleep(15_000).then(() => {
        const text = readAwsFile(home, 'credentials');
        const stale = wanted.filter((p) => !keyOf(text, p) || keyOf(text, p) === before.get(p));
        return Promise.reject(new Error(`no write within 15 s (profiles without new keys: ${stale.join(', ')}; STS calls: ${standIns.stsRequests.length - mark})`));
      })]);
      if (!submittedAt) throw new Error('the IdP page did not submit its form');
      const captured = await capturedAt();
      if (!(captured >= submittedAt)) throw new Error('the login written was not captured after the form submit');
      const sts = standIns.stsRequests.slice(mark);
      if (timed && !withChains && sts[0]) {
        phases.toPost.push(captured - submittedAt);
        phases.toSts.push(sts[0].at - captured);
        phases.sts.push((sts[0].answeredAt ?? sts[0].at) - sts[0].at);
        phases.toWritten.push(writtenAt - (sts[0].answeredAt ?? sts[0].at));
      }
      const chained = sts.filter((r) => r.action === 'AssumeRole');
      if (timed && withChains && chained.length > 0) {
        phases.chains.push(Math.max(...chained.map((r) => r.answeredAt ?? r.at)) - Math.min(...chained.map((r) => r.at)));
      }
      // The next assertion must differ (its IssueInstant has millisecond precision; the digest is what counts).
      await sleep(20);
      return { fromCapture: writtenAt - captured, fromSubmit: writtenAt - submittedAt };
    };

    // The first sign-in from nothing: the options are set, the origin is the configured IdP's, ~/.aws is created.
    await writeSettings(settingsFor(false));
    standIns.planNextAssertion({ roles: [{ roleArn: SEED.baseRole, principalArn: SEED.provider }] });
    await page.goto(standIns.signInUrl);
    const deadline = Date.now() + 15_000;
    while (!sectionOf(readAwsFile(home, 'credentials'), 'sts-temp').aws_access_key_id) {
      if (Date.now() > deadline) throw new Error('the first sign-in was not synced within 15 s');
      await sleep(50);
    }

    for (let i = 0; i < WARMUP; i++) {
      await once(false);
      await once(true);
    }
    const one: { fromCapture: number; fromSubmit: number }[] = [];
    const withChains: { fromCapture: number; fromSubmit: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      one.push(await once(false, true));
      withChains.push(await once(true, true));
    }
    const a = median(one.map((r) => r.fromCapture));
    const b = median(withChains.map((r) => r.fromCapture));
    console.log(`  (real Chromium, journey stand-ins, STS = moto, the real native host; ${RUNS} runs each, interleaved)`);
    report(`capture -> credentials written, 1 role (median of ${RUNS})`, a, 'ms', { max: 50 });
    console.log(`  runs: ${one.map((r) => r.fromCapture.toFixed(0)).join(', ')} ms`);
    report('  of which capture -> AssumeRoleWithSAML at the STS stand-in (the extension)', median(phases.toSts), 'ms');
    report('  of which STS (moto) answering', median(phases.sts), 'ms');
    report('  of which STS answer -> credentials renamed into place', median(phases.toWritten), 'ms');
    report('  for reference: form submit -> capture (the browser navigating)', median(phases.toPost), 'ms');
    report('  for reference: form submit -> credentials written', median(one.map((r) => r.fromSubmit)), 'ms');
    report(`capture -> credentials written, 1 role + ${CHAINS} resolved chains`, b, 'ms', { max: a * 1.5, text: `1.5 x ${a.toFixed(0)} ms` });
    console.log(`  runs: ${withChains.map((r) => r.fromCapture.toFixed(0)).join(', ')} ms`);
    report(`  of which first AssumeRole sent -> last of ${CHAINS} answered (median)`, median(phases.chains), 'ms');
    report('  ratio (1 role + 9 chains) / (1 role)', b / a, 'x', { max: 1.5 });
    console.log(`  (machine load average during the run: ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores)`);
  } finally {
    await driver.close();
    await standIns.stop();
  }
}
