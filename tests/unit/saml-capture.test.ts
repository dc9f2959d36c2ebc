import { describe, expect, it } from 'vitest';
import { formFromRequestBody, MAX_RAW_BODY_BYTES } from '../../utils/saml-capture';

const enc = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('formFromRequestBody', () => {
  it('reads decoded form data', () => {
    expect(formFromRequestBody({ formData: { SAMLResponse: ['PHNhbWw+'], RelayState: ['x'] } })).toEqual({
      samlResponse: 'PHNhbWw+',
      relayState: 'x',
    });
  });

  it('decodes raw urlencoded bytes split over chunks, keeping + and = of base64', () => {
    const body = `RelayState=r&SAMLResponse=${encodeURIComponent('PHNh+bWw/==')}`;
    const bytes = new TextEncoder().encode(body);
    const raw = [{ bytes: bytes.slice(0, 10).buffer }, { bytes: bytes.slice(10).buffer }];
    expect(formFromRequestBody({ raw })).toEqual({ samlResponse: 'PHNh+bWw/==', relayState: 'r' });
  });

  it('gives nothing for missing, empty, file-only or oversized bodies', () => {
    expect(formFromRequestBody(undefined)).toEqual({});
    expect(formFromRequestBody({})).toEqual({});
    expect(formFromRequestBody({ raw: [{ file: '/tmp/x' }] })).toEqual({});
    expect(formFromRequestBody({ raw: [{ bytes: new ArrayBuffer(MAX_RAW_BODY_BYTES + 1) }] })).toEqual({});
    expect(formFromRequestBody({ formData: { other: ['1'] } })).toEqual({ samlResponse: undefined, relayState: undefined });
  });

  it('decodes form values given as bytes', () => {
    expect(formFromRequestBody({ formData: { SAMLResponse: [enc('abc')] } }).samlResponse).toBe('abc');
  });
});
