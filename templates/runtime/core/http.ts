/** HTTP's own grammar where several stages need it (RFC 9110). */

/** `token`: header names, methods, auth schemes, media type parts. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function isHttpToken(text: string): boolean {
  return TOKEN.test(text);
}
