/**
 * Where each browser looks for a native messaging host manifest, per platform: what the installer writes and
 * removes, and what `doctor` checks. Pure (paths only; nothing is read here), so every path and key has a unit test.
 *
 * Sources, checked when each entry was added:
 * - Chrome: developer.chrome.com/docs/extensions/develop/concepts/native-messaging ("Native messaging host
 *   location"): Linux `~/.config/google-chrome/NativeMessagingHosts` and `~/.config/chromium/…`, macOS
 *   `~/Library/Application Support/Google/Chrome/NativeMessagingHosts` and `…/Chromium/…`; Windows
 *   `HKCU\Software\Google\Chrome\NativeMessagingHosts\<name>`, whose default value is the manifest's path. The
 *   user-level folder is `NativeMessagingHosts` inside the browser's user data directory, so each channel has its
 *   own (chromium/docs/user_data_dir.md: `google-chrome-beta`, `google-chrome-unstable`, `Chrome Beta`, `Chrome
 *   Canary`…), while on Windows every channel reads the one key above.
 * - Chromium on Windows reads the Chrome key (keepassxreboot/keepassxc#5111); we also write its own key.
 * - Vivaldi on Windows reads the Chrome key, not `HKCU\Software\Vivaldi` (keepassxreboot/keepassxc-browser#48);
 *   Chromium-based browsers other than Edge read the Chrome key (MicrosoftDocs/edge-developer#533), so Brave and Arc
 *   get that key too.
 * - Brave on macOS reads Chrome's folder (brave/muon#256 made it look there), and Arc on macOS is reported to read
 *   only Chrome's: we write both their own folder and Chrome's. Not checked on a Mac here.
 * - Edge: learn.microsoft.com/microsoft-edge/extensions-chromium/developer-guide/native-messaging: Windows
 *   `HKCU\Software\Microsoft\Edge\NativeMessagingHosts`, macOS `…/Microsoft Edge/NativeMessagingHosts`, Linux
 *   `~/.config/microsoft-edge/NativeMessagingHosts`; Beta/Dev/Canary have their own folders, one key.
 * - Firefox: developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Native_manifests: Linux
 *   `~/.mozilla/native-messaging-hosts`, macOS `~/Library/Application Support/Mozilla/NativeMessagingHosts`,
 *   Windows `HKCU\Software\Mozilla\NativeMessagingHosts\<name>`. LibreWolf: `~/.librewolf/native-messaging-hosts`
 *   on Linux, `~/Library/Application Support/LibreWolf/NativeMessagingHosts` on macOS, and on Windows the Mozilla
 *   key (ltguillaume/librewolf-portable#13: the path is hard-coded to `Software\Mozilla`).
 * - Flatpak: a Flatpak app's XDG_CONFIG_HOME is `~/.var/app/<id>/config` (docs.flatpak.org, "Sandbox
 *   permissions"), so a Flatpak Chromium-family browser reads `~/.var/app/<id>/config/<dir>/NativeMessagingHosts`,
 *   and Flatpak Firefox keeps `~/.var/app/org.mozilla.firefox/.mozilla`. The host it starts runs inside the
 *   sandbox, which has no Node and cannot see our data folder: the launcher there hands over to the real one
 *   outside with `flatpak-spawn --host`, which the browser may use only after `flatpak override --user
 *   --talk-name=org.freedesktop.Flatpak <id>`.
 * - Snap: the Chromium (and Brave) snap's confinement does not let it start native hosts (a long-standing
 *   limitation of those snaps);
 *   the Firefox snap starts them through the WebExtensions portal (xdg-desktop-portal), which reads the usual
 *   `~/.mozilla/native-messaging-hosts` and asks the person once ("Allow"); a refusal is stored in the portal's
 *   permission store.
 */
import { posix, win32 } from 'node:path';
import { NATIVE_HOST_NAME } from '../utils/extension-identity';

export type Platform = 'linux' | 'darwin' | 'win32';

