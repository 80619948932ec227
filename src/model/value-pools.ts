/**
 * Values seen in recorded responses, learnt per schema property, so generated data looks like
 * production (`#/$defs/<name>/<property>` and bare `<property>` keys, see `ValuePools`).
 *
 * Also home of the small "walk a value alongside its schema" helpers that dynamic.ts and
 * resources.ts share: `$ref` following, `allOf` merging and best-fit `oneOf`/`anyOf` branches.
 */
import { isJsonOrAnyMediaType } from '../../templates/runtime/core/media-types';
import type {
  Contract,
  Defs,
  JsonSchema,
  MatchedExchange,
  MediaTypeSpec,
  Operation,
  ValuePools,
} from './types';
import { isRecord, jsonType, stableStringify } from '../../templates/runtime/core/json';
import { isJwt } from '../../templates/runtime/core/jwt';
import { isRequestIdName, isSecretName, isTokenName } from '../../templates/runtime/core/names';
import { defName, DEFS_PREFIX } from '../../templates/runtime/core/pointer';

/** distinct values kept per key */
export const POOL_CAP = 50;
/** longer strings are prose or blobs, not values worth replaying into generated data */
const MAX_POOLED_STRING = 500;
const MAX_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Schema views

export interface PropertyView {
  schema: JsonSchema;
  /** the named definition that declares the property, when it is one */
  declaredIn?: string;
}

/** A schema flattened for walking one value: `$ref`s followed, `allOf` merged, the best-fitting `oneOf`/`anyOf` branch merged. */
export interface SchemaView {
  /** named definitions the schema came through, outermost first */
  names: string[];
  types: Set<string>;
  properties: Map<string, PropertyView>;
  required: Set<string>;
  patternProperties: [RegExp, JsonSchema][];
  additional?: JsonSchema;
  items?: JsonSchema;
  prefixItems: JsonSchema[];
  /** values allowed by `enum`/`const` (static by definition) */
  enumValues?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  examples: unknown[];
  /** false when the schema says nothing (no keywords that constrain) */
  known: boolean;
}

function emptyView(): SchemaView {
  return {
    names: [],
    types: new Set(),
    properties: new Map(),
    required: new Set(),
    patternProperties: [],
    prefixItems: [],
    examples: [],
    known: false,
  };
}

export function refName(schema: unknown): string | undefined {
  if (!isRecord(schema)) return undefined;
  return typeof schema.$ref === 'string' ? defName(schema.$ref) : undefined;
}

/**
 * Flattens `schema` for `value` (which picks `oneOf`/`anyOf` branches; pass `undefined` to merge
 * none of them). Cycles through `$ref`/`allOf` are cut.
 */
export function viewSchema(schema: JsonSchema | undefined, defs: Defs, value?: unknown): SchemaView {
  if (!isRecord(schema)) return emptyView();
  // views that do not depend on the value (no union was chosen from) are cached: walking big
  // recordings looks up the same schemas again and again
  let caches = viewCache.get(defs);
  if (!caches) viewCache.set(defs, (caches = { plain: new WeakMap(), noValue: new WeakMap() }));
  const cached = caches.plain.get(schema) ?? (value === undefined ? caches.noValue.get(schema) : undefined);
  if (cached) return cached;
  const view = emptyView();
  const state = { valueDependent: false };
  mergeInto(view, schema, defs, value, new Set(), undefined, 0, state);
  if (!state.valueDependent) caches.plain.set(schema, view);
  else if (value === undefined) caches.noValue.set(schema, view);
  return view;
}

/** Shared views: callers must not modify them. */
const viewCache = new WeakMap<
  Defs,
  { plain: WeakMap<object, SchemaView>; noValue: WeakMap<object, SchemaView> }
>();

