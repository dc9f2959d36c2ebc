// @vitest-environment happy-dom
/**
 * Account names from AWS's "Select a role" page. The fixture follows the page's structure (fieldset > div.saml-account
 * with a div.saml-account-name label, and a nested div.saml-account of div.saml-role radio inputs).
 */
import { describe, expect, it } from 'vitest';
import { parseAccountLabel, readAccountAliases, readChooserAssertion } from '@/utils/role-chooser';
import { roleChooserBody, type ChooserAccount } from '../support/ui-role-chooser-page';

function page(...accounts: ChooserAccount[]): Document {
  const doc = document.implementation.createHTMLDocument('Amazon Web Services Sign-In');
  doc.body.innerHTML = roleChooserBody(accounts);
  return doc;
}

describe('readAccountAliases', () => {
  it('reads "Account: name (id)" for every account and skips accounts shown by id only', () => {
    const doc = page(
      { label: 'Account: sandbox (111222333444)', roleArns: ['arn:aws:iam::111222333444:role/saml-init', 'arn:aws:iam::111222333444:role/team/Deployer'] },
      { label: 'Account: 222333444555', roleArns: ['arn:aws:iam::222333444555:role/Admin'] },
      { label: 'Account: prod (EU) (333444555666)', roleArns: ['arn:aws:iam::333444555666:role/ReadOnly'] },
    );
    expect(readAccountAliases(doc)).toEqual({ '111222333444': 'sandbox', '333444555666': 'prod (EU)' });
  });

  it('copes with whitespace and line breaks inside the label, and GovCloud and China ARNs', () => {
    const doc = page(
      { label: '\n   Account:\n  gov-main   (444555666777)\n  ', roleArns: ['arn:aws-us-gov:iam::444555666777:role/Admin'] },
      { label: 'Account: cn-main (555666777888)', roleArns: ['arn:aws-cn:iam::555666777888:role/Admin'] },
    );
    expect(readAccountAliases(doc)).toEqual({ '444555666777': 'gov-main', '555666777888': 'cn-main' });
  });

  it('skips a block whose label disagrees with its role ARNs', () => {
    const doc = page({ label: 'Account: spoofed (111222333444)', roleArns: ['arn:aws:iam::999999999999:role/Admin'] });
    expect(readAccountAliases(doc)).toEqual({});
  });

  it('finds nothing on a page without a role chooser (a single-role sign-in, an error page)', () => {
    const doc = document.implementation.createHTMLDocument('x');
    doc.body.innerHTML = '<h1>Select a role</h1><p>Your request included an invalid SAML response.</p>';
    expect(readAccountAliases(doc)).toEqual({});
  });

  it('reads a label outside any account block too (a changed layout)', () => {
    const doc = document.implementation.createHTMLDocument('x');
    doc.body.innerHTML = '<ul><li><span class="saml-account-name">Account: tools (666777888999)</span></li></ul>';
    expect(readAccountAliases(doc.body)).toEqual({ '666777888999': 'tools' });
  });
});

describe('parseAccountLabel', () => {
  it.each([
    ['Account: my-alias (123456789012)', ['123456789012', 'my-alias']],
    ['Account:my alias(123456789012)', ['123456789012', 'my alias']],
    ['Account: 123456789012', undefined],
    ['Account: 123456789012 (123456789012)', undefined],
    ['Account: short (12345)', undefined],
    ['Konto: x (123456789012)', undefined],
    [`Account: ${'x'.repeat(65)} (123456789012)`, undefined],
  ])('%s', (text, expected) => expect(parseAccountLabel(text)).toEqual(expected));
});

describe('readChooserAssertion', () => {
  it('reads the SAMLResponse AWS’s role chooser carries in its own form, and nothing from other forms', () => {
    const doc = (html: string) => {
      const d = document.implementation.createHTMLDocument('Amazon Web Services Sign-In');
      d.body.innerHTML = html;
      return d;
    };
    expect(readChooserAssertion(doc('<form id="saml_form" action="/saml" method="post"><input type="hidden" name="SAMLResponse" value=" PHNhbWw+ "></form>'))).toBe('PHNhbWw+');
    expect(readChooserAssertion(doc('<form action="/saml"><input name="SAMLResponse" value="QUJD"></form>'))).toBe('QUJD');
    expect(readChooserAssertion(doc('<form action="https://evil.test/x"><input name="SAMLResponse" value="QUJD"></form>'))).toBeUndefined();
    expect(readChooserAssertion(doc('<input name="SAMLResponse" value="QUJD">'))).toBeUndefined();
    expect(readChooserAssertion(doc('<form id="saml_form"><input name="SAMLResponse" value=""></form>'))).toBeUndefined();
  });
});
