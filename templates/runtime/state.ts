/**
 * Stateful resources: operations bound to a `ResourceSpec` (create/read/list/update/replace/delete)
 * work on a per-session store that starts with the recorded seed resources, so a client that
 * creates an order can read it back, list it, change it and delete it.
 *
 * Replay and state together: when the pipeline chose a recorded response for the request it passes
 * it as `recorded`; the store absorbs it (a recorded create inserts the created resource, a recorded
 * delete removes it...) and the recording is answered (undefined is returned). Once the mock itself
 * has changed a resource (a create, update or delete answered from the store), the store is the
 * truth for it: a recorded read or list would show stale data, so the store's answer is returned
 * instead of undefined.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { MockRequest, MockResponse, UploadedFile } from './core/context';
import type { ResourceStore, SessionState, StoredResource } from './session';
import { markImmutable } from './respond';
import { formatTime, hasTemplates, render } from './templating';
import { shapeToken } from './tokens';
import { notFoundBody, singularNoun } from './not-found';
import { MORE_FIELDS, NEXT_FIELDS } from './pagination';
import type { Defs, IdFormat, Manifest, OperationData, ResourceSpec, ResponseData } from './core/types';
import { cloneJson, isRecord } from './core/json';
import { splitPointer } from './core/pointer';
import { followDefRefs } from './core/schema';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Store access

const specCache = new WeakMap<Manifest, Map<string, ResourceSpec>>();

function findSpec(manifest: Manifest, name: string): ResourceSpec | undefined {
  let byName = specCache.get(manifest);
  if (!byName) {
    byName = new Map(manifest.resources.map((spec) => [spec.name, spec]));
    specCache.set(manifest, byName);
  }
  return byName.get(name);
}

const SEED_PARENT = '*';

function idOf(value: unknown, spec: ResourceSpec): string | undefined {
  if (!isRecord(value)) return undefined;
  const id = value[spec.idField];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** The store of `spec` in `session`, seeded with deep copies of the recorded resources on first use. */
export function resourceStore(session: SessionState, spec: ResourceSpec): ResourceStore {
  let store = session.resources.get(spec.name);
  if (!store) {
    store = {
      items: new Map(),
      nextInt: spec.idFormat.next ?? 1,
      diverged: new Set(),
      created: 0,
      version: 0,
    };
    // seed resources come first in every list
    store.items.set(SEED_PARENT, new Map());
    for (const seed of spec.seed) {
      if (!isRecord(seed)) continue;
      const value = cloneJson(seed);
      let id = idOf(value, spec);
      if (id === undefined) {
        id = newId(spec, store, undefined);
        value[spec.idField] = typedId(spec, id, undefined);
      }
      putItem(store, { id, parent: SEED_PARENT, value });
    }
    session.resources.set(spec.name, store);
  }
  return store;
}

function putItem(store: ResourceStore, item: StoredResource): void {
  const existing = findItem(store, item.parent, item.id);
  if (existing) {
    store.version++;
    existing.value = item.value;
    return;
  }
  addItem(store, item);
}

/** Stores a resource whose id the store does not hold yet. */
function addItem(store: ResourceStore, item: StoredResource): void {
  store.version++;
  let byId = store.items.get(item.parent);
  if (!byId) store.items.set(item.parent, (byId = new Map()));
  byId.set(item.id, item);
  const numeric = Number(item.id);
  if (Number.isSafeInteger(numeric) && numeric >= store.nextInt) store.nextInt = numeric + 1;
}

function findItem(store: ResourceStore, parent: string, id: string): StoredResource | undefined {
  return store.items.get(parent)?.get(id) ?? store.items.get(SEED_PARENT)?.get(id);
}

/** Whether the mock itself changed the resource `id` (created, updated, replaced or deleted it). */
function isDiverged(store: ResourceStore, parent: string, id: string): boolean {
  return store.diverged.has(id) || findItem(store, parent, id)?.created === true;
}

function removeItem(store: ResourceStore, parent: string, id: string): boolean {
  const removed = !!(store.items.get(parent)?.delete(id) || store.items.get(SEED_PARENT)?.delete(id));
  if (removed) store.version++;
  return removed;
}

/** Replaces a stored resource's value (stored values are never changed in place). */
function replaceValue(store: ResourceStore, item: StoredResource, value: Json): void {
  item.value = value;
  store.version++;
}

/** Parameter names of path templates (a few per contract, parsed once). */
const templateParamCache = new Map<string, readonly string[]>();

function templateParams(template: string): readonly string[] {
  let names = templateParamCache.get(template);
  if (!names) {
    names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    if (templateParamCache.size < 10_000) templateParamCache.set(template, names);
  }
  return names;
}

