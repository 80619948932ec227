/**
 * The data contract between the generator (mockgen `src/`) and the emitted mock server's runtime
 * (`templates/runtime/`, copied verbatim to `<out>/src/runtime/`).
 *
 * The emitted project holds:
 *   src/routes.ts           generated route table: `export const routes: RouteEntry[]`
 *   src/runtime/*.ts        this runtime, copied verbatim
 *   src/main.ts             entry point (copied)
 *   data/manifest.json      Manifest
 *   data/schemas.json       { "$defs": Defs }  — every `$ref` in any schema below is `#/$defs/<name>`
 *   data/ops/<file>.json    OperationData, one per operation, loaded lazily on first request
 *
 * All schemas are JSON Schema draft 2020-12 (validate with Ajv2020 + ajv-formats + OpenAPI formats).
 * Nothing here may import from outside `templates/runtime/` (it is copied into a standalone project).
 */

export type JsonSchema = { [keyword: string]: unknown } | boolean;
export type Defs = Record<string, JsonSchema>;

export interface RouteEntry {
  id: string;
  /** lower-case HTTP method */
  method: string;
  /** path template without base path, e.g. `/pets/{petId}` */
  path: string;
  /** data file relative to `data/`, e.g. `ops/0003-getPet.json` */
  data: string;
}

export interface OAuthFlow {
  authorizationUrl?: string;
  tokenUrl?: string;
  refreshUrl?: string;
  scopes: Record<string, string>;
}

export interface SecurityScheme {
  type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  /** apiKey: the header/query/cookie name. */
  name?: string;
  in?: 'header' | 'query' | 'cookie';
  /** http: `basic`, `bearer`, ... (lower-cased). */
  scheme?: string;
  bearerFormat?: string;
  flows?: {
    implicit?: OAuthFlow;
    password?: OAuthFlow;
    clientCredentials?: OAuthFlow;
    authorizationCode?: OAuthFlow;
  };
  openIdConnectUrl?: string;
}

/** One alternative of the OR-list: every named scheme (AND) must be satisfied. `{}` means anonymous allowed. */
export type SecurityRequirement = Record<string, string[]>;

/** Latency as quantiles of recorded wait times: `ms[i]` is the `i / (ms.length - 1)` quantile. */
export interface LatencyProfile {
  ms: number[];
  /** number of recorded samples behind it (0 for the default) */
  samples: number;
}

export interface Manifest {
  generator: 'mockgen';
  title: string;
  contractVersion: string;
  /** e.g. `/v1`, or `` */
  basePath: string;
  seed: number;
  /** faker locale of generated values (core/fake/faker.ts); en when absent */
  locale?: string;
  securitySchemes: Record<string, SecurityScheme>;
  /** HS256 key the mock signs the JWTs it issues with (derived from the seed; a mock's key, not a secret). */
  jwtSecret: string;
  /** used for operations without recordings */
  defaultLatency: LatencyProfile;
  /** What a sequence does after its last recorded response: repeat the last (default), loop, or fall back to spec examples. */
  sequencePolicy: 'repeat-last' | 'loop' | 'fallback';
  resources: ResourceSpec[];
  /** Operations (by id) that issue tokens: OAuth2 tokenUrl of the contract, or recorded `/token`-like exchanges. */
  tokenEndpoints: string[];
  /**
   * The contract's paths are RPC method names (`/chat.postMessage`; src/derive/rpc-methods.ts): a form
   * POST (or an empty one) to a method documented as GET is served by the GET, its form fields read
   * as query parameters, as such APIs and their SDKs do. Absent otherwise.
   */
  rpcMethods?: true;
  /**
   * `$defs` name of the contract's error document: the errors the mock makes up itself (401, 404, 415,
   * 422...) take its shape for operations that document no error response; without it they are
   * RFC 9457 problems.
   */
  errorSchema?: string;
}

export interface ParameterData {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  style: string;
  explode: boolean;
  contentType?: string;
  schema: JsonSchema;
}

export interface RequestBodyData {
  required: boolean;
  /** `examples` (validated, repaired; `__generated` when the contract has none) are for documentation. */
  content: { mediaType: string; schema?: JsonSchema; examples?: ExampleData[] }[];
}

/**
 * A value in examples/recorded bodies may contain templates, rendered per response:
 *   { "$tpl": "<handlebars>" }      → the rendered string
 *   { "$tplJson": "<handlebars>" }  → the rendered string parsed as JSON (numbers, booleans, objects)
 *   { "$literal": <value> }         → <value> as-is (escapes user data that looks like a template marker)
 * Template helpers (runtime/templating.ts) — the generator may only emit these:
 *   {{now offsetMs format}}              format: iso | iso-seconds | date | epoch-s | epoch-ms | http-date
 *   {{jwt payloadJson lifetimeS}}        fresh HS256 JWT: recorded claims kept, iat/nbf=now, exp=now+lifetimeS
 *   {{opaque shape}}                     fresh random token shaped like `shape` (prefix up to the last `_`/`-` kept, same length & alphabet)
 *   {{uuid}}                             fresh random UUID v4
 *   {{req "path.petId"}} {{req "query.limit"}} {{req "header.x-request-id"}} {{req "body.name"}} {{req "body.items.0.id"}}
 *                                        value echoed from the current request ('' when absent); in $tplJson it is JSON-encoded
 */
