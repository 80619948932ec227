/**
 * What the stages of the pipeline share: `Pipeline`, built once per handler (the contract's data,
 * the caches derived from it, the state store), and `Exchange`, one per request, which every stage
 * reads and fills in (route → read → security → validate → select → latency → write).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockRequest } from '../core/context';
import type { Preferences } from '../core/prefer';
import type { RequestLog } from '../request-log';
import type { ResponseBuilder, WireResponse } from '../respond';
import type { RouteCandidate, Router } from '../core/router';
import type { SessionState } from '../session';
import type { StateStore } from '../store/state-store';
import type { Defs, Manifest, OperationData, RouteEntry } from '../core/types';
import type { RequestValidator } from '../validate-request';

/** Express-compatible request handler (the admin app); typed loosely so Express stays off the request path's imports. */
export type AdminApp = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** One handler's fixed part: the contract, what is derived from it, and where state lives. */
export interface Pipeline {
  manifest: Manifest;
  routes: RouteEntry[];
  /** the contract's base path without a trailing slash */
  basePath: string;
  store: StateStore;
  /** request body limit in bytes */
  limit: number;
  cors: boolean;
  /** the environment latency reads; undefined = process.env */
  latencyEnv: NodeJS.ProcessEnv | undefined;
  /** ms between server-sent events */
  eventInterval: number;
  /** MOCKGEN_TOKEN_LIFETIME: seconds every issued access token lives, undefined = as recorded */
  tokenLifetimeS: number | undefined;
  /** undefined unless logging: the only cost of the log when it is off is testing this */
  requestLog: RequestLog | undefined;
  /** a user extension is installed: the admin app (Express) serves `/__mockgen/*` and unrouted requests */
  extended: boolean;
  router: Router<RouteState>;
  /** routed paths without parameters, by `<method> <path>` */
  staticRoutes: Map<string, Routed>;
  builder: ResponseBuilder;
  /** schemas.json's `$defs`, read on first use */
  defs(): Defs;
  /** the request validator, built on first use (Ajv costs startup time) */
  validator(): RequestValidator;
  /** the admin app, loaded on first use (Express costs startup time) */
  adminApp(): AdminApp;
  /** `GET /__mockgen/health`, built once */
  health(): WireResponse;
  /** an operation's data file, read once */
  loadOperation(state: RouteState): Promise<OperationData>;
}

/** An operation of the route table and its data once loaded. */
export interface RouteState {
  entry: RouteEntry;
  /** other operations share its method and path (see `Router.alternatives`) */
  shared: boolean;
  op?: OperationData;
  loading?: Promise<OperationData>;
}

export interface Routed {
  match: NonNullable<ReturnType<Router<RouteState>['match']>>;
  /** path without the base path */
  path: string;
}

/** A request routed to an operation (route.ts). */
export interface RoutedRequest {
  state: RouteState;
  found: Routed;
  rawPath: string;
  search: string;
  /** other operations the method and path could mean (`Router.alternatives`) */
  alternatives: RouteCandidate<RouteState>[] | undefined;
}

/** One request on its way through the pipeline; each stage fills in its part. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  /** upper case */
  method: string;
  url: string;
  /** `X-Mockgen-Session`, '' for the default session (read) */
  session: string;
  /** an RPC method's form POST served as its GET (route) */
  tunnelled: boolean;
  /** set when the path matched its template only because a parameter spans segments (route) */
  stretch: string | undefined;
  /** violations served as valid because the real service accepted such requests (`acceptedViolations`) */
  accepted: string | undefined;
  /** the operation (route, then read when several share the path) */
  op: OperationData | undefined;
  /** the request as the stages see it (read) */
  request: MockRequest | undefined;
  /** `Prefer` / `__code`… (read) */
  prefs: Preferences | undefined;
  /** for generated data: the same request gives the same data (read) */
  seed: (() => number) | undefined;
  /** the session's state, loaded by the first selection rule that needs it (select) */
  state: SessionState | undefined;
}

export function newExchange(req: IncomingMessage, res: ServerResponse): Exchange {
  return {
    req,
    res,
    started: Date.now(),
    method: (req.method ?? 'GET').toUpperCase(),
    url: req.url ?? '/',
    session: '',
    tunnelled: false,
    stretch: undefined,
    accepted: undefined,
    op: undefined,
    request: undefined,
    prefs: undefined,
    seed: undefined,
    state: undefined,
  };
}

export function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