/** Values of the collection path's parameters (`/users/{userId}/orders` → `["42"]`). */
function parentKey(spec: ResourceSpec, request: MockRequest): string {
  const names = templateParams(spec.collectionPath);
  if (names.length === 0) return '[]';
  return JSON.stringify(names.map((name) => request.pathParams[name] ?? ''));
}

// ---------------------------------------------------------------------------------------------
// Ids

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function generateId(format: IdFormat, store: ResourceStore, sample: string | undefined): string {
  switch (format.kind) {
    case 'integer':
      return String(store.nextInt);
    case 'uuid':
      return randomUUID();
    case 'prefixed': {
      const prefix = format.prefix ?? '';
      const length = format.length ?? (sample ? Math.max(sample.length - prefix.length, 8) : 24);
      return prefix + randomString(length, format.alphabet || ALNUM);
    }
    case 'string':
      if (format.length !== undefined || format.alphabet !== undefined) {
        return randomString(format.length ?? 16, format.alphabet || ALNUM);
      }
      return sample ? shapeToken(sample) : randomString(16, ALNUM);
  }
}

function newId(
  spec: ResourceSpec,
  store: ResourceStore,
  sample: string | undefined,
  parent = SEED_PARENT,
): string {
  if (spec.idFormat.kind === 'integer') {
    // every stored id that reads as an integer is below nextInt (addItem): the next one is free
    const id = String(store.nextInt);
    store.nextInt += 1;
    return id;
  }
  for (let attempt = 0; ; attempt++) {
    const id = generateId(spec.idFormat, store, sample);
    // findItem is a map lookup: creating stays O(1) however many resources the store holds
    if (!findItem(store, parent, id) || attempt > 20) return id;
  }
}

/** The id as the resource holds it: a number for integer ids unless the resource shape uses strings. */
function typedId(spec: ResourceSpec, id: string, sample: unknown): string | number {
  if (spec.idFormat.kind !== 'integer' || typeof sample === 'string') return id;
  const numeric = Number(id);
  return Number.isSafeInteger(numeric) ? numeric : id;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

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
function inputFields(request: MockRequest, like: unknown, ctx?: Ctx): Json | undefined {
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

// ---------------------------------------------------------------------------------------------
// Uploads

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

/** RFC 7396 merge (objects deep, arrays replaced); `null` removes a field for merge-patch bodies. */
function mergeInto(target: Json, patch: Json, nullDeletes: boolean): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue;
    if (value === null && nullDeletes) delete out[key];
    else if (isRecord(value) && isRecord(out[key]))
      out[key] = mergeInto(out[key] as Json, value, nullDeletes);
    else out[key] = cloneJson(value);
  }
  return out;
}

/** RFC 6902 JSON Patch; undefined when an operation cannot be applied. */
export function applyJsonPatch(document: Json, operations: unknown[]): Json | undefined {
  let doc: unknown = cloneJson(document);
  const resolve = (tokens: string[]): { parent: unknown; key: string } | undefined => {
    let node = doc;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isRecord(node)) node = node[token];
      else return undefined;
    }
    return node !== null && typeof node === 'object'
      ? { parent: node, key: tokens[tokens.length - 1] }
      : undefined;
  };
  const get = (tokens: string[]): unknown => {
    let node = doc;
    for (const token of tokens) {
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isRecord(node)) node = node[token];
      else return undefined;
    }
    return node;
  };
  const remove = (tokens: string[]): unknown => {
    const at = resolve(tokens);
    if (!at) return undefined;
    if (Array.isArray(at.parent)) return at.parent.splice(Number(at.key), 1)[0];
    const parent = at.parent as Json;
    const old = parent[at.key];
    delete parent[at.key];
    return old;
  };
  const add = (tokens: string[], value: unknown): boolean => {
    if (tokens.length === 0) {
      doc = value;
      return true;
    }
    const at = resolve(tokens);
    if (!at) return false;
    if (Array.isArray(at.parent)) {
      const index = at.key === '-' ? at.parent.length : Number(at.key);
      if (!(index >= 0 && index <= at.parent.length)) return false;
      at.parent.splice(index, 0, value);
    } else (at.parent as Json)[at.key] = value;
    return true;
  };
  for (const raw of operations) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') return undefined;
    const path = splitPointer(raw.path);
    const from = typeof raw.from === 'string' ? splitPointer(raw.from) : [];
    switch (raw.op) {
      case 'add':
        if (!add(path, cloneJson(raw.value))) return undefined;
        break;
      case 'remove':
        if (get(path) === undefined) return undefined;
        remove(path);
        break;
      case 'replace':
        if (get(path) === undefined) return undefined;
        remove(path);
        if (!add(path, cloneJson(raw.value))) return undefined;
        break;
      case 'move': {
        const value = remove(from);
        if (value === undefined || !add(path, value)) return undefined;
        break;
      }
      case 'copy': {
        const value = get(from);
        if (value === undefined || !add(path, cloneJson(value))) return undefined;
        break;
      }
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(raw.value)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return isRecord(doc) ? doc : undefined;
}

