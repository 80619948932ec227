/** Generation: a value for a shape, depth-first, with hints (property names, pools) for realism. */
import { SchemaCompiler, type ValidateFunction } from '../ajv';
import type { Defs, JsonSchema } from '../types';
import { cloneJson, deepEqual, isRecord, stableStringify } from '../json';
import { typeMatches } from './helpers';
import {
  DEFAULT_EXTRA_ITEMS,
  MAX_DEPTH,
  MAX_REF_REPEAT,
  MINIMAL_DEPTH,
  NODE_BUDGET,
  OPTIONAL_DEPTH,
} from './limits';
import { generateNumber } from './numbers';
import type { Direction, FakeOptions } from './options';
import { createRandom } from './random';
import {
  absorb,
  type Choice,
  cloneShape,
  type Discriminator,
  inferTypes,
  type Shape,
  shapeOf,
} from './shapes';
import { generateString, leafFits, randexp, safeTest } from './strings';
import type { View } from './views';
import { entityFor, type Entity } from './entities';
import { singular } from '../names';
import { DEFS_PREFIX, defName, unescapeToken } from '../pointer';

export interface Ctx {
  defs: Defs;
  root: JsonSchema;
  rng: () => number;
  direction?: Direction;
  pools?: Record<string, unknown[]>;
  compiler: SchemaCompiler;
  budget: number;
  refCounts: Map<string, number>;
  minimalNesting: number;
  /** faker locale (./faker.ts); en when undefined */
  locale?: string;
}

export interface Hint {
  /** property name the value is for (singular for array items) */
  prop?: string;
  /** named schemas of the object holding the property, outermost first */
  owners?: string[];
  /** what the object holding the property is (a person, an address...): its values agree */
  entity?: Entity;
}

export function createContext(view: View, options: FakeOptions, attempt: number): Ctx {
  return {
    defs: view.defs,
    root: view.schema,
    rng: createRandom(attempt === 0 ? options.seed : `${String(options.seed)}#${attempt}`),
    direction: options.direction,
    pools: options.pools,
    compiler: view.compiler,
    budget: NODE_BUDGET,
    refCounts: new Map(),
    minimalNesting: 0,
    locale: options.locale,
  };
}

export function generate(schemas: readonly JsonSchema[], ctx: Ctx, depth: number, hint: Hint): unknown {
  ctx.budget--;
  const base = shapeOf(schemas, ctx);
  if (base.impossible) return undefined;
  const pooled = fromPools(schemas, ctx, hint);
  if (pooled.found) return pooled.value;
  for (const name of base.refNames) ctx.refCounts.set(name, (ctx.refCounts.get(name) ?? 0) + 1);
  // once a subtree is minimal (recursion, depth, budget) everything below it is too
  const minimal = ctx.minimalNesting > 0 || isMinimal(base, ctx, depth);
  if (minimal) ctx.minimalNesting++;
  try {
    const { shape, discriminatorValue } = resolveChoices(base, ctx, minimal);
    return generateShape(shape, ctx, depth, hint, minimal, discriminatorValue);
  } finally {
    if (minimal) ctx.minimalNesting--;
    for (const name of base.refNames) ctx.refCounts.set(name, (ctx.refCounts.get(name) ?? 1) - 1);
  }
}

export function isMinimal(shape: Shape, ctx: Ctx, depth: number): boolean {
  if (depth >= MINIMAL_DEPTH || ctx.budget <= 0) return true;
  return shape.refNames.some((name) => (ctx.refCounts.get(name) ?? 0) > MAX_REF_REPEAT);
}

/** Picks a branch of every oneOf/anyOf (consistently with a discriminator) and merges it in. */
function resolveChoices(
  base: Shape,
  ctx: Ctx,
  minimal: boolean,
): { shape: Shape; discriminatorValue?: { property: string; value: string } } {
  let shape = base;
  let discriminatorValue: { property: string; value: string } | undefined;
  for (let round = 0; round < 8 && shape.choices.length > 0; round++) {
    const [choice, ...rest] = shape.choices;
    const without = cloneShape(shape);
    without.choices = rest;
    const order = branchOrder(choice, ctx, minimal);
    let chosen: Shape | undefined;
    for (const index of order) {
      const candidate = cloneShape(without);
      absorb(candidate, choice.branches[index], ctx, []);
      if (candidate.impossible || (candidate.types && candidate.types.length === 0)) continue;
      if (
        candidate.hasConst &&
        candidate.enumValues &&
        !candidate.enumValues.some((v) => deepEqual(v, candidate.constValue))
      )
        continue;
      chosen = candidate;
      const discriminator = choice.discriminator ?? without.discriminator;
      if (discriminator) {
        const value = discriminatorFor(discriminator, choice.branches[index]);
        if (value !== undefined) discriminatorValue = { property: discriminator.propertyName, value };
      }
      break;
    }
    shape = chosen ?? without;
  }
  return { shape, discriminatorValue };
}

