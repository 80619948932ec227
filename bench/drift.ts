/**
 * Drift throughput: 100k entries synthesised from the petstore contract's own examples (with a
 * sprinkling of drift: undocumented properties, bad formats, unknown paths), as a HAR and as NDJSON,
 * checked by whole `mockgen drift` processes. Target: ≥ 50,000 entries/s around the process, peak
 * RSS for NDJSON independent of the file's size; Redocly CLI's `drift` beside it when it exists.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContract } from '../src/contract/load-contract';
import { checkDrift } from '../src/drift/check-drift';
import { driftJobs } from '../src/drift/parallel';
import { packageRoot } from '../src/paths';
import { redoclyBin } from './redocly';
import { cleanTraffic, writeTraffic } from '../test/drift/from-examples';

export interface DriftRunNumbers {
  /** entries / wall seconds of the whole `mockgen drift` process (start-up, contract, read, check, report) */
  entriesPerSecond: number;
  peakRssMb: number;
  seconds: number;
  findings?: number;
}

export interface DriftBench {
  entries: number;
  spec: string;
  har: DriftRunNumbers;
  /** threads the default runs used (`--jobs` default: one per core on inputs this big) */
  threads: number;
  /** the same HAR with `--jobs 1`: one thread, what the worker threads gain */
  harOneThread: DriftRunNumbers;
  /** the same NDJSON with `--jobs 1` */
  ndjsonOneThread: DriftRunNumbers;
  /** the same HAR run with `--no-coverage`: what counting coverage costs */
  harNoCoverage: DriftRunNumbers;
  ndjson: DriftRunNumbers;
  /** the same run on 10× fewer NDJSON entries (same threads): peak RSS must not grow with the file */
  ndjsonSmall: DriftRunNumbers;
  /** Redocly CLI's `drift` on the same files, when the published CLI has that command */
  redocly: { har: DriftRunNumbers; ndjson: DriftRunNumbers; ratioHar: number; ratioNdjson: number } | string;
  /** in-process `checkDrift` on the HAR (CPU time, without start-up) */
  entriesPerCpuSecond: number;
  /** the same with `coverage: false` */
  entriesPerCpuSecondNoCoverage: number;
}

const mainJs = path.join(packageRoot, 'dist', 'src', 'cli', 'main.js');

/**
 * Times whole `mockgen drift` processes on a 100k-entry HAR and the same traffic as NDJSON (entries/s
 * around the process, peak RSS from the child's own `maxRSS`), and Redocly CLI's `drift` on the same
 * files when `npx @redocly/cli drift` exists (BENCH_REDOCLY=0 skips it). Target: ≥ 50,000 entries/s.
 */