// ---------------------------------------------------------------------------------------------
// Server-owned fields

const CREATED_FIELDS: ReadonlySet<string> = new Set([
  'created',
  'createdAt',
  'created_at',
  'creationDate',
  'creation_date',
  'createTime',
  'create_time',
  'createdOn',
  'created_on',
  'dateCreated',
  'date_created',
  'insertedAt',
  'inserted_at',
]);
const UPDATED_FIELDS: ReadonlySet<string> = new Set([
  'updated',
  'updatedAt',
  'updated_at',
  'modified',
  'modifiedAt',
  'modified_at',
  'lastModified',
  'last_modified',
  'updateTime',
  'update_time',
  'updatedOn',
  'updated_on',
  'lastUpdated',
  'last_updated',
  'dateModified',
  'date_modified',
]);

/** `now` in the format of `sample` (ISO with/without ms, date, epoch s/ms as number or text, HTTP date). */
function nowLike(sample: unknown, now: number): unknown {
  if (typeof sample === 'number') return sample > 1e11 ? now : Math.floor(now / 1000);
  if (typeof sample !== 'string') return formatTime(now, 'iso');
  if (/^\d{4}-\d{2}-\d{2}$/.test(sample)) return formatTime(now, 'date');
  if (/^\d{12,}$/.test(sample)) return formatTime(now, 'epoch-ms');
  if (/^\d{9,11}$/.test(sample)) return formatTime(now, 'epoch-s');
  if (/^[A-Z][a-z]{2}, /.test(sample)) return formatTime(now, 'http-date');
  if (/T\d{2}:\d{2}:\d{2}Z$/.test(sample) || /T\d{2}:\d{2}:\d{2}[+-]\d{2}:?\d{2}$/.test(sample)) {
    return formatTime(now, 'iso-seconds');
  }
  return formatTime(now, 'iso');
}

function touch(resource: Json, names: ReadonlySet<string>, now: number, keep: Json = {}): void {
  for (const key of Object.keys(resource)) {
    if (names.has(key) && !(key in keep)) resource[key] = nowLike(resource[key], now);
  }
}

/** Top-level properties the item schema marks readOnly (when it is inline). */
const readOnlyCache = new WeakMap<ResourceSpec, ReadonlySet<string>>();

function readOnlyFields(spec: ResourceSpec): ReadonlySet<string> {
  let fields = readOnlyCache.get(spec);
  if (fields) return fields;
  const found = new Set<string>();
  const schema = spec.schema;
  if (isRecord(schema) && isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (isRecord(property) && property.readOnly === true) found.add(name);
    }
  }
  fields = found;
  readOnlyCache.set(spec, fields);
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Responses

function documented2xx(op: OperationData, preferred: number[]): ResponseData | undefined {
  for (const status of preferred) {
    const found = op.responses.find((r) => r.status === String(status));
    if (found) return found;
  }
  return op.responses.find((r) => /^2\d\d$/.test(r.status)) ?? op.responses.find((r) => r.status === '2XX');
}

function statusOf(response: ResponseData | undefined, fallback: number): number {
  const n = Number(response?.status);
  return Number.isInteger(n) ? n : fallback;
}

function jsonMedia(response: ResponseData | undefined): string | undefined {
  if (!response || response.content.length === 0) return undefined;
  const json = response.content.find((m) => /[/+]json$/.test(m.mediaType) || m.mediaType === '*/*');
  return json ? (json.mediaType === '*/*' ? 'application/json' : json.mediaType) : undefined;
}

function firstExample(response: ResponseData | undefined): unknown {
  if (!response) return undefined;
  for (const media of response.content) {
    if (media.examples.length > 0) return media.examples[0].value;
  }
  return undefined;
}

function documentsHeader(response: ResponseData | undefined, name: string): boolean {
  return !!response?.headers.some((h) => h.name.toLowerCase() === name);
}

/** `/users/{id}/x` → literals `['/users/', '/x']` around names `['id']` (parsed once per template). */
const pathPartsCache = new Map<string, { literals: string[]; names: string[] }>();

function fillPath(template: string, params: Record<string, string>, name?: string, value?: string): string {
  let parts = pathPartsCache.get(template);
  if (!parts) {
    const pieces = template.split(/\{([^}]+)\}/);
    parts = {
      literals: pieces.filter((_, i) => i % 2 === 0),
      names: pieces.filter((_, i) => i % 2 === 1),
    };
    if (pathPartsCache.size < 10_000) pathPartsCache.set(template, parts);
  }
  let out = parts.literals[0];
  for (let i = 0; i < parts.names.length; i++) {
    const param = parts.names[i] === name ? value : params[parts.names[i]];
    out += encodeURIComponent(param ?? '') + parts.literals[i + 1];
  }
  return out;
}

