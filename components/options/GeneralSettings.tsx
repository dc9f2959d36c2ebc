import { DEFAULT_SETTINGS, signInUrlOf } from '@/utils/settings';
import { defaultProfileName } from '@/utils/profile-naming';
import type { SamlRole } from '@/utils/saml';
import type { OptionsStore } from '../options-store';
import { Checkbox, Field } from './Field';
import { REGION_LIST_ID } from './RegionList';

const EXAMPLE_ROLE: SamlRole = {
  roleArn: 'arn:aws:iam::111222333444:role/saml-init',
  principalArn: 'arn:aws:iam::111222333444:saml-provider/Google',
  accountId: '111222333444',
  roleName: 'saml-init',
  partition: 'aws',
};

/** Sign-in (Google idpid/spid or any URL), profile naming, default region, and the advanced STS settings. */
export function GeneralSettings({ store }: { store: OptionsStore }) {
  const d = store.draft.value;
  if (!d) return null;
  const login = store.popupState.value?.login;
  const example = login?.ok && login.roles[0] ? login.roles[0] : EXAMPLE_ROLE;
  const exampleAlias = d.aliases.find((a) => a.accountId.trim() === example.accountId)?.name.trim();
  const signInUrl = signInUrlOf({
    ...DEFAULT_SETTINGS,
    googleIdpId: d.googleIdpId.trim() || undefined,
    googleSpId: d.googleSpId.trim() || undefined,
    signInUrl: d.signInUrl.trim() || undefined,
  });
  return (
    <>
      <section aria-labelledby="signin-title">
        <h2 id="signin-title">Sign-in</h2>
        <p class="section-help">
          Where the popup's “Sign in to AWS” button goes. For Google Workspace, your AWS admin has the two ids of the AWS
          app; for any other identity provider, paste its AWS sign-in link.
        </p>
        <div class="fields">
          <Field label="Google idpid" value={d.googleIdpId} placeholder="C01abc2de" mono onInput={(v) => store.setField('googleIdpId', v)} />
          <Field label="Google spid" value={d.googleSpId} placeholder="123456789012" mono onInput={(v) => store.setField('googleSpId', v)} />
          <Field
            label="Other sign-in URL"
            type="url"
            value={d.signInUrl}
            placeholder="https://…"
            help="Wins over the Google ids when set."
            onInput={(v) => store.setField('signInUrl', v)}
          />
        </div>
        <p class="computed">
          <span class="field-label">Sign-in URL</span>
          {signInUrl ? <code data-testid="sign-in-url">{signInUrl}</code> : <span class="subtle">none yet: set both Google ids or a URL</span>}
        </p>
      </section>

      <section aria-labelledby="naming-title">
        <h2 id="naming-title">Profiles</h2>
        <div class="fields">
          <Field
            label="Profile name template"
            value={d.profileNameTemplate}
            mono
            help={
              <>
                The name the popup suggests for a role: <code>{'{account}'}</code>, <code>{'{alias}'}</code> (the account's
                alias, else its id), <code>{'{role}'}</code>. Example: <code>{defaultProfileName(d.profileNameTemplate || '{alias}-{role}', example, exampleAlias)}</code>
              </>
            }
            onInput={(v) => store.setField('profileNameTemplate', v)}
          />
          <Field
            label="Default region"
            value={d.defaultRegion}
            list={REGION_LIST_ID}
            placeholder="us-east-1"
            help="Written as region = … for profiles without a region of their own."
            onInput={(v) => store.setField('defaultRegion', v)}
          />
          <Field
            label="Longest session (seconds)"
            type="number"
            inputMode="numeric"
            min={900}
            max={43200}
            value={d.maxSessionSeconds}
            help="900 to 43200; asked of STS unless a mapping says otherwise (the role's own maximum still applies)."
            onInput={(v) => store.setField('maxSessionSeconds', v)}
          />
        </div>
      </section>

      <section aria-labelledby="advanced-title">
        <h2 id="advanced-title">STS</h2>
        <div class="fields">
          <Field
            label="STS endpoint override"
            type="url"
            value={d.stsEndpoint}
            placeholder="https://sts.eu-west-1.amazonaws.com"
            help="Leave empty to use the regional endpoint of the sign-in's partition."
            onInput={(v) => store.setField('stsEndpoint', v)}
          />
          <Checkbox
            label="Also write aws_security_token (for old tools)"
            checked={d.writeLegacySecurityToken}
            onChange={(v) => store.setField('writeLegacySecurityToken', v)}
          />
        </div>
      </section>
    </>
  );
}
