import type { Defs, JsonSchema } from '../model/types';
import type { Diagnostics } from './diagnostics';
import { type JsonObject, isRecord } from '../../templates/runtime/core/json';
import { child, getAt, joinPointer, refToPointer, splitPointer } from '../../templates/runtime/core/pointer';

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is one schema (or a boolean). */
const SCHEMA_VALUES = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'contentSchema',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/**
 * Dropped: identifiers and dialect switches would change how `#/$defs/...` resolves inside Ajv, nested
 * definitions are reached through `$ref` (and become their own `$defs` entry), the rest are not JSON Schema.
 */
const DROPPED = new Set([
  '$id',
  '$schema',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  '$vocabulary',
  '$defs',
  'definitions',
  'collectionFormat',
  'nullable',
  'x-nullable',
  'example',
]);
/** Kept on the outside when a schema is wrapped (nullable `$ref` or composition). */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'readOnly',
  'writeOnly',
  'deprecated',
  'default',
  'examples',
]);

/**
 * Converts OpenAPI schemas (Swagger 2.0 / 3.0 / 3.1) of a bundled document to JSON Schema 2020-12.
 * Every `$ref` becomes `#/$defs/<name>`; the converted target lands in `defs` under that name
 * (memoised by pointer before descending, so recursive schemas terminate).
 */
export class SchemaConverter {
  private readonly defs: Defs = {};
  private readonly nameByPointer = new Map<string, string>();
  private readonly takenNames = new Set<string>();
  private readonly converted = new Set<string>();
  private readonly active = new Set<object>();

  constructor(
    private readonly doc: JsonObject,
    private readonly version: OpenApiVersion,
    private readonly diagnostics: Diagnostics,
    /** Pointer → name for content bundling inlined from another file (`./money.yaml#/Money` → `Money`). */
    private readonly nameHints: ReadonlyMap<string, string> = new Map(),
  ) {
    // Component names are claimed first, in document order, so they keep their own name whatever is
    // reached first; everything else is named after its pointer.
    const base = version === '2.0' ? '/definitions' : '/components/schemas';
    const components = getAt(doc, base);
    if (isRecord(components)) {
      for (const name of Object.keys(components)) this.nameFor(child(base, name));
    }
  }

  /** Every schema reached through `$ref` so far, keys sorted. */
  schemas(): Defs {
    const out: Defs = {};
    for (const name of Object.keys(this.defs).sort()) out[name] = this.defs[name];
    return out;
  }

  /** Converts the schema found at `pointer` in the bundled document. */
  convertAt(pointer: string): JsonSchema {
    return this.convert(getAt(this.doc, pointer), pointer);
  }

  /** Converts a schema node; `pointer` says where it is (for names and diagnostics). */
  convert(node: unknown, pointer: string): JsonSchema {
    if (typeof node === 'boolean') return node;
    if (!isRecord(node)) {
      this.diagnostics.warn(
        'invalid-schema',
        pointer,
        `schema is ${describe(node)}, expected an object; any value accepted`,
      );
      return {};
    }
    if (this.active.has(node)) {
      // Only YAML aliases can make a document cyclic without `$ref`.
      this.diagnostics.warn(
        'invalid-schema',
        pointer,
        'schema contains itself through a YAML alias; any value accepted',
      );
      return {};
    }
    this.active.add(node);
    try {
      return typeof node.$ref === 'string'
        ? this.convertRef(node, pointer)
        : this.convertObject(node, pointer);
    } finally {
      this.active.delete(node);
    }
  }

  /** `#/$defs/<name>` for the schema at an internal pointer, converting it on first use. */
  refTo(targetPointer: string): string {
    const name = this.nameFor(targetPointer);
    if (!this.converted.has(targetPointer)) {
      this.converted.add(targetPointer);
      this.defs[name] = {}; // placeholder: recursion back here finds the name already taken
      const target = getAt(this.doc, targetPointer);
      this.defs[name] =
        target === undefined ? this.unresolved(targetPointer) : this.convert(target, targetPointer);
    }
    return `#/$defs/${name}`;
  }

  private unresolved(targetPointer: string): JsonSchema {
    this.diagnostics.warn(
      'unresolved-ref',
      targetPointer,
      `$ref target #${targetPointer} does not exist; any value accepted`,
    );
    return {};
  }

