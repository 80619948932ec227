import { isIgnoredHeader } from '../../templates/runtime/params';
import type { Defs, Exchange, JsonSchema, Parameter } from '../model/types';

/**
 * Turns recorded parameter strings into typed values the parameter schema can check, following the
 * OpenAPI serialisation styles (simple, form, label, matrix, space/pipe/tab-delimited, deepObject,
 * `content` parameters as JSON).
 */

type SchemaObject = { [keyword: string]: unknown };

export type ParamValue =
  { present: false } | { present: true; value: unknown; raw: string; styleError?: string };

/** Header parameters not checked (OpenAPI's three, and transport headers clients set themselves). */
export function isIgnoredHeaderParameter(param: Parameter): boolean {
  return param.in === 'header' && isIgnoredHeader(param.name);
}

/** The schema with top-level `$ref`s followed (enough to decide how to coerce). */
export function resolveSchema(schema: JsonSchema, defs: Defs, depth = 0): SchemaObject {
  if (typeof schema !== 'object') return {};
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/') && depth < 32) {
    const name = schema.$ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~');
    const target = defs[name];
    if (target !== undefined) {
      const resolved = resolveSchema(target, defs, depth + 1);
      const { $ref: _ref, ...siblings } = schema;
      return Object.keys(siblings).length > 0 ? { ...resolved, ...siblings } : resolved;
    }
  }
  return schema;
}

/** Types a value of this schema may have (union of branches); empty when unconstrained. */
const typesCache = new WeakMap<object, Set<string>>();

export function schemaTypes(schema: JsonSchema, defs: Defs): ReadonlySet<string> {
  if (typeof schema !== 'object') return new Set();
  let types = typesCache.get(schema);
  if (!types) typesCache.set(schema, (types = collectTypes(schema, defs, 0)));
  return types;
}

function collectTypes(schema: JsonSchema, defs: Defs, depth: number): Set<string> {
  const types = new Set<string>();
  const s = resolveSchema(schema, defs);
  if (s.type !== undefined) for (const t of ([] as unknown[]).concat(s.type)) types.add(String(t));
  else if (depth < 8) {
    for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
      const branches = s[keyword];
      if (Array.isArray(branches))
        for (const b of branches)
          for (const t of collectTypes(b as JsonSchema, defs, depth + 1)) types.add(t);
    }
    if (types.size === 0) {
      if (s.properties !== undefined) types.add('object');
      else if (s.items !== undefined) types.add('array');
    }
  }
  return types;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A single string coerced to the primitive type the schema wants; unchanged when it does not fit. */
export function coerceScalar(raw: string, schema: JsonSchema, defs: Defs): unknown {
  const types = schemaTypes(schema, defs);
  if (types.size === 0 || types.has('string')) return raw;
  if ((types.has('integer') || types.has('number')) && NUMBER.test(raw)) return Number(raw);
  if (types.has('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (types.has('null') && (raw === 'null' || raw === '')) return null;
  if ((types.has('object') || types.has('array')) && /^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

function itemSchema(schema: SchemaObject): JsonSchema {
  return (schema.items as JsonSchema | undefined) ?? true;
}

function propertySchema(schema: SchemaObject, name: string): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties && Object.prototype.hasOwnProperty.call(properties, name)) return properties[name];
  const additional = schema.additionalProperties;
  return typeof additional === 'object' ? (additional as JsonSchema) : true;
}

const DELIMITERS: Record<string, string> = {
  form: ',',
  simple: ',',
  spaceDelimited: ' ',
  pipeDelimited: '|',
  tabDelimited: '\t',
};

/** Coerce a list of raw strings (array parameter) or one joined string per style. */
function toArray(values: string[], param: Parameter, schema: SchemaObject, defs: Defs): unknown[] {
  const delimiter = DELIMITERS[param.style] ?? ',';
  const parts =
    values.length === 1 && !(param.explode && param.style === 'form')
      ? splitList(values[0], delimiter)
      : values.flatMap((v) => (param.explode ? [v] : splitList(v, delimiter)));
  return parts.map((part) => coerceScalar(part, itemSchema(schema), defs));
}

function splitList(value: string, delimiter: string): string[] {
  if (value === '') return [];
  if (delimiter === ' ') return value.split(/ |%20/);
  return value.split(delimiter);
}

/** `k,v,k,v` (explode false) or `k=v,k=v` (explode true) into an object. */
function toObject(
  value: string,
  explode: boolean,
  delimiter: string,
  schema: SchemaObject,
  defs: Defs,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const parts = splitList(value, delimiter);
  if (explode) {
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq < 0) return undefined;
      const key = part.slice(0, eq);
      out[key] = coerceScalar(part.slice(eq + 1), propertySchema(schema, key), defs);
    }
  } else {
    if (parts.length % 2 !== 0) return undefined;
    for (let i = 0; i < parts.length; i += 2)
      out[parts[i]] = coerceScalar(parts[i + 1], propertySchema(schema, parts[i]), defs);
  }
  return out;
}

