import { existsSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyBaseline, readBaseline, writeBaseline } from '../../drift/baseline';
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
import { writeFileAtomic } from '../../write-file';

export const usage = `mockgen drift — check recorded traffic against the contract

Usage:
  mockgen drift --spec FILE --recordings FILE.har [--recordings MORE.har ...] [options]

Options:
  --spec FILE              OpenAPI 2.0 / 3.0 / 3.1 contract (YAML or JSON)
  --recordings FILE.har    HAR file(s) to check; repeat the flag or list several files after it
  --format FORMAT          text (default) | json | junit | github | sarif
  --output FILE            write the report to FILE instead of stdout (folders created, written atomically)
  --fail-on LEVEL          error (default) | warning | never: findings at or above LEVEL exit 1
                           (and, in JUnit, are failing testcases)
  --baseline FILE          accepted findings (from --write-baseline); only new ones count
  --write-baseline FILE    write the current findings as the accepted baseline to FILE and exit 0
  --no-extra-properties    do not warn about undocumented properties where the schema allows them
  --verbose                stack traces for internal errors

Exit codes: 0 no drift (or --write-baseline written), 1 drift at or above --fail-on, 2 bad input or tool failure.
Operations no recording exercised are listed (summary.untestedOperations in JSON) but never fail the run.
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
  return {
    spec,
    recordings,
    format,
    output: values.output,
    failOn,
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
    extraProperties: !values['no-extra-properties'],
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
  const accepted = args.baseline ? await readBaseline(args.baseline) : undefined;
  const result = await checkDrift({
    spec: args.spec,
    recordings: args.recordings,
    extraProperties: args.extraProperties,
  });
  if (args.writeBaseline) await writeBaseline(args.writeBaseline, result.findings);
  const { findings, baselined } = accepted
    ? applyBaseline(result.findings, accepted)
    : { findings: result.findings, baselined: 0 };
  const counted = recount(result, findings, baselined);

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
  return exitCodeFor(findings, args.failOn);
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
