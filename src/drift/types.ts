import type { Coverage } from './coverage';
import type { FindingKind, Severity } from './kinds';

/** One problem in one recorded exchange. Plain data; reporters turn lists of these into text. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** 0-based index of the entry in its HAR file. */
  entry: number;
  /** HAR file the entry comes from. */
  file: string;
  /** `GET /pets/{petId}`; for an undocumented path, the recorded method and path. */
  operation: string;
  /** JSON pointer into the recorded request/response: `/owner/email` (body), `/query/limit`, `/headers/x-api-key`, `` (whole). */
  pointer: string;
  /** Human message, starting with the operation (and response status). */
  message: string;
  /** Where the broken rule is in the contract, readable: `#/components/schemas/Owner/properties/email`. */
  schemaPointer?: string;
  /** Recorded response status for response findings. */
  status?: number;
  /** Finer reason inside the kind, e.g. `extra-property`, `required`, `type`, `format`, `oneOf`. */
  rule?: string;
  /** The recorded value the finding is about, as a short JSON preview (secret-named fields masked). */
  value?: string;
}

export interface DriftOptions {
  /** Report undocumented properties where additional properties are allowed (warnings). Default true. */
  extraProperties?: boolean;
  /** Count which operations, parameters, responses and body properties the traffic exercised. Default true. */
  coverage?: boolean;
}

export interface OperationStats {
  /** `GET /pets/{petId}` */
  operation: string;
  operationId: string;
  entries: number;
  errors: number;
  warnings: number;
}

export interface DriftSummary {
  /** entries read from the HAR files */
  entries: number;
  /** entries checked against an operation (matched) */
  matched: number;
  /** entries skipped (CORS preflights) */
  skipped: number;
  /**
   * Requests set aside because they went to another host than the API's (a browser HAR's pages,
   * scripts, analytics) and match no documented path: per host, how many. Not drift.
   */
  otherHosts: { host: string; entries: number }[];
  errors: number;
  warnings: number;
  /** per documented operation, in contract order, plus one row per undocumented request line */
  operations: OperationStats[];
  /** operations no recorded entry exercised (`GET /pets/{petId}`) — informational, never counted in exit codes */
  untestedOperations: string[];
  /** findings that the baseline accepted (not in `findings`) */
  baselined: number;
}

export interface DriftResult {
  findings: Finding[];
  summary: DriftSummary;
  /** what the traffic exercised (absent with `coverage: false`) */
  coverage?: Coverage;
}
