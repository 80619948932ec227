/**
 * Live drift warnings while recording: each captured (already redacted) entry is checked against the
 * contract by the drift checker and summarised in one line, so secrets never reach the terminal.
 */
import { DriftChecker } from '../drift/check-exchange';
import type { Contract } from '../model/types';
import type { HarEntry } from '../recordings/har-types';
import { toExchange } from '../recordings/load-har';

export class DriftWatch {
  private readonly checker: DriftChecker;
  /** Exchanges with at least one finding. */
  drifted = 0;
  findings = 0;

  constructor(
    contract: Contract,
    private readonly file: string,
  ) {
    this.checker = new DriftChecker(contract);
  }

  /** One line per drifting exchange (`undefined` when it conforms or is not checked). */
  check(entry: HarEntry, index: number): string | undefined {
    if (entry._error !== undefined) return undefined;
    let exchange;
    try {
      exchange = toExchange(entry, index, this.file, false);
    } catch (err) {
      // a capture the loader cannot read is reported, never allowed to stop the proxy
      return `drift: entry ${index}: not checked: ${oneLine((err as Error).message)}`;
    }
    const result = this.checker.check(exchange);
    if (result.skipped || result.findings.length === 0) return undefined;
    this.drifted += 1;
    this.findings += result.findings.length;
    const [first] = result.findings;
    const more = result.findings.length > 1 ? ` (+${result.findings.length - 1} more)` : '';
    return `drift: entry ${index}: ${first.severity} ${first.kind}: ${oneLine(first.message)}${more}`;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
