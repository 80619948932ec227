/**
 * A `StateStore` in Redis, shared by every replica of one mock (MOCKGEN_STORE=redis://…).
 *
 * Keys, under `<prefix><mock>:` (prefix MOCKGEN_STORE_PREFIX, default `mockgen:`; `<mock>` a hash
 * of the mock's contract data, so two mocks can share one Redis):
 *
 *   s:<session>   hash {v: version, d: the session as JSON (session-codec.ts)}
 *   sessions      sorted set of session names by last change (the LRU order, bounded by the session limit)
 *   gen           the version counter: every write of a session takes a new, never reused, version
 *   t:<token>     when an issued token expires (ms since epoch, `inf` = never)
 *   j             the journal: a list of batches, each `<count>\n[entry, …]` (one JSON array per flush)
 *   jn            how many entries the batches in `j` hold (the cap drops whole batches, oldest first)
 *   jc            each batch's entry count, in `j`'s order (the cap reads these, never a batch)
 *
 * A request reads its session once (one round trip: a script that answers "unchanged" when the
 * version is the one this replica holds, so an unchanged session is not sent or parsed again) and
 * writes it back only when the request changed it, with a compare-and-set script: the write applies
 * only if the version is still the one read. When another replica wrote first, `save` answers
 * `false` and the pipeline selects the answer again on the fresh session. Within a replica the
 * requests of one session take turns (a queue per session), so only replicas contend; requests that
 * were queued before the round trip of the turn ahead of them was sent share what it read (it shows
 * the session as it was after they arrived), so a burst of reads costs one round trip, not one each.
 *
 * Redis lost while serving: requests that need state fail with `StoreUnavailableError` (a 503
 * problem), the others are served; the client reconnects by itself.
 */
import { createHash } from 'node:crypto';
import type { JournalEntry } from '../journal';
import { journalLimitFromEnv } from '../journal';
import { resourceLimitFromEnv, sessionLimitFromEnv, type SessionState } from '../session';
import { decodeSession, encodeSession } from './session-codec';
import type { StateStore, StoreHealth } from './state-store';
import { maskUrl } from './mask';
import { StoreUnavailableError } from './unavailable';

export { StoreUnavailableError, maskUrl };

/** A short hash of the mock's data (its manifest): the namespace of its keys. */
export function mockNamespace(manifestText: string): string {
  return createHash('sha256').update(manifestText).digest('hex').slice(0, 12);
}

export interface RedisStoreOptions {
  /** redis://[user:pass@]host:port[/db] */
  url: string;
  /** identifies the mock (mockNamespace of its manifest) */
  namespace: string;
  /** key prefix before the namespace (default MOCKGEN_STORE_PREFIX, else `mockgen:`) */
  prefix?: string;
  env?: NodeJS.ProcessEnv;
  /** ms a command may take before the store counts as unreachable (default 2000) */
  commandTimeoutMs?: number;
  /** ms to reach Redis at start (default 3000) */
  connectTimeoutMs?: number;
}

/** session hash: answers [version] when unchanged from ARGV[1], [version, data] otherwise, ['0'] when absent */
const LOAD = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return {'0'} end
if v == ARGV[1] then return {v} end
return {v, redis.call('HGET', KEYS[1], 'd')}
`;

/**
 * compare-and-set: KEYS session hash, sessions zset, gen counter; ARGV expected version, data,
 * session name, now, session limit, session key prefix. Answers the new version, or -1.
 */
const SAVE = `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return -1 end
local nv = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], 'v', nv, 'd', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
  for _, name in ipairs(old) do redis.call('DEL', ARGV[6] .. name) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