function mergeInto(
  view: SchemaView,
  schema: JsonSchema | undefined,
  defs: Defs,
  value: unknown,
  visiting: Set<string>,
  declaredIn: string | undefined,
  depth: number,
  state: { valueDependent: boolean },
): void {
  if (!isRecord(schema) || depth > MAX_DEPTH) return;
  const name = refName(schema);
  if (name !== undefined) {
    if (visiting.has(name) || !(name in defs)) return;
    visiting.add(name);
    view.names.push(name);
    mergeInto(view, defs[name], defs, value, visiting, name, depth + 1, state);
    visiting.delete(name);
  }
  const type = schema.type;
  if (typeof type === 'string') view.types.add(type);
  else if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') view.types.add(t);
  if (isRecord(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (!view.properties.has(key)) view.properties.set(key, { schema: sub as JsonSchema, declaredIn });
    }
  }
  if (Array.isArray(schema.required))
    for (const r of schema.required) if (typeof r === 'string') view.required.add(r);
  if (isRecord(schema.patternProperties)) {
    for (const [source, sub] of Object.entries(schema.patternProperties)) {
      const re = safeRegex(source);
      if (re) view.patternProperties.push([re, sub as JsonSchema]);
    }
  }
  if (schema.additionalProperties !== undefined && view.additional === undefined) {
    view.additional = schema.additionalProperties as JsonSchema;
  }
  if (schema.items !== undefined && view.items === undefined && !Array.isArray(schema.items)) {
    view.items = schema.items as JsonSchema;
  }
  if (Array.isArray(schema.prefixItems) && view.prefixItems.length === 0)
    view.prefixItems = schema.prefixItems;
  if (Array.isArray(schema.enum)) view.enumValues = schema.enum;
  if ('const' in schema) view.enumValues = [schema.const];
  if (typeof schema.format === 'string' && view.format === undefined) view.format = schema.format;
  if (typeof schema.pattern === 'string' && view.pattern === undefined) view.pattern = schema.pattern;
  if (typeof schema.maxLength === 'number' && view.maxLength === undefined) view.maxLength = schema.maxLength;
  if ('example' in schema) view.examples.push(schema.example);
  if (Array.isArray(schema.examples)) view.examples.push(...schema.examples);
  if ('default' in schema) view.examples.push(schema.default);
  if (
    view.types.size > 0 ||
    view.properties.size > 0 ||
    view.items !== undefined ||
    view.enumValues !== undefined ||
    view.format !== undefined
  ) {
    view.known = true;
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf)
      mergeInto(view, part as JsonSchema, defs, value, visiting, undefined, depth + 1, state);
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    state.valueDependent = true;
    if (value === undefined) continue;
    const best = bestBranch(branches as JsonSchema[], defs, value);
    if (best !== undefined) mergeInto(view, best, defs, value, visiting, undefined, depth + 1, state);
  }
}

