/**
 * Request validation against the operation: parameters (deserialised per style, coerced to their
 * schema types, then validated) and the body (against the schema of the documented media type that
 * matches the request's Content-Type). Validators are compiled once per operation, on first use.
 *
 * readOnly properties are never required in a request body (OpenAPI: they are sent by the server
 * only), so the schemas used for bodies are a copy of the contract's schemas with those `required`
 * entries removed.
 */
import type Ajv2020 from 'ajv/dist/2020';
import { SchemaCompiler, createAjv, type ErrorObject, type ValidateFunction } from '../ajv';
import { isJsonMediaType } from '../media-types';
import type { Defs, JsonSchema, ParameterData } from '../types';
import { isFormMediaType } from './bodies';
import {
  ParameterDecodeError,
  isIgnoredHeader,
  prepareParameter,
  readParameter,
  type PreparedParameter,
  type RawParameters,
} from './parameters';
import { declaredProperties } from './schema-shape';
import type { RequestOperation, Violation } from './violation';

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;
const NO_VIOLATIONS: Violation[] = [];

export type ParameterValues = Record<(typeof LOCATIONS)[number], Record<string, unknown>>;

interface PreparedParameters {
  params: PreparedParameter[];
  queryNames: Set<string>;
  /** undefined when the operation has no parameters to check */
  validate?: ValidateFunction;
}

interface PreparedBody {
  validate?: ValidateFunction;
  flatNames?: Set<string>;
}

export interface BodySelection {
  /** the documented media type the body is validated against; undefined = nothing to validate */
  mediaType?: string;
  schema?: JsonSchema;
  /** the request's Content-Type is not documented (415) */
  unsupported?: boolean;
}

export class RequestValidator {
  private paramCompiler?: SchemaCompiler;
  private bodyCompiler?: SchemaCompiler;
  private formCompiler?: SchemaCompiler;
  private requestDefs?: Defs;
  private readonly paramCache = new WeakMap<RequestOperation, PreparedParameters>();
  private readonly bodyCache = new WeakMap<object, PreparedBody>();
  private readonly coerceCache = new WeakMap<object, ValidateFunction>();

  constructor(private readonly defs: Defs) {}

  /** Deserialises, coerces and validates the parameters; `values` hold the coerced values. */
  validateParameters(
    op: RequestOperation,
    raw: RawParameters,
  ): { values: ParameterValues; violations: Violation[] } {
    const prepared = this.prepareParameters(op);
    if (prepared.params.length === 0 && !prepared.validate) {
      return { values: { path: {}, query: {}, header: {}, cookie: {} }, violations: NO_VIOLATIONS };
    }
    const violations: Violation[] = [];
    let values = readParameters(prepared, raw, violations, false);
    if (prepared.validate && !prepared.validate(values)) {
      const errors = prepared.validate.errors ?? [];
      // many clients send `ids=1,2` for an exploded (`ids=1&ids=2`) query array: accepted when that fits
      const split = splitsCommaLists(prepared, values) ? readParameters(prepared, raw, [], true) : undefined;
      if (split && prepared.validate(split)) values = split;
      else violations.push(...toViolations(errors, []));
    }
    return { values, violations };
  }

  /**
   * `value` (strings from a header, a query...) coerced to the types of `schema` as parameters are
   * (integers, booleans, one value as a one-item array); what does not fit stays as it is.
   */
  coerce(schema: JsonSchema, value: unknown): unknown {
    const key = typeof schema === 'object' ? schema : schema ? TRUE_KEY : FALSE_KEY;
    let validate = this.coerceCache.get(key);
    if (!validate) {
      validate = this.paramCompilerFor().compile({ type: 'object', properties: { value: schema } });
      this.coerceCache.set(key, validate);
    }
    const holder = { value };
    validate(holder);
    return holder.value;
  }

  /** Which documented media type the request body is checked against. */
  selectBody(op: RequestOperation, requestMediaType: string, bodyPresent: boolean): BodySelection {
    const content = op.requestBody?.content ?? [];
    if (content.length === 0) return {};
    if (requestMediaType === '') {
      // no Content-Type: assume the first documented type (curl and friends often omit it)
      return bodyPresent ? { mediaType: content[0].mediaType, schema: content[0].schema } : {};
    }
    const found =
      content.find((c) => c.mediaType === requestMediaType) ??
      (isJsonMediaType(requestMediaType) ? content.find((c) => isJsonMediaType(c.mediaType)) : undefined) ??
      content.find((c) => wildcardMatches(c.mediaType, requestMediaType));
    if (found) return { mediaType: found.mediaType, schema: found.schema };
    return bodyPresent ? { unsupported: true } : {};
  }

