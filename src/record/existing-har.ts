/**
 * An existing HAR file `mockgen record --out` appends to: checked to be a HAR (the streaming scanner
 * of recordings/load-har.ts, so the reasons match what `generate` and `drift` would say) and located:
 * the byte where new entries go (after the last entry of `log.entries`, or after its `[`) and the
 * bytes after it (the array's `]` and the rest of the file), which every append rewrites after the
 * new entries. Nothing here writes; memory holds one chunk and one raw entry at a time.
 */
import type * as fs from 'node:fs';
import { MockgenError } from '../errors';
import { HarEntryScanner } from '../recordings/load-har';

export interface HarEnd {
  /** Entries already in `log.entries`. */
  entries: number;
  /** Byte offset where the next entry goes: after the last non-whitespace byte before the array's `]`. */
  insertAt: number;
  /** The file from `insertAt` to its end (whitespace, `]`, the rest of `log` and the root object). */
  tail: Buffer;
}

type Role = 'root' | 'log' | 'entries' | 'other';

interface Frame {
  role: Role;
  object: boolean;
  /** object: the next string is a property name; array: the next value is a new element */
  expectKey: boolean;
  /** array: elements seen so far */
  elements: number;
  key?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Finds the end of `log.entries` in bytes of a file already known to be valid JSON (structure only:
 * strings, containers and the property names of the root and `log` objects). As with `JSON.parse`, a
 * repeated property counts in its last occurrence. `write` the chunks in order, then read `result`.
 */
export class EntriesEndLocator {
  private offset = 0;
  private stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** bytes of the property name being read, when it belongs to the root or `log` object */
  private keyBytes: number[] | undefined;
  private lastSolid = -1;
  /** the last `log.entries` array closed so far: where the next entry goes, its `]`, its length */
  result: { insertAt: number; closeAt: number; entries: number } | undefined;

  write(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      const at = this.offset + i;
      if (this.inString) {
        this.lastSolid = at + 1;
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          this.endString();
          continue;
        }
        this.keyBytes?.push(b);
        continue;
      }
      if (isWhitespace(b)) continue;
      const frame = this.stack[this.stack.length - 1];
      if (b === 0x7d || b === 0x5d) {
        const closed = this.stack.pop();
        if (closed?.role === 'entries')
          this.result = { insertAt: this.lastSolid, closeAt: at, entries: closed.elements };
      } else if (b === 0x2c) {
        if (frame) frame.expectKey = true;
      } else if (b === 0x3a) {
        if (frame) frame.expectKey = false;
      } else {
        // a value (or a property name) starts
        if (frame && !frame.object && frame.expectKey) {
          frame.elements += 1;
          frame.expectKey = false;
        }
        if (b === QUOTE) {
          this.inString = true;
          if (frame?.object && frame.expectKey && (frame.role === 'root' || frame.role === 'log'))
            this.keyBytes = [];
        } else if (b === 0x7b || b === 0x5b) {
          const object = b === 0x7b;
          this.stack.push({ role: this.roleOf(frame, object), object, expectKey: true, elements: 0 });
        }
      }
      this.lastSolid = at + 1;
    }
    this.offset += chunk.length;
  }

  private roleOf(parent: Frame | undefined, object: boolean): Role {
    if (!parent) return object ? 'root' : 'other';
    if (object && parent.role === 'root' && parent.key === 'log') return 'log';
    if (!object && parent.role === 'log' && parent.key === 'entries') return 'entries';
    return 'other';
  }

  private endString(): void {
    const frame = this.stack[this.stack.length - 1];
    if (!frame?.object || !frame.expectKey) return;
    if (this.keyBytes) {
      // property names are rarely escaped, but `"entr\u0069es"` is still `entries`
      frame.key = JSON.parse(`"${Buffer.from(this.keyBytes).toString('utf8')}"`) as string;
      this.keyBytes = undefined;
    } else {
      frame.key = undefined;
    }
  }
}

const CHUNK = 1 << 20;

/**
 * Reads an existing `--out` file through `handle`: `undefined` when it is empty (nothing to keep),
 * its `HarEnd` when it is a HAR; otherwise a MockgenError naming the file and the reason.
 */
export async function readHarEnd(handle: fs.promises.FileHandle, file: string): Promise<HarEnd | undefined> {
  const refuse = (reason: string): MockgenError =>
    new MockgenError(
      `cannot append to ${file}: ${reason}. The file was left untouched; choose another --out, or move it away to start a new recording.`,
      { file },
    );
  const { size } = await handle.stat();
  if (size === 0) return undefined;
  // the scanner checks syntax and shape; the locator (on the same bytes) finds the end of the array
  const scanner = new HarEntryScanner(file, () => undefined);
  const locator = new EntriesEndLocator();
  const buffer = Buffer.alloc(Math.min(CHUNK, size));
  let position = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (position === 0 && bytesRead >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b)
        throw refuse('it is gzip-compressed (only an uncompressed HAR can be appended to)');
      scanner.write(chunk);
      locator.write(chunk);
      position += bytesRead;
    }
    scanner.end();
  } catch (err) {
    if (!(err instanceof MockgenError)) throw err;
    if (err.details.file !== file || err.message.startsWith('cannot append')) throw err;
    // `file:line:col: reason` from the scanner
    const match = /:(\d+):(\d+): (.*)$/s.exec(err.message);
    throw refuse(match ? `line ${match[1]}, column ${match[2]}: ${match[3]}` : err.message);
  }
  const found = locator.result;
  // the scanner accepted the file, so the locator found the array; this guards against a file
  // changing while it is read
  if (!found) throw refuse('no log.entries array found');
  const tail = Buffer.alloc(position - found.insertAt);
  await handle.read(tail, 0, tail.length, found.insertAt);
  return { entries: found.entries, insertAt: found.insertAt, tail };
}
