/**
 * `multipart/form-data`, synchronously, from a complete buffered body: the reading drift and the HAR
 * loader use (the live server streams with busboy and gets the same shape). Fields are text (UTF-8),
 * JSON parts are parsed, files are binary strings (latin1, one char per byte); nested names as in
 * urlencoded forms. A part is a file when it has a `filename` or is `application/octet-stream`, as
 * busboy decides; part header parameters are read as latin1, as busboy does by default.
 */
import { isJsonMediaType } from '../../media-types';
import { buildFormObject } from '../form-object';
import { jsonOrText } from './json';
import { BodyParseError, type BodyParser, type UploadedPart } from './types';

export const multipart: BodyParser = {
  accepts: (mediaType) => mediaType === 'multipart/form-data',
  parse(input) {
    const fromBytes = typeof input.raw !== 'string';
    const text = typeof input.raw === 'string' ? input.raw : input.raw.toString('latin1');
    const pairs = multipartPairs(text, fromBytes, input.contentType, input.uploads);
    return buildFormObject(pairs, input.flatNames);
  },
};

function fail(reason: string): never {
  throw new BodyParseError('multipart', `The multipart body cannot be parsed: ${reason}`);
}

/** The boundary of the Content-Type, else of the body's first delimiter line (HAR media types lose it). */
function boundaryOf(contentType: string | undefined, text: string): string | undefined {
  const param = contentType ? /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType) : null;
  if (param) return param[1] ?? param[2];
  return /^(?:\r?\n)*--([^\r\n]+?)[ \t]*\r?\n/.exec(text)?.[1];
}

/**
 * `text`: one char per byte when `fromBytes` (field values are then decoded as UTF-8), else text that
 * is already decoded.
 */
export function multipartPairs(
  text: string,
  fromBytes: boolean,
  contentType?: string,
  uploads?: UploadedPart[],
): [string, unknown][] {
  const boundary = boundaryOf(contentType, text);
  if (boundary === undefined) fail('Multipart: Boundary not found');
  const delimiter = `--${boundary}`;
  let at = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  if (at < 0) fail('Unexpected end of form');
  if (at > 0) at += 1;
  const pairs: [string, unknown][] = [];
  for (;;) {
    let start = at + delimiter.length;
    if (text.startsWith('--', start)) break; // the close delimiter
    // transport padding, then the line break
    while (text[start] === ' ' || text[start] === '\t') start++;
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
    else fail('Malformed part header');
    const next = text.indexOf(`\n${delimiter}`, start);
    if (next < 0) fail('Unexpected end of form');
    const end = next > start && text[next - 1] === '\r' ? next - 1 : next;
    const part = readPart(text.slice(start, end), fromBytes, uploads);
    if (part) pairs.push(part);
    at = next + 1;
  }
  return pairs;
}

function readPart(part: string, fromBytes: boolean, uploads?: UploadedPart[]): [string, unknown] | undefined {
  let headEnd: number;
  let bodyStart: number;
  if (part.startsWith('\r\n') || part.startsWith('\n')) {
    headEnd = 0;
    bodyStart = part.startsWith('\r\n') ? 2 : 1;
  } else {
    const split = /\r?\n\r?\n/.exec(part);
    if (!split) fail('Malformed part header');
    headEnd = split.index;
    bodyStart = split.index + split[0].length;
  }
  const head = part.slice(0, headEnd);
  const content = part.slice(bodyStart);
  const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
  const name = parameter(disposition, 'name');
  if (name === undefined) return undefined;
  const filename = parameter(disposition, 'filename');
  const typeHeader = /^content-type:(.*)$/im.exec(head)?.[1];
  const mimeType = typeHeader ? typeHeader.split(';')[0].trim().toLowerCase() : 'text/plain';
  const json = isJsonMediaType(mimeType);
  const decoded = (): string => (fromBytes ? Buffer.from(content, 'latin1').toString('utf8') : content);
  if (filename !== undefined || mimeType === 'application/octet-stream') {
    const upload: UploadedPart = {
      field: name,
      mimeType,
      size: fromBytes ? content.length : Buffer.byteLength(content),
    };
    if (filename) upload.filename = filename;
    uploads?.push(upload);
    // JSON parts sent as files (`metadata.json`) are objects for validation; other files binary strings
    if (json) {
      const value = jsonOrText(decoded());
      return [name, typeof value === 'string' ? content : value];
    }
    return [name, content];
  }
  return [name, json ? jsonOrText(decoded()) : decoded()];
}

function parameter(disposition: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i');
  const m = re.exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
