import { asGetExchange, isRpcStyle } from '../derive/rpc-methods';
import { fragmentRequest } from '../recordings/match-operations';
import { rawRequestOf, recordedBodyInput } from '../recordings/raw-request';
import { isRedacted } from '../recordings/redact';
import { isCredentialName } from '../../templates/runtime/core/names';
import {
  BodyParseError,
  RequestValidator,
  STYLES,
  buildFormObject,
  interpretRequest,
  isFormMediaType,
  isTextMediaType,
  parseBodySync,
  parseCookies,
  parseQuery,
  schemaShape,
  toPointer,
  type InterpretedRequest,
  type RawRequest,
  type RequestViolation,
} from '../../templates/runtime/core/request';
import { isJsonMediaType, mediaTypeOf } from '../../templates/runtime/core/media-types';
import type {
  Contract,
  Defs,
  Exchange,
  JsonSchema,
  HeaderSpec,
  MediaTypeSpec,
  Operation,
  RecordedBody,
  ResponseSpec,
} from '../model/types';
import type { SecurityScheme } from '../../templates/runtime/core/types';
import { previewValue, readableSchemaPointer, showValue } from './describe';
import { child, defName, escapeToken, unescapeToken } from '../../templates/runtime/core/pointer';
import { kindInfo, type FindingKind, type Severity } from './kinds';
import { OperationIndex, filePathHint, operationLabel } from './match';
import type { ExchangeCoverage } from './coverage';
import { SchemaChecker, type Violation } from './schema-check';
import type { DriftOptions, Finding } from './types';

export interface ExchangeResult {
  findings: Finding[];
  /** the operation the exchange exercised, when one matched */
  op?: Operation;
  /** not API traffic (CORS preflight): not checked, not counted */
  skipped?: boolean;
  /** label for the per-operation summary (`GET /pets/{petId}`, or the recorded request line) */
  operation: string;
  /** what a matched exchange exercised (parameters, response, parsed bodies), for coverage */
  exercised?: ExchangeCoverage;
}

/** Everything the checks need, built once per contract: router, compiled validators. */
export class DriftChecker {
  readonly index: OperationIndex;
  readonly schemas: SchemaChecker;
  /** the mock's request interpreter and validator: one reading of the same bytes */
  readonly validator: RequestValidator;
  private readonly extraProperties: boolean;
  /** derive/rpc-methods.ts: a form POST to a GET method is checked as that GET */
  private readonly rpcStyle: boolean;
  /** `in:name` of apiKey parameters: their values never appear in messages */
  private readonly secretParameters = new Set<string>();

  constructor(
    readonly contract: Contract,
    options: DriftOptions = {},
  ) {
    this.index = new OperationIndex(contract);
    this.schemas = new SchemaChecker(contract.schemas);
    this.validator = new RequestValidator(contract.schemas);
    this.extraProperties = options.extraProperties ?? true;
    this.rpcStyle = isRpcStyle(contract);
    for (const scheme of Object.values(contract.securitySchemes)) {
      if (scheme.type === 'apiKey' && scheme.name)
        this.secretParameters.add(`${scheme.in ?? 'header'}:${scheme.name.toLowerCase()}`);
    }
  }

