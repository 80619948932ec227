/**
 * The OAuth2 token endpoint (RFC 6749 §4/§5) for operations with `issuesTokens`: fresh tokens
 * shaped like the recorded or documented ones (tokens.ts), registered in the handler's store.
 */
import { randomUUID } from 'node:crypto';
import { isRecord } from './core/json';
import type { MockRequest, MockResponse } from './core/context';
import type { StateStore } from './store/state-store';
import { then, type MaybePromise } from './store/maybe';
import { render } from './templating';
import { decodeJwt, issueJwt, issueOpaque, verifyToken } from './tokens';
import type { Manifest, OperationData } from './core/types';

// ---------------------------------------------------------------------------------------------
// OAuth2 token endpoint

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token', 'accessToken', 'refreshToken', 'idToken'];
const KNOWN_GRANTS = new Set(['client_credentials', 'password', 'refresh_token', 'authorization_code']);
const DEFAULT_LIFETIME_S = 3600;

/**
 * MOCKGEN_TOKEN_LIFETIME: seconds every access token the endpoint issues lives (its `expires_in`
 * too), whatever was recorded; undefined when unset. Short lifetimes test a client's refresh logic.
 */
export function tokenLifetimeFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.MOCKGEN_TOKEN_LIFETIME;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** Token request parameters from a form or JSON body (first value of repeated fields). */
export function tokenRequestParams(request: MockRequest): Record<string, string> {
  let body = request.body;
  if (!isRecord(body)) {
    const text = typeof body === 'string' ? body : request.rawBody.toString('utf8');
    body = {};
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (isRecord(parsed)) body = parsed;
      } catch {
        // not JSON: fall through with no parameters
      }
    } else if (trimmed !== '') {
      body = Object.fromEntries(new URLSearchParams(trimmed));
    }
  }
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    params[key] =
      typeof first === 'string' ? first : typeof first === 'object' ? JSON.stringify(first) : String(first);
  }
  return params;
}

function oauthError(status: number, error: string, description: string): MockResponse {
  return {
    status,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    mediaType: 'application/json',
    body: { error, error_description: description },
    source: 'error',
  };
}

interface TokenShape {
  status: number;
  body: Record<string, unknown>;
  mediaType: string;
  source: string;
}

/** The recorded (same grant first) or documented 2xx token response to imitate. */
function tokenShape(op: OperationData, grant: string): TokenShape | undefined {
  let fallback: TokenShape | undefined;
  for (const recording of op.recordings) {
    const recordedGrant = isRecord(recording.request.body) ? recording.request.body.grant_type : undefined;
    for (const response of recording.responses) {
      if (response.status < 200 || response.status > 299 || !isRecord(response.json)) continue;
      const shape = {
        status: response.status,
        body: response.json,
        mediaType: response.mediaType || 'application/json',
        source: `recording:${response.entry}`,
      };
      if (recordedGrant === grant) return shape;
      fallback ??= shape;
    }
  }
  if (fallback) return fallback;
  for (const response of op.responses) {
    if (!/^2\d\d$/.test(response.status)) continue;
    for (const media of response.content) {
      const example = media.examples[0];
      if (example && isRecord(example.value)) {
        return {
          status: Number(response.status),
          body: example.value,
          mediaType: media.mediaType.includes('json') ? media.mediaType : 'application/json',
          source: `example:${example.name}`,
        };
      }
    }
  }
  return undefined;
}

/** Grants seen in the operation's recordings are accepted too (jwt-bearer, device_code...). */
function recordedGrants(op: OperationData): Set<string> {
  const grants = new Set<string>();
  for (const recording of op.recordings) {
    const body = recording.request.body;
    if (isRecord(body) && typeof body.grant_type === 'string') grants.add(body.grant_type);
  }
  return grants;
}

function recordedRefreshTokens(op: OperationData): Set<string> {
  const tokens = new Set<string>();
  for (const recording of op.recordings) {
    const body = recording.request.body;
    if (isRecord(body) && typeof body.refresh_token === 'string') tokens.add(body.refresh_token);
    for (const response of recording.responses) {
      if (isRecord(response.json) && typeof response.json.refresh_token === 'string') {
        tokens.add(response.json.refresh_token);
      }
    }
  }
  return tokens;
}

function basicClientId(request: MockRequest): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? /^Basic\s+(\S+)/i.exec(value) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return decodeURIComponent(colon === -1 ? decoded : decoded.slice(0, colon));
}

/** Replaces a token with a fresh one of the same kind: a JWT stays a JWT, an opaque token keeps its shape. */
function freshToken(
  old: string,
  lifetimeS: number | undefined,
  manifest: Manifest,
  store: StateStore,
): string {
  const jwt = decodeJwt(old);
  if (jwt) return issueJwt(jwt.payload, lifetimeS ?? 30 * 24 * 3600, manifest);
  return issueOpaque(old, lifetimeS, store);
}

