/**
 * HAR 1.2 files (and line-per-exchange logs: scan-recordings.ts, traffic-formats.ts) → `Recordings` (model/types.ts): plain exchanges with decoded bodies.
 *
 * Reads HAR as browsers (Chrome, Firefox), proxies (mitmproxy, Charles, Fiddler), Polly.js and
 * `mockgen record` write it. Files are streamed (read-har-entries.ts): a byte scanner walks
 * `{ "log": { "entries": [ … ] } }` and hands each entry to `JSON.parse` on its own, so memory holds
 * one raw entry at a time plus the decoded exchanges (a 100k-entry, 150 MB HAR loads in a few
 * seconds). `.har.gz` files are gunzipped.
 *
 * Per entry (to-exchange.ts): validate the shape (validate-entry.ts; errors name file, entry index,
 * JSON pointer and reason), decode the bodies (decode-body.ts: base64, gzip / deflate / br whether the
 * tool stored them encoded or already decoded, legacy charsets), redact secrets (redact.ts, unless
 * `redact: false`), then convert.
 */
import type { Diagnostic, Exchange, Recordings } from '../model/types';
import type { RedactOptions } from './redact';
import { expandRecordingPaths, scanRecordings } from './scan-recordings';

// The loader's public surface, wherever each piece lives now.
export { HarEntryScanner, scanHarFile } from './read-har-entries';
export { toExchange } from './to-exchange';
export { findJsonError } from './json-scanner';
export { harMediaTypeOf, isTextualMediaType } from './media-type';
export { detectFormat, expandRecordingPaths, scanRecordings } from './scan-recordings';

export interface LoadHarOptions {
  /** Redaction options, or `false` to keep secrets (tests, trusted local files). Default: redact with defaults. */
  redact?: RedactOptions | false;
}

/**
 * Loads recordings (HAR files, line-per-exchange logs, folders of them: scan-recordings.ts) in order;
 * exchanges keep file order, then entry order. `files` of the result are the files read.
 */
export async function loadHar(paths: string[], options: LoadHarOptions = {}): Promise<Recordings> {
  const files = await expandRecordingPaths(paths);
  const exchanges: Exchange[] = [];
  const diagnostics: Diagnostic[] = [];
  await scanRecordings(files, (exchange) => exchanges.push(exchange), {
    redact: options.redact,
    warn: (file, pointer, message, entry) =>
      diagnostics.push({
        severity: 'warning',
        code: 'sanitised-recording',
        file,
        pointer,
        message: `entry ${entry}: ${message}`,
      }),
  });
  return { files, exchanges, diagnostics };
}

/** The same loader, named for what it reads now. */
export const loadRecordings = loadHar;
