/**
 * Realistic, seeded, schema-valid data for JSON Schema 2020-12 model schemas.
 *
 * Used by the generator (examples when a contract has none) and by the emitted server
 * (`Prefer: dynamic=true`). Everything is driven by one PRNG seeded per call, so the same
 * (schema, seed) gives the same value whatever was generated before. Every result is checked
 * with Ajv and repaired (or regenerated) until it validates; unsatisfiable schemas give a best
 * effort, never an exception.
 *
 * Only json-schema-faker's regex generator (randexp) is borrowed; the generator itself is our own,
 * because jsf keeps global state, cannot bound huge schemas and knows nothing about discriminators
 * or readOnly/writeOnly.
 */
import { JSONSchemaFaker } from 'json-schema-faker';
import { createAjv, SchemaCompiler, type ErrorObject, type ValidateFunction } from './core/ajv';
import type { Defs, JsonSchema } from './core/types';

export type Direction = 'response' | 'request';

export interface FakeOptions {
  seed: number | string;
  /** `request` omits readOnly properties, `response` omits writeOnly ones (also from `required`). */
  direction?: Direction;
  /** values learnt from recordings: `#/$defs/<name>/<property>` and bare `<property>` keys */
  pools?: Record<string, unknown[]>;
  /** compiler over the same `defs` (one is created and cached per `defs` otherwise) */
  compiler?: SchemaCompiler;
}

export interface RepairResult {
  value: unknown;
  /** true when `value` differs from the input because the input did not validate */
  repaired: boolean;
  /** why the input was invalid, e.g. `/price must be number`; empty when it was valid */
  errors: string[];
}

/** A seeded value for `schema`; validates against it unless the schema is unsatisfiable. */
export function generateValue(schema: JsonSchema, defs: Defs, options: FakeOptions): unknown {
  let best: unknown = undefined;
  try {
    const view = viewFor(schema, defs, options);
    const validate = view.compiler.compile(view.schema);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const ctx = createContext(view, options, attempt);
      let value = generate([view.schema], ctx, 0, {});
      if (validate(value)) return value;
      value = repairPasses(value, view.schema, validate, ctx);
      if (validate(value)) return value;
      if (attempt === 0) best = value;
    }
    best = pruneInvalid(best, validate);
    if (!validate(best)) {
      // what pruning left may now be repairable (a oneOf its removed members kept ambiguous)
      const again = repairPasses(best, view.schema, validate, createContext(view, options, 0));
      if (validate(again)) return again;
    }
  } catch (err) {
    // A schema we cannot handle must not take the mock down: fall through to the best effort.
    if (process.env.MOCKGEN_DEBUG_FAKE) console.error(err);
  }
  return best === undefined ? null : best;
}

/** Whether `value` validates against `schema` as seen in `direction` (validators compiled once). */
export function conformsTo(value: unknown, schema: JsonSchema, defs: Defs, direction: Direction): boolean {
  try {
    const view = viewFor(schema, defs, { seed: 0, direction });
    return view.compiler.compile(view.schema)(value);
  } catch {
    return false;
  }
}

/**
 * Keeps what is valid in `value` (an example from a contract): fills missing required properties,
 * regenerates values of the wrong type/enum/format, drops properties `additionalProperties: false`
 * forbids, so the result validates.
 */
export function repairValue(
  value: unknown,
  schema: JsonSchema,
  defs: Defs,
  options: FakeOptions,
): RepairResult {
  try {
    const view = viewFor(schema, defs, options);
    const validate = view.compiler.compile(view.schema);
    if (validate(value)) return { value, repaired: false, errors: [] };
    const errors = describeErrors(validate.errors ?? []);
    const ctx = createContext(view, options, 0);
    let repaired = repairPasses(value, view.schema, validate, ctx);
    if (!validate(repaired)) {
      // what the contract wrote is kept where it can be: leave out what no repair fixed, else start afresh
      let pruned = pruneInvalid(repaired, validate);
      if (!validate(pruned)) {
        const again = repairPasses(pruned, view.schema, validate, ctx);
        if (validate(again)) pruned = again;
      }
      const fresh = validate(pruned) ? undefined : generateValue(schema, defs, options);
      repaired = fresh !== undefined && validate(fresh) ? fresh : pruned;
    }
    return { value: repaired, repaired: true, errors };
  } catch (err) {
    return { value, repaired: false, errors: [`could not check the value: ${(err as Error).message}`] };
  }
}

/** Ajv errors as short sentences naming the instance path: `/price must be number`. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  const sentences = errors.map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
      const extra = params.additionalProperty ?? params.unevaluatedProperty;
      message += ` ('${String(extra)}')`;
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where} ${message}`;
  });
  return [...new Set(sentences)];
}

/** A 32-bit hash of a seed (numbers and strings), for deriving per-value seeds. */
export function hashSeed(seed: number | string): number {
  const text = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** mulberry32: small, fast, good enough for fake data. */
export function createRandom(seed: number | string): () => number {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Limits: generation must stay fast on contracts with thousands of schemas.

const ATTEMPTS = 4;
const REPAIR_PASSES = 3;
/** nesting depth (objects/arrays) up to which optional properties are filled */
const OPTIONAL_DEPTH = 3;
/** beyond this depth only what is required is generated */
const MINIMAL_DEPTH = 8;
/** beyond this depth generation stops (unsatisfiable recursion) */
const MAX_DEPTH = 40;
/** a named schema seen this many times on the path is recursion: go minimal */
const MAX_REF_REPEAT = 2;
/** nodes per value before switching to minimal generation */
const NODE_BUDGET = 2500;
const DEFAULT_EXTRA_ITEMS = 2;
const RANDEXP_MAX = 8;

// ---------------------------------------------------------------------------------------------
// Direction views: OpenAPI says a required readOnly property is only required in responses (and
// writeOnly only in requests). The view drops those names from `required`, sharing every schema
// object it does not need to change so compiled validators stay cached.

interface View {
  schema: JsonSchema;
  defs: Defs;
  compiler: SchemaCompiler;
}

interface DirectionView {
  defs: Defs;
  changed: boolean;
  compiler?: SchemaCompiler;
  roots: WeakMap<object, JsonSchema>;
}

const compilers = new WeakMap<Defs, SchemaCompiler>();
const directionViews = new WeakMap<Defs, Partial<Record<Direction, DirectionView>>>();

function compilerFor(defs: Defs, given?: SchemaCompiler): SchemaCompiler {
  if (given instanceof SharedDefsCompiler && given.defs === defs) return given;
  let compiler = compilers.get(defs);
  if (!compiler) {
    compiler = new SharedDefsCompiler(defs);
    compilers.set(defs, compiler);
  }
  return compiler;
}

const DEFS_ID = 'mockgen:defs/';

/**
 * A SchemaCompiler that compiles every `$defs` entry once, as its own Ajv schema, and lets the
 * schemas that use it call it, instead of inlining the defs into every compiled schema (which
 * `selfContained` + Ajv do). Same validation, several times less code on contracts such as
 * GitHub's, where one response schema reaches dozens of defs.
 */
export class SharedDefsCompiler extends SchemaCompiler {
  private readonly validators = new WeakMap<object, ValidateFunction>();
  private readonly names: Set<string>;

  constructor(defs: Defs) {
    const ajv = createAjv();
    // refs call the shared validator of the def rather than copying its code
    (ajv.opts as { inlineRefs: boolean | number }).inlineRefs = false;
    // Ajv's code optimisation costs a third of the compile time; validation speed is not the bottleneck here
    (ajv.opts.code as { optimize?: boolean | number }).optimize = false;
    super(defs, ajv);
    this.names = new Set(Object.keys(defs));
    for (const [name, def] of Object.entries(defs)) {
      try {
        const id = DEFS_ID + encodeURIComponent(name);
        if (typeof def === 'boolean') ajv.addSchema(def, id);
        else ajv.addSchema({ ...(this.rewrite(def) as object), $id: id });
      } catch {
        // a def Ajv refuses fails the schemas that use it, which then accept anything (as SchemaCompiler does)
      }
    }
  }

  override compile(schema: JsonSchema): ValidateFunction {
    const key = typeof schema === 'boolean' ? (schema ? TRUE_KEY : FALSE_KEY) : schema;
    let validate = this.validators.get(key);
    if (!validate) {
      try {
        validate = this.ajv.compile(typeof schema === 'boolean' ? schema : (this.rewrite(schema) as object));
      } catch (err) {
        validate = this.ajv.compile(true);
        (validate as { compileError?: string }).compileError = (err as Error).message;
      }
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** A copy with `#/$defs/<name>...` refs pointing at the shared defs. */
  private rewrite(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.rewrite(item));
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out[key] = this.rewriteRef(value);
      else if (DATA_KEYWORDS.has(key)) out[key] = value;
      else if (SCHEMA_MAP_KEYWORDS.includes(key) && isObject(value)) {
        const map: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(value)) map[name] = this.rewrite(sub);
        out[key] = map;
      } else out[key] = this.rewrite(value);
    }
    return out;
  }

  private rewriteRef(ref: string): string {
    if (!ref.startsWith(REF_PREFIX)) return ref;
    const rest = ref.slice(REF_PREFIX.length);
    const slash = rest.indexOf('/');
    const token = slash < 0 ? rest : rest.slice(0, slash);
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!this.names.has(name)) return ref;
    return DEFS_ID + encodeURIComponent(name) + (slash < 0 ? '' : `#${rest.slice(slash)}`);
  }
}