/**
 * Answers a token request for an operation with `issuesTokens`; undefined for other operations.
 * Errors follow RFC 6749 §5.2 (`invalid_request`, `invalid_grant`, `unsupported_grant_type`).
 * Issued opaque tokens are registered in `store`; a refresh token is looked up there.
 */
export function handleTokenEndpoint(
  op: OperationData,
  request: MockRequest,
  manifest: Manifest,
  store: StateStore,
  /** MOCKGEN_TOKEN_LIFETIME: the access tokens' lifetime instead of the recorded one */
  lifetimeS?: number,
): MaybePromise<MockResponse | undefined> {
  if (!op.issuesTokens) return undefined;
  const params = tokenRequestParams(request);
  const grant = params.grant_type;
  if (!grant) return oauthError(400, 'invalid_request', 'The request is missing the grant_type parameter.');
  if (!KNOWN_GRANTS.has(grant) && !recordedGrants(op).has(grant)) {
    return oauthError(400, 'unsupported_grant_type', `The grant type "${grant}" is not supported.`);
  }
  if (grant === 'password' && (!params.username || params.password === undefined)) {
    return oauthError(400, 'invalid_request', 'The password grant requires username and password.');
  }
  if (grant === 'authorization_code' && !params.code) {
    return oauthError(400, 'invalid_request', 'The authorization_code grant requires code.');
  }
  if (grant === 'refresh_token') {
    const refresh = params.refresh_token;
    if (!refresh)
      return oauthError(400, 'invalid_request', 'The refresh_token grant requires refresh_token.');
    return then(verifyToken(refresh, manifest, store), (state) => {
      if (state === 'expired') return oauthError(400, 'invalid_grant', 'The refresh token has expired.');
      if (state === 'unknown' && !recordedRefreshTokens(op).has(refresh)) {
        return oauthError(
          400,
          'invalid_grant',
          'The refresh token is invalid or was not issued by this server.',
        );
      }
      return issueTokens(op, request, manifest, store, params, grant, lifetimeS);
    });
  }
  return issueTokens(op, request, manifest, store, params, grant, lifetimeS);
}

/** The token response of a valid token request. */
function issueTokens(
  op: OperationData,
  request: MockRequest,
  manifest: Manifest,
  store: StateStore,
  params: Record<string, string>,
  grant: string,
  lifetimeOverrideS: number | undefined,
): MockResponse {
  const shape = tokenShape(op, grant);
  if (!shape) return defaultTokenResponse(grant, params, request, manifest, store, lifetimeOverrideS);
  const rendered = render(shape.body, request, manifest);
  const body: Record<string, unknown> = isRecord(rendered) ? rendered : {};
  const recordedExpiry = Number(body.expires_in ?? body.expiresIn);
  let lifetimeS = Number.isFinite(recordedExpiry) && recordedExpiry > 0 ? recordedExpiry : DEFAULT_LIFETIME_S;
  if (lifetimeOverrideS !== undefined) {
    lifetimeS = lifetimeOverrideS;
    if (typeof body.expiresIn === 'number' && body.expires_in === undefined) body.expiresIn = lifetimeS;
    else body.expires_in = lifetimeS;
  }
  const refreshExpiry = Number(body.refresh_expires_in);
  const refreshLifetimeS = Number.isFinite(refreshExpiry) && refreshExpiry > 0 ? refreshExpiry : undefined;
  if (params.scope !== undefined && typeof body.scope === 'string') body.scope = params.scope;
  for (const field of TOKEN_FIELDS) {
    const old = body[field];
    if (typeof old !== 'string') continue;
    const isRefresh = field === 'refresh_token' || field === 'refreshToken';
    body[field] = freshToken(old, isRefresh ? refreshLifetimeS : lifetimeS, manifest, store);
  }
  return {
    status: shape.status,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    mediaType: shape.mediaType,
    body,
    source: shape.source,
  };
}

/** RFC 6749 §5.1 response when nothing was recorded or documented: a mock-signed JWT access token. */
function defaultTokenResponse(
  grant: string,
  params: Record<string, string>,
  request: MockRequest,
  manifest: Manifest,
  store: StateStore,
  lifetimeOverrideS: number | undefined,
): MockResponse {
  const lifetimeS = lifetimeOverrideS ?? DEFAULT_LIFETIME_S;
  const subject = params.username ?? params.client_id ?? basicClientId(request) ?? 'mockgen-client';
  const claims: Record<string, unknown> = { sub: subject, jti: randomUUID() };
  if (params.scope) claims.scope = params.scope;
  const body: Record<string, unknown> = {
    access_token: issueJwt(claims, lifetimeS, manifest),
    token_type: 'Bearer',
    expires_in: lifetimeS,
  };
  // client_credentials gets no refresh token (RFC 6749 §4.4.3)
  if (grant !== 'client_credentials')
    body.refresh_token = issueOpaque('rt_' + 'aZ9'.repeat(14), undefined, store);
  if (params.scope) body.scope = params.scope;
  return {
    status: 200,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    mediaType: 'application/json',
    body,
    source: 'generated',
  };
}
