/**
 * How the security and validation stages refuse a request: with the error response the operation
 * documents for `codes`, else `fallback` (a problem) in the contract's words.
 */
import { inContractWords } from '../conform';
import type { MockResponse } from '../core/context';
import { errorResponse, type BuiltResponse } from '../respond';
import type { Exchange, Pipeline } from './context';
import { headerString } from './context';

export function refuse(
  p: Pipeline,
  x: Exchange,
  codes: string[],
  fallback: () => MockResponse,
  headers?: Record<string, string>,
): BuiltResponse {
  const op = x.op!;
  const request = x.request!;
  const seed = x.seed!;
  const choice = errorResponse(op, codes);
  if (!choice) {
    const response = inContractWords(fallback(), p.manifest, p.defs(), seed);
    return headers ? { ...response, headers: { ...headers, ...response.headers } } : response;
  }
  const prefs = x.prefs!;
  const accept = headerString(request.headers.accept);
  const example = prefs.example && prefs.code === String(choice.status) ? prefs.example : undefined;
  const built = p.builder.build(op, choice, { accept, request, seed, example, headers });
  // an error response the client cannot accept is still better than a 406
  return built.status === 406 && choice.status !== 406
    ? p.builder.build(op, choice, { accept: undefined, request, seed, example, headers })
    : built;
}
