/**
 * The default `StateStore`: everything in this process's memory, answered synchronously (no
 * promise on the request path). Each instance is separate: a handler creates its own unless it is
 * given one, so two handlers in one process never see each other's resources, sequences, tokens
 * or journal.
 */
import { Journal, journalLimitFromEnv, type JournalEntry } from '../journal';
import { Sessions, resourceLimitFromEnv, sessionLimitFromEnv, type SessionState } from '../session';
import { TokenRegistry } from '../tokens';
import type { StateStore } from './state-store';

export interface MemoryStoreOptions {
  /** sessions kept (least recently used evicted first); default MOCKGEN_SESSION_LIMIT, else 1000 */
  sessionLimit?: number;
  /** journal entries kept; default MOCKGEN_JOURNAL_LIMIT, else 10,000; 0 disables the journal */
  journalLimit?: number;
  /** created resources kept per collection and session; default MOCKGEN_RESOURCE_LIMIT, else 10,000 */
  resourceLimit?: number;
  /** issued tokens to carry over (a reloaded mock keeps its clients signed in) */
  tokens?: TokenRegistry;
  /** where the MOCKGEN_* limits are read from (default process.env) */
  env?: NodeJS.ProcessEnv;
}

export class MemoryStore implements StateStore {
  readonly sessions: Sessions;
  readonly tokens: TokenRegistry;
  readonly requests: Journal;

  constructor(options: MemoryStoreOptions = {}) {
    const env = options.env ?? process.env;
    this.sessions = new Sessions(
      options.sessionLimit ?? sessionLimitFromEnv(env),
      options.resourceLimit ?? resourceLimitFromEnv(env),
    );
    this.requests = new Journal(options.journalLimit ?? journalLimitFromEnv(env));
    this.tokens = options.tokens ?? new TokenRegistry();
  }

  session(name: string): SessionState {
    return this.sessions.get(name);
  }

  registerToken(token: string, lifetimeS?: number): void {
    this.tokens.register(token, lifetimeS);
  }

  tokenExpiry(token: string): number | undefined {
    return this.tokens.expiry(token);
  }

  record(
    timeMs: number,
    session: string,
    method: string,
    url: string,
    operationId: string | undefined,
    status: number,
    source: string,
    durationMs: number,
    match?: string,
    accepted?: string,
    warning?: string,
  ): void {
    this.requests.record(
      timeMs,
      session,
      method,
      url,
      operationId,
      status,
      source,
      durationMs,
      match,
      accepted,
      warning,
    );
  }

  journal(filter?: { session?: string }): JournalEntry[] {
    return this.requests.entries(filter);
  }

  clearJournal(): void {
    this.requests.clear();
  }

  reset(name?: string): void {
    this.sessions.reset(name);
    if (name === undefined) this.requests.clear();
  }

  sessionNames(): string[] {
    return this.sessions.names();
  }
}