/** This machine's platform, as the installer and the helper's own folders name it. */
export function currentPlatform(): Platform {
  return process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
}
export type Family = 'chromium' | 'firefox';

export const BROWSERS = [
  'chrome',
  'chrome-beta',
  'chrome-dev',
  'chrome-canary',
  'chromium',
  'edge',
  'edge-beta',
  'edge-dev',
  'edge-canary',
  'brave',
  'brave-beta',
  'brave-nightly',
  'vivaldi',
  'vivaldi-snapshot',
  'arc',
  'firefox',
  'librewolf',
] as const;
export type Browser = (typeof BROWSERS)[number];

/** What `install` without --browser writes on a machine where none of the browsers' folders is found yet. */
export const STABLE_BROWSERS: Browser[] = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'];

export const MANIFEST_FILE = `${NATIVE_HOST_NAME}.json`;

const CHROME_KEY = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts';
const CHROMIUM_KEY = 'HKCU\\Software\\Chromium\\NativeMessagingHosts';
const EDGE_KEY = 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts';
const MOZILLA_KEY = 'HKCU\\Software\\Mozilla\\NativeMessagingHosts';

interface BrowserInfo {
  label: string;
  family: Family;
  /** Linux: the user data folder under XDG_CONFIG_HOME (Chromium family) or the manifest folder under HOME (Firefox family). */
  linux?: string[];
  /** macOS: the manifest folders under ~/Library/Application Support (the first is the browser's own). */
  mac?: string[][];
  /** Windows: the HKCU keys it reads, and its user data folder under LOCALAPPDATA/APPDATA (to tell it is there). */
  windowsKeys: string[];
  windowsData?: { base: 'LOCALAPPDATA' | 'APPDATA'; dir: string[] };
  /** Flatpak ids and the folder, inside ~/.var/app/<id>, that holds the manifest folder. */
  flatpak?: { id: string; dir: string[] }[];
  /** Snap names; `works` when its native messaging goes through the WebExtensions portal. */
  snap?: { name: string; works: boolean };
}

const NMH = 'NativeMessagingHosts';