function branchOrder(choice: Choice, ctx: Ctx, minimal: boolean): number[] {
  const n = choice.branches.length;
  const start = Math.floor(ctx.rng() * n);
  const order = Array.from({ length: n }, (_, i) => (start + i) % n);
  const cost = (index: number): number => {
    const branch = choice.branches[index];
    if (!isRecord(branch)) return branch === false ? 9 : 0;
    if (branch.type === 'null') return minimal ? -1 : 5;
    if (minimal && typeof branch.$ref === 'string') {
      const name = defName(branch.$ref);
      return name !== undefined && (ctx.refCounts.get(name) ?? 0) > 0 ? 3 : 1;
    }
    return 0;
  };
  return order.sort((a, b) => cost(a) - cost(b));
}

export function discriminatorFor(discriminator: Discriminator, branch: JsonSchema): string | undefined {
  if (!isRecord(branch) || typeof branch.$ref !== 'string') return undefined;
  const name = defName(branch.$ref) ?? lastSegment(branch.$ref);
  for (const [key, target] of Object.entries(discriminator.mapping)) {
    if (target === name || lastSegment(target) === name) return key;
  }
  return name;
}

function lastSegment(ref: string): string {
  const segment = ref.slice(ref.lastIndexOf('/') + 1);
  return unescapeToken(segment);
}

export function generateShape(
  shape: Shape,
  ctx: Ctx,
  depth: number,
  hint: Hint,
  minimal: boolean,
  discriminatorValue?: { property: string; value: string },
): unknown {
  if (shape.impossible) return undefined;
  if (shape.hasConst) return cloneJson(shape.constValue);
  if (shape.enumValues) return pickEnum(shape, ctx, minimal);
  if (depth >= MAX_DEPTH) return emptyOf(shape);

  const example = exampleFor(shape, ctx, depth);
  if (example.found) return example.value;

  const type = chooseType(shape, ctx, minimal);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return ctx.rng() < 0.5;
    case 'integer':
    case 'number':
      return generateNumber(shape, ctx, hint, type === 'integer');
    case 'string':
      return generateString(shape, ctx, hint);
    case 'array':
      return generateArray(shape, ctx, depth, hint, minimal);
    case 'object':
      return generateObject(shape, ctx, depth, minimal, hint, discriminatorValue);
    default:
      return hint.prop !== undefined ? generateString(shape, ctx, hint) : {};
  }
}

function emptyOf(shape: Shape): unknown {
  const types = shape.types ?? inferTypes(shape);
  if (types.includes('null')) return null;
  if (types.includes('object') || types.length === 0) return {};
  if (types.includes('array')) return [];
  if (types.includes('string')) return '';
  if (types.includes('integer') || types.includes('number')) return shape.minimum ?? 0;
  return false;
}

export function pickEnum(shape: Shape, ctx: Ctx, minimal: boolean): unknown {
  const values = shape.enumValues ?? [];
  if (values.length === 0) return null;
  const typed = shape.types ? values.filter((v) => typeMatches(v, shape.types!)) : values;
  const pool = typed.length > 0 ? typed : values;
  const nonNull = pool.filter((v) => v !== null);
  const candidates = minimal || nonNull.length === 0 ? pool : nonNull;
  return cloneJson(candidates[Math.floor(ctx.rng() * candidates.length)]);
}

/** Schema-level `example`/`examples` make values realistic; used for about half of the leaves. */
function exampleFor(shape: Shape, ctx: Ctx, depth: number): { found: boolean; value?: unknown } {
  if (shape.examples.length === 0 || depth === 0) return { found: false };
  if (ctx.rng() < 0.4) return { found: false };
  const value = shape.examples[Math.floor(ctx.rng() * shape.examples.length)];
  if (value === undefined || value === null) return { found: false };
  if (typeof value === 'object') return { found: false };
  if (!leafFits(value, shape, ctx)) return { found: false };
  return { found: true, value };
}

function fromPools(
  schemas: readonly JsonSchema[],
  ctx: Ctx,
  hint: Hint,
): { found: boolean; value?: unknown } {
  if (!ctx.pools || hint.prop === undefined) return { found: false };
  const keys = [...(hint.owners ?? []).map((owner) => `${DEFS_PREFIX}${owner}/${hint.prop}`), hint.prop];
  for (const key of keys) {
    const pool = ctx.pools[key];
    if (!Array.isArray(pool) || pool.length === 0) continue;
    const validate = validatorFor(schemas, ctx);
    const start = Math.floor(ctx.rng() * pool.length);
    for (let i = 0; i < pool.length && i < 16; i++) {
      const candidate = pool[(start + i) % pool.length];
      if (candidate !== undefined && validate(candidate)) return { found: true, value: cloneJson(candidate) };
    }
  }
  return { found: false };
}

