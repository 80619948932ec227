/**
 * The catalogue of drift findings: every kind a check can report, its default severity and what it
 * means. Reporters (SARIF rules, text legends) read it; checks only name a kind.
 */

export type Severity = 'error' | 'warning';

export type FindingKind =
  | 'undocumented-path'
  | 'undocumented-method'
  | 'missing-required-parameter'
  | 'invalid-parameter'
  | 'invalid-request-body'
  | 'undocumented-request-content-type'
  | 'missing-credentials'
  | 'undocumented-status'
  | 'undocumented-response-content-type'
  | 'invalid-response-body'
  | 'missing-required-response-header'
  | 'invalid-response-header'
  | 'unparseable-body';

export interface KindInfo {
  kind: FindingKind;
  severity: Severity;
  /** Short title, e.g. for SARIF `shortDescription` and JUnit. */
  title: string;
  description: string;
}

const CATALOGUE: KindInfo[] = [
  {
    kind: 'undocumented-path',
    severity: 'error',
    title: 'Undocumented path',
    description:
      'The recorded request path matches no path of the contract (after removing the server base path).',
  },
  {
    kind: 'undocumented-method',
    severity: 'error',
    title: 'Undocumented method',
    description: 'The recorded request path is documented, but not for this HTTP method.',
  },
  {
    kind: 'missing-required-parameter',
    severity: 'error',
    title: 'Missing required parameter',
    description:
      'A parameter the operation marks as required (path, query, header or cookie) is absent from the recorded request.',
  },
  {
    kind: 'invalid-parameter',
    severity: 'error',
    title: 'Invalid parameter',
    description:
      'A recorded parameter value does not match its schema (type, enum, format, range, pattern) or its serialisation style.',
  },
  {
    kind: 'invalid-request-body',
    severity: 'error',
    title: 'Invalid request body',
    description:
      'The recorded request body does not match the schema of its media type, or a required body is missing. An undocumented extra property is a warning.',
  },
  {
    kind: 'undocumented-request-content-type',
    severity: 'error',
    title: 'Undocumented request content type',
    description:
      'The recorded request body has a media type the operation does not accept, or the operation documents no request body.',
  },
  {
    kind: 'missing-credentials',
    severity: 'error',
    title: 'Missing credentials',
    description:
      'The operation is secured and the recorded request satisfies none of its security alternatives (headers, query parameters or cookies; redacted values count as present).',
  },
  {
    kind: 'undocumented-status',
    severity: 'error',
    title: 'Undocumented status',
    description:
      'The recorded response status is not documented for the operation, neither exactly, nor by a range such as 4XX, nor by default.',
  },
  {
    kind: 'undocumented-response-content-type',
    severity: 'error',
    title: 'Undocumented response content type',
    description: 'The recorded response body has a media type that the documented response does not list.',
  },
  {
    kind: 'invalid-response-body',
    severity: 'error',
    title: 'Invalid response body',
    description:
      'The recorded response body does not match the schema of the documented response: a missing required property, a wrong type, enum or format, a oneOf matched by none or several alternatives, or a property additionalProperties: false forbids. An undocumented extra property is a warning.',
  },
  {
    kind: 'missing-required-response-header',
    severity: 'error',
    title: 'Missing required response header',
    description: 'A response header the contract marks as required is absent from the recorded response.',
  },
  {
    kind: 'invalid-response-header',
    severity: 'error',
    title: 'Invalid response header',
    description: 'A recorded response header value does not match the schema the contract documents for it.',
  },
  {
    kind: 'unparseable-body',
    severity: 'error',
    title: 'Unparseable body',
    description:
      'The body is declared as JSON (by its media type) but its text is not valid JSON; its schema could not be checked.',
  },
];

export const KINDS: ReadonlyMap<FindingKind, KindInfo> = new Map(CATALOGUE.map((info) => [info.kind, info]));

export const ALL_KINDS: readonly KindInfo[] = CATALOGUE;

export function kindInfo(kind: FindingKind): KindInfo {
  const info = KINDS.get(kind);
  if (!info) throw new Error(`unknown drift finding kind '${kind}'`);
  return info;
}