export const BROWSER_INFO: Record<Browser, BrowserInfo> = {
  chrome: {
    label: 'Google Chrome',
    family: 'chromium',
    linux: ['google-chrome'],
    mac: [['Google', 'Chrome', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Google', 'Chrome', 'User Data'] },
    flatpak: [{ id: 'com.google.Chrome', dir: ['config', 'google-chrome', NMH] }],
  },
  'chrome-beta': {
    label: 'Google Chrome Beta',
    family: 'chromium',
    linux: ['google-chrome-beta'],
    mac: [['Google', 'Chrome Beta', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Google', 'Chrome Beta', 'User Data'] },
  },
  'chrome-dev': {
    label: 'Google Chrome Dev',
    family: 'chromium',
    linux: ['google-chrome-unstable'],
    mac: [['Google', 'Chrome Dev', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Google', 'Chrome Dev', 'User Data'] },
    flatpak: [{ id: 'com.google.ChromeDev', dir: ['config', 'google-chrome-unstable', NMH] }],
  },
  'chrome-canary': {
    label: 'Google Chrome Canary',
    family: 'chromium',
    linux: ['google-chrome-canary'],
    mac: [['Google', 'Chrome Canary', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Google', 'Chrome SxS', 'User Data'] },
  },
  chromium: {
    label: 'Chromium',
    family: 'chromium',
    linux: ['chromium'],
    mac: [['Chromium', NMH]],
    windowsKeys: [CHROMIUM_KEY, CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Chromium', 'User Data'] },
    flatpak: [
      { id: 'org.chromium.Chromium', dir: ['config', 'chromium', NMH] },
      { id: 'io.github.ungoogled_software.ungoogled_chromium', dir: ['config', 'chromium', NMH] },
    ],
    snap: { name: 'chromium', works: false },
  },
  edge: {
    label: 'Microsoft Edge',
    family: 'chromium',
    linux: ['microsoft-edge'],
    mac: [['Microsoft Edge', NMH]],
    windowsKeys: [EDGE_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Microsoft', 'Edge', 'User Data'] },
    flatpak: [{ id: 'com.microsoft.Edge', dir: ['config', 'microsoft-edge', NMH] }],
  },
  'edge-beta': {
    label: 'Microsoft Edge Beta',
    family: 'chromium',
    linux: ['microsoft-edge-beta'],
    mac: [['Microsoft Edge Beta', NMH]],
    windowsKeys: [EDGE_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Microsoft', 'Edge Beta', 'User Data'] },
  },
  'edge-dev': {
    label: 'Microsoft Edge Dev',
    family: 'chromium',
    linux: ['microsoft-edge-dev'],
    mac: [['Microsoft Edge Dev', NMH]],
    windowsKeys: [EDGE_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Microsoft', 'Edge Dev', 'User Data'] },
  },
  'edge-canary': {
    label: 'Microsoft Edge Canary',
    family: 'chromium',
    // No Linux build of Canary.
    mac: [['Microsoft Edge Canary', NMH]],
    windowsKeys: [EDGE_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Microsoft', 'Edge SxS', 'User Data'] },
  },
  brave: {
    label: 'Brave',
    family: 'chromium',
    linux: ['BraveSoftware', 'Brave-Browser'],
    mac: [
      ['BraveSoftware', 'Brave-Browser', NMH],
      ['Google', 'Chrome', NMH],
    ],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['BraveSoftware', 'Brave-Browser', 'User Data'] },
    flatpak: [{ id: 'com.brave.Browser', dir: ['config', 'BraveSoftware', 'Brave-Browser', NMH] }],
    snap: { name: 'brave', works: false },
  },
  'brave-beta': {
    label: 'Brave Beta',
    family: 'chromium',
    linux: ['BraveSoftware', 'Brave-Browser-Beta'],
    mac: [
      ['BraveSoftware', 'Brave-Browser-Beta', NMH],
      ['Google', 'Chrome', NMH],
    ],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['BraveSoftware', 'Brave-Browser-Beta', 'User Data'] },
  },
  'brave-nightly': {
    label: 'Brave Nightly',
    family: 'chromium',
    linux: ['BraveSoftware', 'Brave-Browser-Nightly'],
    mac: [
      ['BraveSoftware', 'Brave-Browser-Nightly', NMH],
      ['Google', 'Chrome', NMH],
    ],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['BraveSoftware', 'Brave-Browser-Nightly', 'User Data'] },
  },
  vivaldi: {
    label: 'Vivaldi',
    family: 'chromium',
    linux: ['vivaldi'],
    mac: [['Vivaldi', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Vivaldi', 'User Data'] },
    flatpak: [{ id: 'com.vivaldi.Vivaldi', dir: ['config', 'vivaldi', NMH] }],
  },
  'vivaldi-snapshot': {
    label: 'Vivaldi Snapshot',
    family: 'chromium',
    linux: ['vivaldi-snapshot'],
    mac: [['Vivaldi Snapshot', NMH]],
    windowsKeys: [CHROME_KEY],
    windowsData: { base: 'LOCALAPPDATA', dir: ['Vivaldi Snapshot', 'User Data'] },
  },
  arc: {
    label: 'Arc',
    family: 'chromium',
    // macOS and Windows only.
    mac: [
      ['Arc', 'User Data', NMH],
      ['Google', 'Chrome', NMH],
    ],
    windowsKeys: [CHROME_KEY],
  },
  firefox: {
    label: 'Firefox',
    family: 'firefox',
    linux: ['.mozilla', 'native-messaging-hosts'],
    mac: [['Mozilla', NMH]],
    windowsKeys: [MOZILLA_KEY],
    windowsData: { base: 'APPDATA', dir: ['Mozilla', 'Firefox'] },
    flatpak: [{ id: 'org.mozilla.firefox', dir: ['.mozilla', 'native-messaging-hosts'] }],
    snap: { name: 'firefox', works: true },
  },
  librewolf: {
    label: 'LibreWolf',
    family: 'firefox',
    linux: ['.librewolf', 'native-messaging-hosts'],
    mac: [['LibreWolf', NMH]],
    windowsKeys: [MOZILLA_KEY],
    windowsData: { base: 'APPDATA', dir: ['librewolf'] },
    flatpak: [{ id: 'io.gitlab.librewolf-community', dir: ['.librewolf', 'native-messaging-hosts'] }],
  },
};

export function pathFor(platform: Platform) {
  return platform === 'win32' ? win32 : posix;
}

function xdg(value: string | undefined, fallback: string): string {
  return value?.startsWith('/') ? value : fallback;
}

/** Where the helper itself is installed (a copy: it must not depend on a checkout or on npx's cache). */
export function dataDir(platform: Platform, home: string, env: NodeJS.ProcessEnv = {}): string {
  const p = pathFor(platform);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'aws-saml-sync');
  if (platform === 'win32') return p.join(env.LOCALAPPDATA || p.join(home, 'AppData', 'Local'), 'aws-saml-sync');
  return p.join(xdg(env.XDG_DATA_HOME, p.join(home, '.local', 'share')), 'aws-saml-sync');
}

/** A browser with no build for this platform (Arc on Linux, Edge Canary on Linux). */
export function supported(browser: Browser, platform: Platform): boolean {
  const info = BROWSER_INFO[browser];
  return platform === 'linux' ? Boolean(info.linux) : platform === 'darwin' ? Boolean(info.mac) : true;
}

/**
 * Every folder this browser reads user-level host manifests from (Linux, macOS); on Windows the folder where ours
 * is kept for it (one per family: the registry keys point at it). Empty when the browser has no build here.
 */
export function manifestDirs(browser: Browser, platform: Platform, home: string, env: NodeJS.ProcessEnv = {}): string[] {
  const info = BROWSER_INFO[browser];
  const p = pathFor(platform);
  if (platform === 'win32') return [p.join(dataDir(platform, home, env), 'manifests', info.family)];
  if (platform === 'darwin') return (info.mac ?? []).map((sub) => p.join(home, 'Library', 'Application Support', ...sub));
  if (!info.linux) return [];
  // Chromium-family browsers keep their user data (and so these folders) under $XDG_CONFIG_HOME, else ~/.config;
  // Firefox and LibreWolf under HOME whatever XDG says.
  if (info.family === 'firefox') return [p.join(home, ...info.linux)];
  return [p.join(xdg(env.XDG_CONFIG_HOME, p.join(home, '.config')), ...info.linux, NMH)];
}

/** The browser's own folder (the first of manifestDirs), kept for callers that want one. */
export function manifestDir(browser: Browser, platform: Platform, home: string, env: NodeJS.ProcessEnv = {}): string {
  const dirs = manifestDirs(browser, platform, home, env);
  if (!dirs[0]) throw new Error(`${BROWSER_INFO[browser].label} has no ${platformName(platform)} version.`);
  return dirs[0];
}

/** The registry keys (with our host's name) this browser reads on Windows. */
export function registryKeys(browser: Browser): string[] {
  return BROWSER_INFO[browser].windowsKeys.map((k) => `${k}\\${NATIVE_HOST_NAME}`);
}

/** The folder whose presence says this browser has been used by this person (its user data, or its manifest folder's parent). */
export function browserDataDir(browser: Browser, platform: Platform, home: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  const info = BROWSER_INFO[browser];
  const p = pathFor(platform);
  if (platform === 'win32') {
    if (!info.windowsData) return undefined;
    const base = info.windowsData.base === 'APPDATA' ? env.APPDATA || p.join(home, 'AppData', 'Roaming') : env.LOCALAPPDATA || p.join(home, 'AppData', 'Local');
    return p.join(base, ...info.windowsData.dir);
  }
  const dirs = manifestDirs(browser, platform, home, env);
  return dirs[0] ? p.dirname(dirs[0]) : undefined;
}

export function platformName(platform: Platform): string {
  return platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : 'Linux';
}
