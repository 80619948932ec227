import { asGetExchange, isRpcStyle } from '../model/rpc-methods';
import { fragmentRequest } from '../recordings/match-operations';
import { isRedacted } from '../recordings/redact';
import { isCredentialName } from '../../templates/runtime/core/names';
import type {
  Contract,
  Exchange,
  HeaderSpec,
  MediaTypeSpec,
  Operation,
  RecordedBody,
  ResponseSpec,
} from '../model/types';
import { readableSchemaPointer, showValue } from './describe';
import { kindInfo, type FindingKind, type Severity } from './kinds';
import { OperationIndex, operationLabel } from './match';
import { findMediaType, hasBody, normaliseMediaType, parseRecordedBody } from './media';
import {
  coerceFormFields,
  coerceScalar,
  isIgnoredHeaderParameter,
  readParameter,
  requestCookies,
  schemaTypes,
} from './params';
import { SchemaChecker, type Violation } from './schema-check';
import type { DriftOptions, Finding } from './types';
import { child, escapeToken, unescapeToken } from '../../templates/runtime/core/pointer';
import type { SecurityScheme } from '../../templates/runtime/core/types';

export interface ExchangeResult {
  findings: Finding[];
  /** the operation the exchange exercised, when one matched */
  op?: Operation;
  /** not API traffic (CORS preflight): not checked, not counted */
  skipped?: boolean;
  /** label for the per-operation summary (`GET /pets/{petId}`, or the recorded request line) */
  operation: string;
}

/** Everything the checks need, built once per contract: router, compiled validators. */
export class DriftChecker {
  readonly index: OperationIndex;
  readonly schemas: SchemaChecker;
  private readonly extraProperties: boolean;
  /** model/rpc-methods.ts: a form POST to a GET method is checked as that GET */
  private readonly rpcStyle: boolean;
  /** `in:name` of apiKey parameters: their values never appear in messages */
  private readonly secretParameters = new Set<string>();

  constructor(
    readonly contract: Contract,
    options: DriftOptions = {},
  ) {
    this.index = new OperationIndex(contract);
    this.schemas = new SchemaChecker(contract.schemas);
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
    let resolution = this.index.resolve(method, exchange.request.path, fragmentRequest(exchange));
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
    const operation = operationLabel(op);
    const f = new Findings(exchange, operation, this.contract);
    this.checkParameters(f, op, exchange, pathParams);
    this.checkRequestBody(f, op, exchange);
    this.checkSecurity(f, op, exchange);
    if (!exchange.failed && exchange.response.status > 0)
      this.checkResponse(f, op, exchange, method === 'HEAD');
    return { findings: f.list, op, operation };
  }

  private basePathHint(): string {
    const bases = this.index.basePaths.filter((b) => b !== '');
    return bases.length > 0 ? ` (base path ${bases.map((b) => `'${b}'`).join(' or ')})` : '';
  }

  // -------------------------------------------------------------------------------------------
  // Request

  private checkParameters(
    f: Findings,
    op: Operation,
    exchange: Exchange,
    pathParams: Record<string, string>,
  ): void {
    const defs = this.contract.schemas;
    for (const param of op.parameters) {
      if (isIgnoredHeaderParameter(param)) continue;
      const where = param.in === 'header' ? param.name.toLowerCase() : param.name;
      const pointer = `/${param.in === 'header' ? 'headers' : param.in === 'cookie' ? 'cookies' : param.in}/${escapeToken(where)}`;
      const subject = `${param.in} parameter '${param.name}'`;
      const read = readParameter(param, exchange, pathParams, defs);
      if (!read.present) {
        if (param.required) {
          f.add('missing-required-parameter', pointer, `${f.operation}: required ${subject} is missing`, {
            schemaPointer: readableSchemaPointer(param.pointer, this.contract.openapi),
          });
        }
        continue;
      }
      if (read.styleError) {
        f.add(
          'invalid-parameter',
          pointer,
          `${f.operation}: ${subject} ${showValue(read.raw)} ${read.styleError}`,
          {
            schemaPointer: readableSchemaPointer(param.pointer, this.contract.openapi),
            rule: 'style',
          },
        );
        continue;
      }
      // A redacted secret (`REDACTED`, `sk_live_REDACTED`) is present, and its value unknowable.
      if (param.in !== 'path' && isRedacted(read.raw)) continue;
      const violations = this.schemas.check(param.schema, read.value, `${param.pointer}/schema`, false);
      const secret =
        this.secretParameters.has(`${param.in}:${param.name.toLowerCase()}`) || isCredentialName(param.name);
      for (const v of violations) {
        f.violation(
          'invalid-parameter',
          pointer,
          `${f.operation}: ${subject}${v.pointer}`,
          secret ? masked(v, read.raw, read.value) : v,
        );
      }
    }
  }

