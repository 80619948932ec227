/**
 * The request journal: what the mock received and answered, for verification from tests
 * ("was POST /orders called twice in session X?"). A ring buffer of the most recent entries,
 * bounded by MOCKGEN_JOURNAL_LIMIT (default 10,000; 0 disables the journal).
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

/** An entry whose `time` is formatted when the journal is read (off the request path). */
type PendingEntry = Omit<JournalEntry, 'time'> & { timeMs: number };

let capacity: number | undefined;
let ring: (JournalEntry | PendingEntry)[] = [];
/** index of the oldest entry once the ring is full */
let start = 0;

function journalLimit(): number {
  if (capacity === undefined) {
    const raw = process.env.MOCKGEN_JOURNAL_LIMIT;
    const parsed = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    capacity = Number.isInteger(parsed) && parsed >= 0 ? parsed : DEFAULT_LIMIT;
  }
  return capacity;
}

export function recordRequest(entry: JournalEntry | PendingEntry): void {
  const max = journalLimit();
  if (max === 0) return;
  if (ring.length < max) {
    ring.push(entry);
  } else {
    ring[start] = entry;
    start = (start + 1) % max;
  }
}

/** Like recordRequest, with the time the request was received in ms since the epoch. */
export function recordRequestAt(timeMs: number, entry: Omit<JournalEntry, 'time'>): void {
  (entry as PendingEntry).timeMs = timeMs;
  recordRequest(entry as PendingEntry);
}

function copy(entry: JournalEntry | PendingEntry): JournalEntry {
  if (!('timeMs' in entry)) return { ...entry };
  const { timeMs, ...rest } = entry;
  return { time: new Date(timeMs).toISOString(), ...rest };
}

/** Entries oldest first, optionally only those of one session. Returns copies. */
export function getJournal(filter?: { session?: string }): JournalEntry[] {
  const ordered = start === 0 ? ring.slice() : ring.slice(start).concat(ring.slice(0, start));
  const session = filter?.session;
  const selected = session === undefined ? ordered : ordered.filter((e) => e.session === session);
  return selected.map(copy);
}

export function clearJournal(): void {
  ring = [];
  start = 0;
}

/** Overrides MOCKGEN_JOURNAL_LIMIT (tests); clears the journal. `undefined` re-reads the environment. */
export function setJournalLimit(max: number | undefined): void {
  capacity = max;
  clearJournal();
}
