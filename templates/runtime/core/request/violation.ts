/** The shapes the interpreter reads and reports. */
import type { JsonSchema, ParameterData } from '../types';

/**
 * One way a request breaks its operation, Prism-style: `location` is the path into the request
 * (`['query', 'limit']`, `['body', 'items', '0']`, `['header', 'X-Tenant']`); the server puts these in
 * `sl-violations` and problem documents.
 */
export interface Violation {
  location: string[];
  severity: 'Error';
  /** the JSON Schema keyword that failed, or `required`, `content`, `style`, `json`, `multipart`, `charset`, `media-type` */
  code: string;
  message: string;
}

/** A violation with its location as a JSON pointer (`/query/limit`, `/body/name`, `/header/X-Tenant`). */
export interface RequestViolation extends Violation {
  pointer: string;
}

/** What the interpreter needs of an operation: the runtime's `OperationData` and the contract model's `Operation` both fit. */
export interface RequestOperation {
  method: string;
  parameters: readonly ParameterData[];
  requestBody?: {
    required: boolean;
    content: readonly { mediaType: string; schema?: JsonSchema }[];
  };
}

export function toPointer(location: readonly string[]): string {
  return location.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * A violation's kind at a place, whatever the value: the keyword and the pointer with array indices
 * as `*` and header names in lower case (`type /body/items/*\/price`, `maximum /query/limit`). The
 * tolerances learnt from recorded 2xx requests (`OperationData.acceptedViolations`) are such keys.
 */
export function violationKey(violation: Pick<Violation, 'location' | 'code'>): string {
  const [where, ...rest] = violation.location;
  const place =
    where === 'header' ? rest.map((s) => s.toLowerCase()) : rest.map((s) => (/^\d+$/.test(s) ? '*' : s));
  return `${violation.code} ${toPointer([where ?? '', ...place])}`;
}

const keySets = new WeakMap<readonly string[], Set<string>>();

/** Violation keys an operation tolerates (`acceptedViolations`, `returnedViolations`) as a set, built once per list. */
export function violationKeySet(keys: readonly string[]): Set<string> {
  let set = keySets.get(keys);
  if (!set) keySets.set(keys, (set = new Set(keys)));
  return set;
}
