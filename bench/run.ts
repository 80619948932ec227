/**
 * `npm run bench`: every number as a ratio to a baseline measured in the same run (machines are noisy).
 * Select parts with BENCH=throughput,fleet,instructions,github,har,drift,record,realism (default: all
 * but instructions, which runs under valgrind for several minutes, and realism; fleet needs redis-server). Results: .bench/results.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchBigHar, benchGithub } from './big-inputs';
import { benchDrift } from './drift';
import { benchFleet } from './fleet';
import { benchInstructions } from './instructions';
import { benchRecord } from './record';
import { benchRealism } from './realism';
import { PINNING, benchThroughput } from './throughput';
import { repoRoot } from '../test/helpers/project';

async function main(): Promise<void> {
  const parts = new Set((process.env.BENCH ?? 'throughput,fleet,github,har,drift,record').split(','));
  const results: Record<string, unknown> = {
    node: process.version,
    cpus: os.cpus().length,
    // the machine may be shared: 1-minute load average when the bench started and ended
    loadAverageStart: round1(os.loadavg()[0]),
  };
  const started = Date.now();

  if (parts.has('throughput')) {
    const rows = await benchThroughput({
      seconds: Number(process.env.BENCH_SECONDS ?? 3),
      rounds: Number(process.env.BENCH_ROUNDS ?? 5),
      warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
      baselineCheckout: process.env.BENCH_BASELINE_CHECKOUT,
    });
    results.throughput = rows;
    results.throughputPinned = PINNING;
    console.log(
      `\nThroughput (50 connections, same status/headers/bytes; ratios: median over rounds of the ratio within a round; req/s, CPU: best round${PINNING ? '; servers on core 0, autocannon on core 1' : ''})\n` +
        'req/s, ratio = mock / bare node:http; cpuUs = server CPU µs per request, cpuRatio = bare / mock',
    );
    console.table(rows);
  }
  if (parts.has('fleet')) {
    const rows = await benchFleet({
      seconds: Number(process.env.BENCH_SECONDS ?? 3),
      rounds: Number(process.env.BENCH_FLEET_ROUNDS ?? 3),
    });
    results.fleet = rows ?? 'skipped: redis-server not installed';
    console.log(
      '\nState in Redis (50 connections; vsMemory = req/s / one in-memory replica, median of rounds; ' +
        'vsProxiedMemory = three Redis replicas / one in-memory replica behind the same proxy)',
    );
    if (rows) console.table(rows);
    else console.log('skipped: redis-server not installed');
  }
  if (parts.has('instructions')) {
    const rows = await benchInstructions({
      warmup: Number(process.env.BENCH_INSTR_WARMUP ?? 4000),
      requests: Number(process.env.BENCH_INSTR_REQUESTS ?? 3000),
      baselineCheckout: process.env.BENCH_BASELINE_CHECKOUT,
    });
    results.instructions = rows ?? 'skipped: valgrind not installed';
    console.log(
      '\nInstructions per request (callgrind; ratio = node:http / mock; mockVsBaseline = mock / baseline mock)',
    );
    if (rows) console.table(rows);
    else console.log('skipped: valgrind not installed');
  }
  if (parts.has('github')) {
    const github = await benchGithub();
    results.github = github ?? 'skipped: @octokit/openapi not installed';
    console.log('\napi.github.com contract (@octokit/openapi):');
    console.log(github ? JSON.stringify(github, null, 2) : 'skipped');
  }
  if (parts.has('har')) {
    const har = await benchBigHar(Number(process.env.BENCH_HAR_ENTRIES ?? 100000));
    results.har = har;
    console.log('\nGenerate from a big HAR:', JSON.stringify(har));
  }
  if (parts.has('drift')) {
    const drift = await benchDrift();
    results.drift = drift;
    console.log(
      `\nDrift on ${drift.entries} entries (whole processes; target ≥ 50,000 entries/s), HAR and NDJSON` +
        (typeof drift.redocly === 'string'
          ? ` — Redocly: ${drift.redocly}`
          : ', beside Redocly CLI drift (ratio = mockgen / Redocly)'),
    );
    console.log(JSON.stringify(drift, null, 2));
  }
  if (parts.has('record')) {
    const record = await benchRecord();
    results.record = record;
    console.log(
      `\nRecording proxy (${record.connections} connections, small JSON; ratios to direct, median of ${record.rounds} rounds; ` +
        'passThrough = a bare undici proxy recording nothing; redocly = `redocly proxy`):',
    );
    console.log(JSON.stringify(record, null, 2));
  }
  if (parts.has('realism')) {
    const realism = await benchRealism();
    results.realism = realism;
    console.log('\nRealism of generated values (shares, 0..1):', JSON.stringify(realism, null, 2));
  }
  results.loadAverageEnd = round1(os.loadavg()[0]);
  results.seconds = Math.round((Date.now() - started) / 1000);
  const file = path.join(repoRoot, '.bench', 'results.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten ${path.relative(repoRoot, file)}`);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
