import { strict as assert } from 'node:assert';
import { checkExchanges } from '../../src/drift/check-drift';
import type { FindingKind } from '../../src/drift/kinds';
import type { Finding } from '../../src/drift/types';
import type { Contract, Exchange } from '../../src/model/types';
import { contract, exchange, type ExchangeInit, jsonResponse, operation, param } from './helpers';

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

function petsContract(): Contract {
  return contract(
    [
      operation('get', '/pets', {
        parameters: [
          param('limit', 'query', { type: 'integer', minimum: 1, maximum: 100 }),
          param('status', 'query', { type: 'string', enum: ['available', 'sold'] }),
          param('tags', 'query', { type: 'array', items: { type: 'string' } }),
          param('X-Request-Id', 'header', { type: 'string', format: 'uuid' }),
          param('Authorization', 'header', { type: 'integer' }),
        ],
        security: [{ apiKey: [] }, { bearer: [] }],
        responses: [
          jsonResponse(
            '200',
            { type: 'array', items: ref('Pet') },
            {
              headers: [
                {
                  name: 'X-Rate-Limit',
                  required: true,
                  schema: { type: 'integer' },
                  examples: [],
                  pointer: '/h/X-Rate-Limit',
                },
                {
                  name: 'X-Trace',
                  required: false,
                  schema: { type: 'string', format: 'uuid' },
                  examples: [],
                  pointer: '/h/X-Trace',
                },
              ],
            },
          ),
          jsonResponse('4XX', ref('Error')),
        ],
      }),
      operation('get', '/pets/{petId}', {
        parameters: [param('petId', 'path', { type: 'integer' })],
        responses: [jsonResponse('200', ref('Pet')), jsonResponse('404', ref('Error'))],
      }),
      operation('post', '/pets', {
        parameters: [param('X-Tenant', 'header', { type: 'string' }, { required: true })],
        requestBody: {
          required: true,
          content: [
            { mediaType: 'application/json', schema: ref('NewPet'), examples: [], pointer: '/rb/json' },
          ],
          pointer: '/rb',
        },
        responses: [jsonResponse('201', ref('Pet')), jsonResponse('default', ref('Error'))],
      }),
      operation('get', '/animals/{id}', {
        parameters: [param('id', 'path', { type: 'string' })],
        responses: [
          jsonResponse('200', { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'kind' } }),
        ],
      }),
      operation('get', '/shapes', {
        responses: [
          jsonResponse('200', {
            oneOf: [
              { type: 'object', properties: { r: { type: 'number' } }, required: ['r'] },
              { type: 'object', properties: { w: { type: 'number' } }, required: ['w'] },
            ],
          }),
        ],
      }),
      operation('get', '/strict', { responses: [jsonResponse('200', ref('Strict'))] }),
      operation('delete', '/pets/{petId}', {
        parameters: [param('petId', 'path', { type: 'integer' })],
        responses: [jsonResponse('204')],
      }),
      operation('get', '/session', {
        security: [{ cookieAuth: [] }],
        responses: [jsonResponse('200', { type: 'object' })],
      }),
      operation('get', '/basic', { security: [{ basic: [] }], responses: [jsonResponse('200', true)] }),
    ],
    {
      schemas: {
        Owner: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
        },
        Pet: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            status: { type: 'string', enum: ['available', 'sold'] },
            owner: ref('Owner'),
            createdAt: { type: 'string', format: 'date-time' },
            tags: { type: 'array', items: { type: 'string' } },
            attributes: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
        NewPet: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1 }, tag: { type: 'string' } },
        },
        Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
        Cat: {
          type: 'object',
          required: ['kind', 'meows'],
          properties: { kind: { const: 'Cat' }, meows: { type: 'boolean' } },
        },
        Dog: {
          type: 'object',
          required: ['kind', 'barks'],
          properties: { kind: { const: 'Dog' }, barks: { type: 'boolean' } },
        },
        Strict: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
      },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sid' },
        basic: { type: 'http', scheme: 'basic' },
      },
    },
  );
}

