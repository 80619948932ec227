/**
 * All quoting of contract/recording strings that reach emitted source lives here.
 * A generator is an injection surface: nothing from a contract is pasted into code unescaped.
 */

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get ' +
    'module require number set string symbol type from of async await undefined arguments eval'
  ).split(' '),
);

/** A TypeScript/JavaScript string literal (double-quoted) for any string, safe in any context. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/</g, '\\u003c');
}

/** An object property key: a bare identifier when valid, a quoted string otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** Text for inside a block comment: cannot close the comment or break the line structure. */
export function commentText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/\/\*/g, '/\\*')
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .trim();
}

/** A valid, non-reserved identifier derived from `name`, unique within `used` (which it updates). */
export function allocateIdentifier(name: string, used: Set<string>): string {
  let base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, next: string | undefined) => (next ? next.toUpperCase() : ''))
    .replace(/^[^A-Za-z_$]+/, '');
  if (base === '') base = 'op';
  if (RESERVED.has(base)) base = `${base}_`;
  let candidate = base;
  for (let i = 2; used.has(candidate); i++) candidate = `${base}${i}`;
  used.add(candidate);
  return candidate;
}

/**
 * A file name (one path segment) derived from untrusted text: no separators, no `..`, no control or
 * shell-special characters, no Windows-reserved names, bounded length.
 */
export function safeFileName(name: string, maxLength = 60): string {
  let cleaned = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, maxLength)
    .replace(/[.-]+$/g, '');
  if (cleaned === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned)) cleaned = `x${cleaned}`;
  return cleaned;
}

/** Text for a Markdown table cell. */
export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/`/g, '\\`')
    .replace(/</g, '&lt;')
    .trim();
}

/** Inline code in Markdown that survives backticks in the text. */
export function markdownCode(text: string): string {
  const clean = text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\|/g, '\\|');
  const fence = clean.includes('`') ? '`` ' : '`';
  return `${fence}${clean}${fence === '`' ? '`' : ' ``'}`;
}
