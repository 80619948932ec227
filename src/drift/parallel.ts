/**
 * Drift on several threads: the main thread reads the traffic and cuts it into batches at entry
 * boundaries (whole lines; HAR entries found by the streaming scanner, not parsed), worker threads
 * (drift-worker.ts) parse and check them, and their partial runs are merged into one `DriftRun`, so
 * the result is the one a single thread gives: findings in traffic order, the same counts and coverage.
 * Only worth it on big inputs (a worker costs a module load); any error falls back to one thread.
 */
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Contract } from '../model/types';
import { scanHarFile } from '../recordings/read-har-entries';
import {
  detectFormat,
  eachLine,
  isRecordingName,
  lineExchange,
  scanLineChunks,
} from '../recordings/scan-recordings';
import { toExchange } from '../recordings/to-exchange';
import { DriftRun, type DriftPartial } from './drift-run';
import type { DriftOptions } from './types';

/** Orders of one batch's exchanges: batch × stride + position (a batch holds far fewer exchanges). */
const ORDER_STRIDE = 2 ** 22;

/** Whole lines of a line-per-exchange file, or the bytes of HAR entries (one after the other). */
export type Batch =
  | { type: 'lines'; batch: number; file: string; firstLine: number; bytes: Uint8Array }
  | {
      type: 'har';
      batch: number;
      file: string;
      bytes: Uint8Array;
      offsets: Uint32Array;
      indices: Uint32Array;
    };

export type ToWorker =
  { type: 'start'; contract: Contract; options: DriftOptions } | Batch | { type: 'finish' };

/** Parses and checks the exchanges of one batch into `drift`, as a single-threaded run reads them. */
export function checkBatch(drift: DriftRun, message: Batch): void {
  const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
  let order = message.batch * ORDER_STRIDE;
  if (message.type === 'lines') {
    eachLine(bytes, message.firstLine, (text, line) => {
      drift.add(lineExchange(message.file, text, line, false), order++);
    });
    return;
  }
  const { offsets, indices } = message;
  for (let k = 0; k < indices.length; k++) {
    const raw: unknown = JSON.parse(bytes.toString('utf8', offsets[k], offsets[k + 1]));
    drift.add(toExchange(raw, indices[k], message.file, false), order++);
  }
}

export type FromWorker =
  { type: 'done' } | { type: 'error'; message: string } | { type: 'partial'; partial: DriftPartial };

/** Inputs smaller than this are checked on one thread (starting workers would cost more than it saves). */
const PARALLEL_MIN_BYTES = 16 << 20;
const BATCH_BYTES = 1 << 20;
/** batches sent to a worker and not yet checked (bounds the memory the traffic takes in transit) */
const IN_FLIGHT = 2;
const MAX_JOBS = 8;

/**
 * How many threads to check `recordings` on (1: the main thread alone, N: it and N − 1 workers). `jobs` as asked
 * (`--jobs`); by default one per core (at most 8) when the files (a folder's recordings) total 16 MiB
 * or more (a gzipped file counts 8× its size), else 1.
 */
export function driftJobs(recordings: readonly string[], jobs?: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(64, Math.floor(jobs)));
  const cores = Math.min(MAX_JOBS, availableParallelism());
  if (cores < 2) return 1;
  let bytes = 0;
  const add = (file: string, size: number): void => {
    bytes += /\.gz$/i.test(file) ? size * 8 : size;
  };
  for (const given of recordings) {
    try {
      const stat = fs.statSync(given);
      if (!stat.isDirectory()) add(given, stat.size);
      else
        for (const name of fs.readdirSync(given)) {
          if (!isRecordingName(name)) continue;
          const file = path.join(given, name);
          const inner = fs.statSync(file, { throwIfNoEntry: false });
          if (inner?.isFile()) add(file, inner.size);
        }
    } catch {
      // unreadable: the single-threaded reader names the problem
    }
    if (bytes >= PARALLEL_MIN_BYTES) return cores;
  }
  return 1;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  partial?: DriftPartial;
}

