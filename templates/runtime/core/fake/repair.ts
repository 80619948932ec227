/** Repair: keep what is valid, fix the rest, guided by Ajv's error paths. */
import type { ValidateFunction } from '../ajv';
import type { JsonSchema } from '../types';
import {
  addExtraKeys,
  applyDiscriminator,
  type Ctx,
  discriminatorFor,
  generate,
  generateShape,
  type Hint,
  isMinimal,
  keyAllowed,
  mergePrefixes,
  pickEnum,
  schemasForKey,
  validatorFor,
} from './generate';
import { cloneJson, deepEqual, isRecord, stableStringify } from '../json';
import { typeMatches } from './helpers';
import { MAX_DEPTH, REPAIR_PASSES } from './limits';
import { numberBounds, numberFits } from './numbers';
import { absorb, cloneShape, inferTypes, type Shape, shapeOf } from './shapes';
import { leafFits } from './strings';
import { singular } from '../names';
import { escapeToken, splitPointer } from '../pointer';

export function repairPasses(
  value: unknown,
  schema: JsonSchema,
  validate: ValidateFunction,
  ctx: Ctx,
): unknown {
  let current = value;
  for (let pass = 0; pass < REPAIR_PASSES; pass++) {
    if (validate(current)) return current;
    const errors = validate.errors ?? [];
    const paths = errors.map((e) => e.instancePath);
    current = repairAt(current, [schema], ctx, 0, {}, '', paths);
  }
  return current;
}

/** pruning rounds before a best effort is given up as it is */
const PRUNE_ROUNDS = 32;

/**
 * Last resort for a value that no repair made valid (a schema nothing satisfies, e.g. `type: integer`
 * with string `enum` values, or a pattern no string matches): leaves out the members that still fail,
 * innermost first, keeping each removal that leaves fewer errors — an optional property whose schema
 * is unsatisfiable is omitted, so the rest of the body validates.
 */
export function pruneInvalid(value: unknown, validate: ValidateFunction): unknown {
  let current = value;
  for (let round = 0; round < PRUNE_ROUNDS; round++) {
    if (validate(current)) return current;
    const errors = validate.errors ?? [];
    const paths = [...new Set(errors.map((e) => e.instancePath))].filter((p) => p !== '');
    // innermost first; among siblings the last first, so removing an item does not shift the next
    paths.sort(
      (a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a, 'en', { numeric: true }),
    );
    // every innermost failing member at once first (a schema that rejects each property of a subtype),
    // then one by one; a member failing only through one of its own is kept: it may be required
    // (`video.user`, whose optional `content_filter` no value satisfies, stays without that property)
    const innermost = paths.filter((p) => !paths.some((q) => q.startsWith(`${p}/`)));
    let all: unknown = current;
    for (const path of innermost) all = withoutMember(all, path) ?? all;
    if (all !== current && validate(all)) return all;
    if (all !== current && (validate.errors ?? []).length < errors.length) {
      current = all;
      continue;
    }
    let improved = false;
    for (const path of paths) {
      for (let at = path; at !== '' && !improved; at = at.slice(0, at.lastIndexOf('/'))) {
        const candidate = withoutMember(current, at);
        if (candidate === undefined) continue;
        if (validate(candidate)) return candidate;
        if ((validate.errors ?? []).length < errors.length) {
          current = candidate;
          improved = true;
        }
      }
      if (improved) break;
    }
    if (!improved) break;
  }
  validate(current); // leave `validate.errors` describing the value returned
  return current;
}

/** A copy of `value` without the member at JSON pointer `path`; undefined when there is none. */
function withoutMember(value: unknown, path: string): unknown {
  const keys = splitPointer(path);
  const strip = (node: unknown, i: number): unknown => {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return undefined;
      if (last) return [...node.slice(0, index), ...node.slice(index + 1)];
      const inner = strip(node[index], i + 1);
      return inner === undefined ? undefined : node.map((item, j) => (j === index ? inner : item));
    }
    if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    if (last) {
      const copy = { ...node };
      delete copy[key];
      return copy;
    }
    const inner = strip(node[key], i + 1);
    return inner === undefined ? undefined : { ...node, [key]: inner };
  };
  return strip(value, 0);
}