const pet = {
  id: 1,
  name: 'Rex',
  status: 'available',
  owner: { name: 'Ann', email: 'ann@example.com' },
  createdAt: '2024-01-01T10:00:00Z',
};
const listOk: ExchangeInit = {
  path: '/pets',
  query: [
    ['limit', '10'],
    ['tags', 'a'],
    ['tags', 'b'],
  ],
  headers: [
    ['X-Api-Key', 'REDACTED'],
    ['X-Request-Id', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
  ],
  responseHeaders: [['X-Rate-Limit', '99']],
  responseBody: [pet],
};
const createOk: ExchangeInit = {
  method: 'POST',
  path: '/pets',
  headers: [['X-Tenant', 't1']],
  body: { name: 'Rex' },
  status: 201,
  responseBody: pet,
};

interface Case {
  name: string;
  kind: FindingKind;
  clean: ExchangeInit;
  dirty: ExchangeInit;
  pointer?: string;
  message?: RegExp;
  severity?: 'error' | 'warning';
}

const cases: Case[] = [
  {
    name: 'unknown path',
    kind: 'undocumented-path',
    clean: listOk,
    dirty: { ...listOk, path: '/owners' },
    pointer: '',
  },
  {
    name: 'unknown method on a known path',
    kind: 'undocumented-method',
    clean: listOk,
    dirty: { ...listOk, method: 'PUT' },
    message: /PUT is not documented for \/pets \(documented: GET, POST\)/,
  },
  {
    name: 'required header parameter',
    kind: 'missing-required-parameter',
    clean: createOk,
    dirty: { ...createOk, headers: [] },
    pointer: '/headers/x-tenant',
  },
  {
    name: 'integer query parameter',
    kind: 'invalid-parameter',
    clean: listOk,
    dirty: { ...listOk, query: [['limit', 'ten']] },
    pointer: '/query/limit',
    message: /query parameter 'limit' 'ten' is a string, expected integer/,
  },
  {
    name: 'query parameter range',
    kind: 'invalid-parameter',
    clean: listOk,
    dirty: { ...listOk, query: [['limit', '500']] },
    pointer: '/query/limit',
  },
  {
    name: 'query parameter enum',
    kind: 'invalid-parameter',
    clean: { ...listOk, query: [['status', 'sold']] },
    dirty: { ...listOk, query: [['status', 'lost']] },
    pointer: '/query/status',
    message: /'lost' is not one of "available", "sold"/,
  },
  {
    name: 'header parameter format',
    kind: 'invalid-parameter',
    clean: listOk,
    dirty: {
      ...listOk,
      headers: [
        ['X-Api-Key', 'k'],
        ['X-Request-Id', 'nope'],
      ],
    },
    pointer: '/headers/x-request-id',
    message: /'nope' is not a valid uuid/,
  },
  {
    name: 'path parameter type',
    kind: 'invalid-parameter',
    clean: { path: '/pets/12', responseBody: pet },
    dirty: { path: '/pets/abc', responseBody: pet },
    pointer: '/path/petId',
  },
  {
    name: 'request body schema',
    kind: 'invalid-request-body',
    clean: createOk,
    dirty: { ...createOk, body: { name: '' } },
    pointer: '/name',
    message: /request body \/name '' must NOT have fewer than 1 characters/,
  },
  {
    name: 'missing required request body',
    kind: 'invalid-request-body',
    clean: createOk,
    dirty: { ...createOk, body: undefined },
    pointer: '',
  },
  {
    name: 'request body extra property (warning)',
    kind: 'invalid-request-body',
    clean: createOk,
    dirty: { ...createOk, body: { name: 'Rex', colour: 'red' } },
    pointer: '/colour',
    severity: 'warning',
  },
  {
    name: 'request content type',
    kind: 'undocumented-request-content-type',
    clean: createOk,
    dirty: { ...createOk, body: 'name=Rex', bodyType: 'application/x-www-form-urlencoded' },
    pointer: '/headers/content-type',
  },
  {
    name: 'no credentials',
    kind: 'missing-credentials',
    clean: listOk,
    dirty: { ...listOk, headers: [] },
    pointer: '/headers/x-api-key',
  },
  {
    name: 'wrong auth scheme',
    kind: 'missing-credentials',
    clean: { path: '/basic', headers: [['Authorization', 'Basic REDACTED']] },
    dirty: { path: '/basic', headers: [['Authorization', 'Bearer abc']] },
  },
  {
    name: 'cookie credentials',
    kind: 'missing-credentials',
    clean: { path: '/session', cookies: [['sid', 'REDACTED']], responseBody: {} },
    dirty: { path: '/session', cookies: [['other', '1']], responseBody: {} },
    pointer: '/cookies/sid',
  },
  {
    name: 'undocumented status',
    kind: 'undocumented-status',
    clean: { ...listOk, status: 429, responseBody: { message: 'slow down' } },
    dirty: { ...listOk, status: 500, responseBody: { message: 'boom' } },
  },
  {
    name: 'response content type',
    kind: 'undocumented-response-content-type',
    clean: listOk,
    dirty: { ...listOk, responseBody: '<html/>', responseType: 'text/html' },
    pointer: '/headers/content-type',
  },
  {
    name: 'missing required property',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: { id: 1 } },
    pointer: '/name',
    message:
      /GET \/pets\/\{petId\} → 200: \/name is required but missing \(schema at #\/components\/schemas\/Pet\/required\)/,
  },
  {
    name: 'wrong type',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: { ...pet, id: '1' } },
    pointer: '/id',
  },
  {
    name: 'enum',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: { ...pet, status: 'lost' } },
    pointer: '/status',
  },
  {
    name: 'format in a referenced schema',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: { ...pet, owner: { name: 'Ann', email: 'n/a' } } },
    pointer: '/owner/email',
    message:
      /GET \/pets\/\{petId\} → 200: \/owner\/email 'n\/a' is not a valid email \(schema at #\/components\/schemas\/Owner\/properties\/email\/format\)/,
  },
  {
    name: 'date-time format',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: { ...pet, createdAt: 'yesterday' } },
    pointer: '/createdAt',
  },
  {
    name: 'array item',
    kind: 'invalid-response-body',
    clean: listOk,
    dirty: { ...listOk, responseBody: [pet, { ...pet, id: 'x' }] },
    pointer: '/1/id',
  },
  {
    name: 'oneOf with discriminator explains the named branch',
    kind: 'invalid-response-body',
    clean: { path: '/animals/a', responseBody: { kind: 'Cat', meows: true } },
    dirty: { path: '/animals/a', responseBody: { kind: 'Cat', meows: 'yes' } },
    pointer: '/meows',
    message: /closest alternative is Cat/,
  },
  {
    name: 'oneOf matched by none',
    kind: 'invalid-response-body',
    clean: { path: '/shapes', responseBody: { r: 1 } },
    dirty: { path: '/shapes', responseBody: { r: 'big' } },
    pointer: '/r',
  },
  {
    name: 'oneOf matched by several',
    kind: 'invalid-response-body',
    clean: { path: '/shapes', responseBody: { w: 2 } },
    dirty: { path: '/shapes', responseBody: { r: 1, w: 2 } },
    pointer: '',
    message: /matches 2 oneOf alternatives/,
  },
  {
    name: 'additionalProperties: false',
    kind: 'invalid-response-body',
    clean: { path: '/strict', responseBody: { a: 'x' } },
    dirty: { path: '/strict', responseBody: { a: 'x', b: 1 } },
    pointer: '/b',
    severity: 'error',
  },
  {
    name: 'extra property is a warning',
    kind: 'invalid-response-body',
    clean: { path: '/pets/1', responseBody: { ...pet, attributes: { any: 'thing' } } },
    dirty: { path: '/pets/1', responseBody: { ...pet, owner: { name: 'Ann', nickname: 'A' } } },
    pointer: '/owner/nickname',
    severity: 'warning',
  },
  {
    name: 'required response header',
    kind: 'missing-required-response-header',
    clean: listOk,
    dirty: { ...listOk, responseHeaders: [] },
    pointer: '/headers/x-rate-limit',
  },
  {
    name: 'response header value',
    kind: 'invalid-response-header',
    clean: {
      ...listOk,
      responseHeaders: [
        ['X-Rate-Limit', '1'],
        ['X-Trace', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
      ],
    },
    dirty: { ...listOk, responseHeaders: [['X-Rate-Limit', 'lots']] },
    pointer: '/headers/x-rate-limit',
  },
  {
    name: 'JSON body that is not JSON',
    kind: 'unparseable-body',
    clean: { path: '/pets/1', responseBody: pet },
    dirty: { path: '/pets/1', responseBody: '{"id": 1,' },
    pointer: '',
  },
];

