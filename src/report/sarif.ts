import * as path from 'node:path';
import { fingerprint } from '../drift/baseline';
import { ALL_KINDS } from '../drift/kinds';
import type { Finding } from '../drift/types';
import { contractPosition } from './contract-location';
import { groupFindings, type ReportContext } from './context';

const MAX_ENTRIES_LISTED = 100;

const SRCROOT = '%SRCROOT%';

/**
 * SARIF 2.1.0: rules from the kinds catalogue; one result per group of identical findings (same
 * kind, operation, status and pointer), located in the contract — where GitHub code scanning can
 * show it: the line of the schema (or operation) the rule comes from, else line 1 — with the HAR
 * file as a related location and the entry-independent fingerprint as `partialFingerprints`.
 */
export function sarifReport(findings: Finding[], context: ReportContext): string {
  const ruleIndex = new Map(ALL_KINDS.map((k, i) => [k.kind as string, i]));
  const multipleFiles = context.recordingFiles.length > 1;
  const contract = artifactLocation(context.contractFile, context.sourceRoot);
  const results = groupFindings(findings).map((group) => {
    const f = group.first;
    const count = group.findings.length;
    const entries = group.findings
      .slice(0, MAX_ENTRIES_LISTED)
      .map((x) => (multipleFiles ? `${x.file}#${x.entry}` : x.entry));
    const position: { line: number; column?: number } = contractPosition(f, context) ?? { line: 1 };
    const result: Record<string, unknown> = {
      ruleId: f.kind,
      ruleIndex: ruleIndex.get(f.kind) ?? -1,
      level: f.severity === 'error' ? 'error' : 'warning',
      message: {
        text:
          count === 1
            ? `${f.message} (entry ${f.entry})`
            : `${f.message} (${count} entries, first ${f.entry})`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: contract,
            region: {
              startLine: position.line,
              ...(position.column !== undefined ? { startColumn: position.column } : {}),
            },
          },
          logicalLocations: [
            {
              name: f.operation,
              fullyQualifiedName: `${f.operation}${f.status !== undefined ? ` ${f.status}` : ''}${f.pointer}`,
              kind: 'member',
            },
          ],
        },
      ],
      relatedLocations: [
        {
          id: 0,
          physicalLocation: { artifactLocation: artifactLocation(f.file, context.sourceRoot) },
          message: {
            text: `recorded in ${f.file}, ${count === 1 ? 'entry' : 'entries'} ${entries.slice(0, 10).join(', ')}${count > 10 ? ', …' : ''}`,
          },
        },
      ],
      partialFingerprints: { 'mockgenDrift/v1': fingerprint(f) },
      properties: {
        operation: f.operation,
        pointer: f.pointer,
        count,
        entries,
        ...(f.status !== undefined ? { status: f.status } : {}),
        ...(f.rule !== undefined ? { rule: f.rule } : {}),
        ...(f.schemaPointer !== undefined ? { schemaPointer: f.schemaPointer } : {}),
      },
    };
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mockgen-drift',
            fullName: 'mockgen drift (OpenAPI contract vs recorded traffic)',
            ...(context.toolVersion
              ? { version: context.toolVersion, semanticVersion: context.toolVersion }
              : {}),
            rules: ALL_KINDS.map((k) => ({
              id: k.kind,
              name: k.kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: k.title },
              fullDescription: { text: k.description },
              defaultConfiguration: { level: k.severity },
            })),
          },
        },
        invocations: [{ executionSuccessful: true }],
        ...(context.sourceRoot !== undefined
          ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(context.sourceRoot) } } }
          : {}),
        columnKind: 'utf16CodeUnits',
        artifacts: [context.contractFile, ...context.recordingFiles].map((file) => ({
          location: artifactLocation(file, context.sourceRoot),
        })),
        results,
        properties: {
          entries: context.summary.entries,
          untestedOperations: context.summary.untestedOperations,
          ...(context.coverage
            ? {
                coverage: {
                  ...context.coverage.totals,
                  ...(context.coverage.thresholds ? { thresholds: context.coverage.thresholds } : {}),
                },
              }
            : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Where a file is, as code scanning wants it: relative to the source root (`%SRCROOT%`, the
 * repository root) when it lies inside; else a relative path as given, or an absolute `file:` URI.
 */
export function artifactLocation(file: string, sourceRoot?: string): { uri: string; uriBaseId?: string } {
  if (sourceRoot !== undefined) {
    const relative = path.relative(sourceRoot, path.resolve(sourceRoot, file));
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
      return { uri: toUri(relative), uriBaseId: SRCROOT };
    return { uri: toUri(path.resolve(sourceRoot, file)) };
  }
  const uri = toUri(file);
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: SRCROOT };
}

/** An absolute folder as a `file:` URI ending in `/`, as `originalUriBaseIds` requires. */
function directoryUri(dir: string): string {
  const uri = toUri(path.resolve(dir));
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** A file path as a SARIF `uri`: relative paths stay relative (forward slashes), absolute ones become file URIs. */
export function toUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const encoded = slashed
    .split('/')
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  if (path.isAbsolute(file) || /^[A-Za-z]:\//.test(slashed))
    return `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`;
  return encoded;
}
