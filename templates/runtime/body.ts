/**
 * Request bodies of the live server: reading with a size limit, Content-Encoding, and parsing —
 * core/request/bodies for every media type but multipart, which busboy streams here.
 */
import type { IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';
import busboy from 'busboy';
import type { UploadedFile } from './core/context';
import { isJsonMediaType } from './core/media-types';
// the parts of core/request the body reader needs, not its index: the validator (Ajv) stays out of start-up
import { BodyParseError, isFormMediaType, isTextMediaType, parseBodySync } from './core/request/bodies';
import { buildFormObject } from './core/request/form-object';
import type { ProblemKind } from './core/problem';

export { buildFormObject, isFormMediaType, isTextMediaType };

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** A request the mock refuses before it reaches the operation, answered as a problem of `kind`. */
export class RequestError extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
  ) {
    super(message);
  }
}

const EMPTY = Buffer.alloc(0);

/** Whether the request announces a body (HTTP/1.1: Content-Length > 0 or Transfer-Encoding). */
export function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the whole body and calls `done` once, without promises (the request pipeline
 * stays on one tick from the last chunk to the response); a 413 RequestError past `limit` bytes.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (err: RequestError | undefined, body: Buffer) => void,
): void {
  if (!announcesBody(req)) {
    done(undefined, EMPTY);
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    done(tooLarge(limit), EMPTY);
    return;
  }
  // most bodies arrive in one chunk: kept as it is, no list and no copy
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  // the listeners stay: the request object is dropped with the response, and a late 'error'
  // must still find a listener. An aborted request is destroyed with an error (ECONNRESET).
  req.on('data', (chunk: Buffer): void => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      // stop buffering; the response closes the connection
      settled = true;
      req.pause();
      done(tooLarge(limit), EMPTY);
    } else if (first === undefined) {
      first = chunk;
    } else {
      (more ??= [first]).push(chunk);
    }
  });
  req.on('end', (): void => {
    if (settled) return;
    settled = true;
    done(undefined, more ? Buffer.concat(more, size) : (first ?? EMPTY));
  });
  req.on('error', (err: Error): void => {
    if (settled) return;
    settled = true;
    done(new RequestError('MALFORMED_REQUEST', `Reading the body failed: ${err.message}`), EMPTY);
  });
}

function tooLarge(limit: number): RequestError {
  return new RequestError(
    'PAYLOAD_TOO_LARGE',
    `The request body exceeds the limit of ${limit} bytes (MOCKGEN_BODY_LIMIT).`,
  );
}

/**
 * The body with its Content-Encoding (gzip, deflate, br) undone, bounded by `limit` once inflated;
 * an unknown coding is a 415 (RFC 7694).
 */
export function decodeContentEncoding(raw: Buffer, encoding: string | undefined, limit: number): Buffer {
  if (encoding === undefined || raw.length === 0) return raw;
  let body = raw;
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  // codings are listed in the order they were applied: undo them last first
  for (const coding of codings.reverse()) {
    const options = { maxOutputLength: limit + 1 };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') body = zlib.gunzipSync(body, options);
      else if (coding === 'deflate') body = zlib.inflateSync(body, options);
      else if (coding === 'br') body = zlib.brotliDecompressSync(body, options);
      else throw new RequestError('INVALID_CONTENT_TYPE', `Unsupported Content-Encoding: ${coding}`);
    } catch (err) {
      if (err instanceof RequestError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
      throw new RequestError(
        'MALFORMED_REQUEST',
        `The ${coding} request body cannot be decoded: ${(err as Error).message}`,
      );
    }
    if (body.length > limit) throw tooLarge(limit);
  }
  return body;
}

/** Body limit from MOCKGEN_BODY_LIMIT (bytes; `10mb`, `512kb` accepted too). */
export function bodyLimit(env: NodeJS.ProcessEnv): number {
  const raw = env.MOCKGEN_BODY_LIMIT?.trim().toLowerCase();
  if (!raw) return DEFAULT_BODY_LIMIT;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/.exec(raw);
  if (!m) return DEFAULT_BODY_LIMIT;
  const unit = m[2]?.[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 * 1024 * 1024 : 1;
  return Math.floor(Number(m[1]) * factor);
}

/**
 * The parsed body (core/request/bodies): JSON value, form fields object, text, or a binary string
 * (latin1: one char per byte, so `maxLength` counts bytes) for other types. Undefined for an empty body.
 * `flatNames`: form field names to keep as they are even when they contain brackets.
 * `uploads`: receives the file parts of a multipart body (name, size, media type).
 * Synchronous except for multipart bodies, which busboy streams (a promise, giving the shape the
 * synchronous core parser gives drift and the HAR loader); throws (or rejects with) a RequestError.
 */
export function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  mediaType: string,
  flatNames?: ReadonlySet<string>,
  uploads?: UploadedFile[],
): unknown {
  if (raw.length === 0) return undefined;
  if (mediaType === 'multipart/form-data')
    return parseMultipart(raw, contentType ?? mediaType, flatNames, uploads);
  try {
    return parseBodySync({ raw, contentType, mediaType, flatNames, uploads });
  } catch (err) {
    if (err instanceof BodyParseError) throw new RequestError('MALFORMED_REQUEST', err.message);
    throw err;
  }
}

function parseMultipart(
  raw: Buffer,
  contentType: string,
  flatNames?: ReadonlySet<string>,
  uploads?: UploadedFile[],
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fieldSize: raw.length, fields: 10_000, parts: 10_000 },
      });
    } catch (err) {
      reject(
        new RequestError(
          'MALFORMED_REQUEST',
          `The multipart body cannot be parsed: ${(err as Error).message}`,
        ),
      );
      return;
    }
    const pairs: [string, unknown][] = [];
    const pending: Promise<void>[] = [];
    parser.on('field', (name, value, info) => {
      let parsed: unknown = value;
      if (isJsonMediaType(info.mimeType.toLowerCase())) {
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = value;
        }
      }
      pairs.push([name, parsed]);
    });
    parser.on('file', (name, stream, info) => {
      const index = pairs.push([name, '']) - 1;
      const upload: UploadedFile = { field: name, mimeType: info.mimeType.toLowerCase(), size: 0 };
      if (info.filename) upload.filename = info.filename;
      uploads?.push(upload);
      const chunks: Buffer[] = [];
      pending.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('close', () => {
            const content = Buffer.concat(chunks);
            upload.size = content.length;
            // JSON parts sent as files (e.g. `metadata.json`) are objects for validation; other files are binary strings
            let value: unknown = content.toString('latin1');
            if (isJsonMediaType(info.mimeType.toLowerCase())) {
              try {
                value = JSON.parse(content.toString('utf8'));
              } catch {
                // keep the string
              }
            }
            pairs[index] = [name, value];
            done();
          });
          stream.on('error', () => done());
        }),
      );
    });
    parser.on('error', (err: Error) =>
      reject(new RequestError('MALFORMED_REQUEST', `The multipart body cannot be parsed: ${err.message}`)),
    );
    parser.on('close', () => {
      Promise.all(pending).then(
        () => resolve(buildFormObject(pairs, flatNames)),
        (err: Error) => reject(err),
      );
    });
    parser.end(raw);
  });
}
