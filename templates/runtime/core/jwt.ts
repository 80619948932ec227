/** JWS compact tokens (RFC 7515 §7.1), read without checking the signature. */
import { isRecord } from './json';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
  signingInput: string;
}

/** Longer than this is not taken for a token (a recorded body can be megabytes of base64url). */
const MAX_JWT_LENGTH = 16384;
const B64URL_PART = /^[A-Za-z0-9_-]+={0,2}$/;
const B64URL_SIGNATURE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Header and claims of a JWT (a header with `alg`, JSON object claims); undefined if not a JWT. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.length > MAX_JWT_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !B64URL_PART.test(parts[0]) || !B64URL_PART.test(parts[1])) return undefined;
  if (!B64URL_SIGNATURE.test(parts[2])) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isRecord(header) || !isRecord(payload) || typeof header.alg !== 'string') return undefined;
    return { header, payload, signature: parts[2], signingInput: `${parts[0]}.${parts[1]}` };
  } catch {
    return undefined;
  }
}

export function isJwt(value: string): boolean {
  return decodeJwt(value) !== undefined;
}