  check(recorded: Exchange): ExchangeResult {
    let exchange = recorded;
    let method = exchange.request.method.toUpperCase();
    if (
      method === 'OPTIONS' &&
      header(exchange.request.headers, 'access-control-request-method') !== undefined
    ) {
      const resolution = this.index.resolve(method, exchange.request.path);
      if (resolution.kind !== 'matched')
        return { findings: [], skipped: true, operation: `${method} ${exchange.request.path}` };
    }
    let resolution = this.index.resolve(method, exchange.request.path, () => fragmentRequest(exchange));
    if (resolution.kind === 'undocumented-method' && this.rpcStyle) {
      // an RPC method's form POST is its GET, as the mock serves it
      const asGet = asGetExchange(exchange);
      const viaGet = asGet && this.index.resolve('GET', asGet.request.path);
      if (asGet && viaGet?.kind === 'matched') [exchange, method, resolution] = [asGet, 'GET', viaGet];
    }
    if (resolution.kind === 'undocumented-path') {
      const operation = `${method} ${exchange.request.path}`;
      const f = new Findings(exchange, operation, this.contract);
      f.add(
        'undocumented-path',
        '',
        `${operation}: the path matches no path of the contract${this.basePathHint()}`,
      );
      return { findings: f.list, operation };
    }
    if (resolution.kind === 'undocumented-method') {
      const operation = `${method} ${resolution.template}`;
      const f = new Findings(exchange, operation, this.contract);
      f.add(
        'undocumented-method',
        '',
        `${operation}: ${method} is not documented for ${resolution.template} (documented: ${resolution.allowed.join(', ')})`,
      );
      return { findings: f.list, operation };
    }
    const { op, pathParams } = resolution;
    // a template that took the path only because a parameter spans segments: undocumented, unless the
    // parameter plausibly holds a file path (then a warning, and the rest is checked against `op`)
    const stretch = resolution.stretched?.map((name) => {
      const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
      return { name, value: pathParams[name] ?? '', hint: filePathHint(param, name) };
    });
    const spans = stretch
      ?.map(
        (s) =>
          `path parameter '${s.name}' spanning ${s.value.split('/').length} segments (${showValue(s.value)})`,
      )
      .join(' and ');
    if (stretch && stretch.some((s) => s.hint === undefined)) {
      const operation = `${method} ${exchange.request.path}`;
      const f = new Findings(exchange, operation, this.contract);
      f.add(
        'undocumented-path',
        '',
        `${operation}: the path matches no path of the contract${this.basePathHint()}; only ${operationLabel(op)} would take it, with ${spans}`,
        { rule: 'spanning-parameter' },
      );
      return { findings: f.list, operation };
    }
    const operation = operationLabel(op);
    const f = new Findings(exchange, operation, this.contract);
    if (stretch) {
      f.add(
        'undocumented-path',
        `/path/${escapeToken(stretch[0].name)}`,
        `${operation}: ${exchange.request.path} is taken with ${spans}; a file path is plausible (${stretch.map((s) => `'${s.name}': ${s.hint}`).join('; ')}), but the contract does not say the parameter may hold a /`,
        { rule: 'spanning-parameter', severity: 'warning' },
      );
    }
    // the request as the mock reads it: parameters, body and violations
    const raw = rawRequestOf(exchange, pathParams);
    const read = interpretRequest(this.validator, op, raw);
    // what the traffic format does not record (access logs: bodies, most headers) is unknown: not checked
    const unrecorded = exchange.unrecorded;
    this.checkParameters(f, op, raw, read, unrecorded?.requestHeaders === true);
    if (!unrecorded?.requestBody) this.checkRequestBody(f, op, exchange, read);
    if (!unrecorded?.requestHeaders) this.checkSecurity(f, op, exchange);
    refusedToo(f, exchange);
    const exercised: ExchangeCoverage = { op, params: read.params };
    if (!unrecorded?.requestBody) exercised.requestBody = read.body;
    if (!exchange.failed && exchange.response.status > 0)
      this.checkResponse(f, op, exchange, method === 'HEAD', exercised);
    return { findings: f.list, op, operation, exercised };
  }

  private basePathHint(): string {
    const bases = this.index.basePaths.filter((b) => b !== '');
    return bases.length > 0 ? ` (base path ${bases.map((b) => `'${b}'`).join(' or ')})` : '';
  }

  // -------------------------------------------------------------------------------------------
  // Request

