/**
 * Bodies the stateful store builds (merged request data, a replaced resource, a virtual item) must
 * still validate against the documented response schema; a body that does not is repaired, so a
 * client never receives a response that breaks the contract. Recorded responses are left as they were.
 */
import type { MockResponse } from './context';
import { immutableInfo } from './respond';
import type { Defs, OperationData, ResponseData } from './types';

/** Schemas remembered per immutable body (a resource is read through a few operations at most). */
const CONFORMS_LIMIT = 8;
let fake: typeof import('./fake') | undefined;

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
    documented?.content.find((m) => m.mediaType === 'application/json' || m.mediaType.endsWith('+json'));
  if (!media?.schema) return response;
  const body = response.body;
  const schema = media.schema;
  // an immutable body (a stored resource: replaced, never changed in place) that validated once
  // against this schema is not checked again
  const info =
    typeof schema === 'object' && body !== null && typeof body === 'object' ? immutableInfo(body) : undefined;
  if (info?.conforms?.includes(schema as object)) return response;
  // loaded on first use: json-schema-faker stays out of start-up
  fake ??= require('./fake') as typeof import('./fake');
  // the common case, a valid body, needs no seed (hashing the request) and no repair context
  const valid = fake.conformsTo(body, schema, defs, 'response');
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