function fromContent(raw: string, param: Parameter): { value: unknown; styleError?: string } {
  if (param.contentType && /json/.test(param.contentType)) {
    try {
      return { value: JSON.parse(raw) };
    } catch {
      return { value: raw, styleError: `is not valid JSON (${param.contentType})` };
    }
  }
  return { value: raw };
}

/** A serialised single value (path, header, cookie, or non-exploded query) deserialised per style. */
function deserialise(raw: string, param: Parameter, defs: Defs): { value: unknown; styleError?: string } {
  if (param.contentType) return fromContent(raw, param);
  const schema = resolveSchema(param.schema, defs);
  const types = schemaTypes(param.schema, defs);
  let text = raw;
  let explode = param.explode;
  let delimiter = DELIMITERS[param.style] ?? ',';
  if (param.style === 'label') {
    if (!text.startsWith('.')) return { value: raw, styleError: `does not start with '.' (label style)` };
    text = text.slice(1);
    if (explode) delimiter = '.';
  } else if (param.style === 'matrix') {
    const prefix = `;${param.name}`;
    if (!text.startsWith(';')) return { value: raw, styleError: `does not start with ';' (matrix style)` };
    if (types.has('object') && explode) {
      const pairs = text.slice(1).split(';').join(',');
      return { value: toObject(pairs, true, ',', schema, defs) ?? raw };
    }
    if (types.has('array') && explode) {
      const items = text
        .slice(1)
        .split(';')
        .map((part) => part.slice(part.indexOf('=') + 1));
      return { value: items.map((i) => coerceScalar(i, itemSchema(schema), defs)) };
    }
    if (text === prefix) return { value: '' };
    if (!text.startsWith(`${prefix}=`))
      return { value: raw, styleError: `does not start with '${prefix}=' (matrix style)` };
    text = text.slice(prefix.length + 1);
    explode = false;
  }
  if (types.has('array') && !types.has('string'))
    return { value: toArray([text], { ...param, explode: false }, schema, defs) };
  if (types.has('object') && !types.has('string') && !/^[[{]/.test(text)) {
    const object = toObject(text, explode, delimiter, schema, defs);
    return object
      ? { value: object }
      : {
          value: text,
          styleError: `is not a serialised object (${param.style} style${explode ? ', explode' : ''})`,
        };
  }
  return { value: coerceScalar(text, param.schema, defs) };
}

function headerValue(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Cookies as the HAR lists them, or parsed from the Cookie header when the list is empty. */
export function requestCookies(exchange: Exchange): [string, string][] {
  if (exchange.request.cookies.length > 0) return exchange.request.cookies;
  const header = headerValue(exchange.request.headers, 'cookie');
  if (!header) return [];
  return header
    .split(/;\s*/)
    .filter((part) => part.includes('='))
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()]);
}

/** The recorded value of one parameter, deserialised and coerced for its schema. */
export function readParameter(
  param: Parameter,
  exchange: Exchange,
  pathParams: Record<string, string>,
  defs: Defs,
): ParamValue {
  switch (param.in) {
    case 'path': {
      const raw = pathParams[param.name];
      if (raw === undefined) return { present: false };
      return { present: true, raw, ...deserialise(raw, param, defs) };
    }
    case 'header': {
      const raw = headerValue(exchange.request.headers, param.name);
      if (raw === undefined) return { present: false };
      return { present: true, raw, ...deserialise(raw, { ...param, style: 'simple' }, defs) };
    }
    case 'cookie': {
      const found = requestCookies(exchange).find(([name]) => name === param.name);
      if (!found) return { present: false };
      return {
        present: true,
        raw: found[1],
        ...deserialise(found[1], { ...param, style: 'form', explode: false }, defs),
      };
    }
    case 'query':
      return readQuery(param, exchange.request.query, defs);
  }
}

function readQuery(param: Parameter, query: [string, string][], defs: Defs): ParamValue {
  const schema = resolveSchema(param.schema, defs);
  const types = schemaTypes(param.schema, defs);
  const isObject = types.has('object') && !types.has('string') && !param.contentType;
  if (isObject && param.style === 'deepObject') {
    const prefix = `${param.name}[`;
    const pairs = query.filter(([name]) => name.startsWith(prefix));
    if (pairs.length === 0) return { present: false };
    const value: Record<string, unknown> = {};
    for (const [name, raw] of pairs) {
      const key = name.slice(
        prefix.length,
        name.indexOf(']', prefix.length) >= 0 ? name.indexOf(']', prefix.length) : undefined,
      );
      value[key] = coerceScalar(raw, propertySchema(schema, key), defs);
    }
    return { present: true, raw: pairs.map(([n, v]) => `${n}=${v}`).join('&'), value };
  }
  if (isObject && param.style === 'form' && param.explode) {
    // Properties spread over the query: `?color=red&size=L`; present when any documented property is.
    const properties = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    const pairs = query.filter(([name]) => properties.includes(name));
    if (pairs.length === 0) return { present: false };
    const value: Record<string, unknown> = {};
    for (const [name, raw] of pairs) value[name] = coerceScalar(raw, propertySchema(schema, name), defs);
    return { present: true, raw: pairs.map(([n, v]) => `${n}=${v}`).join('&'), value };
  }
  const values = query
    .filter(([name]) => name === param.name || (types.has('array') && name === `${param.name}[]`))
    .map(([, v]) => v);
  if (values.length === 0) return { present: false };
  const raw = values.join(',');
  if (param.contentType) return { present: true, raw, ...fromContent(values[0], param) };
  if (types.has('array') && !types.has('string'))
    return { present: true, raw, value: toArray(values, param, schema, defs) };
  if (values.length > 1) {
    return {
      present: true,
      raw,
      value: values.map((v) => coerceScalar(v, param.schema, defs)),
      styleError: `is repeated ${values.length} times but is not an array`,
    };
  }
  return { present: true, raw, ...deserialise(values[0], { ...param, style: 'form' }, defs) };
}

/** Form fields (urlencoded / multipart) coerced per property schema, so `age=3` checks as a number. */
export function coerceFormFields(
  fields: Record<string, string | string[]>,
  schema: JsonSchema,
  defs: Defs,
): Record<string, unknown> {
  const resolved = resolveSchema(schema, defs);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const sub = propertySchema(resolved, name);
    const types = schemaTypes(sub, defs);
    if (types.has('array') && !types.has('string')) {
      const items = Array.isArray(value) ? value : value.split(',');
      out[name] = items.map((v) => coerceScalar(v, itemSchema(resolveSchema(sub, defs)), defs));
    } else {
      out[name] = Array.isArray(value)
        ? value.map((v) => coerceScalar(v, sub, defs))
        : coerceScalar(value, sub, defs);
    }
  }
  return out;
}