export async function benchDrift(options: { entries?: number; spec?: string } = {}): Promise<DriftBench> {
  const entries = options.entries ?? Number(process.env.BENCH_DRIFT_ENTRIES ?? 100_000);
  const candidates = [
    options.spec,
    path.join(packageRoot, 'specs', 'petstore', 'openapi.yaml'),
    path.join(packageRoot, 'test', 'fixtures', 'drift', 'petstore-30.yaml'),
  ];
  const spec = candidates.find((file): file is string => !!file && fs.existsSync(file));
  if (!spec) throw new Error('benchDrift: no contract found (specs/petstore/openapi.yaml)');
  const contract = await loadContract(spec);
  const base = cleanTraffic(contract);
  if (base.length === 0) throw new Error(`benchDrift: ${spec} has no examples to make traffic from`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-bench-drift-'));
  const har = path.join(dir, 'traffic.har');
  const ndjson = path.join(dir, 'traffic.ndjson');
  const small = path.join(dir, 'small.ndjson');
  try {
    writeTraffic(har, ndjson, base, entries, contract.servers[0]);
    writeTraffic(undefined, small, base, Math.max(1, Math.round(entries / 10)), contract.servers[0]);
    const threads = driftJobs([har]);
    const harRun = await timeDrift(spec, har, entries);
    const harOneThread = await timeDrift(spec, har, entries, undefined, ['--jobs', '1']);
    const harNoCoverage = await timeDrift(spec, har, entries, undefined, ['--no-coverage']);
    const ndjsonRun = await timeDrift(spec, ndjson, entries);
    const ndjsonOneThread = await timeDrift(spec, ndjson, entries, undefined, ['--jobs', '1']);
    const smallRun = await timeDrift(spec, small, Math.max(1, Math.round(entries / 10)), undefined, [
      '--jobs',
      String(driftJobs([ndjson])),
    ]);
    const redocly = await benchRedocly(spec, har, ndjson, entries, harRun, ndjsonRun);

    const cpuSeconds = async (coverage: boolean) => {
      global.gc?.();
      const cpu = process.cpuUsage();
      const run = await checkDrift({ spec, recordings: [har], coverage, jobs: 1 });
      const used = process.cpuUsage(cpu);
      return { run, seconds: (used.user + used.system) / 1e6 };
    };
    const without = await cpuSeconds(false);
    const { run: result, seconds } = await cpuSeconds(true);
    return {
      entries,
      spec: path.relative(packageRoot, spec),
      har: { ...harRun, findings: result.findings.length },
      threads,
      harOneThread,
      ndjsonOneThread,
      harNoCoverage,
      ndjson: ndjsonRun,
      ndjsonSmall: smallRun,
      redocly,
      entriesPerCpuSecond: Math.round(result.summary.entries / seconds),
      entriesPerCpuSecondNoCoverage: Math.round(without.run.summary.entries / without.seconds),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One drift process on `file`: wall time around the process, peak RSS (mockgen: the child's own
 * `maxRSS`; Redocly: GNU time's). `redocly`: the path of Redocly's `redocly` bin.
 */
function timeDrift(
  spec: string,
  file: string,
  entries: number,
  redocly?: string,
  extra: string[] = [],
): Promise<DriftRunNumbers> {
  const report = path.join(path.dirname(file), 'report.json');
  const command =
    redocly === undefined
      ? [
          process.execPath,
          '-e',
          `require(${JSON.stringify(mainJs)}).main(process.argv.slice(1)).then((c) => { process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'); process.exit(c); })`,
          'drift',
          '--spec',
          spec,
          '--recordings',
          file,
          '--format',
          'json',
          '--output',
          report,
          ...extra,
        ]
      : [
          '/usr/bin/time',
          '-f',
          'MAXRSS_KB %M',
          redocly,
          'drift',
          file,
          '--api',
          spec,
          '--format',
          'json',
          '-o',
          report,
        ];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    execFile(
      command[0],
      command.slice(1),
      { maxBuffer: 1 << 30, timeout: 900_000 },
      (err, _stdout, stderr) => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const code = err ? (err as { code?: unknown }).code : 0;
        if (code !== 0 && code !== 1)
          return reject(new Error(`${command.join(' ')} failed (${String(code)}): ${stderr.slice(-2000)}`));
        const rss = /MAXRSS_KB (\d+)\s*$/.exec(stderr);
        resolve({
          entriesPerSecond: Math.round(entries / seconds),
          peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : -1,
          seconds: Math.round(seconds * 100) / 100,
        });
      },
    );
  });
}

/**
 * Redocly CLI's `drift`, if the published CLI has one (`npx @redocly/cli@latest drift --help`,
 * installed in a temp folder, never a dependency of mockgen).
 */
async function benchRedocly(
  spec: string,
  har: string,
  ndjson: string,
  entries: number,
  mine: DriftRunNumbers,
  mineNdjson: DriftRunNumbers,
): Promise<DriftBench['redocly']> {
  const bin = await redoclyBin('drift', /redocly drift <traffic>/);
  if (typeof bin !== 'string') return bin.skipped;
  const harRun = await timeDrift(spec, har, entries, bin);
  const ndjsonRun = await timeDrift(spec, ndjson, entries, bin);
  return {
    har: harRun,
    ndjson: ndjsonRun,
    ratioHar: Math.round((mine.entriesPerSecond / harRun.entriesPerSecond) * 100) / 100,
    ratioNdjson: Math.round((mineNdjson.entriesPerSecond / ndjsonRun.entriesPerSecond) * 100) / 100,
  };
}

if (require.main === module) {
  benchDrift().then(
    (r) => console.log(JSON.stringify(r)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
