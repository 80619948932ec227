/** The request body as resource fields: JSON, or form fields (nested names, typed like the resource), uploads described rather than stored. */
import { followDefRefs } from '../core/schema';
import type { MockRequest, UploadedFile } from '../core/context';
import type { Ctx } from './context';
import { isRecord, type Json } from './json';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** `a[b][0][c]` form keys (Stripe, Rails, PHP) as nested objects/arrays. */
export function unflattenForm(fields: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(fields)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const path = [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((s) => s[1])];
    let node: Json | unknown[] = out;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      const segment = path[i];
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]);
      if (Array.isArray(node)) {
        const index = segment === '' ? node.length : Number(segment);
        if (last) {
          if (segment === '' && Array.isArray(value)) node.push(...(value as unknown[]));
          else node[index] = value;
        } else {
          node[index] ??= nextIsIndex ? [] : {};
          node = node[index] as Json | unknown[];
        }
      } else if (last) {
        node[segment] = value;
      } else {
        if (typeof node[segment] !== 'object' || node[segment] === null)
          node[segment] = nextIsIndex ? [] : {};
        node = node[segment] as Json | unknown[];
      }
    }
  }
  return out;
}

/** Form strings converted to the type the resource holds at the same place (numbers, booleans). */
function coerceLike(value: unknown, like: unknown): unknown {
  if (Array.isArray(value)) {
    const item = Array.isArray(like) ? like[0] : undefined;
    return value.map((v) => coerceLike(v, item));
  }
  if (isRecord(value)) {
    const out: Json = {};
    for (const [key, v] of Object.entries(value))
      out[key] = coerceLike(v, isRecord(like) ? like[key] : undefined);
    return out;
  }
  if (typeof value !== 'string') return value;
  if (typeof like === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof like === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (Array.isArray(like) && value !== '') return [value];
  return value;
}

/**
 * The request body as resource fields: a JSON object, or form fields (nested, typed like `like`).
 * Uploaded files are described, not stored (applyUpload); `ctx` gives the resource's schema for that.
 */
export function inputFields(request: MockRequest, like: unknown, ctx?: Ctx): Json | undefined {
  const fields = bodyFields(request, like, ctx);
  // a body documented as an envelope (`{"data": {...}}`) carries the fields in its member
  const field = ctx?.op.resource?.bodyEnvelope;
  if (field === undefined || !isRecord(fields) || !Object.hasOwn(fields, field)) return fields;
  const inner = fields[field];
  return isRecord(inner) ? inner : undefined;
}

function bodyFields(request: MockRequest, like: unknown, ctx?: Ctx): Json | undefined {
  const body = request.body;
  if (body === undefined) return {};
  if (!isRecord(body)) return undefined;
  if (FORM_TYPES.has(request.mediaType)) {
    const single: Json = {};
    for (const [key, value] of Object.entries(body)) {
      single[key] = Array.isArray(value) && !key.endsWith('[]') && value.length === 1 ? value[0] : value;
    }
    const input = coerceLike(unflattenForm(single), like) as Json;
    if (request.uploads) applyUpload(input, request.uploads, fieldKinds(like, ctx));
    return input;
  }
  // a JSON body is parsed for this request alone: the resource may keep its objects (no copy)
  return body;
}

const UPLOAD_NAME = /^(file_?name|original_?(file_?)?name)$/i;
const UPLOAD_SIZE = /^(bytes|size|file_?size|size_?(in_?)?bytes|byte_?size|content_?length)$/i;
const UPLOAD_TYPE = /^(mime_?type|content_?type|media_?type)$/i;

type FieldKind = 'string' | 'number' | 'other';

/** The resource's top-level fields and what they hold: from `like` (a stored value or example) and the item schema. */
function fieldKinds(like: unknown, ctx: Ctx | undefined): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>();
  const kindOf = (type: unknown): FieldKind => {
    const types = Array.isArray(type) ? type : [type];
    if (types.includes('integer') || types.includes('number')) return 'number';
    return types.includes('string') ? 'string' : 'other';
  };
  const schema = followDefRefs(ctx?.spec.schema, ctx?.defs, 8);
  if (isRecord(schema) && isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties))
      kinds.set(name, isRecord(property) ? kindOf(property.type) : 'other');
  }
  if (isRecord(like)) {
    for (const [name, value] of Object.entries(like)) {
      const kind = typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'other';
      if (kind !== 'other' || !kinds.has(name)) kinds.set(name, kind);
    }
  }
  return kinds;
}

/**
 * A file's bytes are not a field of the resource made from its upload (a server stores them
 * elsewhere and describes them): the file parts are dropped from `input`, and with one uploaded
 * file its name, size and media type fill the resource's fields for them (`filename`,
 * `bytes` / `size`, `mime_type`...) that the request did not set itself. JSON parts (metadata sent
 * as a Blob) stay fields.
 */
function applyUpload(input: Json, uploads: UploadedFile[], kinds: ReadonlyMap<string, FieldKind>): void {
  const files = uploads.filter((upload) => typeof input[upload.field] === 'string');
  for (const upload of files) delete input[upload.field];
  if (files.length !== 1) return;
  const [file] = files;
  for (const [name, kind] of kinds) {
    if (name in input) continue;
    if (kind === 'string' && UPLOAD_NAME.test(name) && file.filename) input[name] = file.filename;
    else if (kind === 'number' && UPLOAD_SIZE.test(name)) input[name] = file.size;
    else if (kind === 'string' && UPLOAD_TYPE.test(name)) input[name] = file.mimeType;
  }
}