/** The branch of a `oneOf`/`anyOf` that fits `value` best (first one on ties). */
export function bestBranch(branches: JsonSchema[], defs: Defs, value: unknown): JsonSchema | undefined {
  let best: JsonSchema | undefined;
  let bestScore = -Infinity;
  for (const branch of branches) {
    const score = fitScore(viewSchema(branch, defs, value), value, defs);
    if (score > bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function fitScore(view: SchemaView, value: unknown, defs: Defs): number {
  let score = 0;
  if (view.types.size > 0) {
    const t = jsonType(value);
    const ok = view.types.has(t) || (t === 'integer' && view.types.has('number'));
    score += ok ? 5 : -100;
  }
  if (view.enumValues !== undefined) {
    score += view.enumValues.some((e) => sameJson(e, value)) ? 10 : -100;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      const prop = view.properties.get(key);
      if (prop) {
        score += 2;
        // a discriminator-like property (const/single enum) decides
        const sub = viewSchema(prop.schema, defs, undefined);
        if (sub.enumValues?.length === 1) score += sameJson(sub.enumValues[0], value[key]) ? 20 : -100;
      } else if (view.additional === false) {
        score -= 5;
      } else {
        score -= 1;
      }
    }
    for (const r of view.required) if (!(r in value)) score -= 3;
  }
  return score;
}

/** Schema of property `key` of an object described by `view`. */
export function propertySchema(view: SchemaView, key: string): JsonSchema | undefined {
  const prop = view.properties.get(key);
  if (prop) return prop.schema;
  for (const [re, schema] of view.patternProperties) if (re.test(key)) return schema;
  if (view.additional !== undefined && view.additional !== false) return view.additional;
  return undefined;
}

/** Schema of item `index` of an array described by `view`. */
export function itemSchema(view: SchemaView, index: number): JsonSchema | undefined {
  return view.prefixItems[index] ?? view.items;
}

// ---------------------------------------------------------------------------------------------
// Documented response schemas

/** The documented response media for a recorded status and media type: exact code, then `2XX`, then `default`. */
export function responseMedia(op: Operation, status: number, mediaType: string): MediaTypeSpec | undefined {
  const code = String(status);
  const range = `${code[0]}XX`;
  const response =
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === range) ??
    op.responses.find((r) => r.status === 'default');
  if (!response) return undefined;
  return pickMedia(response.content, mediaType);
}

export function pickMedia(content: MediaTypeSpec[], mediaType: string): MediaTypeSpec | undefined {
  return (
    content.find((c) => c.mediaType === mediaType) ??
    content.find((c) => isJsonOrAnyMediaType(c.mediaType) && c.mediaType !== '*/*') ??
    content.find((c) => c.mediaType === '*/*') ??
    content[0]
  );
}

/** Schema documented for the response of a matched exchange (undefined when none). */
export function responseSchemaOf(m: MatchedExchange): JsonSchema | undefined {
  const body = m.exchange.response.body;
  return responseMedia(m.op, m.exchange.response.status, body?.mimeType ?? '')?.schema;
}

// ---------------------------------------------------------------------------------------------
// Value pools

/**
 * Learns value pools from recorded JSON response bodies, walked alongside their documented schema.
 * Strings and numbers are kept (distinct, first seen first, at most `POOL_CAP` per key); secrets,
 * tokens, JWTs and per-response ids are not. Keys are sorted.
 */
export function learnValuePools(contract: Contract, matched: MatchedExchange[]): ValuePools {
  const pools = new Map<string, { values: unknown[]; seen: Set<string> }>();
  const add = (key: string, value: unknown): void => {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { values: [], seen: new Set() }));
    if (pool.values.length >= POOL_CAP) return;
    const id = typeof value === 'string' ? `s${value}` : `n${String(value)}`;
    if (pool.seen.has(id)) return;
    pool.seen.add(id);
    pool.values.push(value);
  };

  const walk = (value: unknown, schema: JsonSchema | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const view = viewSchema(schema, contract.schemas, value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isRecord(item) || Array.isArray(item)) walk(item, itemSchema(view, i), depth + 1);
      });
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = propertySchema(view, key);
      if (isRecord(child) || Array.isArray(child)) {
        walk(child, childSchema, depth + 1);
        continue;
      }
      if (!poolable(key, child)) continue;
      const owners = new Set<string>();
      if (view.names.length > 0) owners.add(view.names[0]);
      const declaredIn = view.properties.get(key)?.declaredIn;
      if (declaredIn !== undefined) owners.add(declaredIn);
      for (const owner of owners) add(`${DEFS_PREFIX}${owner}/${key}`, child);
      add(key, child);
    }
  };

  for (const m of matched) {
    const body = m.responseBody;
    if (!isRecord(body) && !Array.isArray(body)) continue;
    if (m.exchange.failed) continue;
    walk(body, responseSchemaOf(m), 0);
  }

  const out: ValuePools = {};
  for (const key of [...pools.keys()].sort()) out[key] = pools.get(key)!.values;
  return out;
}

function poolable(key: string, value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !isTokenName(key) && !isSecretName(key);
  if (typeof value !== 'string') return false;
  if (value.length === 0 || value.length > MAX_POOLED_STRING) return false;
  if (isTokenName(key) || isSecretName(key) || isRequestIdName(key)) return false;
  if (isJwt(value)) return false;
  if (/^(?:bearer|basic)\s/i.test(value)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Small shared helpers

export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || stableStringify(a) === stableStringify(b);
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch {
      return undefined;
    }
  }
}
