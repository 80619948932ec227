/**
 * Every recorded exchange of a list of files and folders, streamed: `scanRecordings(paths, onExchange)`
 * expands folders (their recognised files, sorted), detects each file's format from its content
 * (HAR 1.2, or one exchange per line: NDJSON, HAR entries, Kong logs, Nginx/Apache JSON access logs;
 * gzipped or not) and hands over one `Exchange` at a time. Memory holds one chunk and one line (or
 * one HAR entry) at a time, whatever the file's size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MockgenError } from '../errors';
import type { Exchange } from '../model/types';
import { findJsonError } from './json-scanner';
import { scanHarFile } from './read-har-entries';
import type { RedactOptions } from './redact';
import { toExchange, type SanitiseWarning } from './to-exchange';
import { LineShapeError, lineToEntry } from './traffic-formats';

export type TrafficFileFormat = 'har' | 'lines';

/** File names a folder passed as recordings contributes (other files in it are left alone). */
const HAR_NAME = /\.har(\.gz)?$/i;
const RECOGNISED = /\.(har|ndjson|jsonl|json|log)(\.gz)?$/i;

/** A file name a folder passed as recordings contributes. */
export function isRecordingName(name: string): boolean {
  return RECOGNISED.test(name);
}

export interface ScanOptions {
  redact?: RedactOptions | false;
  /** what the loader left out of an entry (sanitised headers…), with the file and where */
  warn?: (file: string, pointer: string, message: string, entry: number) => void;
}

/**
 * The files behind `paths`: a file as given; a folder's recognised files (`.har`, `.ndjson`, `.jsonl`,
 * `.json`, `.log`, each optionally `.gz`), sorted by name, one level deep. A folder with none is an error.
 */
export async function expandRecordingPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(given);
    } catch (err) {
      const what = HAR_NAME.test(given) ? 'the HAR file' : 'the recordings';
      throw new MockgenError(`${given}: cannot read ${what}: ${(err as Error).message}`, { file: given });
    }
    if (!stat.isDirectory()) {
      files.push(given);
      continue;
    }
    const names = (await fs.promises.readdir(given, { withFileTypes: true }))
      .filter((d) => d.isFile() && isRecordingName(d.name))
      .map((d) => d.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0)
      throw new MockgenError(
        `${given}: the folder holds no recordings (files named *.har, *.ndjson, *.jsonl, *.json or *.log, optionally .gz)`,
        { file: given },
      );
    for (const name of names) files.push(path.join(given, name));
  }
  return files;
}

/** Streams every exchange of `files` (already expanded) in order: file order, then entry/line order. */
export async function scanRecordings(
  files: readonly string[],
  onExchange: (exchange: Exchange) => void,
  options: ScanOptions = {},
): Promise<void> {
  for (const file of files) {
    const format = await detectFormat(file);
    const warnFor =
      (entry: number): SanitiseWarning =>
      (pointer, message) =>
        options.warn?.(file, pointer, message, entry);
    if (format === 'har') {
      await scanHarFile(file, (raw, index) => {
        onExchange(toExchange(raw, index, file, options.redact, warnFor(index)));
      });
    } else {
      await scanLines(file, (text, line) => {
        onExchange(lineExchange(file, text, line, options.redact, warnFor(line - 1)));
      });
    }
  }
}

/** One line of a line-per-exchange file as an exchange (its entry index is the line's, 0-based). */
export function lineExchange(
  file: string,
  text: string,
  line: number,
  redact: RedactOptions | false | undefined,
  warn?: SanitiseWarning,
): Exchange {
  const value = parseLine(file, line, text);
  let converted;
  try {
    converted = lineToEntry(value);
  } catch (err) {
    if (err instanceof LineShapeError)
      throw new MockgenError(`${file}:${line}: ${err.message}; fix or remove the line`, { file, line });
    throw err;
  }
  const exchange = toExchange(converted.entry, line - 1, file, redact, warn, line);
  if (converted.unrecorded) exchange.unrecorded = converted.unrecorded;
  return exchange;
}

function parseLine(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = findJsonError(text);
    throw new MockgenError(
      `${file}:${line}:${at.offset + 1}: invalid JSON: ${at.message}; fix or remove the line`,
      { file, line },
    );
  }
}

/** The first bytes of a file (gunzipped when it starts with the gzip magic). */
async function head(
  file: string,
  bytes: number,
): Promise<{ text: string; gzipped: boolean; complete: boolean }> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    throw new MockgenError(`${file}: cannot read the recordings: ${(err as Error).message}`, { file });
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    const raw = buffer.subarray(0, bytesRead);
    if (bytesRead >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
      // enough of the start to decide; a truncated gzip stream still yields its first bytes
      const out = zlib.gunzipSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      return { text: out.subarray(0, bytes).toString('utf8'), gzipped: true, complete: bytesRead < bytes };
    }
    return { text: raw.toString('utf8'), gzipped: false, complete: bytesRead < bytes };
  } catch (err) {
    if (err instanceof MockgenError) throw err;
    throw new MockgenError(`${file}: cannot read the recordings: ${(err as Error).message}`, { file });
  } finally {
    await handle.close();
  }
}

