import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { MockResponse } from '../../templates/runtime/core/context';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import { handleTokenEndpoint as tokenEndpoint } from '../../templates/runtime/token-endpoint';
import {
  decodeJwt,
  issueJwt,
  issueOpaque as issue,
  shapeToken,
  verifyToken as verify,
  type TokenVerdict,
} from '../../templates/runtime/tokens';
import type { Manifest } from '../../templates/runtime/core/types';
import { manifest, op, recorded, recording, request } from '../fixtures/runtime-behaviour/helpers';

const m = manifest();
// the tokens these tests issue and verify: a store of their own (in memory: every answer is a value)
const session = new MemoryStore();
const handleTokenEndpoint = (...args: Parameters<typeof tokenEndpoint>) =>
  tokenEndpoint(...args) as MockResponse | undefined;
const verifyToken = (token: string, manifest: Manifest) => verify(token, manifest, session) as TokenVerdict;
const issueOpaque = (shape: string, lifetimeS?: number) => issue(shape, lifetimeS, session);
const registerToken = (token: string, lifetimeS?: number) => session.registerToken(token, lifetimeS);

function foreignJwt(claims: Record<string, unknown>, secret = 'someone-else'): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

const recordedJwt = foreignJwt({
  sub: 'svc-account',
  aud: 'api',
  scope: 'orders:read',
  iat: 1600000000,
  exp: 1600003600,
});

const tokenOp = op({
  id: 'createToken',
  method: 'post',
  path: '/oauth/token',
  issuesTokens: true,
  recordings: [
    recording({ body: { grant_type: 'client_credentials', client_id: 'abc' } }, [
      recorded(200, {
        access_token: recordedJwt,
        token_type: 'Bearer',
        expires_in: 7200,
        scope: 'orders:read',
      }),
    ]),
    recording({ body: { grant_type: 'password', username: 'u', password: 'p' } }, [
      recorded(200, {
        access_token: 'at_Xy12ab34Cd56ef78Gh90',
        refresh_token: 'rt_0123456789abcdef0123456789abcdef',
        token_type: 'bearer',
        expires_in: 300,
      }),
    ]),
  ],
});

function form(fields: Record<string, string>) {
  return request({
    method: 'POST',
    body: fields,
    mediaType: 'application/x-www-form-urlencoded',
    rawBody: Buffer.from(new URLSearchParams(fields).toString()),
  });
}