  private convertRef(node: JsonObject, pointer: string): JsonSchema {
    const ref = node.$ref as string;
    const target = refToPointer(ref);
    let refSchema: JsonObject;
    if (target === undefined) {
      this.diagnostics.warn(
        'unsupported-ref',
        pointer,
        `$ref ${JSON.stringify(ref)} is not a JSON pointer; any value accepted`,
      );
      refSchema = {};
    } else {
      refSchema = { $ref: this.refTo(target) };
    }
    const nullable = node.nullable === true || node['x-nullable'] === true;
    const siblings: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref') siblings[key] = value;
    }
    // OpenAPI 3.1 (JSON Schema 2020-12) gives `$ref` siblings meaning; before 3.1 they are ignored,
    // except annotations and nullable, which authors rely on in practice.
    const rest =
      this.version === '3.1'
        ? this.convertObject(siblings, pointer)
        : pickAnnotations(this.convertObject(siblings, pointer));
    if (nullable) {
      const { inner, outer } = splitAnnotations(rest);
      const core = Object.keys(inner).length > 0 ? { ...inner, ...refSchema } : refSchema;
      return { ...outer, anyOf: [core, { type: 'null' }] };
    }
    return { ...rest, ...refSchema };
  }

  private convertObject(node: JsonObject, pointer: string): JsonObject {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED.has(key)) continue;
      const at = child(pointer, key);
      if (SCHEMA_MAPS.has(key)) {
        if (isRecord(value)) out[key] = this.convertMap(value, at);
        else this.dropKeyword(key, value, pointer);
      } else if (SCHEMA_VALUES.has(key)) {
        out[key] = this.convert(value, at);
      } else if (SCHEMA_LISTS.has(key)) {
        if (Array.isArray(value)) out[key] = value.map((item, i) => this.convert(item, child(at, i)));
        else this.dropKeyword(key, value, pointer);
      } else if (key === 'items') {
        if (Array.isArray(value)) {
          // draft-04 tuple form (Swagger 2.0 / 3.0 tools emit it): 2020-12 calls it prefixItems.
          out.prefixItems = value.map((item, i) => this.convert(item, child(at, i)));
        } else {
          out.items = this.convert(value, at);
        }
      } else if (key === 'additionalItems') {
        if (Array.isArray(node.items)) out.items = this.convert(value, at);
      } else if (key === 'dependencies') {
        this.convertDependencies(value, at, out);
      } else if (key === 'type') {
        const type = this.convertType(value, pointer);
        if (type !== undefined) out.type = type;
      } else if (key === 'required') {
        if (Array.isArray(value)) out.required = [...new Set(value.filter((v) => typeof v === 'string'))];
      } else if (key === 'enum') {
        if (Array.isArray(value)) out.enum = value;
        else this.dropKeyword(key, value, pointer);
      } else if (key === 'examples') {
        if (Array.isArray(value)) out.examples = value;
      } else if (key === 'discriminator') {
        out.discriminator = this.convertDiscriminator(value);
      } else if (key === 'format') {
        if (typeof value === 'string') out.format = value;
      } else {
        out[key] = value;
      }
    }
    if (node.type === 'file' && out.format === undefined) out.format = 'binary';
    if ('example' in node && out.examples === undefined) out.examples = [node.example];
    convertExclusiveBound(out, 'exclusiveMinimum', 'minimum');
    convertExclusiveBound(out, 'exclusiveMaximum', 'maximum');
    if (node.nullable === true || node['x-nullable'] === true) return makeNullable(out);
    return out;
  }

  private convertMap(map: JsonObject, pointer: string): JsonObject {
    const out: JsonObject = {};
    for (const [name, schema] of Object.entries(map)) out[name] = this.convert(schema, child(pointer, name));
    return out;
  }

  private convertType(value: unknown, pointer: string): string | string[] | undefined {
    const one = (t: unknown): string | undefined => {
      if (t === 'file') return 'string';
      if (typeof t === 'string' && JSON_TYPES.has(t)) return t;
      this.diagnostics.warn(
        'invalid-schema',
        child(pointer, 'type'),
        `unknown type ${JSON.stringify(t)} ignored`,
      );
      return undefined;
    };
    if (Array.isArray(value)) {
      const types = [...new Set(value.map(one).filter((t): t is string => t !== undefined))];
      return types.length === 0 ? undefined : types;
    }
    return one(value);
  }

  private convertDependencies(value: unknown, pointer: string, out: JsonObject): void {
    if (!isRecord(value)) return;
    for (const [name, dep] of Object.entries(value)) {
      if (Array.isArray(dep)) {
        out.dependentRequired = { ...(out.dependentRequired as JsonObject | undefined), [name]: dep };
      } else {
        out.dependentSchemas = {
          ...(out.dependentSchemas as JsonObject | undefined),
          [name]: this.convert(dep, child(pointer, name)),
        };
      }
    }
  }

  /** Mapping values that are refs (or bare component names) are rewritten to `#/$defs/<name>`. */
  private convertDiscriminator(value: unknown): unknown {
    if (!isRecord(value) || !isRecord(value.mapping)) return value;
    const mapping: JsonObject = {};
    for (const [key, target] of Object.entries(value.mapping)) {
      mapping[key] = target;
      if (typeof target !== 'string') continue;
      const pointer = refToPointer(target) ?? this.componentPointer(target);
      if (pointer !== undefined && getAt(this.doc, pointer) !== undefined) mapping[key] = this.refTo(pointer);
    }
    return { ...value, mapping };
  }

  private componentPointer(name: string): string | undefined {
    const pointer = child(this.version === '2.0' ? '/definitions' : '/components/schemas', name);
    return getAt(this.doc, pointer) === undefined ? undefined : pointer;
  }

  private dropKeyword(key: string, value: unknown, pointer: string): void {
    this.diagnostics.warn('invalid-schema', child(pointer, key), `\`${key}\` is ${describe(value)}; ignored`);
  }

  private nameFor(pointer: string): string {
    const known = this.nameByPointer.get(pointer);
    if (known !== undefined) return known;
    const base = this.hintedName(pointer) ?? readableName(pointer, this.version);
    let name = base;
    for (let n = 2; this.takenNames.has(name); n++) name = `${base}_${n}`;
    this.takenNames.add(name);
    this.nameByPointer.set(pointer, name);
    return name;
  }

  /** `Money` for content inlined from `./money.yaml#/Money`, `Money.properties.currency` below it. */
  private hintedName(pointer: string): string | undefined {
    if (this.nameHints.size === 0) return undefined;
    const tokens = splitPointer(pointer);
    for (let n = tokens.length; n > 0; n--) {
      const hint = this.nameHints.get(joinPointer(tokens.slice(0, n)));
      if (hint !== undefined) {
        const rest = readableName(joinPointer(tokens.slice(n)), this.version);
        return n === tokens.length ? hint : `${hint}.${rest}`;
      }
    }
    return undefined;
  }
}

