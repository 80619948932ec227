/**
 * Dynamic values in recorded responses: what must not be replayed frozen. Tokens are re-issued,
 * timestamps stay near "now" with their recorded offsets, values that echo the request follow the
 * request, per-response ids are fresh. Everything else (enums, short strings, booleans, numbers
 * that are not epochs) is replayed as recorded.
 *
 * The output is the template language of templates/runtime/core/types.ts (`$tpl`, `$tplJson`,
 * `$literal` and the helpers `now jwt opaque uuid req`); nothing else may be emitted.
 */
import type { ResourceBinding, ResourceSpec, TemplatedValue } from '../../templates/runtime/core/types';
import type { Defs, JsonSchema, MatchedExchange } from '../model/types';
import { responseSchemaOf } from './value-pools';
import { isRecord, stableStringify } from '../../templates/runtime/core/json';
import { decodeJwt } from '../../templates/runtime/core/jwt';
import {
  isRequestIdName,
  isSecretName,
  isTokenName,
  normalName,
  sameName,
  singular,
  words,
} from '../../templates/runtime/core/names';
import { escapeToken } from '../../templates/runtime/core/pointer';
import { itemSchema, propertySchema, viewSchema } from '../../templates/runtime/core/schema';

export type DynamicKind =
  'jwt' | 'opaque-token' | 'timestamp' | 'epoch' | 'duration' | 'uuid' | 'id' | 'echo';

export interface DynamicField {
  /** operation id */
  operation: string;
  /** JSON pointer into the response body, or `header:<lower-case name>` for a response header */
  pointer: string;
  kind: DynamicKind;
  reason: string;
}

export interface DynamicOptions {
  /** `Contract.schemas`: lets response schemas be followed (values under `enum`/`const` are never templated) */
  schemas?: Defs;
  /** detectResources() output: ids the state store assigns in create responses are left alone */
  resources?: { resources: ResourceSpec[]; bindings: Map<string, ResourceBinding> };
}

/** What is learnt across all recordings; pass it to templatize(). Plain data, deterministic. */
export interface DynamicAnalysis {
  /**
   * operation id → body pointers whose value differs between recordings of the same request (values
   * that also occur in other exchanges are references to stable data and do not count)
   */
  varying: Map<string, Set<string>>;
  /** operation id → lower-case response header names whose value differs between recordings of the same request */
  varyingHeaders: Map<string, Set<string>>;
  /** operation id → body pointers of ids the state store assigns (never templated) */
  stateAssigned: Map<string, Set<string>>;
  schemas: Defs;
}

const TEMPLATE_MARKERS = ['$tpl', '$tplJson', '$literal'];
const MAX_DEPTH = 64;
const DAY_MS = 24 * 3600 * 1000;
/** date-times this close to the exchange are "now" whatever their name */
const NEAR_NOW_MS = 2 * DAY_MS;

// ---------------------------------------------------------------------------------------------
// Analysis across recordings

