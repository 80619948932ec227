/**
 * The built-in admin endpoints under `/__mockgen/`, answered without Express:
 *
 *   GET    /__mockgen/health      200 {status: 'ok' | 'degraded', title, contractVersion, operations,
 *                                 store: 'memory' | 'redis', storeReachable}: degraded while a
 *                                 network store is unreachable (stateless requests are still served)
 *   GET    /__mockgen/routes      the operations the mock serves
 *   GET    /__mockgen/requests    the request journal, oldest first (`?session=` filters)
 *   DELETE /__mockgen/requests    clears the journal
 *   POST   /__mockgen/reset       resets state and sequences: every session, or only the one named by
 *                                 `?session=` / `X-Mockgen-Session`; a full reset clears the journal too
 *
 * Test suites call these between tests, then load the mock. Express swaps the prototypes of the
 * requests it serves, which leaves node:http's own code slower for every later request (its inline
 * caches see two shapes of request and response): a mock that served one admin request through
 * Express answered ~15% fewer requests per second. Express is loaded only for a user extension
 * (admin.ts), which sees these endpoints there too.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseQuery } from './params';
import { problem } from './core/problem';
import { toWire, type WireResponse } from './respond';
import { then, type MaybePromise } from './store/maybe';
import type { StateStore } from './store/state-store';
import type { Manifest, RouteEntry } from './core/types';

export interface AdminRequest {
  /** upper case */
  method: string;
  /** the raw path, `/__mockgen/...` */
  path: string;
  /** the query string without `?` */
  search: string;
  headers: IncomingHttpHeaders;
}

/** The path the endpoints above are matched on (case-insensitive, one trailing slash tolerated, as in Express). */
function adminRoute(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

/**
 * The answer of a built-in endpoint; undefined when `request` is for none of them (another admin
 * path, or another method). The journal and reset are the handler's `store`'s.
 */
export function builtinAdminResponse(
  request: AdminRequest,
  manifest: Manifest,
  routes: RouteEntry[],
  store: StateStore,
): MaybePromise<WireResponse | undefined> {
  const route = adminRoute(request.path);
  const get = request.method === 'GET' || request.method === 'HEAD';
  if (route === '/__mockgen/health' && get) {
    const health = store.health?.() ?? { store: 'memory', reachable: true };
    return json(200, {
      status: health.reachable ? 'ok' : 'degraded',
      title: manifest.title,
      contractVersion: manifest.contractVersion,
      operations: routes.length,
      store: health.store,
      storeReachable: health.reachable,
    });
  }
  if (route === '/__mockgen/routes' && get) {
    return json(
      200,
      routes.map((r) => ({
        id: r.id,
        method: r.method.toUpperCase(),
        path: `${manifest.basePath ?? ''}${r.path}`,
      })),
    );
  }
  if (route === '/__mockgen/requests' && get) {
    const session = queryValue(request.search, 'session');
    return then(store.journal(session === undefined ? undefined : { session }), (entries) =>
      json(200, entries),
    );
  }
  if (route === '/__mockgen/requests' && request.method === 'DELETE') {
    return then(store.clearJournal(), () => toWire({ status: 204, headers: {}, source: 'admin' }));
  }
  if (route === '/__mockgen/reset' && request.method === 'POST') {
    const header = request.headers['x-mockgen-session'];
    const session =
      queryValue(request.search, 'session') ?? (typeof header === 'string' ? header : undefined);
    return then(store.reset(session), () => json(200, { status: 'reset', session: session ?? null }));
  }
  return undefined;
}

/** The 404 of an admin path no endpoint serves. */
export function unknownAdminResponse(method: string, path: string): WireResponse {
  return toWire(
    problem(
      'NOT_FOUND',
      `No admin endpoint ${method} ${path}; see GET /__mockgen/health, /__mockgen/routes, /__mockgen/requests, POST /__mockgen/reset.`,
    ),
  );
}

function json(status: number, body: unknown): WireResponse {
  return toWire({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body,
    source: 'admin',
  });
}

/** The first value of a query parameter given once (Express reads `?a=1&a=2` as an array: ignored). */
function queryValue(search: string, name: string): string | undefined {
  const values = parseQuery(search)
    .filter(([key]) => key === name)
    .map(([, value]) => value);
  return values.length === 1 ? values[0] : undefined;
}
