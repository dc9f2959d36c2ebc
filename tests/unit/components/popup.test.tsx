// @vitest-environment happy-dom
/**
 * Every state of the popup, rendered with Preact's testing library against a scripted fake background: before a
 * sign-in, a failed sign-in, roles grouped by account (with the filter above 7 roles), syncing, synced, a failed
 * sync, copying export lines, the missing or outdated native host, and the synced profiles with a chained one.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPopupStore, HOST_DOCTOR_COMMAND, HOST_INSTALL_COMMAND, type PopupDeps, type PopupStore } from '@/components/popup-store';
import { PopupApp } from '@/components/popup/PopupApp';
import type { PopupState, RoleSyncState } from '@/utils/messages';
import {
  BASE_SETTINGS,
  FakeFailure,
  fakeBackground,
  failedLogin,
  HOST_MISSING_SENTENCE,
  LOGIN_ERROR_SENTENCE,
  MANY_ROLES,
  okLogin,
  popupState,
  SEED_ACCOUNT,
  SEED_ROLE_ARN,
  SEED_ROLES,
  SEED_SETTINGS,
  seedProfiles,
  SYNC_ERROR_SENTENCE,
  syncOk,
  type FakeHandlers,
} from '../../support/ui-fixtures';

// Local times, so the expected "15:42" holds in any time zone.
const NOW = new Date(2026, 10, 24, 14, 43, 0).getTime();
const CAPTURED = new Date(2026, 10, 24, 14, 42, 0).toISOString();
const EXPIRES = new Date(2026, 10, 24, 15, 42, 30).toISOString(); // 59 min 30 s after NOW

interface Setup {
  store: PopupStore;
  calls: { type: string; body: unknown }[];
  clipboard: string[];
  emit: (state: PopupState) => void;
  close: ReturnType<typeof vi.fn>;
}

function setup(handlers: FakeHandlers, deps: Partial<PopupDeps> = {}): Setup {
  const bg = fakeBackground(handlers);
  const clipboard: string[] = [];
  const listeners = new Set<(m: unknown) => void>();
  const close = vi.fn();
  const store = createPopupStore({
    send: bg.send,
    events: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    writeClipboard: async (text) => {
      clipboard.push(text);
    },
    now: () => NOW,
    close,
    ...deps,
  });
  render(<PopupApp store={store} />);
  store.start();
  const emit = (state: PopupState): void => {
    for (const l of listeners) l({ kind: 'event', type: 'state-changed', state });
  };
  return { store, calls: bg.calls, clipboard, emit, close };
}

const withState = (state: PopupState): FakeHandlers => ({ getState: () => state });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('popup before any sign-in', () => {
  it('shows "Loading…" until the background answers', () => {
    setup({ getState: () => new Promise<PopupState>(() => undefined) });
    expect(screen.getByText('Loading…')).toBeTruthy();
  });

  it("says what went wrong when the background can't be reached", async () => {
    setup({
      getState: () => {
        throw new FakeFailure('The extension background did not answer; reload the extension and try again.');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The extension background did not answer; reload the extension and try again.',
    );
  });

  it('without a sign-in URL: one sentence and no button', async () => {
    setup(withState(popupState()));
    await screen.findByText(/Click the AWS tile in Google's app launcher/);
    expect(screen.queryByRole('button', { name: /sign in/i })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Synced profiles' })).toBeNull();
  });

  it('with a sign-in URL: a button that opens it (through the background) and closes the popup', async () => {
    const url = 'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012&forceauthn=false';
    const { calls, close } = setup({ ...withState(popupState({ signInUrl: url })), openSignIn: () => ({ opened: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in to AWS' }));
    await waitFor(() => expect(close).toHaveBeenCalledOnce());
    expect(calls.map((c) => c.type)).toEqual(['getState', 'openSignIn']);
  });

  it('has a Settings button that opens the options page', async () => {
    const openOptions = vi.fn();
    setup(withState(popupState()), { openOptions });
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(openOptions).toHaveBeenCalledOnce();
  });
});

describe('popup after a failed sign-in', () => {
  it("shows the login's one-sentence error and a way to sign in again", async () => {
    setup(withState(popupState({ login: failedLogin(CAPTURED, LOGIN_ERROR_SENTENCE), signInUrl: 'https://idp.example/aws' })));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(LOGIN_ERROR_SENTENCE);
    expect(screen.getByRole('heading', { name: 'Sign-in not usable' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in again' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Sync / })).toBeNull();
  });
});

describe('popup with the roles of a sign-in', () => {
  it('groups roles by account (alias when known, else the id) with an editable profile name and a Sync button each', async () => {
    const settings = {
      ...BASE_SETTINGS,
      accountAliases: { [SEED_ACCOUNT]: 'sandbox' },
      mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: true }],
    };
    setup(withState(popupState({ settings, login: okLogin([...SEED_ROLES, MANY_ROLES[3]!], CAPTURED) })));
    const sandbox = (await screen.findByRole('heading', { name: `sandbox ${SEED_ACCOUNT}` })).closest('section')!;
    const other = screen.getByRole('heading', { name: '222333444555' }).closest('section')!;
    // The remembered profile for a mapped role, the template's default for the others.
    expect(within(sandbox).getByRole<HTMLInputElement>('textbox', { name: 'Profile name for saml-init' }).value).toBe('sts-temp');
    expect(within(sandbox).getByRole<HTMLInputElement>('textbox', { name: 'Profile name for Deployer' }).value).toBe('sandbox-Deployer');
    expect(within(other).getByRole<HTMLInputElement>('textbox', { name: 'Profile name for Admin' }).value).toBe('222333444555-Admin');
    expect(within(sandbox).getByRole('button', { name: 'Sync saml-init' })).toBeTruthy();
    expect(within(sandbox).getByRole('button', { name: 'Sync Deployer' })).toBeTruthy();
    expect(within(other).getByRole('button', { name: 'Sync Admin' })).toBeTruthy();
    expect(screen.queryByRole('searchbox', { name: 'Filter roles' })).toBeNull(); // 3 roles: no filter
    expect(screen.getByRole('heading', { name: /Roles from your sign-in at 14:42/ })).toBeTruthy();
  });

  it('offers a filter box above 7 roles and filters by role, account or alias', async () => {
    setup(withState(popupState({ login: okLogin(MANY_ROLES, CAPTURED) })));
    const filter = await screen.findByRole('searchbox', { name: 'Filter roles' });
    expect(screen.getAllByRole('button', { name: /^Sync / })).toHaveLength(9);
    fireEvent.input(filter, { target: { value: 'readonly' } });
    expect(screen.getAllByRole('button', { name: /^Sync / }).map((b) => b.textContent)).toEqual(['Sync ReadOnly', 'Sync ReadOnly']);
    fireEvent.input(filter, { target: { value: '333444555666' } });
    expect(screen.getAllByRole('button', { name: /^Sync / })).toHaveLength(3);
    fireEvent.input(filter, { target: { value: 'nothing-like-this' } });
    expect(screen.getByText('No role matches “nothing-like-this”.')).toBeTruthy();
  });

  it('checks the profile name as it is typed: one sentence and a disabled button', async () => {
    const settings = { ...SEED_SETTINGS, mappings: [{ roleArn: SEED_ROLES[1]!.roleArn, profile: 'deploy', autoSync: true }] };
    setup(withState(popupState({ settings, login: okLogin(SEED_ROLES, CAPTURED) })));
    const input = await screen.findByRole('textbox', { name: 'Profile name for saml-init' });
    const button = screen.getByRole('button', { name: 'Sync saml-init' }) as HTMLButtonElement;
    fireEvent.input(input, { target: { value: 'has space' } });
    expect(screen.getByText('A profile name may use letters, digits and _ . @ + - (1 to 64 characters).')).toBeTruthy();
    expect(button.disabled).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.input(input, { target: { value: '' } });
    expect(screen.getByText('Enter a profile name.')).toBeTruthy();
    fireEvent.input(input, { target: { value: 'dev-env' } });
    expect(screen.getByText('"dev-env" is a chained profile already; pick another name.')).toBeTruthy();
    fireEvent.input(input, { target: { value: 'deploy' } });
    expect(screen.getByText('"deploy" is already the profile of team/Deployer; pick another name.')).toBeTruthy();
    fireEvent.input(input, { target: { value: 'sts-temp' } });
    expect(button.disabled).toBe(false);
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });
});

describe('syncing a role', () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  it('shows progress, then the profile name and its expiry, and sends the typed profile name', async () => {
    const answer = deferred<RoleSyncState>();
    const { calls } = setup({ ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })), syncRole: () => answer.promise });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Profile name for saml-init' }), { target: { value: 'sts-temp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sync saml-init' }));
    expect((await screen.findByRole('status')).textContent).toContain('Syncing sts-temp…');
    expect((screen.getByRole('button', { name: 'Sync saml-init' }) as HTMLButtonElement).disabled).toBe(true);
    expect(calls.at(-1)).toEqual({ type: 'syncRole', body: { roleArn: SEED_ROLE_ARN, profile: 'sts-temp' } });

    answer.resolve(syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('✓ sts-temp expires 15:42, in 59 min'));
    expect(screen.getByRole('button', { name: 'Copy as environment variables for sts-temp' })).toBeTruthy();
  });

  it('submits with Enter in the profile box (keyboard use)', async () => {
    const { calls } = setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: (b) => syncOk(b.roleArn, b.profile, EXPIRES),
    });
    const input = await screen.findByRole('textbox', { name: 'Profile name for Deployer' });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(calls.at(-1)?.type).toBe('syncRole'));
    expect(calls.at(-1)?.body).toEqual({ roleArn: SEED_ROLES[1]!.roleArn, profile: '111222333444-Deployer' });
  });

  it('shows what went wrong and what to do when the sync fails', async () => {
    setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: () => {
        throw new FakeFailure(SYNC_ERROR_SENTENCE, 'ExpiredTokenException');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync saml-init' }));
    expect((await screen.findByRole('alert')).textContent).toBe(SYNC_ERROR_SENTENCE);
    expect((screen.getByRole('button', { name: 'Sync saml-init' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows an error outcome the background reports as data (status "error")', async () => {
    setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: (b) => ({ roleArn: b.roleArn, profile: b.profile, status: 'error', error: SYNC_ERROR_SENTENCE, copyAvailable: false }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync Deployer' }));
    expect((await screen.findByRole('alert')).textContent).toBe(SYNC_ERROR_SENTENCE);
    expect(screen.queryByRole('button', { name: /Copy as environment variables/ })).toBeNull();
  });

  it('offers the copy fallback when STS worked but ~/.aws could not be written', async () => {
    const hostSentence = 'The aws-saml-sync helper is not installed; run npx aws-saml-sync-host install in a terminal, then sync again.';
    setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: (b) => ({ roleArn: b.roleArn, profile: b.profile, status: 'error', error: hostSentence, expiration: EXPIRES, copyAvailable: true }),
      copyEnv: () => ({ text: 'export AWS_ACCESS_KEY_ID=x\n' }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync saml-init' }));
    expect((await screen.findByRole('alert')).textContent).toBe(hostSentence);
    fireEvent.click(screen.getByRole('button', { name: 'Copy as environment variables for 111222333444-saml-init' }));
    await screen.findByText('Copied export lines for 111222333444-saml-init (expires 15:42).');
  });

  it('shows a sync the background already did in this session (e.g. an automatic one)', async () => {
    setup(
      withState(
        popupState({ login: okLogin(SEED_ROLES, CAPTURED), roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES) } }),
      ),
    );
    expect((await screen.findByRole('status')).textContent).toBe('✓ sts-temp expires 15:42, in 59 min');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Profile name for saml-init' }).value).toBe('sts-temp');
  });

  it('says when the sign-in is too old for AWS to accept', async () => {
    const old = new Date(NOW - 10 * 60_000).toISOString();
    setup(withState(popupState({ login: okLogin(SEED_ROLES, old, { notOnOrAfter: new Date(NOW - 5 * 60_000).toISOString() }) })));
    expect(await screen.findByText('This sign-in is too old for AWS to accept again; sign in again to sync more roles.')).toBeTruthy();
  });
});

describe('copy as environment variables', () => {
  const SECRET_TEXT = "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\nexport AWS_SECRET_ACCESS_KEY='very-secret'\n";

  it('copies the export lines to the clipboard and never renders them', async () => {
    const { clipboard, calls } = setup({
      ...withState(
        popupState({ login: okLogin(SEED_ROLES, CAPTURED), roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES) } }),
      ),
      copyEnv: () => ({ text: SECRET_TEXT }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Copy as environment variables for sts-temp' }));
    await screen.findByText('Copied export lines for sts-temp (expires 15:42).');
    expect(clipboard).toEqual([SECRET_TEXT]);
    expect(calls.at(-1)).toEqual({ type: 'copyEnv', body: { profile: 'sts-temp' } });
    expect(document.body.textContent).not.toContain('very-secret');
    expect(document.body.innerHTML).not.toContain('ASIAEXAMPLE');
  });

  it('says so when the background has no credentials to copy', async () => {
    setup({
      ...withState(popupState({ profiles: seedProfiles(EXPIRES) })),
      copyEnv: () => {
        throw new FakeFailure('The credentials of sts-temp are not in this browser session any more; sync the role again.');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Copy as environment variables for sts-temp' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The credentials of sts-temp are not in this browser session any more; sync the role again.',
    );
  });

  it('says so when the clipboard refuses', async () => {
    setup(
      { ...withState(popupState({ profiles: seedProfiles(EXPIRES) })), copyEnv: () => ({ text: SECRET_TEXT }) },
      {
        writeClipboard: () => Promise.reject(new Error('Document is not focused.')),
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Copy as environment variables for sts-temp' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The browser did not let the popup write to the clipboard; click the button again.',
    );
  });
});

describe('native host missing or too old', () => {
  it('shows what to run to install it, a copy button, the copy fallback, and checks again', async () => {
    let host: PopupState['host'] = { state: 'missing', message: HOST_MISSING_SENTENCE };
    const { clipboard } = setup({
      getState: () => popupState({ host, login: okLogin(SEED_ROLES, CAPTURED) }),
      checkHost: () => host,
    });
    const section = (await screen.findByRole('heading', { name: 'Install the local helper' })).closest('section')!;
    expect(within(section).getByText(HOST_MISSING_SENTENCE)).toBeTruthy();
    expect(within(section).getByText(HOST_INSTALL_COMMAND).tagName).toBe('CODE');
    expect(within(section).getByText(/“Copy as environment variables” still works/)).toBeTruthy();
    fireEvent.click(within(section).getByRole('button', { name: 'Copy command' }));
    await within(section).findByText('Copied the command; run it in a terminal.');
    expect(clipboard).toEqual(['npx aws-saml-sync-host install']);
    // Roles stay usable below it.
    expect(screen.getByRole('button', { name: 'Sync saml-init' })).toBeTruthy();

    host = { state: 'ok', hostVersion: '1.0.0' };
    fireEvent.click(within(section).getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Install the local helper' })).toBeNull());
  });

  it('names an outdated host and falls back to a default sentence', async () => {
    setup(withState(popupState({ host: { state: 'outdated', hostVersion: '0.1.0' } })));
    expect(await screen.findByRole('heading', { name: 'Update the local helper' })).toBeTruthy();
    expect(screen.getByText('The helper that writes ~/.aws is too old for this version of the extension.')).toBeTruthy();
  });

  it('names a failing host and offers the doctor command instead of the install command', async () => {
    const { clipboard } = setup(withState(popupState({ host: { state: 'error', message: 'The helper could not write ~/.aws/credentials: permission denied; fix the file’s owner.' } })));
    const section = (await screen.findByRole('heading', { name: 'The local helper is failing' })).closest('section')!;
    expect(within(section).getByText('npx aws-saml-sync-host doctor').tagName).toBe('CODE');
    expect(within(section).queryByText(HOST_INSTALL_COMMAND)).toBeNull();
    fireEvent.click(within(section).getByRole('button', { name: 'Copy command' }));
    await within(section).findByText('Copied the command; run it in a terminal.');
    expect(clipboard).toEqual([HOST_DOCTOR_COMMAND]);
  });

  it('shows nothing about the host when it is fine or not yet known', async () => {
    setup(withState(popupState({ host: { state: 'unknown' } })));
    await screen.findByText(/Click the AWS tile/);
    expect(screen.queryByText(HOST_INSTALL_COMMAND)).toBeNull();
  });
});

describe('synced profiles', () => {
  it('lists every managed profile with its countdown, chained profiles under their source', async () => {
    const profiles = [
      ...seedProfiles(EXPIRES),
      { profile: 'prod-ro', kind: 'chained' as const, sourceProfile: 'sts-temp', roleArn: 'arn:aws:iam::999888777666:role/ReadOnly', expiration: new Date(NOW + 30 * 60_000).toISOString() },
      { profile: 'old', kind: 'saml' as const, roleArn: 'arn:aws:iam::222333444555:role/Admin', expiration: new Date(NOW - 60_000).toISOString() },
    ];
    setup(withState(popupState({ profiles })));
    const section = (await screen.findByRole('heading', { name: 'Synced profiles' })).closest('section')!;
    const stsTemp = within(section).getByText('sts-temp', { selector: '.profile-name' }).closest('li')!;
    expect(stsTemp.textContent).toContain('expires 15:42, in 59 min');
    const chained = within(stsTemp).getByRole('list', { name: 'Profiles chained from sts-temp' });
    expect(within(chained).getByText('dev-env', { selector: '.profile-name' }).closest('li')!.textContent).toContain(
      'chained in ~/.aws/config; the AWS CLI refreshes it from sts-temp',
    );
    expect(within(chained).getByText('prod-ro', { selector: '.profile-name' }).closest('li')!.textContent).toContain('in 30 min');
    // An expired profile says so and offers nothing to copy.
    const old = within(section).getByText('old', { selector: '.profile-name' }).closest('li')!;
    expect(old.textContent).toContain('expired at 14:42');
    expect(within(old).queryByRole('button', { name: /^Copy/ })).toBeNull();
    // Config-only chains have no keys to copy; the others do.
    expect(screen.getAllByRole('button', { name: /^Copy as environment variables for / }).map((b) => b.textContent)).toEqual([
      'Copy as environment variables for sts-temp',
      'Copy as environment variables for prod-ro',
    ]);
  });

  it('counts down live on one shared clock: every 15 s, every second under a minute', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let now = NOW;
    const expiration = new Date(NOW + 61_000).toISOString();
    setup(withState(popupState({ profiles: [{ profile: 'sts-temp', kind: 'saml', expiration }] })), { now: () => now });
    await vi.waitFor(() => expect(screen.getByText(/expires/).textContent).toMatch(/in 1 min$/));
    now += 15_000;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(screen.getByText(/expires/).textContent).toMatch(/in 46 sec$/);
    now += 1000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByText(/expires/).textContent).toMatch(/in 45 sec$/);
    now += 45_000;
    await vi.advanceTimersByTimeAsync(45_000);
    expect(screen.getByText(/expired at/)).toBeTruthy();
  });
});

describe('state-changed events and automatic syncs', () => {
  it('re-renders when the background says the state changed (a new sign-in arrives)', async () => {
    const { emit } = setup(withState(popupState()));
    await screen.findByText(/Click the AWS tile/);
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED) }));
    expect(await screen.findByRole('button', { name: 'Sync saml-init' })).toBeTruthy();
  });

  it('keeps showing its own running sync until it ends, then takes the background’s finished outcome', async () => {
    let finish!: (s: RoleSyncState) => void;
    const { emit } = setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: () => new Promise<RoleSyncState>((r) => (finish = r)),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync saml-init' }));
    await screen.findByText(/Syncing/);
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })); // an unrelated change
    expect(screen.getByText(/Syncing/)).toBeTruthy();
    finish(syncOk(SEED_ROLE_ARN, '111222333444-saml-init', EXPIRES));
    await screen.findByText(/expires 15:42/);
    const later = new Date(NOW + 2 * 3600_000).toISOString();
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED), roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, '111222333444-saml-init', later) } }));
    await screen.findByText(/in 2 h/);
  });

  it('says a refused sync request until the background reports something newer of that role', async () => {
    const { emit } = setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: () => {
        throw new FakeFailure(SYNC_ERROR_SENTENCE, 'ExpiredTokenException');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync saml-init' }));
    expect((await screen.findByRole('alert')).textContent).toBe(SYNC_ERROR_SENTENCE);
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })); // nothing new of that role: the sentence stays
    expect(screen.getByRole('alert').textContent).toBe(SYNC_ERROR_SENTENCE);
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED), roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES) } }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('✓ sts-temp expires 15:42, in 59 min'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows that the last automatic sync failed', async () => {
    setup(withState(popupState({ lastAutoSyncError: 'The role saml-init is no longer in your sign-in; pick another role in the popup.' })));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Automatic sync failed: The role saml-init is no longer in your sign-in; pick another role in the popup.',
    );
  });

  it('stops listening and ticking when stopped', async () => {
    const { store, emit } = setup(withState(popupState()));
    await screen.findByText(/Click the AWS tile/);
    store.stop();
    emit(popupState({ login: okLogin(SEED_ROLES, CAPTURED) }));
    expect(screen.queryByRole('button', { name: 'Sync saml-init' })).toBeNull();
  });
});

describe('a profile name that already exists in ~/.aws', () => {
  it('offers to replace it, and syncs again with the person’s confirmation', async () => {
    const sentence = 'Profile "sts-temp" in /home/alice/.aws/credentials was not written by aws-saml-sync, so it is not overwritten unless you confirm it; pick another profile name or confirm.';
    const { calls } = setup({
      ...withState(popupState({ login: okLogin(SEED_ROLES, CAPTURED) })),
      syncRole: (b) =>
        b.replaceExisting
          ? syncOk(b.roleArn, b.profile, EXPIRES)
          : { roleArn: b.roleArn, profile: b.profile, status: 'error', error: sentence, needsConfirmation: true, copyAvailable: true },
    });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Profile name for saml-init' }), { target: { value: 'sts-temp' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Sync saml-init' }));
    expect(await screen.findByText(sentence)).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Replace profile sts-temp' }));
    await waitFor(() => expect(calls.at(-1)).toEqual({ type: 'syncRole', body: { roleArn: SEED_ROLE_ARN, profile: 'sts-temp', replaceExisting: true } }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Replace profile sts-temp' })).toBeNull());
  });
});

describe('whose sign-ins count', () => {
  it('asks about a sign-in from an unconfirmed origin, shows no roles, and sends the answer', async () => {
    const pending = { origin: 'https://idp.example.com', host: 'idp.example.com', accounts: [SEED_ACCOUNT] };
    let answered = false;
    const { calls } = setup({
      getState: () => (answered ? popupState({ login: okLogin(SEED_ROLES, CAPTURED) }) : popupState({ pendingSignIn: pending })),
      answerPendingSignIn: () => ((answered = true), { trusted: true }),
    });
    await screen.findByRole('heading', { name: 'This sign-in came from idp.example.com — use sign-ins from there?' });
    expect(screen.queryByRole('button', { name: /^Sync / })).toBeNull();
    expect(screen.getByText(/for account 111222333444\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use sign-ins from idp.example.com' }));
    await screen.findByRole('button', { name: 'Sync saml-init' });
    expect(calls.find((c) => c.type === 'answerPendingSignIn')?.body).toEqual({ origin: 'https://idp.example.com', trust: true });
  });

  it('says so before a first sync from an account or IdP never synced from', async () => {
    setup(withState(popupState({ login: { ...okLogin(SEED_ROLES, CAPTURED), firstSync: { accounts: [SEED_ACCOUNT], issuer: 'https://idp.example.com/saml' } } })));
    const note = await screen.findByRole('note');
    expect(note.textContent).toBe(
      'You have not synced from account 111222333444 or from the identity provider https://idp.example.com/saml before; check that this sign-in is yours before you sync.',
    );
  });

  it('auto-sync is the person’s choice after a sync', async () => {
    const state = popupState({
      login: okLogin(SEED_ROLES, CAPTURED),
      settings: { ...SEED_SETTINGS, mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: false }] },
      roleSync: { [SEED_ROLE_ARN]: syncOk(SEED_ROLE_ARN, 'sts-temp', EXPIRES) },
    });
    const { calls } = setup({
      getState: () => state,
      setAutoSync: () => ({ ...state.settings, mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: true }] }),
    });
    const box = await screen.findByRole<HTMLInputElement>('checkbox', { name: 'Sync on every sign-in for sts-temp' });
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await waitFor(() => expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Sync on every sign-in for sts-temp' }).checked).toBe(true));
    expect(calls.find((c) => c.type === 'setAutoSync')?.body).toEqual({ roleArn: SEED_ROLE_ARN, autoSync: true });
  });
});

describe('a profile you can act on', () => {
  const url = 'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012&forceauthn=false';
  const NEXT = new Date(2026, 10, 24, 15, 32, 30).toISOString();
  const refreshing = (extra: Partial<NonNullable<PopupState['refresh']>> = {}) =>
    popupState({
      signInUrl: url,
      profiles: seedProfiles(EXPIRES),
      refresh: { enabled: true, profiles: ['sts-temp'], next: { 'sts-temp': NEXT }, ...extra },
    });

  it('says when a profile refreshes next, and refreshes on demand', async () => {
    const { calls } = setup({ ...withState(refreshing()), refreshNow: () => ({ ok: true }) });
    const row = (await screen.findByRole('button', { name: 'Refresh sts-temp' })).closest('li')!;
    expect(row.textContent).toContain('Refreshes by itself at 15:32');
    fireEvent.click(screen.getByRole('button', { name: 'Refresh sts-temp' }));
    await screen.findByText('Refreshed sts-temp.');
    expect(calls.find((c) => c.type === 'refreshNow')?.body).toEqual({ profile: 'sts-temp' });
    // A config-only chain is refreshed by the CLI: no Refresh button for it.
    expect(screen.queryByRole('button', { name: 'Refresh dev-env' })).toBeNull();
  });

  it('"needs you" with a Sign in button when the IdP wants the person', async () => {
    const { calls } = setup({
      ...withState(refreshing({ next: { 'sts-temp': undefined }, needsYou: 'Your IdP wants you to sign in again; sign in to keep your profiles fresh.' })),
      openSignIn: () => ({ opened: true }),
    });
    const signIn = await screen.findByRole('button', { name: 'Sign in to refresh sts-temp' });
    expect(signIn.closest('li')!.textContent).toContain('Refresh needs you: Your IdP wants you to sign in again');
    fireEvent.click(signIn);
    await waitFor(() => expect(calls.map((c) => c.type)).toContain('openSignIn'));
  });

  it('opens the console for a profile, and says why when it cannot', async () => {
    const { calls } = setup({
      ...withState(refreshing()),
      openConsole: ({ profile }) => {
        if (profile === 'dev-env') throw new FakeFailure('No fresh credentials for "dev-env" in this browser session; refresh or sync it, then open the console.');
        return { opened: true };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Open console for sts-temp' }));
    await screen.findByText('Opened the AWS console as sts-temp.');
    fireEvent.click(screen.getByRole('button', { name: 'Open console for dev-env' }));
    expect((await screen.findByText(/No fresh credentials for "dev-env"/)).getAttribute('role')).toBe('alert');
    expect(calls.filter((c) => c.type === 'openConsole').map((c) => c.body)).toEqual([{ profile: 'sts-temp' }, { profile: 'dev-env' }]);
  });

  it('Remove asks first; "Keep" does nothing, "Yes" removes through the host', async () => {
    const { calls } = setup({ ...withState(refreshing()), removeProfile: () => ({ removed: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove sts-temp' }));
    expect(screen.getByRole('group', { name: 'Remove sts-temp?' }).textContent).toContain('profiles chained from it stop working');
    fireEvent.click(screen.getByRole('button', { name: 'Keep sts-temp' }));
    expect(calls.some((c) => c.type === 'removeProfile')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Remove sts-temp' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove sts-temp' }));
    await waitFor(() => expect(calls.find((c) => c.type === 'removeProfile')?.body).toEqual({ profile: 'sts-temp' }));
  });
});