  /** The interpreter's parameter violations as findings; messages explained by the schema checker. */
  private checkParameters(
    f: Findings,
    op: Operation,
    raw: RawRequest,
    read: InterpretedRequest,
    /** the log holds only some headers: an absent header or cookie is unknown, not missing */
    headersUnknown = false,
  ): void {
    const byParameter = new Map<string, RequestViolation[]>();
    for (const v of read.violations) {
      if (v.location.length < 2 || v.location[0] === 'body') continue;
      const key = `${v.location[0]}\u0000${v.location[1]}`;
      const list = byParameter.get(key) ?? [];
      list.push(v);
      byParameter.set(key, list);
    }
    for (const param of op.parameters) {
      const violations = byParameter.get(`${param.in}\u0000${param.name}`);
      if (!violations) continue;
      const where = param.in === 'header' ? param.name.toLowerCase() : param.name;
      const pointer = `/${param.in === 'header' ? 'headers' : param.in === 'cookie' ? 'cookies' : param.in}/${escapeToken(where)}`;
      const subject = `${param.in} parameter '${param.name}'`;
      const schemaPointer = readableSchemaPointer(param.pointer, this.contract.openapi);
      const value = read.params[param.in][param.name];
      if (value === undefined) {
        // a value that cannot be read is present but invalid; else it is missing
        const unreadable = violations.find((v) => v.code === 'style' || v.code === 'content');
        if (unreadable) {
          f.add(
            'invalid-parameter',
            pointer,
            `${f.operation}: ${subject} ${showValue(rawParameter(param, raw))} ${unreadable.message}`,
            { schemaPointer, rule: 'style' },
          );
        } else if (
          !(headersUnknown && (param.in === 'header' || param.in === 'cookie')) &&
          violations.some((v) => v.code === 'required' && v.location.length === 2)
        ) {
          f.add('missing-required-parameter', pointer, `${f.operation}: required ${subject} is missing`, {
            schemaPointer,
          });
        }
        continue;
      }
      // A redacted secret (`REDACTED`, `sk_live_REDACTED`) is present, and its value unknowable.
      if (param.in !== 'path' && hasRedacted(value)) continue;
      const secret =
        this.secretParameters.has(`${param.in}:${param.name.toLowerCase()}`) || isCredentialName(param.name);
      let explained = this.schemas.check(param.schema, value, `${param.pointer}/schema`, false);
      if (explained.length === 0)
        explained = violations.map((v) => fromInterpreter(v, 2, `${param.pointer}/schema`));
      for (const v of explained) {
        f.violation(
          'invalid-parameter',
          pointer,
          `${f.operation}: ${subject}${v.pointer}`,
          secret ? masked(v, rawParameter(param, raw), value) : v,
          secret ? '"REDACTED"' : previewValue(valuesAt(value, v.pointer)[0], isCredentialName),
        );
      }
    }
  }

  private checkRequestBody(f: Findings, op: Operation, exchange: Exchange, read: InterpretedRequest): void {
    const body = exchange.request.body;
    const spec = op.requestBody;
    const violations = read.violations.filter((v) => v.location[0] === 'body' || v.code === 'media-type');
    const recorded = mediaTypeOf(body?.mimeType);
    if (!spec) {
      if (read.body !== undefined || hasBody(body)) {
        f.add(
          'undocumented-request-content-type',
          '/headers/content-type',
          `${f.operation}: the request has a ${recorded || 'untyped'} body but the operation documents no request body`,
        );
      }
      return;
    }
    const schemaPointer = readableSchemaPointer(spec.pointer, this.contract.openapi);
    if (violations.some((v) => v.code === 'required' && v.location.length === 1)) {
      f.add(
        'invalid-request-body',
        '',
        `${f.operation}: the request body is required but the request has none`,
        {
          schemaPointer,
          rule: 'required',
        },
      );
      return;
    }
    if (violations.some((v) => v.code === 'media-type')) {
      f.add(
        'undocumented-request-content-type',
        '/headers/content-type',
        `${f.operation}: request content type '${recorded}' is not documented (documented: ${spec.content.map((m) => m.mediaType).join(', ')})`,
        { schemaPointer },
      );
      return;
    }
    const media = spec.content.find((m) => m.mediaType === read.mediaType);
    if (!media) return;
    const unreadable = violations.find((v) => v.location.length === 1 && v.code !== 'required');
    if (unreadable) {
      this.unparseable(f, 'request', media, unreadable.code, unreadable.message, `${f.operation}:`);
      return;
    }
    if (media.schema === undefined || read.body === undefined) return;
    const invalid = new Set(violations.map((v) => v.pointer.slice('/body'.length)));
    const explained = this.schemas
      .check(media.schema, read.body, `${media.pointer}/schema`, this.extraProperties)
      .filter((v) =>
        v.severity === 'warning'
          ? typeof read.body === 'object'
          : invalid.size > 0 && (v.rule !== 'required' || invalid.has(v.pointer)),
      );
    if (invalid.size > 0 && !explained.some((v) => v.severity === 'error'))
      explained.push(...violations.map((v) => fromInterpreter(v, 1, `${media.pointer}/schema`)));
    this.reportBody(f, 'invalid-request-body', read.body, explained, `${f.operation}:`);
  }