  private checkRequestBody(f: Findings, op: Operation, exchange: Exchange): void {
    const body = exchange.request.body;
    const spec = op.requestBody;
    if (!hasBody(body)) {
      if (spec?.required) {
        f.add(
          'invalid-request-body',
          '',
          `${f.operation}: the request body is required but the request has none`,
          {
            schemaPointer: readableSchemaPointer(spec.pointer, this.contract.openapi),
            rule: 'required',
          },
        );
      }
      return;
    }
    const recorded = normaliseMediaType(body.mimeType);
    if (!spec || spec.content.length === 0) {
      if (!spec) {
        f.add(
          'undocumented-request-content-type',
          '/headers/content-type',
          `${f.operation}: the request has a ${recorded || 'untyped'} body but the operation documents no request body`,
        );
      }
      return;
    }
    const media = findMediaType(spec.content, recorded);
    if (!media) {
      f.add(
        'undocumented-request-content-type',
        '/headers/content-type',
        `${f.operation}: request content type '${recorded}' is not documented (documented: ${spec.content.map((m) => m.mediaType).join(', ')})`,
        { schemaPointer: readableSchemaPointer(spec.pointer, this.contract.openapi) },
      );
      return;
    }
    this.checkBody(f, 'invalid-request-body', media, body, `${f.operation}:`);
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

  private checkResponse(f: Findings, op: Operation, exchange: Exchange, head: boolean): void {
    const status = exchange.response.status;
    f.status = status;
    const prefix = `${f.operation} → ${status}`;
    const spec = findResponse(op.responses, status);
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
    this.checkResponseHeaders(f, spec, exchange, prefix);
    const body = exchange.response.body;
    if (head || status === 204 || status === 304 || !hasBody(body)) return;
    const recorded = normaliseMediaType(body.mimeType);
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
    const media = findMediaType(spec.content, recorded);
    if (!media) {
      f.add(
        'undocumented-response-content-type',
        '/headers/content-type',
        `${prefix}: response content type '${recorded}' is not documented (documented: ${spec.content.map((m) => m.mediaType).join(', ')})`,
        { schemaPointer: readableSchemaPointer(spec.pointer, this.contract.openapi) },
      );
      return;
    }
    this.checkBody(f, 'invalid-response-body', media, body, `${prefix}:`);
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
    const defs = this.contract.schemas;
    const types = schemaTypes(h.schema, defs);
    const value =
      types.has('array') && !types.has('string')
        ? raw.split(/,\s*/).map((v) => coerceScalar(v, true, defs))
        : coerceScalar(raw, h.schema, defs);
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

  private checkBody(
    f: Findings,
    kind: 'invalid-request-body' | 'invalid-response-body',
    media: MediaTypeSpec,
    body: NonNullable<Exchange['request']['body']>,
    prefix: string,
  ): void {
    const request = kind === 'invalid-request-body';
    const parsed = parseRecordedBody(body, media.mediaType);
    if (parsed.ok === 'skip') return;
    if (parsed.ok === false) {
      f.add(
        'unparseable-body',
        '',
        `${prefix} the ${request ? 'request' : 'response'} body is declared as JSON but is not valid JSON (${parsed.error})`,
        {
          schemaPointer: readableSchemaPointer(media.pointer, this.contract.openapi),
          rule: 'json',
        },
      );
      return;
    }
    if (media.schema === undefined) return;
    let value = parsed.value;
    if (parsed.form)
      value = coerceFormFields(
        value as Record<string, string | string[]>,
        media.schema,
        this.contract.schemas,
      );
    else if (typeof value === 'string' && !schemaTypes(media.schema, this.contract.schemas).has('string'))
      return;
    for (let v of this.schemas.check(media.schema, value, `${media.pointer}/schema`, this.extraProperties)) {
      if (v.rule !== 'extra-property' && v.rule !== 'required' && isCredentialName(lastToken(v.pointer)))
        v = masked(v, ...valuesAt(value, v.pointer));
      const subject = request
        ? `request body${v.pointer === '' ? '' : ` ${v.pointer}`}`
        : v.pointer === ''
          ? 'body'
          : v.pointer;
      f.violation(kind, v.pointer, `${prefix} ${subject}`, v);
    }
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
    extra: { schemaPointer?: string; rule?: string; severity?: Severity } = {},
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
    this.list.push(finding);
  }

  /** A schema violation: `<subject> <what is wrong> (schema at <pointer>)`. */
  violation(kind: FindingKind, pointer: string, subject: string, v: Violation): void {
    const schemaPointer = readableSchemaPointer(v.schemaPointer, this.contract.openapi);
    const fullPointer =
      kind === 'invalid-parameter' || kind === 'invalid-response-header' ? pointer + v.pointer : pointer;
    this.add(kind, fullPointer, `${subject} ${v.message} (schema at ${schemaPointer})`, {
      schemaPointer,
      rule: v.rule,
      severity: v.severity,
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
      if (scheme.in === 'cookie') return requestCookies(exchange).some(([name]) => name === scheme.name);
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
  return body.text !== undefined && new URLSearchParams(body.text).has('access_token');
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