function stateResponse(status: number, body: unknown, mediaType: string | undefined): MockResponse {
  const response: MockResponse = { status, headers: {}, source: 'state' };
  if (mediaType !== undefined && status !== 204 && status !== 304) {
    response.mediaType = mediaType;
    response.body = body;
  }
  return response;
}

/**
 * The documented 404: its authored example (rendered), else a minimal error of its schema naming the
 * missing resource (not-found.ts), else an RFC 9457 problem.
 */
function notFound(
  op: OperationData,
  request: MockRequest,
  manifest: Manifest,
  spec: ResourceSpec,
  id: string,
  defs?: Defs,
) {
  const documented =
    op.responses.find((r) => r.status === '404') ??
    op.responses.find((r) => r.status === '4XX') ??
    op.responses.find((r) => r.status === 'default');
  const example = firstExample(documented);
  const media = jsonMedia(documented);
  const message = `No such ${singularNoun(spec.collectionPath)}: '${id}'`;
  // no authored example: an error shaped by the documented schema that names what is missing
  const data =
    documented?.content.find((m) => m.mediaType === media) ??
    documented?.content.find((m) => m.mediaType === '*/*');
  if (defs && media && data?.schema !== undefined && data.examples.every((e) => e.name === '__generated')) {
    const facts = { message, code: 'resource_missing' };
    const body = notFoundBody(data.schema, defs, facts);
    if (body) return stateResponse(404, body, media);
  }
  if (example !== undefined && media) return stateResponse(404, render(example, request, manifest), media);
  return stateResponse(
    404,
    {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: message,
    },
    'application/problem+json',
  );
}

function itemResponse(
  op: OperationData,
  documented: ResponseData | undefined,
  fallbackStatus: number,
  resource: Json,
  { remember = true }: { remember?: boolean } = {},
): MockResponse {
  const status = statusOf(documented, fallbackStatus);
  // No copy: a stored value is replaced (copy-on-write), never changed in place, so responses share
  // it and its JSON text is computed once (markImmutable). A resource just created is not
  // remembered: many are never read again, and a read or list marks it then.
  if (remember) markImmutable(resource);
  return stateResponse(status, resource, documented ? jsonMedia(documented) : 'application/json');
}

// ---------------------------------------------------------------------------------------------
// Lists

const LIMIT_PARAMS = [
  'limit',
  'per_page',
  'perPage',
  'page_size',
  'pageSize',
  'max_results',
  'maxResults',
  '$top',
  'top',
];
const OFFSET_PARAMS = ['offset', 'skip', '$skip', 'start'];
const PAGING_PARAMS = new Set([
  ...LIMIT_PARAMS,
  ...OFFSET_PARAMS,
  'page',
  'starting_after',
  'ending_before',
  'cursor',
  'after',
  'before',
  'sort',
  'order',
  'direction',
  'expand',
  'expand[]',
  'fields',
]);
const TOTAL_FIELDS = [
  'total',
  'total_count',
  'totalCount',
  'count',
  'totalElements',
  'total_results',
  'totalResults',
];

const FIRST_FIELDS = ['first_id', 'firstId'];
const LAST_FIELDS = ['last_id', 'lastId'];

const WILDCARDS = new Set(['all', 'any', '*']);

function queryParam(request: MockRequest, names: string[]): string | undefined {
  for (const name of names) {
    const pair = request.query.find(([n]) => n === name);
    if (pair) return pair[1];
  }
  return undefined;
}

function nonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** Items visible at this parent, filtered by query parameters naming scalar fields, then paged. */
function listItems(
  store: ResourceStore,
  spec: ResourceSpec,
  request: MockRequest,
): { items: Json[]; total: number; more: boolean } {
  const parent = parentKey(spec, request);
  let items: Json[] = [];
  for (const key of parent === SEED_PARENT ? [SEED_PARENT] : [SEED_PARENT, parent]) {
    const byId = store.items.get(key);
    if (byId) for (const item of byId.values()) items.push(item.value);
  }
  const pathNames = new Set(templateParams(spec.collectionPath));
  for (const [name, value] of request.query) {
    if (PAGING_PARAMS.has(name) || pathNames.has(name)) continue;
    // filter only on fields every item has as a scalar, so unrelated parameters do not empty the list
    if (items.length === 0 || !items.every((item) => scalarText(item[name]) !== undefined)) continue;
    // `state=all` (GitHub, GitLab...): a wildcard no item holds as a value selects them all
    if (WILDCARDS.has(value.toLowerCase()) && !items.some((item) => scalarText(item[name]) === value))
      continue;
    items = items.filter((item) => scalarText(item[name]) === value);
  }
  const total = items.length;
  const after = queryParam(request, ['starting_after', 'after']);
  const before = queryParam(request, ['ending_before', 'before']);
  if (after !== undefined) {
    const at = items.findIndex((item) => idOf(item, spec) === after);
    if (at !== -1) items = items.slice(at + 1);
  }
  if (before !== undefined) {
    const at = items.findIndex((item) => idOf(item, spec) === before);
    if (at !== -1) items = items.slice(0, at);
  }
  const limit = nonNegativeInt(queryParam(request, LIMIT_PARAMS));
  let offset = nonNegativeInt(queryParam(request, OFFSET_PARAMS)) ?? 0;
  const page = nonNegativeInt(queryParam(request, ['page']));
  if (page !== undefined && page >= 1 && limit !== undefined && offset === 0) offset = (page - 1) * limit;
  const end = limit === undefined ? items.length : offset + limit;
  const more = end < items.length;
  // stored values are never changed in place (see itemResponse): the page shares them, no copies
  const shown = items.slice(offset, end);
  for (const item of shown) markImmutable(item);
  return { items: shown, total, more };
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function listBody(
  spec: ResourceSpec,
  request: MockRequest,
  manifest: Manifest,
  store: ResourceStore,
): unknown {
  const { items, total, more } = listItems(store, spec, request);
  if (!spec.listEnvelope) return items;
  const rendered = render(spec.listEnvelope.template, request, manifest);
  const envelope: Json = isRecord(rendered) ? rendered : {};
  setPath(envelope, spec.listEnvelope.itemsField, items);
  for (const field of TOTAL_FIELDS) if (typeof envelope[field] === 'number') envelope[field] = total;
  for (const field of MORE_FIELDS) if (field in envelope) envelope[field] = more;
  if (!more) for (const field of NEXT_FIELDS) if (field in envelope) envelope[field] = null;
  // cursors naming the page's ends (`first_id` / `last_id`): the example's ids would point elsewhere
  for (const [fields, item] of [
    [FIRST_FIELDS, items[0]],
    [LAST_FIELDS, items[items.length - 1]],
  ] as const) {
    for (const field of fields) {
      if (field in envelope) envelope[field] = item === undefined ? null : (item[spec.idField] ?? null);
    }
  }
  return envelope;
}

/** The resources a recorded list response holds (bare array or envelope). */
function recordedListItems(spec: ResourceSpec, body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (spec.listEnvelope) {
    const items = getPath(body, spec.listEnvelope.itemsField);
    if (Array.isArray(items)) return items;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Roles

interface Ctx {
  op: OperationData;
  request: MockRequest;
  manifest: Manifest;
  spec: ResourceSpec;
  store: ResourceStore;
  parent: string;
  id: string | undefined;
  defs?: Defs;
}

/** Base shapes without templates, built once per operation (shared: callers copy before changing). */
const staticBases = new WeakMap<OperationData, Json>();

/**
 * The shape new resources start from: the op's first 2xx example (its templates rendered for this
 * request), else the first seed, else {}. The result is shared and must not be changed in place.
 */
function baseShape(ctx: Ctx): Json {
  const known = staticBases.get(ctx.op);
  if (known) return known;
  const example = firstExample(documented2xx(ctx.op, [201, 200]));
  if (isRecord(example)) {
    const rendered = render(example, ctx.request, ctx.manifest);
    if (isRecord(rendered)) {
      if (!hasTemplates(example)) staticBases.set(ctx.op, rendered);
      return rendered;
    }
  }
  const seed = ctx.spec.seed.find(isRecord);
  const base = seed ? cloneJson(seed) : {};
  staticBases.set(ctx.op, base);
  return base;
}

function create(ctx: Ctx, forcedId?: string): MockResponse | undefined {
  const { spec, store } = ctx;
  const base = baseShape(ctx);
  const input = inputFields(ctx.request, base, ctx);
  if (!input) return undefined;
  const readOnly = readOnlyFields(spec);
  const baseId = base[spec.idField];
  const resource: Json = { ...base };
  // (`__proto__` from JSON.parse is an own key: assigning it would change the resource's prototype)
  for (const key in input) if (!readOnly.has(key) && key !== '__proto__') resource[key] = input[key];
  const asked = idOf(input, spec);
  let id: string;
  if (forcedId !== undefined) id = forcedId;
  else if (
    asked !== undefined &&
    asked !== '' &&
    !readOnly.has(spec.idField) &&
    !findItem(store, ctx.parent, asked)
  ) {
    id = asked;
  } else {
    id = newId(spec, store, typeof baseId === 'string' ? baseId : undefined, ctx.parent);
  }
  resource[spec.idField] = typedId(spec, id, baseId);
  const shape = baseFacts(base, spec);
  if (shape.times.length > 0) {
    // server-owned timestamps: now, in the example's format, unless the client set them
    const now = Date.now();
    for (const key of shape.times) if (!(key in input)) resource[key] = nowLike(resource[key], now);
  }
  if (shape.links.length > 0 && shape.segment && shape.id !== id) {
    // the example's links to itself (`/items/42/photos`) point at the new resource
    const target = `/${encodeURIComponent(id)}`;
    for (const key of shape.links)
      if (!(key in input)) resource[key] = (base[key] as string).replace(shape.segment, target);
  }
  if (forcedId !== undefined) {
    // a forced id may replace a stored resource
    const existing = findItem(store, ctx.parent, id);
    if (!existing?.created) store.created++;
    putItem(store, { id, parent: ctx.parent, value: resource, created: true });
    if (existing) existing.created = true;
  } else {
    // the id was just checked to be free
    addItem(store, { id, parent: ctx.parent, value: resource, created: true });
    store.created++;
  }

  const answer = createAnswer(ctx.op);
  const response = stateResponse(answer.status, resource, answer.mediaType);
  if (answer.location) {
    response.headers.location =
      ctx.manifest.basePath + fillPath(spec.itemPath, ctx.request.pathParams, spec.idParam, id);
  }
  return response;
}

/** How an operation answers a create: its documented 201/200 (status, JSON media type, a Location). */
interface CreateAnswer {
  status: number;
  mediaType: string | undefined;
  location: boolean;
}

const createAnswers = new WeakMap<OperationData, CreateAnswer>();

function createAnswer(op: OperationData): CreateAnswer {
  let answer = createAnswers.get(op);
  if (!answer) {
    const documented = documented2xx(op, [201, 200]);
    const status = statusOf(documented, 201);
    answer = {
      status,
      mediaType: documented ? jsonMedia(documented) : 'application/json',
      location: status === 201 || documentsHeader(documented, 'location'),
    };
    createAnswers.set(op, answer);
  }
  return answer;
}

/**
 * What a create changes in the shape it starts from (looked up once per shape): its server-owned
 * timestamps, and its strings that link to the example's own id (`/items/42/photos`).
 */
interface BaseFacts {
  times: string[];
  links: string[];
  /** the example's id as text */
  id: string | undefined;
  /** `/<example id>` as a path segment */
  segment: RegExp | undefined;
}

const baseFactsCache = new WeakMap<Json, BaseFacts>();

function baseFacts(base: Json, spec: ResourceSpec): BaseFacts {
  let facts = baseFactsCache.get(base);
  if (facts) return facts;
  const times = Object.keys(base).filter((key) => CREATED_FIELDS.has(key) || UPDATED_FIELDS.has(key));
  const id = scalarText(base[spec.idField]);
  let links: string[] = [];
  let segment: RegExp | undefined;
  if (id) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const test = new RegExp(`/${escaped}(?=$|[/?#])`);
    links = Object.keys(base).filter((key) => {
      const value = base[key];
      return key !== spec.idField && typeof value === 'string' && test.test(value);
    });
    if (links.length > 0) segment = new RegExp(test.source, 'g');
  }
  facts = { times, links, id, segment };
  // a shape rendered per request (templates) is a new object: its entry goes with it
  baseFactsCache.set(base, facts);
  return facts;
}

function read(ctx: Ctx): MockResponse {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (found) return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, found.value);
  const virtual = virtualItem(ctx);
  if (virtual) return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, virtual);
  return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
}

