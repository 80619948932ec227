/**
 * The body of an error the mock makes up (a 404 for a resource the store does not hold, a 401, a 422
 * for an invalid request...) when the contract gives its error schema but no example: a minimal error
 * object shaped by that schema (required properties plus the usual error fields) that says what
 * happened, instead of random data an SDK would misread.
 *
 *   Stripe   `{ error: { type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_1'" } }`
 *   GitHub   `{ message: "No such issue: '7'", documentation_url: …, status: '404' }`
 *
 * The caller repairs the result against the schema afterwards (conform.ts), so what this does not
 * know how to fill is generated there.
 */
import type { Defs, JsonSchema } from './core/types';
import { singular } from './core/names';
import { followDefRefs } from './core/schema';

type Json = Record<string, unknown>;

export interface NotFoundFacts {
  /** e.g. `No such customer: 'cus_1'` */
  message: string;
  /** machine code for string `code` fields without an enum */
  code: string;
}

export interface ErrorFacts extends NotFoundFacts {
  /** the HTTP status of the error */
  status: number;
}

const MESSAGE =
  /^(message|detail|details|error_description|error_message|errormessage|description|msg|reason)$/i;
const CODE = /^(code|error_code|errorcode|status|status_code|statuscode|type|error_type|kind)$/i;
const CONTAINER = /^(error|errors|err|fault|problem)$/i;
/** enum values an error of this status takes, best first */
const ENUM_PREFERENCE: Record<number, RegExp[]> = {
  401: [/unauthori[sz]ed|unauthenticated|authentication/i, /auth|credential|api.?key/i],
  403: [/forbidden|permission|access.?denied/i, /auth/i],
  404: [/not.?found/i, /missing|no.?such/i],
  415: [/unsupported|media.?type|content.?type/i],
  422: [/validation|unprocessable/i],
};
const GENERAL_PREFERENCE = [/invalid.?request/i, /invalid|request/i];
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

/** `customers` → `customer`, `/v1/customers/{customer}` collection → its noun. */
export function singularNoun(collectionPath: string): string {
  const last =
    collectionPath
      .split('/')
      .filter((s) => s !== '' && !s.startsWith('{'))
      .pop() ?? 'resource';
  return singular(last.replace(/[-_]+/g, ' '));
}

function deref(schema: JsonSchema | undefined, defs: Defs, depth: number): Json | undefined {
  const node = followDefRefs(schema, defs);
  if (node === null || typeof node !== 'object' || depth > 8) return undefined;
  const record = node as Json;
  // the first object-like branch of a composition stands for the whole
  for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
    const branches = record[keyword];
    if (!Array.isArray(branches) || record.properties !== undefined) continue;
    for (const branch of branches) {
      const found = deref(branch as JsonSchema, defs, depth + 1);
      if (found && (found.properties !== undefined || found.type === 'object')) return found;
    }
  }
  return record;
}

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties !== undefined) return ['object'];
  return [];
}

function leaf(name: string, schema: Json, facts: ErrorFacts): unknown {
  const types = typesOf(schema);
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
      ? [schema.const]
      : undefined;
  const status = facts.status;
  if (values && values.length > 0) {
    for (const pattern of [...(ENUM_PREFERENCE[status] ?? []), ...GENERAL_PREFERENCE]) {
      const found = values.find((v) => typeof v === 'string' && pattern.test(v));
      if (found !== undefined) return found;
    }
    return values.find((v) => v === status || v === String(status)) ?? values[0];
  }
  if (types.includes('integer') || types.includes('number')) return CODE.test(name) ? status : undefined;
  if (!types.includes('string') && types.length > 0) return undefined;
  if (MESSAGE.test(name)) return facts.message;
  if (/^(status|status_code|statuscode)$/i.test(name)) return String(status);
  if (/^(title)$/i.test(name)) return TITLES[status] ?? 'Error';
  if (/^(type)$/i.test(name) && schema.format === 'uri') return 'about:blank';
  if (CODE.test(name)) return facts.code;
  return undefined;
}

/** A minimal 404 body for `schema` that says `facts` (see errorBody). */
export function notFoundBody(schema: JsonSchema, defs: Defs, facts: NotFoundFacts): Json | undefined {
  return errorBody(schema, defs, { ...facts, status: 404 });
}

/**
 * A minimal error body for `schema` that says `facts`; `undefined` when the schema is not an object.
 * Properties it cannot fill are left out (the caller repairs required ones).
 */
export function errorBody(schema: JsonSchema, defs: Defs, facts: ErrorFacts, depth = 0): Json | undefined {
  const resolved = deref(schema, defs, 0);
  if (!resolved || !typesOf(resolved).includes('object') || depth > 4) return undefined;
  const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(resolved.required) ? (resolved.required as string[]) : []);
  const out: Json = {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = deref(raw, defs, 0);
    if (!property) continue;
    const wanted =
      required.has(name) || MESSAGE.test(name) || CODE.test(name) || CONTAINER.test(name) || name === 'title';
    if (!wanted) continue;
    if (typesOf(property).includes('object')) {
      const nested = errorBody(property, defs, facts, depth + 1);
      if (nested !== undefined) out[name] = nested;
      continue;
    }
    const value = leaf(name, property, facts);
    if (value !== undefined) out[name] = value;
    // a required detail that may be null (`param: null`) is, rather than made up
    else if (required.has(name) && allowsNull(property)) out[name] = null;
  }
  return out;
}

function allowsNull(schema: Json): boolean {
  if (typesOf(schema).includes('null') || schema.nullable === true) return true;
  return ['anyOf', 'oneOf'].some(
    (keyword) =>
      Array.isArray(schema[keyword]) &&
      (schema[keyword] as unknown[]).some(
        (branch) => branch !== null && typeof branch === 'object' && (branch as Json).type === 'null',
      ),
  );
}
