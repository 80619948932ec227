/**
 * Redact secrets from a HAR entry before it is written or used, keeping each value's shape where a
 * later `generate` needs it:
 *
 * | value                          | becomes                                                        |
 * | ------------------------------ | -------------------------------------------------------------- |
 * | `Bearer <jwt>`, any JWT        | same header and claims, signature `REDACTED` (`h.p.REDACTED`)   |
 * | `Bearer <opaque>`, `token <t>`  | `Bearer <opaque token redacted as below>`                       |
 * | `Basic <credentials>`          | `Basic REDACTED` (any other auth scheme: `<Scheme> REDACTED`)   |
 * | opaque token `sk_live_4eC39Hq` | its alphabetic prefix segments + `REDACTED`: `sk_live_REDACTED` |
 * | cookie `sid=abc; Path=/`       | `sid=REDACTED; Path=/` (attributes kept)                        |
 *
 * The prefix kept from an opaque token is the run of purely alphabetic segments each followed by `_`
 * or `-` (at most 3, at most 16 characters), so `ghp_…` → `ghp_REDACTED`, `xoxb-…` → `xoxb-REDACTED`,
 * but a UUID or a token with digits in its first segment becomes plain `REDACTED`. Lengths are not
 * preserved. Redaction is idempotent.
 *
 * What is redacted: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie` and the HAR
 * `cookies` arrays; headers, query parameters, form fields and JSON body fields whose name is a
 * common secret name (below), an apiKey security scheme's `name`, or one of `options.names`.
 * Names compare case-insensitively with `-` and `_` ignored (`X-Api-Key` = `x_api_key`). The URL
 * (query and fragment) is rewritten consistently with `queryString`. Finally every redacted secret
 * of 8+ characters is replaced wherever else it occurs as text (an echoed token in a response body,
 * a multipart body, a `Location` header), so no secret string survives anywhere in the entry.
 */
import type { SecurityScheme } from '../../templates/runtime/core/types';
import type { HarCookie, HarEntry, HarHeader, HarPostData } from './har-types';
import { isFormMediaType, isJsonMediaType, mediaTypeOf } from '../../templates/runtime/core/media-types';
import { CREDENTIAL_NAMES, credentialKey } from '../../templates/runtime/core/names';

export type { HarEntry } from './har-types';

export const REDACTED = 'REDACTED';

export interface RedactOptions {
  /** Extra header / query / form / JSON field / cookie names to redact. */
  names?: string[];
  /** The contract's security schemes: apiKey names (header, query or cookie) are redacted. */
  securitySchemes?: Record<string, SecurityScheme>;
  /** `false` returns an unredacted copy. Default `true`. */
  enabled?: boolean;
}

/** Secrets shorter than this are not searched for in free text (too likely to hit innocent data). */
const MIN_GLOBAL_SECRET_LENGTH = 8;

/** Names seen (header and field names repeat across entries), bounded for odd traffic. */
const normalised = new Map<string, string>();

function normaliseName(name: string): string {
  let out = normalised.get(name);
  if (out === undefined) {
    out = credentialKey(name);
    if (name.length <= 64) {
      if (normalised.size >= 4096) normalised.clear();
      normalised.set(name, out);
    }
  }
  return out;
}

/** True when the value is (or contains) a redaction marker. */
export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && value.includes(REDACTED);
}

const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

function looksLikeJwt(value: string): RegExpExecArray | null {
  const match = JWT.exec(value);
  if (!match) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    if (header && typeof header === 'object' && !Array.isArray(header) && 'alg' in header) return match;
  } catch {
    // not JSON: not a JWT
  }
  return null;
}

const OPAQUE_PREFIX = /^(?:[A-Za-z]+[_-]){1,3}/;

/** Redact one secret value (a token, password, key), keeping JWT claims or a token's type prefix. */
export function redactSecret(value: string): string {
  if (value === '') return value;
  const jwt = looksLikeJwt(value);
  if (jwt) return `${jwt[1]}.${jwt[2]}.${REDACTED}`;
  const prefix = OPAQUE_PREFIX.exec(value)?.[0] ?? '';
  return prefix.length > 0 && prefix.length <= 16 ? `${prefix}${REDACTED}` : REDACTED;
}

/** `Authorization` / `Proxy-Authorization` values. */
export function redactAuthorization(value: string): string {
  const match = /^(\s*)([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+)(.*)$/s.exec(value);
  if (!match) return redactSecret(value.trim());
  const [, lead, scheme, space, credentials] = match;
  if (/^(bearer|token)$/i.test(scheme)) return `${lead}${scheme}${space}${redactSecret(credentials.trim())}`;
  return `${lead}${scheme}${space}${REDACTED}`;
}

/** `Cookie` header: every `name=value` pair gets `name=REDACTED`. */
function redactCookieHeader(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      return `${pair.slice(0, eq)}=${pair.slice(eq + 1).trim() === '' ? '' : REDACTED}`;
    })
    .join(';');
}

