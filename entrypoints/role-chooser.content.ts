/**
 * On AWS's "Select a role" page (shown after a SAML sign-in with several roles), read the account names it lists
 * and hand them to the background, which remembers them as account aliases. Reads text only; changes nothing.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { SAML_SIGNIN_MATCH_PATTERNS } from '@/utils/aws-endpoints';
import { request } from '@/utils/messages';
import { readAccountAliases } from '@/utils/role-chooser';

export default defineContentScript({
  matches: [...SAML_SIGNIN_MATCH_PATTERNS],
  runAt: 'document_idle',
  async main() {
    const aliases = readAccountAliases(document);
    if (Object.keys(aliases).length === 0) return;
    try {
      await request((m) => browser.runtime.sendMessage(m), 'rememberAliases', { aliases });
    } catch {
      // Nothing to tell the person here: the names can still be typed in the options page.
    }
  },
});
