/** Raw query strings and Cookie headers → decoded pairs, as every reader of a request sees them. */

/** `a=1&b=x%20y&b=z` → `[['a','1'],['b','x y'],['b','z']]`; `+` is a space; bad escapes are kept as sent. */
export function parseQuery(search: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (search === '') return pairs;
  let start = 0;
  while (start <= search.length) {
    let end = search.indexOf('&', start);
    if (end < 0) end = search.length;
    if (end > start) {
      const part = search.slice(start, end);
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      pairs.push([decodeComponent(name), decodeComponent(value)]);
    }
    start = end + 1;
  }
  return pairs;
}

/** Decodes a query component (`+` = space); a malformed escape leaves the text as sent. */
export function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `Cookie: a=1; b="x"` → `{a: '1', b: 'x'}` (first occurrence wins, values percent-decoded). */
export function parseCookies(header: string | string[] | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (header === undefined) return cookies;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || name === '__proto__' || Object.prototype.hasOwnProperty.call(cookies, name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    cookies[name] = decodeCookieValue(value);
  }
  return cookies;
}

function decodeCookieValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
