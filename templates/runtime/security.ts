/**
 * Security requirements (an OR of ANDs of schemes): are credentials of the right kind present?
 * Like Prism, any well-formed credential is accepted — a mock cannot know real keys. Bearer tokens
 * the mock can tell are expired (its own, or JWTs with a past `exp`) are refused by the handler.
 * An OAuth2 / OpenID Connect access token is taken where RFC 6750 allows it: the Authorization
 * header, else an `access_token` form field (a form-encoded body, not GET) or query parameter.
 */
import { parseQuery } from './params';
import type { SecurityRequirement, SecurityScheme } from './core/types';

export interface Credentials {
  /** lower-case header names */
  headers: Record<string, string | string[] | undefined>;
  query: [string, string][];
  cookies: Record<string, string>;
  /** for RFC 6750 §2.2 (`access_token` in a form-encoded body) */
  method?: string;
  mediaType?: string;
  rawBody?: Buffer;
}

export type SecurityResult =
  | { ok: true; /** the bearer token of the satisfied requirement, for expiry checks */ bearer?: string }
  | {
      ok: false;
      /** WWW-Authenticate challenges, one per scheme that was not satisfied */ challenges: string[];
    };

/** Checks `requirements` (empty: no security). Unknown scheme names and mutualTLS count as satisfied. */
export function checkSecurity(
  requirements: SecurityRequirement[],
  schemes: Record<string, SecurityScheme>,
  credentials: Credentials,
): SecurityResult {
  if (requirements.length === 0) return { ok: true };
  const challenges: string[] = [];
  for (const requirement of requirements) {
    let satisfied = true;
    let bearer: string | undefined;
    for (const name of Object.keys(requirement)) {
      const scheme = Object.prototype.hasOwnProperty.call(schemes, name) ? schemes[name] : undefined;
      if (!scheme) continue;
      const result = checkScheme(scheme, credentials);
      if (result === false) {
        satisfied = false;
        const challenge = challengeFor(scheme);
        if (!challenges.includes(challenge)) challenges.push(challenge);
      } else if (typeof result === 'string') {
        bearer = result;
      }
    }
    if (satisfied) return { ok: true, bearer };
  }
  return { ok: false, challenges };
}

/** false: missing; true: present; a string: present bearer token. */
function checkScheme(scheme: SecurityScheme, credentials: Credentials): boolean | string {
  switch (scheme.type) {
    case 'apiKey': {
      const name = scheme.name ?? '';
      if (scheme.in === 'query')
        return credentials.query.some(([key, value]) => key === name && value !== '');
      if (scheme.in === 'cookie') return (credentials.cookies[name] ?? '') !== '';
      return headerValue(credentials, name.toLowerCase()) !== '';
    }
    case 'http': {
      const httpScheme = (scheme.scheme ?? '').toLowerCase();
      const auth = authorizationFor(headerValue(credentials, 'authorization'), httpScheme);
      if (!auth) return false;
      if (httpScheme === 'basic') return isBasicCredential(auth.token);
      if (httpScheme === 'bearer') return auth.token;
      return true;
    }
    case 'oauth2':
    case 'openIdConnect': {
      const header = headerValue(credentials, 'authorization');
      if (header === '') return accessTokenParameter(credentials) ?? false;
      const auth = authorizationFor(header, 'bearer');
      return auth ? auth.token : false;
    }
    default:
      // mutualTLS cannot be checked behind a plain HTTP listener
      return true;
  }
}

/** RFC 6750 §2.3 URI query parameter, else §2.2 form-encoded body parameter `access_token`. */
function accessTokenParameter(credentials: Credentials): string | undefined {
  const fromQuery = credentials.query.find(([name, value]) => name === 'access_token' && value !== '');
  if (fromQuery) return fromQuery[1];
  const { rawBody } = credentials;
  if (
    rawBody === undefined ||
    rawBody.length === 0 ||
    credentials.mediaType !== 'application/x-www-form-urlencoded' ||
    (credentials.method ?? 'GET').toUpperCase() === 'GET'
  ) {
    return undefined;
  }
  const field = parseQuery(rawBody.toString('utf8')).find(
    ([name, value]) => name === 'access_token' && value !== '',
  );
  return field?.[1];
}

function headerValue(credentials: Credentials, name: string): string {
  const value = credentials.headers[name];
  if (value === undefined) return '';
  return (Array.isArray(value) ? value[0] : value).trim();
}

/** `Bearer abc` → `{scheme: 'bearer', token: 'abc'}`; undefined when there is no token. */
export function parseAuthorization(value: string): { scheme: string; token: string } | undefined {
  const space = value.indexOf(' ');
  if (space <= 0) return undefined;
  const token = value.slice(space + 1).trim();
  if (token === '') return undefined;
  return { scheme: value.slice(0, space).toLowerCase(), token };
}

/**
 * The credentials of `scheme` in an Authorization value. Also found in a comma-joined list (`x,
 * Bearer abc`): clients that send the contract's `Authorization` header parameter and their
 * credentials send two headers, which fetch and proxies join.
 */
function authorizationFor(value: string, scheme: string): { scheme: string; token: string } | undefined {
  if (value.includes(',')) {
    for (const part of value.split(',')) {
      const candidate = parseAuthorization(part.trim());
      if (candidate?.scheme === scheme) return candidate;
    }
  }
  const auth = parseAuthorization(value);
  return auth?.scheme === scheme ? auth : undefined;
}

function isBasicCredential(token: string): boolean {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(token)) return false;
  return Buffer.from(token, 'base64').toString('utf8').includes(':');
}

function challengeFor(scheme: SecurityScheme): string {
  switch (scheme.type) {
    case 'apiKey':
      return `ApiKey realm="*", in="${scheme.in ?? 'header'}", name="${(scheme.name ?? '').replace(/[^\x20-\x7e]|["\\]/g, '')}"`;
    case 'http': {
      const name = (scheme.scheme ?? 'bearer').toLowerCase();
      if (name === 'basic') return 'Basic realm="*"';
      if (name === 'bearer') return 'Bearer';
      return `${name.charAt(0).toUpperCase()}${name.slice(1)} realm="*"`;
    }
    default:
      return 'Bearer';
  }
}

/** The challenge for a bearer token the mock knows to be expired (RFC 6750 §3.1). */
export const EXPIRED_TOKEN_CHALLENGE =
  'Bearer error="invalid_token", error_description="The access token expired"';