/** Worker threads for one drift run; started early so that their module loading overlaps the contract's. */
export class DriftWorkers {
  private readonly slots: Slot[] = [];
  private failed: string | undefined;
  /** what this thread checks itself */
  private local: DriftRun | undefined;
  private waiters: (() => void)[] = [];

  /** `batchBytes`: how much traffic one batch holds (1 MiB; tests make it small to get many batches) */
  constructor(
    jobs: number,
    private readonly batchBytes = BATCH_BYTES,
  ) {
    const script = path.join(__dirname, 'drift-worker.js');
    for (let k = 0; k < jobs; k++) {
      const worker = new Worker(script);
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'done') slot.inFlight--;
        else if (message.type === 'error') this.fail(message.message);
        else slot.partial = message.partial;
        this.wake();
      });
      worker.on('error', (err) => this.fail(err.message));
      worker.on('exit', () => {
        if (!slot.partial) this.fail('a drift worker stopped');
      });
      this.slots.push(slot);
    }
  }

  /**
   * Checks the traffic of `files` on the workers and on this thread, which checks a batch itself
   * whenever every worker has its fill: the merged run, or undefined when it must be done on one thread.
   */
  async check(
    contract: Contract,
    options: DriftOptions,
    files: readonly string[],
  ): Promise<DriftRun | undefined> {
    this.local = new DriftRun(contract, options);
    try {
      const start: ToWorker = { type: 'start', contract, options };
      for (const slot of this.slots) slot.worker.postMessage(start);
      let batch = 0;
      for (const file of files) {
        if ((await detectFormat(file)) === 'lines') {
          await scanLineChunks(
            file,
            (bytes, firstLine) => {
              const copy = new Uint8Array(bytes);
              this.send({ type: 'lines', batch: batch++, file, firstLine, bytes: copy }, [copy.buffer]);
            },
            this.batchBytes,
          );
          continue;
        }
        let entries: Buffer[] = [];
        let indices: number[] = [];
        let size = 0;
        const flush = (): void => {
          const bytes = new Uint8Array(size);
          const offsets = new Uint32Array(entries.length + 1);
          let at = 0;
          for (const [k, entry] of entries.entries()) {
            bytes.set(entry, at);
            at += entry.length;
            offsets[k + 1] = at;
          }
          const numbers = Uint32Array.from(indices);
          const message: Batch = { type: 'har', batch: batch++, file, bytes, offsets, indices: numbers };
          entries = [];
          indices = [];
          size = 0;
          this.send(message, [bytes.buffer, offsets.buffer, numbers.buffer]);
        };
        await scanHarFile(
          file,
          (raw, index) => {
            const entry = raw as Buffer;
            entries.push(entry);
            indices.push(index);
            size += entry.length;
            if (size >= this.batchBytes) flush();
          },
          { unparsed: true },
        );
        if (entries.length > 0) flush();
      }
      for (const slot of this.slots) slot.worker.postMessage({ type: 'finish' } satisfies ToWorker);
      while (!this.failed && this.slots.some((slot) => !slot.partial)) await this.next();
      if (this.failed) return undefined;
      const merged = new DriftRun(contract, options);
      merged.absorb([this.local.partial(), ...this.slots.map((slot) => slot.partial as DriftPartial)]);
      return merged;
    } catch {
      // an input error (or a contract that cannot be sent): the single-threaded run reports it exactly
      return undefined;
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.failed ??= 'closed';
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private send(message: Batch, transfer: ArrayBuffer[]): void {
    if (this.failed) throw new Error(this.failed);
    let best = this.slots[0];
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    if (best.inFlight < IN_FLIGHT) {
      best.inFlight++;
      best.worker.postMessage(message, transfer);
    } else {
      checkBatch(this.local as DriftRun, message);
    }
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private fail(message: string): void {
    this.failed ??= message;
    this.wake();
  }
}