/**
 * With `unknownIds: 'example'`, an id never held and never deleted in this session is the documented
 * example carrying that id (Prism-like); it joins the store only once the client changes it.
 */
function virtualItem(ctx: Ctx): Json | undefined {
  if (ctx.spec.unknownIds !== 'example' || ctx.id === undefined || ctx.store.diverged.has(ctx.id))
    return undefined;
  const value = cloneJson(baseShape(ctx));
  const documented = value[ctx.spec.idField];
  const id = typedId(ctx.spec, ctx.id, documented);
  // an id the field cannot hold (`abc` for an integer id) leaves the example's own (corpus: ecwid)
  if (typeof documented !== 'number' || typeof id === 'number') value[ctx.spec.idField] = id;
  return value;
}

/** Puts the virtual item for `ctx.id` into the store, so an update or delete of it behaves as for a stored one. */
function materialize(ctx: Ctx): void {
  if (ctx.id === undefined || findItem(ctx.store, ctx.parent, ctx.id)) return;
  const value = virtualItem(ctx);
  if (value) putItem(ctx.store, { id: ctx.id, parent: ctx.parent, value });
}

function list(ctx: Ctx): MockResponse {
  const documented = documented2xx(ctx.op, [200]);
  const body = listBody(ctx.spec, ctx.request, ctx.manifest, ctx.store);
  return stateResponse(
    statusOf(documented, 200),
    body,
    documented ? jsonMedia(documented) : 'application/json',
  );
}

