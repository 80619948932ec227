/**
 * The validation stage: the body's media type (415), its parsing (400; a body the operation does
 * not document is ignored, however it looks), then parameters and body against the contract (the
 * documented 422 / 400 / default, else a 422 problem with an `sl-violations` header, as Prism).
 * Wraps validate-request.ts and body.ts. Synchronous except for a multipart body, parsed by a stream.
 */
import { RequestError, isFormMediaType, parseBody } from '../body';
import type { UploadedFile } from '../core/context';
import { problem, validationProblem, type Violation } from '../core/problem';
import { violationKey, violationKeySet } from '../core/request/violation';
import type { OperationData } from '../core/types';
import type { BuiltResponse } from '../respond';
import type { MaybePromise } from '../store/maybe';
import type { RequestValidator } from '../validate-request';
import type { Exchange, Pipeline } from './context';
import { headerString } from './context';
import { refuse } from './refuse';

type BodySelection = ReturnType<RequestValidator['selectBody']>;

/** The refusal of an invalid request; undefined when it is valid (its body parsed into `x.request`). */
export function validateRequest(p: Pipeline, x: Exchange): MaybePromise<BuiltResponse | undefined> {
  const op = x.op!;
  const request = x.request!;
  const validation = p.validator();
  const selection = validation.selectBody(op, request.mediaType, request.rawBody.length > 0);
  if (selection.unsupported && !acceptsMediaType(op)) {
    const documented = (op.requestBody?.content ?? []).map((c) => c.mediaType).join(', ');
    return refuse(p, x, ['415'], () =>
      problem(
        'INVALID_CONTENT_TYPE',
        `Supported content types: ${documented}; the request was sent as ${request.mediaType}.`,
      ),
    );
  }
  if (request.rawBody.length === 0) return checkValues(p, x, selection);
  const parseAs = selection.mediaType && request.mediaType === '' ? selection.mediaType : request.mediaType;
  // a body the operation does not document is ignored, however it looks
  const unparsable = (err: unknown): BuiltResponse | undefined => {
    if (!(err instanceof RequestError) || selection.mediaType !== undefined) throw err;
    return checkValues(p, x, selection);
  };
  const uploads: UploadedFile[] = [];
  const parsed = (body: unknown): BuiltResponse | undefined => {
    request.body = body;
    if (uploads.length > 0) request.uploads = uploads;
    return checkValues(p, x, selection);
  };
  let body: unknown;
  try {
    body = parseBody(
      request.rawBody,
      headerString(request.headers['content-type']),
      parseAs,
      isFormMediaType(parseAs) ? validation.flatFormNames(selection.schema) : undefined,
      uploads,
    );
  } catch (err) {
    return unparsable(err);
  }
  // multipart bodies are parsed by a stream
  return body instanceof Promise ? body.then(parsed, unparsable) : parsed(body);
}

/** The real service accepted bodies of a type the operation does not document. */
function acceptsMediaType(op: OperationData): boolean {
  return op.acceptedViolations !== undefined && violationKeySet(op.acceptedViolations).has(MEDIA_TYPE_KEY);
}
const MEDIA_TYPE_KEY = violationKey({ location: ['header', 'content-type'], code: 'media-type' });

/** Parameters and the parsed body against the contract. */
function checkValues(p: Pipeline, x: Exchange, selection: BodySelection): BuiltResponse | undefined {
  const op = x.op!;
  const request = x.request!;
  const validation = p.validator();
  let violations = validation.validateParameters(op, request).violations;
  if (op.requestBody) {
    const body = validation.validateBody(op, selection, request.body);
    if (body.length > 0) violations = [...violations, ...body];
  }
  if (violations.length === 0) return undefined;
  if (op.acceptedViolations !== undefined) {
    const accepted = violationKeySet(op.acceptedViolations);
    const refused = violations.filter((v) => !accepted.has(violationKey(v)));
    if (refused.length === 0) {
      // the real service answered requests like this one with 2xx: served as valid, journalled
      x.accepted = [...new Set(violations.map(violationKey))].join(', ');
      return undefined;
    }
    violations = refused;
  }
  const headers = { 'sl-violations': violationsHeader(violations) };
  return refuse(p, x, ['422', '400'], () => validationProblem(violations), headers);
}

/** Prism's `sl-violations` header: the violations as JSON, ASCII-safe and bounded. */
function violationsHeader(violations: Violation[]): string {
  const text = JSON.stringify(violations).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 4096 ? `${text.slice(0, 4093)}...` : text;
}
