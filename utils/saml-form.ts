/**
 * Reads the auto-posting SAML form out of an IdP's HTML answer (silent refresh fetches the sign-in URL; MV3 service
 * workers have no DOMParser). Pure: a small tokenizer that knows just enough HTML to find <form> and <input> the
 * way a browser would, and no more:
 *
 * - comments and the raw-text elements (script, style, textarea, title, noscript, template, iframe …) are skipped,
 *   so an "<input>" inside a script string or a comment never counts;
 * - attribute values are entity-decoded; the first of a repeated attribute wins (as in browsers);
 * - a <form> inside an open form is ignored (as in browsers); inputs belong to the form they sit in;
 * - the form must be POST, its action (resolved against the page URL) an AWS SAML endpoint
 *   (utils/aws-endpoints.ts parseSamlEndpoint), with exactly one non-empty SAMLResponse input; two such forms, or
 *   two SAMLResponse inputs, are refused (an injected second form must not win).
 *
 * Anything else is "no assertion", with a guess of what the IdP wants from the person (login page, account chooser,
 * MFA, consent, captcha), so the badge and notification can say it.
 */
import { localized, type LocalizedText } from './localized-text';
import { parseSamlEndpoint, type SamlEndpoint } from './aws-endpoints';
import { MAX_SAML_RESPONSE_LENGTH } from './saml';

/** Longest page read; an IdP's auto-post page is a few KB plus the assertion. */
export const MAX_FORM_PAGE_LENGTH = 4 * 1024 * 1024;

export type IdpWants = 'sign-in' | 'account-chooser' | 'mfa' | 'consent' | 'captcha' | 'no-form';

export type SamlFormResult =
  | { ok: true; samlResponse: string; relayState?: string; action: string; endpoint: SamlEndpoint }
  | { ok: false; wants: IdpWants; why: LocalizedText };

interface Tag {
  name: string;
  attrs: Map<string, string>;
  end: boolean;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'noscript', 'template', 'iframe', 'noembed', 'noframes', 'xmp', 'plaintext']);

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', equals: '=', plus: '+', sol: '/' };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});?/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Every start and end tag of `html`, in order, skipping comments, doctype and raw-text element contents. */
export function* tags(html: string): Generator<Tag> {
  const lower = html.toLowerCase();
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      if (close < 0) return;
      i = close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const close = html.indexOf('>', lt + 2);
      if (close < 0) return;
      i = close + 1;
      continue;
    }
    const end = html[lt + 1] === '/';
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(html.slice(lt + (end ? 2 : 1), lt + (end ? 2 : 1) + 64));
    if (!nameMatch) {
      i = lt + 1;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    let j = lt + (end ? 2 : 1) + nameMatch[0].length;
    const attrs = new Map<string, string>();
    // Attributes, until the tag's '>' (a '>' inside a quoted value does not end it).
    for (;;) {
      while (j < n && /[\s/]/.test(html[j]!)) j++;
      if (j >= n) return;
      if (html[j] === '>') {
        j++;
        break;
      }
      const attrStart = j;
      while (j < n && !/[\s/>=]/.test(html[j]!)) j++;
      if (j === attrStart) j++; // a stray '=' as a name: take it as one char
      const attrName = lower.slice(attrStart, j);
      while (j < n && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, j + 1);
          if (close < 0) return;
          value = html.slice(j + 1, close);
          j = close + 1;
        } else {
          const valueStart = j;
          while (j < n && !/[\s>]/.test(html[j]!)) j++;
          value = html.slice(valueStart, j);
        }
      }
      if (!attrs.has(attrName)) attrs.set(attrName, decodeEntities(value));
    }
    i = j;
    yield { name, attrs, end };
    if (!end && RAW_TEXT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close < 0) return;
      i = close;
    }
  }
}

interface FoundForm {
  method: string;
  action: string;
  inputs: { name: string; value: string }[];
}

function formsOf(html: string): FoundForm[] {
  const forms: FoundForm[] = [];
  let open: FoundForm | undefined;
  for (const tag of tags(html)) {
    if (tag.name === 'form') {
      if (tag.end) open = undefined;
      else if (!open) {
        open = { method: (tag.attrs.get('method') ?? 'get').trim().toLowerCase(), action: tag.attrs.get('action') ?? '', inputs: [] };
        forms.push(open);
      }
    } else if (tag.name === 'input' && !tag.end && open) {
      const name = tag.attrs.get('name');
      if (name !== undefined) open.inputs.push({ name, value: tag.attrs.get('value') ?? '' });
    }
  }
  return forms;
}

/** What a page without the form is asking for, from its final URL and its text. */
export function guessIdpWants(html: string, pageUrl: string): IdpWants {
  const url = pageUrl.toLowerCase();
  const text = html.toLowerCase();
  if (/captcha/.test(url) || /recaptcha|hcaptcha|g-recaptcha|captcha/.test(text)) return 'captcha';
  if (/accountchooser|selectaccount|\/signin\/v2\/identifier\?.*authuser/.test(url) || /data-authuser|choose an account/.test(text)) return 'account-chooser';
  if (/challenge|\/mfa|totp|2sv|verify/.test(url) || /2-step verification|one-time code|verification code|verify it.s you|authenticator/.test(text)) return 'mfa';
  if (/consent/.test(url) || /\bconsent\b|allow access/.test(text)) return 'consent';
  if (/servicelogin|\/signin|\/login|identifier/.test(url) || /type\s*=\s*["']?password|sign in|log in/.test(text)) return 'sign-in';
  return 'no-form';
}

export function parseSamlForm(html: string, pageUrl: string): SamlFormResult {
  if (html.length > MAX_FORM_PAGE_LENGTH) return { ok: false, wants: 'no-form', why: localized('form.tooLarge') };
  const candidates = formsOf(html).filter((f) => f.inputs.some((i) => i.name === 'SAMLResponse'));
  if (candidates.length === 0) {
    return { ok: false, wants: guessIdpWants(html, pageUrl), why: localized('form.noForm') };
  }
  if (candidates.length > 1) return { ok: false, wants: 'no-form', why: localized('form.manyForms') };
  const form = candidates[0]!;
  const responses = form.inputs.filter((i) => i.name === 'SAMLResponse');
  if (responses.length > 1) return { ok: false, wants: 'no-form', why: localized('form.manyResponses') };
  const samlResponse = responses[0]!.value.trim();
  if (samlResponse === '' || samlResponse.length > MAX_SAML_RESPONSE_LENGTH) {
    return { ok: false, wants: 'no-form', why: localized('form.noResponse') };
  }
  if (form.method !== 'post') return { ok: false, wants: 'no-form', why: localized('form.notPost') };
  let action: string;
  try {
    action = new URL(form.action.trim(), pageUrl).href;
  } catch {
    return { ok: false, wants: 'no-form', why: localized('form.notPost') };
  }
  const endpoint = parseSamlEndpoint(action);
  if (!endpoint) return { ok: false, wants: 'no-form', why: localized('form.notAws') };
  const relay = form.inputs.find((i) => i.name === 'RelayState')?.value;
  return { ok: true, samlResponse, relayState: relay || undefined, action, endpoint };
}