/** `Set-Cookie` header: the first `name=value` is redacted, attributes kept. */
function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const first = semi < 0 ? value : value.slice(0, semi);
  const rest = semi < 0 ? '' : value.slice(semi);
  const eq = first.indexOf('=');
  if (eq < 0) return value;
  return `${first.slice(0, eq)}=${first.slice(eq + 1).trim() === '' ? '' : REDACTED}${rest}`;
}

interface CompiledNames {
  names: Set<string>;
  /** Matches text (lower-cased, `-`/`_` removed) that may hold a secret-named field: a cheap pre-filter. */
  anyName: RegExp;
}

/** Callers often pass a fresh options object per entry; cache by the names it adds. */
const compiledCache = new Map<string, CompiledNames>();

function compileNames(options: RedactOptions): CompiledNames {
  const extra: string[] = [];
  for (const name of options.names ?? []) extra.push(normaliseName(name));
  for (const scheme of Object.values(options.securitySchemes ?? {})) {
    if (scheme.type === 'apiKey' && scheme.name) extra.push(normaliseName(scheme.name));
  }
  const key = extra.join('\u0000');
  let compiled = compiledCache.get(key);
  if (!compiled) {
    const names = new Set([...CREDENTIAL_NAMES, ...extra]);
    names.delete('');
    const alternatives = [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    compiled = { names, anyName: new RegExp(alternatives.join('|')) };
    if (compiledCache.size > 100) compiledCache.clear();
    compiledCache.set(key, compiled);
  }
  return compiled;
}

class Redactor {
  private readonly names: Set<string>;
  private readonly anyName: RegExp;
  /** original secret → its redacted form, for the final free-text sweep. */
  readonly seen = new Map<string, string>();

  constructor(options: RedactOptions) {
    ({ names: this.names, anyName: this.anyName } = compileNames(options));
  }

  isSecretName(name: string): boolean {
    return this.names.has(normaliseName(name));
  }

  /** Redact and remember, so the same secret elsewhere gets the same replacement. */
  secret(value: string, redact: (v: string) => string = redactSecret): string {
    if (value === '' || isRedacted(value)) return value;
    const out = redact(value);
    if (out !== value) this.remember(value, out);
    return out;
  }

  private remember(original: string, replacement: string): void {
    this.seen.set(original, replacement);
    // An `Authorization: Bearer <token>` also hides the bare token wherever it is echoed.
    const bearer = /^\s*(?:Bearer|token)\s+(.+?)\s*$/i.exec(original);
    if (bearer) this.seen.set(bearer[1], redactSecret(bearer[1]));
    // Basic credentials decode to `user:password`; hide the password if it shows up in text.
    const basic = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(original);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) this.seen.set(decoded.slice(colon + 1), REDACTED);
    }
  }

  header(header: HarHeader): void {
    const name = header.name.toLowerCase();
    if (name === 'authorization' || name === 'proxy-authorization') {
      header.value = this.secret(header.value, redactAuthorization);
    } else if (name === 'cookie') {
      this.rememberCookiePairs(header.value);
      header.value = redactCookieHeader(header.value);
    } else if (name === 'set-cookie') {
      this.rememberCookiePairs(header.value.split(';')[0]);
      header.value = redactSetCookie(header.value);
    } else if (name === 'location' || name === 'content-location' || name === 'referer') {
      header.value = this.url(header.value);
    } else if (this.isSecretName(name)) {
      header.value = this.secret(header.value);
    }
  }

  private rememberCookiePairs(pairs: string): void {
    for (const pair of pairs.split(';')) {
      const eq = pair.indexOf('=');
      const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
      if (value !== '' && !isRedacted(value)) this.seen.set(value, REDACTED);
    }
  }

  cookie(cookie: HarCookie): void {
    if (cookie.value !== '' && !isRedacted(cookie.value)) {
      this.seen.set(cookie.value, REDACTED);
      cookie.value = REDACTED;
    }
  }

  /** Redact `name=value` pairs of a query string or urlencoded form, keeping the rest byte for byte. */
  pairs(text: string, separator: RegExp = /&/): string {
    return text
      .split(separator)
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const name = safeDecode(pair.slice(0, eq));
        if (!this.isSecretName(name)) return pair;
        const value = safeDecode(pair.slice(eq + 1));
        if (value === '') return pair;
        return `${pair.slice(0, eq)}=${encodeURIComponent(this.secret(value))}`;
      })
      .join('&');
  }

  /** Query and fragment (OAuth implicit flow puts tokens there) of an absolute or relative URL. */
  url(url: string): string {
    const hash = url.indexOf('#');
    const beforeHash = hash < 0 ? url : url.slice(0, hash);
    const fragment = hash < 0 ? undefined : url.slice(hash + 1);
    const q = beforeHash.indexOf('?');
    let out = q < 0 ? beforeHash : `${beforeHash.slice(0, q)}?${this.pairs(beforeHash.slice(q + 1))}`;
    if (fragment !== undefined) out += `#${fragment.includes('=') ? this.pairs(fragment) : fragment}`;
    return out;
  }

  postData(post: HarPostData): void {
    const mediaType = mediaTypeOf(post.mimeType);
    for (const param of post.params ?? []) {
      if (param.value !== undefined && param.fileName === undefined && this.isSecretName(param.name)) {
        param.value = this.secret(param.value);
      }
    }
    if (post.text === undefined || post.encoding === 'base64') return;
    if (isFormMediaType(mediaType)) post.text = this.pairs(post.text);
    else if (isJsonMediaType(mediaType)) post.text = this.jsonText(post.text);
  }

  /** Redact secret-named string fields of a JSON document, keeping its formatting when possible. */
  jsonText(text: string): string {
    if (!this.anyName.test(normaliseName(text))) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    const found = new Map<string, string>();
    const redactedTree = this.jsonValue(parsed, found);
    if (found.size === 0) return text;
    // Replace the string literals in place so numbers, key order and whitespace stay as recorded.
    let out = text;
    for (const [original, replacement] of found) {
      out = out.split(JSON.stringify(original)).join(JSON.stringify(replacement));
    }
    try {
      if (JSON.stringify(JSON.parse(out)) === JSON.stringify(redactedTree)) return out;
    } catch {
      // fall through to re-serialising
    }
    return JSON.stringify(redactedTree, null, /\n\s/.test(text) ? 2 : undefined);
  }

  private jsonValue(value: unknown, found: Map<string, string>): unknown {
    if (Array.isArray(value)) return value.map((item) => this.jsonValue(item, found));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (typeof item === 'string' && this.isSecretName(key) && item !== '' && !isRedacted(item)) {
        const redacted = this.secret(item);
        found.set(item, redacted);
        out[key] = redacted;
      } else {
        out[key] = this.jsonValue(item, found);
      }
    }
    return out;
  }

  /** Replace every remembered secret in free text. */
  sweep(text: string): string {
    let out = text;
    for (const [original, replacement] of this.sortedSecrets()) {
      if (out.includes(original)) out = out.split(original).join(replacement);
    }
    return out;
  }

  private sorted?: [string, string][];
  private sortedSecrets(): [string, string][] {
    // Longest first, so a token is replaced before a secret it contains.
    this.sorted ??= [...this.seen]
      .filter(([original]) => original.length >= MIN_GLOBAL_SECRET_LENGTH)
      .sort((a, b) => b[0].length - a[0].length);
    return this.sorted;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Returns a redacted deep copy of a HAR 1.2 entry (the input is not modified). */
export function redactHarEntry(entry: HarEntry, options: RedactOptions, inPlace = false): HarEntry {
  // HAR entries are JSON: a JSON round trip is the fastest deep copy (and drops what JSON would).
  // `inPlace`: the caller owns `entry` (the recording proxy builds one per exchange) and gets it back redacted.
  const copy = inPlace ? entry : (JSON.parse(JSON.stringify(entry)) as HarEntry);
  if (options.enabled === false) return copy;
  const r = new Redactor(options);
  const { request, response } = copy;

  // Structured parts first: they know which values are secrets.
  for (const header of request.headers ?? []) r.header(header);
  for (const header of response.headers ?? []) r.header(header);
  for (const cookie of request.cookies ?? []) r.cookie(cookie);
  for (const cookie of response.cookies ?? []) r.cookie(cookie);
  for (const param of request.queryString ?? []) {
    if (r.isSecretName(param.name)) param.value = r.secret(param.value);
  }
  request.url = r.url(request.url);
  if (response.redirectURL) response.redirectURL = r.url(response.redirectURL);
  if (request.postData) r.postData(request.postData);
  const content = response.content;
  if (content && content.text !== undefined && content.encoding !== 'base64') {
    const mediaType = mediaTypeOf(content.mimeType);
    if (isJsonMediaType(mediaType)) content.text = r.jsonText(content.text);
    else if (isFormMediaType(mediaType)) content.text = r.pairs(content.text);
  }

  // Then the sweep: any secret seen above, wherever else it appears as text.
  if (r.seen.size === 0) return copy;
  request.url = r.sweep(request.url);
  for (const param of request.queryString ?? []) param.value = r.sweep(param.value);
  for (const header of [...(request.headers ?? []), ...(response.headers ?? [])]) {
    header.value = r.sweep(header.value);
  }
  if (request.postData) {
    if (request.postData.text !== undefined && request.postData.encoding !== 'base64') {
      request.postData.text = r.sweep(request.postData.text);
    }
    for (const param of request.postData.params ?? []) {
      if (param.value !== undefined) param.value = r.sweep(param.value);
    }
  }
  if (content && content.text !== undefined && content.encoding !== 'base64')
    content.text = r.sweep(content.text);
  if (response.redirectURL) response.redirectURL = r.sweep(response.redirectURL);
  return copy;
}
