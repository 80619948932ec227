/**
 * mockgen's programmatic API: what the CLI does, as functions.
 *
 *   import { generate, drift, formatReport } from '@mockgen-dev/mockgen';
 *   await generate({ spec: 'api.yaml', recordings: ['traffic.har'], out: 'mock-server' });
 *   const result = await drift({ spec: 'api.yaml', recordings: ['traffic.har'] });
 *   if (result.findings.some((f) => f.severity === 'error')) process.exitCode = 1;
 *
 * Paths are resolved against `cwd` (default: process.cwd()). User errors (a bad contract, a malformed
 * HAR, an output folder that is not mockgen's) throw a `MockgenError` whose message names the file,
 * the place and the reason.
 */
import * as path from 'node:path';
import { toProjectConfig } from './config';
import { checkDrift, type CheckDriftInput } from './drift/check-drift';
import type { DriftResult, Finding } from './drift/types';
import { compareOutput, writeOutput, type StaleReport, type WriteResult } from './emit/write-output';
import { planProject, type GenerateSummary } from './generate';
import { REPORTERS, type ReportFormat } from './report';

export { MockgenError, isMockgenError } from './errors';
export type { DriftResult, Finding, GenerateSummary, ReportFormat, StaleReport, WriteResult };

export interface GenerateOptions {
  /** the OpenAPI 2.0 / 3.0 / 3.1 contract, YAML or JSON */
  spec: string;
  /** HAR 1.2 files of recorded traffic */
  recordings?: string[];
  /** the project folder to write (missing, empty, or a previous mockgen output) */
  out: string;
  /** seed of generated data (default 1) */
  seed?: number;
  /** template tokens, timestamps and echoes (default true) */
  dynamic?: boolean;
  /** extra header / query / field names to redact from recordings */
  redact?: string[];
  sequencePolicy?: 'repeat-last' | 'loop' | 'fallback';
  /** write into a non-empty folder that is not mockgen's output */
  force?: boolean;
  /** compare instead of writing (`generate --check`) */
  check?: boolean;
  cwd?: string;
}

export interface GenerateResult {
  out: string;
  summary: GenerateSummary;
  /** the emitted files, relative to `out` */
  files: string[];
  /** set when `check` was given: what differs (all empty when up to date) */
  stale?: StaleReport;
  written?: WriteResult;
}

/** `mockgen generate`: contract + recordings → a mock-server project in `out`. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const project = toProjectConfig(
    {
      spec: options.spec,
      out: options.out,
      recordings: options.recordings ?? [],
      seed: options.seed,
      dynamic: options.dynamic ?? true,
      redact: options.redact ?? [],
      sequencePolicy: options.sequencePolicy,
    },
    cwd,
    'generate()',
  );
  const { files, summary } = await planProject(project);
  const result: GenerateResult = { out: project.out, summary, files: [...files.keys()].sort() };
  if (options.check) result.stale = compareOutput(project.out, files);
  else result.written = writeOutput(project.out, files, { force: options.force === true });
  return result;
}

export interface DriftOptions {
  spec: string;
  recordings: string[];
  /** warn about undocumented properties where the schema allows them (default true) */
  extraProperties?: boolean;
  cwd?: string;
}

/** `mockgen drift` without the report: the findings and the summary. */
export async function drift(options: DriftOptions): Promise<DriftResult> {
  const cwd = options.cwd ?? process.cwd();
  const input: CheckDriftInput = {
    spec: path.resolve(cwd, options.spec),
    recordings: options.recordings.map((file) => path.resolve(cwd, file)),
    extraProperties: options.extraProperties ?? true,
  };
  const { findings, summary } = await checkDrift(input);
  return { findings, summary };
}

/** Renders a drift result in one of the CLI's report formats (text, json, junit, github, sarif). */
export function formatReport(
  result: DriftResult,
  format: ReportFormat,
  files: { spec: string; recordings: string[] },
): string {
  return REPORTERS[format](result.findings, {
    contractFile: files.spec,
    recordingFiles: files.recordings,
    summary: result.summary,
    color: false,
  });
}
