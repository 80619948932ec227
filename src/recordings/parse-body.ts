/**
 * A recorded body → the value later stages compare and learn from, shaped as the emitted server's
 * request interpreter (templates/runtime/core/request) shapes a live request body, so replay compares like with like:
 *
 * | body                                                     | value                                              |
 * | -------------------------------------------------------- | -------------------------------------------------- |
 * | JSON media types (`application/json`, `*+json`, ...)     | parsed JSON (text that fails to parse: the text)   |
 * | no media type, text that parses as JSON                  | parsed JSON                                        |
 * | `application/x-www-form-urlencoded`                      | form object (repeated names → arrays, `a[b]` nests) |
 * | `multipart/form-data`                                    | form object from HAR `params`, else the raw text   |
 * | other text                                               | the string                                         |
 * | binary (only `base64`)                                   | `undefined`                                        |
 */
import type { RecordedBody } from '../model/types';
import {
  BodyParseError,
  buildFormObject,
  multipartPairs,
  parseQuery,
} from '../../templates/runtime/core/request';
import { isJsonMediaType } from '../../templates/runtime/core/media-types';
import { fieldsOf } from './raw-request';

export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** Parses a recorded body as described above. */
export function parseBody(body: RecordedBody | undefined, flatNames?: ReadonlySet<string>): unknown {
  return parseBodyWithKind(body, flatNames).value;
}

/** Like `parseBody`, and says what kind of value it produced. */
export function parseBodyWithKind(
  body: RecordedBody | undefined,
  flatNames?: ReadonlySet<string>,
): { kind: BodyKind; value: unknown } {
  if (!body) return { kind: 'none', value: undefined };
  const mediaType = body.mimeType;
  const { text, params } = body;
  if (mediaType === 'application/x-www-form-urlencoded') {
    if (text !== undefined) return { kind: 'form', value: buildFormObject(parseQuery(text), flatNames) };
    if (params) return { kind: 'form', value: fieldsFromParams(params, flatNames) };
  }
  if (mediaType.startsWith('multipart/')) {
    if (params && params.length > 0) return { kind: 'multipart', value: fieldsFromParams(params, flatNames) };
    if (text !== undefined) {
      const fields = parseMultipartText(text, false, flatNames);
      if (fields) return { kind: 'multipart', value: fields };
    } else if (body.base64 !== undefined) {
      // binary parts (uploads): one char per byte, as the runtime reads file parts
      const fields = parseMultipartText(
        Buffer.from(body.base64, 'base64').toString('latin1'),
        true,
        flatNames,
      );
      if (fields) return { kind: 'multipart', value: fields };
    }
  }
  if (text === undefined) {
    if (params && params.length > 0) return { kind: 'form', value: fieldsFromParams(params, flatNames) };
    return body.base64 !== undefined
      ? { kind: 'binary', value: undefined }
      : { kind: 'none', value: undefined };
  }
  if (isJsonMediaType(mediaType) || mediaType === '') {
    const trimmed = text.replace(/^\uFEFF/, '').trim();
    if (trimmed !== '') {
      try {
        return { kind: 'json', value: JSON.parse(trimmed) };
      } catch {
        // not JSON after all: keep the text
      }
    }
  }
  return { kind: 'text', value: text };
}

function fieldsFromParams(
  params: NonNullable<RecordedBody['params']>,
  flatNames?: ReadonlySet<string>,
): Record<string, unknown> {
  return buildFormObject(fieldsOf(params), flatNames);
}

/**
 * Fields of a raw multipart body (HAR `postData.text` without `params`), read by the interpreter's
 * multipart parser; the boundary comes from the first delimiter line, since the recorded media type
 * has lost its parameters. Undefined when it is not a well-formed multipart body.
 */
function parseMultipartText(
  text: string,
  fromBytes: boolean,
  flatNames?: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  let pairs: [string, unknown][];
  try {
    pairs = multipartPairs(text, fromBytes);
  } catch (err) {
    if (err instanceof BodyParseError) return undefined;
    throw err;
  }
  return pairs.length > 0 ? buildFormObject(pairs, flatNames) : undefined;
}
