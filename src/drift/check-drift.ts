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
  for (const exchange of exchanges) {
    const result = checker.check(exchange);
    if (result.skipped) {
      skipped++;
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
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    operations: rows.filter((r, i) => i < documented || r.entries > 0),
    untestedOperations,
    baselined: 0,
  };
  return { findings, summary };
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
