/**
 * The one normalised model every stage after the loaders works on.
 * Swagger 2.0 / OpenAPI 3.0 / 3.1 differences die in `contract/`; raw HAR dies in `recordings/`.
 *
 * Schemas: every schema in the model is JSON Schema draft 2020-12 (OpenAPI 3.0 `nullable`,
 * boolean `exclusiveMinimum`, Swagger `x-nullable` / `type: file` are converted by the loader).
 * Every `$ref` in a model schema has the form `#/$defs/<name>` and points into `Contract.schemas`.
 * Use `templates/runtime/core/schema.ts` (`selfContained(schema, defs)`) to get a schema that carries the
 * `$defs` it needs, for Ajv or json-schema-faker.
 */
import type {
  Defs,
  JsonSchema,
  SecurityRequirement,
  SecurityScheme,
} from '../../templates/runtime/core/types';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** One definition of schemas for the generator and the emitted server. */
export type { Defs, JsonSchema } from '../../templates/runtime/core/types';

/** Where something came from, so messages can point at it. */
export interface Location {
  /** File path as the user gave it (or as resolved for external refs). */
  file: string;
  /** JSON pointer inside the (bundled) contract, e.g. `/paths/~1pets/get/responses/200`. */
  pointer: string;
}

export interface Diagnostic extends Location {
  severity: 'error' | 'warning' | 'info';
  /** Stable machine-readable code, e.g. `invalid-example`. */
  code: string;
  message: string;
  /** Operation as `GET /pets/{petId}` when the diagnostic belongs to one. */
  operation?: string;
}

export interface NamedExample {
  /** `default` for a lone `example`; the key for `examples` maps; `example-N` for 3.1 `examples` arrays. */
  name: string;
  summary?: string;
  value: unknown;
  /** Pointer to the example in the contract. */
  pointer: string;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** OpenAPI 3 style; Swagger collectionFormat is mapped (csv→form/explode=false, multi→form/explode=true, ssv→spaceDelimited, pipes→pipeDelimited, tsv→tabDelimited). */
  style:
    | 'matrix'
    | 'label'
    | 'form'
    | 'simple'
    | 'spaceDelimited'
    | 'pipeDelimited'
    | 'deepObject'
    | 'tabDelimited';
  explode: boolean;
  allowReserved: boolean;
  /** Parameter defined with `content` instead of `schema`: the value is serialised in this media type (usually JSON). */
  contentType?: string;
  schema: JsonSchema;
  deprecated: boolean;
  examples: NamedExample[];
  pointer: string;
}

export interface Encoding {
  contentType?: string;
  style?: string;
  explode?: boolean;
}

export interface MediaTypeSpec {
  /** Lower-cased media type without parameters, e.g. `application/json`, `application/vnd.acme+json`, `*\/*`. */
  mediaType: string;
  /** Absent when the contract documents no schema (any body allowed). */
  schema?: JsonSchema;
  examples: NamedExample[];
  encoding?: Record<string, Encoding>;
  pointer: string;
}

export interface RequestBodySpec {
  required: boolean;
  content: MediaTypeSpec[];
  pointer: string;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schema: JsonSchema;
  examples: NamedExample[];
  pointer: string;
}

export interface ResponseSpec {
  /** `200`, `4XX` (upper-case X) or `default`. */
  status: string;
  description: string;
  headers: HeaderSpec[];
  content: MediaTypeSpec[];
  pointer: string;
}

export interface Operation {
  /** operationId, or `<method>_<path>` derived when absent; unique within the contract. */
  id: string;
  method: HttpMethod;
  /** Path template as written in the contract (without base path), e.g. `/pets/{petId}`. */
  path: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  /** Path-level and operation-level parameters merged (operation wins), `$ref`s resolved. */
  parameters: Parameter[];
  requestBody?: RequestBodySpec;
  /** Sorted: exact codes ascending, then ranges (`2XX`...), then `default`. */
  responses: ResponseSpec[];
  /** Effective security (operation-level, else global). Empty array = no security. */
  security: SecurityRequirement[];
  /** Pointer to the operation object, e.g. `/paths/~1pets~1{petId}/get`. */
  pointer: string;
}