export function analyseDynamic(matched: MatchedExchange[], options: DynamicOptions = {}): DynamicAnalysis {
  interface Group {
    op: string;
    count: number;
    body: Map<string, Set<string>>;
    headers: Map<string, Set<string>>;
  }
  // A string seen in more than one exchange (an id in a create response, then in a path and a list)
  // is a reference to stable data; a fresh per-response value never recurs. So a value that differs
  // between two recordings of the same request only because the data changed in between (a list
  // before and after a delete: another resource at /data/0) does not make its pointer vary.
  const exchangesWith = new Map<string, number>();
  for (const m of matched) {
    if (m.exchange.failed) continue;
    const strings = new Set<string>(Object.values(m.pathParams));
    for (const [, value] of m.exchange.request.query) strings.add(value);
    const addString = (_pointer: string, value: unknown): void => {
      if (typeof value === 'string') strings.add(value);
    };
    collectLeaves(m.requestBody, '', 0, addString);
    collectLeaves(m.responseBody, '', 0, addString);
    for (const value of strings) exchangesWith.set(value, (exchangesWith.get(value) ?? 0) + 1);
  }
  const isReference = (value: unknown): boolean =>
    typeof value === 'string' && (exchangesWith.get(value) ?? 0) > 1;

  const groups = new Map<string, Group>();
  for (const m of matched) {
    if (m.exchange.failed) continue;
    const key = stableStringify([
      m.op.id,
      m.exchange.response.status,
      m.pathParams,
      m.exchange.request.query,
      m.requestBody ?? null,
    ]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { op: m.op.id, count: 0, body: new Map(), headers: new Map() }));
    group.count++;
    collectLeaves(m.responseBody, '', 0, (pointer, value) => {
      if (!isReference(value)) addTo(group.body, pointer, stableStringify(value));
    });
    for (const [name, value] of m.exchange.response.headers) addTo(group.headers, name.toLowerCase(), value);
  }

  const varying = new Map<string, Set<string>>();
  const varyingHeaders = new Map<string, Set<string>>();
  for (const group of groups.values()) {
    if (group.count < 2) continue;
    for (const [pointer, values] of group.body) if (values.size > 1) addTo(varying, group.op, pointer);
    for (const [name, values] of group.headers) if (values.size > 1) addTo(varyingHeaders, group.op, name);
  }

  const stateAssigned = new Map<string, Set<string>>();
  if (options.resources) {
    const byName = new Map(options.resources.resources.map((r) => [r.name, r]));
    for (const [opId, binding] of options.resources.bindings) {
      const resource = byName.get(binding.resource);
      if (binding.role === 'create' && resource) {
        const envelope = binding.envelope === undefined ? '' : `/${escapeToken(binding.envelope)}`;
        addTo(stateAssigned, opId, `${envelope}/${escapeToken(resource.idField)}`);
      }
    }
  } else {
    // Without resource detection: a POST to a collection-like path (last segment literal) creates.
    for (const m of matched) {
      if (m.op.method !== 'post' || /\}$/.test(m.op.path)) continue;
      const noun = singular(lastLiteral(m.op.path));
      for (const name of ['id', 'uuid', `${noun}Id`, `${noun}_id`]) addTo(stateAssigned, m.op.id, `/${name}`);
    }
  }
  return { varying, varyingHeaders, stateAssigned, schemas: options.schemas ?? {} };
}

function collectLeaves(
  value: unknown,
  pointer: string,
  depth: number,
  add: (pointer: string, value: unknown) => void,
) {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value))
    value.forEach((item, i) => collectLeaves(item, `${pointer}/${i}`, depth + 1, add));
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value))
      collectLeaves(item, `${pointer}/${escapeToken(key)}`, depth + 1, add);
  } else if (typeof value === 'string' || typeof value === 'number') add(pointer, value);
}

function addTo<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

// ---------------------------------------------------------------------------------------------
// Templating one recorded body

interface RequestIndex {
  pathParams: [string, string][];
  /** first value per query name */
  query: [string, string][];
  /** request body leaves: pointer → { dotted path for `req "body.…"`, value } */
  bodyByPointer: Map<string, { path: string; value: unknown }>;
  /** request body leaves by their property name */
  bodyByKey: Map<string, { path: string; value: unknown }[]>;
  headers: Map<string, string>;
}

interface Ctx {
  m: MatchedExchange;
  analysis: DynamicAnalysis;
  started: number;
  varying: Set<string>;
  stateAssigned: Set<string>;
  request: RequestIndex;
  fields: DynamicField[];
  lastParam?: string;
  /** computed on first use */
  pathPrefixes?: { concrete: string; replacement: string; reason: string }[];
}

/**
 * `body` (the recorded response body of `m`) with dynamic values replaced by templates, and the
 * fields that were found. User objects with a `$tpl`/`$tplJson`/`$literal` key are wrapped in
 * `{ "$literal": … }`. `fields` is sorted by pointer.
 */
