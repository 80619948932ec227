import * as fs from 'node:fs/promises';
import { MockgenError } from '../errors';
import { writeFileAtomic } from '../write-file';
import type { Finding } from './types';

/**
 * A baseline is the set of findings a team has accepted. Its fingerprints do not depend on the entry
 * index, so re-recording traffic keeps them stable: kind + operation + pointer (+ response status).
 */
export interface Baseline {
  version: 1;
  generator: 'mockgen';
  fingerprints: BaselineEntry[];
}

export interface BaselineEntry {
  fingerprint: string;
  kind: string;
  operation: string;
  pointer: string;
  status?: number;
  /** how many findings had it when the baseline was written */
  count: number;
  /** message of the first one, for a person reading the file */
  message: string;
}

export function fingerprint(finding: Pick<Finding, 'kind' | 'operation' | 'pointer' | 'status'>): string {
  return [finding.kind, finding.operation, finding.status ?? '', finding.pointer].join(' ');
}

export function buildBaseline(findings: Finding[]): Baseline {
  const byPrint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const print = fingerprint(f);
    const existing = byPrint.get(print);
    if (existing) existing.count++;
    else {
      const entry: BaselineEntry = {
        fingerprint: print,
        kind: f.kind,
        operation: f.operation,
        pointer: f.pointer,
        count: 1,
        message: f.message,
      };
      if (f.status !== undefined) entry.status = f.status;
      byPrint.set(print, entry);
    }
  }
  const fingerprints = [...byPrint.values()].sort((a, b) =>
    a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
  );
  return { version: 1, generator: 'mockgen', fingerprints };
}

/** Findings the baseline does not accept, and how many it accepted. */
export function applyBaseline(
  findings: Finding[],
  accepted: Set<string>,
): { findings: Finding[]; baselined: number } {
  const kept = findings.filter((f) => !accepted.has(fingerprint(f)));
  return { findings: kept, baselined: findings.length - kept.length };
}

/**
 * Reads a baseline written by `--write-baseline`; also accepts the `--format json` report (its
 * findings become the accepted set) and a bare array of fingerprints or findings.
 */
export async function readBaseline(file: string): Promise<Set<string>> {
  return new Set((await readBaselineEntries(file)).map((e) => e.fingerprint));
}

/** A baseline's entries as written (a bare fingerprint has only that). */
export type BaselineItem = Pick<BaselineEntry, 'fingerprint'> & Partial<Omit<BaselineEntry, 'fingerprint'>>;

/** The baseline's entries: what `readBaseline` accepts, with what each entry says about itself. */
export async function readBaselineEntries(file: string): Promise<BaselineItem[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new MockgenError(
      `Cannot read baseline ${file}: ${(err as Error).message}. Create one with --write-baseline ${file}.`,
      { file },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MockgenError(`Baseline ${file} is not valid JSON: ${(err as Error).message}.`, { file });
  }
  return parseBaselineEntries(data, file);
}

export function parseBaseline(data: unknown, file: string): Set<string> {
  return new Set(parseBaselineEntries(data, file).map((e) => e.fingerprint));
}

export function parseBaselineEntries(data: unknown, file: string): BaselineItem[] {
  const list = Array.isArray(data)
    ? data
    : data !== null && typeof data === 'object'
      ? ((data as { fingerprints?: unknown }).fingerprints ?? (data as { findings?: unknown }).findings)
      : undefined;
  if (!Array.isArray(list)) {
    throw new MockgenError(
      `Baseline ${file} has neither a "fingerprints" nor a "findings" array; write one with --write-baseline.`,
      { file },
    );
  }
  const items = new Map<string, BaselineItem>();
  const add = (item: BaselineItem): void => {
    const known = items.get(item.fingerprint);
    if (known) known.count = (known.count ?? 1) + (item.count ?? 1);
    else items.set(item.fingerprint, item);
  };
  list.forEach((item: unknown, i) => {
    if (typeof item === 'string') add({ fingerprint: item });
    else if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as { fingerprint?: unknown }).fingerprint === 'string'
    ) {
      const e = item as Record<string, unknown>;
      add({
        fingerprint: e.fingerprint as string,
        ...(typeof e.kind === 'string' ? { kind: e.kind } : {}),
        ...(typeof e.operation === 'string' ? { operation: e.operation } : {}),
        ...(typeof e.pointer === 'string' ? { pointer: e.pointer } : {}),
        ...(typeof e.status === 'number' ? { status: e.status } : {}),
        ...(typeof e.count === 'number' ? { count: e.count } : {}),
        ...(typeof e.message === 'string' ? { message: e.message } : {}),
      });
    } else if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as Finding).kind === 'string' &&
      typeof (item as Finding).operation === 'string'
    ) {
      const f = item as Finding;
      const pointer = typeof f.pointer === 'string' ? f.pointer : '';
      const status = typeof f.status === 'number' ? f.status : undefined;
      add({
        fingerprint: fingerprint({ kind: f.kind, operation: f.operation, pointer, status }),
        kind: f.kind,
        operation: f.operation,
        pointer,
        ...(status !== undefined ? { status } : {}),
        count: 1,
        ...(typeof f.message === 'string' ? { message: f.message } : {}),
      });
    } else {
      throw new MockgenError(`Baseline ${file}: item ${i} is not a fingerprint or a finding.`, {
        file,
        pointer: `/fingerprints/${i}`,
      });
    }
  });
  return [...items.values()];
}

/** The current findings against a baseline: new (not accepted), still present (accepted, seen again), fixed (accepted, gone). */
export interface BaselineDiff {
  file?: string;
  new: BaselineItem[];
  stillPresent: BaselineItem[];
  fixed: BaselineItem[];
}

/** `findings`: all of this run's, before the baseline removed the accepted ones. */
export function diffBaseline(
  findings: Finding[],
  accepted: readonly BaselineItem[],
  file?: string,
): BaselineDiff {
  const acceptedPrints = new Set(accepted.map((e) => e.fingerprint));
  const current = buildBaseline(findings).fingerprints;
  const currentPrints = new Set(current.map((e) => e.fingerprint));
  return {
    ...(file !== undefined ? { file } : {}),
    new: current.filter((e) => !acceptedPrints.has(e.fingerprint)),
    stillPresent: current.filter((e) => acceptedPrints.has(e.fingerprint)),
    fixed: accepted
      .filter((e) => !currentPrints.has(e.fingerprint))
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)),
  };
}

export async function writeBaseline(file: string, findings: Finding[]): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(buildBaseline(findings), null, 2)}\n`);
  } catch (err) {
    throw new MockgenError(`Cannot write baseline ${file}: ${(err as Error).message}.`, { file });
  }
}
