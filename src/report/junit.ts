import { COVERAGE_DIMENSIONS, describeFailedThresholds } from '../drift/coverage';
import { ALL_KINDS } from '../drift/kinds';
import type { Finding } from '../drift/types';
import { entryList, failsRun, groupFindings, type ReportContext } from './context';

const CLASSNAME = 'mockgen.drift';

/**
 * JUnit XML (the Jenkins / GitLab `junit-10.xsd` shape): one testsuite; one testcase per operation
 * and finding kind (`GET /pets/{petId}: invalid-response-body`), which fails — one `<failure>`
 * listing every finding, repeats grouped — exactly when its findings fail the run under `--fail-on`;
 * a kind that does not (warnings by default) is a passing testcase with the details in
 * `<system-out>`. An operation without findings is one passing testcase, an untested one is skipped.
 * `failures` counts failing testcases, not findings.
 */
export function junitReport(findings: Finding[], context: ReportContext): string {
  const failOn = context.failOn ?? 'error';
  const multipleFiles = context.recordingFiles.length > 1;
  const kindOrder = new Map(ALL_KINDS.map((k, i) => [k.kind as string, i]));
  const byOperation = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    let kinds = byOperation.get(f.operation);
    if (!kinds) byOperation.set(f.operation, (kinds = new Map()));
    const list = kinds.get(f.kind);
    if (list) list.push(f);
    else kinds.set(f.kind, [f]);
  }
  const operations = context.summary.operations.map((r) => r.operation);
  const known = new Set(operations);
  for (const op of byOperation.keys()) if (!known.has(op)) operations.push(op);
  const untested = new Set(context.summary.untestedOperations);

  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const operation of operations) {
    const kinds = byOperation.get(operation);
    if (!kinds) {
      if (untested.has(operation)) {
        skipped++;
        cases.push(
          `    ${testcase(`${operation}: untested`)}>\n      <skipped message="no recorded entry exercised this operation"/>\n    </testcase>`,
        );
      } else {
        cases.push(`    ${testcase(`${operation}: conforms to the contract`)}/>`);
      }
      continue;
    }
    const ordered = [...kinds].sort(
      ([a], [b]) => (kindOrder.get(a) ?? Infinity) - (kindOrder.get(b) ?? Infinity) || (a < b ? -1 : 1),
    );
    for (const [kind, list] of ordered) {
      const failing = list.filter((f) => failsRun(f.severity, failOn));
      const details = text(describe(list, multipleFiles));
      const open = `    ${testcase(`${operation}: ${kind}`)}>`;
      if (failing.length === 0) {
        cases.push(`${open}\n      <system-out>${details}</system-out>\n    </testcase>`);
        continue;
      }
      failures++;
      const first = failing[0];
      const more = list.length > 1 ? ` (${list.length} findings)` : '';
      const message = attr(`[${first.severity}] ${first.message}${more}`);
      cases.push(
        `${open}\n      <failure type="${attr(kind)}" message="${message}">${details}</failure>\n    </testcase>`,
      );
    }
  }
  // `--min-coverage`: one testcase per dimension, failing below its minimum
  const coverage = context.coverage;
  for (const t of coverage?.thresholds ?? []) {
    const c = coverage!.totals[t.dimension];
    const name = `coverage: ${t.dimension} ≥ ${t.minimum}%`;
    if (t.passed) {
      cases.push(
        `    ${testcase(name)}>\n      <system-out>${text(`${c.covered} of ${c.total} (${c.percent ?? '-'}%)`)}</system-out>\n    </testcase>`,
      );
      continue;
    }
    failures++;
    const [line] = describeFailedThresholds({ ...coverage!, thresholds: [t] });
    cases.push(
      `    ${testcase(name)}>\n      <failure type="coverage" message="${attr(line)}">${text(line)}</failure>\n    </testcase>`,
    );
  }
  const tests = cases.length;
  const time = seconds(context.durationMs);
  const counts = `tests="${tests}" failures="${failures}" errors="0"`;
  const timestamp = context.startedAt !== undefined ? ` timestamp="${attr(context.startedAt)}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mockgen drift" ${counts} time="${time}">`,
    `  <testsuite name="mockgen drift" ${counts} skipped="${skipped}" time="${time}"${timestamp}>`,
    '    <properties>',
    `      <property name="contract" value="${attr(context.contractFile)}"/>`,
    ...context.recordingFiles.map((file) => `      <property name="recordings" value="${attr(file)}"/>`),
    `      <property name="entries" value="${context.summary.entries}"/>`,
    `      <property name="fail-on" value="${failOn}"/>`,
    ...(coverage
      ? COVERAGE_DIMENSIONS.map(
          (d) =>
            `      <property name="coverage.${d}" value="${coverage.totals[d].covered}/${coverage.totals[d].total}${coverage.totals[d].percent === null ? '' : ` (${coverage.totals[d].percent}%)`}"/>`,
        )
      : []),
    ...(context.summary.baselined > 0
      ? [`      <property name="baselined" value="${context.summary.baselined}"/>`]
      : []),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(name: string): string {
  return `<testcase classname="${CLASSNAME}" name="${attr(name)}" time="0"`;
}

/** One block per group of identical findings (kind + status + pointer), errors first, with its entries. */
function describe(findings: Finding[], multipleFiles: boolean): string {
  return groupFindings(findings)
    .map((group) => {
      const f = group.first;
      const count = group.findings.length;
      const entries = entryList(group.findings, multipleFiles);
      return [
        `${f.severity}: ${f.message}`,
        `  ${count === 1 ? 'entry' : `${count} entries`}: ${entries}${multipleFiles ? '' : ` (${f.file})`}`,
        `  pointer: ${f.pointer || '(whole)'}`,
        f.schemaPointer ? `  schema: ${f.schemaPointer}` : '',
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n\n');
}

/** Seconds with millisecond precision, in the `SUREFIRE_TIME` shape (`1.234`). */
function seconds(ms: number | undefined): string {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF). */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function text(value: string): string {
  return value
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

export function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
