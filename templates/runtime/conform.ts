/**
 * Bodies the stateful store builds (merged request data, a replaced resource, a virtual item) must
 * still validate against the documented response schema; a body that does not is repaired, so a
 * client never receives a response that breaks the contract. Recorded responses are left as they were.
 */
import type { MockResponse } from './context';
import type { Defs, OperationData, ResponseData } from './types';

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
  seed: number,
): MockResponse {
  if (response.body === undefined || response.raw !== undefined) return response;
  const documented = documentedResponse(op, response.status);
  const media =
    documented?.content.find((m) => m.mediaType === response.mediaType) ??
    documented?.content.find((m) => m.mediaType === 'application/json' || m.mediaType.endsWith('+json'));
  if (!media?.schema) return response;
  // loaded on first use: json-schema-faker stays out of start-up
  const { repairValue } = require('./fake') as typeof import('./fake');
  const result = repairValue(response.body, media.schema, defs, { seed, direction: 'response' });
  return result.repaired ? { ...response, body: result.value } : response;
}
