// @vitest-environment happy-dom
/**
 * The options page against a scripted fake background: loading, editing every kind of setting, the seed workflow
 * (sts-temp mapping + dev-env chained from it) set up through the form alone, the background's validation sentence,
 * import and export.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOptionsStore, EXPORT_FILE_NAME, type OptionsDeps } from '@/components/options-store';
import { OptionsApp } from '@/components/options/OptionsApp';
import type { PopupState } from '@/utils/messages';
import type { Settings } from '@/utils/settings';
import {
  BASE_SETTINGS,
  DEV_ROLE_ARN,
  FakeFailure,
  fakeBackground,
  okLogin,
  popupState,
  SEED_ROLE_ARN,
  SEED_ROLES,
  SEED_SETTINGS,
  type FakeHandlers,
} from '../../support/ui-fixtures';

function setup(handlers: FakeHandlers, deps: Partial<OptionsDeps> = {}) {
  const bg = fakeBackground(handlers);
  const downloads: { filename: string; text: string }[] = [];
  const listeners = new Set<(m: unknown) => void>();
  const store = createOptionsStore({
    send: bg.send,
    events: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    download: (filename, text) => downloads.push({ filename, text }),
    ...deps,
  });
  render(<OptionsApp store={store} />);
  store.start();
  const emit = (state: PopupState) => listeners.forEach((l) => l({ kind: 'event', type: 'state-changed', state }));
  return { store, calls: bg.calls, downloads, emit };
}

/** A background whose saveSettings stores what it gets (as the real one does after validating). */
function savingBackground(initial: Settings, extra: FakeHandlers = {}): FakeHandlers {
  let settings = initial;
  return {
    getState: () => popupState({ settings, login: okLogin(SEED_ROLES, new Date().toISOString()) }),
    saveSettings: ({ settings: s }) => (settings = s as Settings),
    ...extra,
  };
}

/** A text input by its label (inputs with suggestions are comboboxes, the others textboxes). */
const input = (name: string) => screen.getByLabelText<HTMLInputElement>(name, { selector: 'input' });
const type = (name: string, value: string) => fireEvent.input(input(name), { target: { value } });

afterEach(cleanup);

