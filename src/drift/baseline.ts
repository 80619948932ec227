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
  return parseBaseline(data, file);
}

export function parseBaseline(data: unknown, file: string): Set<string> {
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
  const prints = new Set<string>();
  list.forEach((item: unknown, i) => {
    if (typeof item === 'string') prints.add(item);
    else if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as { fingerprint?: unknown }).fingerprint === 'string'
    ) {
      prints.add((item as { fingerprint: string }).fingerprint);
    } else if (
      item !== null &&
      typeof item === 'object' &&
      typeof (item as Finding).kind === 'string' &&
      typeof (item as Finding).operation === 'string'
    ) {
      const f = item as Finding;
      prints.add(
        fingerprint({ kind: f.kind, operation: f.operation, pointer: f.pointer ?? '', status: f.status }),
      );
    } else {
      throw new MockgenError(`Baseline ${file}: item ${i} is not a fingerprint or a finding.`, {
        file,
        pointer: `/fingerprints/${i}`,
      });
    }
  });
  return prints;
}

export async function writeBaseline(file: string, findings: Finding[]): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(buildBaseline(findings), null, 2)}\n`);
  } catch (err) {
    throw new MockgenError(`Cannot write baseline ${file}: ${(err as Error).message}.`, { file });
  }
}
