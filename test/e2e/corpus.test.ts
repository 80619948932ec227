import assert from 'node:assert/strict';
import * as path from 'node:path';
import { countRuns, readmeExamples, runContract, seededSample, type ContractRun } from '../helpers/corpus';
import { repoRoot } from '../helpers/project';

/**
 * A seeded sample of the public contracts of @readme/oas-examples: each is generated, compiled with tsc
 * --strict, booted, and every GET must answer a 2xx whose body validates against its documented schema;
 * Prism's conventions (404, 405 + Allow, 401, 400/422) are checked on every booted contract.
 * `node <build>/bench/corpus.js` runs the bigger sweep.
 */
const SAMPLE = Number(process.env.CORPUS_SAMPLE ?? 10);
const SEED = Number(process.env.CORPUS_SEED ?? 20240601);

describe('e2e: real-world contracts (@readme/oas-examples, seeded sample)', function () {
  this.timeout(180_000);
  const files = readmeExamples();
  const sample = seededSample(files, SAMPLE, SEED);
  const runs: ContractRun[] = [];

  before(function () {
    if (files.length === 0) this.skip();
  });

  after(() => {
    if (runs.length > 0) console.log(`      ${JSON.stringify(countRuns(runs))}`);
  });

  for (const file of sample) {
    it(path.relative(path.join(repoRoot, 'node_modules/@readme/oas-examples'), file), async () => {
      const run = await runContract(file, { conventions: true });
      runs.push(run);
      if (run.stage === 'rejected') return; // not mockable: a webhooks-only 3.1 document without `paths`
      assert.equal(run.stage, 'done', run.error);
      assert.deepEqual(run.failures, []);
      assert.deepEqual(run.conventions, []);
      assert.equal(run.getsValid, run.gets);
    });
  }
});
