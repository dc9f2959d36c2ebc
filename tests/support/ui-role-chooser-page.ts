/**
 * A stand-in for AWS's "Select a role" page (what signin.aws.amazon.com/saml answers a SAML POST with when the
 * assertion holds several roles), following its structure: fieldset > div.saml-account, a div.saml-account-name
 * label, and a nested div.saml-account of div.saml-role radio inputs. Used by the role-chooser unit test and served
 * to Chromium by the screenshot test.
 */

export interface ChooserAccount {
  /** The label as AWS prints it: "Account: name (123456789012)" or "Account: 123456789012". */
  label: string;
  roleArns: string[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function accountBlock(account: ChooserAccount, index: number): string {
  const roles = account.roleArns
    .map(
      (arn) => `
      <div class="saml-role" onclick="checkRadio(this);">
        <input type="radio" name="roleIndex" value="${esc(arn)}" class="saml-radio" id="${esc(arn)}" />
        <label for="${esc(arn)}" class="saml-role-description">${esc(arn.split('/').pop() ?? arn)}</label>
        <span style="clear: both;"></span>
      </div>`,
    )
    .join('');
  return `
  <div class="saml-account">
    <div onclick="expandCollapse(${index});">
      <img id="image${index}" src="/static/image/down.png" valign="middle">
      <div class="saml-account-name">${esc(account.label)}</div>
    </div>
    <hr style="border: 1px solid #ddd;">
    <div id="${index}" class="saml-account">${roles}
    </div>
  </div>`;
}

/** The `<body>` content of the page. */
export function roleChooserBody(accounts: ChooserAccount[]): string {
  return `
  <div id="container"><h1 class="background">Amazon Web Services Login</h1>
    <form id="saml_form" name="saml_form" action="/saml" method="post">
      <input type="hidden" name="RelayState" value="" />
      <input type="hidden" name="SAMLResponse" value="PHNhbWxwOlJlc3BvbnNlPg==" />
      <input type="hidden" name="name" value="" />
      <p style="font-size: 16px; padding-left: 20px;">Select a role:</p>
      <fieldset>${accounts.map(accountBlock).join('')}</fieldset>
      <div class="buttoninput"><a id="signin_button" class="css3button" href="#">Sign In</a></div>
    </form>
  </div>`;
}

export function roleChooserHtml(accounts: ChooserAccount[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Amazon Web Services Sign-In</title></head><body>${roleChooserBody(accounts)}</body></html>`;
}
