/**
 * Request parameters: raw query/cookie parsing and OpenAPI deserialisation per `style`/`explode`
 * (path: simple, label, matrix; query: form, spaceDelimited, pipeDelimited, tabDelimited,
 * deepObject; header: simple; cookie: form), plus `content`-encoded parameters (JSON).
 * Values come out as strings / string arrays / objects of strings; type coercion to the schema
 * (integers, booleans...) is Ajv's job in validate-request.ts.
 */
import type { Defs, JsonSchema, ParameterData } from './core/types';

/**
 * Header parameters not checked against the contract: the three OpenAPI says to ignore (described
 * elsewhere in the contract); transport headers HTTP client stacks set themselves (fetch sends
 * `Accept-Encoding: gzip, deflate` whatever an operation's `Accept-Encoding` parameter allows;
 * corpus: conjur); and the negotiation preferences that, like Accept, are lists a server picks from
 * (fetch sends `Accept-Language: *`, browsers `en-US,en;q=0.9`; corpus: evetech documents an enum).
 * Shared with the drift checker (src/drift/params.ts).
 */
const IGNORED_HEADERS = new Set([
  'accept',
  'content-type',
  'authorization',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'transfer-encoding',
  'upgrade',
]);

export function isIgnoredHeader(name: string): boolean {
  return IGNORED_HEADERS.has(name.toLowerCase());
}

export type ParamShape = 'primitive' | 'array' | 'object';

/** What deserialisation reads from the request. */
export interface RawParameters {
  /** percent-decoded path parameters from the router */
  pathParams: Record<string, string>;
  /** decoded query pairs, in order */
  query: [string, string][];
  /** lower-case header names */
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string>;
}

/** Marks a parameter whose raw value could not be decoded (e.g. invalid JSON in a `content` parameter). */
export class ParameterDecodeError extends Error {}

/** `a=1&b=x%20y&b=z` → `[['a','1'],['b','x y'],['b','z']]`; `+` is a space; bad escapes are kept as sent. */
export function parseQuery(search: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (search === '') return pairs;
  let start = 0;
  while (start <= search.length) {
    let end = search.indexOf('&', start);
    if (end < 0) end = search.length;
    if (end > start) {
      const part = search.slice(start, end);
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      pairs.push([decodeComponent(name), decodeComponent(value)]);
    }
    start = end + 1;
  }
  return pairs;
}

/** Decodes a query component (`+` = space); a malformed escape leaves the text as sent. */
export function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `Cookie: a=1; b="x"` → `{a: '1', b: 'x'}` (first occurrence wins, values percent-decoded). */
export function parseCookies(header: string | string[] | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (header === undefined) return cookies;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || name === '__proto__' || Object.prototype.hasOwnProperty.call(cookies, name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies[name] = decodeCookieValue(value);
  }
  return cookies;
}

function decodeCookieValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Array, object or primitive, looking through `$ref`s and combinators. */
export function schemaShape(schema: JsonSchema | undefined, defs: Defs, depth = 0): ParamShape {
  if (schema === undefined || typeof schema === 'boolean' || depth > 16) return 'primitive';
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const name = ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~');
    const target = defs[name];
    if (target !== undefined) return schemaShape(target, defs, depth + 1);
  }
  const type = schema.type;
  const types = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  if (types.includes('array')) return 'array';
  if (types.includes('object')) return 'object';
  if (types.length > 0) return 'primitive';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return 'object';
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const member of members) {
      const shape = schemaShape(member as JsonSchema, defs, depth + 1);
      if (shape !== 'primitive') return shape;
    }
  }
  return 'primitive';
}

/** Property names a schema declares (through `$ref` and `allOf`), for form-exploded objects. */
export function declaredProperties(schema: JsonSchema | undefined, defs: Defs, depth = 0): string[] {
  if (schema === undefined || typeof schema === 'boolean' || depth > 16) return [];
  const names: string[] = [];
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    names.push(...declaredProperties(defs[ref.slice('#/$defs/'.length)], defs, depth + 1));
  }
  if (schema.properties && typeof schema.properties === 'object')
    names.push(...Object.keys(schema.properties));
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const members = schema[key];
    if (Array.isArray(members)) {
      for (const m of members) names.push(...declaredProperties(m as JsonSchema, defs, depth + 1));
    }
  }
  return names;
}

