/**
 * The request pipeline of the mock server, a plain `(req, res)` handler for `node:http`:
 *
 *   route (base path, 404/405/OPTIONS/HEAD; an RPC method's form POST as its GET) → read body (413)
 *   → security (401) → content type (415)
 *   → parse body (400) → validate parameters and body (422/400/default, or a 422 problem)
 *   → token endpoint → recorded exchange → stateful resource → documented response
 *   (Prefer / __code / __example / __dynamic, Accept: 406) → latency → write → journal.
 * A request with an `X-Mockgen-Explain` header gets an `X-Mockgen-Explain` response header saying
 * where the answer came from and how the request compared with the operation's recordings.
 *
 * Base path: requests are accepted with the contract's base path (`/v1/pets`) and, as a convenience
 * for clients configured with a host only, without it (`/pets`) when that matches an operation.
 * Express only serves `/__mockgen/*` (admin API and the optional user extension), off the hot path.
 * Operation data files are read on the first request to each operation; everything derived from
 * them (validators, negotiation, serialised example bodies) is computed once and cached.
 */
import { readFile, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { MockRequest, MockResponse, UploadedFile } from './core/context';
import {
  RequestError,
  announcesBody,
  bodyLimit,
  decodeContentEncoding,
  isFormMediaType,
  parseBody,
  readBody,
} from './body';
import { builtinAdminResponse, unknownAdminResponse } from './admin-routes';
import { recordFields } from './journal';
import { RequestLog, requestLogEnabled, stdoutRequestLog } from './request-log';
import { eventIntervalMs, latencyMs } from './latency';
import { FORM_URLENCODED, mediaTypeOf } from './core/media-types';
import { parseCookies, parseQuery } from './params';
import { asLastPage, continuesPagination } from './pagination';
import { extractPreferences, hasPreferences, type Preferences } from './core/prefer';
import { problem, validationProblem, type Violation } from './core/problem';
import { explainMiss, findRecordedResponse } from './replay';
import {
  ResponseBuilder,
  errorResponse,
  requestSeed,
  responseForCode,
  safeHeaderValue,
  successResponse,
  reusableWire,
  toWire,
  type BuiltResponse,
  type WireResponse,
} from './respond';
import { Router, fragmentHint, type RouteCandidate } from './core/router';
import { EXPIRED_TOKEN_CHALLENGE, checkSecurity } from './security';
import { getSession } from './session';
import { handleResourceRequest, listCacheSlot } from './state';
import { conformBody, inContractWords } from './conform';
import { handleTokenEndpoint } from './token-endpoint';
import { verifyToken } from './tokens';
import type { Defs, Manifest, OperationData, RouteEntry } from './core/types';
import type { RequestValidator } from './validate-request';

/** Express-compatible request handler (the admin app); typed loosely so Express stays off this module's imports. */
export type AdminApp = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

export interface MockHandlerOptions {
  /** directory holding manifest.json, schemas.json and ops/ */
  dataDir: string;
  routes: RouteEntry[];
  env?: NodeJS.ProcessEnv;
  /**
   * User extension: receives the Express app serving `/__mockgen/*` and may add routes. When given,
   * requests that match no operation are passed to the app too before the 404.
   */
  extend?: (app: import('express').Express) => void;
  /** one line per request (request-log.ts): `true` to stdout, or that log; default MOCKGEN_LOG */
  log?: boolean | RequestLog;
}

export interface MockHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly manifest: Manifest;
}

/** The answer with an operation's documented error response for `codes`, else `fallback` in the contract's words. */
type ErrorBuilder = (
  codes: string[],
  fallback: () => MockResponse,
  headers?: Record<string, string>,
) => MockResponse;

/** One request on its way through the pipeline. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  /** upper case */
  method: string;
  url: string;
  /** the operation once routed */
  op: OperationData | undefined;
  session: string;
}