const listValidators = new WeakMap<SchemaCompiler, WeakMap<readonly JsonSchema[], ValidateFunction>>();

export function validatorFor(schemas: readonly JsonSchema[], ctx: Ctx): ValidateFunction {
  if (schemas.length === 1) return ctx.compiler.compile(schemas[0]);
  let cache = listValidators.get(ctx.compiler);
  if (!cache) listValidators.set(ctx.compiler, (cache = new WeakMap()));
  let validate = cache.get(schemas);
  if (!validate) {
    validate = ctx.compiler.compile({ allOf: [...schemas] });
    cache.set(schemas, validate);
  }
  return validate;
}

function chooseType(shape: Shape, ctx: Ctx, minimal: boolean): string | undefined {
  const types = shape.types ?? inferTypes(shape);
  if (types.length === 0) return undefined;
  if (types.length === 1) return types[0];
  if (minimal && types.includes('null')) return 'null';
  const nonNull = types.filter((t) => t !== 'null');
  if (nonNull.length === 0) return 'null';
  // integer and number both listed: integer satisfies both
  if (nonNull.includes('integer') && nonNull.includes('number')) return 'integer';
  return nonNull[Math.floor(ctx.rng() * nonNull.length)];
}

function generateObject(
  shape: Shape,
  ctx: Ctx,
  depth: number,
  minimal: boolean,
  hint: Hint,
  discriminatorValue?: { property: string; value: string },
): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const owners = shape.refNames;
  const entity = entityFor(shape, hint);
  const includeOptional = !minimal && depth < OPTIONAL_DEPTH;
  const skipFlag =
    ctx.direction === 'request' ? 'readOnly' : ctx.direction === 'response' ? 'writeOnly' : undefined;
  const optional: string[] = [];

  const put = (key: string, schemas: readonly JsonSchema[]): void => {
    const value = generate(schemas, ctx, depth + 1, { prop: key, owners, entity });
    if (value !== undefined) obj[key] = value;
  };

  for (const [key, schemas] of shape.properties) {
    if (!keyAllowed(shape, key)) continue;
    const required = shape.required.has(key);
    if (!required && skipFlag && shapeOf(schemas, ctx)[skipFlag]) continue;
    if (!required && !includeOptional) {
      optional.push(key);
      continue;
    }
    put(key, schemas);
  }
  for (const key of shape.required) {
    if (!(key in obj) && !shape.properties.has(key)) put(key, schemasForKey(shape, key));
  }

  // maps (additionalProperties / patternProperties without named properties)
  if (
    !minimal &&
    shape.properties.size === 0 &&
    (shape.additional.length > 0 || shape.patternProperties.length > 0)
  ) {
    const wanted = Math.max(1, shape.minProperties ?? 0);
    addExtraKeys(
      obj,
      shape,
      ctx,
      depth,
      Math.min(wanted + (ctx.rng() < 0.5 ? 1 : 0), shape.maxProperties ?? Infinity),
    );
  }
  const minProperties = shape.minProperties ?? 0;
  for (const key of optional) {
    if (Object.keys(obj).length >= minProperties) break;
    put(key, shape.properties.get(key)!);
  }
  if (Object.keys(obj).length < minProperties) addExtraKeys(obj, shape, ctx, depth, minProperties);

  for (const [key, deps] of shape.dependentRequired) {
    if (!(key in obj)) continue;
    for (const dep of deps) if (!(dep in obj)) put(dep, schemasForKey(shape, dep));
  }
  if (shape.maxProperties !== undefined) {
    for (const key of Object.keys(obj).reverse()) {
      if (Object.keys(obj).length <= shape.maxProperties) break;
      if (!shape.required.has(key)) delete obj[key];
    }
  }
  applyDiscriminator(obj, shape, ctx, discriminatorValue);
  return obj;
}

export function applyDiscriminator(
  obj: Record<string, unknown>,
  shape: Shape,
  ctx: Ctx,
  chosen?: { property: string; value: string },
): void {
  let target = chosen;
  const discriminator = shape.discriminator;
  if (!target && discriminator) {
    // inheritance (Cat = allOf [Pet, ...], Pet holds the discriminator): name the concrete schema
    for (const name of shape.refNames) {
      const key = Object.entries(discriminator.mapping).find(
        ([, ref]) => ref === name || lastSegment(ref) === name,
      )?.[0];
      if (key !== undefined) {
        target = { property: discriminator.propertyName, value: key };
        break;
      }
    }
    const outer = shape.refNames[0];
    if (!target && outer !== undefined && outer !== discriminator.holder) {
      target = { property: discriminator.propertyName, value: outer };
    }
  }
  if (!target || !keyAllowed(shape, target.property)) return;
  const schemas = shape.properties.get(target.property);
  if (schemas) {
    const prop = shapeOf(schemas, ctx);
    if (prop.hasConst || prop.enumValues) return; // the branch already pins it
    if (!leafFits(target.value, prop, ctx)) return;
  }
  obj[target.property] = target.value;
}

