import assert from 'node:assert/strict';
import type { Contract } from '../../src/model/types';
import { loadHar } from '../../src/recordings/load-har';
import {
  createOperationMatcher,
  documentedBasePaths,
  matchExchanges,
} from '../../src/recordings/match-operations';
import { contractOf, exchangeOf, fixture } from './helpers';

const petstore = contractOf(
  [
    ['get', '/pets', 'listPets'],
    ['post', '/pets', 'createPet'],
    ['get', '/pets/{petId}', 'getPet'],
    ['get', '/pets/mine', 'myPets'],
    ['delete', '/pets/{petId}', 'deletePet'],
    ['get', '/files/{name}.{ext}', 'getFile'],
    ['post', '/jobs/{jobId}:cancel', 'cancelJob'],
    ['get', '/', 'root'],
  ],
  { basePath: '/v1', servers: ['https://api.example.com/v1', 'https://eu.example.com/v1'] },
);

function lookup(contract: Contract, method: string, path: string, host = 'api.example.com') {
  const found = createOperationMatcher(contract)(method, path, host);
  return 'reason' in found ? found.reason : `${found.op.id} ${JSON.stringify(found.pathParams)}`;
}

describe('recordings/match-operations', () => {
  const cases: [string, string, string, string?, string?][] = [
    ['base path stripped', 'GET', '/v1/pets', 'listPets {}'],
    ['without the base path', 'GET', '/pets', 'listPets {}'],
    ['path parameter, percent-decoded', 'GET', '/v1/pets/Rex%20Jr', 'getPet {"petId":"Rex Jr"}'],
    ['literal segment wins over a template', 'GET', '/v1/pets/mine', 'myPets {}'],
    ['method chosen on the same template', 'DELETE', '/v1/pets/7', 'deletePet {"petId":"7"}'],
    ['mixed segment', 'GET', '/v1/files/report.pdf', 'getFile {"name":"report","ext":"pdf"}'],
    ['custom method suffix', 'POST', '/v1/jobs/j1:cancel', 'cancelJob {"jobId":"j1"}'],
    ['base path alone is the root', 'GET', '/v1', 'root {}'],
    ['trailing slash tolerated', 'GET', '/v1/pets/', 'listPets {}'],
    ['undocumented method', 'PUT', '/v1/pets/7', 'method'],
    ['HEAD is not served by GET', 'HEAD', '/v1/pets', 'method'],
    ['undocumented path', 'GET', '/v1/owners', 'path'],
    [
      'other host, documented path: matched (staging)',
      'GET',
      '/v1/pets/1',
      'getPet {"petId":"1"}',
      'staging.example.com',
    ],
    ['other host, undocumented path', 'GET', '/collect', 'host', 'www.google-analytics.com'],
    ['other host, undocumented method', 'PATCH', '/v1/pets/1', 'host', 'cdn.example.net'],
    ['second server host, port ignored', 'GET', '/v1/nope', 'path', 'eu.example.com:8443'],
  ];
  for (const [what, method, path, want, host] of cases) {
    it(what, () => assert.equal(lookup(petstore, method, path, host), want));
  }

  it('relative servers: any host is fine, reasons are path or method', () => {
    const contract = contractOf([['get', '/accounts/me', 'me']], {
      basePath: '/api/v2',
      servers: ['/api/v2'],
    });
    assert.equal(lookup(contract, 'GET', '/api/v2/accounts/me', 'localhost:3000'), 'me {}');
    assert.equal(lookup(contract, 'GET', '/favicon.ico', 'localhost:3000'), 'path');
  });

  it('documented base paths come from basePath and every server URL, longest first', () => {
    const contract = contractOf([], {
      basePath: '/v1',
      servers: ['https://a.example.com/v1/', 'https://b.example.com/api/v1', '/', 'https://c.example.com'],
    });
    assert.deepEqual(documentedBasePaths(contract), ['/api/v1', '/v1']);
  });

  it('matches exchanges in order, parses bodies, sets aside failed exchanges', () => {
    const exchanges = [
      exchangeOf('GET', '/v1/pets/1', {
        response: {
          status: 200,
          statusText: 'OK',
          headers: [],
          body: { mimeType: 'application/json', text: '{"id":1}' },
        },
      }),
      exchangeOf('POST', '/v1/pets', {
        request: {
          ...exchangeOf('POST', '/v1/pets').request,
          body: { mimeType: 'application/x-www-form-urlencoded', text: 'name=Rex&tag=a&tag=b' },
        },
      }),
      exchangeOf('GET', 'https://fonts.gstatic.com/s/roboto.woff2'),
      exchangeOf('GET', '/v1/pets/2', { failed: true, response: { status: 0, statusText: '', headers: [] } }),
    ];
    const { matched, unmatched, failed } = matchExchanges(petstore, { exchanges });
    assert.deepEqual(
      matched.map((m) => [m.op.id, m.pathParams, m.requestBody, m.responseBody]),
      [
        ['getPet', { petId: '1' }, undefined, { id: 1 }],
        ['createPet', {}, { name: 'Rex', tag: ['a', 'b'] }, undefined],
      ],
    );
    assert.deepEqual(
      unmatched.map((u) => [u.exchange.request.path, u.reason]),
      [['/s/roboto.woff2', 'host']],
    );
    assert.deepEqual(
      failed.map((e) => e.request.path),
      ['/v1/pets/2'],
    );
  });

  it('matches the exchanges of a real HAR file', async () => {
    const contract = contractOf(
      [
        ['get', '/jobs/{jobId}', 'getJob'],
        ['post', '/jobs', 'createJob'],
      ],
      { basePath: '/v1', servers: ['https://api.example.com/v1'] },
    );
    const recordings = await loadHar([fixture('request-order.har')]);
    const { matched, unmatched } = matchExchanges(contract, recordings);
    assert.equal(unmatched.length, 0);
    assert.deepEqual(
      matched.map((m) => m.op.id),
      ['getJob', 'getJob', 'getJob', 'createJob', 'getJob', 'getJob'],
    );
    assert.deepEqual(matched[3].requestBody, { kind: 'export' });
  });

  it('costs O(segments), not O(operations): 5,000 operations, 20,000 lookups', () => {
    const routes: ['get', string, string][] = [];
    for (let i = 0; i < 5000; i++) routes.push(['get', `/r${i}/{id}/items/{itemId}`, `op${i}`]);
    const contract = contractOf(routes, { basePath: '/v1' });
    const match = createOperationMatcher(contract);
    const started = Date.now();
    for (let i = 0; i < 20000; i++) {
      const found = match('GET', `/v1/r${i % 5000}/x${i}/items/y`);
      assert.ok(!('reason' in found) && found.op.id === `op${i % 5000}`);
    }
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });
});
