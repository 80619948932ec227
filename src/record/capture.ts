/**
 * Body capture for the recording proxy: a capped copy of the bytes that pass through (the stream
 * itself is forwarded untouched), then decoding (`content-encoding`) and text/base64 choice for HAR.
 */
import * as zlib from 'node:zlib';
import type { HarContent, HarPostData, HarPostParam } from '../recordings/har-types';
import { isFormMediaType, mediaTypeOf } from '../../templates/runtime/core/media-types';

/** Keeps the first `limit` bytes of a stream and counts the rest. */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen, including the ones past the limit. */
  total = 0;

  constructor(readonly limit: number) {}

  add(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(Buffer.from(part));
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept);
  }
}

export interface DecodedBody {
  bytes: Buffer;
  /** The content-encoding could not be undone: `bytes` are as received. */
  undecodable?: string;
  /** Decoding stopped at the size limit. */
  cut?: boolean;
}

/**
 * Undo `content-encoding` (gzip, deflate, br; several in the listed order). Tolerates truncated input
 * (a capped capture) and stops at `maxOutput` bytes, so a compression bomb cannot blow up the recorder.
 */
export async function decodeContent(
  bytes: Buffer,
  contentEncoding: string | undefined,
  maxOutput: number,
): Promise<DecodedBody> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (bytes.length === 0) return { bytes };
  let out = bytes;
  let cut = false;
  for (const coding of codings.reverse()) {
    try {
      const step = await decodeOne(out, coding, maxOutput);
      out = step.bytes;
      cut ||= step.cut;
    } catch (err) {
      return { bytes, undecodable: `${coding}: ${(err as Error).message}` };
    }
  }
  return cut ? { bytes: out, cut } : { bytes: out };
}

function decoderFor(
  coding: string,
  firstByte: number | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(flush);
    case 'deflate':
      // zlib-wrapped is the standard (first byte 0x?8); some servers send raw deflate despite the name.
      return firstByte !== undefined && (firstByte & 0x0f) === 8
        ? zlib.createInflate(flush)
        : zlib.createInflateRaw(flush);
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      throw new Error(`unsupported content-encoding '${coding}'`);
  }
}

function decodeOne(
  input: Buffer,
  coding: string,
  maxOutput: number,
): Promise<{ bytes: Buffer; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const decoder = decoderFor(coding, input[0]);
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (cut: boolean): void => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks, length), cut });
    };
    decoder.on('data', (chunk: Buffer) => {
      if (done) return;
      const room = maxOutput - length;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        length += room;
        decoder.destroy();
        finish(true);
        return;
      }
      chunks.push(chunk);
      length += chunk.length;
    });
    decoder.on('end', () => finish(false));
    decoder.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
    decoder.end(input);
  });
}

const TEXT_MEDIA_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/sql',
  'application/csv',
  'image/svg+xml',
]);

function isTextMediaType(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    TEXT_MEDIA_TYPES.has(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml') ||
    mediaType.endsWith('+yaml')
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as HAR text when it is text (by media type, or valid UTF-8 without controls when unknown), else undefined. */
export function bodyAsText(bytes: Buffer, contentType: string | undefined): string | undefined {
  const mediaType = mediaTypeOf(contentType);
  const declaredText = isTextMediaType(mediaType);
  if (!declaredText && mediaType !== '') return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (!declaredText && /[\u0000-\u0008\u000e-\u001f]/.test(text)) return undefined;
  return text;
}

/** HAR `response.content` for a captured body. */
export async function toHarContent(
  capture: BodyCapture,
  headers: { contentType?: string; contentEncoding?: string },
  maxBodySize: number,
): Promise<HarContent> {
  const wire = capture.bytes();
  const content: HarContent = { size: 0, mimeType: headers.contentType ?? '' };
  const encoding = headers.contentEncoding?.trim();
  const comments: string[] = [];
  let decoded: DecodedBody = { bytes: wire };
  if (encoding && encoding.toLowerCase() !== 'identity') {
    content._encoding = encoding;
    decoded = await decodeContent(wire, encoding, maxBodySize);
    if (decoded.undecodable) {
      comments.push(`body kept as received (${decoded.undecodable})`);
    } else {
      comments.push(`decoded from content-encoding: ${encoding}`);
    }
  }
  const truncated = capture.truncated || decoded.cut === true;
  content.size = truncated && !encoding ? capture.total : decoded.bytes.length;
  if (encoding && !decoded.undecodable && !capture.truncated)
    content.compression = decoded.bytes.length - capture.total;
  if (truncated) {
    content._truncated = true;
    comments.push(`body truncated at ${maxBodySize} bytes (received ${capture.total} bytes on the wire)`);
  }
  if (decoded.bytes.length > 0) {
    const text =
      decoded.undecodable || truncated ? undefined : bodyAsText(decoded.bytes, headers.contentType);
    if (text !== undefined) content.text = text;
    else if (
      truncated &&
      !decoded.undecodable &&
      bodyAsText(decoded.bytes, headers.contentType) !== undefined
    ) {
      // A cut may split a UTF-8 sequence; drop the partial character.
      content.text = decoded.bytes.toString('utf8').replace(/\uFFFD$/, '');
    } else {
      content.text = decoded.bytes.toString('base64');
      content.encoding = 'base64';
    }
  }
  if (comments.length > 0) content.comment = comments.join('; ');
  return content;
}

/** HAR `request.postData` for a captured request body; undefined when there is none. */
export async function toHarPostData(
  capture: BodyCapture,
  headers: { contentType?: string; contentEncoding?: string },
  maxBodySize: number,
): Promise<HarPostData | undefined> {
  if (capture.total === 0) return undefined;
  const content = await toHarContent(capture, headers, maxBodySize);
  const post: HarPostData = { mimeType: headers.contentType ?? '', text: content.text ?? '' };
  if (content.encoding) post.encoding = content.encoding;
  if (content._encoding) post._encoding = content._encoding;
  if (content._truncated) post._truncated = true;
  if (content.comment) post.comment = content.comment;
  if (isFormMediaType(headers.contentType) && !content.encoding) {
    post.params = formParams(post.text ?? '');
  }
  return post;
}

function formParams(text: string): HarPostParam[] {
  const params: HarPostParam[] = [];
  for (const [name, value] of new URLSearchParams(text)) params.push({ name, value });
  return params;
}