describe('options page', () => {
  it('shows the saved settings and the sign-in URL computed from the Google ids', async () => {
    setup({ getState: () => popupState({ settings: SEED_SETTINGS }) });
    await screen.findByRole('heading', { name: 'Profile mappings' });
    expect(input('Google idpid').value).toBe('C01abc2de');
    expect(input('Google spid').value).toBe('123456789012');
    expect(screen.getByTestId('sign-in-url').textContent).toBe(
      'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012&forceauthn=false',
    );
    expect(input('Role ARN of mapping 1').value).toBe(SEED_ROLE_ARN);
    expect(input('Profile name of mapping 1').value).toBe('sts-temp');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Auto-sync of mapping 1' }).checked).toBe(true);
    expect(input('Profile name of chained profile 1').value).toBe('dev-env');
    expect(input('Source profile of chained profile 1').value).toBe('sts-temp');
    expect(input('Role ARN of chained profile 1').value).toBe(DEV_ROLE_ARN);
    expect(
      screen.getByRole<HTMLInputElement>('checkbox', {
        name: 'Resolve now: assume the role in the extension and write its keys too of chained profile 1',
      }).checked,
    ).toBe(false);
    expect(input('Account ID of alias 1').value).toBe('111222333444');
    expect(input('Name of alias 1').value).toBe('sandbox');
  });

  it('updates the sign-in URL as the ids are typed, and prefers another URL when given', async () => {
    setup({ getState: () => popupState() });
    await screen.findByText('none yet: set both Google ids or a URL');
    type('Google idpid', 'C0x');
    type('Google spid', '42');
    expect(screen.getByTestId('sign-in-url').textContent).toBe(
      'https://accounts.google.com/o/saml2/initsso?idpid=C0x&spid=42&forceauthn=false',
    );
    fireEvent.input(screen.getByLabelText('Other sign-in URL'), { target: { value: 'https://idp.example.com/aws' } });
    expect(screen.getByTestId('sign-in-url').textContent).toBe('https://idp.example.com/aws');
  });

  it('sets up the seed workflow through the form alone and saves it', async () => {
    const { calls } = setup(savingBackground(BASE_SETTINGS));
    await screen.findByRole('heading', { name: 'Profile mappings' });
    fireEvent.click(screen.getByRole('button', { name: 'Add mapping' }));
    type('Role ARN of mapping 1', SEED_ROLE_ARN);
    type('Profile name of mapping 1', 'sts-temp');
    fireEvent.click(screen.getByRole('button', { name: 'Add chained profile' }));
    type('Profile name of chained profile 1', 'dev-env');
    // The source profile suggestions are the mappings' profile names.
    const source = input('Source profile of chained profile 1');
    const options = Array.from(document.getElementById(source.getAttribute('list')!)!.querySelectorAll('option')).map((o) => o.value);
    expect(options).toContain('sts-temp');
    type('Source profile of chained profile 1', 'sts-temp');
    type('Role ARN of chained profile 1', ` ${DEV_ROLE_ARN} `);
    expect(screen.getByText('Unsaved changes.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(calls.find((c) => c.type === 'saveSettings')?.body).toEqual({
      settings: {
        version: 1,
        defaultRegion: 'us-east-1',
        maxSessionSeconds: 43200,
        profileNameTemplate: '{alias}-{role}',
        writeLegacySecurityToken: false,
        refreshEnabled: false,
        refreshLeadMinutes: 10,
        refreshInBackgroundTab: false,
        refreshAuthUser: {},
        accountAliases: {},
        mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', autoSync: true }],
        chains: [{ profile: 'dev-env', sourceProfile: 'sts-temp', roleArn: DEV_ROLE_ARN, resolveNow: false }],
      },
    });
    expect(screen.queryByText('Unsaved changes.')).toBeNull();
  });

  it('suggests the role ARNs of the last sign-in for a mapping', async () => {
    setup(savingBackground(BASE_SETTINGS));
    fireEvent.click(await screen.findByRole('button', { name: 'Add mapping' }));
    const arn = input('Role ARN of mapping 1');
    const options = Array.from(document.getElementById(arn.getAttribute('list')!)!.querySelectorAll('option')).map((o) => o.value);
    expect(options).toEqual(SEED_ROLES.map((r) => r.roleArn));
  });

  it('edits region, duration, auto-sync, resolve-now, chain details and general fields', async () => {
    const { calls } = setup(savingBackground(SEED_SETTINGS));
    await screen.findByRole('heading', { name: 'Profile mappings' });
    type('Region of mapping 1', 'eu-west-1');
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Duration (s) of mapping 1' }), { target: { value: '3600' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Auto-sync of mapping 1' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Resolve now.* of chained profile 1$/ }));
    type('Region of chained profile 1', 'eu-central-1');
    type('External ID of chained profile 1', 'ext-123');
    type('Session name of chained profile 1', 'alice');
    fireEvent.input(screen.getByRole('spinbutton', { name: 'Duration (s) of chained profile 1' }), { target: { value: '900' } });
    type('Default region', 'eu-north-1');
    fireEvent.input(screen.getByLabelText('STS endpoint override'), { target: { value: 'https://sts.eu-west-1.amazonaws.com' } });
    type('Profile name template', '{account}-{role}');
    expect(screen.getByText('111222333444-saml-init')).toBeTruthy(); // the template's example
    fireEvent.click(screen.getByRole('checkbox', { name: 'Also write aws_security_token (for old tools)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const sent = (calls.find((c) => c.type === 'saveSettings')!.body as { settings: Settings }).settings;
    expect(sent).toMatchObject({
      defaultRegion: 'eu-north-1',
      stsEndpoint: 'https://sts.eu-west-1.amazonaws.com',
      profileNameTemplate: '{account}-{role}',
      writeLegacySecurityToken: true,
      mappings: [{ roleArn: SEED_ROLE_ARN, profile: 'sts-temp', region: 'eu-west-1', durationSeconds: 3600, autoSync: false }],
      chains: [
        {
          profile: 'dev-env',
          sourceProfile: 'sts-temp',
          roleArn: DEV_ROLE_ARN,
          region: 'eu-central-1',
          externalId: 'ext-123',
          roleSessionName: 'alice',
          durationSeconds: 900,
          resolveNow: true,
        },
      ],
    });
  });

  it("shows the background's validation sentence and keeps the edits", async () => {
    setup({
      getState: () => popupState(),
      saveSettings: () => {
        throw new FakeFailure('Setting "mappings.0.roleArn": That is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>).', 'SettingsError');
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add mapping' }));
    type('Role ARN of mapping 1', 'not-an-arn');
    type('Profile name of mapping 1', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Setting "mappings.0.roleArn": That is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>).',
    );
    expect(input('Role ARN of mapping 1').value).toBe('not-an-arn');
  });

  it('removes rows and undoes unsaved changes', async () => {
    setup(savingBackground(SEED_SETTINGS));
    await screen.findByRole('heading', { name: 'Profile mappings' });
    fireEvent.click(screen.getByRole('button', { name: 'Remove chained profile 1 (dev-env)' }));
    expect(screen.queryByRole('textbox', { name: 'Profile name of chained profile 1' })).toBeNull();
    expect(screen.getByText('No chained profiles.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Undo changes' }));
    expect(input('Profile name of chained profile 1').value).toBe('dev-env');
  });

  it('edits account aliases and flags an id that is not 12 digits', async () => {
    const { calls } = setup(savingBackground(BASE_SETTINGS));
    fireEvent.click(await screen.findByRole('button', { name: 'Add alias' }));
    type('Account ID of alias 1', '1234');
    expect(screen.getByText('An account ID is 12 digits.')).toBeTruthy();
    type('Account ID of alias 1', '222333444555');
    type('Name of alias 1', ' shared-services ');
    expect(screen.queryByText('An account ID is 12 digits.')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect((calls.find((c) => c.type === 'saveSettings')!.body as { settings: Settings }).settings.accountAliases).toEqual({
      '222333444555': 'shared-services',
    });
  });

  it('asks for access to an STS endpoint outside the built-in list, and does not save when refused', async () => {
    const requestEndpointAccess = vi.fn(async () => false);
    const { calls } = setup(savingBackground(BASE_SETTINGS), { requestEndpointAccess });
    fireEvent.input(await screen.findByLabelText('STS endpoint override'), { target: { value: 'https://sts-fips.us-east-1.amazonaws.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Without access to https://sts-fips.us-east-1.amazonaws.com the extension cannot reach that STS endpoint; allow it, or clear the STS endpoint field.',
    );
    expect(requestEndpointAccess).toHaveBeenCalledWith('https://sts-fips.us-east-1.amazonaws.com');
    expect(calls.some((c) => c.type === 'saveSettings')).toBe(false);
  });

  it('takes changes made elsewhere (an alias read from the role chooser) while nothing is being edited', async () => {
    const { emit } = setup(savingBackground(BASE_SETTINGS));
    await screen.findByRole('heading', { name: 'Account aliases' });
    emit(popupState({ settings: { ...BASE_SETTINGS, accountAliases: { '111222333444': 'sandbox' } } }));
    await waitFor(() => expect(input('Name of alias 1').value).toBe('sandbox'));
  });

  it('says so when the background cannot be reached', async () => {
    setup({
      getState: () => {
        throw new FakeFailure('The extension background did not answer; reload the extension and try again.');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('The extension background did not answer; reload the extension and try again.');
  });
});

describe('import and export', () => {
  const IMPORTED: Settings = { ...SEED_SETTINGS, googleIdpId: 'C0imported' };

  it('exports the saved settings as aws-saml-sync-settings.json', async () => {
    const json = JSON.stringify(SEED_SETTINGS, null, 2);
    const { downloads } = setup({ ...savingBackground(SEED_SETTINGS), exportSettings: () => ({ json }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Export settings' }));
    await screen.findByText(`Exported to ${EXPORT_FILE_NAME}.`);
    expect(downloads).toEqual([{ filename: 'aws-saml-sync-settings.json', text: json }]);
  });

  it('warns that unsaved changes are not in the export', async () => {
    setup({ ...savingBackground(SEED_SETTINGS), exportSettings: () => ({ json: '{}' }) });
    await screen.findByRole('textbox', { name: 'Google idpid' });
    type('Google idpid', 'changed');
    fireEvent.click(screen.getByRole('button', { name: 'Export settings' }));
    await screen.findByText('Exported the saved settings to aws-saml-sync-settings.json; your unsaved changes are not in it.');
  });

  const PREVIEW = {
    changes: ['STS endpoint: none → https://sts.eu-west-1.amazonaws.com (every sign-in will be sent there)', 'New chained profile: dev-env from sts-temp → arn:aws:iam::888777666555:role/assumed-dev'],
    summary: 'Profile mappings: 1, chained profiles: 1, account names: 0 (0 new or changed).',
    needsAccess: [],
    digest: 'abc123',
  };

  it('shows what pasted JSON would change, and saves it only when the person applies it', async () => {
    const text = JSON.stringify({ profiles: SEED_SETTINGS.mappings }); // an unversioned file: the background migrates it
    const { calls } = setup({ ...savingBackground(BASE_SETTINGS), previewImport: () => PREVIEW, importSettings: () => IMPORTED });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Or paste settings JSON' }), { target: { value: text } });
    fireEvent.click(screen.getByRole('button', { name: 'Import pasted JSON' }));
    const preview = await screen.findByRole('region', { name: 'What this import changes' });
    expect(within(preview).getAllByRole('listitem').map((li) => li.textContent)).toEqual(PREVIEW.changes);
    expect(calls.find((c) => c.type === 'importSettings')).toBeUndefined();
    fireEvent.click(within(preview).getByRole('button', { name: 'Apply these settings' }));
    await screen.findByText(`Imported and saved: ${PREVIEW.summary}`);
    expect(calls.find((c) => c.type === 'previewImport')?.body).toEqual({ json: text });
    expect(calls.find((c) => c.type === 'importSettings')?.body).toEqual({ json: text, digest: 'abc123' });
    expect(input('Google idpid').value).toBe('C0imported');
    expect(screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Or paste settings JSON' }).value).toBe('');
    expect(screen.queryByRole('region', { name: 'What this import changes' })).toBeNull();
  });

  it('a chosen file is previewed too, and Cancel changes nothing', async () => {
    const text = JSON.stringify(IMPORTED);
    const { calls } = setup({ ...savingBackground(BASE_SETTINGS), previewImport: () => PREVIEW, importSettings: () => IMPORTED });
    const file = new File([text], 'aws-saml-sync-settings.json', { type: 'application/json' });
    fireEvent.change(await screen.findByLabelText('Import from a file'), { target: { files: [file] } });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel import' }));
    await screen.findByText('Import cancelled; nothing was changed.');
    expect(calls.find((c) => c.type === 'previewImport')?.body).toEqual({ json: text });
    expect(calls.find((c) => c.type === 'importSettings')).toBeUndefined();
  });

  it('asks for access to a new STS host when the import is applied, and imports nothing when refused', async () => {
    const asked: string[] = [];
    const { calls } = setup(
      { ...savingBackground(BASE_SETTINGS), previewImport: () => ({ ...PREVIEW, needsAccess: ['https://vpce-1a-2b.sts.us-east-1.vpce.amazonaws.com'] }), importSettings: () => IMPORTED },
      { requestEndpointAccess: async (url: string) => (asked.push(url), false) },
    );
    fireEvent.input(await screen.findByRole('textbox', { name: 'Or paste settings JSON' }), { target: { value: '{}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import pasted JSON' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Apply these settings' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Nothing was imported: without access to https:\/\/vpce-1a-2b/);
    expect(asked).toEqual(['https://vpce-1a-2b.sts.us-east-1.vpce.amazonaws.com']);
    expect(calls.find((c) => c.type === 'importSettings')).toBeUndefined();
  });

  it("shows why an import was refused and changes nothing", async () => {
    setup({
      ...savingBackground(SEED_SETTINGS),
      previewImport: () => {
        throw new FakeFailure('These settings come from a newer version of aws-saml-sync (settings version 9); update the extension first.');
      },
    });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Or paste settings JSON' }), { target: { value: '{"version":9}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import pasted JSON' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('These settings come from a newer version of aws-saml-sync (settings version 9); update the extension first.');
    expect(within(document.body).getByRole<HTMLInputElement>('textbox', { name: 'Google idpid' }).value).toBe('C01abc2de');
  });

  it('asks for something to import when the box is empty', async () => {
    setup(savingBackground(BASE_SETTINGS));
    fireEvent.click(await screen.findByRole('button', { name: 'Import pasted JSON' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Paste the settings JSON or choose a file first.');
  });
});

describe('silent refresh settings', () => {
  const GOOGLE = 'https://accounts.google.com/o/saml2/initsso?idpid=C01abc2de&spid=123456789012&forceauthn=false';
  const box = () => screen.getByRole<HTMLInputElement>('checkbox', { name: 'Refresh profiles before they expire' });

  it('turning refresh on asks for the IdP host from the click, then saves the lead and the Google account', async () => {
    const asked: string[] = [];
    const { calls } = setup(savingBackground(SEED_SETTINGS), { requestRefreshAccess: async (url) => (asked.push(url), 'granted') });
    await screen.findByRole('heading', { name: 'Refresh' });
    expect(screen.getByText(/asks for access to accounts\.google\.com/)).toBeTruthy();
    fireEvent.click(box());
    expect(asked).toEqual([GOOGLE]);
    await waitFor(() => expect(box().checked).toBe(true));
    type('Refresh N minutes before expiry', '60');
    type('Google account number (authuser)', '1');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(calls.find((c) => c.type === 'saveSettings')?.body).toMatchObject({
      settings: { refreshEnabled: true, refreshLeadMinutes: 60, refreshAuthUser: { [GOOGLE]: 1 } },
    });
  });

  it.each([
    ['refused', /Without access to your IdP/],
    ['not-covered', /tick "Refresh in a background tab" first/],
  ] as const)('stays off when the permission is %s, and says what to do', async (answer, sentence) => {
    setup(savingBackground(SEED_SETTINGS), { requestRefreshAccess: async () => answer });
    await screen.findByRole('heading', { name: 'Refresh' });
    fireEvent.click(box());
    expect((await screen.findByText(sentence)).textContent).toMatch(/\.$/);
    expect(box().checked).toBe(false);
  });

  it('without a sign-in URL: says to set one first, asks for nothing', async () => {
    const asked = vi.fn(async () => 'granted' as const);
    setup(savingBackground(BASE_SETTINGS), { requestRefreshAccess: asked });
    await screen.findByRole('heading', { name: 'Refresh' });
    fireEvent.click(box());
    await screen.findByText(/Set your sign-in URL .* first, then turn refresh on\./);
    expect(asked).not.toHaveBeenCalled();
    expect(box().checked).toBe(false);
  });
});