  /** Form field names that contain brackets but are declared as such (kept flat when parsing). */
  flatFormNames(schema: JsonSchema | undefined): Set<string> | undefined {
    if (schema === undefined || typeof schema === 'boolean') return undefined;
    return this.prepareBody(schema, 'multipart/form-data').flatNames;
  }

  /** Violations of the request body (`body` is the parsed value; undefined when empty). */
  validateBody(op: RequestOperation, selection: BodySelection, body: unknown): Violation[] {
    if (body === undefined) {
      // a GET or HEAD body is one most clients cannot send (fetch, browsers): a required one is not
      // enforced (corpus: Azure `topQueryStatistics`, AWS `GET …/autoTunes` document one)
      const method = op.method.toLowerCase();
      return op.requestBody?.required && method !== 'get' && method !== 'head'
        ? [{ location: ['body'], severity: 'Error', code: 'required', message: 'Body parameter is required' }]
        : [];
    }
    const { schema, mediaType } = selection;
    if (schema === undefined || mediaType === undefined) return [];
    // only structured bodies are validated; text, XML and binary bodies are accepted as sent
    if (!isJsonMediaType(mediaType) && !isFormMediaType(mediaType) && !acceptsString(schema)) return [];
    const { validate } = this.prepareBody(schema, mediaType);
    if (!validate || validate(body)) return [];
    return toViolations(validate.errors ?? [], ['body']);
  }

  private prepareParameters(op: RequestOperation): PreparedParameters {
    let prepared = this.paramCache.get(op);
    if (prepared) return prepared;
    const params = op.parameters.filter((p) => !(p.in === 'header' && isIgnoredHeader(p.name)));
    const queryNames = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
    prepared = { params: params.map((p) => prepareParameter(p, this.defs)), queryNames };
    if (params.length > 0) prepared.validate = this.paramCompilerFor().compile(parametersSchema(params));
    this.paramCache.set(op, prepared);
    return prepared;
  }

  private prepareBody(schema: JsonSchema, mediaType: string): PreparedBody {
    const key = typeof schema === 'object' ? schema : schema ? TRUE_KEY : FALSE_KEY;
    const form = isFormMediaType(mediaType);
    const cacheKey = form ? formKey(key) : key;
    let prepared = this.bodyCache.get(cacheKey);
    if (prepared) return prepared;
    const requestSchema = withoutReadOnlyRequired(schema, this.requestDefinitions());
    const compiler = form ? this.formCompilerFor() : this.bodyCompilerFor();
    prepared = { validate: compiler.compile(requestSchema) };
    if (form) {
      const flat = declaredProperties(schema, this.defs).filter((name) => name.includes('['));
      if (flat.length > 0) prepared.flatNames = new Set(flat);
    }
    this.bodyCache.set(cacheKey, prepared);
    return prepared;
  }

  private requestDefinitions(): Defs {
    if (!this.requestDefs) {
      const defs: Defs = {};
      for (const [name, schema] of Object.entries(this.defs))
        defs[name] = withoutReadOnlyRequired(schema, this.defs);
      this.requestDefs = defs;
    }
    return this.requestDefs;
  }

  private paramCompilerFor(): SchemaCompiler {
    return (this.paramCompiler ??= new SchemaCompiler(this.defs, coercingAjv()));
  }

  private bodyCompilerFor(): SchemaCompiler {
    return (this.bodyCompiler ??= new SchemaCompiler(this.requestDefinitions(), createAjv()));
  }

  private formCompilerFor(): SchemaCompiler {
    return (this.formCompiler ??= new SchemaCompiler(this.requestDefinitions(), coercingAjv()));
  }
}

function readParameters(
  prepared: PreparedParameters,
  raw: RawParameters,
  violations: Violation[],
  splitCommaLists: boolean,
): ParameterValues {
  const values: ParameterValues = { path: {}, query: {}, header: {}, cookie: {} };
  for (const p of prepared.params) {
    try {
      let value = readParameter(p, raw, prepared.queryNames);
      if (splitCommaLists && isCommaList(p, value)) value = (value as string[])[0].split(',');
      if (value !== undefined) values[p.param.in][p.param.name] = value;
    } catch (err) {
      if (!(err instanceof ParameterDecodeError)) throw err;
      violations.push({
        location: [p.param.in, p.param.name],
        severity: 'Error',
        code: err.code,
        message: err.message,
      });
    }
  }
  return values;
}