/** A request routed to an operation. */
interface RoutedRequest {
  state: RouteState;
  found: Routed;
  rawPath: string;
  search: string;
  /** an RPC method's form POST served as its GET */
  tunnelled: boolean;
  /** other operations the method and path could mean (`Router.alternatives`) */
  alternatives: RouteCandidate<RouteState>[] | undefined;
}

interface RouteState {
  entry: RouteEntry;
  /** other operations share its method and path (see `Router.alternatives`) */
  shared: boolean;
  op?: OperationData;
  loading?: Promise<OperationData>;
}

const EMPTY = Buffer.alloc(0);
/** routed paths without parameters remembered (a contract has a few hundred; the bound is for odd clients) */
const STATIC_ROUTE_LIMIT = 4096;
const successCache = new WeakMap<OperationData, ReturnType<typeof successResponse> | null>();

function cachedSuccess(op: OperationData): ReturnType<typeof successResponse> {
  let choice = successCache.get(op);
  if (choice === undefined) {
    choice = successResponse(op) ?? null;
    successCache.set(op, choice);
  }
  return choice ?? undefined;
}
const PROBLEM_CACHE = new Map<string, WireResponse>();

export function createMockHandler(options: MockHandlerOptions): MockHandler {
  const env = options.env ?? process.env;
  const latencyEnv = options.env === undefined || options.env === process.env ? undefined : options.env;
  const dataDir = options.dataDir;
  const manifest = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
  const basePath = (manifest.basePath ?? '').replace(/\/+$/, '');
  const limit = bodyLimit(env);
  const cors = !/^(0|off|false|no)$/i.test(env.MOCKGEN_CORS ?? '');
  const logOption = options.log ?? requestLogEnabled(env);
  /** undefined unless logging: the only cost of the log when it is off is testing this */
  const requestLog = logOption === true ? stdoutRequestLog() : logOption || undefined;

  let defsCache: Defs | undefined;
  const defs = (): Defs => {
    if (!defsCache) {
      const file = path.join(dataDir, 'schemas.json');
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { $defs?: Defs };
      defsCache = parsed.$defs ?? {};
    }
    return defsCache;
  };
  let validator: RequestValidator | undefined;
  const validatorFor = (): RequestValidator => {
    if (!validator) {
      // loaded on first use, like the operation data: Ajv costs startup time

      const { RequestValidator } = require('./validate-request') as typeof import('./validate-request');
      validator = new RequestValidator(defs());
    }
    return validator;
  };
  const builder = new ResponseBuilder(manifest, defs);

  const router = new Router<RouteState>();
  const staticRoutes = new Map<string, Routed>();
  const states: RouteState[] = [];
  for (const entry of options.routes) {
    const state: RouteState = { entry, shared: false };
    router.add(entry.method, entry.path, state);
    states.push(state);
  }
  for (const state of states) state.shared = router.sharesShape(state.entry.method, state.entry.path);

  let admin: AdminApp | undefined;
  const adminApp = (): AdminApp => {
    if (!admin) {
      // loaded on first use: Express costs startup time and is never on the mock's hot path

      const { createAdminApp } = require('./admin') as typeof import('./admin');
      admin = createAdminApp({ manifest, routes: options.routes, extend: options.extend });
    }
    return admin;
  };

  let healthWire: WireResponse | undefined;
  /** `GET /__mockgen/health` (admin-routes.ts), built once. */
  const health = (): WireResponse => {
    healthWire ??= reusableWire(
      builtinAdminResponse(
        { method: 'GET', path: '/__mockgen/health', search: '', headers: {} },
        manifest,
        options.routes,
      )!,
    );
    return healthWire;
  };

  const loadOperation = (state: RouteState): Promise<OperationData> => {
    state.loading ??= new Promise<OperationData>((resolve, reject) => {
      readFile(path.join(dataDir, state.entry.data), 'utf8', (err, text) => {
        if (err) {
          state.loading = undefined;
          reject(err);
          return;
        }
        try {
          state.op = JSON.parse(text) as OperationData;
          resolve(state.op);
        } catch (parseError) {
          state.loading = undefined;
          reject(parseError as Error);
        }
      });
    });
    return state.loading;
  };

  const eventInterval = eventIntervalMs(env);
  const finish = (x: Exchange, wire: WireResponse): void => {
    if (requestLog !== undefined) requestLog.watch(x.res, x.method, x.url, x.started, wire.source);
    writeWire(x.req, x.res, wire, cors, wire.events === true ? eventInterval : 0);
    recordFields(
      x.started,
      x.session,
      x.method,
      x.url,
      x.op?.id,
      wire.status,
      wire.source,
      Date.now() - x.started,
    );
  };

  /** The answer to a request the pipeline gave up on (a RequestError is the client's fault, the rest ours). */
  const fail = (x: Exchange, err: unknown): void => {
    if (err instanceof RequestError) {
      // a routed request is refused in the contract's words when it has an error document
      const wire =
        x.op && manifest.errorSchema !== undefined
          ? toWire(inContractWords(problem(err.kind, err.message), manifest, defs(), () => 0))
          : problemWire(err.kind, err.message);
      // an unread body (413, aborted upload) must not be parsed as the next request
      if (err.kind === 'PAYLOAD_TOO_LARGE') wire.headers = [...wire.headers, 'connection', 'close'];
      finish(x, wire);
      return;
    }
    if (x.res.headersSent) {
      x.res.destroy();
      return;
    }
    try {
      finish(
        x,
        wireFor(
          problem('INTERNAL_ERROR', `The mock failed to answer: ${(err as Error)?.message ?? String(err)}`),
        ),
      );
    } catch (last) {
      // last resort: the problem itself could not be written
      process.emitWarning(`mockgen: request failed: ${(last as Error)?.message ?? String(last)}`);
      x.res.destroy();
    }
  };

  /**
   * Routing, up to the operation (or the answer when there is none). The pipeline runs without
   * promises once the operation's data is loaded: from the last body chunk to the response in one tick.
   */
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const x: Exchange = {
      req,
      res,
      started: Date.now(),
      method: (req.method ?? 'GET').toUpperCase(),
      url: req.url ?? '/',
      op: undefined,
      session: '',
    };
    try {
      const routed = routeRequest(x);
      if (!routed) return;
      const state = routed.state;
      if (state.op) {
        readRequest(x, routed, state.op);
      } else {
        loadOperation(state).then(
          (op) => readRequest(x, routed, op),
          (err: unknown) => fail(x, err),
        );
      }
    } catch (err) {
      fail(x, err);
    }
  };

  /** The routed operation of a request, or undefined once the request is answered (admin, 404, 405, OPTIONS). */
  const routeRequest = (x: Exchange): RoutedRequest | undefined => {
    const { req, res, method, url } = x;
    const q = url.indexOf('?');
    let rawPath = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    if (rawPath.charCodeAt(0) !== 47 /* / */) {
      const absolute = /^https?:\/\/[^/]*/i.exec(rawPath);
      if (absolute) rawPath = rawPath.slice(absolute[0].length) || '/';
      else if (rawPath === '*' && method === 'OPTIONS')
        return void finish(x, wireFor(optionsResponse(['*'])));
      else
        return void finish(
          x,
          problemWire('MALFORMED_REQUEST', `Unsupported request target: ${truncate(rawPath)}`),
        );
    }
    if (rawPath.startsWith('/__mockgen/') || rawPath === '/__mockgen') {
      // answered without Express (admin-routes.ts); with a user extension, its Express app decides
      if (options.extend) {
        if (requestLog !== undefined) requestLog.watch(res, method, url, x.started, 'admin');
        return void adminApp()(req, res);
      }
      // readiness probes hit the health check first and often: the same bytes every time
      const wire =
        rawPath === '/__mockgen/health' && (method === 'GET' || method === 'HEAD')
          ? health()
          : (builtinAdminResponse(
              { method, path: rawPath, search, headers: req.headers },
              manifest,
              options.routes,
            ) ?? unknownAdminResponse(method, rawPath));
      if (requestLog !== undefined) requestLog.watch(res, method, url, x.started, wire.source);
      writeWire(req, res, wire, false);
      return undefined;
    }
    if (cors && method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
      return void finish(x, preflight(req));
    }
    const normalized = normalizePath(rawPath);
    if (normalized === undefined) {
      return void finish(
        x,
        problemWire(
          'MALFORMED_REQUEST',
          `The request path is not valid percent-encoding: ${truncate(rawPath)}`,
        ),
      );
    }
    const lower = method.toLowerCase();
    const routeKey = `${lower} ${normalized}`;
    const found = staticRoutes.get(routeKey) ?? route(router, normalized, basePath, lower);
    if (!found) {
      if (options.extend) {
        if (requestLog !== undefined) requestLog.watch(res, method, url, x.started, 'extension');
        return void adminApp()(req, res);
      }
      return void finish(
        x,
        problemWire(
          'NO_PATH_MATCHED_ERROR',
          `The route ${truncate(normalized)} hasn't been found in the specification file`,
        ),
      );
    }
    // paths without parameters are routed once (the answer is shared: routes are never changed)
    if (
      staticRoutes.size < STATIC_ROUTE_LIMIT &&
      found.match.template.indexOf('{') === -1 &&
      !staticRoutes.has(routeKey)
    ) {
      staticRoutes.set(routeKey, found);
    }
    let state =
      found.match.methods.get(lower) ?? (lower === 'head' ? found.match.methods.get('get') : undefined);
    // RPC methods (manifest.rpcMethods): a form POST to a GET method is that GET
    const tunnelled = !state && manifest.rpcMethods === true && lower === 'post' && postsAsGet(req);
    if (tunnelled) state = found.match.methods.get('get');
    if (!state) {
      // every method some template of this path has (`/things/{Id}` DELETE, `/things/{Identifier}` GET)
      const methods = new Set(found.match.methods.keys());
      for (const other of ROUTED_METHODS) {
        if (!methods.has(other) && route(router, normalized, basePath, other)?.match.methods.has(other))
          methods.add(other);
      }
      const allow = allowedMethods(methods);
      if (lower === 'options') return void finish(x, wireFor(optionsResponse(allow)));
      return void finish(
        x,
        wireFor(
          problem(
            'NO_METHOD_MATCHED_ERROR',
            `The route ${found.match.template} has no ${method} operation.`,
            {
              headers: { allow: allow.join(', ') },
            },
          ),
        ),
      );
    }
    const alternatives = state.shared
      ? router.alternatives(found.match.methods.has(lower) ? lower : 'get', found.match)
      : undefined;
    return { state, found, rawPath, search, tunnelled, alternatives };
  };

  /**
   * Reads the body (413), then serves the request. Everything from here on may run in a callback
   * (the body's last chunk, the operation's data just loaded): a failure is answered here, never
   * left to become an unhandled rejection.
   */
  const readRequest = (x: Exchange, routed: RoutedRequest, op: OperationData): void => {
    x.op = op;
    readBody(x.req, limit, (err, raw) => {
      if (err) return fail(x, err);
      try {
        serve(x, routed, decodeContentEncoding(raw, x.req.headers['content-encoding'], limit));
      } catch (error) {
        fail(x, error);
      }
    });
  };

  /** The request as the stages see it, the operation among alternatives, then the answer. */
  const serve = (x: Exchange, routed: RoutedRequest, body: Buffer): void => {
    const { req } = x;
    const { found, rawPath, search, tunnelled, alternatives } = routed;
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
    };
    if (!alternatives) {
      answer(x, request, prefs, tunnelled);
      return;
    }
    const choose = (): void => {
      const chosen = chooseOperation(alternatives, request);
      x.op = chosen.op;
      request.pathParams = chosen.params;
      answer(x, request, prefs, tunnelled);
    };
    const unloaded = alternatives.filter((candidate) => !candidate.value.op);
    if (unloaded.length === 0) {
      choose();
      return;
    }
    Promise.all(unloaded.map((candidate) => loadOperation(candidate.value))).then(
      () => {
        try {
          choose();
        } catch (err) {
          fail(x, err);
        }
      },
      (err: unknown) => fail(x, err),
    );
  };

  /** The response (a promise only for a multipart body), the explanation header, the latency, the write. */
  const answer = (x: Exchange, request: MockRequest, prefs: Preferences, tunnelled: boolean): void => {
    const op = x.op!;
    const deliver = (response: BuiltResponse): void => {
      let wire = response.wire ?? toWire(response);
      if (x.req.headers['x-mockgen-explain'] !== undefined) {
        // debugging aid: where the answer came from and how the request compared with the recordings
        const explanation = `source=${wire.source}${tunnelled ? ' (POST served as GET: RPC method)' : ''}; ${explainMiss(op, request)}`;
        wire = { ...wire, headers: [...wire.headers, 'x-mockgen-explain', safeHeaderValue(explanation)] };
      }
      const wait = latencyMs(op, manifest, latencyEnv);
      if (wait > 0) setTimeout(() => finish(x, wire), wait);
      else finish(x, wire);
    };
    const response = respond(op, request, prefs);
    if (!(response instanceof Promise)) {
      deliver(response);
      return;
    }
    response.then(
      (built) => {
        try {
          deliver(built);
        } catch (err) {
          fail(x, err);
        }
      },
      (err: unknown) => fail(x, err),
    );
  };

  /**
   * Several operations share the method and path (AWS `/#Action=A` and `/#Action=B`, `/items/{id}` and
   * `/items/{slug}`): the first, in contract order, whose parameters the request satisfies, those whose
   * `#fragment` names the request's query or headers tried first; else the one with the fewest violations.
   * Every candidate's data is loaded.
   */
  const chooseOperation = (
    candidates: RouteCandidate<RouteState>[],
    request: MockRequest,
  ): { op: OperationData; params: Record<string, string> } => {
    const ordered = candidates
      .map((candidate, index) => ({ candidate, index, hint: fragmentHint(candidate.template, request) }))
      .sort((a, b) => b.hint - a.hint || a.index - b.index);
    let best: { op: OperationData; params: Record<string, string>; violations: number } | undefined;
    for (const { candidate } of ordered) {
      const state = candidate.value;
      const candidateOp = state.op!;
      const { violations } = validatorFor().validateParameters(candidateOp, {
        ...request,
        pathParams: candidate.params,
      });
      if (!best || violations.length < best.violations) {
        best = { op: candidateOp, params: candidate.params, violations: violations.length };
        if (violations.length === 0) break;
      }
    }
    return best ?? { op: candidates[0].value.op!, params: candidates[0].params };
  };

  /** Security, validation, behaviour stages and the documented response for a routed request. */
  const respond = (
    op: OperationData,
    request: MockRequest,
    prefs: Preferences,
  ): BuiltResponse | Promise<BuiltResponse> => {
    const accept = headerString(request.headers.accept);
    const seed = (): number => requestSeed(request.method, request.url, request.rawBody);
    const buildError: ErrorBuilder = (codes, fallback, headers) => {
      const choice = errorResponse(op, codes);
      if (!choice) {
        const response = inContractWords(fallback(), manifest, defs(), seed);
        return headers ? { ...response, headers: { ...headers, ...response.headers } } : response;
      }
      const example = prefs.example && prefs.code === String(choice.status) ? prefs.example : undefined;
      const built = builder.build(op, choice, { accept, request, seed, example, headers });
      // an error response the client cannot accept is still better than a 406
      return built.status === 406 && choice.status !== 406
        ? builder.build(op, choice, { accept: undefined, request, seed, example, headers })
        : built;
    };

    // security (not for token endpoints: clients authenticate there in the body as often as with Basic,
    // and the token endpoint itself answers RFC 6749 errors)
    const security = op.issuesTokens
      ? { ok: true as const }
      : checkSecurity(op.security, manifest.securitySchemes ?? {}, request);
    if (!security.ok) {
      const headers =
        security.challenges.length > 0 ? { 'www-authenticate': security.challenges.join(', ') } : undefined;
      return buildError(
        ['401'],
        () =>
          problem(
            'UNAUTHORIZED',
            'Your request does not fulfil the security requirements of the operation.',
            { headers },
          ),
        headers,
      );
    }
    if (
      'bearer' in security &&
      security.bearer !== undefined &&
      verifyToken(security.bearer, manifest) === 'expired'
    ) {
      const headers = { 'www-authenticate': EXPIRED_TOKEN_CHALLENGE };
      return buildError(
        ['401'],
        () => problem('UNAUTHORIZED', 'The access token expired.', { headers }),
        headers,
      );
    }

    // request body: media type, parsing
    const validation = validatorFor();
    const selection = validation.selectBody(op, request.mediaType, request.rawBody.length > 0);
    if (selection.unsupported) {
      const documented = (op.requestBody?.content ?? []).map((c) => c.mediaType).join(', ');
      return buildError(['415'], () =>
        problem(
          'INVALID_CONTENT_TYPE',
          `Supported content types: ${documented}; the request was sent as ${request.mediaType}.`,
        ),
      );
    }
    const validated = (): BuiltResponse => respondValidated(op, request, prefs, selection, buildError, seed);
    if (request.rawBody.length > 0) {
      const parseAs =
        selection.mediaType && request.mediaType === '' ? selection.mediaType : request.mediaType;
      // a body the operation does not document is ignored, however it looks
      const unparsable = (err: unknown): BuiltResponse => {
        if (!(err instanceof RequestError) || selection.mediaType !== undefined) throw err;
        return validated();
      };
      const uploads: UploadedFile[] = [];
      const parsed = (body: unknown): BuiltResponse => {
        request.body = body;
        if (uploads.length > 0) request.uploads = uploads;
        return validated();
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
    return validated();
  };

  /** Validation and the answer of a request whose body is parsed (`respond`). */
  const respondValidated = (
    op: OperationData,
    request: MockRequest,
    prefs: Preferences,
    selection: ReturnType<RequestValidator['selectBody']>,
    buildError: ErrorBuilder,
    seed: () => number,
  ): BuiltResponse => {
    const validation = validatorFor();
    const accept = headerString(request.headers.accept);

    // parameters and body against the contract
    let violations = validation.validateParameters(op, request).violations;
    if (op.requestBody) {
      const body = validation.validateBody(op, selection, request.body);
      if (body.length > 0) violations = [...violations, ...body];
    }
    if (violations.length > 0) {
      const headers = { 'sl-violations': violationsHeader(violations) };
      return buildError(['422', '400'], () => validationProblem(violations), headers);
    }

    // behaviour: token endpoint, recorded exchanges, stateful resources (skipped when the client asked for something)
    if (!hasPreferences(prefs) && (op.issuesTokens || op.recordings.length > 0 || op.resource)) {
      const sessionState = getSession(request.session);
      const token = handleTokenEndpoint(op, request, manifest, sessionState);
      if (token) return token;
      const recorded = findRecordedResponse(op, request, sessionState, manifest);
      // an unchanged list is answered with the bytes sent last time (already conformed)
      const listSlot = recorded
        ? undefined
        : listCacheSlot<WireResponse>(op, request, sessionState, manifest);
      const listed = listSlot?.get();
      if (listed) return { status: listed.status, headers: {}, source: listed.source, wire: listed };
      const stateful = handleResourceRequest(op, request, sessionState, manifest, recorded, defs());
      if (stateful) {
        const conformed = conformBody(op, inContractWords(stateful, manifest, defs(), seed), defs(), seed);
        if (!listSlot) return conformed;
        const wire = reusableWire(toWire(conformed));
        listSlot.set(wire);
        return { ...conformed, wire };
      }
      if (recorded) return recorded;
    }

    // the documented response
    const choice = prefs.code !== undefined ? responseForCode(op, prefs.code) : cachedSuccess(op);
    if (!choice) {
      return prefs.code !== undefined
        ? problem(
            'NOT_FOUND',
            `Requested status code ${prefs.code} is not defined in the document for ${op.id}.`,
          )
        : problem('NO_RESPONSE_DEFINED', `${op.id} documents no 2xx or default response to mock.`);
    }
    // a documented page announces a next page whatever was asked: a client following it must get an end
    const continuing = continuesPagination(request.query, request.body);
    const options = {
      accept,
      example: prefs.example,
      dynamic: prefs.dynamic,
      request,
      seed,
      uncached: continuing,
    };
    let built = builder.build(op, choice, options);
    // an Accept the operation documents as a header parameter (AWS `Accept: image/jpeg`) is a request
    // the contract allows: it gets what the contract documents, not a 406 (corpus: medialive)
    if (built.status === 406 && documentsAcceptHeader(op)) {
      built = builder.build(op, choice, { ...options, accept: undefined });
    }
    if (continuing && built.status >= 200 && built.status < 300) {
      const last = asLastPage(built.body);
      if (last !== undefined) return { ...built, body: last, wire: undefined };
    }
    return built;
  };

  const handler = ((req: IncomingMessage, res: ServerResponse): void => handle(req, res)) as MockHandler;
  Object.defineProperty(handler, 'manifest', { value: manifest });
  return handler;
}

function documentsAcceptHeader(op: OperationData): boolean {
  return op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'accept');
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A POST an RPC-style API takes for a GET: form-encoded fields, or no body at all. */
function postsAsGet(req: IncomingMessage): boolean {
  const mediaType = mediaTypeOf(req.headers['content-type']);
  return mediaType === FORM_URLENCODED || (mediaType === '' && !announcesBody(req));
}

const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);

function withoutBodyHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const out: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers)) if (!BODY_HEADERS.has(name)) out[name] = value;
  return out;
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Percent-encoding checked, dot segments resolved (RFC 3986 §5.2.4); undefined when malformed. */
export function normalizePath(rawPath: string): string | undefined {
  const encoded = rawPath.includes('%');
  if (encoded) {
    try {
      decodeURIComponent(rawPath);
    } catch {
      return undefined;
    }
  }
  // most paths have no dot at all: no pattern to run
  if (!encoded && !rawPath.includes('.')) return rawPath;
  if (!/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath)) return rawPath;
  const out: string[] = [];
  const segments = rawPath.split('/');
  segments.forEach((segment, index) => {
    const decoded = segment.toLowerCase().replace(/%2e/g, '.');
    const last = index === segments.length - 1;
    if (decoded === '.') {
      if (last) out.push('');
    } else if (decoded === '..') {
      if (out.length > 1) out.pop();
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

interface Routed {
  match: NonNullable<ReturnType<Router<RouteState>['match']>>;
  /** path without the base path */
  path: string;
}

function route(
  router: Router<RouteState>,
  rawPath: string,
  basePath: string,
  method: string,
): Routed | undefined {
  const candidates: string[] = [];
  if (basePath !== '' && (rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    candidates.push(rawPath.slice(basePath.length) || '/');
  }
  candidates.push(rawPath);
  for (const candidate of candidates) {
    const match = router.match(candidate, method);
    if (match) return { match, path: candidate };
  }
  // tolerate a trailing slash the contract does not have
  for (const candidate of candidates) {
    if (candidate.length > 1 && candidate.endsWith('/')) {
      const trimmed = candidate.replace(/\/+$/, '') || '/';
      const match = router.match(trimmed, method);
      if (match) return { match, path: trimmed };
    }
  }
  return undefined;
}

const ROUTED_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'trace'];

function allowedMethods(methods: Iterable<string>): string[] {
  const allow = new Set<string>();
  for (const m of methods) allow.add(m.toUpperCase());
  if (allow.has('GET')) allow.add('HEAD');
  allow.add('OPTIONS');
  return [...allow].sort();
}

function optionsResponse(allow: string[]): MockResponse {
  const list = allow.includes('*') ? 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT' : allow.join(', ');
  return { status: 204, headers: { allow: list }, source: 'options' };
}

function preflight(req: IncomingMessage): WireResponse {
  const requested = headerString(req.headers['access-control-request-headers']);
  return {
    status: 204,
    headers: [
      'access-control-allow-methods',
      'GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS',
      'access-control-allow-headers',
      safeHeaderValue(requested ?? '*'),
      'access-control-max-age',
      '86400',
      'content-length',
      '0',
    ],
    source: 'cors',
  };
}

function wireFor(response: MockResponse): WireResponse {
  return toWire(response);
}

/** Problems without per-request detail are serialised once. */
function problemWire(kind: Parameters<typeof problem>[0], detail: string): WireResponse {
  const key = `${kind}\u0000${detail}`;
  const cached = PROBLEM_CACHE.get(key);
  if (cached) return { ...cached };
  const wire = reusableWire(toWire(problem(kind, detail)));
  if (PROBLEM_CACHE.size < 256) PROBLEM_CACHE.set(key, wire);
  return { ...wire };
}

/** Prism's `sl-violations` header: the violations as JSON, ASCII-safe and bounded. */
function violationsHeader(violations: Violation[]): string {
  const text = JSON.stringify(violations).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 4096 ? `${text.slice(0, 4093)}...` : text;
}

function writeWire(
  req: IncomingMessage,
  res: ServerResponse,
  wire: WireResponse,
  cors: boolean,
  eventInterval = 0,
): void {
  if (res.writableEnded || res.destroyed) return;
  let headers = wire.headers;
  const origin = req.headers.origin;
  if (cors && origin !== undefined) {
    const exposed: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      if (name !== 'content-type' && name !== 'content-length' && name !== 'connection') exposed.push(name);
    }
    headers = [
      ...headers,
      'access-control-allow-origin',
      safeHeaderValue(origin),
      'access-control-allow-credentials',
      'true',
      'vary',
      'Origin',
    ];
    if (exposed.length > 0) headers.push('access-control-expose-headers', exposed.join(', '));
  }
  if (eventInterval > 0 && wire.body !== undefined && req.method !== 'HEAD') {
    writeEvents(res, wire.status, headers, wire.body, eventInterval);
    return;
  }
  res.writeHead(wire.status, headers);
  res.end(wire.body);
}

/**
 * A server-sent event stream sent as a stream: one event (up to its blank line) at a time,
 * `interval` ms apart, chunked (no Content-Length), as a streaming API delivers them.
 */
function writeEvents(
  res: ServerResponse,
  status: number,
  headers: string[],
  body: Buffer | string,
  interval: number,
): void {
  const events = (typeof body === 'string' ? body : body.toString('utf8')).split(/(?<=\r?\n\r?\n)/);
  if (events.length < 2) {
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  const chunked: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== 'content-length') chunked.push(headers[i], headers[i + 1]);
  }
  if (!chunked.includes('cache-control')) chunked.push('cache-control', 'no-cache');
  res.writeHead(status, chunked);
  let next = 0;
  const send = (): void => {
    if (res.destroyed || res.writableEnded) return;
    res.write(events[next++]);
    if (next < events.length) setTimeout(send, interval);
    else res.end();
  };
  send();
}
