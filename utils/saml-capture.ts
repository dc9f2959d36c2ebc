/**
 * Getting the SAMLResponse out of a captured form POST. Pure: takes the shape webRequest hands over.
 *
 * Chromium and Firefox give `formData` for `application/x-www-form-urlencoded` and `multipart/form-data` bodies;
 * for anything they cannot decode they give `raw` byte chunks, which are decoded here as a urlencoded form.
 */

export interface CapturedRequestBody {
  error?: string;
  formData?: Record<string, (string | ArrayBuffer)[] | undefined>;
  raw?: { bytes?: ArrayBuffer | Uint8Array; file?: string }[];
}

/** The longest body read from raw bytes; a SAMLResponse is a few KB to a few hundred KB. */
export const MAX_RAW_BODY_BYTES = 4 * 1024 * 1024;

export interface CapturedForm {
  samlResponse?: string;
  relayState?: string;
}

export function formFromRequestBody(body: CapturedRequestBody | null | undefined): CapturedForm {
  if (!body) return {};
  if (body.formData) {
    return {
      samlResponse: firstString(body.formData.SAMLResponse),
      relayState: firstString(body.formData.RelayState),
    };
  }
  if (body.raw?.length) {
    const chunks = body.raw.flatMap((c) => (c.bytes ? [toBytes(c.bytes)] : []));
    const size = chunks.reduce((n, c) => n + c.byteLength, 0);
    if (size === 0 || size > MAX_RAW_BODY_BYTES) return {};
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    const params = new URLSearchParams(new TextDecoder().decode(all));
    return {
      samlResponse: params.get('SAMLResponse') ?? undefined,
      relayState: params.get('RelayState') ?? undefined,
    };
  }
  return {};
}

function firstString(values: (string | ArrayBuffer)[] | undefined): string | undefined {
  const v = values?.[0];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : new TextDecoder().decode(v);
}

function toBytes(b: ArrayBuffer | Uint8Array): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}