function hasErrorAt(path: string, errorPaths: readonly string[]): boolean {
  return errorPaths.some((p) => p === path || p.startsWith(path + '/'));
}

function repairAt(
  value: unknown,
  schemas: readonly JsonSchema[],
  ctx: Ctx,
  depth: number,
  hint: Hint,
  path: string,
  errorPaths: readonly string[],
): unknown {
  if (value !== undefined && !hasErrorAt(path, errorPaths)) return value;
  if (depth > MAX_DEPTH) return value;
  const base = shapeOf(schemas, ctx);
  if (base.impossible) return value;
  let shape = base;
  let discriminatorValue: { property: string; value: string } | undefined;
  if (base.choices.length > 0) {
    const validate = validatorFor(schemas, ctx);
    if (value !== undefined && validate(value)) return value;
    if (isRecord(value)) {
      const separated = separateOneOf(value, base, ctx);
      if (separated !== value && validate(separated)) return separated;
    }
    ({ shape, discriminatorValue } = chooseBranchesFor(value, base, ctx));
  }
  if (shape.hasConst) return cloneJson(shape.constValue);
  if (shape.enumValues) {
    return shape.enumValues.some((v) => deepEqual(v, value)) ? value : pickEnum(shape, ctx, false);
  }
  const types = shape.types ?? inferTypes(shape);
  let current = value;
  if (current === undefined || (types.length > 0 && !typeMatches(current, types))) {
    current = coerce(current, types);
    if (current === undefined || (types.length > 0 && !typeMatches(current, types))) {
      return generateShape(shape, ctx, depth, hint, isMinimal(shape, ctx, depth), discriminatorValue);
    }
  }
  if (Array.isArray(current)) return repairArray(current, shape, ctx, depth, hint, path, errorPaths);
  if (isRecord(current))
    return repairObject(current, shape, ctx, depth, path, errorPaths, discriminatorValue);
  if (leafFits(current, shape, ctx)) return current;
  if (typeof current === 'number') {
    const integer = types.length > 0 && !types.includes('number');
    const { lo, hi } = numberBounds(shape, integer);
    const clamped = Math.min(Math.max(integer ? Math.round(current) : current, lo), hi);
    if (numberFits(clamped, shape, integer)) return clamped;
  }
  return generateShape(shape, ctx, depth, hint, isMinimal(shape, ctx, depth), discriminatorValue);
}

function coerce(value: unknown, types: string[]): unknown {
  if (typeof value === 'string') {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) {
      if (types.includes('integer') && Number.isInteger(n)) return n;
      if (types.includes('number')) return n;
    }
    if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && types.includes('string'))
    return String(value);
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value) && types.includes('array') && !types.includes('object')) return [value];
  return undefined;
}

/**
 * An object that matches several `oneOf` branches (optional properties of one are the required
 * ones of another) is made to match exactly one by dropping what only the others require, else by
 * `excludeOtherBranches`.
 */
function separateOneOf(value: Record<string, unknown>, shape: Shape, ctx: Ctx): Record<string, unknown> {
  let current = value;
  for (const choice of shape.choices) {
    if (choice.kind !== 'oneOf') continue;
    const passing = choice.branches.filter((branch) => ctx.compiler.compile(branch)(current));
    if (passing.length < 2) continue;
    const before = current;
    for (const keep of passing) {
      const own = shapeOf([keep], ctx).required;
      const others = passing.filter((branch) => branch !== keep);
      const candidate = { ...current };
      for (const other of others) {
        for (const name of shapeOf([other], ctx).required) if (!own.has(name)) delete candidate[name];
      }
      const discriminator = choice.discriminator ?? shape.discriminator;
      const tag = discriminator && discriminatorFor(discriminator, keep);
      if (discriminator && tag !== undefined && typeof candidate[discriminator.propertyName] === 'string') {
        candidate[discriminator.propertyName] = tag;
      }
      if (
        ctx.compiler.compile(keep)(candidate) &&
        others.every((other) => !ctx.compiler.compile(other)(candidate))
      ) {
        current = candidate;
        break;
      }
    }
    if (current === before) current = excludeOtherBranches(current, passing, ctx);
  }
  return current;
}

