import type { SourcePosition } from '../contract/locate-pointers';
import type { BaselineDiff } from '../drift/baseline';
import type { Coverage } from '../drift/coverage';
import type { Severity } from '../drift/kinds';
import type { DriftSummary, Finding } from '../drift/types';

export type { SourcePosition } from '../contract/locate-pointers';

/** `--fail-on`: the least severe finding that fails the run. */
export type FailOn = 'error' | 'warning' | 'never';

/** Whether a finding of this severity fails the run (exit 1, a failing JUnit testcase). */
export function failsRun(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return severity === 'error' || failOn === 'warning';
}

/** What a reporter knows besides the findings. */
export interface ReportContext {
  /** contract file as given */
  contractFile: string;
  /** HAR files as given */
  recordingFiles: string[];
  summary: DriftSummary;
  /** what the traffic exercised, with the `--min-coverage` results (absent with `--no-coverage`) */
  coverage?: Coverage;
  /** with `--baseline`: this run's findings against it (new, still present, fixed) */
  baseline?: BaselineDiff;
  /** ANSI colours (text format only): the CLI sets it for a TTY without NO_COLOR. */
  color?: boolean;
  /** mockgen version, for SARIF/JUnit metadata */
  toolVersion?: string;
  /** `--fail-on` (default `error`): JUnit marks as failing exactly the testcases that fail the run. */
  failOn?: FailOn;
  /** JSON pointer of each documented operation by label: `GET /pets` → `/paths/~1pets/get`. */
  operationPointers?: Readonly<Record<string, string>>;
  /** Where pointers of the contract are in its text (`contract/locate-pointers.ts`); SARIF regions read it. */
  contractPositions?: ReadonlyMap<string, SourcePosition>;
  /** JSON previews of the contract at schema pointers (`#/components/schemas/Owner`), for the HTML report. */
  schemaPreviews?: ReadonlyMap<string, string>;
  /** Folder SARIF URIs are relative to (`%SRCROOT%`, the repository root); else paths stay as given. */
  sourceRoot?: string;
  /** When the run started (ISO 8601) and how long it took, for JUnit `timestamp` / `time`. */
  startedAt?: string;
  durationMs?: number;
}

export type Reporter = (findings: Finding[], context: ReportContext) => string;

/** Findings that are the same problem in different entries: kind + operation + status + pointer. */
export interface FindingGroup {
  key: string;
  first: Finding;
  findings: Finding[];
}

export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = [f.severity, f.kind, f.operation, f.status ?? '', f.pointer, f.rule ?? ''].join('\u0000');
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else groups.set(key, { key, first: f, findings: [f] });
  }
  return [...groups.values()].sort(
    (a, b) =>
      severityRank(a.first.severity) - severityRank(b.first.severity) ||
      compare(a.first.operation, b.first.operation) ||
      compare(a.first.kind, b.first.kind) ||
      compare(a.first.pointer, b.first.pointer),
  );
}

function severityRank(severity: string): number {
  return severity === 'error' ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `3, 7, 9 and 12 more` — the first few entries of a group, with the file when there are several. */
export function entryList(findings: Finding[], multipleFiles: boolean, shown = 5): string {
  const labels = findings
    .slice(0, shown)
    .map((f) => (multipleFiles ? `${f.file}#${f.entry}` : String(f.entry)));
  const more = findings.length - labels.length;
  return labels.join(', ') + (more > 0 ? ` and ${more} more` : '');
}
