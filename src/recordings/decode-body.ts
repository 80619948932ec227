/**
 * Recorded body bytes → what an `Exchange` holds: `text` for textual media types (legacy charsets
 * decoded), `base64` for binary ones. Undoes HAR `encoding: "base64"` and `content-encoding` gzip /
 * x-gzip / deflate (zlib or raw) / br / zstd (where Node has it), also stacked, whether the writer
 * stored the bytes still encoded or already decoded. Pure: bytes in, bytes out, errors as values.
 */
import { isUtf8 } from 'node:buffer';
import * as zlib from 'node:zlib';
import { harMediaTypeOf, isTextualMediaType } from './media-type';

export interface DecodedBody {
  text: string;
  encoding?: 'base64';
}

/** Why a body cannot be decoded, and which HAR field (`text` or `encoding`) is at fault. */
export interface BodyDecodeError {
  invalid: 'text' | 'encoding';
  reason: string;
}

/**
 * A recorded body's `text` as stored in the HAR (`encoding`: `content.encoding`, `contentEncoding`:
 * the `content-encoding` header, `contentType`: the media type with parameters) → decoded text, or
 * base64 for binary bytes. An error value when the HAR's `text` or `encoding` field is unusable.
 */
export function decodeBody(
  text: string,
  encoding: string,
  contentEncoding: string,
  contentType: string,
): DecodedBody | BodyDecodeError {
  if (encoding === 'base64') {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact))
      return { invalid: 'text', reason: 'encoding is base64 but the text is not base64' };
    return encodeBody(decompress(Buffer.from(compact, 'base64'), contentEncoding, contentType), contentType);
  }
  if (encoding !== '' && encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'identity') {
    return {
      invalid: 'encoding',
      reason: `unsupported body encoding ${JSON.stringify(encoding)} (HAR allows "base64")`,
    };
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
export function decompress(bytes: Buffer, contentEncoding: string, contentType: string): Buffer {
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (
    codings.length === 0 &&
    bytes[0] === 0x1f &&
    bytes[1] === 0x8b &&
    isTextualMediaType(harMediaTypeOf(contentType))
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

/** Decoded bytes of a body as text (for textual media types) or base64. */
export function encodeBody(bytes: Buffer, contentType: string): DecodedBody {
  const mediaType = harMediaTypeOf(contentType);
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
