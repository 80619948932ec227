/**
 * The drift check over a stream of exchanges (`DriftRun`) and its pure entry point `checkExchanges`:
 * no I/O, so a worker thread (drift-worker.ts) runs the same code on its share of the traffic.
 */
import type { Contract, Exchange } from '../model/types';
import { DriftChecker } from './check-exchange';
import {
  addCounts,
  countExchange,
  coverageIndex,
  emptyCounts,
  summarizeCoverage,
  type CoverageCounts,
  type CoverageIndex,
} from './coverage';
import { operationLabel } from './match';
import type { DriftOptions, DriftResult, DriftSummary, Finding, OperationStats } from './types';

/** Checks every exchange against the contract (pure: no I/O). */
export function checkExchanges(
  contract: Contract,
  exchanges: readonly Exchange[],
  options: DriftOptions = {},
): DriftResult {
  const drift = new DriftRun(contract, options);
  for (const exchange of exchanges) drift.add(exchange);
  return drift.finish();
}

interface Checked {
  /** where the exchange comes in the traffic (the order findings are listed in) */
  order: number;
  host: string;
  operation: string;
  findings: Finding[];
  /** unmatched, only `undocumented-path`: set aside at the end when its host is not the API's */
  unmatched: boolean;
}

/** A `DriftRun`'s state as plain data (see `partial` and `absorb`). */
export interface DriftPartial {
  entries: number;
  matched: number;
  skipped: number;
  hosts: string[];
  apiHosts: string[];
  checked: Checked[];
  /** every row (documented operations first, in contract order), with its first exchange's order */
  rows: (OperationStats & { first: number })[];
  counts?: CoverageCounts;
}

/**
 * A drift check fed one exchange at a time (so a log of any size streams through it): what it keeps
 * is per-operation counts, the hosts seen and the exchanges that have findings — never the traffic.
 *
 * Other hosts' traffic (a browser HAR's pages, scripts, analytics) is not drift: the API's hosts are
 * those of the contract's servers and those where some recorded request matched a documented path;
 * an unmatched request to any other host is set aside at the end. When no request matched at all,
 * no host is known to be the API's and nothing is set aside.
 */
