/** JSON bodies: `application/json` and every `+json` (and vendor JSON types the negotiation module knows). */
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../json';
import { isJsonMediaType } from '../../media-types';
import { decodeText } from './charset';
import { BodyParseError, type BodyParser } from './types';

const NOT_BLANK = /\S/;

export const json: BodyParser = {
  accepts: isJsonMediaType,
  parse(input) {
    let text = decodeText(input);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // blank as `trim` sees it (`\S` is what it keeps), without making the trimmed copy
    if (!NOT_BLANK.test(text)) return undefined;
    // refused before parsing: every later walk over the value (validation, storing, echoing) recurses
    if (nestsDeeperThan(text))
      throw new BodyParseError(
        'json',
        `The request body nests deeper than ${MAX_JSON_DEPTH} levels, the mock's limit.`,
      );
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new BodyParseError('json', `The request body is not valid JSON: ${(err as Error).message}`);
    }
  },
};

/** A JSON value of a part or `content` parameter, or the text as it is when it does not parse. */
export function jsonOrText(text: string): unknown {
  if (nestsDeeperThan(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
