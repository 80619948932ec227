/**
 * Direction views: OpenAPI says a required readOnly property is only required in responses (and
 * writeOnly only in requests). The view drops those names from `required`, sharing every schema
 * object it does not need to change so compiled validators stay cached.
 */
import { createAjv, SchemaCompiler, type ValidateFunction } from '../ajv';
import type { Defs, JsonSchema } from '../types';
import { isRecord } from '../json';
import type { Direction, FakeOptions } from './options';
import { refTarget } from './shapes';
import { DEFS_PREFIX, unescapeToken } from '../pointer';

export interface View {
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
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out[key] = this.rewriteRef(value);
      else if (DATA_KEYWORDS.has(key)) out[key] = value;
      else if (SCHEMA_MAP_KEYWORDS.includes(key) && isRecord(value)) {
        const map: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(value)) map[name] = this.rewrite(sub);
        out[key] = map;
      } else out[key] = this.rewrite(value);
    }
    return out;
  }

  private rewriteRef(ref: string): string {
    if (!ref.startsWith(DEFS_PREFIX)) return ref;
    const rest = ref.slice(DEFS_PREFIX.length);
    const slash = rest.indexOf('/');
    const token = slash < 0 ? rest : rest.slice(0, slash);
    const name = unescapeToken(token);
    if (!this.names.has(name)) return ref;
    return DEFS_ID + encodeURIComponent(name) + (slash < 0 ? '' : `#${rest.slice(slash)}`);
  }
}

const TRUE_KEY = {};
const FALSE_KEY = {};
const DATA_KEYWORDS = new Set(['enum', 'const', 'example', 'examples', 'default']);

export function viewFor(schema: JsonSchema, defs: Defs, options: FakeOptions): View {
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
  if (!isRecord(schema)) return schema;
  const known = memo.get(schema);
  if (known !== undefined) return known;
  memo.set(schema, schema); // a schema reaches itself only through $ref, which is not followed here
  let copy: Record<string, unknown> | undefined;
  const strip = (sub: unknown): unknown =>
    isRecord(sub) ? stripDirectionRequired(sub, defs, direction, memo) : sub;
  for (const key of SCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (!isRecord(map)) continue;
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
    if (!isRecord(sub)) continue;
    const next = strip(sub);
    if (next !== sub) (copy ??= { ...schema })[key] = next;
  }
  const properties = schema.properties;
  if (Array.isArray(schema.required) && isRecord(properties)) {
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
  if (!isRecord(schema) || depth > 8) return false;
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
