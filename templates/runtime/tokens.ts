/**
 * Tokens the mock hands out and accepts: HS256 JWTs signed with `manifest.jwtSecret`, and opaque
 * tokens shaped like recorded ones (registered in the handler's store with their expiry). The OAuth2
 * token endpoint that issues them is token-endpoint.ts; templates issue them too (templating.ts).
 */
import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { detached, then, type MaybePromise } from './store/maybe';
import type { StateStore } from './store/state-store';
import type { Manifest } from './core/types';
import { decodeJwt } from './core/jwt';

// ---------------------------------------------------------------------------------------------
// JWT

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

export { decodeJwt, type DecodedJwt } from './core/jwt';

const TIME_CLAIMS = new Set(['iat', 'nbf', 'exp']);

/** A fresh HS256 JWT: recorded claims kept, `iat`/`nbf` = now, `exp` = now + lifetimeS, `jti` renewed. */
export function issueJwt(payload: Record<string, unknown>, lifetimeS: number, manifest: Manifest): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (!TIME_CLAIMS.has(key)) claims[key] = value;
  if (typeof claims.jti === 'string') claims.jti = randomUUID();
  claims.iat = now;
  claims.nbf = now;
  claims.exp = now + Math.max(1, Math.round(lifetimeS));
  const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${sign(input, manifest.jwtSecret)}`;
}

// ---------------------------------------------------------------------------------------------
// Opaque tokens

const REGISTRY_LIMIT = 100_000;

/** Opaque tokens the mock handed out, with their expiry, bounded (the oldest is forgotten first). */
export class TokenRegistry {
  /** token → ms since epoch when it expires (`Infinity`: never) */
  private readonly expiries = new Map<string, number>();

  /** Remembers a token the mock handed out, so `verifyToken` accepts it (until `lifetimeS` passes). */
  register(token: string, lifetimeS?: number): void {
    const registry = this.expiries;
    registry.delete(token);
    registry.set(token, lifetimeS !== undefined && lifetimeS > 0 ? Date.now() + lifetimeS * 1000 : Infinity);
    if (registry.size > REGISTRY_LIMIT) registry.delete(registry.keys().next().value as string);
  }

  expiry(token: string): number | undefined {
    return this.expiries.get(token);
  }

  clear(): void {
    this.expiries.clear();
  }
}

import type { TokenSink } from './core/context';
export type { TokenSink };

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/**
 * A fresh random token shaped like `shape`: the prefix up to the last `_`/`-` is kept when it looks
 * like a label (`sk_test_`, `ghp_`), the rest has the same length and alphabet; other punctuation
 * (`.`, `-`, `=`, `/`, `+`) stays in place, so UUID-like and base64-like shapes stay valid.
 */
export function shapeToken(shape: string): string {
  if (shape === '') return randomBytes(24).toString('base64url');
  const prefix = labelPrefix(shape);
  const body = shape.slice(prefix.length);
  const alphabet = alphabetOf(body);
  let out = prefix;
  for (const ch of body) out += /[A-Za-z0-9]/.test(ch) ? alphabet[randomInt(alphabet.length)] : ch;
  return out === shape && body.length > 0 ? shapeToken(shape) : out;
}

function labelPrefix(shape: string): string {
  const cut = Math.max(shape.lastIndexOf('_'), shape.lastIndexOf('-'));
  if (cut <= 0) return '';
  const prefix = shape.slice(0, cut + 1);
  // a UUID or a long random head is not a label: keep only short, mostly alphabetic prefixes
  if (prefix.length > 24 || prefix.length * 2 > shape.length) return '';
  return /^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*[_-]$/.test(prefix) ? prefix : '';
}

function alphabetOf(body: string): string {
  const alnum = body.replace(/[^A-Za-z0-9]/g, '');
  if (alnum === '') return LOWER + DIGITS;
  const hasLower = /[a-z]/.test(alnum);
  const hasUpper = /[A-Z]/.test(alnum);
  const hasDigit = /[0-9]/.test(alnum);
  if (alnum.length >= 8 && hasDigit && hasLower && /^[0-9a-f]+$/.test(alnum)) return '0123456789abcdef';
  if (alnum.length >= 8 && hasDigit && hasUpper && /^[0-9A-F]+$/.test(alnum)) return '0123456789ABCDEF';
  return (hasLower ? LOWER : '') + (hasUpper ? UPPER : '') + (hasDigit ? DIGITS : '');
}

/**
 * A fresh token shaped like `shape`, registered in `tokens` as valid (for `lifetimeS` seconds when
 * given). Nobody waits for an asynchronous store's registration: until it lands the token is
 * 'unknown', which a secured operation accepts as it accepts any token.
 */
export function issueOpaque(
  shape: string,
  lifetimeS: number | undefined,
  tokens: TokenSink | undefined,
): string {
  const token = shapeToken(shape);
  if (tokens) detached(tokens.registerToken(token, lifetimeS));
  return token;
}

// ---------------------------------------------------------------------------------------------
// Verification

/**
 * 'valid': a registered unexpired token, or a JWT signed by the mock whose `exp` is not past;
 * 'expired': a JWT (whatever its signature) whose `exp` is past, or a registered token past its expiry;
 * 'unknown': anything else (the caller decides whether unknown tokens are accepted).
 */
export function verifyToken(
  token: string,
  manifest: Manifest,
  tokens: Pick<StateStore, 'tokenExpiry'>,
): MaybePromise<TokenVerdict> {
  // the mock's JWTs carry their own expiry and are never registered: no store round trip for them
  if (decodeJwt(token)) return verdict(token, manifest, undefined);
  return then(tokens.tokenExpiry(token), (expiresAt) => verdict(token, manifest, expiresAt));
}

export type TokenVerdict = 'valid' | 'expired' | 'unknown';

function verdict(token: string, manifest: Manifest, expiresAt: number | undefined): TokenVerdict {
  const now = Date.now();
  if (expiresAt !== undefined) return expiresAt <= now ? 'expired' : 'valid';
  const jwt = decodeJwt(token);
  if (!jwt) return 'unknown';
  const exp = Number(jwt.payload.exp);
  if (jwt.payload.exp !== undefined && Number.isFinite(exp) && exp * 1000 <= now) return 'expired';
  if (jwt.header.alg !== 'HS256') return 'unknown';
  const expected = Buffer.from(sign(jwt.signingInput, manifest.jwtSecret));
  const actual = Buffer.from(jwt.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? 'valid' : 'unknown';
}
