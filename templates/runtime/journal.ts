/**
 * The request journal: what the mock received and answered, for verification from tests
 * ("was POST /orders called twice in session X?"). A ring buffer of the most recent entries,
 * bounded by MOCKGEN_JOURNAL_LIMIT (default 10,000; 0 disables the journal).
 *
 * Recording sits on every request's path, so it allocates nothing: the ring is a set of columns
 * (one array per field), and entries are built, with their ISO time, only when the journal is read.
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
}

let capacity: number | undefined;
let ring: Ring | undefined;

function journalLimit(): number {
  if (capacity === undefined) {
    const raw = process.env.MOCKGEN_JOURNAL_LIMIT;
    const parsed = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    capacity = Number.isInteger(parsed) && parsed >= 0 ? parsed : DEFAULT_LIMIT;
  }
  return capacity;
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
  };
}

/** Records a request received at `timeMs` (ms since the epoch). */
export function recordRequestAt(timeMs: number, entry: Omit<JournalEntry, 'time'>): void {
  recordFields(
    timeMs,
    entry.session,
    entry.method,
    entry.url,
    entry.operationId,
    entry.status,
    entry.source,
    entry.durationMs,
  );
}

export function recordRequest(entry: JournalEntry): void {
  recordRequestAt(Date.parse(entry.time), entry);
}

/** The allocation-free form of recordRequestAt, for the request path. */
export function recordFields(
  timeMs: number,
  session: string,
  method: string,
  url: string,
  operationId: string | undefined,
  status: number,
  source: string,
  durationMs: number,
): void {
  const max = journalLimit();
  if (max === 0) return;
  if (ring === undefined || ring.capacity !== max) ring = newRing(max);
  const at = ring.next;
  ring.timeMs[at] = timeMs;
  ring.session[at] = session;
  ring.method[at] = method;
  ring.url[at] = url;
  ring.operationId[at] = operationId;
  ring.status[at] = status;
  ring.source[at] = source;
  ring.durationMs[at] = durationMs;
  ring.next = at + 1 === max ? 0 : at + 1;
  if (ring.size < max) ring.size++;
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
  return entry;
}

/** Entries oldest first, optionally only those of one session. Returns copies. */
export function getJournal(filter?: { session?: string }): JournalEntry[] {
  const r = ring;
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

export function clearJournal(): void {
  ring = undefined;
}

/** Overrides MOCKGEN_JOURNAL_LIMIT (tests); clears the journal. `undefined` re-reads the environment. */
export function setJournalLimit(max: number | undefined): void {
  capacity = max;
  clearJournal();
}
