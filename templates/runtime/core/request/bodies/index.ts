/**
 * The body parsers, one per media type, tried in order; `raw` takes what none of the others reads.
 * `parseBodySync` is the one reading of a complete body for drift, the HAR loader and the interpreter.
 */
import { formUrlencoded } from './form-urlencoded';
import { json } from './json';
import { multipart } from './multipart';
import { raw } from './raw';
import { text } from './text';
import type { BodyInput, BodyParser } from './types';

export { BodyParseError, type BodyInput, type BodyParser, type UploadedPart } from './types';
export { isTextMediaType } from './text';
export { charsetOf } from './charset';
export { multipartPairs } from './multipart';
export { jsonOrText } from './json';

export const BODY_PARSERS: readonly BodyParser[] = [json, formUrlencoded, multipart, text, raw];

export function isFormMediaType(mediaType: string): boolean {
  return mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data';
}

export function bodyParserFor(mediaType: string): BodyParser {
  return BODY_PARSERS.find((p) => p.accepts(mediaType)) ?? raw;
}

/** The parsed body (JSON value, form object, text, binary string); undefined for an empty body. */
export function parseBodySync(input: BodyInput): unknown {
  if (input.raw.length === 0) return undefined;
  return bodyParserFor(input.mediaType).parse(input);
}
