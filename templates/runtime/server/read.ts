/**
 * The read stage: the body's bytes (413 past the limit, Content-Encoding decoded), the request as
 * the later stages see it (`MockRequest`: an RPC method's form POST becomes its GET), `Prefer`, the
 * session, and the operation among those sharing the method and path. Runs in the callback of the
 * body's last chunk: a failure is answered here, never left to become an unhandled rejection.
 */
import { decodeContentEncoding, readBody } from '../body';
import type { MockRequest } from '../core/context';
import { mediaTypeOf } from '../core/media-types';
import { parseCookies, parseQuery } from '../params';
import { extractPreferences } from '../core/prefer';
import { requestSeed } from '../respond';
import { fragmentHint, type RouteCandidate } from '../core/router';
import type { IncomingMessage } from 'node:http';
import type { OperationData } from '../core/types';
import type { Exchange, Pipeline, RouteState, RoutedRequest } from './context';
import { fail } from './write';

const EMPTY = Buffer.alloc(0);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);

/** The next stages, once the request is read. */
export type Next = (p: Pipeline, x: Exchange) => void;

export function readRequest(
  p: Pipeline,
  x: Exchange,
  routed: RoutedRequest,
  op: OperationData,
  next: Next,
): void {
  x.op = op;
  readBody(x.req, p.limit, (err, raw) => {
    if (err) return fail(p, x, err);
    try {
      serve(p, x, routed, decodeContentEncoding(raw, x.req.headers['content-encoding'], p.limit), next);
    } catch (error) {
      fail(p, x, error);
    }
  });
}

/** The request as the stages see it, the operation among alternatives, then the next stages. */
function serve(p: Pipeline, x: Exchange, routed: RoutedRequest, body: Buffer, next: Next): void {
  const { req } = x;
  const { found, rawPath, search, alternatives } = routed;
  const tunnelled = x.tunnelled;
  let raw = body;
  let requestUrl = x.url;
  let requestSearch = search;
  let headers = req.headers;
  if (tunnelled) {
    // served as `GET path?query&form`: the form fields are the method's query parameters
    const form = raw.toString('utf8');
    requestSearch = search === '' ? form : form === '' ? search : `${search}&${form}`;
    requestUrl = requestSearch === '' ? rawPath : `${rawPath}?${requestSearch}`;
    raw = EMPTY;
    headers = withoutBodyHeaders(req.headers);
  }
  const { prefs, query } = extractPreferences(req.headers.prefer, parseQuery(requestSearch));
  const sessionHeader = req.headers['x-mockgen-session'];
  x.session = typeof sessionHeader === 'string' ? sessionHeader : '';
  const request: MockRequest = {
    method: tunnelled ? 'GET' : x.method,
    path: found.path,
    url: requestUrl,
    pathParams: found.match.params,
    query,
    headers,
    cookies: parseCookies(req.headers.cookie),
    mediaType: tunnelled ? '' : mediaTypeOf(req.headers['content-type']),
    rawBody: raw,
    body: undefined,
    session: x.session,
    tokens: p.store,
  };
  x.request = request;
  x.prefs = prefs;
  x.seed = (): number => requestSeed(request.method, request.url, request.rawBody);
  if (!alternatives) {
    next(p, x);
    return;
  }
  const choose = (): void => {
    const chosen = chooseOperation(p, alternatives, request);
    x.op = chosen.op;
    request.pathParams = chosen.params;
    next(p, x);
  };
  const unloaded = alternatives.filter((candidate) => !candidate.value.op);
  if (unloaded.length === 0) {
    choose();
    return;
  }
  Promise.all(unloaded.map((candidate) => p.loadOperation(candidate.value))).then(
    () => {
      try {
        choose();
      } catch (err) {
        fail(p, x, err);
      }
    },
    (err: unknown) => fail(p, x, err),
  );
}

/**
 * Several operations share the method and path (AWS `/#Action=A` and `/#Action=B`, `/items/{id}` and
 * `/items/{slug}`): the first, in contract order, whose parameters the request satisfies, those whose
 * `#fragment` names the request's query or headers tried first; else the one with the fewest violations.
 * Every candidate's data is loaded.
 */
function chooseOperation(
  p: Pipeline,
  candidates: RouteCandidate<RouteState>[],
  request: MockRequest,
): { op: OperationData; params: Record<string, string> } {
  const ordered = candidates
    .map((candidate, index) => ({ candidate, index, hint: fragmentHint(candidate.template, request) }))
    .sort((a, b) => b.hint - a.hint || a.index - b.index);
  let best: { op: OperationData; params: Record<string, string>; violations: number } | undefined;
  for (const { candidate } of ordered) {
    const state = candidate.value;
    const candidateOp = state.op!;
    const { violations } = p.validator().validateParameters(candidateOp, {
      ...request,
      pathParams: candidate.params,
    });
    if (!best || violations.length < best.violations) {
      best = { op: candidateOp, params: candidate.params, violations: violations.length };
      if (violations.length === 0) break;
    }
  }
  return best ?? { op: candidates[0].value.op!, params: candidates[0].params };
}

function withoutBodyHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const out: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers)) if (!BODY_HEADERS.has(name)) out[name] = value;
  return out;
}