/** Values tried for a property only the other branches declare, to make them reject the object. */
const EXCLUDING_VALUES: unknown[] = [null, false, '', 0, [], {}];

/**
 * Open object branches that overlap (`oneOf: [User, UserWithStats]` where UserWithStats is
 * `allOf: [User, {...}]`, or branches with no required property) all accept the same object. Exactly
 * one accepts it once it carries a property the others declare, with a value they reject, which the
 * kept branch does not declare (so it allows it as an additional property).
 */
function excludeOtherBranches(
  value: Record<string, unknown>,
  passing: JsonSchema[],
  ctx: Ctx,
): Record<string, unknown> {
  for (const keep of passing) {
    const accepts = ctx.compiler.compile(keep);
    const own = shapeOf([keep], ctx).properties;
    const candidate = { ...value };
    for (const other of passing) {
      if (other === keep) continue;
      const rejects = ctx.compiler.compile(other);
      if (!rejects(candidate)) continue;
      search: for (const name of shapeOf([other], ctx).properties.keys()) {
        if (own.has(name) || name === '__proto__') continue;
        const before = Object.prototype.hasOwnProperty.call(candidate, name) ? candidate[name] : undefined;
        for (const excluding of EXCLUDING_VALUES) {
          candidate[name] = cloneJson(excluding);
          if (!rejects(candidate) && accepts(candidate)) break search;
        }
        if (before === undefined) delete candidate[name];
        else candidate[name] = before;
      }
    }
    if (
      accepts(candidate) &&
      passing.every((other) => other === keep || !ctx.compiler.compile(other)(candidate))
    )
      return candidate;
  }
  return value;
}

/** The branch the value already follows: its discriminator, else a branch it validates, else the closest. */
function chooseBranchesFor(
  value: unknown,
  base: Shape,
  ctx: Ctx,
): { shape: Shape; discriminatorValue?: { property: string; value: string } } {
  let shape = base;
  let discriminatorValue: { property: string; value: string } | undefined;
  for (let round = 0; round < 8 && shape.choices.length > 0; round++) {
    const [choice, ...rest] = shape.choices;
    const without = cloneShape(shape);
    without.choices = rest;
    const discriminator = choice.discriminator ?? without.discriminator;
    let index = -1;
    if (discriminator && isRecord(value) && typeof value[discriminator.propertyName] === 'string') {
      const tag = value[discriminator.propertyName] as string;
      index = choice.branches.findIndex((b) => discriminatorFor(discriminator, b) === tag);
    }
    if (index < 0) {
      let bestErrors = Infinity;
      choice.branches.forEach((branch, i) => {
        if (bestErrors === 0) return;
        const validate = ctx.compiler.compile(branch);
        const errors = validate(value)
          ? 0
          : (validate.errors?.length ?? 1) + (typeMatchesSchema(value, branch, ctx) ? 0 : 1000);
        if (errors < bestErrors) {
          bestErrors = errors;
          index = i;
        }
      });
    }
    if (index < 0) index = 0;
    const candidate = cloneShape(without);
    absorb(candidate, choice.branches[index], ctx, []);
    if (discriminator) {
      const tag = discriminatorFor(discriminator, choice.branches[index]);
      if (tag !== undefined) discriminatorValue = { property: discriminator.propertyName, value: tag };
    }
    shape = candidate.impossible ? without : candidate;
  }
  return { shape, discriminatorValue };
}

function typeMatchesSchema(value: unknown, schema: JsonSchema, ctx: Ctx): boolean {
  const shape = shapeOf([schema], ctx);
  const types = shape.types ?? inferTypes(shape);
  return types.length === 0 || typeMatches(value, types);
}

