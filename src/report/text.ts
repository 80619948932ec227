import { describeFailedThresholds, type Coverage, type CoverageCount } from '../drift/coverage';
import type { Finding } from '../drift/types';
import { entryList, groupFindings, type ReportContext } from './context';

const MAX_GROUPS_SHOWN = 200;
const MAX_UNDOCUMENTED_ROWS = 20;
const MAX_FIXED_SHOWN = 10;

type Paint = (code: string, text: string) => string;

/**
 * The default, for people: findings grouped (same kind, operation, status and pointer across
 * entries) with a count and the first entries, then a table per operation and the untested ones.
 */
export function textReport(findings: Finding[], context: ReportContext): string {
  const paint: Paint = context.color
    ? (code, text) => `\u001b[${code}m${text}\u001b[0m`
    : (_code, text) => text;
  const multipleFiles = context.recordingFiles.length > 1;
  const { summary } = context;
  const lines: string[] = [];
  lines.push(
    paint(
      '1',
      `mockgen drift: ${context.recordingFiles.join(', ')} against ${context.contractFile} — ${summary.entries} ${plural(summary.entries, 'entry', 'entries')} checked`,
    ),
  );
  lines.push('');

  const groups = groupFindings(findings);
  for (const group of groups.slice(0, MAX_GROUPS_SHOWN)) {
    const f = group.first;
    const label = f.severity === 'error' ? paint('31;1', 'error  ') : paint('33;1', 'warning');
    const count = group.findings.length;
    const where =
      count === 1
        ? `entry ${entryList(group.findings, multipleFiles)}`
        : `×${count} (entries ${entryList(group.findings, multipleFiles)})`;
    lines.push(`${label} ${paint('2', f.kind)}  ${where}`);
    lines.push(`        ${printable(f.message)}`);
  }
  if (groups.length > MAX_GROUPS_SHOWN) {
    lines.push(
      `… and ${groups.length - MAX_GROUPS_SHOWN} more groups of findings (use --format json for all of them)`,
    );
  }
  if (groups.length > 0) lines.push('');

  lines.push(...table(summary.operations, paint, context.coverage));
  lines.push('');
  if (summary.untestedOperations.length > 0) {
    lines.push(`Untested operations (${summary.untestedOperations.length}, no recording exercised them):`);
    for (const op of summary.untestedOperations) lines.push(`  ${printable(op)}`);
    lines.push('');
  }
  if (context.coverage) lines.push(...coverageLines(context.coverage, paint), '');
  if (context.baseline) {
    const b = context.baseline;
    lines.push(
      `Baseline${b.file ? ` ${b.file}` : ''}: ${b.new.length} new, ${b.stillPresent.length} still present, ${b.fixed.length} fixed (kinds of finding, by fingerprint)`,
    );
    for (const e of b.fixed.slice(0, MAX_FIXED_SHOWN))
      lines.push(`  fixed: ${printable(e.message ?? e.fingerprint)}`);
    if (b.fixed.length > MAX_FIXED_SHOWN)
      lines.push(`  … and ${b.fixed.length - MAX_FIXED_SHOWN} more fixed`);
    lines.push('');
  }
  const verdict =
    summary.errors + summary.warnings === 0
      ? paint('32;1', 'No drift found.')
      : `${paint(summary.errors > 0 ? '31;1' : '33;1', `${summary.errors} ${plural(summary.errors, 'error', 'errors')}, ${summary.warnings} ${plural(summary.warnings, 'warning', 'warnings')}`)} in ${groups.length} ${plural(groups.length, 'group', 'groups')}.`;
  const extras = [
    summary.skipped > 0
      ? `${summary.skipped} CORS preflight ${plural(summary.skipped, 'entry', 'entries')} skipped`
      : '',
    summary.otherHosts.length > 0
      ? `${summary.otherHosts.reduce((n, h) => n + h.entries, 0)} ${plural(
          summary.otherHosts.reduce((n, h) => n + h.entries, 0),
          'entry',
          'entries',
        )} to other hosts than the API's set aside (${summary.otherHosts.map((h) => h.host).join(', ')})`
      : '',
    summary.baselined > 0
      ? `${summary.baselined} ${plural(summary.baselined, 'finding', 'findings')} accepted by the baseline`
      : '',
  ].filter(Boolean);
  lines.push(verdict + (extras.length > 0 ? ` (${extras.join('; ')})` : ''));
  return `${lines.join('\n')}\n`;
}

/** `Coverage: operations 2/5 (40%), ...` and one line per failed `--min-coverage`. */
function coverageLines(coverage: Coverage, paint: Paint): string[] {
  const t = coverage.totals;
  const out = [
    `Coverage: operations ${fraction(t.operations)}, parameters ${fraction(t.parameters)}, response codes ${fraction(t.responses)}, body properties ${fraction(t.properties)}`,
  ];
  for (const line of describeFailedThresholds(coverage))
    out.push(paint('31;1', `Below the minimum: ${line}`));
  return out;
}

function fraction(c: CoverageCount): string {
  return `${c.covered}/${c.total}${c.percent === null ? '' : ` (${c.percent}%)`}`;
}

function table(
  rows: ReportContext['summary']['operations'],
  paint: Paint,
  coverage: Coverage | undefined,
): string[] {
  // Undocumented request lines (operationId '') can be many (ids in paths): show the busiest few.
  const documented = rows.filter((r) => r.operationId !== '');
  const undocumented = rows.filter((r) => r.operationId === '').sort((a, b) => b.entries - a.entries);
  if (undocumented.length > MAX_UNDOCUMENTED_ROWS) {
    const rest = undocumented.splice(MAX_UNDOCUMENTED_ROWS);
    const sum = (key: 'entries' | 'errors' | 'warnings') => rest.reduce((n, r) => n + r[key], 0);
    undocumented.push({
      operation: `(${rest.length} more undocumented request lines)`,
      operationId: '',
      entries: sum('entries'),
      errors: sum('errors'),
      warnings: sum('warnings'),
    });
  }
  rows = [...documented, ...undocumented];
  const header = ['Operation', 'Entries', 'Errors', 'Warnings'];
  const byOperation = new Map(coverage?.operations.map((o) => [o.operation, o]));
  if (coverage) header.push('Parameters', 'Responses', 'Properties');
  const body = rows.map((r) => {
    const cells = [printable(r.operation), String(r.entries), String(r.errors), String(r.warnings)];
    if (coverage) {
      const o = r.operationId !== '' ? byOperation.get(r.operation) : undefined;
      const cell = (c: CoverageCount | undefined) => (c && c.total > 0 ? `${c.covered}/${c.total}` : '-');
      cells.push(cell(o?.parametersCoverage), cell(o?.responsesCoverage), cell(o?.propertiesCoverage));
    }
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const format = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [paint('1', format(header))];
  for (let i = 0; i < body.length; i++) {
    const line = format(body[i]);
    out.push(
      rows[i].errors > 0
        ? paint('31', line)
        : rows[i].warnings > 0
          ? paint('33', line)
          : rows[i].entries === 0
            ? paint('2', line)
            : line,
    );
  }
  return out;
}

/**
 * Recorded data goes to a terminal: control characters (an ESC starts an ANSI sequence, CR rewrites
 * the line) are shown as escapes instead of acting.
 */
export function printable(value: string): string {
  return value.replace(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