const TRUE_KEY = {};
const FALSE_KEY = {};
const DATA_KEYWORDS = new Set(['enum', 'const', 'example', 'examples', 'default']);

function viewFor(schema: JsonSchema, defs: Defs, options: FakeOptions): View {
  const direction = options.direction;
  if (!direction) return { schema, defs, compiler: compilerFor(defs, options.compiler) };
  let views = directionViews.get(defs);
  if (!views) directionViews.set(defs, (views = {}));
  let dv = views[direction];
  if (!dv) {
    const memo = new Map<object, JsonSchema>();
    const out: Defs = {};
    let changed = false;
    for (const [name, def] of Object.entries(defs)) {
      out[name] = stripDirectionRequired(def, defs, direction, memo);
      if (out[name] !== def) changed = true;
    }
    dv = { defs: changed ? out : defs, changed, roots: new WeakMap() };
    views[direction] = dv;
  }
  let root = schema;
  if (typeof schema === 'object' && schema !== null) {
    const known = dv.roots.get(schema);
    if (known !== undefined) root = known;
    else {
      root = stripDirectionRequired(schema, defs, direction, new Map());
      dv.roots.set(schema, root);
    }
  }
  if (!dv.changed && root === schema) return { schema, defs, compiler: compilerFor(defs, options.compiler) };
  dv.compiler ??= new SharedDefsCompiler(dv.defs);
  return { schema: root, defs: dv.defs, compiler: dv.compiler };
}

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const SCHEMA_KEYWORDS = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
];

function stripDirectionRequired(
  schema: JsonSchema,
  defs: Defs,
  direction: Direction,
  memo: Map<object, JsonSchema>,
): JsonSchema {
  if (!isObject(schema)) return schema;
  const known = memo.get(schema);
  if (known !== undefined) return known;
  memo.set(schema, schema); // a schema reaches itself only through $ref, which is not followed here
  let copy: Record<string, unknown> | undefined;
  const strip = (sub: unknown): unknown =>
    isObject(sub) ? stripDirectionRequired(sub, defs, direction, memo) : sub;
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (!isObject(map)) continue;
    let mapCopy: Record<string, unknown> | undefined;
    for (const [name, sub] of Object.entries(map)) {
      const next = strip(sub);
      if (next !== sub) (mapCopy ??= { ...map })[name] = next;
    }
    if (mapCopy) (copy ??= { ...schema })[key] = mapCopy;
  }
  for (const key of SCHEMA_LIST_KEYWORDS) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const next = list.map(strip);
    if (next.some((sub, i) => sub !== list[i])) (copy ??= { ...schema })[key] = next;
  }
  for (const key of SCHEMA_KEYWORDS) {
    const sub = schema[key];
    if (!isObject(sub)) continue;
    const next = strip(sub);
    if (next !== sub) (copy ??= { ...schema })[key] = next;
  }
  const properties = schema.properties;
  if (Array.isArray(schema.required) && isObject(properties)) {
    const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
    const kept = (schema.required as unknown[]).filter(
      (name) => typeof name !== 'string' || !hasFlag(properties[name] as JsonSchema, flag, defs, 0),
    );
    if (kept.length !== schema.required.length) (copy ??= { ...schema }).required = kept;
  }
  const result = copy ?? schema;
  memo.set(schema, result);
  return result;
}

function hasFlag(
  schema: JsonSchema | undefined,
  flag: 'readOnly' | 'writeOnly',
  defs: Defs,
  depth: number,
): boolean {
  if (!isObject(schema) || depth > 8) return false;
  if (schema[flag] === true) return true;
  if (typeof schema.$ref === 'string') {
    const target = refTarget(schema.$ref, defs, undefined);
    if (target !== undefined && hasFlag(target, flag, defs, depth + 1)) return true;
  }
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as JsonSchema[]).some((part) => hasFlag(part, flag, defs, depth + 1));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Shapes: a schema with $ref resolved and allOf merged, the form generation and repair work on.

interface Choice {
  kind: 'oneOf' | 'anyOf';
  branches: JsonSchema[];
  discriminator?: Discriminator;
}

interface Discriminator {
  propertyName: string;
  mapping: Record<string, string>;
  /** the named schema that declares it */
  holder?: string;
}

interface Shape {
  impossible: boolean;
  types?: string[];
  hasConst: boolean;
  constValue?: unknown;
  enumValues?: unknown[];
  properties: Map<string, JsonSchema[]>;
  required: Set<string>;
  /** sources with additionalProperties:false, each allowing its own names and patterns */
  closed: { names: Set<string>; patterns: string[] }[];
  unevaluatedFalse: boolean;
  additional: JsonSchema[];
  patternProperties: [string, JsonSchema][];
  propertyNames: JsonSchema[];
  minProperties?: number;
  maxProperties?: number;
  dependentRequired: [string, string[]][];
  items: JsonSchema[];
  itemsFalse: boolean;
  prefixItems: JsonSchema[][];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  patterns: string[];
  formats: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf: number[];
  choices: Choice[];
  nots: JsonSchema[];
  discriminator?: Discriminator;
  /** names of the `$defs` merged in, outermost first */
  refNames: string[];
  readOnly: boolean;
  writeOnly: boolean;
  examples: unknown[];
  /** a schema with `if`: generation cannot plan for it, validation and retries handle it */
  conditional: boolean;
}

