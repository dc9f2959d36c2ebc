/**
 * On AWS's "Select a role" page (shown after a SAML sign-in with several roles): hand the SAMLResponse its form
 * carries to the background (a second net, for a login the webRequest listener missed: the background takes it by
 * the same rules, the page that posted it to AWS deciding whether it counts), then the account names it lists,
 * which the background keeps as account aliases. Reads only; changes nothing on the page.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { SAML_SIGNIN_MATCH_PATTERNS } from '@/utils/aws-endpoints';
import { request } from '@/utils/messages';
import { readAccountAliases, readChooserAssertion } from '@/utils/role-chooser';

export default defineContentScript({
  matches: [...SAML_SIGNIN_MATCH_PATTERNS],
  runAt: 'document_idle',
  async main() {
    const send = (m: unknown) => browser.runtime.sendMessage(m);
    const samlResponse = readChooserAssertion(document);
    const aliases = readAccountAliases(document);
    try {
      // One message when the page carries the sign-in: its names are taken after it, whatever else the background
      // is doing. The page may be left any moment, so nothing waits for a reply first.
      if (samlResponse) {
        await request(send, 'offerSignIn', { samlResponse, url: location.href, referrer: document.referrer, aliases });
      } else if (Object.keys(aliases).length > 0) {
        await request(send, 'rememberAliases', { aliases });
      }
    } catch {
      // Nothing to tell the person here: the tile can be clicked again, names typed in the options page.
    }
  },
});
