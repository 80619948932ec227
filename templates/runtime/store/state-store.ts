/**
 * Everything a request can change, behind one interface: the sessions (each with its resource
 * collections and its positions in recorded sequences), the tokens the mock issued, the request
 * journal, and reset. Every handler has its own store (`MockHandlerOptions.store`, by default a new
 * `MemoryStore`): two handlers in one process share nothing unless they are given the same store.
 *
 * A method answers with a value or a promise (`MaybePromise`): the in-memory store answers with
 * values and the pipeline runs without promises, an asynchronous store (a network store shared by
 * several replicas) answers with promises and the pipeline waits for them (`then` in maybe.ts).
 *
 * A session is read once per request (`session`), changed in place by the selection rules (replay
 * cursors, resource collections: pure operations on plain data), and handed back with `save` once
 * the answer is chosen: a store that keeps its sessions elsewhere writes it back there. Such a store
 * makes the write atomic (compare-and-set on the version it read): when another replica changed the
 * session in between, `save` answers false and the pipeline selects the answer again on a fresh read.
 */
import type { JournalEntry } from '../journal';
import type { SessionState } from '../session';
import type { MaybePromise } from './maybe';

export interface StoreHealth {
  store: 'memory' | 'redis';
  reachable: boolean;
}

export interface StateStore {
  /** The session named `name` ('' = the default session), created empty on first use. */
  session(name: string): MaybePromise<SessionState>;
  /**
   * Called once a request that read `session` is answered; a store holding live objects has nothing
   * to do. `false`: the session changed elsewhere since it was read, nothing was written; select again.
   */
  save?(session: SessionState): MaybePromise<void | boolean>;
  /** Called instead of `save` when the request that read `session` failed: its changes are dropped. */
  abandon?(session: SessionState): void;
  /** Where state lives and whether it can be reached now (GET /__mockgen/health); undefined = memory. */
  health?(): StoreHealth;
  /** Lets go of connections (the server is closing). */
  close?(): MaybePromise<void>;

  /** Remembers a token the mock issued, valid for `lifetimeS` seconds (no expiry when undefined or ≤ 0). */
  registerToken(token: string, lifetimeS?: number): MaybePromise<void>;
  /** When a token the mock issued expires (ms since epoch, `Infinity` = never); undefined when it issued none such. */
  tokenExpiry(token: string): MaybePromise<number | undefined>;

  /** Journals one answered request (the fields of a `JournalEntry`, `timeMs` ms since epoch). */
  record(
    timeMs: number,
    session: string,
    method: string,
    url: string,
    operationId: string | undefined,
    status: number,
    source: string,
    durationMs: number,
    /** how the path was matched when it was a stretch (`JournalEntry.match`) */
    match?: string,
    /** violations served as valid because the real service accepted them (`JournalEntry.accepted`) */
    accepted?: string,
    /** `JournalEntry.warning` */
    warning?: string,
  ): MaybePromise<void>;
  /** Journal entries oldest first, optionally only one session's; copies. */
  journal(filter?: { session?: string }): MaybePromise<JournalEntry[]>;
  clearJournal(): MaybePromise<void>;

  /**
   * `POST /__mockgen/reset`: every session (and the journal), or only the session `name`, back to
   * the start: collections to their seed, sequences to their first response. Issued tokens stay valid.
   */
  reset(name?: string): MaybePromise<void>;
  /** Names of the live sessions, least recently used first. */
  sessionNames(): MaybePromise<string[]>;
}
