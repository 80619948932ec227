/**
 * The first stage: the request target to an operation, or the answer when there is none — the
 * admin API (`/__mockgen/*`, without Express unless a user extension is installed), CORS preflight,
 * 400 for a malformed target, 404 unknown path, 405 (with `Allow`) wrong method, OPTIONS.
 *
 * Base path: requests are accepted with the contract's base path (`/v1/pets`) and, as a convenience
 * for clients configured with a host only, without it (`/pets`) when that matches an operation.
 * In an RPC-style contract a form-encoded or empty POST to a method documented as GET is that GET.
 */
import type { IncomingMessage } from 'node:http';
import { builtinAdminResponse, unknownAdminResponse } from '../admin-routes';
import { announcesBody } from '../body';
import type { MockResponse } from '../core/context';
import { mediaTypeOf } from '../core/media-types';
import { problem } from '../core/problem';
import { safeHeaderValue, type WireResponse } from '../respond';
import type { Router } from '../core/router';
import type { Exchange, Pipeline, RouteState, Routed, RoutedRequest } from './context';
import { headerString, truncate } from './context';
import { fail, finish, problemWire, wireFor, writeWire } from './write';

/** routed paths without parameters remembered (a contract has a few hundred; the bound is for odd clients) */
const STATIC_ROUTE_LIMIT = 4096;
const ROUTED_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'trace'];

/** The routed operation of a request, or undefined once the request is answered (admin, 404, 405, OPTIONS). */
export function routeRequest(p: Pipeline, x: Exchange): RoutedRequest | undefined {
  const { req, res, method, url } = x;
  const q = url.indexOf('?');
  let rawPath = q < 0 ? url : url.slice(0, q);
  const search = q < 0 ? '' : url.slice(q + 1);
  if (rawPath.charCodeAt(0) !== 47 /* / */) {
    const absolute = /^https?:\/\/[^/]*/i.exec(rawPath);
    if (absolute) rawPath = rawPath.slice(absolute[0].length) || '/';
    else if (rawPath === '*' && method === 'OPTIONS')
      return void finish(p, x, wireFor(optionsResponse(['*'])));
    else
      return void finish(
        p,
        x,
        problemWire('MALFORMED_REQUEST', `Unsupported request target: ${truncate(rawPath)}`),
      );
  }
  if (rawPath.startsWith('/__mockgen/') || rawPath === '/__mockgen') {
    // answered without Express (admin-routes.ts); with a user extension, its Express app decides
    if (p.extended) {
      if (p.requestLog !== undefined) p.requestLog.watch(res, method, url, x.started, 'admin');
      return void p.adminApp()(req, res);
    }
    answerAdmin(p, x, rawPath, search);
    return undefined;
  }
  if (p.cors && method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
    return void finish(p, x, preflight(req));
  }
  const normalized = normalizePath(rawPath);
  if (normalized === undefined) {
    return void finish(
      p,
      x,
      problemWire(
        'MALFORMED_REQUEST',
        `The request path is not valid percent-encoding: ${truncate(rawPath)}`,
      ),
    );
  }
  const lower = method.toLowerCase();
  const routeKey = `${lower} ${normalized}`;
  const found = p.staticRoutes.get(routeKey) ?? route(p.router, normalized, p.basePath, lower);
  if (!found) {
    if (p.extended) {
      if (p.requestLog !== undefined) p.requestLog.watch(res, method, url, x.started, 'extension');
      return void p.adminApp()(req, res);
    }
    return void finish(
      p,
      x,
      problemWire(
        'NO_PATH_MATCHED_ERROR',
        `The route ${truncate(normalized)} hasn't been found in the specification file`,
      ),
    );
  }
  // paths without parameters are routed once (the answer is shared: routes are never changed)
  if (
    p.staticRoutes.size < STATIC_ROUTE_LIMIT &&
    found.match.template.indexOf('{') === -1 &&
    !p.staticRoutes.has(routeKey)
  ) {
    p.staticRoutes.set(routeKey, found);
  }
  if (found.match.stretched !== undefined) x.stretch = describeStretch(found.match);
  let state =
    found.match.methods.get(lower) ?? (lower === 'head' ? found.match.methods.get('get') : undefined);
  // RPC methods (manifest.rpcMethods): a form POST to a GET method is that GET
  const tunnelled = !state && p.manifest.rpcMethods === true && lower === 'post' && postsAsGet(req);
  if (tunnelled) {
    state = found.match.methods.get('get');
    x.tunnelled = true;
  }
  if (!state) {
    // every method some template of this path has (`/things/{Id}` DELETE, `/things/{Identifier}` GET)
    const methods = new Set(found.match.methods.keys());
    for (const other of ROUTED_METHODS) {
      if (!methods.has(other) && route(p.router, normalized, p.basePath, other)?.match.methods.has(other))
        methods.add(other);
    }
    const allow = allowedMethods(methods);
    if (lower === 'options') return void finish(p, x, wireFor(optionsResponse(allow)));
    return void finish(
      p,
      x,
      wireFor(
        problem('NO_METHOD_MATCHED_ERROR', `The route ${found.match.template} has no ${method} operation.`, {
          headers: { allow: allow.join(', ') },
        }),
      ),
    );
  }
  const alternatives = state.shared
    ? p.router.alternatives(found.match.methods.has(lower) ? lower : 'get', found.match)
    : undefined;
  return { state, found, rawPath, search, alternatives };
}

/** `stretched: path parameter 'username' spans 2 segments ('alice/x') of /user/{username}` */
function describeStretch(match: Routed['match']): string {
  const spans = (match.stretched ?? [])
    .map((name) => {
      const value = match.params[name] ?? '';
      return `path parameter '${name}' spans ${value.split('/').length} segments (${JSON.stringify(truncate(value))})`;
    })
    .join(' and ');
  return `stretched: ${spans} of ${match.template}`;
}

/** The built-in admin endpoints (admin-routes.ts): not journalled, no CORS headers. */
function answerAdmin(p: Pipeline, x: Exchange, rawPath: string, search: string): void {
  const { req, res, method, url } = x;
  const write = (wire: WireResponse | undefined): void => {
    const answer = wire ?? unknownAdminResponse(method, rawPath);
    if (p.requestLog !== undefined) p.requestLog.watch(res, method, url, x.started, answer.source);
    writeWire(req, res, answer, false);
  };
  // readiness probes hit the health check first and often: the same bytes every time
  if (rawPath === '/__mockgen/health' && (method === 'GET' || method === 'HEAD')) return write(p.health());
  const wire = builtinAdminResponse(
    { method, path: rawPath, search, headers: req.headers },
    p.manifest,
    p.routes,
    p.store,
  );
  if (wire instanceof Promise) wire.then(write, (err: unknown) => fail(p, x, err));
  else write(wire);
}

/** A POST an RPC-style API takes for a GET: form-encoded fields, or no body at all. */
function postsAsGet(req: IncomingMessage): boolean {
  const mediaType = mediaTypeOf(req.headers['content-type']);
  return mediaType === 'application/x-www-form-urlencoded' || (mediaType === '' && !announcesBody(req));
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
