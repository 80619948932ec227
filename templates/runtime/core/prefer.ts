/**
 * Client preferences for the response, Prism-style: the `Prefer` header
 * (`Prefer: code=404, example=notFound, dynamic=true`) and the `__code`, `__example`, `__dynamic`
 * query parameters (which win over the header and are removed before the request is validated).
 */

export interface Preferences {
  /** wanted status, as sent: `404`, or a range like `4XX` */
  code?: string;
  /** name of a documented example */
  example?: string;
  /** generate data from the schema instead of serving an example */
  dynamic?: boolean;
}

const QUERY_KEYS: Record<string, keyof Preferences> = {
  __code: 'code',
  __example: 'example',
  __dynamic: 'dynamic',
};

/** Parses a `Prefer` header (tokens separated by `,` or `;`, values optionally quoted). */
export function parsePrefer(header: string | string[] | undefined): Preferences {
  const prefs: Preferences = {};
  if (header === undefined) return prefs;
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const token of text.split(/[,;]/)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (token.trim().toLowerCase() === 'dynamic') prefs.dynamic = true;
      continue;
    }
    const key = token.slice(0, eq).trim().toLowerCase();
    const value = unquote(token.slice(eq + 1).trim());
    if (value === '') continue;
    if (key === 'code') prefs.code = value;
    else if (key === 'example') prefs.example = value;
    else if (key === 'dynamic') prefs.dynamic = parseBoolean(value);
  }
  return prefs;
}

/**
 * Preferences from the header and the query, and the query without Prism's `__` parameters.
 * Returns the same `query` array when it holds none (the common case allocates nothing).
 */
export function extractPreferences(
  header: string | string[] | undefined,
  query: [string, string][],
): { prefs: Preferences; query: [string, string][] } {
  const prefs = parsePrefer(header);
  if (!query.some(([name]) => name in QUERY_KEYS)) return { prefs, query };
  const rest: [string, string][] = [];
  for (const pair of query) {
    const key = Object.prototype.hasOwnProperty.call(QUERY_KEYS, pair[0]) ? QUERY_KEYS[pair[0]] : undefined;
    if (key === undefined) rest.push(pair);
    else if (key === 'dynamic') prefs.dynamic = parseBoolean(pair[1]);
    else if (pair[1] !== '') prefs[key] = pair[1];
  }
  return { prefs, query: rest };
}

/** True when the client asked for something specific, which then wins over recordings and state. */
export function hasPreferences(prefs: Preferences): boolean {
  return prefs.code !== undefined || prefs.example !== undefined || prefs.dynamic === true;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v === 'true' || v === '1' || v === 'yes' || v === '';
}
