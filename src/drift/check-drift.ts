import { loadContract } from '../contract/load-contract';
import type { Contract } from '../model/types';
import { expandRecordingPaths, scanRecordings } from '../recordings/scan-recordings';
import { DriftRun } from './drift-run';
import { DriftWorkers, driftJobs } from './parallel';
import type { DriftOptions, DriftResult } from './types';

export { checkExchanges, DriftRun, recount, type DriftPartial } from './drift-run';

export interface CheckDriftInput extends DriftOptions {
  spec: string;
  recordings: string[];
  /** threads to check on (1: this one only, N: with N − 1 workers); default: one per core on inputs of 16 MiB or more */
  jobs?: number;
}

/**
 * Loads the contract and streams the recordings (files or folders, any traffic format) through the
 * checks: the whole `mockgen drift` minus reporting. `files` are the files read. Big inputs are
 * checked on worker threads (parallel.ts) with the same result.
 */
export async function checkDrift(
  input: CheckDriftInput,
): Promise<DriftResult & { contract: Contract; files: string[] }> {
  const jobs = driftJobs(input.recordings, input.jobs);
  // started first: their start-up overlaps loading the contract
  const workers = jobs > 1 ? new DriftWorkers(jobs - 1) : undefined;
  try {
    const contract = await loadContract(input.spec, { checkSchema: false });
    const files = await expandRecordingPaths(input.recordings);
    const options: DriftOptions = {
      ...(input.extraProperties !== undefined ? { extraProperties: input.extraProperties } : {}),
      ...(input.coverage !== undefined ? { coverage: input.coverage } : {}),
    };
    const merged = workers && (await workers.check(contract, options, files));
    if (merged) return { ...merged.finish(), contract, files };
    // one thread: without workers, or again after an error so that it is reported as always
    await workers?.close();
    const drift = new DriftRun(contract, options);
    // Not redacted on load (a tenth of the run time on big HARs): the checks only need secrets to be
    // present, and messages mask the values of credential parameters and secret-named fields.
    await scanRecordings(files, (exchange) => drift.add(exchange), { redact: false });
    return { ...drift.finish(), contract, files };
  } finally {
    await workers?.close();
  }
}