export type TemplatedValue = unknown;

export interface ExampleData {
  name: string;
  value: TemplatedValue;
}

export interface MediaData {
  mediaType: string;
  schema?: JsonSchema;
  /** Already validated (and repaired) against `schema`; first = default. Generated data is named `__generated`. */
  examples: ExampleData[];
}

export interface HeaderData {
  name: string;
  required: boolean;
  schema: JsonSchema;
  /** value to send (example, or generated) */
  value?: TemplatedValue;
}

export interface ResponseData {
  /** `200`, `4XX`, `default` */
  status: string;
  description: string;
  headers: HeaderData[];
  content: MediaData[];
}

export interface RecordedResponseData {
  status: number;
  /** headers that matter (no hop-by-hop, date, content-length, set-cookie, secrets) */
  headers: [string, string][];
  mediaType: string;
  /** exactly one of these for a body */
  json?: TemplatedValue;
  text?: string;
  base64?: string;
  /**
   * Templates for some of `headers` (lower-case name → TemplatedValue, see derive/dynamic.ts
   * templatizeHeaders): rendered per response in place of the recorded value of that header.
   */
  headerTemplates?: Record<string, TemplatedValue>;
  /** index of the HAR entry it came from (for the journal and explanations) */
  entry: number;
  /** recorded wait time in ms */
  waitMs: number;
}

export interface RecordingData {
  /** what identifies the request (compared by runtime/replay.ts with the scoring rule documented in the README) */
  request: {
    pathParams: Record<string, string>;
    query: [string, string][];
    /** selected, non-secret headers, lower-case names */
    headers: Record<string, string>;
    /** parsed JSON, form fields as an object, or text */
    body?: unknown;
  };
  /** responses recorded for this same request, in recorded order (a sequence when more than one) */
  responses: RecordedResponseData[];
}

export interface ResourceBinding {
  resource: string;
  role: 'create' | 'read' | 'list' | 'update' | 'replace' | 'delete';
  /** the member of this operation's success answer that holds the item (`{"data": {...}}`); absent: the answer is the item */
  envelope?: string;
  /** the member of this operation's request body that holds the item's fields (`{"data": {...}}`) */
  bodyEnvelope?: string;
}

export interface OperationData {
  id: string;
  method: string;
  path: string;
  /** the contract's summary, for logs and the README */
  summary?: string;
  parameters: ParameterData[];
  requestBody?: RequestBodyData;
  /** sorted: exact codes ascending, ranges, default */
  responses: ResponseData[];
  security: SecurityRequirement[];
  recordings: RecordingData[];
  latency?: LatencyProfile;
  resource?: ResourceBinding;
  /** true when this operation issues tokens (OAuth2 token endpoint) */
  issuesTokens?: boolean;
  /**
   * Violations the real service accepted: `violationKey`s (core/request/violation.ts) of the
   * recorded 2xx requests. A request whose every violation is one of them is answered as valid.
   */
  acceptedViolations?: string[];
  /**
   * Violations the real service's own 2xx answers had: `violationKeys` (core/fake) of the recorded
   * response bodies. A body the store builds whose every violation is one of them is sent as it is.
   */
  returnedViolations?: string[];
}

export interface IdFormat {
  kind: 'integer' | 'uuid' | 'prefixed' | 'string';
  /** prefixed: e.g. `cus_`; the rest has `length` chars of `alphabet` */
  prefix?: string;
  length?: number;
  alphabet?: string;
  /** integer: first id to hand out */
  next?: number;
}

export interface ResourceSpec {
  name: string;
  /** e.g. `/orders` */
  collectionPath: string;
  /** e.g. `/orders/{orderId}` */
  itemPath: string;
  /** path parameter name of the id in itemPath */
  idParam: string;
  /** property of the resource that holds its id, e.g. `id` */
  idField: string;
  idFormat: IdFormat;
  /**
   * What a new id must satisfy (self-contained schemas): the id path parameter's and the id property's,
   * when they constrain more than a type (`pattern`, `format`, lengths, bounds). An id `idFormat` makes
   * that fails them is replaced by one generated from them.
   */
  idSchemas?: JsonSchema[];
  /** list response shape: a bare array (null) or an envelope whose `itemsField` holds the array */
  listEnvelope: { itemsField: string; template: Record<string, unknown> } | null;
  /** item schema (for filling created resources) */
  schema?: JsonSchema;
  /** recorded resources the store starts with, in recorded order */
  seed: unknown[];
  /**
   * What an id the store has never held (and that was not deleted) gets: `example` serves the documented
   * example carrying that id, as Prism would (used when nothing was recorded); `not-found` (default) a 404.
   */
  unknownIds?: 'example' | 'not-found';
  /**
   * Sub-collections (`/users/{userId}/repos`): the path parameters of `collectionPath`. The store keeps
   * one collection per combination of their values; absent for top-level collections.
   */
  scopeParams?: string[];
  /** with `scopeParams`: the scope of `seed[i]` (parameter name → value), same length as `seed` */
  seedScopes?: Record<string, string>[];
}