end
return nv
`;

/**
 * journal append: KEYS journal list, entry count, batch counts; ARGV one batch (`<count>\n<JSON array>`), its count,
 * how many entries to keep at least. Drops the oldest batches while the rest still hold that many.
 * Batches of several replicas interleave (a batch pushed later may hold older entries), so the
 * store keeps twice the journal limit and a read keeps the newest by time. One argument per batch,
 * not one per entry: a replica sends its journal in a few socket writes whatever the load.
 */
const APPEND = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[2])
local n = redis.call('INCRBY', KEYS[2], ARGV[2])
local limit = tonumber(ARGV[3])
while n > limit do
  local first = redis.call('LINDEX', KEYS[3], 0)
  if not first then redis.call('DEL', KEYS[1], KEYS[2]) return 0 end
  local c = tonumber(first) or 0
  if n - c < limit then break end
  redis.call('LPOP', KEYS[1])
  redis.call('LPOP', KEYS[3])
  n = redis.call('DECRBY', KEYS[2], c)
end
return n
`;

/** reset: KEYS sessions zset, journal, journal count, batch counts; ARGV session key prefix, one session name or none (all) */
const RESET = `
if ARGV[2] then
  redis.call('DEL', ARGV[1] .. ARGV[2])
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 1
end
local names = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, name in ipairs(names) do redis.call('DEL', ARGV[1] .. name) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return #names
`;

/**
 * A replica sends its journal entries together, JOURNAL_FLUSH_MS after the first of them: one round
 * trip per interval, whatever the load (one per request would cost a stateless route a third of its
 * throughput). A journal read waits JOURNAL_SETTLE_MS for what the other replicas have not sent yet.
 */
const JOURNAL_FLUSH_MS = 10;
const JOURNAL_SETTLE_MS = 5 * JOURNAL_FLUSH_MS;

interface Script {
  text: string;
  sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

const SCRIPTS = { load: script(LOAD), save: script(SAVE), reset: script(RESET), append: script(APPEND) };

/**
 * What a request can have changed in a session, in a few bytes: each collection's version (bumped
 * by every change of its items), id counter and creation count, and the sequence cursors.
 */
function changeMark(session: SessionState): string {
  let mark = '';
  for (const [name, store] of session.resources)
    mark += `${name}\u0000${store.version}:${store.nextInt}:${store.created}:${store.diverged.size}\u0000`;
  mark += '|';
  for (const [key, served] of session.sequences) mark += `${key}\u0000${served}\u0000`;
  return mark;
}

/** What a replica holds of a session between its read and its write. */
interface Held {
  name: string;
  version: string;
  /** the session's JSON as read: unchanged JSON is not written back */
  json: string;
  /** `changeMark` of the session as read: while it is the same, nothing was changed and nothing is encoded */
  mark: string;
  /** when the round trip that showed this version was sent (performance.now()) */
  fresh: number;
  release: () => void;
}

type Client = import('ioredis').Redis;

export class RedisStore implements StateStore {
  private readonly keys: {
    session: string;
    sessions: string;
    gen: string;
    token: string;
    journal: string;
    journalCount: string;
    batchCounts: string;
  };
  private readonly sessionLimit: number;
  private readonly resourceLimit: number;
  private readonly journalLimit: number;
  /** per session name: the tail of its queue of requests (this replica's turns) */
  private readonly turns = new Map<string, Promise<void>>();
  /** sessions read and not yet saved */
  private readonly held = new WeakMap<SessionState, Held>();
  /**
   * the last version of each session this replica read or wrote, as live objects (bounded), and when
   * the round trip that showed it current was sent
   */
  private readonly cache = new Map<
    string,
    { version: string; json: string; state: SessionState; fresh: number }
  >();
  /** journal entries not sent yet (sent together as one batch, JOURNAL_FLUSH_MS after the first) */
  private pending: unknown[][] = [];
  private flushing: Promise<void> | undefined;
  private warnedJournal = false;
  /** round trips to Redis so far (for the benchmark) */
  roundTrips = 0;

  private constructor(
    private readonly client: Client,
    readonly url: string,
    options: RedisStoreOptions,
  ) {
    const env = options.env ?? process.env;
    const base = `${options.prefix ?? env.MOCKGEN_STORE_PREFIX ?? 'mockgen:'}${options.namespace}:`;
    this.keys = {
      session: `${base}s:`,
      sessions: `${base}sessions`,
      gen: `${base}gen`,
      token: `${base}t:`,
      journal: `${base}j`,
      journalCount: `${base}jn`,
      batchCounts: `${base}jc`,
    };
    this.sessionLimit = sessionLimitFromEnv(env);
    this.resourceLimit = resourceLimitFromEnv(env);
    this.journalLimit = journalLimitFromEnv(env);
  }

