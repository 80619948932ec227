/**
 * Schema views shared by the generator, drift and the emitted server: the `$defs` a schema needs
 * (`selfContained`), and a schema flattened for walking one value (`viewSchema`).
 */
import type { Defs, JsonSchema } from './types';
import { deepEqual, isRecord, jsonType } from './json';
import { defName } from './pointer';

/** Names of the `$defs` a schema reaches through `$ref`, transitively. */
export function reachableDefs(schema: JsonSchema, defs: Defs): string[] {
  const seen = new Set<string>();
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) {
      for (const item of node) queue.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const name = key === '$ref' && typeof value === 'string' ? defName(value) : undefined;
        if (name !== undefined) {
          if (!seen.has(name) && name in defs) {
            seen.add(name);
            queue.push(defs[name]);
          }
        } else if (typeof value === 'object') {
          queue.push(value);
        }
      }
    }
  }
  return [...seen].sort();
}

/** The schema with exactly the `$defs` it needs, ready for Ajv or json-schema-faker. */
export function selfContained(schema: JsonSchema, defs: Defs): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  const names = reachableDefs(schema, defs);
  if (names.length === 0) return schema;
  const own: Defs = {};
  for (const name of names) own[name] = defs[name];
  return { ...schema, $defs: { ...(schema.$defs as Defs | undefined), ...own } };
}

// ---------------------------------------------------------------------------------------------
// Views: a schema flattened for walking one value (the generator's dynamic fields, value pools, resources)

/** Nesting followed by a view before it gives up (recursive schemas). */
const VIEW_MAX_DEPTH = 64;

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
  if (!isRecord(schema) || depth > VIEW_MAX_DEPTH) return;
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
    score += view.enumValues.some((e) => deepEqual(e, value)) ? 10 : -100;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      const prop = view.properties.get(key);
      if (prop) {
        score += 2;
        // a discriminator-like property (const/single enum) decides
        const sub = viewSchema(prop.schema, defs, undefined);
        if (sub.enumValues?.length === 1) score += deepEqual(sub.enumValues[0], value[key]) ? 20 : -100;
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

/**
 * Where a chain of `#/$defs/<name>` references ends (at most `maxHops` followed): the schema itself when
 * it is no such reference, undefined when a named schema is missing.
 */
export function followDefRefs(schema: unknown, defs: Defs | undefined, maxHops = 16): unknown {
  let node = schema;
  for (let i = 0; i < maxHops && isRecord(node) && typeof node.$ref === 'string'; i++) {
    const name = defName(node.$ref);
    if (name === undefined) break;
    node = defs !== undefined && Object.prototype.hasOwnProperty.call(defs, name) ? defs[name] : undefined;
  }
  return node;
}
