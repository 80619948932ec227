/** Small formatting helpers for drift messages: values, JSON pointers, readable schema pointers. */

const MAX_SHOWN = 60;

/** A value as a person reads it in a message: `'n/a'`, `42`, `null`, `an object`, `an array`. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return `'${shown.replace(/[\r\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'))}'`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  return String(value);
}

export function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * The model names every `$defs` entry after the component it came from, so `#/$defs/Owner/...`
 * reads back as `#/components/schemas/Owner/...` (OpenAPI 3) or `#/definitions/Owner/...` (Swagger 2.0).
 * Pointers into the contract document (`/paths/...`) get a leading `#`.
 */
export function readableSchemaPointer(pointer: string, openapi: '2.0' | '3.0' | '3.1'): string {
  if (pointer.startsWith('#/$defs/')) {
    const base = openapi === '2.0' ? '#/definitions/' : '#/components/schemas/';
    return base + pointer.slice('#/$defs/'.length);
  }
  if (pointer.startsWith('/')) return `#${pointer}`;
  return pointer;
}

const MAX_PREVIEW = 300;

/**
 * A recorded value as a short JSON preview for reports (`"n/a"`, `{"name":"A","email":"n/a"}`):
 * at most 300 characters, values of secret-named fields (per `isSecret`) replaced by `REDACTED`.
 */
export function previewValue(value: unknown, isSecret: (name: string) => boolean): string | undefined {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (key, v: unknown) =>
      key !== '' && isSecret(key) && (v === null || typeof v !== 'object') ? 'REDACTED' : v,
    );
  } catch {
    return undefined; // not JSON (a cycle cannot come from a parsed body; be safe)
  }
  if (text === undefined) return undefined;
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}…` : text;
}
