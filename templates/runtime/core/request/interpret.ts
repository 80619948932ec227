/**
 * The request interpreter: plain request data in, parsed parameters and body and every violation out.
 * The same bytes give the same reading wherever they come from — a live request (the mock), a HAR
 * entry (drift, the recording loader).
 */
import { mediaTypeOf } from '../media-types';
import { BodyParseError, isFormMediaType, parseBodySync, type UploadedPart } from './bodies';
import { buildFormObject } from './form-object';
import { parseCookies, parseQuery } from './query';
import type { ParameterValues, RequestValidator } from './validate';
import { toPointer, type RequestOperation, type RequestViolation, type Violation } from './violation';

/** A request as plain data. */
export interface RawRequest {
  method: string;
  /** the router's percent-decoded path parameters */
  pathParams: Record<string, string>;
  /** the query string without `?`, or its pairs already decoded (a HAR's `queryString`) */
  query: string | [string, string][];
  /** lower-case names */
  headers: Record<string, string | string[] | undefined>;
  /** cookies when they are known apart from the Cookie header (a HAR's list); else the header is read */
  cookies?: Record<string, string>;
  /** the body: bytes, or text already decoded (a HAR's `postData.text`) */
  body?: Buffer | string;
  /** form fields already split (a HAR's `postData.params`), read when there is no body */
  fields?: [string, unknown][];
  /** the Content-Type header; `headers['content-type']` when not given */
  contentType?: string;
}

export interface InterpretedRequest {
  params: ParameterValues;
  /** the parsed body (JSON value, form object, text, binary string); undefined when empty or unreadable */
  body: unknown;
  /** the documented media type the body was checked against, when there is one */
  mediaType?: string;
  /** the file parts of a multipart body */
  uploads: UploadedPart[];
  violations: RequestViolation[];
}

/**
 * Reads and validates `raw` as a request to `operation`. Violation codes beyond the JSON Schema
 * keywords: `required` (a missing body), `content`/`style` (a parameter that cannot be read),
 * `json`/`multipart`/`charset` (a body that cannot be read), `media-type` (an undocumented
 * Content-Type: the mock answers 415).
 */
export function interpretRequest(
  validator: RequestValidator,
  operation: RequestOperation,
  raw: RawRequest,
): InterpretedRequest {
  const header = raw.headers.cookie;
  const { values, violations } = validator.validateParameters(operation, {
    pathParams: raw.pathParams,
    query: typeof raw.query === 'string' ? parseQuery(raw.query) : raw.query,
    headers: raw.headers,
    cookies: raw.cookies ?? parseCookies(header),
  });
  const out: Violation[] = [...violations];
  const contentType = raw.contentType ?? firstHeader(raw.headers['content-type']);
  const mediaType = mediaTypeOf(contentType);
  const bytes = raw.body !== undefined && raw.body.length > 0;
  const present = bytes || (raw.fields !== undefined && raw.fields.length > 0);
  const selection = validator.selectBody(operation, mediaType, present);
  const result: InterpretedRequest = { params: values, body: undefined, uploads: [], violations: [] };
  if (selection.mediaType !== undefined) result.mediaType = selection.mediaType;
  if (selection.unsupported) {
    const documented = (operation.requestBody?.content ?? []).map((c) => c.mediaType).join(', ');
    out.push({
      location: ['header', 'content-type'],
      severity: 'Error',
      code: 'media-type',
      message: `Supported content types: ${documented}; the request was sent as ${mediaType}.`,
    });
  } else {
    let readable = true;
    if (present) {
      const parseAs = selection.mediaType && mediaType === '' ? selection.mediaType : mediaType;
      const flatNames = isFormMediaType(parseAs) ? validator.flatFormNames(selection.schema) : undefined;
      try {
        result.body = bytes
          ? parseBodySync({
              raw: raw.body!,
              contentType,
              mediaType: parseAs,
              flatNames,
              uploads: result.uploads,
            })
          : buildFormObject(raw.fields!, flatNames);
      } catch (err) {
        if (!(err instanceof BodyParseError)) throw err;
        // a body the operation does not document is ignored, however it looks
        if (selection.mediaType !== undefined) {
          readable = false;
          out.push({ location: ['body'], severity: 'Error', code: err.code, message: err.message });
        }
      }
    }
    if (readable && operation.requestBody)
      out.push(...validator.validateBody(operation, selection, result.body));
  }
  result.violations = out.map((v) => ({ ...v, pointer: toPointer(v.location) }));
  return result;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
