/**
 * HAR 1.2 files → `Recordings` (model/types.ts): plain exchanges with decoded bodies.
 *
 * Reads HAR as browsers (Chrome, Firefox), proxies (mitmproxy, Charles, Fiddler), Polly.js and
 * `mockgen record` write it. Files are streamed: a byte scanner walks `{ "log": { "entries": [ … ] } }`
 * and hands each entry to `JSON.parse` on its own, so memory holds one raw entry at a time plus the
 * decoded exchanges (a 100k-entry, 150 MB HAR loads in a few seconds). `.har.gz` files are gunzipped.
 *
 * Per entry: validate the shape (errors name file, entry index, JSON pointer and reason), decode the
 * bodies (base64, gzip / deflate / br whether the tool stored them encoded or already decoded, legacy
 * charsets), redact secrets (recordings/redact.ts, unless `redact: false`), then convert.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as zlib from 'node:zlib';
import { MockgenError } from '../errors';
import type { Exchange, RecordedBody, Recordings } from '../model/types';
import type { HarContent, HarCookie, HarEntry, HarHeader, HarPostData, HarPostParam } from './har-types';
import { redactHarEntry, type RedactOptions } from './redact';
import { parseQuery } from '../../templates/runtime/core/request';

export interface LoadHarOptions {
  /** Redaction options, or `false` to keep secrets (tests, trusted local files). Default: redact with defaults. */
  redact?: RedactOptions | false;
}

/** Loads HAR files in order; exchanges keep file order, then entry order. */
export async function loadHar(files: string[], options: LoadHarOptions = {}): Promise<Recordings> {
  const exchanges: Exchange[] = [];
  for (const file of files) {
    await scanHarFile(file, (raw, index) => {
      exchanges.push(toExchange(raw, index, file, options.redact));
    });
  }
  return { files: [...files], exchanges };
}