function update(ctx: Ctx): MockResponse | undefined {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined)
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  let next: Json | undefined;
  if (Array.isArray(ctx.request.body) && ctx.request.mediaType === 'application/json-patch+json') {
    next = applyJsonPatch(found.value, ctx.request.body);
    if (!next) {
      return stateResponse(
        422,
        {
          type: 'about:blank',
          title: 'Unprocessable Content',
          status: 422,
          detail: 'the JSON Patch cannot be applied',
        },
        'application/problem+json',
      );
    }
  } else {
    const input = inputFields(ctx.request, found.value, ctx);
    if (!input) return undefined;
    for (const field of readOnlyFields(ctx.spec)) delete input[field];
    next = mergeInto(found.value, input, ctx.request.mediaType === 'application/merge-patch+json');
  }
  next[ctx.spec.idField] = found.value[ctx.spec.idField];
  touch(next, UPDATED_FIELDS, Date.now());
  replaceValue(ctx.store, found, next);
  ctx.store.diverged.add(ctx.id);
  return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, next);
}

function replace(ctx: Ctx): MockResponse | undefined {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined) {
    // PUT creates when the contract documents 201 for it
    if (ctx.id !== undefined && ctx.op.responses.some((r) => r.status === '201')) return create(ctx, ctx.id);
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  }
  const input = inputFields(ctx.request, found.value, ctx);
  if (!input) return undefined;
  const next: Json = { ...input };
  // server-owned fields survive a replace: the id, creation time, read-only properties
  for (const field of readOnlyFields(ctx.spec)) if (field in found.value) next[field] = found.value[field];
  for (const key of Object.keys(found.value)) if (CREATED_FIELDS.has(key)) next[key] = found.value[key];
  if (typeof found.value.object === 'string') next.object = found.value.object;
  next[ctx.spec.idField] = found.value[ctx.spec.idField];
  for (const key of Object.keys(found.value)) {
    if (UPDATED_FIELDS.has(key) && !(key in input)) next[key] = nowLike(found.value[key], Date.now());
  }
  replaceValue(ctx.store, found, next);
  ctx.store.diverged.add(ctx.id);
  return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, next);
}

function remove(ctx: Ctx): MockResponse {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined)
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  removeItem(ctx.store, ctx.parent, ctx.id);
  ctx.store.diverged.add(ctx.id);
  const documented = documented2xx(ctx.op, [204, 200, 202]);
  const status = statusOf(documented, 204);
  const media = jsonMedia(documented);
  if (status === 204 || !media) return stateResponse(status, undefined, undefined);
  const example = firstExample(documented);
  if (example === undefined) return stateResponse(status, cloneJson(found.value), media);
  const body = render(example, ctx.request, ctx.manifest);
  if (isRecord(body)) {
    if (ctx.spec.idField in body) body[ctx.spec.idField] = found.value[ctx.spec.idField];
    // a deletion status (`{id, deleted: true}`): generated examples may say false
    for (const key of Object.keys(body)) if (DELETED_FLAGS.test(key) && body[key] === false) body[key] = true;
  }
  return stateResponse(status, body, media);
}

/** Boolean fields of a delete response that say the deletion happened. */
const DELETED_FLAGS = /^(deleted|is_?deleted|success|succeeded|ok|acknowledged)$/i;