function emptyShape(): Shape {
  return {
    impossible: false,
    hasConst: false,
    properties: new Map(),
    required: new Set(),
    closed: [],
    unevaluatedFalse: false,
    additional: [],
    patternProperties: [],
    propertyNames: [],
    dependentRequired: [],
    items: [],
    itemsFalse: false,
    prefixItems: [],
    uniqueItems: false,
    contains: [],
    patterns: [],
    formats: [],
    multipleOf: [],
    choices: [],
    nots: [],
    refNames: [],
    readOnly: false,
    writeOnly: false,
    examples: [],
    conditional: false,
  };
}

function cloneShape(shape: Shape): Shape {
  const properties = new Map<string, JsonSchema[]>();
  for (const [key, list] of shape.properties) properties.set(key, [...list]);
  return {
    ...shape,
    types: shape.types && [...shape.types],
    enumValues: shape.enumValues && [...shape.enumValues],
    properties,
    required: new Set(shape.required),
    closed: [...shape.closed],
    additional: [...shape.additional],
    patternProperties: [...shape.patternProperties],
    propertyNames: [...shape.propertyNames],
    dependentRequired: [...shape.dependentRequired],
    items: [...shape.items],
    prefixItems: [...shape.prefixItems],
    contains: [...shape.contains],
    patterns: [...shape.patterns],
    formats: [...shape.formats],
    multipleOf: [...shape.multipleOf],
    choices: [...shape.choices],
    nots: [...shape.nots],
    refNames: [...shape.refNames],
    examples: [...shape.examples],
  };
}

const shapeCaches = new WeakMap<Defs, WeakMap<object, Shape>>();

function shapeOf(schemas: readonly JsonSchema[], ctx: Ctx): Shape {
  if (schemas.length === 1 && isObject(schemas[0])) {
    let cache = shapeCaches.get(ctx.defs);
    if (!cache) shapeCaches.set(ctx.defs, (cache = new WeakMap()));
    let shape = cache.get(schemas[0]);
    if (!shape) {
      shape = emptyShape();
      absorb(shape, schemas[0], ctx, []);
      cache.set(schemas[0], shape);
    }
    return shape;
  }
  const shape = emptyShape();
  for (const schema of schemas) absorb(shape, schema, ctx, []);
  return shape;
}

function absorb(shape: Shape, schema: JsonSchema | undefined, ctx: Ctx, refPath: string[]): void {
  if (schema === undefined || schema === true) return;
  if (schema === false || !isObject(schema)) {
    if (schema === false) shape.impossible = true;
    return;
  }
  const s = schema;
  if (typeof s.$ref === 'string') {
    const name = refName(s.$ref);
    if (name !== undefined && refPath.includes(name)) {
      // allOf cycle (A allOf [A]): nothing more to learn
    } else {
      const target = refTarget(s.$ref, ctx.defs, ctx.root);
      if (name !== undefined && !shape.refNames.includes(name)) shape.refNames.push(name);
      if (target !== undefined) absorb(shape, target, ctx, name === undefined ? refPath : [...refPath, name]);
    }
  }
  const holder = refPath[refPath.length - 1];

  let types: string[] | undefined;
  if (typeof s.type === 'string') types = [s.type];
  else if (Array.isArray(s.type)) types = s.type.filter((t): t is string => typeof t === 'string');
  if (types && s.nullable === true && !types.includes('null')) types = [...types, 'null'];
  if (types) shape.types = shape.types ? intersectTypes(shape.types, types) : types;

  if ('const' in s) {
    if (shape.hasConst && !deepEqual(shape.constValue, s.const)) shape.impossible = true;
    shape.hasConst = true;
    shape.constValue = s.const;
  }
  if (Array.isArray(s.enum)) {
    const values = s.enum as unknown[];
    shape.enumValues = shape.enumValues
      ? shape.enumValues.filter((v) => values.some((w) => deepEqual(v, w)))
      : [...values];
  }

  if (isObject(s.properties)) {
    for (const [key, sub] of Object.entries(s.properties)) {
      const list = shape.properties.get(key);
      if (list) list.push(sub as JsonSchema);
      else shape.properties.set(key, [sub as JsonSchema]);
    }
  }
  if (Array.isArray(s.required))
    for (const name of s.required) if (typeof name === 'string') shape.required.add(name);
  if (isObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties))
      shape.patternProperties.push([pattern, sub as JsonSchema]);
  }
  if (s.additionalProperties === false) {
    shape.closed.push({
      names: new Set(isObject(s.properties) ? Object.keys(s.properties) : []),
      patterns: isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [],
    });
  } else if (isObject(s.additionalProperties)) shape.additional.push(s.additionalProperties);
  if (s.unevaluatedProperties === false) shape.unevaluatedFalse = true;
  if (s.propertyNames !== undefined && s.propertyNames !== true)
    shape.propertyNames.push(s.propertyNames as JsonSchema);
  shape.minProperties = maxOf(shape.minProperties, num(s.minProperties));
  shape.maxProperties = minOf(shape.maxProperties, num(s.maxProperties));
  if (isObject(s.dependentRequired)) {
    for (const [key, deps] of Object.entries(s.dependentRequired)) {
      if (Array.isArray(deps))
        shape.dependentRequired.push([key, deps.filter((d): d is string => typeof d === 'string')]);
    }
  }

  if (Array.isArray(s.items)) shape.prefixItems.push(s.items as JsonSchema[]);
  else if (s.items === false) shape.itemsFalse = true;
  else if (s.items !== undefined) shape.items.push(s.items as JsonSchema);
  if (Array.isArray(s.prefixItems)) shape.prefixItems.push(s.prefixItems as JsonSchema[]);
  shape.minItems = maxOf(shape.minItems, num(s.minItems));
  shape.maxItems = minOf(shape.maxItems, num(s.maxItems));
  if (s.uniqueItems === true) shape.uniqueItems = true;
  if (s.contains !== undefined) shape.contains.push(s.contains as JsonSchema);

  shape.minLength = maxOf(shape.minLength, num(s.minLength));
  shape.maxLength = minOf(shape.maxLength, num(s.maxLength));
  if (typeof s.pattern === 'string') shape.patterns.push(s.pattern);
  if (typeof s.format === 'string') shape.formats.push(s.format);

  shape.minimum = maxOf(shape.minimum, num(s.minimum));
  shape.maximum = minOf(shape.maximum, num(s.maximum));
  // OpenAPI 3.0 boolean exclusive bounds, in case a loader left them
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number')
    shape.exclusiveMinimum = maxOf(shape.exclusiveMinimum, s.minimum);
  else shape.exclusiveMinimum = maxOf(shape.exclusiveMinimum, num(s.exclusiveMinimum));
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number')
    shape.exclusiveMaximum = minOf(shape.exclusiveMaximum, s.maximum);
  else shape.exclusiveMaximum = minOf(shape.exclusiveMaximum, num(s.exclusiveMaximum));
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) shape.multipleOf.push(s.multipleOf);

  const discriminator = readDiscriminator(s.discriminator, holder);
  if (discriminator) shape.discriminator ??= discriminator;
  if (Array.isArray(s.allOf)) for (const part of s.allOf) absorb(shape, part as JsonSchema, ctx, refPath);
  for (const kind of ['oneOf', 'anyOf'] as const) {
    const branches = s[kind];
    if (Array.isArray(branches) && branches.length > 0) {
      shape.choices.push({
        kind,
        branches: branches as JsonSchema[],
        discriminator: discriminator ?? shape.discriminator,
      });
    }
  }
  if (s.not !== undefined) shape.nots.push(s.not as JsonSchema);
  if (s.if !== undefined) shape.conditional = true;
  if (s.readOnly === true) shape.readOnly = true;
  if (s.writeOnly === true) shape.writeOnly = true;
  if ('example' in s && s.example !== undefined) shape.examples.push(s.example);
  if (Array.isArray(s.examples)) shape.examples.push(...(s.examples as unknown[]));
}

