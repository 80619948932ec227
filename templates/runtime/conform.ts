/**
 * Bodies the stateful store builds (merged request data, a replaced resource, a virtual item) must
 * still validate against the documented response schema; a body that does not is repaired, so a
 * client never receives a response that breaks the contract, unless it breaks it only where the real
 * service's recorded answers did too (`returnedViolations`: a stored title longer than the contract's
 * `maxLength` is the client's own, as production keeps it). Recorded responses are left as they were.
 * Errors the mock makes up where the operation documents none also carry the contract's own error
 * document when it has one (inContractWords), as extension members of the problem.
 */
import type { MockResponse } from './core/context';
import { isJsonMediaType } from './core/media-types';
import { violationKeySet } from './core/request/violation';
import { errorBody } from './not-found';
import { PROBLEM_MEDIA_TYPE } from './core/problem';
import { immutableInfo } from './respond';
import type { Defs, JsonSchema, Manifest, OperationData, ResponseData } from './core/types';

/** Schemas remembered per immutable body (a resource is read through a few operations at most). */
const CONFORMS_LIMIT = 8;
let fake: typeof import('./core/fake') | undefined;

export function documentedResponse(op: OperationData, status: number): ResponseData | undefined {
  const code = String(status);
  return (
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === `${code[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  );
}

export function conformBody(
  op: OperationData,
  response: MockResponse,
  defs: Defs,
  seed: () => number,
): MockResponse {
  if (response.body === undefined || response.raw !== undefined) return response;
  const documented = documentedResponse(op, response.status);
  const media =
    documented?.content.find((m) => m.mediaType === response.mediaType) ??
    documented?.content.find((m) => isJsonMediaType(m.mediaType)) ??
    // a range the store answers as JSON (state.ts `jsonMedia`; corpus: mcw.edu documents `*/*`)
    documented?.content.find((m) => m.mediaType === '*/*');
  if (!media?.schema) return response;
  const body = response.body;
  const schema = media.schema;
  // an immutable body (a stored resource: replaced, never changed in place) that validated once
  // against this schema is not checked again
  const info =
    typeof schema === 'object' && body !== null && typeof body === 'object' ? immutableInfo(body) : undefined;
  if (info?.conforms?.includes(schema as object)) return response;
  // loaded on first use: json-schema-faker stays out of start-up
  fake ??= require('./core/fake') as typeof import('./core/fake');
  // the common case, a valid body, needs no seed (hashing the request) and no repair context
  const valid =
    fake.conformsTo(body, schema, defs, 'response') || asProductionAnswers(op, body, schema, defs);
  const result = valid
    ? { value: body, repaired: false, errors: [] }
    : fake.repairValue(body, schema, defs, { seed: seed(), direction: 'response' });
  if (result.repaired) return { ...response, body: result.value };
  if (info && result.errors.length === 0) {
    info.conforms ??= [];
    if (info.conforms.length >= CONFORMS_LIMIT) info.conforms.shift();
    info.conforms.push(schema as object);
  }
  return response;
}

/** Whether every way `body` breaks `schema` is one the service's recorded answers broke it in too. */
function asProductionAnswers(op: OperationData, body: unknown, schema: JsonSchema, defs: Defs): boolean {
  if (op.returnedViolations === undefined) return false;
  const tolerated = violationKeySet(op.returnedViolations);
  const keys = fake!.violationKeys(body, schema, defs, 'response');
  return keys !== undefined && keys.length > 0 && keys.every((key) => tolerated.has(key));
}

/** Machine codes for string `code` / `type` fields of made-up errors, by status. */
const ERROR_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  415: 'unsupported_media_type',
  422: 'invalid_request',
};

/** Members of an RFC 9457 problem: never overwritten by the contract's error document. */
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'validation']);

/**
 * A problem the mock made up (401, 404, 415, 422...) also said in the contract's error document
 * (`manifest.errorSchema`: `{error: {message, type, code}}`, `{message, documentation_url}`...), the
 * way the service's own SDK reads errors; the problem's detail, or its violations, is the message.
 * It stays an `application/problem+json` problem (Prism's convention): the error document's members
 * are added as extension members (RFC 9457 §3.2), except those a problem already defines.
 * Anything else, or without an error document, is returned as it is.
 */
export function inContractWords(
  response: MockResponse,
  manifest: Manifest,
  defs: Defs,
  seed: () => number,
): MockResponse {
  const name = manifest.errorSchema;
  const problem = response.body as Record<string, unknown> | undefined;
  if (
    name === undefined ||
    defs[name] === undefined ||
    response.mediaType !== PROBLEM_MEDIA_TYPE ||
    problem === null ||
    typeof problem !== 'object'
  ) {
    return response;
  }
  const violations = Array.isArray(problem.validation) ? (problem.validation as unknown[]) : [];
  const said = violations
    .map((v) => {
      const { location, message } = (v ?? {}) as { location?: unknown; message?: unknown };
      const where = Array.isArray(location) ? location.join('.') : '';
      return typeof message === 'string' ? (where ? `${where}: ${message}` : message) : undefined;
    })
    .filter((text): text is string => text !== undefined);
  const message =
    said.length > 0
      ? `Invalid request: ${said.join('; ')}`
      : typeof problem.detail === 'string'
        ? problem.detail
        : String(problem.title ?? 'Error');
  const status = response.status;
  const schema = { $ref: `#/$defs/${name}` };
  const facts = { status, message, code: ERROR_CODES[status] ?? `http_${status}` };
  fake ??= require('./core/fake') as typeof import('./core/fake');
  const body = fake.repairValue(errorBody(schema, defs, facts) ?? {}, schema, defs, {
    seed: seed(),
    direction: 'response',
  }).value;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return response;
  const merged: Record<string, unknown> = { ...problem };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!PROBLEM_MEMBERS.has(key) && key !== '__proto__') merged[key] = value;
  }
  return { ...response, body: merged };
}
