/**
 * The request pipeline of the mock server, a plain `(req, res)` handler for `node:http`, as a
 * sequence of stages, each in its own file, passing one `Exchange` along:
 *
 *   route (route.ts) → read (read.ts) → security (security.ts) → validate (validate.ts)
 *   → select (select/: an ordered table of rules) → latency (latency.ts) → write (write.ts).
 *
 * The pipeline runs without promises once the operation's data is loaded: from the last body chunk
 * to the response in one tick. A promise appears only where one is given: a multipart body (parsed
 * by a stream) or an asynchronous state store.
 *
 * Operation data files are read on the first request to each operation; everything derived from
 * them (validators, negotiation, serialised example bodies) is computed once and cached. State (the
 * sessions, tokens and journal) lives in the handler's `StateStore`: handlers share none unless
 * they are given the same store.
 */
import { readFile, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { builtinAdminResponse } from '../admin-routes';
import { bodyLimit } from '../body';
import { eventIntervalMs } from '../latency';
import { RequestLog, requestLogEnabled, stdoutRequestLog } from '../request-log';
import { tokenLifetimeFromEnv } from '../token-endpoint';
import { ResponseBuilder, reusableWire, type BuiltResponse, type WireResponse } from '../respond';
import { Router } from '../core/router';
import { MemoryStore } from '../store/memory-store';
import type { StateStore } from '../store/state-store';
import type { Defs, Manifest, OperationData, RouteEntry } from '../core/types';
import type { RequestValidator } from '../validate-request';
import { newExchange, type AdminApp, type Exchange, type Pipeline, type RouteState } from './context';
import { deliver } from './latency';
import { readRequest } from './read';
import { routeRequest } from './route';
import { checkCredentials } from './security';
import { selectResponse } from './select';
import { validateRequest } from './validate';
import { fail } from './write';

export type { AdminApp } from './context';

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
  /** where state lives; default a new in-memory store of this handler's own */
  store?: StateStore;
}

export interface MockHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly manifest: Manifest;
  /** the handler's state: sessions, issued tokens, journal */
  readonly store: StateStore;
}

export function createMockHandler(options: MockHandlerOptions): MockHandler {
  const p = createPipeline(options);
  const handler = ((req: IncomingMessage, res: ServerResponse): void => handle(p, req, res)) as MockHandler;
  Object.defineProperty(handler, 'manifest', { value: p.manifest });
  Object.defineProperty(handler, 'store', { value: p.store });
  return handler;
}

/** Route, then the operation's data (read once), then the rest of the stages. */
function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): void {
  const x = newExchange(req, res);
  try {
    const routed = routeRequest(p, x);
    if (!routed) return;
    const state = routed.state;
    if (state.op) {
      readRequest(p, x, routed, state.op, answer);
    } else {
      p.loadOperation(state).then(
        (op) => readRequest(p, x, routed, op, answer),
        (err: unknown) => fail(p, x, err),
      );
    }
  } catch (err) {
    fail(p, x, err);
  }
}

/** security → validate → select, then latency and write. */
function answer(p: Pipeline, x: Exchange): void {
  const response = decide(p, x);
  if (!(response instanceof Promise)) {
    deliver(p, x, response);
    return;
  }
  response.then(
    (built) => {
      try {
        deliver(p, x, built);
      } catch (err) {
        fail(p, x, err);
      }
    },
    (err: unknown) => fail(p, x, err),
  );
}

function decide(p: Pipeline, x: Exchange): BuiltResponse | Promise<BuiltResponse> {
  const refused = checkCredentials(p, x);
  if (refused instanceof Promise) return refused.then((r) => r ?? validated(p, x));
  return refused ?? validated(p, x);
}

function validated(p: Pipeline, x: Exchange): BuiltResponse | Promise<BuiltResponse> {
  const invalid = validateRequest(p, x);
  if (invalid instanceof Promise) return invalid.then((r) => r ?? selectResponse(p, x));
  return invalid ?? selectResponse(p, x);
}

function createPipeline(options: MockHandlerOptions): Pipeline {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir;
  const manifest = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
  const logOption = options.log ?? requestLogEnabled(env);
  const store: StateStore = options.store ?? new MemoryStore({ env });

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

      const { RequestValidator } = require('../validate-request') as typeof import('../validate-request');
      validator = new RequestValidator(defs());
    }
    return validator;
  };

  const router = new Router<RouteState>();
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

      const { createAdminApp } = require('../admin') as typeof import('../admin');
      admin = createAdminApp({ manifest, routes: options.routes, store, extend: options.extend });
    }
    return admin;
  };

  // the health check reads no state (a network store reports whether it is reachable without a
  // round trip): its answer is never a promise, and built once per answer it can give
  const healthWires = new Map<boolean, WireResponse>();
  const health = (): WireResponse => {
    const reachable = store.health?.().reachable ?? true;
    let wire = healthWires.get(reachable);
    if (!wire) {
      wire = reusableWire(
        builtinAdminResponse(
          { method: 'GET', path: '/__mockgen/health', search: '', headers: {} },
          manifest,
          options.routes,
          store,
        ) as WireResponse,
      );
      healthWires.set(reachable, wire);
    }
    return wire;
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

  return {
    manifest,
    routes: options.routes,
    basePath: (manifest.basePath ?? '').replace(/\/+$/, ''),
    store,
    limit: bodyLimit(env),
    cors: !/^(0|off|false|no)$/i.test(env.MOCKGEN_CORS ?? ''),
    latencyEnv: options.env === undefined || options.env === process.env ? undefined : options.env,
    eventInterval: eventIntervalMs(env),
    tokenLifetimeS: tokenLifetimeFromEnv(env),
    requestLog: logOption === true ? stdoutRequestLog() : logOption || undefined,
    extended: options.extend !== undefined,
    router,
    staticRoutes: new Map(),
    builder: new ResponseBuilder(manifest, defs),
    defs,
    validator: validatorFor,
    adminApp,
    health,
    loadOperation,
  };
}