/** Everything deserialisation needs to know about one parameter, computed once per operation. */
export interface PreparedParameter {
  param: ParameterData;
  shape: ParamShape;
  /** form-exploded object parameters: the query names that belong to it (undefined = every unclaimed name) */
  properties?: string[];
}

export function prepareParameter(param: ParameterData, defs: Defs): PreparedParameter {
  const shape = param.contentType ? 'primitive' : schemaShape(param.schema, defs);
  const prepared: PreparedParameter = { param, shape };
  if (
    shape === 'object' &&
    param.in === 'query' &&
    param.explode &&
    (param.style === 'form' || !param.style)
  ) {
    const props = declaredProperties(param.schema, defs);
    const schema = param.schema;
    const open =
      typeof schema === 'object' &&
      schema.additionalProperties !== undefined &&
      schema.additionalProperties !== false;
    prepared.properties = props.length > 0 && !open ? props : undefined;
  }
  return prepared;
}

/**
 * The deserialised value of one parameter, or undefined when the request does not carry it.
 * `claimed`: the query names of the operation's other query parameters (form-exploded objects
 * without declared properties take every other pair).
 */
export function readParameter(
  prepared: PreparedParameter,
  raw: RawParameters,
  claimed?: Set<string>,
): unknown {
  const { param } = prepared;
  switch (param.in) {
    case 'path': {
      const value = raw.pathParams[param.name];
      return value === undefined ? undefined : decodeParam(prepared, deserializePath(prepared, value));
    }
    case 'query':
      return readQuery(prepared, raw.query, claimed);
    case 'header': {
      const value = raw.headers[param.name.toLowerCase()];
      if (value === undefined) return undefined;
      const text = Array.isArray(value) ? value.join(',') : value;
      return decodeParam(prepared, deserializeSimple(prepared, text, true));
    }
    case 'cookie': {
      const value = raw.cookies[param.name];
      return value === undefined ? undefined : decodeParam(prepared, deserializeCookie(prepared, value));
    }
    default:
      return undefined;
  }
}

/** `content`-encoded parameters carry JSON (or text for other media types). */
function decodeParam(prepared: PreparedParameter, value: unknown): unknown {
  const contentType = prepared.param.contentType;
  if (!contentType || typeof value !== 'string') return value;
  if (!/json/i.test(contentType)) return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ParameterDecodeError(`must be valid JSON (${contentType})`);
  }
}

function splitList(text: string, separator: string | RegExp, trim = false): string[] {
  if (text === '') return [];
  const parts = text.split(separator);
  return trim ? parts.map((p) => p.trim()) : parts;
}

function pairsToObject(items: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) if (items[i] !== '__proto__') object[items[i]] = items[i + 1];
  return object;
}

function assignmentsToObject(items: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (key !== '__proto__') object[key] = eq < 0 ? '' : item.slice(eq + 1);
  }
  return object;
}

/** simple style (path default, headers): `a,b,c`; objects `k,v,k,v` or exploded `k=v,k=v`. */
function deserializeSimple(prepared: PreparedParameter, text: string, trim: boolean): unknown {
  if (prepared.param.contentType) return text;
  switch (prepared.shape) {
    case 'array':
      return splitList(text, ',', trim);
    case 'object':
      return prepared.param.explode
        ? assignmentsToObject(splitList(text, ',', trim))
        : pairsToObject(splitList(text, ',', trim));
    default:
      return trim ? text.trim() : text;
  }
}

function deserializePath(prepared: PreparedParameter, text: string): unknown {
  const { style, explode, name } = prepared.param;
  if (prepared.param.contentType) return text;
  if (style === 'label') {
    const body = text.startsWith('.') ? text.slice(1) : text;
    if (prepared.shape === 'primitive') return body;
    const items = splitList(body, explode ? '.' : ',');
    if (prepared.shape === 'array') return items;
    return explode ? assignmentsToObject(items) : pairsToObject(items);
  }
  if (style === 'matrix') {
    const body = text.startsWith(';') ? text.slice(1) : text;
    if (prepared.shape === 'object' && explode) return assignmentsToObject(splitList(body, ';'));
    const assignments = splitList(body, ';');
    if (prepared.shape === 'array' && explode) {
      return assignments.map((a) => (a.startsWith(`${name}=`) ? a.slice(name.length + 1) : a));
    }
    const first = assignments[0] ?? '';
    const value = first.startsWith(`${name}=`) ? first.slice(name.length + 1) : first === name ? '' : first;
    if (prepared.shape === 'primitive') return value;
    const items = splitList(value, ',');
    return prepared.shape === 'array' ? items : pairsToObject(items);
  }
  return deserializeSimple(prepared, text, false);
}