describe('runtime behaviour: tokens', () => {
  describe('verifyToken', () => {
    // evaluated when each case runs: the suite may start long after this list is built
    const now = (): number => Math.floor(Date.now() / 1000);
    const cases: [string, () => string, 'valid' | 'expired' | 'unknown'][] = [
      ['mock-signed JWT', () => issueJwt({ sub: 'x' }, 60, m), 'valid'],
      ['JWT signed by another key', () => foreignJwt({ sub: 'x', exp: now() + 60 }), 'unknown'],
      ['expired JWT with a foreign signature', () => foreignJwt({ sub: 'x', exp: now() - 10 }), 'expired'],
      ['expired mock-signed JWT', () => foreignJwt({ exp: now() - 1 }, m.jwtSecret), 'expired'],
      ['tampered mock JWT', () => issueJwt({ sub: 'x' }, 60, m).replace(/\.[^.]+$/, '.AAAA'), 'unknown'],
      ['registered opaque token', () => issueOpaque('tok_abcdefghijkl'), 'valid'],
      ['opaque token with a lifetime', () => issueOpaque('tok_abcdefghijkl', 60), 'valid'],
      [
        'registered opaque token past its expiry',
        () => {
          registerToken('old_token_value', 0.001);
          const until = Date.now() + 5;
          while (Date.now() < until) {
            // wait for the token to expire
          }
          return 'old_token_value';
        },
        'expired',
      ],
      ['random string', () => 'not-a-token', 'unknown'],
      [
        'alg none JWT',
        () => foreignJwt({ sub: 'x' }).replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url')),
        'unknown',
      ],
    ];
    for (const [name, make, want] of cases) it(name, () => assert.equal(verifyToken(make(), m), want));
  });

  describe('shapeToken', () => {
    const shapes: [string, RegExp][] = [
      ['sk_test_4eC39HqLyjWDarjtT1zdp7dc', /^sk_test_[A-Za-z0-9]{24}$/],
      ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', /^ghp_[A-Za-z0-9]{36}$/],
      [
        '550e8400-e29b-41d4-a716-446655440000',
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ],
      ['AbCdEf==', /^[A-Za-z]{6}==$/],
      ['12345678', /^\d{8}$/],
    ];
    for (const [shape, want] of shapes) {
      it(shape, () => {
        const token = shapeToken(shape);
        assert.match(token, want);
        assert.notEqual(token, shape);
      });
    }
  });

  describe('handleTokenEndpoint', () => {
    it('ignores operations that do not issue tokens', () => {
      assert.equal(
        handleTokenEndpoint(op(), form({ grant_type: 'client_credentials' }), m, session),
        undefined,
      );
    });

    const errors: [string, Record<string, string>, number, string][] = [
      ['missing grant_type', { client_id: 'abc' }, 400, 'invalid_request'],
      ['unsupported grant', { grant_type: 'magic' }, 400, 'unsupported_grant_type'],
      ['password grant without password', { grant_type: 'password', username: 'u' }, 400, 'invalid_request'],
      ['authorization_code without code', { grant_type: 'authorization_code' }, 400, 'invalid_request'],
      ['refresh without token', { grant_type: 'refresh_token' }, 400, 'invalid_request'],
      [
        'refresh with an unknown token',
        { grant_type: 'refresh_token', refresh_token: 'nope' },
        400,
        'invalid_grant',
      ],
    ];
    for (const [name, fields, status, error] of errors) {
      it(`rejects: ${name}`, () => {
        const res = handleTokenEndpoint(tokenOp, form(fields), m, session);
        assert.ok(res);
        assert.equal(res.status, status);
        assert.equal((res.body as { error: string }).error, error);
        assert.equal(res.headers['cache-control'], 'no-store');
      });
    }

    it('client_credentials: a JWT stays a JWT with claims kept, fresh times, signed by the mock', () => {
      const res = handleTokenEndpoint(
        tokenOp,
        form({ grant_type: 'client_credentials', client_id: 'abc' }),
        m,
        session,
      );
      assert.ok(res);
      assert.equal(res.status, 200);
      const body = res.body as Record<string, unknown>;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 7200);
      assert.equal(body.scope, 'orders:read');
      const jwt = decodeJwt(body.access_token as string);
      assert.ok(jwt);
      assert.equal(jwt.payload.sub, 'svc-account');
      assert.equal(jwt.payload.aud, 'api');
      assert.ok(Math.abs((jwt.payload.exp as number) - Date.now() / 1000 - 7200) < 5);
      assert.equal(verifyToken(body.access_token as string, m), 'valid');
      assert.equal(res.source, `recording:${tokenOp.recordings[0].responses[0].entry}`);
    });

    it('accepts JSON bodies and echoes a requested scope', () => {
      const body = { grant_type: 'client_credentials', scope: 'orders:write' };
      const res = handleTokenEndpoint(tokenOp, request({ method: 'POST', body }), m, session);
      assert.equal((res?.body as Record<string, unknown>).scope, 'orders:write');
    });

    it('password grant: opaque tokens keep their shape; the issued refresh token is accepted', () => {
      const res = handleTokenEndpoint(
        tokenOp,
        form({ grant_type: 'password', username: 'u', password: 'p' }),
        m,
        session,
      );
      const body = res?.body as Record<string, string>;
      assert.match(body.access_token, /^at_[A-Za-z0-9]{20}$/);
      assert.match(body.refresh_token, /^rt_[0-9a-f]{32}$/);
      assert.equal(verifyToken(body.access_token, m), 'valid');

      const refreshed = handleTokenEndpoint(
        tokenOp,
        form({ grant_type: 'refresh_token', refresh_token: body.refresh_token }),
        m,
        session,
      );
      assert.equal(refreshed?.status, 200);
      const again = refreshed?.body as Record<string, string>;
      assert.ok(again.access_token);
      assert.notEqual(again.access_token, body.access_token);
    });

    it('refresh grant accepts the refresh token from the recording', () => {
      const res = handleTokenEndpoint(
        tokenOp,
        form({ grant_type: 'refresh_token', refresh_token: 'rt_0123456789abcdef0123456789abcdef' }),
        m,
        session,
      );
      assert.equal(res?.status, 200);
    });

    it('refresh grant rejects an expired JWT refresh token', () => {
      const expired = foreignJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 5 }, m.jwtSecret);
      const res = handleTokenEndpoint(
        tokenOp,
        form({ grant_type: 'refresh_token', refresh_token: expired }),
        m,
        session,
      );
      assert.equal(res?.status, 400);
      assert.equal((res?.body as { error: string }).error, 'invalid_grant');
    });

    it('uses the documented example, or a default shape, when nothing was recorded', () => {
      const documented = op({
        issuesTokens: true,
        responses: [
          {
            status: '200',
            description: 'ok',
            headers: [],
            content: [
              {
                mediaType: 'application/json',
                examples: [
                  {
                    name: 'default',
                    value: { access_token: 'abc.def', token_type: 'Bearer', expires_in: 60 },
                  },
                ],
              },
            ],
          },
        ],
      });
      const res = handleTokenEndpoint(documented, form({ grant_type: 'client_credentials' }), m, session);
      assert.equal(res?.source, 'example:default');
      assert.match((res?.body as Record<string, string>).access_token, /^[a-z]{3}\.[a-z]{3}$/);

      const bare = op({ issuesTokens: true });
      const gen = handleTokenEndpoint(
        bare,
        form({ grant_type: 'authorization_code', code: 'xyz' }),
        m,
        session,
      );
      const body = gen?.body as Record<string, unknown>;
      assert.equal(gen?.status, 200);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.equal(verifyToken(body.access_token as string, m), 'valid');
      assert.equal(verifyToken(body.refresh_token as string, m), 'valid');
    });
  });
});
