/**
 * What the journey spec (tests/e2e/journey.test.ts) and `npm run demo` need from a browser, in one shape for
 * Chromium (playwright-core, tests/support/chromium-journey.ts) and Firefox (puppeteer-core over WebDriver BiDi,
 * tests/support/firefox-journey.ts).
 *
 * A driver does only what differs between browsers: launching with or without the native host, opening the
 * extension's pages, following the AWS tile, reading the toolbar badge. A page offers a few primitives that find
 * controls the way a person (or a screen reader) names them. The person's steps in the popup and options page are
 * written once, below, over those primitives: a new step (say, answering "use sign-ins from there?") is one function
 * here and works in both browsers.
 */
import { expect } from 'vitest';
import type { JourneyStandIns } from './journey-stand-ins';

/** The roles the spec looks for; each driver maps them to its own queries. */
export type Role = 'heading' | 'status' | 'alert' | 'button';

export interface Query {
  /** Elements of this role; without it, the innermost element whose text matches. */
  role?: Role;
  /** Only inside the list item (a role row in the popup) that holds the button named exactly so. */
  inRowOf?: string;
}

/** One tab of the browser: an extension page or a web page. */
export interface JourneyPage {
  /** Type `value` into the field whose label is exactly `label` (replacing what was there). */
  fill(label: string, value: string): Promise<void>;
  /** Click the enabled button whose accessible name is exactly `name`. */
  click(name: string): Promise<void>;
  /** Tick the checkbox whose label is exactly `label` (nothing happens when it is ticked already). */
  check(label: string): Promise<void>;
  /** Untick the checkbox whose label is exactly `label` (nothing happens when it is unticked already). */
  uncheck(label: string): Promise<void>;
  /** The current value of the field whose label is exactly `label`, once it has one matching `pattern`. */
  value(label: string, pattern?: RegExp): Promise<string>;
  /** Open the disclosure (`<details>`) whose summary reads exactly `summary` (nothing happens when it is open). */
  expand(summary: string): Promise<void>;
  /** Wait for an element matching `query` whose text (whitespace collapsed) matches `pattern`; its text. */
  find(query: Query, pattern: RegExp, timeoutMs?: number): Promise<string>;
  screenshot(path: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface JourneyDriver {
  /** 'Chromium' or 'Firefox', as test names say it. */
  readonly name: string;
  /** The temporary HOME the browser (and so the native host) runs with: `~/.aws` is under it. */
  readonly home: string;
  /**
   * Open the IdP's launcher, click the AWS tile, wait for AWS's role chooser; fails unless one SAML POST arrived.
   * With `pickRole`, then choose that role on the chooser and sign in, as a person going to the console does (the
   * chooser posts the same assertion again, with `roleIndex`), and wait for the console.
   */
  clickAwsTile(options?: { pickRole?: string }): Promise<void>;
  /**
   * Grant the extension an optional host permission (`https://host/*`) as the person would answer the browser's
   * prompt; headless browsers show no prompt. Afterwards the extension's own `permissions.request` resolves true.
   */
  grantHostPermission(pattern: string): Promise<void>;
  /** Take a host permission back (as the person can in the browser's extension settings). */
  revokeHostPermission(pattern: string): Promise<void>;
  /** The popup, as a tab, once it has rendered the state the background sent. */
  openPopup(): Promise<JourneyPage>;
  /** The options page (its controls are waited for by the primitives). */
  openOptions(): Promise<JourneyPage>;
  /** The toolbar badge's text (global, not per tab), read through the extension's own `action` API. */
  readBadge(): Promise<string>;
  /** A web page in a new tab (not the extension's). */
  openPage(url: string): Promise<JourneyPage>;
  /** Everything in one of the extension's storage areas, read from one of its own pages (a trusted context). */
  readStorage(area: 'local' | 'session'): Promise<Record<string, unknown>>;
  /** Sets keys of the extension's storage from one of its own pages (what a person's earlier session left). */
  writeStorage(area: 'local' | 'session', items: Record<string, unknown>): Promise<void>;
  /**
   * Make the browser say yes to the extension's next optional host permission request for `pattern`, as the
   * person would in the prompt (headless browsers show none): Chromium grants it ahead from chrome://extensions,
   * Firefox runs with `extensions.webextOptionalPermissionPrompts` off.
   */
  allowHostPermission(pattern: string): Promise<void>;
  /** Open tabs and windows, for "refresh opened nothing". */
  countTabs(): Promise<number>;
  /** Ids of the extension's notifications on screen now. */
  notifications(): Promise<string[]>;
  /**
   * Stop the background as the browser does when idle (Chromium: CDP ServiceWorker.stopAllWorkers, seen stopped);
   * false where the stop could not be observed (Firefox: waits for its idle timeout).
   */
  stopBackground(): Promise<boolean>;
  /** Quit the browser (the native hosts it started end with it) but keep HOME and ~/.aws, for what runs without it. */
  quit(): Promise<void>;
  /** Quit the browser and remove HOME. */
  close(): Promise<void>;
}

/** Starts one browser with the built extension, reaching the stand-ins; with or without the native host installed. */
export type JourneyDriverFactory = (
  standIns: JourneyStandIns,
  /** `lang`: the browser's UI language (Chromium only; Firefox runs in English). */
  options: { withHost: boolean; headed?: boolean; lang?: string },
) => Promise<JourneyDriver>;

export const collapseWhitespace = (s: string): string => s.replace(/\s+/g, ' ').trim();

// ---- the person's steps, once for both browsers ----------------------------------------------------------------

/** In the popup: name the profile of one role and press its Sync button. */
export async function syncInPopup(popup: JourneyPage, roleName: string, profile: string): Promise<void> {
  await popup.fill(`Profile name for ${roleName}`, profile);
  await popup.click(`Sync ${roleName}`);
}

/**
 * In the popup: a first sign-in from an IdP the person never confirmed waits as a question; answer that sign-ins
 * from `host` are theirs. The roles appear once the background has taken the login.
 */
export async function confirmSignInOrigin(popup: JourneyPage, host: string): Promise<void> {
  await popup.find({ role: 'heading' }, new RegExp(`^This sign-in came from ${host.replace(/\./g, '\\.')} — use sign-ins from there\\?$`));
  await popup.click(`Use sign-ins from ${host}`);
}

/** The person's own first sign-in: the tile, Google confirmed, saml-init synced as sts-temp and kept in sync. */
export async function firstSignIn(driver: JourneyDriver): Promise<void> {
  await driver.clickAwsTile();
  const popup = await driver.openPopup();
  await confirmSignInOrigin(popup, 'accounts.google.com');
  await syncInPopup(popup, 'saml-init', 'sts-temp');
  await popup.find({ role: 'status', inRowOf: 'Sync saml-init' }, /sts-temp.*expires/);
  await turnOnAutoSync(popup, 'sts-temp');
  await popup.close();
}

/** In the popup, after a sync: keep that profile in sync on every sign-in (a first sync never turns it on). */
export async function turnOnAutoSync(popup: JourneyPage, profile: string): Promise<void> {
  await popup.check(`Sync on every sign-in for ${profile}`);
}

/** The outcome line of one role in the popup (its own alert, not the auto-sync banner), once it matches. */
export function roleAlert(popup: JourneyPage, roleName: string, pattern: RegExp): Promise<string> {
  return popup.find({ role: 'alert', inRowOf: `Sync ${roleName}` }, pattern);
}

/** In the options page: make the changes, press Save and wait for "Saved."; the page is closed afterwards. */
export async function saveOptions(driver: JourneyDriver, change: (options: JourneyPage) => Promise<void>): Promise<void> {
  const options = await driver.openOptions();
  try {
    await change(options);
    await options.click('Save');
    await options.find({}, /^Saved\.$/);
  } finally {
    await options.close();
  }
}

/**
 * In the options page: the Google sign-in URL and silent refresh, on, with its lead; saves. The permission prompt
 * is answered by the driver (allowHostPermission) before the click.
 */
export async function turnOnRefresh(driver: JourneyDriver, google: { idpid: string; spid: string }, leadMinutes: number): Promise<void> {
  await driver.allowHostPermission('https://accounts.google.com/*');
  const options = await driver.openOptions();
  await options.fill('Google idpid', google.idpid);
  await options.fill('Google spid', google.spid);
  await options.fill('Refresh N minutes before expiry', String(leadMinutes));
  await options.check('Refresh profiles before they expire');
  await options.click('Save');
  await options.find({}, /^Saved\.$/);
  await options.close();
}

export interface ChainedProfile {
  profile: string;
  sourceProfile: string;
  roleArn: string;
  region: string;
}

/** In the options page: add a chained profile as the first chain and save; returns the page, still open. */
export async function addChainedProfile(driver: JourneyDriver, chain: ChainedProfile): Promise<JourneyPage> {
  const options = await driver.openOptions();
  await options.click('Add chained profile');
  await options.fill('Profile name of chained profile 1', chain.profile);
  await options.fill('Source profile of chained profile 1', chain.sourceProfile);
  await options.fill('Role ARN of chained profile 1', chain.roleArn);
  await options.fill('Region of chained profile 1', chain.region);
  await options.click('Save');
  // Either outcome is read, so a failure shows the page's own sentence (a helper that failed, say).
  expect(await options.find({}, /^Saved(\.|, but .*)$/)).toBe('Saved.');
  return options;
}

/**
 * For a failure message: what the background last recorded of its syncs (each role's status and error, the last
 * automatic sync failure; never the credentials held beside them), so a timeout in CI says why nothing was written.
 */
export async function syncDiagnosis(driver: JourneyDriver): Promise<string> {
  try {
    const { roleSync, lastAutoSyncError } = await driver.readStorage('session');
    return JSON.stringify({ roleSync: roleSync ?? null, lastAutoSyncError: lastAutoSyncError ?? null });
  } catch (error) {
    return `(the extension's state could not be read: ${(error as Error).message})`;
  }
}