export function templatize(
  m: MatchedExchange,
  body: unknown,
  analysis: DynamicAnalysis,
): { value: unknown; fields: DynamicField[] } {
  const ctx = newCtx(m, analysis);
  const value = visit(ctx, body, '', undefined, responseSchemaOf(m), 0);
  return { value, fields: sortFields(ctx.fields) };
}

function newCtx(m: MatchedExchange, analysis: DynamicAnalysis): Ctx {
  const params = [...m.op.path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]);
  return {
    m,
    analysis,
    started: Date.parse(m.exchange.startedDateTime),
    varying: analysis.varying.get(m.op.id) ?? new Set(),
    stateAssigned: analysis.stateAssigned.get(m.op.id) ?? new Set(),
    request: indexRequest(m),
    fields: [],
    lastParam: /\{([^}]+)\}$/.test(m.op.path) ? params[params.length - 1] : undefined,
  };
}

function visit(
  ctx: Ctx,
  value: unknown,
  pointer: string,
  key: string | undefined,
  schema: JsonSchema | undefined,
  depth: number,
): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const view = viewSchema(schema, ctx.analysis.schemas, value);
    return value.map((item, i) => visit(ctx, item, `${pointer}/${i}`, key, itemSchema(view, i), depth + 1));
  }
  if (isRecord(value)) {
    if (TEMPLATE_MARKERS.some((marker) => Object.prototype.hasOwnProperty.call(value, marker))) {
      return { $literal: value };
    }
    const view = viewSchema(schema, ctx.analysis.schemas, value);
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      out[k] = visit(ctx, item, `${pointer}/${escapeToken(k)}`, k, propertySchema(view, k), depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return templateLeaf(ctx, value, pointer, key ?? '', schema, depth);
  }
  return value;
}

function templateLeaf(
  ctx: Ctx,
  value: string | number,
  pointer: string,
  key: string,
  schema: JsonSchema | undefined,
  depth: number,
): TemplatedValue {
  const view = viewSchema(schema, ctx.analysis.schemas, value);
  if (view.enumValues !== undefined) return value;
  if (ctx.stateAssigned.has(pointer)) return value;
  const note = (kind: DynamicKind, reason: string): void => {
    ctx.fields.push({ operation: ctx.m.op.id, pointer, kind, reason });
  };

  const echo = findEcho(ctx, value, key, pointer, depth);
  if (echo) {
    note('echo', echo.reason);
    return typeof value === 'number' ? { $tplJson: echo.tpl } : { $tpl: echo.tpl };
  }

  if (typeof value === 'number') {
    const epoch = epochFormat(value, key);
    if (epoch && Number.isFinite(ctx.started)) {
      const offset = Math.round((epoch === 'epoch-s' ? value * 1000 : value) - ctx.started);
      note(
        'epoch',
        `${epoch === 'epoch-s' ? 'epoch seconds' : 'epoch milliseconds'} under "${key}", ${offset} ms from the request`,
      );
      return { $tplJson: `{{now ${offset} "${epoch}"}}` };
    }
    if (isDurationName(key) && value >= 0)
      note('duration', `duration under "${key}" (${value}) kept as recorded`);
    return value;
  }

  const jwt = decodeJwt(value);
  if (jwt) {
    const lifetime = jwtLifetime(jwt.payload, ctx.started);
    note('jwt', `JWT (${String(jwt.header.alg)}) re-issued with its recorded claims, lifetime ${lifetime} s`);
    return { $tpl: `{{jwt ${hbsString(JSON.stringify(jwt.payload))} ${lifetime}}}` };
  }

  if (isTokenName(key) || isSecretName(key)) {
    if (looksLikeToken(value, 8)) return opaque(value, note, `token under "${key}"`);
  } else if (isTokenishName(key) && value.length >= 20 && looksLikeToken(value, 20) && highEntropy(value)) {
    return opaque(value, note, `high-entropy string under "${key}"`);
  }

  const time = timestampFormat(value);
  if (time && Number.isFinite(ctx.started)) {
    const offset = Math.round(time.ms - ctx.started);
    const named = isTimestampName(key);
    const near = Math.abs(offset) <= NEAR_NOW_MS;
    const varies = ctx.varying.has(pointer);
    if ((time.format === 'date' && named) || (time.format !== 'date' && (named || near || varies))) {
      note('timestamp', `${time.format} timestamp, ${offset} ms from the request`);
      return { $tpl: `{{now ${offset} "${time.format}"}}` };
    }
    return value;
  }

  if (isRequestIdName(key) && value.length >= 8) {
    if (UUID.test(value)) {
      note('uuid', `per-response id under "${key}"`);
      return { $tpl: '{{uuid}}' };
    }
    if (looksLikeToken(value, 8)) return opaque(value, note, `per-response id under "${key}"`, 'id');
  }

  if (ctx.varying.has(pointer)) {
    if (UUID.test(value)) {
      note('uuid', 'UUID that differs between recordings of the same request');
      return { $tpl: '{{uuid}}' };
    }
    if (isIdName(key) && value.length >= 8 && looksLikeToken(value, 8)) {
      return opaque(
        value,
        note,
        `id under "${key}" that differs between recordings of the same request`,
        'id',
      );
    }
  }

  const url = echoPathInString(ctx, value);
  if (url) {
    note('echo', url.reason);
    return { $tpl: url.tpl };
  }
  return value;
}

