/** Shapes: a schema with $ref resolved and allOf merged, the form generation and repair work on. */
import type { Defs, JsonSchema } from '../types';
import type { Ctx } from './generate';
import { deepEqual, isRecord } from '../json';
import { maxOf, minOf, num } from './helpers';
import { defName, refToPointer, splitPointer } from '../pointer';

export interface Choice {
  kind: 'oneOf' | 'anyOf';
  branches: JsonSchema[];
  discriminator?: Discriminator;
}

export interface Discriminator {
  propertyName: string;
  mapping: Record<string, string>;
  /** the named schema that declares it */
  holder?: string;
}

export interface Shape {
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

export function cloneShape(shape: Shape): Shape {
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

export function shapeOf(schemas: readonly JsonSchema[], ctx: Ctx): Shape {
  if (schemas.length === 1 && isRecord(schemas[0])) {
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

export function absorb(shape: Shape, schema: JsonSchema | undefined, ctx: Ctx, refPath: string[]): void {
  if (schema === undefined || schema === true) return;
  if (schema === false || !isRecord(schema)) {
    if (schema === false) shape.impossible = true;
    return;
  }
  const s = schema;
  if (typeof s.$ref === 'string') {
    const name = defName(s.$ref);
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

  if (isRecord(s.properties)) {
    for (const [key, sub] of Object.entries(s.properties)) {
      const list = shape.properties.get(key);
      if (list) list.push(sub as JsonSchema);
      else shape.properties.set(key, [sub as JsonSchema]);
    }
  }
  if (Array.isArray(s.required))
    for (const name of s.required) if (typeof name === 'string') shape.required.add(name);
  if (isRecord(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties))
      shape.patternProperties.push([pattern, sub as JsonSchema]);
  }
  if (s.additionalProperties === false) {
    shape.closed.push({
      names: new Set(isRecord(s.properties) ? Object.keys(s.properties) : []),
      patterns: isRecord(s.patternProperties) ? Object.keys(s.patternProperties) : [],
    });
  } else if (isRecord(s.additionalProperties)) shape.additional.push(s.additionalProperties);
  if (s.unevaluatedProperties === false) shape.unevaluatedFalse = true;
  if (s.propertyNames !== undefined && s.propertyNames !== true)
    shape.propertyNames.push(s.propertyNames as JsonSchema);
  shape.minProperties = maxOf(shape.minProperties, num(s.minProperties));
  shape.maxProperties = minOf(shape.maxProperties, num(s.maxProperties));
  if (isRecord(s.dependentRequired)) {
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
  if (!isRecord(value) || typeof value.propertyName !== 'string') return undefined;
  const mapping: Record<string, string> = {};
  if (isRecord(value.mapping)) {
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

export function refTarget(ref: string, defs: Defs, root: JsonSchema | undefined): JsonSchema | undefined {
  const name = defName(ref);
  const own = (map: unknown, key: string): unknown =>
    isRecord(map) && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  let node: unknown;
  if (name !== undefined) node = own(defs, name) ?? (isRecord(root) ? own(root.$defs, name) : undefined);
  else if (ref.startsWith('#')) {
    // any other local pointer, e.g. `#/$defs/Pet/properties/id` or `#/properties/a`
    let tokens = splitPointer(refToPointer(ref) ?? '');
    node = root;
    if (tokens[0] === '$defs' && tokens.length > 1 && own(defs, tokens[1]) !== undefined) {
      node = defs[tokens[1]];
      tokens = tokens.slice(2);
    }
    for (const token of tokens) node = isRecord(node) || Array.isArray(node) ? own(node, token) : undefined;
  }
  return typeof node === 'boolean' || isRecord(node) ? (node as JsonSchema) : undefined;
}

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

export function inferTypes(shape: Shape): string[] {
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