  private checkSecurity(f: Findings, op: Operation, exchange: Exchange): void {
    if (op.security.length === 0) return;
    const satisfied = op.security.some((requirement) =>
      Object.keys(requirement).every((name) => {
        const scheme = this.contract.securitySchemes[name];
        return !scheme || credentialPresent(scheme, exchange);
      }),
    );
    if (satisfied) return;
    const alternatives = op.security.map((requirement) =>
      Object.keys(requirement)
        .map((name) => describeScheme(name, this.contract.securitySchemes[name]))
        .join(' + '),
    );
    const pointer = credentialPointer(op.security, this.contract.securitySchemes);
    f.add(
      'missing-credentials',
      pointer,
      `${f.operation}: the request carries no credentials for ${alternatives.join(' or ')}`,
      {
        schemaPointer: readableSchemaPointer(`${op.pointer}/security`, this.contract.openapi),
      },
    );
  }

  // -------------------------------------------------------------------------------------------
  // Response

  /** Checks the response; `exercised` gets the documented response and the parsed body. */
  private checkResponse(
    f: Findings,
    op: Operation,
    exchange: Exchange,
    head: boolean,
    exercised: ExchangeCoverage,
  ): void {
    const status = exchange.response.status;
    f.status = status;
    const prefix = `${f.operation} → ${status}`;
    const spec = findResponse(op.responses, status);
    exercised.response = spec;
    if (!spec) {
      f.add(
        'undocumented-status',
        '',
        `${prefix}: status ${status} is not documented (documented: ${op.responses.map((r) => r.status).join(', ') || 'none'})`,
        {
          schemaPointer: readableSchemaPointer(`${op.pointer}/responses`, this.contract.openapi),
        },
      );
      return;
    }
    if (!exchange.unrecorded?.responseHeaders) this.checkResponseHeaders(f, spec, exchange, prefix);
    const body = exchange.response.body;
    if (head || status === 204 || status === 304 || !hasBody(body)) return;
    const recorded = mediaTypeOf(body.mimeType);
    if (spec.content.length === 0) {
      f.add(
        'undocumented-response-content-type',
        '/headers/content-type',
        `${prefix}: the response has a ${recorded || 'untyped'} body but the contract documents none`,
        {
          schemaPointer: readableSchemaPointer(spec.pointer, this.contract.openapi),
          severity: 'warning',
        },
      );
      return;
    }
    const media = findResponseMediaType(spec.content, recorded);
    if (!media) {
      f.add(
        'undocumented-response-content-type',
        '/headers/content-type',
        `${prefix}: response content type '${recorded}' is not documented (documented: ${spec.content.map((m) => m.mediaType).join(', ')})`,
        { schemaPointer: readableSchemaPointer(spec.pointer, this.contract.openapi) },
      );
      return;
    }
    exercised.responseBody = this.checkResponseBody(f, media, body, `${prefix}:`);
  }

  private checkResponseHeaders(f: Findings, spec: ResponseSpec, exchange: Exchange, prefix: string): void {
    for (const h of spec.headers) {
      const name = h.name.toLowerCase();
      if (name === 'content-type') continue;
      const pointer = `/headers/${escapeToken(name)}`;
      const raw = header(exchange.response.headers, name);
      if (raw === undefined) {
        if (h.required) {
          f.add(
            'missing-required-response-header',
            pointer,
            `${prefix}: required response header '${h.name}' is missing`,
            {
              schemaPointer: readableSchemaPointer(h.pointer, this.contract.openapi),
            },
          );
        }
        continue;
      }
      this.checkHeaderValue(f, h, raw, pointer, prefix);
    }
  }

