/**
 * Per-client session state. A client picks its session with the `X-Mockgen-Session` header
 * ('' = the default session); sessions are isolated from each other: each has its own resource
 * store and its own position in every recorded sequence. Sessions are created on first use and
 * bounded (least recently used evicted first) so a client inventing session names cannot exhaust
 * memory. They belong to a store (store/memory-store.ts), never to the process.
 */

/** One stored resource with the parent path parameters it was created under. */
export interface StoredResource {
  id: string;
  /** JSON of the parent path parameter values (e.g. `["octocat","hello"]`), `*` for seed resources (any parent) */
  parent: string;
  value: Record<string, unknown>;
  /** created by a client of the mock: the store, not a recorded read, is the truth for it */
  created?: boolean;
}

/** The store of one resource kind (a `ResourceSpec`) inside one session. */
export interface ResourceStore {
  /**
   * by parent (`StoredResource.parent`), then id; Maps keep insertion order, which is the list order
   * (seed resources, under `*`, first)
   */
  items: Map<string, Map<string, StoredResource>>;
  /** integer ids: the next one to hand out */
  nextInt: number;
  /**
   * Bumped by every change of `items` (a resource put, replaced or removed): answers built from the
   * store (cached list pages) are valid while it is unchanged.
   */
  version: number;
  /**
   * ids whose state was changed by the mock itself (not by replaying a recording): for them the
   * store, not a recorded read, is the truth. Resources created through the mock are marked on
   * themselves instead (`StoredResource.created`; `created` here counts creations and is never
   * lowered): creating stays one map entry per resource.
   */
  diverged: Set<string>;
  created: number;
  /** resources the mock created that are stored now (recorded seeds not counted) */
  live?: number;
  /** the most created resources kept (MOCKGEN_RESOURCE_LIMIT): beyond it the oldest is evicted */
  limit?: number;
  /** created resources evicted to stay within `limit` */
  evicted?: number;
  /** created resources in creation order (`[parent, id]`, from `createdHead` on): the eviction queue */
  createdOrder?: [string, string][];
  createdHead?: number;
}

export interface SessionState {
  name: string;
  /** resource stores by resource name, created (and seeded) on first use */
  resources: Map<string, ResourceStore>;
  /** responses already served per recorded sequence, keyed by `<operationId>#<recording index>` */
  sequences: Map<string, number>;
  /** ms since epoch when the session was created */
  createdAt: number;
  /** created resources kept per collection (MOCKGEN_RESOURCE_LIMIT) */
  resourceLimit?: number;
}

const DEFAULT_SESSION_LIMIT = 1000;

/** MOCKGEN_SESSION_LIMIT, else 1000. */
export function sessionLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.MOCKGEN_SESSION_LIMIT);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_SESSION_LIMIT;
}

const DEFAULT_RESOURCE_LIMIT = 10_000;

/**
 * MOCKGEN_RESOURCE_LIMIT, else 10000: created resources kept per collection and session, so a
 * create-only storm cannot grow the process without bound (with the session limit: in total).
 */
export function resourceLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.MOCKGEN_RESOURCE_LIMIT);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_RESOURCE_LIMIT;
}

/** The sessions of one store, bounded: the least recently used is evicted first. */
export class Sessions {
  private readonly sessions = new Map<string, SessionState>();
  /** the most recently used session: already last in the LRU order */
  private latest: SessionState | undefined;

  constructor(
    private readonly limit: number = sessionLimitFromEnv(),
    private readonly resourceLimit: number = resourceLimitFromEnv(),
  ) {}

  /** The session named `name` ('' = default), created empty on first use. */
  get(name: string): SessionState {
    const latest = this.latest;
    if (latest?.name === name && this.sessions.get(name) === latest) return latest;
    let session = this.sessions.get(name);
    if (session) {
      // refresh its place in the LRU order (Map iteration order = insertion order)
      this.sessions.delete(name);
      this.sessions.set(name, session);
      this.latest = session;
      return session;
    }
    session = {
      name,
      resources: new Map(),
      sequences: new Map(),
      createdAt: Date.now(),
      resourceLimit: this.resourceLimit,
    };
    this.sessions.set(name, session);
    this.latest = session;
    while (this.sessions.size > this.limit) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    return session;
  }

  /** Forgets every session, or only `name`: stores go back to their seed, sequences to their start. */
  reset(name?: string): void {
    if (name === undefined) this.sessions.clear();
    else this.sessions.delete(name);
  }

  /** Names of the live sessions, least recently used first (for the admin API). */
  names(): string[] {
    return [...this.sessions.keys()];
  }
}
