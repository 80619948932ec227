import * as assert from 'node:assert/strict';
import { detectTokenEndpoints } from '../../src/derive/token-endpoints';
import type { SecurityScheme } from '../../templates/runtime/core/types';
import { contract, exchange, op, response } from './dynamic-helpers';

function oauth(tokenUrl: string, refreshUrl?: string): Record<string, SecurityScheme> {
  return {
    oauth: {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl, ...(refreshUrl ? { refreshUrl } : {}), scopes: {} } },
    },
  };
}

describe('token endpoints: detectTokenEndpoints', () => {
  const issue = op('post', '/oauth/token', { id: 'issueToken' });
  const refresh = op('post', '/oauth/refresh', { id: 'refreshToken' });
  const tenant = op('post', '/{tenant}/connect/token', { id: 'tenantToken' });
  const getToken = op('get', '/oauth/token', { id: 'getToken' });
  const ops = [issue, refresh, tenant, getToken];

  const cases: [string, string, string, string[]][] = [
    ['absolute URL with the base path', 'https://auth.example.com/api/oauth/token', '/api', ['issueToken']],
    ['absolute URL without the base path', 'https://auth.example.com/oauth/token', '/api', ['issueToken']],
    ['relative with a leading slash', '/oauth/token', '', ['issueToken']],
    ['relative to the server URL', 'oauth/token', '/api', ['issueToken']],
    ['templated operation path', 'https://login.example.com/acme/connect/token', '', ['tenantToken']],
    ['another host path', 'https://auth.example.com/other/token', '', []],
  ];
  for (const [name, tokenUrl, basePath, want] of cases) {
    it(`OAuth2 tokenUrl: ${name}`, () => {
      assert.deepEqual(
        detectTokenEndpoints(contract(ops, {}, { basePath, securitySchemes: oauth(tokenUrl) }), []),
        want,
      );
    });
  }

  it('OAuth2 refreshUrl too', () => {
    const c = contract(ops, {}, { securitySchemes: oauth('/oauth/token', '/oauth/refresh') });
    assert.deepEqual(detectTokenEndpoints(c, []), ['issueToken', 'refreshToken']);
  });

  it('recorded POSTs to …/token answered with an access_token', () => {
    const login = op('post', '/login/oauth/access_token', { id: 'githubToken' });
    const other = op('post', '/v2/token', { id: 'otherToken' });
    const session = op('post', '/session', { id: 'session' });
    const matched = [
      exchange(login, '/login/oauth/access_token', {
        responseBody: { access_token: 'gho_abc', token_type: 'bearer' },
      }),
      exchange(other, '/v2/token', { responseBody: { token: 'abc' } }),
      exchange(session, '/session', { responseBody: { access_token: 'abc' } }),
      exchange(getToken, '/oauth/token', { responseBody: { access_token: 'abc' } }),
    ];
    assert.deepEqual(detectTokenEndpoints(contract([login, other, session, getToken]), matched), [
      'githubToken',
    ]);
  });

  it('documented POSTs to …/token whose response declares access_token', () => {
    const documented = op('post', '/auth/token', {
      id: 'authToken',
      responses: [response('200', { $ref: '#/$defs/TokenResponse' })],
    });
    const schemas = { TokenResponse: { type: 'object', properties: { access_token: { type: 'string' } } } };
    assert.deepEqual(detectTokenEndpoints(contract([documented], schemas), []), ['authToken']);
    assert.deepEqual(detectTokenEndpoints(contract([op('post', '/auth/token')]), []), []);
  });
});
