import type { Diagnostic } from '../model/types';

/** Per-code cap so one systematic problem in a huge contract does not bury everything else. */
const MAX_PER_CODE = 50;

/** Collects loader diagnostics for one contract; caps repeats of a code and says how many were dropped. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private readonly counts = new Map<string, number>();

  constructor(readonly file: string) {}

  warn(code: string, pointer: string, message: string, operation?: string): void {
    this.add({
      severity: 'warning',
      code,
      message,
      file: this.file,
      pointer,
      ...(operation ? { operation } : {}),
    });
  }

  info(code: string, pointer: string, message: string, operation?: string): void {
    this.add({
      severity: 'info',
      code,
      message,
      file: this.file,
      pointer,
      ...(operation ? { operation } : {}),
    });
  }

  add(diagnostic: Diagnostic): void {
    const count = (this.counts.get(diagnostic.code) ?? 0) + 1;
    this.counts.set(diagnostic.code, count);
    if (count <= MAX_PER_CODE) this.list.push(diagnostic);
  }

  /** The diagnostics, plus one line per code whose repeats were dropped. */
  finish(): Diagnostic[] {
    const out = [...this.list];
    for (const [code, count] of this.counts) {
      if (count > MAX_PER_CODE) {
        out.push({
          severity: 'info',
          code,
          message: `${count - MAX_PER_CODE} more ${code} diagnostics not shown`,
          file: this.file,
          pointer: '',
        });
      }
    }
    return out;
  }
}
