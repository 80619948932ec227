import type { Finding } from '../drift/types';
import type { ReportContext } from './context';

/**
 * JUnit XML: one testsuite, one testcase per operation (recorded or documented), a failure per
 * finding; operations without recordings are skipped testcases.
 */
export function junitReport(findings: Finding[], context: ReportContext): string {
  const byOperation = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byOperation.get(f.operation);
    if (list) list.push(f);
    else byOperation.set(f.operation, [f]);
  }
  const operations = context.summary.operations.map((r) => r.operation);
  for (const op of byOperation.keys()) if (!operations.includes(op)) operations.push(op);
  const untested = new Set(context.summary.untestedOperations);

  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const operation of operations) {
    const list = byOperation.get(operation) ?? [];
    const name = attr(operation);
    if (list.length === 0 && untested.has(operation)) {
      skipped++;
      cases.push(
        `    <testcase classname="mockgen.drift" name="${name}">\n      <skipped message="no recorded entry exercised this operation"/>\n    </testcase>`,
      );
      continue;
    }
    if (list.length === 0) {
      cases.push(`    <testcase classname="mockgen.drift" name="${name}"/>`);
      continue;
    }
    failures += list.length;
    const body = list
      .map((f) => {
        const detail = [
          `${f.severity}: ${f.message}`,
          `kind: ${f.kind}`,
          `entry: ${f.file}#${f.entry}`,
          `pointer: ${f.pointer || '(whole)'}`,
          f.schemaPointer ? `schema: ${f.schemaPointer}` : '',
        ]
          .filter(Boolean)
          .join('\n');
        return `      <failure type="${attr(f.kind)}" message="${attr(`[${f.severity}] ${f.message}`)}">${text(detail)}</failure>`;
      })
      .join('\n');
    cases.push(`    <testcase classname="mockgen.drift" name="${name}">\n${body}\n    </testcase>`);
  }
  const tests = operations.length;
  const suiteAttrs = `name="mockgen drift" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${suiteAttrs}>`,
    `  <testsuite ${suiteAttrs} hostname="mockgen">`,
    '    <properties>',
    `      <property name="contract" value="${attr(context.contractFile)}"/>`,
    ...context.recordingFiles.map((file) => `      <property name="recordings" value="${attr(file)}"/>`),
    `      <property name="entries" value="${context.summary.entries}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF). */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function text(value: string): string {
  return value
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
