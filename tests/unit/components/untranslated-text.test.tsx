// @vitest-environment happy-dom
/**
 * With the browser in Chinese, no screen of the popup or the options page shows an English word: every sentence a
 * person reads comes from the catalogues. Each text node, and every aria-label, placeholder and title, is checked
 * for Latin-letter words; what may stay Latin is data (profile names, ARNs, account ids, hosts), code (paths,
 * commands, setting names) and the product names the Chinese catalogue keeps on purpose. A string typed into a
 * component instead of the catalogue shows up here as an English word.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOptionsStore } from '@/components/options-store';
import { OptionsApp } from '@/components/options/OptionsApp';
import { createPopupStore, HOST_DOCTOR_COMMAND, HOST_INSTALL_COMMAND } from '@/components/popup-store';
import { PopupStoreContext } from '@/components/popup/context';
import { PopupApp } from '@/components/popup/PopupApp';
import { SyncedProfiles } from '@/components/popup/SyncedProfiles';
import type { PopupState } from '@/utils/messages';
import { useCatalogue } from '../../support/message-catalogue';
import {
  DEV_ROLE_ARN,
  fakeBackground,
  MANY_ROLES,
  okLogin,
  popupState,
  SEED_ACCOUNT,
  SEED_ROLE_ARN,
  SEED_ROLES,
  SEED_SETTINGS,
  seedProfiles,
  syncOk,
} from '../../support/ui-fixtures';

const NOW = new Date(2026, 10, 24, 14, 43, 0).getTime();
const CAPTURED = new Date(2026, 10, 24, 14, 42, 0).toISOString();
const EXPIRES = new Date(2026, 10, 24, 15, 42, 30).toISOString();

/** Names that stay as they are in Chinese: products, AWS's own terms, the settings' own field names. */
const KEPT_WORDS = new Set(
  'AWS STS SAML IdP Google Workspace CLI SDK ARN ID URL JSON FIPS VPC HTTP idpid spid authuser npx'.split(' '),
);

/** The extension's own name, which the Chinese catalogue keeps. */
const PRODUCT = 'AWS SAML Sync';

/** The fixtures' data: account aliases, role and profile names (the sync row's profile is "sandbox-saml-init"). */
const DATA_WORDS = new Set([
  'sandbox',
  'sandbox-saml-init',
  'sts-temp',
  'dev-env',
  'served',
  'assumed-dev',
  ...[...SEED_ROLES, ...MANY_ROLES].flatMap((r) => r.roleName.split('/')),
]);

/** Commands and ini lines shown as they are typed. */
const CODE_TEXT = [HOST_INSTALL_COMMAND, HOST_DOCTOR_COMMAND, 'region ='];

/** A token that is code, a path, a host, a placeholder or an id: it holds / ~ _ : @ = < > { } . or a digit. */
const CODE_TOKEN = /[/~_:@=<>{}.\d]|^aws-saml-sync/;

function englishWords(text: string): string[] {
  return [PRODUCT, ...CODE_TEXT]
    .reduce((rest, kept) => rest.replaceAll(kept, ''), text)
    .split(/[\s，。、；：（）“”‘’！？,;()"'…·→✓]+/u)
    .filter((token) => /[A-Za-z]{2,}/.test(token) && !CODE_TOKEN.test(token))
    .flatMap((token) => token.match(/[A-Za-z][A-Za-z-]*[A-Za-z]/g) ?? [])
    .filter((word) => !KEPT_WORDS.has(word) && !DATA_WORDS.has(word));
}

/** Every English word on screen: text nodes, and the attributes a person hears or sees. */
function englishOnScreen(root: Element): string[] {
  const texts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node.textContent ?? '');
  for (const el of root.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const attr of ['aria-label', 'placeholder', 'title']) texts.push(el.getAttribute(attr) ?? '');
  }
  return texts.flatMap((text) => englishWords(text).map((word) => `${word} (in "${text.trim()}")`));
}

/** A popup state with most of what the popup can show at once. */
function busyState(): PopupState {
  return popupState({
    settings: SEED_SETTINGS,
    login: { ...okLogin([...SEED_ROLES, ...MANY_ROLES], CAPTURED), firstSync: { accounts: [SEED_ACCOUNT], issuer: 'https://idp.example.com' } },
    signInUrl: 'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012',
    host: { state: 'missing' },
    profiles: [...seedProfiles(EXPIRES), { profile: 'served', kind: 'chained', roleArn: DEV_ROLE_ARN, sourceProfile: 'sts-temp', credentialProcess: true }],
    roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES) },
    pendingSignIn: { origin: 'https://evil.example', host: 'evil.example', accounts: ['999988887777', '111122223333'] },
    refresh: { enabled: true, profiles: ['sts-temp', 'dev-env'], next: { 'sts-temp': EXPIRES } },
  });
}

function renderPopup(state: PopupState) {
  const store = createPopupStore({ send: fakeBackground({ getState: () => state }).send, writeClipboard: async () => {}, now: () => NOW });
  const view = render(<PopupApp store={store} />);
  store.start();
  return view;
}

beforeEach(() => useCatalogue('zh_CN'));
afterEach(() => cleanup());

describe('with the browser in Chinese', () => {
  it('the popup before a sign-in shows no English word', async () => {
    const { container } = renderPopup(popupState());
    await screen.findByText(/点击 AWS 图块/);
    expect(englishOnScreen(container).join('\n')).toBe('');
  });

  it('the popup with roles, a sync, synced profiles, a pending sign-in and a missing helper shows no English word', async () => {
    const { container } = renderPopup(busyState());
    await screen.findByText('已同步的配置文件');
    fireEvent.click(screen.getAllByRole('button', { name: /^移除/ })[0]!);
    await screen.findByText(/要从 ~\/\.aws 中移除/);
    expect(englishOnScreen(container).join('\n')).toBe('');
  });

  it('the options page, with every editor filled in, shows no English word', async () => {
    const state = busyState();
    const store = createOptionsStore({
      send: fakeBackground({ getState: () => state }).send,
      download: () => {},
    });
    const profiles = createPopupStore({ send: fakeBackground({ getState: () => state }).send, writeClipboard: async () => {}, now: () => NOW });
    const { container } = render(
      <OptionsApp
        store={store}
        profiles={
          <PopupStoreContext.Provider value={profiles}>
            <SyncedProfiles />
          </PopupStoreContext.Provider>
        }
      />,
    );
    store.start();
    profiles.start();
    await screen.findByText('配置文件映射');
    await waitFor(() => expect(screen.getByText('已同步的配置文件')).toBeTruthy());
    expect(englishOnScreen(container).join('\n')).toBe('');
  });

  it('catches a hard-coded English sentence', () => {
    const { container } = render(<p title="Copy command">复制命令 Check again</p>);
    expect(englishOnScreen(container)).toEqual(['Check (in "复制命令 Check again")', 'again (in "复制命令 Check again")', 'Copy (in "Copy command")', 'command (in "Copy command")']);
  });
});
