/**
 * Account names from the page AWS shows after a SAML sign-in with several roles ("Select a role"). Pure: takes a
 * parsed document or element, reads text only, calls no browser API.
 *
 * The page lists each account as
 *   <div class="saml-account"> … <div class="saml-account-name">Account: my-alias (123456789012)</div> …
 *     <div class="saml-role"><input type="radio" name="roleIndex" value="arn:aws:iam::123456789012:role/x"> …
 * and an account without an alias as "Account: 123456789012".
 */

/** "Account: name (123456789012)"; the name may itself hold parentheses, the id is the last group. */
const ACCOUNT_LABEL = /^\s*Account:\s*(.+?)\s*\((\d{12})\)\s*$/;
const ROLE_ARN_ACCOUNT = /^arn:aws(?:-us-gov|-cn)?:iam::(\d{12}):role\//;
const MAX_NAME = 64;

export type AccountAliases = Record<string, string>;

function accountOfRoles(block: ParentNode): Set<string> {
  const ids = new Set<string>();
  for (const input of Array.from(block.querySelectorAll<HTMLInputElement>('input[name="roleIndex"]'))) {
    const m = ROLE_ARN_ACCOUNT.exec(input.value.trim());
    if (m?.[1]) ids.add(m[1]);
  }
  return ids;
}

/** Parse one "Account: …" label into [id, name], or undefined when it holds no alias. */
export function parseAccountLabel(text: string): [accountId: string, name: string] | undefined {
  const m = ACCOUNT_LABEL.exec(text.replace(/\s+/g, ' '));
  if (!m?.[1] || !m[2]) return undefined;
  const name = m[1].trim();
  if (name === m[2] || name.length === 0 || name.length > MAX_NAME) return undefined;
  return [m[2], name];
}

/**
 * account id -> account name for every account on the role chooser page that shows a name. When an account block
 * also lists role radio buttons, the id in the label must agree with their ARNs, or the block is skipped.
 */
export function readAccountAliases(root: ParentNode): AccountAliases {
  const aliases: AccountAliases = {};
  for (const label of Array.from(root.querySelectorAll('.saml-account-name'))) {
    const parsed = parseAccountLabel(label.textContent ?? '');
    if (!parsed) continue;
    const [accountId, name] = parsed;
    const block = label.closest('.saml-account');
    if (block) {
      const ids = accountOfRoles(block);
      if (ids.size > 0 && !ids.has(accountId)) continue;
    }
    aliases[accountId] = name;
  }
  return aliases;
}

/**
 * The SAMLResponse AWS's "Select a role" page carries in its own form (it posts it again with the chosen role), or
 * undefined. The second net under the webRequest listener: read only on AWS's SAML sign-in page.
 */
export function readChooserAssertion(root: ParentNode): string | undefined {
  const input = root.querySelector<HTMLInputElement>('form#saml_form input[name="SAMLResponse"], form[action="/saml"] input[name="SAMLResponse"]');
  const value = input?.value.trim();
  return value ? value : undefined;
}
