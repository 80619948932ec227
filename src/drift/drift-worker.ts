/**
 * A drift worker thread (started by parallel.ts): gets the contract once, then batches of raw traffic
 * (whole lines of a line-per-exchange file, or the bytes of HAR entries), parses and checks them with
 * the same code a single-threaded run uses, and at the end hands back its `DriftRun` as plain data.
 * Any error stops the worker's share: the main thread then runs the whole check again on one thread,
 * which reports the first error exactly as it always does.
 */
import { parentPort } from 'node:worker_threads';
import { DriftRun } from './drift-run';
import { checkBatch, type FromWorker, type ToWorker } from './parallel';

let run: DriftRun | undefined;
let failed = false;

function handle(message: ToWorker): FromWorker | undefined {
  if (message.type === 'start') {
    run = new DriftRun(message.contract, message.options);
    return undefined;
  }
  if (!run) throw new Error('drift worker: no contract before the traffic');
  if (message.type === 'finish') return { type: 'partial', partial: run.partial() };
  checkBatch(run, message);
  return { type: 'done' };
}

parentPort?.on('message', (message: ToWorker) => {
  if (failed) return;
  let reply: FromWorker | undefined;
  try {
    reply = handle(message);
  } catch (err) {
    failed = true;
    reply = { type: 'error', message: (err as Error)?.message ?? String(err) };
  }
  if (reply) parentPort?.postMessage(reply);
});