/** Streams one HAR file, calling `onEntry` with each raw `log.entries[i]` value (not yet validated). */
export async function scanHarFile(
  file: string,
  onEntry: (raw: unknown, index: number) => void,
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
  const scanner = new HarEntryScanner(file, onEntry);
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

interface Capture {
  target: CaptureTarget;
  parts: Buffer[];
  line: number;
  col: number;
  depth: number;
  inString: boolean;
  scalar: boolean;
  /** consecutive backslashes right before the current position, while in a string */
  backslashes: number;
}

const WS_SPACE = 0x20;
const WS_TAB = 0x09;
const WS_CR = 0x0d;
const WS_LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function isValueStart(b: number): boolean {
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

function describeByte(b: number): string {
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
  private capture: Capture | undefined;
  private bom = 0;
  private sawLog = false;
  private sawEntries = false;

  constructor(
    private readonly file: string,
    private readonly onEntry: (raw: unknown, index: number) => void,
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
          const pointer = `${frame.pointer}/${escapePointer(frame.key ?? '')}`;
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
    const b = chunk[i];
    this.capture = {
      target,
      parts: [],
      line: this.line,
      col: this.col,
      depth: b === 0x7b || b === 0x5b ? 1 : 0,
      inString: b === QUOTE,
      scalar: b !== QUOTE && b !== 0x7b && b !== 0x5b,
      backslashes: 0,
    };
    if (this.capture.scalar) return this.continueCapture(chunk, i);
    // the opening byte is part of the value
    return this.continueCapture(chunk, i + 1, i);
  }

  /** Consumes bytes of the value being captured; returns the index after what was consumed. */
  private continueCapture(chunk: Buffer, from: number, partStart = from): number {
    const c = this.capture as Capture;
    const n = chunk.length;
    let j = from;
    while (j < n) {
      if (c.inString) {
        const q = chunk.indexOf(QUOTE, j);
        if (q < 0) {
          c.backslashes = trailingBackslashes(chunk, j, n, c.backslashes);
          j = n;
          break;
        }
        const escaped = trailingBackslashes(chunk, j, q, c.backslashes) % 2 === 1;
        c.backslashes = 0;
        j = q + 1;
        if (escaped) continue;
        c.inString = false;
        if (c.depth === 0) return this.finishCapture(chunk, partStart, j);
        continue;
      }
      const b = chunk[j];
      if (c.scalar) {
        if (isScalarByte(b)) {
          j++;
          continue;
        }
        return this.finishCapture(chunk, partStart, j);
      }
      if (b === QUOTE) {
        c.inString = true;
        c.backslashes = 0;
      } else if (b === 0x7b || b === 0x5b) {
        c.depth++;
      } else if (b === 0x7d || b === 0x5d) {
        c.depth--;
        if (c.depth === 0) return this.finishCapture(chunk, partStart, j + 1);
      }
      j++;
    }
    c.parts.push(chunk.subarray(partStart, n));
    return n;
  }

  private finishCapture(chunk: Buffer, partStart: number, end: number): number {
    const c = this.capture as Capture;
    this.capture = undefined;
    c.parts.push(chunk.subarray(partStart, end));
    const bytes = c.parts.length === 1 ? c.parts[0] : Buffer.concat(c.parts);
    const text = bytes.toString('utf8');
    // position after the value
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.col = c.col + text.length;
    } else {
      let lines = 0;
      for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lines++;
      this.line = c.line + lines;
      this.col = text.length - lastNewline;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const problem = findJsonError(text);
      const at = positionIn(text, problem.offset, c.line, c.col);
      throw this.syntax(at.line, at.col, problem.message);
    }
    const target = c.target;
    if (target.kind === 'key') {
      const frame = this.stack[this.stack.length - 1];
      frame.key = value as string;
      frame.state = 'colon';
    } else {
      if (target.kind === 'value' && target.expect) {
        const ok = target.expect === 'array' ? Array.isArray(value) : isPlainObject(value);
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

function positionIn(text: string, offset: number, line: number, col: number): { line: number; col: number } {
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

// ---------------------------------------------------------------------------------------------
// Entry validation and conversion.

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

class EntryReader {
  readonly base: string;
  constructor(
    readonly file: string,
    readonly index: number,
  ) {
    this.base = `/log/entries/${index}`;
  }

  fail(path: string, reason: string): never {
    const pointer = `${this.base}${path}`;
    throw new MockgenError(
      `${this.file}: entry ${this.index} (${pointer}): ${reason}; fix or remove the entry`,
      {
        file: this.file,
        pointer,
        entry: this.index,
      },
    );
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (!isPlainObject(value))
      this.fail(path, `expected an object, got ${value === undefined ? 'nothing' : kindOf(value)}`);
    return value;
  }

  /** `coerce`: numbers and booleans become strings (header and parameter values written by lax tools). */
  string(value: unknown, path: string, fallback?: string, coerce = false): string {
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail(path, 'required string is missing');
    }
    if (coerce && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
    return this.fail(path, `expected a string, got ${kindOf(value)}`);
  }

  number(value: unknown, path: string, fallback?: number): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    return this.fail(
      path,
      value === undefined ? 'required number is missing' : `expected a number, got ${kindOf(value)}`,
    );
  }

  /** `[{ name, value }]` lists (headers, queryString, cookies). */
  pairs(value: unknown, path: string): { name: string; value: string }[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected an array of { name, value }, got ${kindOf(value)}`);
    return value.map((item, k) => {
      const obj = this.object(item, `${path}/${k}`);
      return {
        name: this.string(obj.name, `${path}/${k}/name`),
        value: this.string(obj.value, `${path}/${k}/value`, '', true),
      };
    });
  }
}

/** Validates a raw entry and copies what mockgen uses into a clean HarEntry (strings where strings belong). */
function normaliseEntry(raw: unknown, r: EntryReader): HarEntry {
  const entry = r.object(raw, '');
  const error = typeof entry._error === 'string' && entry._error !== '' ? entry._error : undefined;
  const request = r.object(entry.request, '/request');
  const responseRaw = entry.response === undefined && error !== undefined ? { status: 0 } : entry.response;
  const response = r.object(responseRaw, '/response');
  const method = r.string(request.method, '/request/method').trim();
  if (!/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/.test(method))
    r.fail('/request/method', `not an HTTP method: ${JSON.stringify(method)}`);
  const url = r.string(request.url, '/request/url');
  if (url.trim() === '') r.fail('/request/url', 'the URL is empty');

  const timingsRaw =
    entry.timings === undefined || entry.timings === null ? {} : r.object(entry.timings, '/timings');
  const timings: HarEntry['timings'] = { send: -1, wait: -1, receive: -1 };
  for (const [name, value] of Object.entries(timingsRaw)) {
    if (name.startsWith('_') || name === 'comment' || value === undefined || value === null) continue;
    (timings as unknown as Record<string, number>)[name] = r.number(value, `/timings/${escapePointer(name)}`);
  }
  const phaseSum = Object.entries(timings)
    .filter(([name, v]) => name !== 'ssl' && typeof v === 'number' && v > 0)
    .reduce((sum, [, v]) => sum + (v as number), 0);

  const requestHeaders = r.pairs(request.headers, '/request/headers') as HarHeader[];
  const responseHeaders = r.pairs(response.headers, '/response/headers') as HarHeader[];
  const contentRaw =
    response.content === undefined || response.content === null
      ? {}
      : r.object(response.content, '/response/content');
  const out: HarEntry = {
    startedDateTime: r.string(entry.startedDateTime, '/startedDateTime', ''),
    time: r.number(entry.time, '/time', phaseSum),
    request: {
      method: method.toUpperCase(),
      url: url.trim(),
      httpVersion: r.string(request.httpVersion, '/request/httpVersion', ''),
      cookies: r.pairs(request.cookies, '/request/cookies') as HarCookie[],
      headers: requestHeaders,
      queryString: r.pairs(request.queryString, '/request/queryString'),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: r.number(response.status, '/response/status', error !== undefined ? 0 : undefined),
      statusText: r.string(response.statusText, '/response/statusText', ''),
      httpVersion: r.string(response.httpVersion, '/response/httpVersion', ''),
      cookies: r.pairs(response.cookies, '/response/cookies') as HarCookie[],
      headers: responseHeaders,
      content: normaliseContent(contentRaw, responseHeaders, r),
      redirectURL: r.string(response.redirectURL, '/response/redirectURL', ''),
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings,
  };
  if (request.postData !== undefined && request.postData !== null) {
    out.request.postData = normalisePostData(
      r.object(request.postData, '/request/postData'),
      requestHeaders,
      r,
    );
  }
  const responseError =
    typeof response._error === 'string' && response._error !== '' ? response._error : undefined;
  if (error !== undefined || responseError !== undefined) out._error = error ?? responseError;
  return out;
}

function headerValue(headers: { name: string; value: string }[], name: string): string | undefined {
  const found = headers.find((h) => h.name.toLowerCase() === name);
  return found?.value;
}

/** Decoded bytes of a body as text (for textual media types) or base64. */
function encodeBody(bytes: Buffer, contentType: string): { text: string; encoding?: 'base64' } {
  const mediaType = mediaTypeOf(contentType);
  const textual = isTextualMediaType(mediaType);
  if (textual !== false) {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii' && textual) {
      try {
        return { text: new TextDecoder(charset, { fatal: true }).decode(bytes) };
      } catch {
        // unknown label or not in that charset: fall through to the utf-8 check
      }
    }
    if (isUtf8(bytes) && (textual || !bytes.includes(0))) {
      return { text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
    }
  }
  return { text: bytes.toString('base64'), encoding: 'base64' };
}

function normaliseContent(
  content: Record<string, unknown>,
  headers: HarHeader[],
  r: EntryReader,
): HarContent {
  const contentType =
    r.string(content.mimeType, '/response/content/mimeType', '') ||
    headerValue(headers, 'content-type') ||
    '';
  const out: HarContent = {
    size: r.number(content.size, '/response/content/size', -1),
    mimeType: contentType,
  };
  const text = r.string(content.text, '/response/content/text', '');
  if (text === '') return out;
  const encoding = r.string(content.encoding, '/response/content/encoding', '').toLowerCase();
  // `_encoding` (mockgen record): the wire encoding, the text here is already decoded
  const coding = content._encoding !== undefined ? '' : (headerValue(headers, 'content-encoding') ?? '');
  const decoded = decodeBody(text, encoding, coding, contentType, r, '/response/content/text');
  out.text = decoded.text;
  if (decoded.encoding) out.encoding = decoded.encoding;
  if (content._truncated === true) out._truncated = true;
  return out;
}

function decodeBody(
  text: string,
  encoding: string,
  contentEncoding: string,
  contentType: string,
  r: EntryReader,
  path: string,
): { text: string; encoding?: 'base64' } {
  if (encoding === 'base64') {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact))
      r.fail(path, 'encoding is base64 but the text is not base64');
    return encodeBody(decompress(Buffer.from(compact, 'base64'), contentEncoding, contentType), contentType);
  }
  if (encoding !== '' && encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'identity') {
    r.fail(
      path.replace(/\/text$/, '/encoding'),
      `unsupported body encoding ${JSON.stringify(encoding)} (HAR allows "base64")`,
    );
  }
  // Text stored as is. A few tools write still-compressed bytes as a latin1 string: recover those.
  if (
    text.charCodeAt(0) === 0x1f &&
    text.charCodeAt(1) === 0x8b &&
    /^[\u0000-\u00ff]*$/.test(text.slice(0, 4096))
  ) {
    const bytes = decompress(Buffer.from(text, 'latin1'), contentEncoding || 'gzip', contentType);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return encodeBody(bytes, contentType);
  }
  return { text };
}

/** True when the bytes already read as plain text, i.e. there is nothing left to decompress. */
function looksLikePlainText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096);
  // a multi-byte character may be cut at the end of the sample
  const valid =
    isUtf8(head) ||
    (bytes.length > head.length && [1, 2, 3].some((k) => isUtf8(head.subarray(0, head.length - k))));
  if (!valid) return false;
  for (const b of head.subarray(0, 1024)) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

type Decoder = (bytes: Buffer) => Buffer;
const zstd = (zlib as unknown as { zstdDecompressSync?: Decoder }).zstdDecompressSync;

const DECODERS: Record<string, Decoder[]> = {
  gzip: [(b) => zlib.gunzipSync(b)],
  'x-gzip': [(b) => zlib.gunzipSync(b)],
  deflate: [(b) => zlib.inflateSync(b), (b) => zlib.inflateRawSync(b)],
  br: [(b) => zlib.brotliDecompressSync(b)],
  ...(zstd ? { zstd: [zstd] } : {}),
};

/**
 * Undoes `content-encoding` when the recorded bytes are still encoded. Tolerant by design: HAR writers
 * disagree on whether `content.text` is before or after decoding, so bytes that already look like
 * plain text, or do not decode, are kept as recorded.
 */
function decompress(bytes: Buffer, contentEncoding: string, contentType: string): Buffer {
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (
    codings.length === 0 &&
    bytes[0] === 0x1f &&
    bytes[1] === 0x8b &&
    isTextualMediaType(mediaTypeOf(contentType))
  ) {
    codings.push('gzip'); // compressed but the header was dropped
  }
  let out = bytes;
  for (const coding of codings.reverse()) {
    if (out.length === 0 || looksLikePlainText(out)) break;
    const decoders = DECODERS[coding];
    if (!decoders) break;
    let next: Buffer | undefined;
    for (const decode of decoders) {
      try {
        next = decode(out);
        break;
      } catch {
        // try the next decoder, else keep the bytes as recorded
      }
    }
    if (!next) break;
    out = next;
  }
  return out;
}

function normalisePostData(post: Record<string, unknown>, headers: HarHeader[], r: EntryReader): HarPostData {
  const mimeType =
    r.string(post.mimeType, '/request/postData/mimeType', '') || headerValue(headers, 'content-type') || '';
  const out: HarPostData = { mimeType };
  if (post.params !== undefined && post.params !== null) {
    if (!Array.isArray(post.params))
      r.fail('/request/postData/params', `expected an array, got ${kindOf(post.params)}`);
    out.params = post.params.map((item, k) => {
      const path = `/request/postData/params/${k}`;
      const obj = r.object(item, path);
      const param: HarPostParam = { name: r.string(obj.name, `${path}/name`) };
      if (obj.value !== undefined && obj.value !== null)
        param.value = r.string(obj.value, `${path}/value`, undefined, true);
      if (typeof obj.fileName === 'string') param.fileName = obj.fileName;
      if (typeof obj.contentType === 'string') param.contentType = obj.contentType;
      return param;
    });
  }
  const text = r.string(post.text, '/request/postData/text', '');
  if (text !== '') {
    const encoding = r.string(post.encoding, '/request/postData/encoding', '').toLowerCase();
    const decoded = decodeBody(
      text,
      encoding,
      headerValue(headers, 'content-encoding') ?? '',
      mimeType,
      r,
      '/request/postData/text',
    );
    out.text = decoded.text;
    if (decoded.encoding) out.encoding = decoded.encoding;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export function mediaTypeOf(contentType: string): string {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'x-unknown' ? '' : mediaType;
}

const BINARY_TYPES = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/wasm',
  'application/protobuf',
  'application/x-protobuf',
  'application/vnd.google.protobuf',
  'application/grpc',
  'application/msgpack',
  'application/x-msgpack',
  'application/cbor',
  'application/vnd.ms-excel',
  'application/java-archive',
]);

const TEXT_TYPES = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/yaml',
  'application/x-yaml',
  'application/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/sql',
  'application/x-sh',
  'application/xhtml',
]);

/** true: text; false: binary; undefined: decide by looking at the bytes. */
export function isTextualMediaType(mediaType: string): boolean | undefined {
  if (mediaType === '') return undefined;
  if (mediaType.startsWith('text/')) return true;
  if (/[/+](json|xml)$/.test(mediaType) || mediaType.endsWith('+yaml') || mediaType.endsWith('-json'))
    return true;
  if (TEXT_TYPES.has(mediaType)) return true;
  if (/^(image|audio|video|font)\//.test(mediaType) || BINARY_TYPES.has(mediaType)) return false;
  if (/(zip|protobuf|octet|gzip|tar|pdf|msword|openxmlformats|excel|powerpoint)/.test(mediaType))
    return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HarEntry → Exchange

const PSEUDO_HEADER = /^:/;

/** One raw HAR entry → Exchange (validated, bodies decoded, redacted unless `redact` is false). */
export function toExchange(
  raw: unknown,
  index: number,
  file: string,
  redact: RedactOptions | false | undefined,
): Exchange {
  const reader = new EntryReader(file, index);
  let entry = normaliseEntry(raw, reader);
  if (redact !== false) entry = redactHarEntry(entry, redact ?? {});
  const { request, response } = entry;

  const requestHeaders = request.headers.map((h): [string, string] => [h.name.toLowerCase(), h.value]);
  const responseHeaders = response.headers.map((h): [string, string] => [h.name.toLowerCase(), h.value]);
  const target = splitUrl(request.url);
  const hostHeader =
    requestHeaders.find(([n]) => n === ':authority')?.[1] ??
    requestHeaders.find(([n]) => n === 'host')?.[1] ??
    '';
  const scheme = target.scheme || requestHeaders.find(([n]) => n === ':scheme')?.[1] || 'http';
  let path = target.path;
  if (path === '' && target.authority === undefined)
    path = requestHeaders.find(([n]) => n === ':path')?.[1]?.split('?')[0] ?? '';
  if (path === '') path = '/';
  let query = target.query !== undefined ? parseQuery(target.query) : [];
  if (target.query === undefined && request.queryString.length > 0)
    query = request.queryString.map((q) => [q.name, q.value]);

  let cookies = request.cookies.map((c): [string, string] => [c.name, c.value]);
  if (cookies.length === 0)
    cookies = cookiesFromHeader(requestHeaders.filter(([n]) => n === 'cookie').map(([, v]) => v));

  const time = entry.time >= 0 ? entry.time : 0;
  const wait = entry.timings.wait;
  const exchange: Exchange = {
    entry: index,
    file,
    startedDateTime: entry.startedDateTime,
    timeMs: time,
    waitMs: typeof wait === 'number' && wait >= 0 ? wait : time,
    request: {
      method: request.method,
      url: request.url,
      path,
      host: normaliseHost(target.authority ?? hostHeader, scheme),
      query,
      headers: requestHeaders.filter(([n]) => !PSEUDO_HEADER.test(n)),
      cookies,
    },
    response: {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders.filter(([n]) => !PSEUDO_HEADER.test(n)),
    },
  };
  const requestBody = request.postData ? toRecordedBody(request.postData) : undefined;
  if (requestBody) exchange.request.body = requestBody;
  const responseBody = toRecordedBody(response.content);
  if (responseBody) exchange.response.body = responseBody;
  if (entry._error !== undefined || response.status === 0) exchange.failed = true;
  return exchange;
}

function toRecordedBody(content: HarContent | HarPostData): RecordedBody | undefined {
  const mimeType = mediaTypeOf(content.mimeType ?? '');
  const params =
    'params' in content && content.params && content.params.length > 0 ? content.params : undefined;
  if ((content.text === undefined || content.text === '') && !params) return undefined;
  const body: RecordedBody = { mimeType };
  if (content.text !== undefined && content.text !== '') {
    if (content.encoding === 'base64') body.base64 = content.text;
    else body.text = content.text;
  }
  if (params) {
    body.params = params.map((p) => {
      const out: NonNullable<RecordedBody['params']>[number] = { name: p.name };
      if (p.value !== undefined) out.value = p.value;
      if (p.fileName !== undefined) out.fileName = p.fileName;
      if (p.contentType !== undefined) out.contentType = p.contentType;
      return out;
    });
  }
  return body;
}

/** Splits a request URL without normalising it (the path stays as sent, percent-encoding included). */
function splitUrl(url: string): { scheme: string; authority?: string; path: string; query?: string } {
  const hash = url.indexOf('#');
  const noHash = hash < 0 ? url : url.slice(0, hash);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(noHash);
  const rest = m ? noHash.slice(m[0].length) : noHash;
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  return {
    scheme: m ? m[1].toLowerCase() : '',
    authority: m ? m[2] : undefined,
    path,
    query: q < 0 ? undefined : rest.slice(q + 1),
  };
}

function normaliseHost(authority: string, scheme: string): string {
  let host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return host;
}

function cookiesFromHeader(values: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const value of values) {
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  }
  return out;
}
