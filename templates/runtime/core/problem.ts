/**
 * Errors the mock itself answers with, as RFC 7807 `application/problem+json`, following Prism's
 * conventions (same `type` URLs and titles) so clients and tests written against Prism keep working.
 */
import type { MockResponse } from './context';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://stoplight.io/prism/errors#';

/** One request violation: where (e.g. `['query', 'limit']`, `['body', 'items', '0']`) and what. */
export interface Violation {
  location: string[];
  severity: 'Error';
  code: string;
  message: string;
}

const CATALOGUE = {
  NO_PATH_MATCHED_ERROR: { status: 404, title: 'Route not resolved, no path matched' },
  NO_METHOD_MATCHED_ERROR: { status: 405, title: 'Route resolved, but no method matched' },
  UNAUTHORIZED: { status: 401, title: 'Invalid security scheme used' },
  UNPROCESSABLE_ENTITY: { status: 422, title: 'Invalid request' },
  NOT_ACCEPTABLE: { status: 406, title: 'The server cannot produce a representation for your accept header' },
  NOT_FOUND: { status: 404, title: 'The server cannot find the requested content' },
  NO_RESPONSE_DEFINED: { status: 500, title: 'No response defined for the selected operation' },
  INVALID_CONTENT_TYPE: { status: 415, title: 'Invalid content type' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  INTERNAL_ERROR: { status: 500, title: 'Unexpected error in the mock server' },
  STORE_UNAVAILABLE: { status: 503, title: 'The state store is unavailable' },
} as const;

export type ProblemKind = keyof typeof CATALOGUE;

export interface ProblemOptions {
  /** extra members of the problem document (e.g. `validation`) */
  extra?: Record<string, unknown>;
  headers?: Record<string, string | string[]>;
}

/** A problem response of `kind` with a human-readable `detail`. */
export function problem(kind: ProblemKind, detail: string, options: ProblemOptions = {}): MockResponse {
  const { status, title } = CATALOGUE[kind];
  return {
    status,
    headers: { ...options.headers },
    mediaType: PROBLEM_MEDIA_TYPE,
    body: { type: TYPE_BASE + kind, title, status, detail, ...options.extra },
    source: 'error',
  };
}

/** The 422 Prism answers with when the request is invalid and the operation documents no error response. */
export function validationProblem(violations: Violation[]): MockResponse {
  return problem(
    'UNPROCESSABLE_ENTITY',
    'Your request is not valid and no HTTP validation response was found in the spec, so the mock is generating this error for you.',
    { extra: { validation: violations } },
  );
}