function repairObject(
  obj: Record<string, unknown>,
  shape: Shape,
  ctx: Ctx,
  depth: number,
  path: string,
  errorPaths: readonly string[],
  discriminatorValue?: { property: string; value: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!keyAllowed(shape, key)) continue;
    const childPath = `${path}/${escapeToken(key)}`;
    const schemas = schemasForKey(shape, key);
    const fixed = repairAt(
      value,
      schemas,
      ctx,
      depth + 1,
      { prop: key, owners: shape.refNames },
      childPath,
      errorPaths,
    );
    if (fixed !== undefined) out[key] = fixed;
  }
  for (const key of shape.required) {
    if (key in out) continue;
    const value = generate(schemasForKey(shape, key), ctx, depth + 1, { prop: key, owners: shape.refNames });
    if (value !== undefined) out[key] = value;
  }
  for (const [key, deps] of shape.dependentRequired) {
    if (!(key in out)) continue;
    for (const dep of deps) {
      if (dep in out) continue;
      const value = generate(schemasForKey(shape, dep), ctx, depth + 1, {
        prop: dep,
        owners: shape.refNames,
      });
      if (value !== undefined) out[dep] = value;
    }
  }
  if (shape.maxProperties !== undefined) {
    for (const key of Object.keys(out).reverse()) {
      if (Object.keys(out).length <= shape.maxProperties) break;
      if (!shape.required.has(key)) delete out[key];
    }
  }
  if (shape.minProperties !== undefined && Object.keys(out).length < shape.minProperties) {
    for (const [key, schemas] of shape.properties) {
      if (Object.keys(out).length >= shape.minProperties) break;
      if (key in out || !keyAllowed(shape, key)) continue;
      const value = generate(schemas, ctx, depth + 1, { prop: key, owners: shape.refNames });
      if (value !== undefined) out[key] = value;
    }
    if (Object.keys(out).length < shape.minProperties)
      addExtraKeys(out, shape, ctx, depth, shape.minProperties);
  }
  if (discriminatorValue && out[discriminatorValue.property] !== discriminatorValue.value) {
    applyDiscriminator(out, shape, ctx, discriminatorValue);
  }
  return out;
}

function repairArray(
  arr: unknown[],
  shape: Shape,
  ctx: Ctx,
  depth: number,
  hint: Hint,
  path: string,
  errorPaths: readonly string[],
): unknown[] {
  const prefix = mergePrefixes(shape.prefixItems);
  const itemSchemas = shape.items.length > 0 ? shape.items : [true as JsonSchema];
  const itemHint: Hint = {
    prop: hint.prop === undefined ? undefined : singular(hint.prop),
    owners: hint.owners,
  };
  let out: unknown[] = [];
  const limit = shape.itemsFalse ? prefix.length : Infinity;
  arr.forEach((item, i) => {
    if (i >= limit) return;
    const schemas = i < prefix.length ? prefix[i] : itemSchemas;
    const fixed = repairAt(item, schemas, ctx, depth + 1, itemHint, `${path}/${i}`, errorPaths);
    if (fixed !== undefined) out.push(fixed);
  });
  if (shape.uniqueItems) {
    const seen = new Set<string>();
    out = out.filter((item) => {
      const key = stableStringify(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (shape.maxItems !== undefined && out.length > shape.maxItems) out = out.slice(0, shape.maxItems);
  const min = shape.minItems ?? 0;
  const seen = new Set(out.map(stableStringify));
  for (let tries = 0; out.length < min && tries < min * 4 + 4; tries++) {
    const i = out.length;
    const value = generate(i < prefix.length ? prefix[i] : itemSchemas, ctx, depth + 1, itemHint);
    if (value === undefined) break;
    if (shape.uniqueItems && seen.has(stableStringify(value))) continue;
    seen.add(stableStringify(value));
    out.push(value);
  }
  if (shape.contains.length > 0) {
    const contains = validatorFor(shape.contains, ctx);
    if (
      !out.some((item) => contains(item)) &&
      (shape.maxItems === undefined || out.length < shape.maxItems)
    ) {
      const value = generate([...itemSchemas, ...shape.contains], ctx, depth + 1, itemHint);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}