function check(c: Contract, init: ExchangeInit, extraProperties = true): Finding[] {
  return checkExchanges(c, [exchange(init)], { extraProperties }).findings;
}

describe('drift: one check per kind', () => {
  const c = petsContract();
  for (const t of cases) {
    it(`${t.kind}: ${t.name}`, () => {
      const clean = check(c, t.clean);
      assert.deepEqual(clean, [], `clean entry flagged: ${JSON.stringify(clean, null, 2)}`);
      const dirty = check(c, t.dirty).filter((f) => f.kind === t.kind);
      assert.ok(
        dirty.length > 0,
        `mutated entry not flagged as ${t.kind}: ${JSON.stringify(check(c, t.dirty), null, 2)}`,
      );
      const f = t.pointer === undefined ? dirty[0] : dirty.find((x) => x.pointer === t.pointer);
      assert.ok(f, `no ${t.kind} at ${t.pointer}: ${JSON.stringify(dirty, null, 2)}`);
      assert.equal(f.severity, t.severity ?? 'error');
      assert.equal(f.entry, 0);
      assert.equal(f.file, 'traffic.har');
      if (t.message) assert.match(f.message, t.message);
    });
  }
});

describe('drift: details', () => {
  const c = petsContract();

  it('--no-extra-properties switches the extra-property warnings off, not additionalProperties: false', () => {
    assert.deepEqual(check(c, { path: '/pets/1', responseBody: { ...pet, nick: 'x' } }, false), []);
    assert.equal(check(c, { path: '/strict', responseBody: { b: 1 } }, false).length, 1);
  });

  it('uses ranges and default for documented statuses', () => {
    assert.deepEqual(check(c, { ...createOk, status: 503, responseBody: { message: 'down' } }), []);
  });

  it('reports each violation of one body separately, with the operation and status in the message', () => {
    const findings = check(c, { path: '/pets/1', responseBody: { id: 'x', name: 2, status: 'lost' } });
    assert.deepEqual(findings.map((f) => f.pointer).sort(), ['/id', '/name', '/status']);
    for (const f of findings) assert.match(f.message, /^GET \/pets\/\{petId\} → 200: /);
    assert.ok(findings.every((f) => f.status === 200));
  });

  it('strips the contract base path and tolerates recordings without it', () => {
    const based = { ...c, basePath: '/v1', servers: ['https://api.test/v1'] };
    assert.deepEqual(check(based, { ...listOk, path: '/v1/pets' }), []);
    assert.deepEqual(check(based, listOk), []);
    assert.equal(check(based, { ...listOk, path: '/v2/pets' })[0].kind, 'undocumented-path');
  });

  it('HEAD is served by GET; a CORS preflight is skipped', () => {
    assert.deepEqual(check(c, { ...listOk, method: 'HEAD', responseBody: undefined }), []);
    const result = checkExchanges(c, [
      exchange({ method: 'OPTIONS', path: '/pets', headers: [['Access-Control-Request-Method', 'GET']] }),
    ]);
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary.skipped, 1);
  });

  it('sets aside unmatched requests to other hosts than the API (a browser HAR), not the API host', () => {
    const onHost = (entry: number, host: string, path: string): Exchange => {
      const e = exchange({ ...listOk, path, entry });
      return { ...e, request: { ...e.request, host, url: `https://${host}${path}` } };
    };
    const result = checkExchanges(c, [
      onHost(0, 'api.test', '/pets'),
      onHost(1, 'cdn.example.net', '/app.js'),
      onHost(2, 'analytics.example.org', '/collect'),
      onHost(3, 'api.test', '/no/such/path'),
    ]);
    assert.deepEqual(
      result.findings.map((f) => [f.entry, f.kind]),
      [[3, 'undocumented-path']],
    );
    assert.deepEqual(result.summary.otherHosts, [
      { host: 'cdn.example.net', entries: 1 },
      { host: 'analytics.example.org', entries: 1 },
    ]);
    // nothing matched: no host is known to be the API's, everything is reported
    const none = checkExchanges(c, [onHost(0, 'cdn.example.net', '/app.js')]);
    assert.equal(none.findings.length, 1);
    assert.deepEqual(none.summary.otherHosts, []);
  });

  it('a failed exchange (no response) is checked on the request side only', () => {
    const failed = {
      ...exchange({ ...listOk, status: 0, responseBody: undefined, responseHeaders: [] }),
      failed: true,
    };
    assert.deepEqual(checkExchanges(c, [failed]).findings, []);
  });

  it('deserialises array, deepObject and exploded object query parameters', () => {
    const op = operation('get', '/search', {
      parameters: [
        param('ids', 'query', { type: 'array', items: { type: 'integer' } }, { explode: false }),
        param(
          'filter',
          'query',
          { type: 'object', properties: { min: { type: 'integer' } } },
          { style: 'deepObject', explode: true },
        ),
        param('point', 'query', {
          type: 'object',
          properties: { x: { type: 'number' }, y: { type: 'number' } },
        }),
        param(
          'pipes',
          'query',
          { type: 'array', items: { type: 'boolean' } },
          { style: 'pipeDelimited', explode: false },
        ),
      ],
    });
    const k = contract([op]);
    const ok = check(k, {
      path: '/search',
      query: [
        ['ids', '1,2,3'],
        ['filter[min]', '3'],
        ['x', '1.5'],
        ['y', '2'],
        ['pipes', 'true|false'],
      ],
    });
    assert.deepEqual(ok, []);
    const bad = check(k, {
      path: '/search',
      query: [
        ['ids', '1,b'],
        ['filter[min]', 'x'],
        ['x', 'left'],
        ['pipes', 'true|maybe'],
      ],
    });
    assert.deepEqual(bad.map((f) => f.pointer).sort(), [
      '/query/filter/min',
      '/query/ids/1',
      '/query/pipes/1',
      '/query/point/x',
    ]);
  });

  it('matrix and label path parameters', () => {
    const k = contract([
      operation('get', '/m/{id}', {
        parameters: [
          param(
            'id',
            'path',
            { type: 'array', items: { type: 'integer' } },
            { style: 'matrix', explode: false },
          ),
        ],
      }),
      operation('get', '/l/{id}', {
        parameters: [param('id', 'path', { type: 'integer' }, { style: 'label' })],
      }),
    ]);
    assert.deepEqual(check(k, { path: '/m/;id=1,2' }), []);
    assert.deepEqual(check(k, { path: '/l/.5' }), []);
    assert.equal(check(k, { path: '/l/5' })[0].kind, 'invalid-parameter');
  });

  it('checks form bodies with coerced field types', () => {
    const k = contract([
      operation('post', '/form', {
        requestBody: {
          required: true,
          content: [
            {
              mediaType: 'application/x-www-form-urlencoded',
              schema: {
                type: 'object',
                required: ['age'],
                properties: { age: { type: 'integer' }, name: { type: 'string' } },
              },
              examples: [],
              pointer: '/f',
            },
          ],
          pointer: '/rb',
        },
      }),
    ]);
    assert.deepEqual(
      check(k, {
        method: 'POST',
        path: '/form',
        body: 'age=3&name=x',
        bodyType: 'application/x-www-form-urlencoded',
      }),
      [],
    );
    const bad = check(k, {
      method: 'POST',
      path: '/form',
      body: 'age=old',
      bodyType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual(
      bad.map((f) => [f.kind, f.pointer]),
      [['invalid-request-body', '/age']],
    );
  });

  it('a redacted secret header parameter is present and not validated', () => {
    const k = contract([
      operation('get', '/k', {
        parameters: [
          param('X-Key', 'header', { type: 'string', pattern: '^sk_[a-z0-9]{8}$' }, { required: true }),
        ],
      }),
    ]);
    assert.deepEqual(check(k, { path: '/k', headers: [['X-Key', 'sk_REDACTED']] }), []);
    assert.equal(check(k, { path: '/k', headers: [['X-Key', 'nope']] })[0].kind, 'invalid-parameter');
  });

  it('transport headers the client stack sets are not checked against header parameters', () => {
    const k = contract([
      operation('get', '/k', {
        parameters: [param('Accept-Encoding', 'header', { type: 'string', enum: ['base64'] })],
      }),
    ]);
    assert.deepEqual(check(k, { path: '/k', headers: [['Accept-Encoding', 'gzip, deflate, br']] }), []);
  });

  it('allOf composition: properties of every part are documented, violations inside any part are found', () => {
    const k = contract(
      [
        operation('get', '/x', {
          responses: [
            jsonResponse('200', {
              allOf: [ref('Base'), { type: 'object', properties: { extra: { type: 'integer' } } }],
            }),
          ],
        }),
      ],
      {
        schemas: {
          Base: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        },
      },
    );
    assert.deepEqual(
      check(k, { path: '/x', responseBody: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', extra: 2 } }),
      [],
    );
    const bad = check(k, { path: '/x', responseBody: { id: 'x', extra: 'y', more: true } });
    assert.deepEqual(bad.map((f) => [f.pointer, f.severity]).sort(), [
      ['/extra', 'error'],
      ['/id', 'error'],
      ['/more', 'warning'],
    ]);
  });

  it('extra properties follow the oneOf branch the value matches', () => {
    assert.deepEqual(check(c, { path: '/animals/a', responseBody: { kind: 'Dog', barks: true } }), []);
    const extra = check(c, { path: '/animals/a', responseBody: { kind: 'Cat', meows: true, barks: false } });
    assert.deepEqual(
      extra.map((f) => [f.pointer, f.severity, f.schemaPointer]),
      [['/barks', 'warning', '#/components/schemas/Cat']],
    );
  });

  it('masks the values of credentials and secret-named fields in messages', () => {
    const k = contract(
      [
        operation('get', '/s', {
          parameters: [param('X-Api-Key', 'header', { type: 'string', minLength: 20 })],
          responses: [jsonResponse('200', { type: 'object', properties: { password: { type: 'integer' } } })],
        }),
      ],
      { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    );
    const findings = check(k, {
      path: '/s',
      headers: [['X-Api-Key', 'hunter2secret']],
      responseBody: { password: 'hunter3' },
    });
    assert.equal(findings.length, 2);
    for (const f of findings) {
      assert.doesNotMatch(f.message, /hunter/);
      assert.match(f.message, /'REDACTED'/);
    }
  });

  it('counts entries per operation and lists untested operations', () => {
    const result = checkExchanges(c, [
      exchange(listOk),
      exchange({ ...listOk, entry: 1, path: '/nope' }),
      exchange({ path: '/pets/1', responseBody: { id: 1 }, entry: 2 }),
    ]);
    const row = (name: string) => result.summary.operations.find((r) => r.operation === name);
    assert.deepEqual(row('GET /pets'), {
      operation: 'GET /pets',
      operationId: 'get_/pets',
      entries: 1,
      errors: 0,
      warnings: 0,
    });
    assert.equal(row('GET /pets/{petId}')?.errors, 1);
    assert.equal(row('GET /nope')?.entries, 1);
    assert.ok(result.summary.untestedOperations.includes('POST /pets'));
    assert.ok(!result.summary.untestedOperations.includes('GET /pets'));
    assert.equal(result.summary.entries, 3);
    assert.equal(result.summary.matched, 2);
  });
});