export class DriftRun {
  private readonly checker: DriftChecker;
  private readonly stats = new Map<string, OperationStats>();
  private readonly documented: number;
  private readonly checked: Checked[] = [];
  private readonly apiHosts = new Set<string>();
  private readonly hosts = new Set<string>();
  private entries = 0;
  private matched = 0;
  private skipped = 0;
  private readonly coverage?: { index: CoverageIndex; counts: CoverageCounts };
  /** rows for undocumented request lines: the order of the exchange that added each */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly contract: Contract,
    options: DriftOptions = {},
  ) {
    this.checker = new DriftChecker(contract, options);
    if (options.coverage !== false) {
      const index = coverageIndex(contract);
      this.coverage = { index, counts: emptyCounts(index) };
    }
    for (const op of contract.operations) {
      const label = operationLabel(op);
      this.stats.set(label, { operation: label, operationId: op.id, entries: 0, errors: 0, warnings: 0 });
    }
    this.documented = this.stats.size;
  }

  /** `order`: where the exchange comes in the whole traffic, when runs over parts are merged (partial). */
  add(exchange: Exchange, order = this.entries): void {
    this.entries++;
    const result = this.checker.check(exchange);
    if (result.skipped) {
      this.skipped++;
      return;
    }
    const host = exchange.request.host.toLowerCase();
    if (host !== '') this.hosts.add(host);
    if (result.op !== undefined || result.findings.some((f) => f.kind === 'undocumented-method'))
      this.apiHosts.add(host);
    const unmatched = !result.op && result.findings.every((f) => f.kind === 'undocumented-path');
    if (result.op) this.matched++;
    if (this.coverage && result.exercised)
      countExchange(this.coverage.index, this.coverage.counts, result.exercised);
    if (unmatched || result.findings.length > 0)
      this.checked.push({ order, host, operation: result.operation, findings: result.findings, unmatched });
    if (!unmatched) this.count(result.operation, result.findings, order);
  }

  private count(operation: string, findings: readonly Finding[], order: number): void {
    let row = this.stats.get(operation);
    if (!row) {
      this.stats.set(operation, (row = { operation, operationId: '', entries: 0, errors: 0, warnings: 0 }));
      this.firstSeen.set(operation, order);
    }
    row.entries++;
    for (const finding of findings) {
      if (finding.severity === 'error') row.errors++;
      else row.warnings++;
    }
  }

  finish(): DriftResult {
    const foreign = this.foreignHosts();
    const otherHosts = new Map<string, number>();
    const findings: Finding[] = [];
    for (const c of this.checked) {
      if (c.unmatched) {
        if (foreign.has(c.host)) {
          otherHosts.set(c.host, (otherHosts.get(c.host) ?? 0) + 1);
          continue;
        }
        this.count(c.operation, c.findings, Number.MAX_SAFE_INTEGER);
      }
      for (const finding of c.findings) findings.push(finding);
    }
    const rows = [...this.stats.values()];
    const untestedOperations = rows
      .slice(0, this.documented)
      .filter((r) => r.entries === 0)
      .map((r) => r.operation);
    const summary: DriftSummary = {
      entries: this.entries,
      matched: this.matched,
      skipped: this.skipped,
      otherHosts: [...otherHosts].map(([host, entries]) => ({ host, entries })),
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      operations: rows.filter((r, i) => i < this.documented || r.entries > 0),
      untestedOperations,
      baselined: 0,
    };
    if (!this.coverage) return { findings, summary };
    return { findings, summary, coverage: summarizeCoverage(this.coverage.index, this.coverage.counts) };
  }

  /**
   * What this run kept, as plain data (structured-clone safe): a run over part of the traffic (a
   * worker thread's share, exchanges added with their `order`) hands it to `absorb` on another.
   */
  partial(): DriftPartial {
    return {
      entries: this.entries,
      matched: this.matched,
      skipped: this.skipped,
      hosts: [...this.hosts],
      apiHosts: [...this.apiHosts],
      checked: this.checked,
      rows: [...this.stats.values()].map((row) => ({
        ...row,
        first: this.firstSeen.get(row.operation) ?? -1,
      })),
      ...(this.coverage ? { counts: this.coverage.counts } : {}),
    };
  }

  /**
   * Takes in the partial runs of other `DriftRun`s (same contract and options) over disjoint parts of
   * the traffic, so that `finish` gives what one run over all of it would: findings in traffic order,
   * undocumented rows in the order their first exchange came, counts and coverage summed.
   */
  absorb(partials: readonly DriftPartial[]): void {
    const extra = new Map<string, OperationStats & { first: number }>();
    const documented = [...this.stats.values()].slice(0, this.documented);
    for (const part of partials) {
      this.entries += part.entries;
      this.matched += part.matched;
      this.skipped += part.skipped;
      for (const host of part.hosts) this.hosts.add(host);
      for (const host of part.apiHosts) this.apiHosts.add(host);
      for (const c of part.checked) this.checked.push(c);
      for (const [k, row] of part.rows.entries()) {
        if (k < this.documented) {
          addRow(documented[k], row);
          continue;
        }
        const seen = extra.get(row.operation);
        if (!seen) extra.set(row.operation, { ...row });
        else {
          addRow(seen, row);
          seen.first = Math.min(seen.first, row.first);
        }
      }
      if (this.coverage && part.counts) addCounts(this.coverage.counts, part.counts);
    }
    this.checked.sort((a, b) => a.order - b.order);
    for (const { first, ...row } of [...extra.values()].sort((a, b) => a.first - b.first)) {
      const own = this.stats.get(row.operation);
      if (own) addRow(own, row);
      else {
        this.stats.set(row.operation, row);
        this.firstSeen.set(row.operation, first);
      }
    }
  }

  private foreignHosts(): Set<string> {
    const foreign = new Set<string>();
    if (this.apiHosts.size === 0) return foreign;
    const api = new Set(this.apiHosts);
    for (const server of this.contract.servers) {
      try {
        const host = new URL(server).host.toLowerCase();
        if (host !== '') api.add(host);
      } catch {
        // a relative server URL names no host
      }
    }
    for (const host of this.hosts) if (!api.has(host)) foreign.add(host);
    return foreign;
  }
}

function addRow(into: OperationStats, row: OperationStats): void {
  into.entries += row.entries;
  into.errors += row.errors;
  into.warnings += row.warnings;
}

/** Recount the totals of a summary after the baseline removed findings. */
export function recount(result: DriftResult, findings: Finding[], baselined: number): DriftResult {
  const byOperation = new Map<string, { errors: number; warnings: number }>();
  for (const f of findings) {
    const row = byOperation.get(f.operation) ?? { errors: 0, warnings: 0 };
    if (f.severity === 'error') row.errors++;
    else row.warnings++;
    byOperation.set(f.operation, row);
  }
  return {
    findings,
    ...(result.coverage ? { coverage: result.coverage } : {}),
    summary: {
      ...result.summary,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      operations: result.summary.operations.map((row) => ({
        ...row,
        ...(byOperation.get(row.operation) ?? { errors: 0, warnings: 0 }),
      })),
      baselined,
    },
  };
}
