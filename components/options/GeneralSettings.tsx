import { t, uiLanguage } from '@/i18n/translate';
import { refreshOriginsFor } from '@/utils/refresh-access';
import { defaultProfileName } from '@/utils/profile-naming';
import type { SamlRole } from '@/utils/saml';
import { draftSignInUrl, type OptionsStore } from '../options-store';
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
  const signInUrl = draftSignInUrl(d);
  const idpHosts = signInUrl ? refreshOriginsFor(signInUrl)?.map((o) => o.replace(/^https:\/\/|\/\*$/g, '')) : undefined;
  return (
    <>
      <section aria-labelledby="signin-title">
        <h2 id="signin-title">{t('options.signIn.title')}</h2>
        <p class="section-help">
          {t('options.signIn.help')}
        </p>
        <div class="fields">
          <Field label={t('options.signIn.googleIdpId')} value={d.googleIdpId} placeholder="C01abc2de" mono onInput={(v) => store.setField('googleIdpId', v)} />
          <Field label={t('options.signIn.googleSpId')} value={d.googleSpId} placeholder="123456789012" mono onInput={(v) => store.setField('googleSpId', v)} />
          <Field
            label={t('options.signIn.otherUrl')}
            type="url"
            value={d.signInUrl}
            placeholder="https://…"
            help={t('options.signIn.otherUrlHelp')}
            onInput={(v) => store.setField('signInUrl', v)}
          />
        </div>
        <p class="computed">
          <span class="field-label">{t('options.signIn.url')}</span>
          {signInUrl ? <code data-testid="sign-in-url">{signInUrl}</code> : <span class="subtle">{t('options.signIn.none')}</span>}
        </p>
      </section>

      <section aria-labelledby="refresh-title">
        <h2 id="refresh-title">{t('options.refresh.title')}</h2>
        <p class="section-help">
          {t('options.refresh.help')}
        </p>
        <div class="fields">
          <Checkbox
            label={t('options.refresh.enabled')}
            checked={d.refreshEnabled}
            help={
              d.refreshInBackgroundTab
                ? t('options.refresh.enabledHelpTab')
                : idpHosts
                  ? t('options.refresh.enabledHelpAccess', { hosts: new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(idpHosts) })
                  : t('options.refresh.enabledHelpNotCovered')
            }
            onChange={(v) => void store.setRefreshEnabled(v)}
          />
          <Field
            label={t('options.refresh.lead')}
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            value={d.refreshLeadMinutes}
            help={t('options.refresh.leadHelp')}
            onInput={(v) => store.setField('refreshLeadMinutes', v)}
          />
          <Field
            label={t('options.refresh.authUser')}
            type="number"
            inputMode="numeric"
            min={0}
            max={99}
            value={d.refreshAuthUser}
            placeholder="0"
            help={t('options.refresh.authUserHelp')}
            onInput={(v) => store.setField('refreshAuthUser', v)}
          />
          <Checkbox
            label={t('options.refresh.backgroundTab')}
            checked={d.refreshInBackgroundTab}
            help={t('options.refresh.backgroundTabHelp')}
            onChange={(v) => store.setField('refreshInBackgroundTab', v)}
          />
        </div>
      </section>

      <section aria-labelledby="naming-title">
        <h2 id="naming-title">{t('options.profiles.title')}</h2>
        <div class="fields">
          <Field
            label={t('options.profiles.template')}
            value={d.profileNameTemplate}
            mono
            help={
              <>
                {/* The template's own placeholders, shown as they are typed. */}
                {t('options.profiles.templateHelp', { account: '{account}', alias: '{alias}', role: '{role}' })}{' '}
                <code>{defaultProfileName(d.profileNameTemplate || '{alias}-{role}', example, exampleAlias)}</code>
              </>
            }
            onInput={(v) => store.setField('profileNameTemplate', v)}
          />
          <Field
            label={t('options.profiles.defaultRegion')}
            value={d.defaultRegion}
            list={REGION_LIST_ID}
            placeholder="us-east-1"
            help={t('options.profiles.defaultRegionHelp')}
            onInput={(v) => store.setField('defaultRegion', v)}
          />
          <Field
            label={t('options.profiles.longestSession')}
            type="number"
            inputMode="numeric"
            min={900}
            max={43200}
            value={d.maxSessionSeconds}
            help={t('options.profiles.longestSessionHelp')}
            onInput={(v) => store.setField('maxSessionSeconds', v)}
          />
        </div>
      </section>

      <section aria-labelledby="advanced-title">
        <h2 id="advanced-title">{t('options.sts.title')}</h2>
        <div class="fields">
          <Field
            label={t('options.sts.region')}
            value={d.stsRegion}
            list={REGION_LIST_ID}
            placeholder={t('options.sts.regionPlaceholder')}
            help={t('options.sts.regionHelp')}
            onInput={(v) => store.setField('stsRegion', v)}
          />
          <Field
            label={t('options.sts.endpoint')}
            type="url"
            value={d.stsEndpoint}
            placeholder="https://vpce-….sts.eu-west-1.vpce.amazonaws.com"
            help={t('options.sts.endpointHelp')}
            onInput={(v) => store.setField('stsEndpoint', v)}
          />
          <Checkbox
            label={t('options.sts.legacyToken')}
            checked={d.writeLegacySecurityToken}
            onChange={(v) => store.setField('writeLegacySecurityToken', v)}
          />
        </div>
      </section>
    </>
  );
}
