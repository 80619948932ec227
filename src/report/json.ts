import type { Finding } from '../drift/types';
import type { ReportContext } from './context';

/**
 * `{"findings":[...], "summary":{...}, "coverage":{...}, "baseline":{...}}`: every finding (one per
 * entry), errors and warnings only; operations no recording exercised are in
 * `summary.untestedOperations`; `coverage` (what the traffic exercised, `--min-coverage` results in
 * `coverage.thresholds`) unless `--no-coverage`; `baseline` (new / still present / fixed) with `--baseline`.
 */
export function jsonReport(findings: Finding[], context: ReportContext): string {
  const report = {
    findings: findings.map((f) => {
      const out: Record<string, unknown> = {
        entry: f.entry,
        kind: f.kind,
        severity: f.severity,
        operation: f.operation,
        pointer: f.pointer,
        message: f.message,
        file: f.file,
      };
      if (f.status !== undefined) out.status = f.status;
      if (f.schemaPointer !== undefined) out.schemaPointer = f.schemaPointer;
      if (f.rule !== undefined) out.rule = f.rule;
      if (f.value !== undefined) out.value = f.value;
      return out;
    }),
    summary: {
      contract: context.contractFile,
      recordings: context.recordingFiles,
      ...context.summary,
    },
    ...(context.coverage ? { coverage: context.coverage } : {}),
    ...(context.baseline ? { baseline: context.baseline } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