/**
 * HAR or one exchange per line, from the content (the extension is not trusted: a `.json` may be
 * either, a `.log` is often NDJSON): a HAR is one JSON object with a `log` member, so a file whose
 * first line is a complete JSON object without `log` is line-per-exchange. A first line that is not
 * complete JSON (`{` alone, a pretty-printed or very long HAR) is a HAR when `"log"` comes first.
 */
export async function detectFormat(file: string): Promise<TrafficFileFormat> {
  const { text } = await head(file, 1 << 16);
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  const newline = start < 0 ? -1 : body.indexOf('\n', start);
  if (start >= 0 && body[start] === '{' && newline >= 0) {
    try {
      const first = JSON.parse(body.slice(start, newline)) as unknown;
      if (first !== null && typeof first === 'object' && !Array.isArray(first))
        return 'log' in first ? 'har' : 'lines';
    } catch {
      // not a whole value on the first line
    }
  }
  // named .har, or nothing says otherwise: the HAR reader names what is wrong (empty, not JSON, …)
  if (HAR_NAME.test(file) || start < 0) return 'har';
  if (body[start] !== '{') return 'lines';
  return /^\{\s*"log"\s*:/.test(body.slice(start)) ||
    newline < 0 ||
    /^\{\s*$/.test(body.slice(start, newline))
    ? 'har'
    : 'lines';
}

/**
 * Streams the lines of a file (gunzipped when compressed) to `onLine` with their 1-based numbers;
 * blank lines are skipped, a trailing `\r` dropped. Lines are cut from the bytes (never the whole file).
 */
export async function scanLines(file: string, onLine: (text: string, line: number) => void): Promise<void> {
  await scanLineChunks(file, (bytes, firstLine) => {
    eachLine(bytes, firstLine, onLine);
  });
}

/**
 * Streams a file (gunzipped when compressed) as runs of whole lines: `onChunk(bytes, firstLine)` gets
 * lines separated by `\n` (the one after the last is dropped), at least `minBytes` of them unless the
 * file ends. `eachLine` turns a run into lines.
 */
export async function scanLineChunks(
  file: string,
  onChunk: (bytes: Buffer, firstLine: number) => void,
  minBytes = 0,
): Promise<void> {
  const { gzipped } = await head(file, 2);
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzipped ? source.pipe(zlib.createGunzip()) : source;
  if (gzipped) source.on('error', (err) => stream.destroy(err));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  const flush = (bytes: Buffer): void => {
    const first = line;
    for (let k = bytes.indexOf(0x0a); k >= 0; k = bytes.indexOf(0x0a, k + 1)) line++;
    line++;
    onChunk(bytes, first);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.lastIndexOf(0x0a);
      if (nl < 0 || pendingBytes + nl < minBytes) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        continue;
      }
      if (minBytes === 0 && pending.length > 0) {
        // no copy of the chunk: the line it finishes, then its own lines
        const first = chunk.indexOf(0x0a);
        flush(Buffer.concat([...pending, chunk.subarray(0, first)]));
        if (first < nl) flush(chunk.subarray(first + 1, nl));
      } else {
        pending.push(chunk.subarray(0, nl));
        flush(pending.length === 1 ? pending[0] : Buffer.concat(pending));
      }
      pending = nl + 1 < chunk.length ? [chunk.subarray(nl + 1)] : [];
      pendingBytes = chunk.length - nl - 1;
    }
    // what is left may hold several lines (chunks below minBytes)
    if (pendingBytes > 0) flush(pending.length === 1 ? pending[0] : Buffer.concat(pending));
  } catch (err) {
    if (err instanceof MockgenError) throw err;
    throw new MockgenError(`${file}: cannot read the recordings: ${(err as Error).message}`, { file });
  } finally {
    source.destroy();
    stream.destroy();
  }
}

/**
 * The lines of a run from `scanLineChunks` (numbered from `firstLine`) to `onLine`: blank lines
 * skipped without decoding, a trailing `\r` dropped, a byte order mark on line 1 removed.
 */
export function eachLine(
  bytes: Buffer,
  firstLine: number,
  onLine: (text: string, line: number) => void,
): void {
  let line = firstLine;
  let from = 0;
  const n = bytes.length;
  while (from <= n) {
    let to = bytes.indexOf(0x0a, from);
    if (to < 0) to = n;
    let end = to;
    if (end > from && bytes[end - 1] === 0x0d) end--;
    let start = from;
    if (line === 1 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
      start += 3;
    let blank = true;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b !== 0x20 && b !== 0x09) {
        blank = false;
        break;
      }
    }
    if (!blank) onLine(bytes.toString('utf8', start, end), line);
    line++;
    from = to + 1;
  }
}
