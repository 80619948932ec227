/** Parsed JSON values as HAR error messages name and address them. */

/** What a value is, for "expected …, got <kindOf>" (short strings and numbers quoted). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

/**
 * Nesting deeper than this in a recorded JSON body is refused: every walk over recorded values
 * (matching, templating, learning values, conforming) recurses, and real APIs stay far below it.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * How deeply the JSON text nests, counted without parsing (iteratively, so any depth is safe);
 * stops counting at `limit + 1`. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