function readDiscriminator(value: unknown, holder: string | undefined): Discriminator | undefined {
  if (!isObject(value) || typeof value.propertyName !== 'string') return undefined;
  const mapping: Record<string, string> = {};
  if (isObject(value.mapping)) {
    for (const [key, target] of Object.entries(value.mapping))
      if (typeof target === 'string') mapping[key] = target;
  }
  return { propertyName: value.propertyName, mapping, holder };
}

function intersectTypes(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (const t of a) {
    if (b.includes(t)) out.push(t);
    else if (t === 'integer' && b.includes('number')) out.push('integer');
    else if (t === 'number' && b.includes('integer')) out.push('integer');
  }
  return [...new Set(out)];
}

const REF_PREFIX = '#/$defs/';

function refName(ref: string): string | undefined {
  if (!ref.startsWith(REF_PREFIX)) return undefined;
  const rest = ref.slice(REF_PREFIX.length);
  if (rest.includes('/')) return undefined;
  return rest.replace(/~1/g, '/').replace(/~0/g, '~');
}

function refTarget(ref: string, defs: Defs, root: JsonSchema | undefined): JsonSchema | undefined {
  const name = refName(ref);
  const own = (map: unknown, key: string): unknown =>
    isObject(map) && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  let node: unknown;
  if (name !== undefined) node = own(defs, name) ?? (isObject(root) ? own(root.$defs, name) : undefined);
  else if (ref.startsWith('#')) {
    // any other local pointer, e.g. `#/$defs/Pet/properties/id` or `#/properties/a`
    let tokens = ref
      .slice(1)
      .split('/')
      .slice(1)
      .map((raw) => safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~'));
    node = root;
    if (tokens[0] === '$defs' && tokens.length > 1 && own(defs, tokens[1]) !== undefined) {
      node = defs[tokens[1]];
      tokens = tokens.slice(2);
    }
    for (const token of tokens) node = isObject(node) || Array.isArray(node) ? own(node, token) : undefined;
  }
  return typeof node === 'boolean' || isObject(node) ? (node as JsonSchema) : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------
// Generation

interface Ctx {
  defs: Defs;
  root: JsonSchema;
  rng: () => number;
  direction?: Direction;
  pools?: Record<string, unknown[]>;
  compiler: SchemaCompiler;
  budget: number;
  refCounts: Map<string, number>;
  minimalNesting: number;
}

interface Hint {
  /** property name the value is for (singular for array items) */
  prop?: string;
  /** named schemas of the object holding the property, outermost first */
  owners?: string[];
}

function createContext(view: View, options: FakeOptions, attempt: number): Ctx {
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
  };
}

function generate(schemas: readonly JsonSchema[], ctx: Ctx, depth: number, hint: Hint): unknown {
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

function isMinimal(shape: Shape, ctx: Ctx, depth: number): boolean {
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
    if (!isObject(branch)) return branch === false ? 9 : 0;
    if (branch.type === 'null') return minimal ? -1 : 5;
    if (minimal && typeof branch.$ref === 'string') {
      const name = refName(branch.$ref);
      return name !== undefined && (ctx.refCounts.get(name) ?? 0) > 0 ? 3 : 1;
    }
    return 0;
  };
  return order.sort((a, b) => cost(a) - cost(b));
}

function discriminatorFor(discriminator: Discriminator, branch: JsonSchema): string | undefined {
  if (!isObject(branch) || typeof branch.$ref !== 'string') return undefined;
  const name = refName(branch.$ref) ?? lastSegment(branch.$ref);
  for (const [key, target] of Object.entries(discriminator.mapping)) {
    if (target === name || lastSegment(target) === name) return key;
  }
  return name;
}

function lastSegment(ref: string): string {
  const segment = ref.slice(ref.lastIndexOf('/') + 1);
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function generateShape(
  shape: Shape,
  ctx: Ctx,
  depth: number,
  hint: Hint,
  minimal: boolean,
  discriminatorValue?: { property: string; value: string },
): unknown {
  if (shape.impossible) return undefined;
  if (shape.hasConst) return clone(shape.constValue);
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
      return generateObject(shape, ctx, depth, minimal, discriminatorValue);
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

function pickEnum(shape: Shape, ctx: Ctx, minimal: boolean): unknown {
  const values = shape.enumValues ?? [];
  if (values.length === 0) return null;
  const typed = shape.types ? values.filter((v) => typeMatches(v, shape.types!)) : values;
  const pool = typed.length > 0 ? typed : values;
  const nonNull = pool.filter((v) => v !== null);
  const candidates = minimal || nonNull.length === 0 ? pool : nonNull;
  return clone(candidates[Math.floor(ctx.rng() * candidates.length)]);
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
  const keys = [...(hint.owners ?? []).map((owner) => `${REF_PREFIX}${owner}/${hint.prop}`), hint.prop];
  for (const key of keys) {
    const pool = ctx.pools[key];
    if (!Array.isArray(pool) || pool.length === 0) continue;
    const validate = validatorFor(schemas, ctx);
    const start = Math.floor(ctx.rng() * pool.length);
    for (let i = 0; i < pool.length && i < 16; i++) {
      const candidate = pool[(start + i) % pool.length];
      if (candidate !== undefined && validate(candidate)) return { found: true, value: clone(candidate) };
    }
  }
  return { found: false };
}

const listValidators = new WeakMap<SchemaCompiler, WeakMap<readonly JsonSchema[], ValidateFunction>>();

function validatorFor(schemas: readonly JsonSchema[], ctx: Ctx): ValidateFunction {
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

function inferTypes(shape: Shape): string[] {
  const out: string[] = [];
  if (
    shape.properties.size > 0 ||
    shape.required.size > 0 ||
    shape.additional.length > 0 ||
    shape.patternProperties.length > 0 ||
    shape.closed.length > 0 ||
    shape.minProperties !== undefined ||
    shape.discriminator !== undefined
  ) {
    out.push('object');
  }
  if (
    shape.items.length > 0 ||
    shape.prefixItems.length > 0 ||
    shape.minItems !== undefined ||
    shape.contains.length > 0
  ) {
    out.push('array');
  }
  if (shape.patterns.length > 0 || shape.minLength !== undefined || shape.maxLength !== undefined)
    out.push('string');
  else if (shape.formats.some((f) => STRING_FORMATS.has(f))) out.push('string');
  if (
    shape.minimum !== undefined ||
    shape.maximum !== undefined ||
    shape.exclusiveMinimum !== undefined ||
    shape.exclusiveMaximum !== undefined ||
    shape.multipleOf.length > 0 ||
    shape.formats.some((f) => NUMBER_FORMATS.has(f))
  ) {
    out.push(shape.formats.some((f) => f === 'int32' || f === 'int64') ? 'integer' : 'number');
  }
  return out;
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
  discriminatorValue?: { property: string; value: string },
): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const owners = shape.refNames;
  const includeOptional = !minimal && depth < OPTIONAL_DEPTH;
  const skipFlag =
    ctx.direction === 'request' ? 'readOnly' : ctx.direction === 'response' ? 'writeOnly' : undefined;
  const optional: string[] = [];

  const put = (key: string, schemas: readonly JsonSchema[]): void => {
    const value = generate(schemas, ctx, depth + 1, { prop: key, owners });
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

function applyDiscriminator(
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

function schemasForKey(shape: Shape, key: string): JsonSchema[] {
  const listed = shape.properties.get(key);
  if (listed) return listed;
  const matched = shape.patternProperties.filter(([pattern]) => safeTest(pattern, key)).map(([, s]) => s);
  if (matched.length > 0) return matched;
  return shape.additional.length > 0 ? shape.additional : [true];
}

function keyAllowed(shape: Shape, key: string): boolean {
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

function addExtraKeys(
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
    } while (shape.uniqueItems && seen.has(stableKey(value)) && tries < 6);
    if (shape.uniqueItems && seen.has(stableKey(value))) {
      if (out.length >= min) break;
    }
    if (value === undefined) break;
    seen.add(stableKey(value));
    out.push(value);
  }
  return out;
}

function mergePrefixes(prefixes: JsonSchema[][]): JsonSchema[][] {
  const out: JsonSchema[][] = [];
  for (const list of prefixes) list.forEach((schema, i) => (out[i] ??= []).push(schema));
  return out;
}

function singular(name: string): string {
  if (/ies$/i.test(name)) return name.slice(0, -3) + 'y';
  if (/(ses|xes|ches|shes)$/i.test(name)) return name.slice(0, -2);
  if (/[^s]s$/i.test(name)) return name.slice(0, -1);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Numbers

function numberBounds(
  shape: Shape,
  integer: boolean,
): { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (shape.minimum !== undefined) lo = shape.minimum;
  if (shape.exclusiveMinimum !== undefined && shape.exclusiveMinimum >= lo) {
    lo = shape.exclusiveMinimum;
    loOpen = true;
  }
  if (shape.maximum !== undefined) hi = shape.maximum;
  if (shape.exclusiveMaximum !== undefined && shape.exclusiveMaximum <= hi) {
    hi = shape.exclusiveMaximum;
    hiOpen = true;
  }
  const format = shape.formats[0];
  if (format === 'int32') {
    lo = Math.max(lo, -2147483648);
    hi = Math.min(hi, 2147483647);
  } else if (integer || format === 'int64') {
    lo = Math.max(lo, Number.MIN_SAFE_INTEGER);
    hi = Math.min(hi, Number.MAX_SAFE_INTEGER);
  }
  if (integer) {
    lo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    loOpen = false;
    hiOpen = false;
  }
  return { lo, hi, loOpen, hiOpen };
}

function numberFits(value: number, shape: Shape, integer: boolean): boolean {
  if (!Number.isFinite(value)) return false;
  if (integer && !Number.isInteger(value)) return false;
  const { lo, hi, loOpen, hiOpen } = numberBounds(shape, integer);
  if (value < lo || value > hi || (loOpen && value === lo) || (hiOpen && value === hi)) return false;
  return shape.multipleOf.every((m) => isMultiple(value, m));
}

function isMultiple(value: number, m: number): boolean {
  const q = value / m;
  return q === Math.trunc(q); // the same test Ajv performs
}

function generateNumber(shape: Shape, ctx: Ctx, hint: Hint, integer: boolean): number {
  const heuristic = hint.prop !== undefined ? numberByName(hint.prop, ctx, integer) : undefined;
  if (heuristic !== undefined && numberFits(heuristic, shape, integer)) return heuristic;
  const { lo, hi, loOpen, hiOpen } = numberBounds(shape, integer);
  // Realistic defaults inside whatever bounds the schema itself gives (format ranges are not a hint).
  const hasLo = shape.minimum !== undefined || shape.exclusiveMinimum !== undefined;
  const hasHi = shape.maximum !== undefined || shape.exclusiveMaximum !== undefined;
  let from = hasLo ? lo : hasHi ? hi - 1000 : 1;
  let to = hasHi ? hi : from + 1000;
  from = Math.max(from, lo);
  to = Math.min(to, hi);
  if (from > to) return Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;

  const multiples = shape.multipleOf;
  if (multiples.length > 0) {
    const m = multiples.reduce((a, b) => (isMultiple(a, b) ? a : isMultiple(b, a) ? b : a * b));
    const kLo = Math.ceil(from / m);
    const kHi = Math.floor(to / m);
    if (kLo <= kHi) {
      for (let tries = 0; tries < 12; tries++) {
        const k = kLo + Math.floor(ctx.rng() * Math.min(kHi - kLo + 1, 1e9));
        const value = roundTo(k * m, decimals(m));
        if (numberFits(value, shape, integer)) return value;
      }
      for (let k = kLo; k <= kHi && k < kLo + 1000; k++) {
        const value = roundTo(k * m, decimals(m));
        if (numberFits(value, shape, integer)) return value;
      }
    }
    return Number.isFinite(lo) ? lo : 0;
  }
  if (integer) {
    const span = to - from + 1;
    return from + Math.floor(ctx.rng() * span);
  }
  for (let tries = 0; tries < 8; tries++) {
    const raw = from + ctx.rng() * (to - from);
    const value = to - from >= 1 ? roundTo(raw, 2) : raw;
    if (!(loOpen && value <= lo) && !(hiOpen && value >= hi) && value >= from && value <= to) return value;
  }
  return (from + to) / 2;
}

function decimals(n: number): number {
  const text = String(n);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0].split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

function roundTo(value: number, places: number): number {
  if (places > 15) return value;
  return Number(value.toFixed(places));
}

// ---------------------------------------------------------------------------------------------
// Strings

const STRING_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'url',
  'uri-reference',
  'iri',
  'iri-reference',
  'uri-template',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'regex',
  'byte',
  'binary',
  'password',
  'base64',
]);
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

function generateString(shape: Shape, ctx: Ctx, hint: Hint): string {
  const format = shape.formats.find((f) => FORMAT_GENERATORS[f] !== undefined);
  if (shape.patterns.length > 0) {
    let last = '';
    for (let tries = 0; tries < 12; tries++) {
      last = randexp(shape.patterns[tries % shape.patterns.length], ctx);
      if (stringFits(last, shape, ctx)) return last;
    }
    return patternWithLength(shape, ctx) ?? last;
  }
  if (format) {
    let last = '';
    for (let tries = 0; tries < 4; tries++) {
      last = FORMAT_GENERATORS[format](ctx.rng, hint.prop);
      if (stringFits(last, shape, ctx)) return last;
    }
    return fitLength(last, shape, ctx);
  }
  if (shape.formats.length === 0 && hint.prop !== undefined) {
    const guess = stringByName(hint.prop, ctx.rng, shape);
    if (guess !== undefined && stringFits(guess, shape, ctx)) return guess;
  }
  return fitLength(words(ctx.rng, 1 + Math.floor(ctx.rng() * 3)), shape, ctx);
}

/**
 * A pattern with length bounds randexp rarely meets by chance (`[0-9a-f]+` with minLength = maxLength = 32):
 * samples of the pattern concatenated, then cut to a length within the bounds (`X+`, `[a-z]*` and unanchored
 * patterns still match).
 */
function patternWithLength(shape: Shape, ctx: Ctx): string | undefined {
  const min = shape.minLength ?? 0;
  const max = shape.maxLength ?? Math.max(min, 64);
  if (min > max || max > 4096) return undefined;
  for (const length of [min, max, Math.floor((min + max) / 2)]) {
    for (let tries = 0; tries < 4; tries++) {
      let text = '';
      for (let pieces = 0; [...text].length < length && pieces < length + 4; pieces++) {
        text += randexp(shape.patterns[pieces % shape.patterns.length], ctx);
      }
      const candidate = [...text].slice(0, length).join('');
      if (stringFits(candidate, shape, ctx)) return candidate;
    }
  }
  return undefined;
}

function fitLength(text: string, shape: Shape, ctx: Ctx): string {
  const min = shape.minLength ?? 0;
  const max = shape.maxLength ?? Math.max(min, 64);
  let chars = [...text];
  while (chars.length < min) chars = chars.concat([...(' ' + words(ctx.rng, 2))]);
  if (chars.length > max) chars = chars.slice(0, max);
  let out = chars.join('');
  if (out.length > 0 && out.trim() !== out && min <= out.trim().length) out = out.trim();
  return out;
}

function stringFits(value: string, shape: Shape, ctx: Ctx): boolean {
  const length = [...value].length;
  if (shape.minLength !== undefined && length < shape.minLength) return false;
  if (shape.maxLength !== undefined && length > shape.maxLength) return false;
  if (!shape.patterns.every((p) => safeTest(p, value))) return false;
  return shape.formats.every((f) => formatAccepts(f, value, ctx));
}

function formatAccepts(format: string, value: unknown, ctx: Ctx): boolean {
  const known = (ctx.compiler.ajv as unknown as { formats: Record<string, unknown> }).formats?.[format];
  if (known === undefined || known === true) return true;
  const test = (def: unknown): boolean => {
    if (def instanceof RegExp) return typeof value !== 'string' || def.test(value);
    if (typeof def === 'function') return Boolean((def as (v: unknown) => unknown)(value));
    if (isObject(def)) {
      const type = (def.type as string | undefined) ?? 'string';
      const applies = type === 'number' ? typeof value === 'number' : typeof value === 'string';
      return !applies || test(def.validate);
    }
    return true;
  };
  try {
    return test(known);
  } catch {
    return true;
  }
}

const regexCache = new Map<string, RegExp | null>();

function safeTest(pattern: string, value: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re === null ? true : re.test(value);
}

/** jsf's randexp, driven by our PRNG; jsf options are global, so they are set and restored around the call. */
/** Repetition bounds beyond this are lowered for generation (`^.{1,2097152}` in seldon's contract hung it). */
const REPETITION_CAP = 64;

/** `pattern` with every `{n,m}` whose `m` is over the cap bounded near `n`: what it generates still matches. */
function boundedRepetitions(pattern: string): string {
  return pattern.replace(/(?<!\\)\{(\d+),(\d+)\}/g, (whole, low: string, high: string) => {
    const min = Number(low);
    return Number(high) > REPETITION_CAP ? `{${min},${Math.max(min, REPETITION_CAP)}}` : whole;
  });
}

function randexp(pattern: string, ctx: Ctx): string {
  pattern = boundedRepetitions(pattern);
  const option = JSONSchemaFaker.option as unknown as (name: string, value?: unknown) => unknown;
  const previousRandom = option('random');
  const previousMax = option('defaultRandExpMax');
  try {
    option('random', ctx.rng);
    option('defaultRandExpMax', RANDEXP_MAX);
    return String(JSONSchemaFaker.random.randexp(pattern));
  } catch {
    return words(ctx.rng, 1);
  } finally {
    option('random', previousRandom ?? Math.random);
    option('defaultRandExpMax', previousMax ?? 10);
  }
}

function leafFits(value: unknown, shape: Shape, ctx: Ctx): boolean {
  if (shape.hasConst) return deepEqual(value, shape.constValue);
  if (shape.enumValues && !shape.enumValues.some((v) => deepEqual(v, value))) return false;
  const types = shape.types ?? inferTypes(shape);
  if (types.length > 0 && !typeMatches(value, types)) return false;
  if (typeof value === 'string') return stringFits(value, shape, ctx);
  if (typeof value === 'number') {
    return (
      numberFits(value, shape, types.length > 0 && !types.includes('number')) &&
      shape.formats.every((f) => formatAccepts(f, value, ctx))
    );
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Realistic values

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Guido',
  'Sophie',
  'Mateo',
  'Aiko',
  'Priya',
];
const LAST_NAMES = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
  'Rossum',
  'Wilson',
  'Garcia',
  'Tanaka',
  'Patel',
];
const CITIES = [
  'London',
  'Paris',
  'Berlin',
  'Tokyo',
  'New York',
  'San Francisco',
  'Toronto',
  'Sydney',
  'Madrid',
  'Amsterdam',
  'Lisbon',
  'Seoul',
];
const COUNTRIES = [
  'United Kingdom',
  'France',
  'Germany',
  'Japan',
  'United States',
  'Canada',
  'Australia',
  'Spain',
  'Netherlands',
  'Portugal',
];
const COUNTRY_CODES = ['GB', 'FR', 'DE', 'JP', 'US', 'CA', 'AU', 'ES', 'NL', 'PT'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'SEK'];
const STATES = ['California', 'Texas', 'Ontario', 'Bavaria', 'Queensland', 'New York'];
const STREETS = ['Main Street', 'High Street', 'Market Street', 'Elm Avenue', 'Baker Street', 'Park Lane'];
const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella Labs',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises',
];
const WORDS = [
  'alpha',
  'bravo',
  'canyon',
  'delta',
  'ember',
  'falcon',
  'garden',
  'harbor',
  'island',
  'jasmine',
  'kernel',
  'lagoon',
  'meadow',
  'nebula',
  'orbit',
  'prairie',
  'quartz',
  'river',
  'summit',
  'timber',
  'update',
  'valley',
  'willow',
  'zenith',
];
const TIMEZONES = [
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const STATUSES = ['active', 'pending', 'completed', 'archived'];
const MIME_TYPES = ['application/json', 'text/plain', 'image/png', 'application/pdf'];

type Rng = () => number;

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(rng() * 16)];
  return out;
}

function words(rng: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(rng, WORDS));
  return out.join(' ');
}

function sentence(rng: Rng): string {
  const text = words(rng, 4 + Math.floor(rng() * 5));
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** A moment between 2023-01-01 and 2025-12-31, to the second. */
function moment(rng: Rng): Date {
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  return new Date(start + Math.floor((rng() * span) / 1000) * 1000);
}

function isoDateTime(rng: Rng): string {
  return moment(rng).toISOString().replace('.000Z', 'Z');
}

function isoDate(rng: Rng): string {
  return moment(rng).toISOString().slice(0, 10);
}

function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = '89ab'[Math.floor(rng() * 4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function personName(rng: Rng): [string, string] {
  return [pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)];
}

function email(rng: Rng): string {
  const [first, last] = personName(rng);
  return `${slug(first)}.${slug(last).replace(/-/g, '')}@${pick(rng, DOMAINS)}`;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const FORMAT_GENERATORS: Record<string, (rng: Rng, prop?: string) => string> = {
  'date-time': isoDateTime,
  date: isoDate,
  time: (rng) => `${pad(int(rng, 0, 23))}:${pad(int(rng, 0, 59))}:${pad(int(rng, 0, 59))}Z`,
  duration: (rng) => `P${int(rng, 1, 30)}DT${int(rng, 1, 23)}H`,
  email,
  'idn-email': email,
  hostname: (rng) => `${pick(rng, ['api', 'www', 'app', 'mail'])}.${pick(rng, DOMAINS)}`,
  'idn-hostname': (rng) => `${pick(rng, ['api', 'www', 'app'])}.${pick(rng, DOMAINS)}`,
  ipv4: (rng) => `${int(rng, 10, 192)}.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`,
  ipv6: (rng) => `2001:db8:${hex(rng, 4)}:${hex(rng, 4)}::${hex(rng, 3).replace(/^0+/, '') || '1'}`,
  uri: (rng, prop) => urlFor(rng, prop),
  url: (rng, prop) => urlFor(rng, prop),
  iri: (rng, prop) => urlFor(rng, prop),
  'uri-reference': (rng) => `/${pick(rng, WORDS)}/${int(rng, 1, 999)}`,
  'iri-reference': (rng) => `/${pick(rng, WORDS)}/${int(rng, 1, 999)}`,
  'uri-template': (rng) => `https://${pick(rng, DOMAINS)}/${pick(rng, WORDS)}/{id}`,
  uuid,
  'json-pointer': (rng) => `/${pick(rng, WORDS)}/${int(rng, 0, 9)}`,
  'relative-json-pointer': (rng) => `${int(rng, 0, 3)}/${pick(rng, WORDS)}`,
  regex: () => '^[a-z0-9-]+$',
  byte: (rng) => base64(words(rng, 2)),
  base64: (rng) => base64(words(rng, 2)),
  binary: (rng) => words(rng, 3),
  password: (rng) => `${titleCase(pick(rng, WORDS))}-${hex(rng, 6)}!`,
};

function urlFor(rng: Rng, prop: string | undefined): string {
  const tokens = prop === undefined ? [] : nameTokens(prop);
  if (tokens.some((t) => IMAGE_WORDS.has(t)))
    return `https://images.${pick(rng, DOMAINS)}/${hex(rng, 8)}.png`;
  return `https://${pick(rng, DOMAINS)}/${pick(rng, WORDS)}/${int(rng, 1, 9999)}`;
}

const IMAGE_WORDS = new Set(['avatar', 'image', 'photo', 'picture', 'logo', 'icon', 'thumbnail', 'img']);

function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TIMESTAMP_WORDS = new Set([
  'created',
  'updated',
  'modified',
  'deleted',
  'expires',
  'expired',
  'started',
  'ended',
  'completed',
  'closed',
  'merged',
  'pushed',
  'published',
  'archived',
  'last',
  'due',
  'paid',
  'cancelled',
  'canceled',
  'submitted',
  'starred',
]);

function isTimestampName(tokens: string[], joined: string): boolean {
  const last = tokens[tokens.length - 1];
  if (joined.endsWith('timestamp') || joined === 'datetime') return true;
  if ((last === 'at' || last === 'time') && tokens.length > 1) return true;
  return tokens.length === 1 && TIMESTAMP_WORDS.has(joined) && joined !== 'last';
}

/** A realistic string for a property name, or undefined when the name says nothing. */
function stringByName(name: string, rng: Rng, shape: Shape): string | undefined {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const has = (...words: string[]): boolean => words.some((w) => tokens.includes(w));
  if (last === 'email' || joined === 'emailaddress' || joined === 'mail') return email(rng);
  if (last === 'uuid' || last === 'guid') return uuid(rng);
  if (joined === 'id' || last === 'id' || last === 'ids') return uuid(rng);
  if (joined === 'firstname' || joined === 'givenname') return personName(rng)[0];
  if (joined === 'lastname' || joined === 'surname' || joined === 'familyname') return personName(rng)[1];
  if (['username', 'login', 'handle', 'nickname', 'screenname', 'userlogin'].includes(joined)) {
    const [first, last2] = personName(rng);
    return `${slug(first)}${slug(last2).slice(0, 1)}${int(rng, 1, 99)}`;
  }
  if (
    [
      'companyname',
      'organizationname',
      'orgname',
      'company',
      'organization',
      'organisation',
      'employer',
      'businessname',
    ].includes(joined)
  ) {
    return pick(rng, COMPANIES);
  }
  if (joined === 'filename' || joined === 'file')
    return `${pick(rng, WORDS)}-${int(rng, 1, 99)}.${pick(rng, ['pdf', 'png', 'txt', 'csv'])}`;
  if (joined === 'hostname' || joined === 'host' || joined === 'domain' || joined === 'domainname')
    return `${pick(rng, ['api', 'www', 'app'])}.${pick(rng, DOMAINS)}`;
  if (
    last === 'name' &&
    (tokens.length === 1 ||
      has(
        'full',
        'display',
        'contact',
        'customer',
        'user',
        'author',
        'owner',
        'person',
        'holder',
        'account',
        'billing',
        'shipping',
        'real',
      ))
  ) {
    return personName(rng).join(' ');
  }
  if (last === 'name') return titleCase(words(rng, 2));
  if (has('phone', 'mobile', 'telephone', 'tel', 'fax', 'msisdn'))
    return `+1-555-${pad(int(rng, 100, 999), 3)}-${pad(int(rng, 0, 9999), 4)}`;
  if (last === 'city' || last === 'town' || last === 'locality') return pick(rng, CITIES);
  if (
    joined === 'countrycode' ||
    (last === 'country' && shape.maxLength !== undefined && shape.maxLength <= 3)
  )
    return pick(rng, COUNTRY_CODES);
  if (last === 'country') return pick(rng, COUNTRIES);
  if (joined === 'state' && has('address')) return pick(rng, STATES);
  if (['region', 'province', 'county'].includes(last)) return pick(rng, STATES);
  if (
    ['street', 'address', 'addressline', 'line1', 'address1', 'streetaddress', 'addressline1'].includes(
      joined,
    )
  ) {
    return `${int(rng, 1, 999)} ${pick(rng, STREETS)}`;
  }
  if (['line2', 'address2', 'addressline2'].includes(joined))
    return `Apt ${int(rng, 1, 40)}${pick(rng, ['A', 'B', 'C'])}`;
  if (['zip', 'zipcode', 'postalcode', 'postcode', 'postal'].includes(joined))
    return pad(int(rng, 10000, 99999), 5);
  if (last === 'currency' || joined === 'currencycode') return pick(rng, CURRENCIES);
  if (
    ['url', 'uri', 'href', 'link', 'website', 'homepage', 'permalink'].includes(last) ||
    tokens.some((t) => IMAGE_WORDS.has(t))
  ) {
    return urlFor(rng, name);
  }
  if (
    [
      'description',
      'summary',
      'bio',
      'about',
      'message',
      'body',
      'text',
      'comment',
      'note',
      'notes',
      'details',
      'reason',
      'content',
    ].includes(last)
  ) {
    return sentence(rng);
  }
  if (['title', 'subject', 'headline', 'label', 'caption'].includes(last)) return titleCase(words(rng, 3));
  if (isTimestampName(tokens, joined)) return isoDateTime(rng);
  if (last === 'date' || joined === 'dob' || joined === 'birthday' || (last === 'on' && tokens.length > 1))
    return isoDate(rng);
  if (joined === 'time') return FORMAT_GENERATORS.time(rng);
  if (last === 'color' || last === 'colour') return `#${hex(rng, 6)}`;
  if (joined === 'locale') return pick(rng, ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'ja-JP']);
  if (joined === 'language' || joined === 'lang') return pick(rng, ['en', 'fr', 'de', 'ja', 'es']);
  if (joined === 'timezone' || joined === 'tz' || joined === 'timezonename') return pick(rng, TIMEZONES);
  if (joined === 'ip' || joined === 'ipaddress' || last === 'ip') return FORMAT_GENERATORS.ipv4(rng);
  if (last === 'slug') return `${pick(rng, WORDS)}-${pick(rng, WORDS)}-${int(rng, 1, 99)}`;
  if (['sha', 'hash', 'etag', 'checksum', 'digest', 'commit', 'sha1'].includes(last)) return hex(rng, 40);
  if (['token', 'secret', 'apikey', 'key', 'nonce', 'signature'].includes(last)) return hex(rng, 32);
  if (last === 'version') return `${int(rng, 0, 5)}.${int(rng, 0, 20)}.${int(rng, 0, 9)}`;
  if (last === 'status' || joined === 'state') return pick(rng, STATUSES);
  if (['type', 'kind', 'category'].includes(last)) return pick(rng, ['standard', 'premium', 'basic']);
  if (['password', 'passwd', 'passphrase'].includes(last)) return FORMAT_GENERATORS.password(rng);
  if (last === 'path' || joined === 'filepath') return `/${pick(rng, WORDS)}/${pick(rng, WORDS)}.txt`;
  if (['mimetype', 'contenttype', 'mediatype'].includes(joined)) return pick(rng, MIME_TYPES);
  if (last === 'tag' || last === 'keyword' || last === 'topic') return pick(rng, WORDS);
  if (last === 'sku' || last === 'code')
    return `${pick(rng, WORDS).slice(0, 3).toUpperCase()}-${int(rng, 1000, 9999)}`;
  return undefined;
}

/** A realistic number for a property name, or undefined. */
function numberByName(name: string, ctx: Ctx, integer: boolean): number | undefined {
  const rng = ctx.rng;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return undefined;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1];
  const money = (): number => (integer ? int(rng, 100, 50000) : roundTo(int(rng, 500, 50000) / 100, 2));
  if (joined === 'id' || last === 'id') return int(rng, 1, 99999);
  if (isTimestampName(tokens, joined) || ['created', 'updated', 'timestamp'].includes(joined)) {
    const seconds = Math.floor(moment(rng).getTime() / 1000);
    return tokens.some((t) => t === 'ms' || t === 'millis' || t === 'milliseconds')
      ? seconds * 1000
      : seconds;
  }
  if (last === 'age') return int(rng, 18, 90);
  if (last === 'year') return int(rng, 1990, 2025);
  if (last === 'month') return int(rng, 1, 12);
  if (last === 'day') return int(rng, 1, 28);
  if (last === 'hour') return int(rng, 0, 23);
  if (last === 'minute' || last === 'second') return int(rng, 0, 59);
  if (['price', 'amount', 'cost', 'balance', 'subtotal', 'fee', 'salary', 'tax', 'total'].includes(last))
    return money();
  if (['count', 'size', 'quantity', 'qty', 'length', 'items', 'number', 'num'].includes(last))
    return int(rng, 1, 100);
  if (last === 'lat' || last === 'latitude')
    return integer ? int(rng, -90, 90) : roundTo(rng() * 180 - 90, 6);
  if (last === 'lng' || last === 'lon' || last === 'longitude')
    return integer ? int(rng, -180, 180) : roundTo(rng() * 360 - 180, 6);
  if (last === 'percent' || last === 'percentage')
    return integer ? int(rng, 0, 100) : roundTo(rng() * 100, 2);
  if (last === 'rating' || last === 'score' || last === 'stars')
    return integer ? int(rng, 1, 5) : roundTo(1 + rng() * 4, 1);
  if (last === 'port') return int(rng, 1024, 65535);
  if (last === 'page') return int(rng, 1, 10);
  if (['limit', 'perpage', 'pagesize'].includes(joined) || last === 'limit')
    return pick(rng, [10, 20, 50, 100]);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Repair: keep what is valid, fix the rest, guided by Ajv's error paths.

function repairPasses(value: unknown, schema: JsonSchema, validate: ValidateFunction, ctx: Ctx): unknown {
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
function pruneInvalid(value: unknown, validate: ValidateFunction): unknown {
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
  const keys = path
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
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
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
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

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
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
    if (isObject(value)) {
      const separated = separateOneOf(value, base, ctx);
      if (separated !== value && validate(separated)) return separated;
    }
    ({ shape, discriminatorValue } = chooseBranchesFor(value, base, ctx));
  }
  if (shape.hasConst) return clone(shape.constValue);
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
  if (isObject(current))
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
          candidate[name] = clone(excluding);
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
    if (discriminator && isObject(value) && typeof value[discriminator.propertyName] === 'string') {
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
    const childPath = `${path}/${escapePointer(key)}`;
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
      const key = stableKey(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (shape.maxItems !== undefined && out.length > shape.maxItems) out = out.slice(0, shape.maxItems);
  const min = shape.minItems ?? 0;
  const seen = new Set(out.map(stableKey));
  for (let tries = 0; out.length < min && tries < min * 4 + 4; tries++) {
    const i = out.length;
    const value = generate(i < prefix.length ? prefix[i] : itemSchemas, ctx, depth + 1, itemHint);
    if (value === undefined) break;
    if (shape.uniqueItems && seen.has(stableKey(value))) continue;
    seen.add(stableKey(value));
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

// ---------------------------------------------------------------------------------------------
// Small helpers

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, types: readonly string[]): boolean {
  const t = jsonType(value);
  if (types.includes(t)) return true;
  return t === 'integer' && types.includes('number');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => deepEqual(v, other[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function clone<T>(value: T): T {
  return value === undefined || value === null || typeof value !== 'object'
    ? value
    : (JSON.parse(JSON.stringify(value)) as T);
}
