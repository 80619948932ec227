import { existsSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyBaseline, diffBaseline, readBaselineEntries, writeBaseline } from '../../drift/baseline';
import {
  checkMinimums,
  describeFailedThresholds,
  parseMinCoverage,
  type CoverageMinimums,
} from '../../drift/coverage';
import { locatePointers, type SourcePosition } from '../../contract/locate-pointers';
import { checkDrift, recount } from '../../drift/check-drift';
import { operationLabel } from '../../drift/match';
import type { Finding } from '../../drift/types';
import { MockgenError } from '../../errors';
import type { Contract } from '../../model/types';
import { packageRoot } from '../../paths';
import { isReportFormat, REPORT_FORMATS, REPORTERS, type ReportFormat } from '../../report';
import { failsRun, type FailOn } from '../../report/context';
import { contractPointers } from '../../report/contract-location';
import { schemaPreviews } from '../../report/html';
import { readDocument } from '../../contract/read-document';
import { writeFileAtomic } from '../../write-file';

export const usage = `mockgen drift — check recorded traffic against the contract

Usage:
  mockgen drift --spec FILE --recordings FILE.har [--recordings MORE.har ...] [options]

Options:
  --spec FILE              OpenAPI 2.0 / 3.0 / 3.1 contract (YAML or JSON)
  --recordings FILE.har    HAR file(s) to check; repeat the flag or list several files after it
  --format FORMAT          text (default) | json | junit | github | sarif | html
                           (html: one self-contained page, no network: findings by operation and kind,
                           filters, coverage table and chart, baseline diff; best with --output)
  --output FILE            write the report to FILE instead of stdout (folders created, written atomically)
  --min-coverage N         exit 1 when the traffic exercised less than N% of the documented operations;
                           per dimension: operations=N,parameters=N,responses=N,properties=N (repeatable)
  --no-coverage            do not count coverage (operations, parameters, response codes, body properties)
  --fail-on LEVEL          error (default) | warning | never: findings at or above LEVEL exit 1
                           (and, in JUnit, are failing testcases)
  --baseline FILE          accepted findings (from --write-baseline); only new ones count; reports show
                           the diff (new / still present / fixed)
  --write-baseline FILE    write the current findings as the accepted baseline to FILE and exit 0
  --no-extra-properties    do not warn about undocumented properties where the schema allows them
  --jobs N                 check on N threads (1: one); default: one per core (at most 8) when the
                           recordings total 16 MiB or more, else 1. The result is the same
  --verbose                stack traces for internal errors

Exit codes: 0 no drift (or --write-baseline written), 1 drift at or above --fail-on or coverage below
--min-coverage, 2 bad input or tool failure.
Coverage (JSON: "coverage"; text, junit, sarif, github and html summarise it): which documented operations,
parameters, response codes (200, 4XX, default) and request/response body properties the traffic exercised.
Operations no recording exercised are listed (summary.untestedOperations in JSON); they fail the run only
through --min-coverage.
`;

export interface DriftArgs {
  spec: string;
  recordings: string[];
  format: ReportFormat;
  output?: string;
  failOn: FailOn;
  baseline?: string;
  writeBaseline?: string;
  extraProperties: boolean;
  coverage: boolean;
  /** `--min-coverage` per dimension; empty when not given */
  minCoverage: CoverageMinimums;
  /** `--jobs`: worker threads (undefined: decided by the input's size) */
  jobs?: number;
}

