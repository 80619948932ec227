import type { MediaTypeSpec, RecordedBody } from '../model/types';

/** `application/json; charset=utf-8` → `application/json`. */
const normalised = new Map<string, string>();

export function normaliseMediaType(value: string | undefined): string {
  if (!value) return '';
  let out = normalised.get(value);
  if (out === undefined) {
    out = value.split(';')[0].trim().toLowerCase();
    if (normalised.size < 1000) normalised.set(value, out);
  }
  return out;
}

export function isJsonMediaType(mediaType: string): boolean {
  return (
    mediaType === 'application/json' ||
    /^[a-z0-9.+-]+\/(?:[a-z0-9.+-]+\+)?json$/.test(mediaType) ||
    mediaType.endsWith('+json')
  );
}

export function isFormMediaType(mediaType: string): boolean {
  return (
    mediaType === 'application/x-www-form-urlencoded' ||
    mediaType === 'multipart/form-data' ||
    mediaType.startsWith('multipart/')
  );
}

/**
 * The documented media type a recorded one falls under: exact first, then `type/*`, then `*\/*`.
 * A recorded body without a media type takes the first documented one.
 */
export function findMediaType(content: MediaTypeSpec[], recorded: string): MediaTypeSpec | undefined {
  if (content.length === 0) return undefined;
  if (recorded === '') return content[0];
  const exact = content.find((m) => m.mediaType === recorded);
  if (exact) return exact;
  const [type] = recorded.split('/');
  return (
    content.find((m) => m.mediaType === `${type}/*`) ??
    content.find((m) => m.mediaType === '*/*' || m.mediaType === '*')
  );
}

/** The body has something in it (HAR writes absent and empty bodies in several ways). */
export function hasBody(body: RecordedBody | undefined): body is RecordedBody {
  if (!body) return false;
  return (
    (body.text !== undefined && body.text !== '') ||
    (body.base64 !== undefined && body.base64 !== '') ||
    (body.params !== undefined && body.params.length > 0)
  );
}

export function bodyText(body: RecordedBody): string | undefined {
  if (body.text !== undefined) return body.text;
  if (body.base64 !== undefined) return Buffer.from(body.base64, 'base64').toString('utf8');
  return undefined;
}

export type ParsedBody =
  { ok: true; value: unknown; form?: boolean } | { ok: false; error: string } | { ok: 'skip' };

/**
 * Decodes a recorded body the way the contract declares it: JSON, form fields (an object of
 * strings / string arrays), or text. Binary and unknown media types are skipped.
 */
export function parseRecordedBody(body: RecordedBody, declared: string): ParsedBody {
  const recorded = normaliseMediaType(body.mimeType);
  const json =
    isJsonMediaType(recorded) ||
    (recorded === '' && isJsonMediaType(declared)) ||
    (declared === recorded && isJsonMediaType(declared));
  if (json) {
    const text = bodyText(body);
    if (text === undefined) return { ok: 'skip' };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
  if (isFormMediaType(recorded) || (recorded === '' && isFormMediaType(declared))) {
    const fields: Record<string, string | string[]> = {};
    const add = (name: string, value: string): void => {
      const existing = fields[name];
      if (existing === undefined) fields[name] = value;
      else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    };
    if (body.params && body.params.length > 0) {
      for (const param of body.params) add(param.name, param.value ?? param.fileName ?? '');
    } else if (recorded === 'application/x-www-form-urlencoded' && body.text !== undefined) {
      for (const [name, value] of new URLSearchParams(body.text)) add(name, value);
    } else {
      return { ok: 'skip' };
    }
    return { ok: true, value: fields, form: true };
  }
  if (recorded.startsWith('text/') || recorded === '') {
    const text = bodyText(body);
    return text === undefined ? { ok: 'skip' } : { ok: true, value: text };
  }
  return { ok: 'skip' };
}
