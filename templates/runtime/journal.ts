/**
 * The request journal: what the mock received and answered, for verification from tests
 * ("was POST /orders called twice in session X?"). A ring buffer of the most recent entries,
 * bounded by MOCKGEN_JOURNAL_LIMIT (default 10,000; 0 disables the journal).
 *
 * Recording sits on every request's path, so it allocates nothing: the ring is a set of columns
 * (one array per field), and entries are built, with their ISO time, only when the journal is read.
 * A journal belongs to a store (store/memory-store.ts), never to the process.
 */

export interface JournalEntry {
  /** ISO timestamp when the request was received */
  time: string;
  session: string;
  method: string;
  url: string;
  operationId?: string;
  status: number;
  /** `MockResponse.source`: `example:<name>`, `recording:<entry>`, `state`, `generated`, `error` */
  source: string;
  durationMs: number;
  /**
   * Present when the path matched its template only as a stretch: a path parameter took several
   * segments (`stretched: path parameter 'username' spans 2 segments ('alice/not-a-route')`).
   */
  match?: string;
  /**
   * Present when the request broke the contract in ways the real service accepted (recorded 2xx
   * requests broke it the same way) and was served as valid: the violations, as `violationKey`s.
   */
  accepted?: string;
  /** Something the answer does not say: `resource limit reached: the oldest created … was evicted`. */
  warning?: string;
}

const DEFAULT_LIMIT = 10_000;

interface Ring {
  capacity: number;
  /** entries held (≤ capacity) */
  size: number;
  /** slot the next entry goes to */
  next: number;
  timeMs: Float64Array;
  status: Uint16Array;
  durationMs: Float64Array;
  session: string[];
  method: string[];
  url: string[];
  operationId: (string | undefined)[];
  source: string[];
  match: (string | undefined)[];
  accepted: (string | undefined)[];
  warning: (string | undefined)[];
}

/** MOCKGEN_JOURNAL_LIMIT, else 10,000 (0 disables the journal). */
export function journalLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MOCKGEN_JOURNAL_LIMIT;
  const parsed = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : DEFAULT_LIMIT;
}

function newRing(size: number): Ring {
  return {
    capacity: size,
    size: 0,
    next: 0,
    timeMs: new Float64Array(size),
    status: new Uint16Array(size),
    durationMs: new Float64Array(size),
    session: new Array<string>(size).fill(''),
    method: new Array<string>(size).fill(''),
    url: new Array<string>(size).fill(''),
    operationId: new Array<string | undefined>(size).fill(undefined),
    source: new Array<string>(size).fill(''),
    match: new Array<string | undefined>(size).fill(undefined),
    accepted: new Array<string | undefined>(size).fill(undefined),
    warning: new Array<string | undefined>(size).fill(undefined),
  };
}

/** One store's journal: the ring, allocated on the first entry. */
export class Journal {
  private ring: Ring | undefined;

  constructor(private readonly capacity: number = journalLimitFromEnv()) {}

  /** Records a request received at `timeMs` (ms since the epoch). */
  recordAt(timeMs: number, entry: Omit<JournalEntry, 'time'>): void {
    this.record(
      timeMs,
      entry.session,
      entry.method,
      entry.url,
      entry.operationId,
      entry.status,
      entry.source,
      entry.durationMs,
      entry.match,
      entry.accepted,
      entry.warning,
    );
  }

  /** The allocation-free form of recordAt, for the request path. */
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
    const max = this.capacity;
    if (max === 0) return;
    let ring = this.ring;
    if (ring === undefined) ring = this.ring = newRing(max);
    const at = ring.next;
    ring.timeMs[at] = timeMs;
    ring.session[at] = session;
    ring.method[at] = method;
    ring.url[at] = url;
    ring.operationId[at] = operationId;
    ring.status[at] = status;
    ring.source[at] = source;
    ring.durationMs[at] = durationMs;
    ring.match[at] = match;
    ring.accepted[at] = accepted;
    ring.warning[at] = warning;
    ring.next = at + 1 === max ? 0 : at + 1;
    if (ring.size < max) ring.size++;
  }

  /** Entries oldest first, optionally only those of one session. Returns copies. */
  entries(filter?: { session?: string }): JournalEntry[] {
    const r = this.ring;
    if (!r) return [];
    const session = filter?.session;
    const out: JournalEntry[] = [];
    const first = r.size < r.capacity ? 0 : r.next;
    for (let i = 0; i < r.size; i++) {
      const at = (first + i) % r.capacity;
      if (session === undefined || r.session[at] === session) out.push(entryAt(r, at));
    }
    return out;
  }

  clear(): void {
    this.ring = undefined;
  }
}

function entryAt(r: Ring, at: number): JournalEntry {
  const entry: JournalEntry = {
    time: new Date(r.timeMs[at]).toISOString(),
    session: r.session[at],
    method: r.method[at],
    url: r.url[at],
    status: r.status[at],
    source: r.source[at],
    durationMs: r.durationMs[at],
  };
  const operationId = r.operationId[at];
  if (operationId !== undefined) entry.operationId = operationId;
  const match = r.match[at];
  if (match !== undefined) entry.match = match;
  const accepted = r.accepted[at];
  if (accepted !== undefined) entry.accepted = accepted;
  const warning = r.warning[at];
  if (warning !== undefined) entry.warning = warning;
  return entry;
}
