import { createHash } from 'node:crypto';
import { getAt, refToPointer } from '../../templates/runtime/core/pointer';
import { kindInfo } from '../drift/kinds';
import type { Finding } from '../drift/types';
import { failsRun, groupFindings, type ReportContext } from './context';
import { PAGE_SCRIPT, PAGE_STYLE } from './html-page';

/** Groups past this are left out of the page (the JSON report has them all); the page says so. */
const MAX_GROUPS = 2000;
/** Entries listed per group. */
const MAX_ENTRIES = 20;
/** Properties listed per operation in the coverage details. */
const MAX_PROPERTIES = 500;

/** What the page renders: plain data, embedded as JSON. */
export interface HtmlReportData {
  contract: string;
  recordings: string[];
  generatedAt?: string;
  toolVersion?: string;
  failOn: string;
  /** the run fails (exit 1): drift at or above `--fail-on`, or coverage below `--min-coverage` */
  fails: boolean;
  totals: {
    entries: number;
    matched: number;
    skipped: number;
    otherHosts: number;
    errors: number;
    warnings: number;
    baselined: number;
    groups: number;
  };
  groups: {
    severity: string;
    kind: string;
    title: string;
    operation: string;
    status?: number;
    pointer: string;
    rule?: string;
    schemaPointer?: string;
    message: string;
    count: number;
    entries: string[];
    /** the first finding's recorded value (a JSON preview), when the check names one */
    value?: string;
    /** the contract's schema at `schemaPointer` (a JSON preview), when the CLI could read it */
    schema?: string;
  }[];
  /** groups left out of the page (`MAX_GROUPS`) */
  groupsOmitted: number;
  operations: ReportContext['summary']['operations'];
  untested: string[];
  coverage?: ReportContext['coverage'];
  baseline?: ReportContext['baseline'];
}

/**
 * One self-contained HTML page: findings grouped by operation and kind (value, schema, entries),
 * filters by severity, kind and operation, coverage per operation as a table and a chart, the
 * baseline diff. No network: CSS and JS are inline, allowed by hash in a Content-Security-Policy
 * that allows nothing else. Recorded and contract data only travel as JSON in a
 * `<script type="application/json">` (every `<` escaped) and are rendered with `textContent`.
 */
export function htmlReport(findings: Finding[], context: ReportContext): string {
  const data = htmlReportData(findings, context);
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(PAGE_SCRIPT)}'`,
    `style-src '${sha256(PAGE_STYLE)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mockgen drift">
<link rel="icon" href="data:,">
<title>mockgen drift report</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<noscript><p>This report renders its data with JavaScript; the same data is in <code>mockgen drift --format json</code>.</p></noscript>
<main id="app"></main>
<svg id="svg-namespace" hidden></svg>
<script type="application/json" id="mockgen-data">${jsonForScript(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

export function htmlReportData(findings: Finding[], context: ReportContext): HtmlReportData {
  const failOn = context.failOn ?? 'error';
  const multipleFiles = context.recordingFiles.length > 1;
  const groups = groupFindings(findings);
  const { summary } = context;
  const belowMinimum = (context.coverage?.thresholds ?? []).some((t) => !t.passed);
  return {
    contract: context.contractFile,
    recordings: context.recordingFiles,
    ...(context.startedAt !== undefined ? { generatedAt: context.startedAt } : {}),
    ...(context.toolVersion !== undefined ? { toolVersion: context.toolVersion } : {}),
    failOn,
    fails: belowMinimum || findings.some((f) => failsRun(f.severity, failOn)),
    totals: {
      entries: summary.entries,
      matched: summary.matched,
      skipped: summary.skipped,
      otherHosts: summary.otherHosts.reduce((n, h) => n + h.entries, 0),
      errors: summary.errors,
      warnings: summary.warnings,
      baselined: summary.baselined,
      groups: groups.length,
    },
    groups: groups.slice(0, MAX_GROUPS).map(({ first, findings: list }) => {
      const group: HtmlReportData['groups'][number] = {
        severity: first.severity,
        kind: first.kind,
        title: kindInfo(first.kind)?.title ?? first.kind,
        operation: first.operation,
        pointer: first.pointer,
        message: first.message,
        count: list.length,
        entries: list
          .slice(0, MAX_ENTRIES)
          .map((f) => (multipleFiles ? `${f.file}#${f.entry}` : String(f.entry))),
      };
      if (first.status !== undefined) group.status = first.status;
      if (first.rule !== undefined) group.rule = first.rule;
      if (first.schemaPointer !== undefined) {
        group.schemaPointer = first.schemaPointer;
        const schema = context.schemaPreviews?.get(first.schemaPointer);
        if (schema !== undefined) group.schema = schema;
      }
      if (first.value !== undefined) group.value = first.value;
      return group;
    }),
    groupsOmitted: Math.max(0, groups.length - MAX_GROUPS),
    operations: summary.operations,
    untested: summary.untestedOperations,
    ...(context.coverage
      ? {
          coverage: {
            ...context.coverage,
            operations: context.coverage.operations.map((o) =>
              o.properties.length > MAX_PROPERTIES
                ? { ...o, properties: o.properties.slice(0, MAX_PROPERTIES), propertiesTruncated: true }
                : o,
            ),
          },
        }
      : {}),
    ...(context.baseline ? { baseline: context.baseline } : {}),
  };
}

/**
 * JSON that cannot end its `<script>` element or open a comment: `<`, `>` and `&` as `\u003c`...,
 * and U+2028/U+2029 escaped too (JSON.parse reads them all back).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const MAX_SCHEMA_PREVIEW = 2000;

/**
 * The contract's schema at each pointer (`#/components/schemas/Owner/properties/email/format`), as
 * indented JSON for the page: a keyword's value shows the schema holding it; a `$ref` on the way is
 * followed; what is not in the document (another file's schema) is left out.
 */
export function schemaPreviews(document: unknown, pointers: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const readable of pointers) {
    const pointer = refToPointer(readable);
    if (pointer === undefined || out.has(readable)) continue;
    let at = pointer;
    let node = getAt(document, at);
    if (node !== undefined && (node === null || typeof node !== 'object') && at !== '') {
      at = at.slice(0, at.lastIndexOf('/'));
      node = getAt(document, at);
    }
    if (node === undefined) continue;
    const text = JSON.stringify(node, null, 2);
    out.set(readable, text.length > MAX_SCHEMA_PREVIEW ? `${text.slice(0, MAX_SCHEMA_PREVIEW)}\n…` : text);
  }
  return out;
}