export function schemasForKey(shape: Shape, key: string): JsonSchema[] {
  const listed = shape.properties.get(key);
  if (listed) return listed;
  const matched = shape.patternProperties.filter(([pattern]) => safeTest(pattern, key)).map(([, s]) => s);
  if (matched.length > 0) return matched;
  return shape.additional.length > 0 ? shape.additional : [true];
}

export function keyAllowed(shape: Shape, key: string): boolean {
  for (const closed of shape.closed) {
    if (!closed.names.has(key) && !closed.patterns.some((p) => safeTest(p, key))) return false;
  }
  if (
    shape.unevaluatedFalse &&
    !shape.properties.has(key) &&
    !shape.patternProperties.some(([p]) => safeTest(p, key))
  ) {
    return shape.additional.length > 0;
  }
  return true;
}

export function addExtraKeys(
  obj: Record<string, unknown>,
  shape: Shape,
  ctx: Ctx,
  depth: number,
  target: number,
): void {
  const closedMap = shape.closed.length > 0 || shape.unevaluatedFalse;
  for (let i = 1, tries = 0; Object.keys(obj).length < target && tries < target * 4 + 4; tries++) {
    let key: string | undefined;
    if (
      shape.patternProperties.length > 0 &&
      (closedMap || shape.additional.length === 0 || ctx.rng() < 0.5)
    ) {
      key = randexp(shape.patternProperties[Math.floor(ctx.rng() * shape.patternProperties.length)][0], ctx);
    } else if (!closedMap) {
      key = shape.propertyNames.length > 0 ? namedKey(shape, ctx) : `additionalProp${i++}`;
    } else {
      return;
    }
    if (key === undefined || key in obj || !keyAllowed(shape, key)) continue;
    const value = generate(schemasForKey(shape, key), ctx, depth + 1, { prop: key });
    if (value !== undefined) obj[key] = value;
  }
}

function namedKey(shape: Shape, ctx: Ctx): string | undefined {
  const names = shapeOf(shape.propertyNames, ctx);
  const value = generate(shape.propertyNames, ctx, MINIMAL_DEPTH, { prop: 'key' });
  if (typeof value === 'string') return value;
  return names.patterns.length > 0 ? randexp(names.patterns[0], ctx) : undefined;
}

function generateArray(shape: Shape, ctx: Ctx, depth: number, hint: Hint, minimal: boolean): unknown[] {
  const min = shape.minItems ?? 0;
  const max = shape.maxItems ?? Infinity;
  const prefix = mergePrefixes(shape.prefixItems);
  const itemSchemas = shape.items.length > 0 ? shape.items : [true as JsonSchema];
  let count: number;
  if (minimal) count = min;
  else {
    const lo = Math.max(min, 1);
    const hi = Math.min(max, lo + DEFAULT_EXTRA_ITEMS);
    count = hi < lo ? Math.min(max, min) : lo + Math.floor(ctx.rng() * (hi - lo + 1));
  }
  if (shape.itemsFalse || (shape.prefixItems.length > 0 && shape.items.length === 0 && shape.itemsFalse)) {
    count = Math.min(count, prefix.length);
  }
  count = Math.max(count, Math.min(prefix.length, max, minimal ? min : prefix.length));
  const itemHint: Hint = {
    prop: hint.prop === undefined ? undefined : singular(hint.prop),
    owners: hint.owners,
  };
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    let schemas: readonly JsonSchema[] = i < prefix.length ? prefix[i] : itemSchemas;
    if (i === 0 && shape.contains.length > 0 && prefix.length === 0)
      schemas = [...itemSchemas, ...shape.contains];
    let value: unknown;
    let tries = 0;
    do {
      value = generate(schemas, ctx, depth + 1, itemHint);
      tries++;
    } while (shape.uniqueItems && seen.has(stableStringify(value)) && tries < 6);
    if (shape.uniqueItems && seen.has(stableStringify(value))) {
      if (out.length >= min) break;
    }
    if (value === undefined) break;
    seen.add(stableStringify(value));
    out.push(value);
  }
  return out;
}

export function mergePrefixes(prefixes: JsonSchema[][]): JsonSchema[][] {
  const out: JsonSchema[][] = [];
  for (const list of prefixes) list.forEach((schema, i) => (out[i] ??= []).push(schema));
  return out;
}
