/**
 * Streaming JSON, byte level: what a scanner over a large JSON file needs besides its own structure
 * rules. `JsonValueCapture` collects the raw bytes of one JSON value across chunks split anywhere (in a
 * string, an escape, a multi-byte character) and parses them with `JSON.parse`; `findJsonError` says
 * where and why text is not JSON. Pure: no I/O, no file names; callers add those to the messages.
 */

/** A 1-based line and column (columns count bytes outside captured values, UTF-16 units inside them). */
export interface JsonPosition {
  line: number;
  col: number;
}

export const WS_SPACE = 0x20;
export const WS_TAB = 0x09;
export const WS_CR = 0x0d;
export const WS_LF = 0x0a;
export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** True for the first byte of a JSON value: `"`, `{`, `[`, `-`, a digit, or the `t` `f` `n` of a literal. */
export function isValueStart(b: number): boolean {
  return (
    b === QUOTE ||
    b === 0x7b ||
    b === 0x5b ||
    b === 0x2d ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x74 ||
    b === 0x66 ||
    b === 0x6e
  );
}

/** Bytes a number or literal is made of (loosely: JSON.parse judges the result). */
function isScalarByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    b === 0x2d ||
    b === 0x2b ||
    b === 0x2e
  );
}

/** A byte as an error message shows it: `'}'`, or `byte 0x0c` when it is not printable ASCII. */
export function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function trailingBackslashes(chunk: Buffer, from: number, to: number, carry: number): number {
  let n = 0;
  let j = to - 1;
  while (j >= from && chunk[j] === BACKSLASH) {
    n++;
    j--;
  }
  return j < from ? n + carry : n;
}

/** A captured value: parsed, with the position just after it; or the first syntax error in it. */
export type CapturedValue =
  { ok: true; value: unknown; end: JsonPosition } | { ok: false; reason: string; at: JsonPosition };

/**
 * The raw bytes of one JSON value read from a stream, chunk by chunk. Only strings (with their
 * escapes) and nesting depth are tracked to find where the value ends; `result()` then hands the
 * bytes to `JSON.parse`, so the value is fully checked. A number or literal ends at the first byte
 * that cannot belong to it, so one at the very end of the input never ends (JSON allows none there
 * inside a container).
 */
export class JsonValueCapture {
  private readonly parts: Buffer[] = [];
  private depth: number;
  private inString: boolean;
  private readonly scalar: boolean;
  /** consecutive backslashes right before the current position, while in a string */
  private backslashes = 0;
  private started = false;

  /** `first`: the value's first byte (one for which `isValueStart` holds), found at `line`:`col`. */
  constructor(
    first: number,
    readonly line: number,
    readonly col: number,
  ) {
    this.depth = first === 0x7b || first === 0x5b ? 1 : 0;
    this.inString = first === QUOTE;
    this.scalar = first !== QUOTE && first !== 0x7b && first !== 0x5b;
  }

  /**
   * Consumes the value's bytes from `chunk[from]` on (the first call starts at the value's first
   * byte). Returns the index just after the value when it ends in this chunk, else -1: the rest of
   * the chunk belongs to the value; write the next chunk from 0. The chunk may be overwritten once
   * this returns -1 (what is kept of it is copied); after an index, `result()` must be called first.
   */
  write(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let j = from;
    if (!this.started) {
      this.started = true;
      // the opening byte of a string or container is part of the value but opens nothing more
      if (!this.scalar) j++;
    }
    while (j < n) {
      if (this.inString) {
        const q = chunk.indexOf(QUOTE, j);
        if (q < 0) {
          this.backslashes = trailingBackslashes(chunk, j, n, this.backslashes);
          j = n;
          break;
        }
        const escaped = trailingBackslashes(chunk, j, q, this.backslashes) % 2 === 1;
        this.backslashes = 0;
        j = q + 1;
        if (escaped) continue;
        this.inString = false;
        if (this.depth === 0) return this.ended(chunk, from, j);
        continue;
      }
      const b = chunk[j];
      if (this.scalar) {
        if (isScalarByte(b)) {
          j++;
          continue;
        }
        return this.ended(chunk, from, j);
      }
      if (b === QUOTE) {
        this.inString = true;
        this.backslashes = 0;
      } else if (b === 0x7b || b === 0x5b) {
        this.depth++;
      } else if (b === 0x7d || b === 0x5d) {
        this.depth--;
        if (this.depth === 0) return this.ended(chunk, from, j + 1);
      }
      j++;
    }
    // a copy: callers may reuse their buffer for the next chunk (record/existing-har.ts does)
    this.parts.push(Buffer.from(chunk.subarray(from, n)));
    return -1;
  }