/** Brings the store in line with a recorded response; returns the store's answer where it knows better. */
function absorb(ctx: Ctx, recorded: MockResponse): MockResponse | undefined {
  const ok = recorded.status >= 200 && recorded.status < 300;
  const body = recorded.body;
  const { spec, store } = ctx;
  switch (ctx.op.resource?.role) {
    case 'create': {
      const id = idOf(body, spec);
      if (ok && id !== undefined) putItem(store, { id, parent: ctx.parent, value: cloneJson(body as Json) });
      return undefined;
    }
    case 'read':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) {
        const answer = read(ctx);
        // the store agrees with a recorded 404/410 (after a delete): send production's own words for it
        return !ok && answer.status === recorded.status ? undefined : answer;
      }
      if (ok && isRecord(body) && ctx.id !== undefined) {
        putItem(store, { id: idOf(body, spec) ?? ctx.id, parent: ctx.parent, value: cloneJson(body) });
      } else if ((recorded.status === 404 || recorded.status === 410) && ctx.id !== undefined) {
        removeItem(store, ctx.parent, ctx.id);
      }
      return undefined;
    case 'list':
      if (store.diverged.size > 0 || store.created > 0) return list(ctx);
      if (ok) {
        for (const item of recordedListItems(spec, body)) {
          const id = idOf(item, spec);
          if (id !== undefined) putItem(store, { id, parent: ctx.parent, value: cloneJson(item as Json) });
        }
      }
      return undefined;
    case 'update':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) return update(ctx);
      if (ok && isRecord(body) && ctx.id !== undefined && idOf(body, spec) === ctx.id) {
        putItem(store, { id: ctx.id, parent: ctx.parent, value: cloneJson(body) });
      }
      return undefined;
    case 'replace':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) return replace(ctx);
      if (ok && isRecord(body) && ctx.id !== undefined && idOf(body, spec) === ctx.id) {
        putItem(store, { id: ctx.id, parent: ctx.parent, value: cloneJson(body) });
      }
      return undefined;
    case 'delete':
      if (ok && ctx.id !== undefined) {
        removeItem(store, ctx.parent, ctx.id);
        store.diverged.add(ctx.id);
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Answers a request to an operation bound to a stateful resource from the session's store, or
 * returns undefined (not a resource operation, a body the store cannot use, or a `recorded`
 * response the store has absorbed and that should be sent as it is).
 */
export function handleResourceRequest(
  op: OperationData,
  request: MockRequest,
  session: SessionState,
  manifest: Manifest,
  recorded?: MockResponse,
  defs?: Defs,
): MockResponse | undefined {
  const binding = op.resource;
  if (!binding) return undefined;
  const spec = findSpec(manifest, binding.resource);
  if (!spec) return undefined;
  const ctx: Ctx = {
    op,
    request,
    manifest,
    spec,
    store: resourceStore(session, spec),
    parent: parentKey(spec, request),
    id: request.pathParams[spec.idParam],
    defs,
  };
  if (recorded) return absorb(ctx, recorded);
  if (binding.role === 'update' || binding.role === 'delete') materialize(ctx);
  if (binding.role === 'replace' && !op.responses.some((r) => r.status === '201')) materialize(ctx);
  switch (binding.role) {
    case 'create':
      return create(ctx);
    case 'read':
      return read(ctx);
    case 'list':
      return list(ctx);
    case 'update':
      return update(ctx);
    case 'replace':
      return replace(ctx);
    case 'delete':
      return remove(ctx);
    default:
      return undefined;
  }
}

/** A cached answer, valid while its store keeps the version it was built from. */
export interface ListCacheSlot<T> {
  get(): T | undefined;
  set(answer: T): void;
}

interface ListCache {
  version: number;
  answers: Map<string, unknown>;
}

const listCaches = new WeakMap<ResourceStore, ListCache>();
/** distinct list requests (URLs) remembered per store and version */
const LIST_CACHE_LIMIT = 64;

/**
 * Where the answer to a list request of a stateful resource may be cached (what the handler sends:
 * conformed and serialised), or undefined when it may not. A list answer is a function of the
 * operation, the request URL (parent path parameters, filters, paging; also the seed of a repair)
 * and the store's contents, so it is reused until the store changes (`ResourceStore.version`).
 * Not cached: requests with a body, and list envelopes with templates rendered per request.
 * Only for requests answered from the store (no recorded response chosen for them).
 */
export function listCacheSlot<T>(
  op: OperationData,
  request: MockRequest,
  session: SessionState,
  manifest: Manifest,
): ListCacheSlot<T> | undefined {
  const binding = op.resource;
  if (binding?.role !== 'list' || request.rawBody.length > 0) return undefined;
  const spec = findSpec(manifest, binding.resource);
  if (!spec || (spec.listEnvelope && hasTemplates(spec.listEnvelope.template))) return undefined;
  const store = resourceStore(session, spec);
  const key = `${op.id}\u0000${request.method}\u0000${request.url}`;
  const version = store.version;
  return {
    get: () => {
      const cache = listCaches.get(store);
      return cache && cache.version === version ? (cache.answers.get(key) as T | undefined) : undefined;
    },
    set: (answer) => {
      let cache = listCaches.get(store);
      if (!cache || cache.version !== version) {
        cache = { version, answers: new Map() };
        listCaches.set(store, cache);
      }
      if (cache.answers.size >= LIST_CACHE_LIMIT) cache.answers.clear();
      cache.answers.set(key, answer);
    },
  };
}

/** Every resource of the session's stores, by resource name, in list order (for the admin API). */
export function resourceSnapshot(session: SessionState, manifest: Manifest): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const spec of manifest.resources) {
    const values: unknown[] = [];
    for (const byId of resourceStore(session, spec).items.values())
      for (const item of byId.values()) values.push(cloneJson(item.value));
    out[spec.name] = values;
  }
  return out;
}