  /**
   * Connects (the Redis client is loaded only now); rejects with a message naming the URL
   * (password masked) when Redis cannot be reached within the connect timeout.
   *
   * The client is ioredis: `@redis/client` 6, merely connected and idle, slowed every request of
   * the process by a fifth (its connection made the old generation grow ~75 MB/s under load: ten
   * mark-compacts in 5 s where the same mock had none); ioredis connected costs nothing measurable.
   */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const { Redis } = require('ioredis') as typeof import('ioredis');
    const shown = maskUrl(options.url);
    let connected = false;
    const connectTimeout = options.connectTimeoutMs ?? 3000;
    const client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout,
      // a request must not wait for Redis to come back: it gets a 503 now
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // a Redis that stops answering: the request gets a 503 after this long
      commandTimeout: options.commandTimeoutMs ?? 2000,
      // at start: fail; once connected: retry for ever, every 50 ms up to every second
      retryStrategy: (times: number) => (connected ? Math.min(50 * times, 1000) : null),
    });
    let warned = false;
    client.on('error', (err: Error) => {
      if (connected && !warned) {
        warned = true;
        process.stderr.write(`mockgen: lost the Redis store at ${shown}: ${err.message}; reconnecting\n`);
      }
    });
    client.on('ready', () => {
      if (warned) process.stderr.write(`mockgen: the Redis store at ${shown} is back\n`);
      warned = false;
    });
    try {
      const timer = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${connectTimeout} ms`)), connectTimeout).unref(),
      );
      await Promise.race([client.connect(), timer]);
      connected = true;
    } catch (err) {
      client.disconnect();
      const reason = (err as Error)?.message || String((err as AggregateError)?.errors?.[0] ?? err);
      throw new StoreUnavailableError(`cannot reach the Redis store at ${shown}: ${reason}`);
    }
    return new RedisStore(client, options.url, options);
  }

  health(): StoreHealth {
    return { store: 'redis', reachable: this.client.status === 'ready' };
  }

  async close(): Promise<void> {
    await this.flushJournal().catch(() => undefined);
    this.client.disconnect();
  }

  // --- sessions ---------------------------------------------------------------------------------

  /**
   * A request's session, for its turn. Requests that were already waiting when the round trip of the
   * turn before them was sent share what it showed (the session as Redis had it after they arrived,
   * so they still read the latest state): a burst of reads of one session costs one round trip.
   */
  async session(name: string): Promise<SessionState> {
    const arrived = performance.now();
    const release = await this.turn(name);
    try {
      const cached = this.cache.get(name);
      if (cached && cached.fresh >= arrived) {
        this.held.set(cached.state, {
          name,
          version: cached.version,
          json: cached.json,
          mark: changeMark(cached.state),
          fresh: cached.fresh,
          release,
        });
        return cached.state;
      }
      const fresh = performance.now();
      const reply = (await this.script(SCRIPTS.load, [this.keys.session + name], [cached?.version ?? ''])) as
        [string] | [string, string];
      let state: SessionState;
      let json: string;
      const version = reply[0];
      if (reply.length === 1 && version !== '0' && cached) {
        state = cached.state;
        json = cached.json;
      } else if (reply.length === 2) {
        json = reply[1];
        state = decodeSession(json);
      } else {
        state = {
          name,
          resources: new Map(),
          sequences: new Map(),
          createdAt: Date.now(),
          resourceLimit: this.resourceLimit,
        };
        json = encodeSession(state);
      }
      this.held.set(state, { name, version, json, mark: changeMark(state), fresh, release });
      return state;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Writes the session back if the request changed it; false when another replica changed it first. */
  async save(session: SessionState): Promise<boolean> {
    const held = this.held.get(session);
    if (!held) return true;
    this.held.delete(session);
    try {
      // a read changes nothing: it is handed back without encoding the session
      if (changeMark(session) === held.mark) {
        this.remember(held.name, held.version, held.json, session, held.fresh);
        return true;
      }
      const json = encodeSession(session);
      if (json === held.json) {
        this.remember(held.name, held.version, json, session, held.fresh);
        return true;
      }
      const fresh = performance.now();
      const version = await this.script(
        SCRIPTS.save,
        [this.keys.session + held.name, this.keys.sessions, this.keys.gen],
        [held.version, json, held.name, String(Date.now()), String(this.sessionLimit), this.keys.session],
      );
      if (Number(version) < 0) {
        this.cache.delete(held.name);
        return false;
      }
      this.remember(held.name, String(version), json, session, fresh);
      return true;
    } catch (err) {
      this.cache.delete(held.name);
      throw err;
    } finally {
      held.release();
    }
  }

  /** The request that read `session` gave up: its changes are dropped. */
  abandon(session: SessionState): void {
    const held = this.held.get(session);
    if (!held) return;
    this.held.delete(session);
    this.cache.delete(held.name);
    held.release();
  }

  private remember(name: string, version: string, json: string, state: SessionState, fresh: number): void {
    this.cache.delete(name);
    this.cache.set(name, { version, json, state, fresh });
    if (this.cache.size > this.sessionLimit) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Waits for this replica's turn on session `name`; resolves with the function that ends it. */
  private turn(name: string): Promise<() => void> {
    const before = this.turns.get(name);
    let end!: () => void;
    const mine = new Promise<void>((resolve) => (end = resolve));
    const tail = before ? before.then(() => mine) : mine;
    this.turns.set(name, tail);
    let ended = false;
    const release = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(guard);
      end();
      if (this.turns.get(name) === tail) this.turns.delete(name);
    };
    // a request that never hands its session back must not block the session for good
    const guard = setTimeout(release, 30_000);
    guard.unref();
    return before ? before.then(() => release) : Promise.resolve(release);
  }

  async sessionNames(): Promise<string[]> {
    return (await this.command(['ZRANGE', this.keys.sessions, '0', '-1'])) as string[];
  }

  async reset(name?: string): Promise<void> {
    this.cache.clear();
    if (name === undefined) this.pending = [];
    const args = name === undefined ? [this.keys.session] : [this.keys.session, name];
    await this.script(
      SCRIPTS.reset,
      [this.keys.sessions, this.keys.journal, this.keys.journalCount, this.keys.batchCounts],
      args,
    );
  }

  // --- tokens -----------------------------------------------------------------------------------

  async registerToken(token: string, lifetimeS?: number): Promise<void> {
    const finite = lifetimeS !== undefined && lifetimeS > 0;
    const expiry = finite ? String(Date.now() + lifetimeS * 1000) : 'inf';
    // an expired token is still known (answered 401 "expired") for a day after it expired
    const args = ['SET', this.keys.token + token, expiry];
    if (finite) args.push('PX', String(Math.ceil(lifetimeS * 1000) + 86_400_000));
    await this.command(args);
  }

  async tokenExpiry(token: string): Promise<number | undefined> {
    const value = (await this.command(['GET', this.keys.token + token])) as string | null;
    if (value === null) return undefined;
    return value === 'inf' ? Infinity : Number(value);
  }

  // --- journal ----------------------------------------------------------------------------------

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
    if (this.journalLimit === 0) return;
    // the answer's time to the microsecond orders two requests received in the same ms, on any replica
    const answeredUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const fields: unknown[] = [
      timeMs,
      answeredUs,
      session,
      method,
      url,
      operationId ?? null,
      status,
      source,
      durationMs,
    ];
    // optional fields at fixed places, trailing absent ones left out
    const optional = [match, accepted, warning];
    let last = optional.length;
    while (last > 0 && optional[last - 1] === undefined) last--;
    for (let i = 0; i < last; i++) fields.push(optional[i] ?? null);
    // encoded with the batch (one JSON.stringify per flush, not one per request)
    this.pending.push(fields);
    if (this.pending.length === 1) {
      setTimeout(() => void this.flushJournal().catch(() => undefined), JOURNAL_FLUSH_MS).unref();
    }
  }

  /** Sends the entries recorded since the last flush (one round trip for all of them). */
  private flushJournal(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flushJournal());
    if (this.pending.length === 0) return Promise.resolve();
    const entries = this.pending;
    this.pending = [];
    const batch = `${entries.length}\n${JSON.stringify(entries)}`;
    this.flushing = this.script(
      SCRIPTS.append,
      [this.keys.journal, this.keys.journalCount, this.keys.batchCounts],
      [batch, String(entries.length), String(2 * this.journalLimit)],
    ).then(
      () => {
        this.flushing = undefined;
        this.warnedJournal = false;
      },
      (err: unknown) => {
        this.flushing = undefined;
        if (!this.warnedJournal) {
          this.warnedJournal = true;
          process.emitWarning(`mockgen: journal entries lost: ${(err as Error)?.message ?? String(err)}`);
        }
      },
    );
    return this.flushing;
  }

  async journal(filter?: { session?: string }): Promise<JournalEntry[]> {
    await this.flushJournal();
    // the other replicas send what they answered within JOURNAL_FLUSH_MS: a client that asks here
    // right after a request to another replica finds it journalled
    await new Promise((resolve) => setTimeout(resolve, JOURNAL_SETTLE_MS));
    const batches = (await this.command(['LRANGE', this.keys.journal, '0', '-1'])) as string[];
    const rows: unknown[] = [];
    for (const batch of batches) {
      for (const row of JSON.parse(batch.slice(batch.indexOf('\n') + 1)) as unknown[]) rows.push(row);
    }
    const out: { entry: JournalEntry; timeMs: number; answeredUs: number }[] = [];
    for (const row of rows) {
      const [
        timeMs,
        answeredUs,
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
      ] = row as [
        number,
        number,
        string,
        string,
        string,
        string | null,
        number,
        string,
        number,
        (string | null)?,
        (string | null)?,
        (string | null)?,
      ];
      const entry: JournalEntry = {
        time: new Date(timeMs).toISOString(),
        session,
        method,
        url,
        status,
        source,
        durationMs,
      };
      if (operationId !== null) entry.operationId = operationId;
      if (typeof match === 'string') entry.match = match;
      if (typeof accepted === 'string') entry.accepted = accepted;
      if (typeof warning === 'string') entry.warning = warning;
      out.push({ entry, timeMs, answeredUs });
    }
    // replicas push in the order their batches reach Redis: the fleet's order is the time order
    // (received, then answered); the store keeps twice the limit, the oldest of them go
    const ordered = out
      .sort((a, b) => a.timeMs - b.timeMs || a.answeredUs - b.answeredUs)
      .slice(-this.journalLimit)
      .map(({ entry }) => entry);
    return filter?.session === undefined ? ordered : ordered.filter((e) => e.session === filter.session);
  }

  async clearJournal(): Promise<void> {
    this.pending = [];
    await this.command(['DEL', this.keys.journal, this.keys.journalCount, this.keys.batchCounts]);
  }

  // --- Redis ------------------------------------------------------------------------------------

  private async script(s: Script, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command(['EVALSHA', s.sha, ...tail]);
    } catch (err) {
      if (!/NOSCRIPT/.test((err as Error)?.message ?? '')) throw err;
      return this.command(['EVAL', s.text, ...tail]);
    }
  }

  /** One command; any failure to get an answer is a StoreUnavailableError. */
  private async command(args: string[]): Promise<unknown> {
    if (this.client.status !== 'ready')
      throw new StoreUnavailableError(`the Redis store at ${maskUrl(this.url)} is unreachable`);
    this.roundTrips++;
    try {
      const [name, ...rest] = args;
      return await this.client.call(name, rest);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      // an error Redis answered (a script error...) is ours, not an outage
      if ((err as Error)?.name === 'ReplyError') throw err;
      throw new StoreUnavailableError(`the Redis store at ${maskUrl(this.url)} did not answer: ${message}`);
    }
  }
}