  private checkHeaderValue(f: Findings, h: HeaderSpec, raw: string, pointer: string, prefix: string): void {
    // a response header is simple-style, like a header parameter
    const shape = schemaShape(h.schema, this.contract.schemas);
    const text = STYLES.simple.fromText!(raw, { name: h.name, shape, explode: false }, true);
    const value = this.validator.coerce(h.schema, text);
    for (const v of this.schemas.check(h.schema, value, `${h.pointer}/schema`, false)) {
      f.violation(
        'invalid-response-header',
        pointer,
        `${prefix}: response header '${h.name}'${v.pointer}`,
        v,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bodies

  /**
   * A response body, read by the same body parsers as requests; binary bodies are not checked.
   * Returns the parsed body (coverage walks it).
   */
  private checkResponseBody(f: Findings, media: MediaTypeSpec, body: RecordedBody, prefix: string): unknown {
    const parseAs = mediaTypeOf(body.mimeType) || media.mediaType;
    if (!isJsonMediaType(parseAs) && !isFormMediaType(parseAs) && !isTextMediaType(parseAs)) return undefined;
    const input = recordedBodyInput(body);
    let value: unknown;
    try {
      if (input.body !== undefined)
        value = parseBodySync({ raw: input.body, contentType: input.contentType, mediaType: parseAs });
      else if (input.fields !== undefined) value = buildFormObject(input.fields);
    } catch (err) {
      if (!(err instanceof BodyParseError)) throw err;
      this.unparseable(f, 'response', media, err.code, err.message, prefix);
      return undefined;
    }
    if (value === undefined || media.schema === undefined) return value;
    if (isFormMediaType(parseAs)) value = this.validator.coerce(media.schema, value);
    else if (typeof value === 'string' && !allowsString(media.schema, this.contract.schemas)) return value;
    const violations = this.schemas.check(
      media.schema,
      value,
      `${media.pointer}/schema`,
      this.extraProperties,
    );
    this.reportBody(f, 'invalid-response-body', value, violations, prefix);
    return value;
  }

  private unparseable(
    f: Findings,
    side: 'request' | 'response',
    media: MediaTypeSpec,
    code: string,
    message: string,
    prefix: string,
  ): void {
    const schemaPointer = readableSchemaPointer(media.pointer, this.contract.openapi);
    const text =
      code === 'json'
        ? `${prefix} the ${side} body is declared as JSON but is not valid JSON (${message.replace(/^The request body is not valid JSON: /, '')})`
        : `${prefix} the ${side} body cannot be read as ${media.mediaType} (${message})`;
    f.add('unparseable-body', '', text, { schemaPointer, rule: code });
  }

  private reportBody(
    f: Findings,
    kind: 'invalid-request-body' | 'invalid-response-body',
    value: unknown,
    violations: Violation[],
    prefix: string,
  ): void {
    const request = kind === 'invalid-request-body';
    for (let v of violations) {
      const at = v.rule === 'required' ? undefined : valuesAt(value, v.pointer)[0];
      let shown = previewValue(at, isCredentialName);
      if (v.rule !== 'required' && isCredentialName(lastToken(v.pointer))) {
        if (v.rule !== 'extra-property') v = masked(v, at);
        if (at === null || typeof at !== 'object') shown = '"REDACTED"';
      }
      const subject = request
        ? `request body${v.pointer === '' ? '' : ` ${v.pointer}`}`
        : v.pointer === ''
          ? 'body'
          : v.pointer;
      f.violation(kind, v.pointer, `${prefix} ${subject}`, v, shown);
    }
  }
}

/** An interpreter violation in the schema checker's shape (when the checker has nothing to explain). */
function fromInterpreter(v: RequestViolation, skip: number, schemaPointer: string): Violation {
  return {
    pointer: toPointer(v.location.slice(skip)),
    schemaPointer,
    rule: v.code,
    severity: 'error',
    message: v.message,
  };
}

/** A parameter's value as sent, for messages. */
function rawParameter(param: Operation['parameters'][number], raw: RawRequest): string {
  switch (param.in) {
    case 'path':
      return raw.pathParams[param.name] ?? '';
    case 'header': {
      const value = raw.headers[param.name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : (value ?? '');
    }
    case 'cookie':
      return (raw.cookies ?? parseCookies(raw.headers.cookie))[param.name] ?? '';
    default: {
      const pairs = typeof raw.query === 'string' ? parseQuery(raw.query) : raw.query;
      return pairs
        .filter(([name]) => name === param.name)
        .map(([, value]) => value)
        .join(',');
    }
  }
}

function hasRedacted(value: unknown): boolean {
  if (typeof value === 'string') return isRedacted(value);
  if (Array.isArray(value)) return value.some(hasRedacted);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasRedacted);
  return false;
}

/** Whether a text body is checked against the schema: only where a string is what it wants. */
function allowsString(schema: JsonSchema, defs: Defs, depth = 0): boolean {
  if (typeof schema !== 'object' || depth > 16) return false;
  const type = schema.type;
  if (type === 'string' || (Array.isArray(type) && type.includes('string'))) return true;
  const name = typeof schema.$ref === 'string' ? defName(schema.$ref) : undefined;
  if (name !== undefined) {
    const target = defs[name];
    if (target !== undefined && allowsString(target, defs, depth + 1)) return true;
  }
  return ['allOf', 'oneOf', 'anyOf'].some(
    (key) =>
      Array.isArray(schema[key]) &&
      (schema[key] as JsonSchema[]).some((branch) => allowsString(branch, defs, depth + 1)),
  );
}

/** The body has something in it (HAR writes absent and empty bodies in several ways). */
function hasBody(body: RecordedBody | undefined): body is RecordedBody {
  if (!body) return false;
  return (
    (body.text !== undefined && body.text !== '') ||
    (body.base64 !== undefined && body.base64 !== '') ||
    (body.params !== undefined && body.params.length > 0)
  );
}

/**
 * The documented response media type a recorded one falls under: exact first, then `type/*`, then
 * `*\/*`; a recorded body without a media type takes the first documented one.
 */
function findResponseMediaType(content: MediaTypeSpec[], recorded: string): MediaTypeSpec | undefined {
  if (content.length === 0) return undefined;
  if (recorded === '') return content[0];
  const exact = content.find((m) => m.mediaType === recorded);
  if (exact) return exact;
  const [type] = recorded.split('/');
  return (
    content.find((m) => m.mediaType === `${type}/*`) ??
    content.find((m) => m.mediaType === '*/*' || m.mediaType === '*')
  );
}

/**
 * A request the contract calls invalid that the service refused (4xx) is the two agreeing, not
 * drift: its request findings are warnings, not errors (a suite that tests validation records many).
 */
function refusedToo(f: Findings, exchange: Exchange): void {
  const status = exchange.response.status;
  if (exchange.failed || status < 400 || status > 499) return;
  for (const finding of f.list) {
    if (finding.severity !== 'error') continue;
    finding.severity = 'warning';
    finding.message += ` — the service refused it too (${status})`;
  }
}

/** Builds the findings of one exchange. */
class Findings {
  readonly list: Finding[] = [];
  status?: number;

  constructor(
    readonly exchange: Exchange,
    readonly operation: string,
    readonly contract: Contract,
  ) {}

  add(
    kind: FindingKind,
    pointer: string,
    message: string,
    extra: { schemaPointer?: string; rule?: string; severity?: Severity; value?: string } = {},
  ): void {
    const finding: Finding = {
      kind,
      severity: extra.severity ?? kindInfo(kind).severity,
      entry: this.exchange.entry,
      file: this.exchange.file,
      operation: this.operation,
      pointer,
      message,
    };
    if (extra.schemaPointer !== undefined) finding.schemaPointer = extra.schemaPointer;
    if (this.status !== undefined) finding.status = this.status;
    if (extra.rule !== undefined) finding.rule = extra.rule;
    if (extra.value !== undefined) finding.value = extra.value;
    this.list.push(finding);
  }

  /** A schema violation: `<subject> <what is wrong> (schema at <pointer>)`. */
  violation(kind: FindingKind, pointer: string, subject: string, v: Violation, value?: string): void {
    const schemaPointer = readableSchemaPointer(v.schemaPointer, this.contract.openapi);
    const fullPointer =
      kind === 'invalid-parameter' || kind === 'invalid-response-header' ? pointer + v.pointer : pointer;
    this.add(kind, fullPointer, `${subject} ${v.message} (schema at ${schemaPointer})`, {
      schemaPointer,
      rule: v.rule,
      severity: v.severity,
      value,
    });
  }
}

function header(headers: [string, string][], lowerName: string): string | undefined {
  const values: string[] = [];
  for (const [name, value] of headers) if (name.toLowerCase() === lowerName) values.push(value);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Exact status, then its range (`4XX`), then `default`. */
export function findResponse(responses: ResponseSpec[], status: number): ResponseSpec | undefined {
  const code = String(status);
  return (
    responses.find((r) => r.status === code) ??
    responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`) ??
    responses.find((r) => r.status === 'default')
  );
}

const AUTH_SCHEMES = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/;

/**
 * Whether the recorded request carries a credential for the scheme. Values may be redacted
 * (`REDACTED`, `Bearer REDACTED`), so presence is what counts; a different auth scheme in
 * `Authorization` (Basic where Bearer is wanted) does not.
 */
export function credentialPresent(scheme: SecurityScheme, exchange: Exchange): boolean {
  const { request } = exchange;
  switch (scheme.type) {
    case 'apiKey': {
      if (!scheme.name) return true;
      if (scheme.in === 'query') return request.query.some(([name]) => name === scheme.name);
      if (scheme.in === 'cookie') return cookieNames(exchange).has(scheme.name);
      return header(request.headers, scheme.name.toLowerCase()) !== undefined;
    }
    case 'http': {
      const auth = header(request.headers, 'authorization');
      if (auth === undefined || auth.trim() === '') return false;
      const m = AUTH_SCHEMES.exec(auth);
      // No recognisable "<scheme> <credentials>" shape: a wholly redacted value still counts.
      if (!m) return true;
      return !scheme.scheme || m[1].toLowerCase() === scheme.scheme.toLowerCase();
    }
    case 'oauth2':
    case 'openIdConnect': {
      const auth = header(request.headers, 'authorization');
      if (auth !== undefined && auth.trim() !== '') {
        const m = AUTH_SCHEMES.exec(auth);
        return !m || m[1].toLowerCase() === 'bearer' || m[1].toLowerCase() === 'dpop';
      }
      // RFC 6750 §2.3 query parameter, §2.2 form-encoded body parameter
      return request.query.some(([name]) => name === 'access_token') || formHasAccessToken(request.body);
    }
    case 'mutualTLS':
      // Client certificates are not in a HAR: nothing to check.
      return true;
  }
}

function formHasAccessToken(body: RecordedBody | undefined): boolean {
  if (!body || body.mimeType !== 'application/x-www-form-urlencoded') return false;
  if (body.params?.some((p) => p.name === 'access_token')) return true;
  return body.text !== undefined && parseQuery(body.text).some(([name]) => name === 'access_token');
}

/** Cookie names as the HAR lists them, else from the Cookie header. */
function cookieNames(exchange: Exchange): Set<string> {
  if (exchange.request.cookies.length > 0) return new Set(exchange.request.cookies.map(([name]) => name));
  return new Set(Object.keys(parseCookies(header(exchange.request.headers, 'cookie'))));
}

function describeScheme(name: string, scheme: SecurityScheme | undefined): string {
  if (!scheme) return name;
  switch (scheme.type) {
    case 'apiKey':
      return `${name} (${scheme.in ?? 'header'} '${scheme.name ?? '?'}')`;
    case 'http':
      return `${name} (Authorization: ${scheme.scheme ? scheme.scheme[0].toUpperCase() + scheme.scheme.slice(1) : '…'})`;
    default:
      return `${name} (${scheme.type}, Authorization: Bearer)`;
  }
}

/** Where the missing credential would go, for the pointer: the first alternative's first scheme. */
function credentialPointer(security: Operation['security'], schemes: Record<string, SecurityScheme>): string {
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      if (!scheme) continue;
      if (scheme.type === 'apiKey' && scheme.name) {
        const where = scheme.in === 'query' ? 'query' : scheme.in === 'cookie' ? 'cookies' : 'headers';
        return child(`/${where}`, where === 'headers' ? scheme.name.toLowerCase() : scheme.name);
      }
      return '/headers/authorization';
    }
  }
  return '/headers/authorization';
}

function lastToken(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1);
}

/** The value at a JSON pointer of a parsed body (for masking). */
function valuesAt(root: unknown, pointer: string): unknown[] {
  let node = root;
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return [];
    node = (node as Record<string, unknown>)[unescapeToken(token)];
  }
  return [node];
}

/** The violation with the shown secret value replaced by `REDACTED`: drift messages end up in CI logs. */
function masked(v: Violation, ...values: unknown[]): Violation {
  let message = v.message;
  for (const value of values) {
    if (value === undefined || value === null || typeof value === 'object') continue;
    const shown = showValue(value);
    message = message.split(shown).join("'REDACTED'");
  }
  return { ...v, message };
}
