/**
 * The IdP answer reader for silent refresh (utils/saml-form.ts): the stand-in Google's pages in every mode, real
 * shapes (Okta, Entra, Keycloak auto-post pages), and hostile HTML that must not yield an assertion.
 */
import { describe, expect, it } from 'vitest';
import { parseSamlForm, tags } from '../../utils/saml-form';
import { accountChooserPage, autoPostPage, loginPage, mfaPage } from '../support/journey-stand-ins';

const SAML = 'PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6cHJvdG9jb2wiLz4=';
const PAGE = 'https://accounts.google.com/o/saml2/initsso?idpid=x&spid=y&forceauthn=false';
const form = (action: string, inputs: string, extra = '') => `<html><body><form method="POST" action="${action}" ${extra}>${inputs}</form></body></html>`;

describe('reading the auto-post form', () => {
  it('reads the stand-in Google page', () => {
    const result = parseSamlForm(autoPostPage(SAML), PAGE);
    expect(result).toMatchObject({ ok: true, samlResponse: SAML, action: 'https://signin.aws.amazon.com/saml', endpoint: { partition: 'aws' } });
  });

  it.each([
    ['Okta (single quotes, entities, RelayState)', `<form id='appForm' action='https&#x3a;&#x2f;&#x2f;signin.aws.amazon.com&#x2f;saml' method='POST'><input name='SAMLResponse' type='hidden' value='${SAML.replace(/\+/g, '&#x2b;').replace(/=/g, '&#x3d;')}'/><input name='RelayState' type='hidden' value='abc'/></form>`, 'abc'],
    ['Entra (upper-case tags, unquoted method)', `<FORM method=post ACTION="https://signin.aws.amazon.com/saml"><INPUT type="hidden" NAME="SAMLResponse" VALUE="${SAML}"></FORM>`, undefined],
    ['Keycloak (regional endpoint, noscript button)', `<body onload="document.forms[0].submit()"><noscript><p>JavaScript is off</p><input type="submit" value="Continue"></noscript><form name="saml-post-binding" method="post" action="https://eu-west-1.signin.aws.amazon.com/saml"><input type="hidden" name="SAMLResponse" value="${SAML}"/></form></body>`, undefined],
    ['GovCloud', form('https://signin.amazonaws-us-gov.com/saml', `<input name="SAMLResponse" value="${SAML}">`), undefined],
    ['base64 across lines', form('https://signin.aws.amazon.com/saml', `<input name="SAMLResponse" value="\n${SAML.slice(0, 20)}\n${SAML.slice(20)}\n">`), undefined],
  ])('reads %s', (_label, html, relayState) => {
    const result = parseSamlForm(html, PAGE);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.samlResponse.replace(/\s+/g, '')).toBe(SAML);
      expect(result.relayState).toBe(relayState);
    }
  });
});

describe('when the IdP wants the person', () => {
  it.each([
    ['the login page', loginPage(PAGE), 'https://accounts.google.com/ServiceLogin?continue=x', 'sign-in'],
    ['the account chooser', accountChooserPage(['a@example.com', 'b@example.com']), 'https://accounts.google.com/AccountChooser?continue=x', 'account-chooser'],
    ['2-Step Verification', mfaPage(), PAGE, 'mfa'],
    ['a captcha', '<html><div class="g-recaptcha" data-sitekey="x"></div></html>', 'https://accounts.google.com/signin/v2/challenge', 'captcha'],
    ['a consent screen', '<html><h1>Allow access?</h1><button>Allow</button></html>', 'https://idp.example.com/consent', 'consent'],
    ['an empty page', '', PAGE, 'no-form'],
  ])('%s gives no assertion, and says why', (_label, html, url, wants) => {
    expect(parseSamlForm(html, url)).toMatchObject({ ok: false, wants });
  });
});

describe('hostile HTML', () => {
  const good = `<input name="SAMLResponse" value="${SAML}">`;
  it.each([
    ['an action on a look-alike host', form('https://signin.aws.amazon.com.evil.test/saml', good)],
    ['an action elsewhere', form('https://evil.test/collect', good)],
    ['a relative action (the IdP host, not AWS)', form('/saml', good)],
    ['http', form('http://signin.aws.amazon.com/saml', good)],
    ['a GET form', form('https://signin.aws.amazon.com/saml', good).replace('method="POST"', 'method="get"')],
    ['no method (GET)', `<form action="https://signin.aws.amazon.com/saml">${good}</form>`],
    ['two SAML forms', form('https://signin.aws.amazon.com/saml', good) + form('https://signin.aws.amazon.com/saml', good)],
    ['two SAMLResponse inputs', form('https://signin.aws.amazon.com/saml', good + good)],
    ['an empty SAMLResponse', form('https://signin.aws.amazon.com/saml', '<input name="SAMLResponse" value="">')],
    ['a form only in a comment', `<!-- ${form('https://signin.aws.amazon.com/saml', good)} -->`],
    ['a form only in a script string', `<script>var s = '${form('https://signin.aws.amazon.com/saml', good)}';</script>`],
    ['a form only in a textarea', `<textarea>${form('https://signin.aws.amazon.com/saml', good)}</textarea>`],
    ['a form only in a template', `<template>${form('https://signin.aws.amazon.com/saml', good)}</template>`],
    ['an unterminated tag', `<form method="post" action="https://signin.aws.amazon.com/saml"><input name="SAMLResponse" value="${SAML}`],
    ['an input outside any form', `<input name="SAMLResponse" value="${SAML}">`],
  ])('refuses %s', (_label, html) => {
    expect(parseSamlForm(html, PAGE).ok).toBe(false);
  });

  it('a nested <form> does not move the inputs to another action (as in browsers)', () => {
    const html = `<form method="post" action="https://signin.aws.amazon.com/saml"><form method="post" action="https://evil.test/">${good}</form>`;
    expect(parseSamlForm(html, PAGE)).toMatchObject({ ok: true, action: 'https://signin.aws.amazon.com/saml' });
  });

  it('the first of a repeated attribute wins (as in browsers)', () => {
    const html = `<form method="post" action="https://signin.aws.amazon.com/saml" action="https://evil.test/">${good}</form>`;
    expect(parseSamlForm(html, PAGE)).toMatchObject({ ok: true, action: 'https://signin.aws.amazon.com/saml' });
  });

  it('a ">" inside a quoted value does not end the tag', () => {
    const html = `<form method="post" data-x="a>b" action="https://signin.aws.amazon.com/saml">${good}</form>`;
    expect(parseSamlForm(html, PAGE).ok).toBe(true);
  });

  it('refuses a page larger than any sign-in page, and stays fast on junk', () => {
    expect(parseSamlForm('<'.repeat(5 * 1024 * 1024), PAGE).ok).toBe(false);
    const t0 = performance.now();
    const junk = '<a b=c d="e" '.repeat(50_000) + '<<<>>>'.repeat(50_000) + '<!--'.repeat(10_000);
    expect(parseSamlForm(junk, PAGE).ok).toBe(false);
    expect([...tags('<p><input name=a value=b></p>')].map((t) => t.name)).toEqual(['p', 'input', 'p']);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