function deserializeCookie(prepared: PreparedParameter, text: string): unknown {
  if (prepared.param.contentType) return text;
  if (prepared.shape === 'array') return splitList(text, ',');
  if (prepared.shape === 'object') return pairsToObject(splitList(text, ','));
  return text;
}

const DELIMITERS: Record<string, string> = { spaceDelimited: ' ', pipeDelimited: '|', tabDelimited: '\t' };

function readQuery(prepared: PreparedParameter, query: [string, string][], claimed?: Set<string>): unknown {
  const { param, shape } = prepared;
  const name = param.name;
  if (param.contentType) {
    const pair = query.find((p) => p[0] === name);
    return pair === undefined ? undefined : decodeParam(prepared, pair[1]);
  }
  if (param.style === 'deepObject' && shape !== 'array') return readDeepObject(name, query);
  if (shape === 'object' && param.explode) {
    // form, exploded: each property is its own query parameter
    const object: Record<string, unknown> = {};
    let found = false;
    const wanted = prepared.properties;
    for (const [key, value] of query) {
      if (wanted ? !wanted.includes(key) : key === name || claimed?.has(key)) continue;
      found = true;
      addValue(object, key, value);
    }
    return found ? object : undefined;
  }
  const values: string[] = [];
  for (const pair of query) {
    // arrays also as `ids[]=1&ids[]=2` / `ids[0]=1` (axios, qs, PHP, Rails), which many clients send
    if (pair[0] === name || (shape === 'array' && isIndexedName(pair[0], name))) values.push(pair[1]);
  }
  if (values.length === 0) return undefined;
  const delimiter = DELIMITERS[param.style] ?? ',';
  if (shape === 'array') {
    // exploded: one pair per item; not exploded: one delimited value (several pairs are tolerated)
    if (param.explode) return values;
    return values.flatMap((v) => splitList(v, delimiter));
  }
  if (shape === 'object') return pairsToObject(splitList(values[0], delimiter));
  return values[0];
}

function isIndexedName(key: string, name: string): boolean {
  return key.length > name.length + 1 && key.startsWith(name) && /^\[\d*\]$/.test(key.slice(name.length));
}

function addValue(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') return;
  if (!Object.prototype.hasOwnProperty.call(object, key)) object[key] = value;
  else if (Array.isArray(object[key])) (object[key] as unknown[]).push(value);
  else object[key] = [object[key], value];
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** deepObject: `filter[status]=open&filter[owner][login]=octocat&filter[tags][]=a` → nested objects. */
function readDeepObject(name: string, query: [string, string][]): unknown {
  const root: Record<string, unknown> = {};
  let found = false;
  const prefix = `${name}[`;
  for (const [key, value] of query) {
    if (!key.startsWith(prefix)) continue;
    const path: string[] = [];
    const re = /\[([^\]]*)\]/g;
    let rest = key.slice(name.length);
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(rest)) !== null && m.index === consumed) {
      path.push(m[1]);
      consumed = m.index + m[0].length;
    }
    rest = rest.slice(consumed);
    if (path.length === 0 || rest !== '' || path.some((p) => UNSAFE_KEYS.has(p))) continue;
    const appendToArray = path[path.length - 1] === '';
    const keys = appendToArray ? path.slice(0, -1) : path;
    if (keys.length === 0 || keys.includes('')) continue;
    found = true;
    let node = root;
    for (const segment of keys.slice(0, -1)) {
      let next = node[segment];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        next = {};
        node[segment] = next;
      }
      node = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (appendToArray) {
      const existing = node[last];
      node[last] = Array.isArray(existing)
        ? [...existing, value]
        : existing === undefined
          ? [value]
          : [existing, value];
    } else {
      addValue(node, last, value);
    }
  }
  if (!found) return undefined;
  for (const key of Object.keys(root)) root[key] = indexedObjectsToArrays(root[key]);
  return root;
}

/** `{0: a, 1: b}` (from `x[0]=a&x[1]=b`) → `[a, b]`, recursively. */
export function indexedObjectsToArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(indexedObjectsToArrays);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (const key of keys) object[key] = indexedObjectsToArrays(object[key]);
  if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d{0,5})$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => object[String(k)]);
  }
  return object;
}