/**
 * A resource the store starts with (a recorded one, `ResourceSpec.seed`) with its timestamps as `now`
 * templates keeping their offset from `started`, the time of the exchange that last showed it (named
 * ones, or date-times near it, as in templatize), rendered when a session's store is seeded: a
 * resource recorded last week was not created last week in a session started now. Objects holding a
 * marker key are wrapped in `$literal`; with `started` NaN (`--no-dynamic`) nothing else changes.
 */
export function seedTemplates(
  value: unknown,
  started: number,
  fields: string[] = [],
  pointer = '',
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value))
    return value.map((item, i) => seedTemplates(item, started, fields, `${pointer}/${i}`, depth + 1));
  if (!isRecord(value)) return value;
  if (TEMPLATE_MARKERS.some((marker) => Object.prototype.hasOwnProperty.call(value, marker)))
    return { $literal: value };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${escapeToken(key)}`;
    out[key] =
      seedLeaf(item, key, started, fields, at) ?? seedTemplates(item, started, fields, at, depth + 1);
  }
  return out;
}

function seedLeaf(value: unknown, key: string, started: number, fields: string[], pointer: string): unknown {
  if (!Number.isFinite(started)) return undefined;
  if (typeof value === 'number') {
    const epoch = epochFormat(value, key);
    if (!epoch) return undefined;
    fields.push(pointer);
    return {
      $tplJson: `{{now ${Math.round((epoch === 'epoch-s' ? value * 1000 : value) - started)} "${epoch}"}}`,
    };
  }
  if (typeof value !== 'string') return undefined;
  const time = timestampFormat(value);
  if (!time) return undefined;
  const offset = Math.round(time.ms - started);
  const named = isTimestampName(key);
  if (!(time.format === 'date' ? named : named || Math.abs(offset) <= NEAR_NOW_MS)) return undefined;
  fields.push(pointer);
  return { $tpl: `{{now ${offset} "${time.format}"}}` };
}

function opaque(
  value: string,
  note: (kind: DynamicKind, reason: string) => void,
  reason: string,
  kind: DynamicKind = 'opaque-token',
): TemplatedValue {
  const shape = hbsString(maskShape(value));
  if (shape === undefined) return value;
  note(kind, `${reason}: fresh value of the same shape`);
  return { $tpl: `{{opaque ${shape}}}` };
}

// ---------------------------------------------------------------------------------------------
// Echoes of the request

function indexRequest(m: MatchedExchange): RequestIndex {
  const query: [string, string][] = [];
  const seenQuery = new Set<string>();
  for (const [name, value] of m.exchange.request.query) {
    if (seenQuery.has(name)) continue;
    seenQuery.add(name);
    query.push([name, value]);
  }
  const bodyByPointer = new Map<string, { path: string; value: unknown }>();
  const bodyByKey = new Map<string, { path: string; value: unknown }[]>();
  const walk = (
    value: unknown,
    pointer: string,
    path: string[],
    key: string | undefined,
    depth: number,
  ): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value))
      value.forEach((item, i) => walk(item, `${pointer}/${i}`, [...path, String(i)], key, depth + 1));
    else if (isRecord(value)) {
      for (const [k, item] of Object.entries(value))
        walk(item, `${pointer}/${escapeToken(k)}`, [...path, k], k, depth + 1);
    } else if ((typeof value === 'string' || typeof value === 'number') && path.every(isPlainPathSegment)) {
      const entry = { path: path.join('.'), value };
      bodyByPointer.set(pointer, entry);
      if (key !== undefined) {
        const list = bodyByKey.get(key) ?? [];
        list.push(entry);
        bodyByKey.set(key, list);
      }
    }
  };
  if (isRecord(m.requestBody) || Array.isArray(m.requestBody)) walk(m.requestBody, '', [], undefined, 0);
  const headers = new Map<string, string>();
  for (const [name, value] of m.exchange.request.headers) {
    const lower = name.toLowerCase();
    if (!headers.has(lower)) headers.set(lower, value);
  }
  return {
    pathParams: Object.entries(m.pathParams).filter(([name]) => isPlainName(name)),
    query: query.filter(([name]) => isPlainName(name)),
    bodyByPointer,
    bodyByKey,
    headers,
  };
}

function findEcho(
  ctx: Ctx,
  value: string | number,
  key: string,
  pointer: string,
  depth: number,
): { tpl: string; reason: string } | undefined {
  const { request } = ctx;
  const isString = typeof value === 'string';
  const distinctive = isString && value.length >= 4 && !/^\d+$/.test(value);
  for (const [name, param] of request.pathParams) {
    if (String(value) !== param || param === '') continue;
    const byName = sameName(key, name) || (key === 'id' && depth === 1 && name === ctx.lastParam);
    if (byName || distinctive) {
      return { tpl: `{{req "path.${name}"}}`, reason: `equals path parameter ${name}` };
    }
  }
  const longEnough = !isString || value.length >= 3;
  if (!longEnough) return undefined;
  for (const [name, param] of request.query) {
    if (String(value) === param && sameName(key, name)) {
      return { tpl: `{{req "query.${name}"}}`, reason: `equals query parameter ${name}` };
    }
  }
  const samePointer = request.bodyByPointer.get(pointer);
  if (samePointer && samePointer.value === value) {
    return {
      tpl: `{{req "body.${samePointer.path}"}}`,
      reason: `equals request body field ${samePointer.path}`,
    };
  }
  const sameKey = (request.bodyByKey.get(key) ?? []).filter((entry) => entry.value === value);
  if (sameKey.length === 1) {
    return {
      tpl: `{{req "body.${sameKey[0].path}"}}`,
      reason: `equals request body field ${sameKey[0].path}`,
    };
  }
  if (isString && value.length >= 8) {
    for (const [name, header] of request.headers) {
      if (header === value && isEchoHeader(name)) {
        return { tpl: `{{req "header.${name}"}}`, reason: `equals request header ${name}` };
      }
    }
  }
  return undefined;
}

/** URLs in the response that contain this request's path: the path parameters follow the request. */
function echoPathInString(ctx: Ctx, value: string): { tpl: string; reason: string } | undefined {
  if (!value.includes('/') || value.includes('{{') || value.includes('\\')) return undefined;
  ctx.pathPrefixes ??= pathPrefixes(ctx.m);
  for (const prefix of ctx.pathPrefixes) {
    const parts = value.split(prefix.concrete);
    if (parts.length < 2) continue;
    if (!parts.slice(1).every((rest) => rest === '' || /^[/?#.]/.test(rest))) continue;
    return { tpl: parts.join(prefix.replacement), reason: prefix.reason };
  }
  return undefined;
}

/**
 * Prefixes of the request path that end in a path parameter (longest first), each with its
 * template: `/v1/customers/cus_123` → `/v1/customers/{{req "path.customer"}}`. Only parameters
 * sent unencoded, after at least one literal segment.
 */
function pathPrefixes(m: MatchedExchange): { concrete: string; replacement: string; reason: string }[] {
  const template = splitSegments(m.op.path);
  const raw = splitSegments(m.exchange.request.path.split('?')[0]).slice(-template.length);
  if (raw.length !== template.length) return [];
  const names = template.map((segment) => /^\{([^}]+)\}$/.exec(segment)?.[1]);
  const out: { concrete: string; replacement: string; reason: string }[] = [];
  for (let end = template.length - 1; end >= 0; end--) {
    if (names[end] === undefined) continue;
    if (!names.slice(0, end).some((n) => n === undefined)) break;
    const usable = names.slice(0, end + 1).every((n, i) => {
      if (n === undefined) return true;
      const decoded = m.pathParams[n];
      return decoded !== undefined && decoded === raw[i] && raw[i] !== '' && isPlainName(n);
    });
    if (!usable) continue;
    const replacement = names
      .slice(0, end + 1)
      .map((n, i) => (n === undefined ? raw[i] : `{{req "path.${n}"}}`))
      .join('/');
    const used = names.slice(0, end + 1).filter((n): n is string => n !== undefined);
    out.push({
      concrete: '/' + raw.slice(0, end + 1).join('/'),
      replacement: '/' + replacement,
      reason: `contains the request path (${used.join(', ')})`,
    });
  }
  return out;
}

function splitSegments(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

const ECHO_HEADERS = new Set([
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'correlation-id',
  'x-trace-id',
  'x-client-request-id',
  'x-amzn-trace-id',
  'idempotency-key',
  'x-idempotency-key',
  'traceparent',
]);

function isEchoHeader(name: string): boolean {
  return ECHO_HEADERS.has(name) || /^x-[a-z0-9-]*-id$/.test(name);
}

// ---------------------------------------------------------------------------------------------
// Response headers

/** Headers that are never templated: caching validators, framing, cookies, content description. */
const FROZEN_HEADERS = new Set([
  'etag',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'set-cookie',
  'location',
  'vary',
  'cache-control',
  'link',
  'connection',
]);

const REQUEST_ID_HEADERS =
  /(?:^|-)(?:request-?id|requestid|correlation-id|trace-?id|amzn-requestid)$|^cf-ray$|^x-b3-traceid$/;

/**
 * Templates for recorded response headers (lower-case name → template), to render in place of the
 * recorded value: request-id echoes, HTTP dates near now, per-response request ids.
 */
export function templatizeHeaders(
  m: MatchedExchange,
  analysis: DynamicAnalysis,
): { templates: Record<string, TemplatedValue>; fields: DynamicField[] } {
  const ctx = newCtx(m, analysis);
  const varying = analysis.varyingHeaders.get(m.op.id) ?? new Set<string>();
  const counts = new Map<string, number>();
  for (const [name] of m.exchange.response.headers)
    counts.set(name.toLowerCase(), (counts.get(name.toLowerCase()) ?? 0) + 1);
  const templates: Record<string, TemplatedValue> = {};
  const fields: DynamicField[] = [];
  for (const [rawName, value] of m.exchange.response.headers) {
    const name = rawName.toLowerCase();
    if (FROZEN_HEADERS.has(name) || counts.get(name) !== 1 || !isPlainName(name)) continue;
    const pointer = `header:${name}`;
    const note = (kind: DynamicKind, reason: string): void => {
      fields.push({ operation: m.op.id, pointer, kind, reason });
    };
    const echoed = value.length >= 8 ? echoedHeader(ctx.request.headers, name, value) : undefined;
    if (echoed) {
      templates[name] = { $tpl: `{{req "header.${echoed}"}}` };
      note('echo', `equals request header ${echoed}`);
      continue;
    }
    if (HTTP_DATE.test(value) && Number.isFinite(ctx.started)) {
      const offset = Math.round(Date.parse(value) - ctx.started);
      templates[name] = { $tpl: `{{now ${offset} "http-date"}}` };
      note('timestamp', `http-date, ${offset} ms from the request`);
      continue;
    }
    if (/^\d{10}$/.test(value) && /reset$/.test(name) && Number.isFinite(ctx.started)) {
      const seconds = Number(value);
      if (seconds >= 1e9 && seconds <= 4e9) {
        const offset = Math.round(seconds * 1000 - ctx.started);
        templates[name] = { $tpl: `{{now ${offset} "epoch-s"}}` };
        note('epoch', `epoch seconds, ${offset} ms from the request`);
        continue;
      }
    }
    if ((REQUEST_ID_HEADERS.test(name) || varying.has(name)) && value.length >= 8) {
      if (UUID.test(value)) {
        templates[name] = { $tpl: '{{uuid}}' };
        note(
          'uuid',
          REQUEST_ID_HEADERS.test(name) ? 'per-response request id' : 'UUID that differs between recordings',
        );
        continue;
      }
      if (REQUEST_ID_HEADERS.test(name) && /^[\x21-\x7e]+$/.test(value)) {
        const shape = hbsString(maskShape(value));
        if (shape === undefined) continue;
        templates[name] = { $tpl: `{{opaque ${shape}}}` };
        note('id', 'per-response request id: fresh value of the same shape');
      }
    }
  }
  return { templates, fields: sortFields(fields) };
}

function echoedHeader(requestHeaders: Map<string, string>, name: string, value: string): string | undefined {
  if (requestHeaders.get(name) === value && name !== 'authorization' && name !== 'cookie') return name;
  for (const [reqName, reqValue] of requestHeaders)
    if (reqValue === value && isEchoHeader(reqName)) return reqName;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Value classifiers (shared with value-pools.ts)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `now` helper format of a timestamp string, and its instant. */
export function timestampFormat(
  value: string,
): { format: 'iso' | 'iso-seconds' | 'date' | 'http-date'; ms: number } | undefined {
  let format: 'iso' | 'iso-seconds' | 'date' | 'http-date' | undefined;
  const iso = ISO_DATE_TIME.exec(value);
  if (iso) format = iso[1] ? 'iso' : 'iso-seconds';
  else if (ISO_DATE.test(value)) format = 'date';
  else if (HTTP_DATE.test(value)) format = 'http-date';
  if (!format) return undefined;
  const ms = Date.parse(format === 'date' ? `${value}T00:00:00Z` : value);
  return Number.isFinite(ms) ? { format, ms } : undefined;
}

function epochFormat(value: number, key: string): 'epoch-s' | 'epoch-ms' | undefined {
  if (!Number.isInteger(value) || !isTimestampName(key)) return undefined;
  if (value >= 1e9 && value <= 4e9) return 'epoch-s';
  if (value >= 1e12 && value <= 4e12) return 'epoch-ms';
  return undefined;
}

function jwtLifetime(payload: Record<string, unknown>, started: number): number {
  const { exp, iat } = payload;
  if (typeof exp === 'number' && typeof iat === 'number' && exp > iat) return Math.round(exp - iat);
  if (typeof exp === 'number' && Number.isFinite(started)) {
    const left = Math.round(exp - started / 1000);
    if (left > 0) return left;
  }
  return 3600;
}

function looksLikeToken(value: string, minLength: number): boolean {
  return (
    value.length >= minLength && value.length <= 4096 && /^[\x21-\x7e]+$/.test(value) && !value.includes('"')
  );
}

/** Shannon entropy ≥ 3 bits per character and at least two character classes. */
function highEntropy(value: string): boolean {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return bits >= 3 && classes >= 2;
}

/**
 * The recorded token with its secret part replaced, character class by character class, by
 * deterministic pseudo-random characters: the same shape (prefix, length, alphabet), no secret.
 */
export function maskShape(value: string): string {
  const prefix = /^(?:[A-Za-z][A-Za-z0-9]{0,9}[_-]){1,3}/.exec(value)?.[0] ?? '';
  const rest = value.slice(prefix.length);
  const alnum = rest.replace(/[^0-9A-Za-z]/g, '');
  const hex = /^[0-9a-f]+$/.test(alnum) ? 'abcdef' : /^[0-9A-F]+$/.test(alnum) ? 'ABCDEF' : undefined;
  let state = fnv1a(value);
  const next = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  let out = prefix;
  for (const ch of rest) {
    if (/[0-9]/.test(ch)) out += String(next(10));
    else if (/[a-z]/.test(ch)) out += hex === 'abcdef' ? hex[next(6)] : String.fromCharCode(97 + next(26));
    else if (/[A-Z]/.test(ch)) out += hex === 'ABCDEF' ? hex[next(6)] : String.fromCharCode(65 + next(26));
    else out += ch;
  }
  return out;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}

/** A Handlebars string literal for `text`, or undefined when it cannot be written as one. */
function hbsString(text: string): string | undefined {
  if (text.endsWith('\\')) return undefined;
  return `"${text.replace(/"/g, '\\"')}"`;
}