/** An exploded form query array read from one pair holding commas (`ids=1,2`). */
function isCommaList(p: PreparedParameter, value: unknown): boolean {
  return (
    p.param.in === 'query' &&
    p.shape === 'array' &&
    p.param.explode &&
    (p.param.style === 'form' || !p.param.style) &&
    Array.isArray(value) &&
    value.length === 1 &&
    typeof value[0] === 'string' &&
    value[0].includes(',')
  );
}

function splitsCommaLists(prepared: PreparedParameters, values: ParameterValues): boolean {
  return prepared.params.some((p) => isCommaList(p, values.query[p.param.name]));
}

const TRUE_KEY = {};
const FALSE_KEY = {};
const formKeys = new WeakMap<object, object>();
function formKey(key: object): object {
  let k = formKeys.get(key);
  if (!k) formKeys.set(key, (k = {}));
  return k;
}

function coercingAjv(): Ajv2020 {
  return createAjv({ coerceTypes: 'array' });
}

function wildcardMatches(documented: string, actual: string): boolean {
  if (documented === '*/*') return true;
  if (documented.endsWith('/*')) return actual.startsWith(documented.slice(0, -1));
  return false;
}

function acceptsString(schema: JsonSchema): boolean {
  if (typeof schema === 'boolean') return false;
  const type = schema.type;
  return type === 'string' || (Array.isArray(type) && type.includes('string'));
}

/** One object schema over the four parameter locations, so one Ajv call checks them all. */
export function parametersSchema(params: ParameterData[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const location of LOCATIONS) {
    const own = params.filter((p) => p.in === location);
    if (own.length === 0) continue;
    const props: Record<string, JsonSchema> = {};
    for (const p of own) props[p.name] = p.schema;
    properties[location] = {
      type: 'object',
      properties: props,
      required: own.filter((p) => p.required || p.in === 'path').map((p) => p.name),
    };
  }
  return { type: 'object', properties };
}

/** Ajv errors as Prism-style violations with a location path. */
export function toViolations(errors: ErrorObject[], prefix: string[]): Violation[] {
  const seen = new Set<string>();
  const violations: Violation[] = [];
  for (const error of errors) {
    // `if` only says that `then`/`else` failed, which has its own error
    if (error.keyword === 'if') continue;
    const location = [...prefix, ...pointerSegments(error.instancePath)];
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      location.push(params.missingProperty);
      message = `must have required property '${params.missingProperty}'`;
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be equal to one of the allowed values: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      message = `must NOT have additional property '${params.additionalProperty}'`;
    }
    const key = `${location.join('\u0000')}\u0001${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({ location, severity: 'Error', code: error.keyword, message });
  }
  return violations;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A copy of `schema` in which no `required` entry names a readOnly property (looking through
 * `$ref` into `defs` and `allOf`). Shares unchanged subtrees with the original.
 */
export function withoutReadOnlyRequired(schema: JsonSchema, defs: Defs): JsonSchema {
  return transform(schema, defs, 0) as JsonSchema;
}

function transform(node: unknown, defs: Defs, depth: number): unknown {
  if (depth > 64 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((item) => {
      const t = transform(item, defs, depth + 1);
      if (t !== item) changed = true;
      return t;
    });
    return changed ? out : node;
  }
  const object = node as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    // `const`, `enum`, `default` and `examples` hold data, not schemas
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples' || key === 'example')
      continue;
    if (value === null || typeof value !== 'object') continue;
    const t = transform(value, defs, depth + 1);
    if (t !== value) (out ??= { ...object })[key] = t;
  }
  const required = object.required;
  const properties = object.properties;
  if (Array.isArray(required) && properties !== null && typeof properties === 'object') {
    const props = properties as Record<string, unknown>;
    const kept = required.filter((name) => !(typeof name === 'string' && isReadOnly(props[name], defs, 0)));
    if (kept.length !== required.length) (out ??= { ...object }).required = kept;
  }
  return out ?? node;
}

function isReadOnly(schema: unknown, defs: Defs, depth: number): boolean {
  if (depth > 16 || schema === null || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  if (s.readOnly === true) return true;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/')) {
    const name = s.$ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~');
    if (isReadOnly(defs[name], defs, depth + 1)) return true;
  }
  if (Array.isArray(s.allOf)) return s.allOf.some((member) => isReadOnly(member, defs, depth + 1));
  return false;
}
