/**
 * Ids for created resources, in the recorded format (integer, uuid, prefixed like `cus_…`, shaped like
 * a sample), and always ones the contract accepts: an id that fails the id parameter's or property's
 * schema (`^pay_[A-Za-z0-9]{12}$`, lengths, bounds) is replaced by one generated from those schemas,
 * so a create can be read back through the documented read operation.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SchemaCompiler, ValidateFunction } from '../core/ajv';
import type { ResourceStore } from '../session';
import { shapeToken } from '../tokens';
import type { Defs, IdFormat, JsonSchema, ResourceSpec } from '../core/types';
import { SEED_PARENT, findItem } from './collection';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function generateId(format: IdFormat, store: ResourceStore, sample: string | undefined): string {
  switch (format.kind) {
    case 'integer':
      return String(store.nextInt);
    case 'uuid':
      return randomUUID();
    case 'prefixed': {
      const prefix = format.prefix ?? '';
      const length = format.length ?? (sample ? Math.max(sample.length - prefix.length, 8) : 24);
      return prefix + randomString(length, format.alphabet || ALNUM);
    }
    case 'string':
      if (format.length !== undefined || format.alphabet !== undefined) {
        return randomString(format.length ?? 16, format.alphabet || ALNUM);
      }
      return sample ? shapeToken(sample) : randomString(16, ALNUM);
  }
}

export function newId(
  spec: ResourceSpec,
  store: ResourceStore,
  sample: string | undefined,
  parent = SEED_PARENT,
): string {
  const accepts = idCheck(spec);
  if (spec.idFormat.kind === 'integer') {
    // every stored id that reads as an integer is below nextInt (addItem): the next one is free
    const id = String(store.nextInt);
    if (accepts(id)) {
      store.nextInt += 1;
      return id;
    }
  } else if (!formatRejected.has(spec)) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = generateId(spec.idFormat, store, sample);
      // findItem is a map lookup: creating stays O(1) however many resources the store holds
      if (!findItem(store, parent, id) && accepts(id)) return id;
    }
    // the recorded format never meets the contract's id schema: later creates go to the schema directly
    formatRejected.add(spec);
  }
  return idFromSchemas(spec, store, parent, accepts);
}

const formatRejected = new WeakSet<ResourceSpec>();

let compiler: SchemaCompiler | undefined;

/** Created on the first id schema: Ajv (loaded here, not imported) stays out of start-up. */
function idCompiler(): SchemaCompiler {
  compiler ??= new (require('../core/ajv') as typeof import('../core/ajv')).SchemaCompiler({});
  return compiler;
}
const idChecks = new WeakMap<ResourceSpec, (id: string) => boolean>();
const ANY_ID = (): boolean => true;

/**
 * Whether an id (as path text) satisfies every id schema: a path parameter is checked as the text or
 * as the number it reads as (integer parameters are coerced), a property as the value the resource holds.
 */
function idCheck(spec: ResourceSpec): (id: string) => boolean {
  let check = idChecks.get(spec);
  if (!check) {
    const validators: ValidateFunction[] = (spec.idSchemas ?? []).map((schema) =>
      idCompiler().compile(schema),
    );
    check =
      validators.length === 0
        ? ANY_ID
        : (id) => {
            const numeric = /^-?\d{1,15}$/.test(id) ? Number(id) : undefined;
            return validators.every((v) => v(id) || (numeric !== undefined && v(numeric)));
          };
    idChecks.set(spec, check);
  }
  return check;
}

/** An id generated from the id schemas (seeded by the collection's count, so runs repeat), unused in the collection. */
function idFromSchemas(
  spec: ResourceSpec,
  store: ResourceStore,
  parent: string,
  accepts: (id: string) => boolean,
): string {
  const schemas = spec.idSchemas ?? [];
  const [first] = schemas;
  // loaded on first use: json-schema-faker stays out of start-up
  const fake = require('../core/fake') as typeof import('../core/fake');
  let fallback: string | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    const seed = `${spec.name}\u0000${store.created}\u0000${store.nextInt}\u0000${attempt}`;
    const value =
      first === undefined
        ? randomString(16, ALNUM)
        : (plainString(schemas, attempt) ??
          fake.generateValue(schemas.length > 1 ? { allOf: schemas } : first, defsOf(schemas), { seed }));
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const id = String(value);
    fallback ??= id;
    if (!findItem(store, parent, id) && accepts(id)) {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= store.nextInt)
        store.nextInt = value + 1;
      return id;
    }
  }
  // an id space too small for another resource (an enum of two): the collection keeps the newest
  return fallback ?? randomUUID();
}

function defsOf(schemas: readonly JsonSchema[]): Defs {
  const defs: Defs = {};
  for (const schema of schemas)
    if (typeof schema === 'object' && schema.$defs) Object.assign(defs, schema.$defs as Defs);
  return defs;
}

/**
 * A string id bounded only by lengths (`minLength: 40`): letters and digits of a length the bounds
 * allow, not the words a fake string of that length would be.
 */
function plainString(schemas: readonly JsonSchema[], attempt: number): string | undefined {
  let min = 1;
  let max = Infinity;
  for (const schema of schemas) {
    if (typeof schema !== 'object') return undefined;
    for (const key of Object.keys(schema)) {
      if (key === 'minLength' && typeof schema.minLength === 'number') min = Math.max(min, schema.minLength);
      else if (key === 'maxLength' && typeof schema.maxLength === 'number')
        max = Math.min(max, schema.maxLength);
      else if (key !== 'type' || schema.type !== 'string') {
        if (!['title', 'description', 'example', 'examples', 'readOnly', 'nullable'].includes(key))
          return undefined;
      }
    }
  }
  if (min > max || min > 4096) return undefined;
  return randomString(Math.min(Math.max(min, 24 + attempt), max), ALNUM);
}

/** The id as the resource holds it: a number for integer ids unless the resource shape uses strings. */
export function typedId(spec: ResourceSpec, id: string, sample: unknown): string | number {
  if (spec.idFormat.kind !== 'integer' || typeof sample === 'string') return id;
  const numeric = Number(id);
  return Number.isSafeInteger(numeric) ? numeric : id;
}
