import { loadContract } from '../contract/load-contract';
import type { Contract, Exchange, Recordings } from '../model/types';
import { loadHar } from '../recordings/load-har';
import { DriftChecker } from './check-exchange';
import { operationLabel } from './match';
import type { DriftOptions, DriftResult, DriftSummary, Finding, OperationStats } from './types';

/** Checks every exchange against the contract (pure: no I/O). */
export function checkExchanges(
  contract: Contract,
  exchanges: readonly Exchange[],
  options: DriftOptions = {},
): DriftResult {
  const checker = new DriftChecker(contract, options);
  const findings: Finding[] = [];
  const stats = new Map<string, OperationStats>();
  for (const op of contract.operations) {
    const label = operationLabel(op);
    stats.set(label, { operation: label, operationId: op.id, entries: 0, errors: 0, warnings: 0 });
  }
  const documented = stats.size;
  let matched = 0;
  let skipped = 0;
  const results = exchanges.map((exchange) => checker.check(exchange));
  const foreign = foreignHosts(contract, exchanges, results);
  const otherHosts = new Map<string, number>();
  for (let i = 0; i < exchanges.length; i++) {
    const exchange = exchanges[i];
    const result = results[i];
    if (result.skipped) {
      skipped++;
      continue;
    }
    const host = exchange.request.host.toLowerCase();
    if (!result.op && foreign.has(host) && result.findings.every((f) => f.kind === 'undocumented-path')) {
      otherHosts.set(host, (otherHosts.get(host) ?? 0) + 1);
      continue;
    }
    if (result.op) matched++;
    let row = stats.get(result.operation);
    if (!row)
      stats.set(
        result.operation,
        (row = { operation: result.operation, operationId: '', entries: 0, errors: 0, warnings: 0 }),
      );
    row.entries++;
    for (const finding of result.findings) {
      findings.push(finding);
      if (finding.severity === 'error') row.errors++;
      else row.warnings++;
    }
  }
  const rows = [...stats.values()];
  const untestedOperations = rows
    .slice(0, documented)
    .filter((r) => r.entries === 0)
    .map((r) => r.operation);
  const summary: DriftSummary = {
    entries: exchanges.length,
    matched,
    skipped,
    otherHosts: [...otherHosts].map(([host, entries]) => ({ host, entries })),
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    operations: rows.filter((r, i) => i < documented || r.entries > 0),
    untestedOperations,
    baselined: 0,
  };
  return { findings, summary };
}

/**
 * Hosts whose traffic is not the API's: a HAR saved from a browser also holds pages, scripts, fonts
 * and analytics. The API's hosts are those of the contract's servers and those where some recorded
 * request matched a documented path; an unmatched request to any other host is not drift. When no
 * request matched at all, no host is known to be the API's and nothing is set aside.
 */
function foreignHosts(
  contract: Contract,
  exchanges: readonly Exchange[],
  results: readonly { op?: unknown; findings: readonly { kind: string }[] }[],
): Set<string> {
  const api = new Set<string>();
  for (let i = 0; i < exchanges.length; i++) {
    const resolved =
      results[i].op !== undefined || results[i].findings.some((f) => f.kind === 'undocumented-method');
    if (resolved) api.add(exchanges[i].request.host.toLowerCase());
  }
  const foreign = new Set<string>();
  if (api.size === 0) return foreign;
  for (const server of contract.servers) {
    try {
      const host = new URL(server).host.toLowerCase();
      if (host !== '') api.add(host);
    } catch {
      // a relative server URL names no host
    }
  }
  for (const exchange of exchanges) {
    const host = exchange.request.host.toLowerCase();
    if (host !== '' && !api.has(host)) foreign.add(host);
  }
  return foreign;
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

export interface CheckDriftInput extends DriftOptions {
  spec: string;
  recordings: string[];
}

/** Loads the contract and the HAR files and checks them: the whole `mockgen drift` minus reporting. */
export async function checkDrift(
  input: CheckDriftInput,
): Promise<DriftResult & { contract: Contract; recordings: Recordings }> {
  const contract = await loadContract(input.spec);
  // Not redacted on load (a tenth of the run time on big HARs): the checks only need secrets to be
  // present, and messages mask the values of credential parameters and secret-named fields.
  const recordings = await loadHar(input.recordings, { redact: false });
  return { ...checkExchanges(contract, recordings.exchanges, input), contract, recordings };
}