  private ended(chunk: Buffer, from: number, end: number): number {
    this.parts.push(chunk.subarray(from, end));
    return end;
  }

  /** Call once `write` returned an index: the value's bytes, unparsed (the last part may share the chunk). */
  bytes(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
  }

  /**
   * The position just after `bytes` (from `bytes()`) without decoding them: lines exact, the column
   * counted in bytes (UTF-16 units only where `result()` decodes). For callers that parse elsewhere.
   */
  endOf(bytes: Buffer): JsonPosition {
    let lines = 0;
    let last = -1;
    for (let k = bytes.indexOf(WS_LF); k >= 0; k = bytes.indexOf(WS_LF, k + 1)) {
      lines++;
      last = k;
    }
    return lines === 0
      ? { line: this.line, col: this.col + bytes.length }
      : { line: this.line + lines, col: bytes.length - last };
  }

  /** Call once `write` returned an index: the value parsed, or where and why it is not JSON. */
  result(): CapturedValue {
    const bytes = this.bytes();
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const problem = findJsonError(text);
      return {
        ok: false,
        reason: problem.message,
        at: positionIn(text, problem.offset, this.line, this.col),
      };
    }
    // position after the value
    let end: JsonPosition;
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) {
      end = { line: this.line, col: this.col + text.length };
    } else {
      let lines = 0;
      for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lines++;
      end = { line: this.line + lines, col: text.length - lastNewline };
    }
    return { ok: true, value, end };
  }
}

function positionIn(text: string, offset: number, line: number, col: number): JsonPosition {
  let l = line;
  let c = col;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  return { line: l, col: c };
}

/**
 * Finds the first syntax error in `text` (only called after JSON.parse failed, to say where and why;
 * Node's own messages do not always carry a position).
 */
export function findJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) i++;
      else break;
    }
  };
  const fail = (message: string, at = i): never => {
    throw Object.assign(new Error(message), { offset: at });
  };
  const describe = (): string => (i >= n ? 'end of input' : `'${text[i]}'`);
  const string = (): void => {
    const start = i;
    i++;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return;
      }
      if (ch < 0x20) fail('control character in a string (newlines and tabs must be escaped as \\n, \\t)');
      if (ch === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`bad escape '\\${e ?? ''}' in a string`);
        i += 2;
        continue;
      }
      i++;
    }
    fail('unterminated string', start);
  };
  const value = (depth: number): void => {
    ws();
    if (depth > 2000) fail('nesting too deep');
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${describe()} (expected a property name in double quotes)`);
        string();
        ws();
        if (text[i] !== ':') fail(`unexpected ${describe()} (expected ':')`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe()} (expected ',' or '}')`);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe()} (expected ',' or ']')`);
      }
    }
    if (ch === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (literal && literal[0] !== '' && literal[0] !== '-') {
      i += literal[0].length;
      return;
    }
    fail(`unexpected ${describe()} (expected a value)`);
  };
  try {
    value(0);
    ws();
    if (i < n) fail(`unexpected ${describe()} after the value`);
  } catch (err) {
    const offset = (err as { offset?: number }).offset;
    if (offset !== undefined) return { offset, message: (err as Error).message };
    throw err;
  }
  return { offset: 0, message: 'not valid JSON' };
}
