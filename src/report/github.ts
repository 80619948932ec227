import { describeFailedThresholds } from '../drift/coverage';
import type { Finding } from '../drift/types';
import { entryList, groupFindings, type ReportContext } from './context';

/**
 * GitHub Actions workflow commands: one `::error` / `::warning` annotation per group of identical
 * findings (a drift repeated in 10,000 entries is one annotation that says so); with coverage, one
 * `::notice` with the totals and an `::error` per dimension below `--min-coverage`.
 */
export function githubReport(findings: Finding[], context: ReportContext): string {
  const multipleFiles = context.recordingFiles.length > 1;
  const lines = groupFindings(findings).map((group) => {
    const f = group.first;
    const count = group.findings.length;
    const title = `${f.kind}: ${f.operation}${f.status !== undefined ? ` → ${f.status}` : ''}`;
    const where =
      count === 1
        ? ` (entry ${entryList(group.findings, multipleFiles)})`
        : ` (${count} entries: ${entryList(group.findings, multipleFiles)})`;
    return `::${f.severity} file=${property(f.file)},title=${property(title)}::${data(f.message + where)}`;
  });
  const coverage = context.coverage;
  if (coverage) {
    const t = coverage.totals;
    const show = (c: typeof t.operations) =>
      `${c.covered}/${c.total}${c.percent === null ? '' : ` (${c.percent}%)`}`;
    const file = `file=${property(context.contractFile)}`;
    lines.push(
      `::notice ${file},title=${property('mockgen drift coverage')}::${data(`operations ${show(t.operations)}, parameters ${show(t.parameters)}, response codes ${show(t.responses)}, body properties ${show(t.properties)}`)}`,
    );
    for (const line of describeFailedThresholds(coverage))
      lines.push(
        `::error ${file},title=${property('mockgen drift coverage below the minimum')}::${data(line)}`,
      );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Message escaping of workflow commands. */
export function data(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property escaping: also `:` and `,`, which delimit properties. */
export function property(value: string): string {
  return data(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
