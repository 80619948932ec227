import type { DriftSummary, Finding } from '../drift/types';

/** What a reporter knows besides the findings. */
export interface ReportContext {
  /** contract file as given */
  contractFile: string;
  /** HAR files as given */
  recordingFiles: string[];
  summary: DriftSummary;
  /** ANSI colours (text format only): the CLI sets it for a TTY without NO_COLOR. */
  color?: boolean;
  /** mockgen version, for SARIF/JUnit metadata */
  toolVersion?: string;
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
