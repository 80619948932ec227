/**
 * Live drift warnings while recording: each captured (already redacted) entry is checked against the
 * contract by the drift checker, one line per finding (from the redacted entry, so secrets never reach
 * the terminal), and the findings counted by kind for the summary on exit.
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
  private readonly byKind = new Map<string, number>();

  constructor(
    contract: Contract,
    private readonly file: string,
  ) {
    this.checker = new DriftChecker(contract);
  }

  /** One line per finding of the exchange (none when it conforms or is not checked). */
  check(entry: HarEntry, index: number): string[] {
    if (entry._error !== undefined) return [];
    let exchange;
    try {
      exchange = toExchange(entry, index, this.file, false);
    } catch (err) {
      // a capture the loader cannot read is reported, never allowed to stop the proxy
      return [`drift: entry ${index}: not checked: ${oneLine((err as Error).message)}`];
    }
    const result = this.checker.check(exchange);
    if (result.skipped || result.findings.length === 0) return [];
    this.drifted += 1;
    this.findings += result.findings.length;
    const where = `${entry.request.method} ${pathOf(entry.request.url)}`;
    return result.findings.map((finding) => {
      this.byKind.set(finding.kind, (this.byKind.get(finding.kind) ?? 0) + 1);
      return `drift: entry ${index} (${where}): ${finding.severity} ${finding.kind}: ${oneLine(finding.message)}`;
    });
  }

  /** Findings per kind, most frequent first: `3 response-body-invalid, 1 operation-undocumented`. */
  summary(): string {
    return [...this.byKind]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ');
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