export function parseDriftArgs(argv: string[]): DriftArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new MockgenError(`${(err as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  const spec = values.spec;
  if (!spec) throw new MockgenError(`--spec FILE is required.\n\n${usage}`);
  // `--recordings a.har b.har` (a shell glob) leaves the extra files as positionals.
  const recordings = [...(values.recordings ?? []), ...positionals];
  if (recordings.length === 0) throw new MockgenError(`--recordings FILE.har is required.\n\n${usage}`);
  const format = values.format ?? 'text';
  if (!isReportFormat(format))
    throw new MockgenError(`Unknown --format '${format}'; use one of ${REPORT_FORMATS.join(', ')}.`);
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') {
    throw new MockgenError(`Unknown --fail-on '${failOn}'; use error, warning or never.`);
  }
  const minCoverage = parseMinCoverage(values['min-coverage'] ?? []);
  const coverage = !values['no-coverage'];
  if (!coverage && Object.keys(minCoverage).length > 0)
    throw new MockgenError('--min-coverage needs coverage: drop --no-coverage.');
  const jobsText = values.jobs;
  const jobs = jobsText === undefined ? undefined : Number(jobsText);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64))
    throw new MockgenError(`--jobs '${jobsText}': give a whole number of threads from 1 to 64.`);
  return {
    spec,
    recordings,
    format,
    ...(jobs !== undefined ? { jobs } : {}),
    output: values.output,
    failOn,
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
    extraProperties: !values['no-extra-properties'],
    coverage,
    minCoverage,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      spec: { type: 'string' },
      recordings: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'no-extra-properties': { type: 'boolean' },
      'min-coverage': { type: 'string', multiple: true },
      'no-coverage': { type: 'boolean' },
      jobs: { type: 'string' },
    },
  });
}

/** The exit code for the findings that count. */
export function exitCodeFor(findings: Finding[], failOn: FailOn): number {
  return findings.some((f) => failsRun(f.severity, failOn)) ? 1 : 0;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseDriftArgs(argv);
  const startedAt = new Date();
  const accepted = args.baseline ? await readBaselineEntries(args.baseline) : undefined;
  const result = await checkDrift({
    spec: args.spec,
    recordings: args.recordings,
    extraProperties: args.extraProperties,
    coverage: args.coverage,
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
  });
  if (args.writeBaseline) await writeBaseline(args.writeBaseline, result.findings);
  const { findings, baselined } = accepted
    ? applyBaseline(result.findings, new Set(accepted.map((e) => e.fingerprint)))
    : { findings: result.findings, baselined: 0 };
  const counted = recount(result, findings, baselined);
  const coverage =
    counted.coverage && Object.keys(args.minCoverage).length > 0
      ? { ...counted.coverage, thresholds: checkMinimums(counted.coverage, args.minCoverage) }
      : counted.coverage;
  const belowMinimum = coverage ? describeFailedThresholds(coverage) : [];

  const toStdout = !args.output;
  const color =
    args.format === 'text' &&
    toStdout &&
    process.stdout.isTTY === true &&
    !process.env.NO_COLOR &&
    process.env.TERM !== 'dumb';
  const operationPointers = Object.fromEntries(
    result.contract.operations.map((op) => [operationLabel(op), op.pointer]),
  );
  const report = REPORTERS[args.format](findings, {
    contractFile: args.spec,
    recordingFiles: result.files,
    summary: counted.summary,
    ...(coverage ? { coverage } : {}),
    ...(accepted && args.baseline
      ? { baseline: diffBaseline(result.findings, accepted, args.baseline) }
      : {}),
    color,
    toolVersion: toolVersion(),
    failOn: args.failOn,
    operationPointers,
    ...(args.format === 'sarif'
      ? {
          contractPositions: await contractPositions(result.contract, findings, operationPointers),
          sourceRoot: sourceRoot(process.cwd()),
        }
      : {}),
    ...(args.format === 'html' ? { schemaPreviews: await contractSchemas(result.contract, findings) } : {}),
    startedAt: startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    durationMs: Date.now() - startedAt.getTime(),
  });
  if (args.output) {
    try {
      await writeFileAtomic(args.output, report);
    } catch (err) {
      throw new MockgenError(`Cannot write the report to ${args.output}: ${(err as Error).message}.`, {
        file: args.output,
      });
    }
  } else {
    await writeStdout(report);
  }
  // Writing a baseline accepts the drift it records: the run that writes it succeeds.
  if (args.writeBaseline) return 0;
  // the text report on a terminal says it already; other formats and files get it on stderr
  if (args.format !== 'text' || !toStdout)
    for (const line of belowMinimum) process.stderr.write(`mockgen drift: ${line}.\n`);
  return belowMinimum.length > 0 ? 1 : exitCodeFor(findings, args.failOn);
}

/** Where the findings' schemas and operations are in the contract's text (SARIF regions). */
async function contractPositions(
  contract: Contract,
  findings: Finding[],
  operationPointers: Record<string, string>,
): Promise<Map<string, SourcePosition>> {
  const wanted = new Set<string>();
  for (const f of findings) for (const p of contractPointers(f, operationPointers)) wanted.add(p);
  if (wanted.size === 0) return new Map();
  try {
    return locatePointers(await fs.readFile(contract.file, 'utf8'), wanted);
  } catch {
    return new Map(); // the contract was read a moment ago; without its text, results sit on line 1
  }
}

/** The contract's schemas the findings break, as JSON previews (HTML report). */
async function contractSchemas(contract: Contract, findings: Finding[]): Promise<Map<string, string>> {
  const pointers = new Set<string>();
  for (const f of findings) if (f.schemaPointer !== undefined) pointers.add(f.schemaPointer);
  if (pointers.size === 0) return new Map();
  try {
    return schemaPreviews((await readDocument(contract.file)).value, pointers);
  } catch {
    return new Map(); // read a moment ago; without it the page shows the pointers only
  }
}

/** The repository root (the nearest folder up with `.git`), where code scanning resolves paths; else `dir`. */
function sourceRoot(dir: string): string {
  for (let at = path.resolve(dir); ;) {
    if (existsSync(path.join(at, '.git'))) return at;
    const parent = path.dirname(at);
    if (parent === at) return path.resolve(dir);
    at = parent;
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text === '') return resolve();
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function toolVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}
