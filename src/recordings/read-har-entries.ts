/**
 * Streaming the entries of a HAR file: `scanHarFile` reads a file (gunzipping `.har.gz`) chunk by
 * chunk into a `HarEntryScanner`, which walks the JSON structure around `log.entries`, checks the
 * HAR shape and hands each element of `log.entries` to the caller as a parsed, not yet validated
 * value. Every other value is captured as raw bytes and parsed too (json-scanner.ts), so the whole
 * file is still checked for syntax; memory holds one chunk and one raw entry at a time.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { MockgenError } from '../errors';
import {
  describeByte,
  isValueStart,
  JsonValueCapture,
  QUOTE,
  UTF8_BOM,
  WS_CR,
  WS_LF,
  WS_SPACE,
  WS_TAB,
} from './json-scanner';
import { isRecord } from '../../templates/runtime/core/json';
import { escapeToken } from '../../templates/runtime/core/pointer';
import { kindOf } from './json-value';

/**
 * Streams one HAR file, calling `onEntry` with each raw `log.entries[i]` value (not yet validated).
 * `unparsed`: the entries' bytes instead (see HarEntryScanner).
 */
export async function scanHarFile(
  file: string,
  onEntry: (raw: unknown, index: number) => void,
  options: { unparsed?: boolean } = {},
): Promise<void> {
  const cannotRead = (err: unknown): MockgenError =>
    new MockgenError(`${file}: cannot read the HAR file: ${(err as Error).message}`, { file });
  let gzipped = false;
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw cannotRead(err);
  }
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzipped ? source.pipe(zlib.createGunzip()) : source;
  if (gzipped) source.on('error', (err) => stream.destroy(err));
  const scanner = new HarEntryScanner(file, onEntry, options.unparsed);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) scanner.write(chunk);
    scanner.end();
  } catch (err) {
    throw err instanceof MockgenError ? err : cannotRead(err);
  } finally {
    source.destroy();
    stream.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Streaming scanner: validates the JSON structure around `log.entries`, captures every other value
// as raw bytes and parses it with JSON.parse (so the whole file is still checked for syntax).

type Role = 'root' | 'log' | 'entries' | 'other';

interface Frame {
  type: 'object' | 'array';
  role: Role;
  pointer: string;
  /** object: start | key | colon | value | next;  array: start | value | next */
  state: 'start' | 'key' | 'colon' | 'value' | 'next';
  key?: string;
  index: number;
  sawChild: boolean;
}

type CaptureTarget =
  | { kind: 'key' }
  | { kind: 'entry'; index: number }
  | { kind: 'value'; pointer: string; expect?: 'object' | 'array' };

/**
 * Incremental HAR scanner. `write` chunks of the file in order, then `end`. Calls `onEntry` for each
 * element of `log.entries`; throws MockgenError (file:line:column) on invalid JSON or a non-HAR shape.
 */
export class HarEntryScanner {
  private line = 1;
  private col = 1;
  private stack: Frame[] = [];
  private started = false;
  private done = false;
  private capture: JsonValueCapture | undefined;
  private target: CaptureTarget | undefined;
  private bom = 0;
  private sawLog = false;
  private sawEntries = false;

  /**
   * `unparsed`: hand each entry over as its raw bytes (a `Buffer` that may share the chunk: copy it
   * before the next `write`), not parsed — for a caller that parses entries elsewhere (drift's worker
   * threads). The file's structure is still checked; columns after such entries count bytes.
   */
  constructor(
    private readonly file: string,
    private readonly onEntry: (raw: unknown, index: number) => void,
    private readonly unparsed = false,
  ) {}

  write(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    // a UTF-8 byte order mark (Fiddler, Windows tools), possibly split across chunks
    while (this.bom < 3 && i < n && !this.started && chunk[i] === UTF8_BOM[this.bom]) {
      this.bom++;
      i++;
    }
    if (i < n) this.bom = 3;
    while (i < n) {
      if (this.capture) {
        i = this.continueCapture(chunk, i);
        continue;
      }
      const b = chunk[i];
      if (b === WS_SPACE || b === WS_TAB || b === WS_CR) {
        this.col++;
        i++;
        continue;
      }
      if (b === WS_LF) {
        this.line++;
        this.col = 1;
        i++;
        continue;
      }
      i = this.structural(chunk, i, b);
    }
  }

  end(): void {
    if (this.capture || !this.done) {
      if (!this.started)
        throw this.error(
          this.line,
          this.col,
          'the file is empty; expected a HAR object { "log": { "entries": [...] } }',
        );
      throw this.syntax(this.line, this.col, 'unexpected end of file (the HAR is truncated)');
    }
  }

  private structural(chunk: Buffer, i: number, b: number): number {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) {
      if (this.done)
        throw this.syntax(
          this.line,
          this.col,
          `unexpected ${describeByte(b)} after the end of the HAR object`,
        );
      if (b === 0x7b) {
        this.started = true;
        this.push({ type: 'object', role: 'root', pointer: '', state: 'start', index: 0, sawChild: false });
        return this.advance(i);
      }
      if (isValueStart(b))
        throw this.error(
          this.line,
          this.col,
          'not a HAR file: the top-level JSON value must be an object with a "log" property',
        );
      throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected '{')`);
    }
    if (frame.type === 'object') {
      switch (frame.state) {
        case 'start':
        case 'key':
          if (b === QUOTE) return this.beginCapture(chunk, i, { kind: 'key' });
          if (b === 0x7d && frame.state === 'start') return this.close(i);
          throw this.syntax(
            this.line,
            this.col,
            `unexpected ${describeByte(b)} (expected a property name in double quotes)`,
          );
        case 'colon':
          if (b === 0x3a) {
            frame.state = 'value';
            return this.advance(i);
          }
          throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected ':')`);
        case 'value': {
          if (!isValueStart(b))
            throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected a value)`);
          const pointer = `${frame.pointer}/${escapeToken(frame.key ?? '')}`;
          if (frame.role === 'root' && frame.key === 'log') {
            this.sawLog = true;
            if (b === 0x7b) {
              this.push({ type: 'object', role: 'log', pointer, state: 'start', index: 0, sawChild: false });
              return this.advance(i);
            }
            return this.beginCapture(chunk, i, { kind: 'value', pointer, expect: 'object' });
          }
          if (frame.role === 'log' && frame.key === 'entries') {
            this.sawEntries = true;
            if (b === 0x5b) {
              this.push({
                type: 'array',
                role: 'entries',
                pointer,
                state: 'start',
                index: 0,
                sawChild: false,
              });
              return this.advance(i);
            }
            return this.beginCapture(chunk, i, { kind: 'value', pointer, expect: 'array' });
          }
          return this.beginCapture(chunk, i, { kind: 'value', pointer });
        }
        case 'next':
          if (b === 0x2c) {
            frame.state = 'key';
            return this.advance(i);
          }
          if (b === 0x7d) return this.close(i);
          throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected ',' or '}')`);
      }
    }
    // the entries array
    switch (frame.state) {
      case 'start':
      case 'value':
        if (isValueStart(b)) return this.beginCapture(chunk, i, { kind: 'entry', index: frame.index++ });
        if (b === 0x5d && frame.state === 'start') return this.close(i);
        throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected an entry object)`);
      default:
        if (b === 0x2c) {
          frame.state = 'value';
          return this.advance(i);
        }
        if (b === 0x5d) return this.close(i);
        throw this.syntax(this.line, this.col, `unexpected ${describeByte(b)} (expected ',' or ']')`);
    }
  }

  private advance(i: number): number {
    this.col++;
    return i + 1;
  }

  private push(frame: Frame): void {
    this.stack.push(frame);
  }

  private close(i: number): number {
    const frame = this.stack.pop() as Frame;
    if (frame.role === 'root' && !this.sawLog) {
      throw this.error(this.line, this.col, 'not a HAR file: the top-level object has no "log" property');
    }
    if (frame.role === 'log' && !this.sawEntries) {
      throw this.error(this.line, this.col, 'not a HAR file: "log" has no "entries" array (/log/entries)');
    }
    this.afterValue();
    if (this.stack.length === 0) this.done = true;
    return this.advance(i);
  }

  private afterValue(): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.state = 'next';
  }

  private beginCapture(chunk: Buffer, i: number, target: CaptureTarget): number {
    this.capture = new JsonValueCapture(chunk[i], this.line, this.col);
    this.target = target;
    return this.continueCapture(chunk, i);
  }

  /** Consumes bytes of the value being captured; returns the index after what was consumed. */
  private continueCapture(chunk: Buffer, from: number): number {
    const end = (this.capture as JsonValueCapture).write(chunk, from);
    return end < 0 ? chunk.length : this.finishCapture(end);
  }

  private finishCapture(end: number): number {
    const c = this.capture as JsonValueCapture;
    const target = this.target as CaptureTarget;
    this.capture = undefined;
    this.target = undefined;
    if (this.unparsed && target.kind === 'entry') {
      const bytes = c.bytes();
      const after = c.endOf(bytes);
      this.line = after.line;
      this.col = after.col;
      this.afterValue();
      this.onEntry(bytes, target.index);
      return end;
    }
    const captured = c.result();
    if (!captured.ok) throw this.syntax(captured.at.line, captured.at.col, captured.reason);
    const value = captured.value;
    this.line = captured.end.line;
    this.col = captured.end.col;
    if (target.kind === 'key') {
      const frame = this.stack[this.stack.length - 1];
      frame.key = value as string;
      frame.state = 'colon';
    } else {
      if (target.kind === 'value' && target.expect) {
        const ok = target.expect === 'array' ? Array.isArray(value) : isRecord(value);
        if (!ok) {
          throw this.error(
            c.line,
            c.col,
            `not a HAR file: ${target.pointer} must be an ${target.expect}, got ${kindOf(value)}`,
          );
        }
      }
      this.afterValue();
      if (target.kind === 'entry') this.onEntry(value, target.index);
    }
    return end;
  }

  private syntax(line: number, col: number, reason: string): MockgenError {
    return new MockgenError(`${this.file}:${line}:${col}: invalid JSON: ${reason}`, {
      file: this.file,
      line,
    });
  }

  private error(line: number, col: number, reason: string): MockgenError {
    return new MockgenError(`${this.file}:${line}:${col}: ${reason}`, { file: this.file, line });
  }
}
