/**
 * The documented response: the first documented 2xx with its first example, else data generated
 * from its schema (respond.ts decides which), or the response `Prefer: code=` names. The last rule:
 * it always answers (a problem when the operation documents nothing to mock).
 */
import { asLastPage } from '../../pagination';
import { problem } from '../../core/problem';
import { responseForCode, successResponse, type BuiltResponse, type ResponseChoice } from '../../respond';
import type { OperationData } from '../../core/types';
import type { Exchange, Pipeline } from '../context';
import { headerString } from '../context';
import type { SelectionRule } from './rule';

export const documented: SelectionRule = {
  name: 'documented',
  applies: () => true,
  session: false,
  answer: (p, x) => documentedAnswer(p, x, false),
};

const successCache = new WeakMap<OperationData, ResponseChoice | null>();

function cachedSuccess(op: OperationData): ResponseChoice | undefined {
  let choice = successCache.get(op);
  if (choice === undefined) {
    choice = successResponse(op) ?? null;
    successCache.set(op, choice);
  }
  return choice ?? undefined;
}

/**
 * The documented answer with the request's preferences (code, example, dynamic); with `lastPage`,
 * built afresh and made the last page of its pagination (next cursor `''`, `has_more: false`).
 */
export function documentedAnswer(p: Pipeline, x: Exchange, lastPage: boolean): BuiltResponse {
  const op = x.op!;
  const request = x.request!;
  const prefs = x.prefs!;
  // a status the client asks for must be one HTTP has: `Prefer: code=999` is the client's mistake
  if (prefs.code !== undefined && !isHttpStatus(prefs.code)) {
    return problem(
      'MALFORMED_REQUEST',
      `Prefer: code=${prefs.code} is not an HTTP status code (100–599, or a documented range such as 4XX).`,
    );
  }
  const choice = prefs.code !== undefined ? responseForCode(op, prefs.code) : cachedSuccess(op);
  if (!choice) {
    return prefs.code !== undefined
      ? problem(
          'NOT_FOUND',
          `Requested status code ${prefs.code} is not defined in the document for ${op.id}.`,
        )
      : problem('NO_RESPONSE_DEFINED', `${op.id} documents no 2xx or default response to mock.`);
  }
  const options = {
    accept: headerString(request.headers.accept),
    example: prefs.example,
    dynamic: prefs.dynamic,
    request,
    seed: x.seed!,
    uncached: lastPage,
  };
  let built = p.builder.build(op, choice, options);
  // an Accept the operation documents as a header parameter (AWS `Accept: image/jpeg`) is a request
  // the contract allows: it gets what the contract documents, not a 406 (corpus: medialive)
  if (built.status === 406 && documentsAcceptHeader(op)) {
    built = p.builder.build(op, choice, { ...options, accept: undefined });
  }
  if (lastPage && built.status >= 200 && built.status < 300) {
    const last = asLastPage(built.body);
    if (last !== undefined) return { ...built, body: last, wire: undefined };
  }
  return built;
}

function documentsAcceptHeader(op: OperationData): boolean {
  return op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'accept');
}

/** `404`, `4XX`, `default`: a status a Prefer code may name (three digits only in 100–599). */
function isHttpStatus(code: string): boolean {
  const wanted = code.trim().toUpperCase();
  if (wanted === 'DEFAULT' || /^[1-5]XX$/.test(wanted)) return true;
  return /^\d{3}$/.test(wanted) && Number(wanted) >= 100 && Number(wanted) <= 599;
}