/** `Pet` for `/components/schemas/Pet`, `Pet.properties.owner` below it, a dotted path otherwise. */
export function readableName(pointer: string, version: OpenApiVersion): string {
  const tokens = splitPointer(pointer);
  let parts: string[];
  if (version !== '2.0' && tokens[0] === 'components' && tokens[1] === 'schemas' && tokens.length >= 3) {
    parts = tokens.slice(2);
  } else if (tokens[0] === 'definitions' && tokens.length >= 2) {
    parts = tokens.slice(1);
  } else {
    parts = tokens;
  }
  const name = parts
    .map((t) => t.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[_.]+|[_.]+$/g, ''))
    .filter((t) => t !== '')
    .join('.');
  if (name === '') return 'schema';
  return name.length > 120 ? name.slice(0, 120) : name;
}

/** A name for content referenced as `file.yaml#/a/B` (`B`) or `file.yaml` (`file`). */
export function nameFromRef(ref: string): string {
  const [file, fragment = ''] = ref.split('#');
  const tokens = splitPointer(fragment.startsWith('/') ? fragment : '');
  const last =
    tokens.length > 0 ? tokens[tokens.length - 1] : (file.split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '');
  const name = last.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[_.]+|[_.]+$/g, '');
  return name === '' ? 'schema' : name;
}

function convertExclusiveBound(
  out: JsonObject,
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
  bound: string,
): void {
  const flag = out[exclusive];
  if (typeof flag !== 'boolean') return;
  delete out[exclusive];
  if (flag && typeof out[bound] === 'number') {
    out[exclusive] = out[bound];
    delete out[bound];
  }
}

/** OpenAPI 3.0 `nullable` / Swagger `x-nullable` in 2020-12 terms. */
export function makeNullable(schema: JsonObject): JsonObject {
  const composed = ['allOf', 'anyOf', 'oneOf', '$ref', 'not'].some((k) => k in schema);
  if (composed) {
    const { inner, outer } = splitAnnotations(schema);
    return { ...outer, anyOf: [inner, { type: 'null' }] };
  }
  const out = { ...schema };
  if (typeof out.type === 'string') out.type = out.type === 'null' ? 'null' : [out.type, 'null'];
  else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if ('const' in out && out.const !== null) {
    out.enum = [out.const, null];
    delete out.const;
  }
  return out;
}

function splitAnnotations(schema: JsonObject): { inner: JsonObject; outer: JsonObject } {
  const inner: JsonObject = {};
  const outer: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) outer[key] = value;
    else inner[key] = value;
  }
  return { inner, outer };
}

function pickAnnotations(schema: JsonObject): JsonObject {
  return splitAnnotations(schema).outer;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'undefined' ? 'missing' : `the ${typeof value} ${String(value)}`}`;
}
