/** Bytes → text per the Content-Type's `charset` (UTF-8 when none); one rule for every text-like body. */
import { BodyParseError, type BodyInput } from './types';

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
const LATIN1 = new Set(['iso-8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252']);
const UTF16 = new Set(['utf-16le', 'utf-16']);

/** The `charset` parameter of a Content-Type, lower case; undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !contentType.includes(';')) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1].toLowerCase() : undefined;
}

/** The body as text; a string (already decoded) is returned as it is. An unknown charset is a BodyParseError. */
export function decodeText(input: BodyInput): string {
  const { raw } = input;
  const charset = charsetOf(input.contentType);
  // text from a HAR is decoded already, but its charset is judged as the live request's would be
  if (charset === undefined || UTF8.has(charset)) return typeof raw === 'string' ? raw : raw.toString('utf8');
  if (LATIN1.has(charset)) return typeof raw === 'string' ? raw : raw.toString('latin1');
  if (UTF16.has(charset)) return typeof raw === 'string' ? raw : raw.toString('utf16le');
  throw new BodyParseError('charset', `The request body's charset '${charset}' is not supported.`);
}