// ---------------------------------------------------------------------------------------------
// Property-name classifiers (shared with value-pools.ts)

/** Names under which a long high-entropy string is a credential: *_key, code, signature, nonce, … */
function isTokenishName(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1];
  return [
    'key',
    'code',
    'signature',
    'nonce',
    'ticket',
    'credential',
    'credentials',
    'cookie',
    'auth',
  ].includes(last ?? '');
}

function isIdName(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1];
  return last === 'id' || last === 'uuid' || last === 'guid' || last === 'ref' || last === 'reference';
}

const TIMESTAMP_LAST = new Set([
  'at',
  'time',
  'timestamp',
  'ts',
  'date',
  'datetime',
  'on',
  'created',
  'updated',
  'modified',
  'deleted',
  'expires',
  'expiry',
  'expiration',
  'iat',
  'exp',
  'nbf',
  'since',
  'until',
  'deadline',
]);
const NOT_TIMESTAMP_LAST = new Set([
  'id',
  'ids',
  'count',
  'number',
  'name',
  'names',
  'size',
  'index',
  'version',
  'type',
  'url',
  'status',
]);
const TIMESTAMP_FIRST = new Set(['created', 'updated', 'modified', 'expires', 'issued', 'last', 'deleted']);

/** created, updated_at, expiresAt, iat, exp, timestamp, last_login, … (not birth dates) */
export function isTimestampName(key: string): boolean {
  const w = words(key);
  if (w.length === 0 || w.some((x) => x === 'birth' || x === 'dob' || x === 'birthday' || x === 'birthdate'))
    return false;
  if (w.length === 1 && (w[0] === 'in' || w[0] === 'on' || w[0] === 'at')) return false;
  if (NOT_TIMESTAMP_LAST.has(w[w.length - 1])) return false;
  return TIMESTAMP_LAST.has(w[w.length - 1]) || TIMESTAMP_FIRST.has(w[0]);
}

/** expires_in, ttl, max_age, refresh_expires_in, … */
function isDurationName(key: string): boolean {
  const n = normalName(key);
  if (['ttl', 'maxage', 'lifetime', 'validfor', 'expiresin'].includes(n)) return true;
  const w = words(key);
  return w.length >= 2 && w[w.length - 1] === 'in';
}

function isPlainName(name: string): boolean {
  return name !== '' && !/["\\{}\s]/.test(name);
}

function isPlainPathSegment(segment: string): boolean {
  return isPlainName(segment) && !segment.includes('.');
}

function lastLiteral(path: string): string {
  const literals = splitSegments(path).filter((s) => !s.includes('{'));
  return literals[literals.length - 1] ?? '';
}

function sortFields(fields: DynamicField[]): DynamicField[] {
  return fields.sort(
    (a, b) =>
      compare(a.operation, b.operation) ||
      compare(a.pointer, b.pointer) ||
      compare(a.kind, b.kind) ||
      compare(a.reason, b.reason),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