export interface Contract {
  /** Path of the root file as given. */
  file: string;
  openapi: '2.0' | '3.0' | '3.1';
  title: string;
  version: string;
  /** Path part of `servers[0].url` (3.x) or `basePath` (2.0), without trailing slash; `''` for none. */
  basePath: string;
  /** Full server URLs as documented (variables substituted with defaults). */
  servers: string[];
  operations: Operation[];
  securitySchemes: Record<string, SecurityScheme>;
  /** Every schema reachable through `$ref`, converted, keyed by the name used in `#/$defs/<name>`. */
  schemas: Defs;
  /** The `schemas` entry of the contract's error document (contract/error-schema.ts), when it has one. */
  errorSchema?: string;
  /** Locale for generated names and addresses the contract names (`x-mockgen-locale`, `info.x-locale`). */
  locale?: string;
  /** Problems found while loading that did not stop it (e.g. invalid examples are added later by model/). */
  diagnostics: Diagnostic[];
  /** Local files the contract was read from, absolute: the root file first, then every file a `$ref` reached. */
  files?: string[];
}

// ---------------------------------------------------------------------------------------------
// Recordings (HAR 1.2) after loading: plain data, bodies decoded.

export interface RecordedBody {
  /** Media type without parameters, lower-cased; '' when unknown. */
  mimeType: string;
  /** Decoded text (utf-8) when the body is text; absent when empty. */
  text?: string;
  /** Base64 of the decoded bytes when the body is binary. */
  base64?: string;
  /** For form posts as HAR `postData.params` has them. */
  params?: { name: string; value?: string; fileName?: string; contentType?: string }[];
}

export interface Exchange {
  /** 0-based index of the entry in its HAR file. */
  entry: number;
  /** HAR file path as given. */
  file: string;
  startedDateTime: string;
  /** HAR `time` (ms, total). */
  timeMs: number;
  /** HAR `timings.wait` (ms), or `time` when missing. */
  waitMs: number;
  request: {
    method: string;
    url: string;
    /** URL path, still percent-encoded as sent. */
    path: string;
    host: string;
    query: [string, string][];
    headers: [string, string][];
    cookies: [string, string][];
    body?: RecordedBody;
  };
  response: {
    status: number;
    statusText: string;
    headers: [string, string][];
    body?: RecordedBody;
  };
  /** HAR `_error` / status 0: the exchange failed (proxy marks it). */
  failed?: boolean;
  /** 1-based line of the exchange in a line-per-exchange log (NDJSON, Kong, Nginx/Apache JSON). */
  line?: number;
  /**
   * What the traffic format does not record (an access log has no bodies and few headers): absent
   * there means unknown, not empty, so drift does not check it and generate does not replay it.
   */
  unrecorded?: Unrecorded;
}

export interface Unrecorded {
  requestHeaders?: boolean;
  requestBody?: boolean;
  responseHeaders?: boolean;
  responseBody?: boolean;
}

export interface Recordings {
  files: string[];
  exchanges: Exchange[];
  /** what the loader left out of entries it could not replay faithfully (hostile or broken recordings) */
  diagnostics?: Diagnostic[];
}

/** An exchange matched to the operation it exercises (recordings/match-operations.ts). */
export interface MatchedExchange {
  exchange: Exchange;
  op: Operation;
  /** percent-decoded path parameters from the template match */
  pathParams: Record<string, string>;
  /** parsed request body (JSON value, form fields object, or text); undefined when none */
  requestBody?: unknown;
  /** parsed response body (JSON value, or text); undefined when none or binary */
  responseBody?: unknown;
}

/**
 * Values seen in recordings, learnt per schema field, used by data generation before examples and
 * generic fake data. Keys: `#/$defs/<name>/<property>` for properties of named schemas, and
 * `<property>` (bare property name) as a fallback across schemas.
 */
export type ValuePools = Record<string, unknown[]>;
