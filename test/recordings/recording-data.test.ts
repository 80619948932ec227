import assert from 'node:assert/strict';
import type { Exchange, MatchedExchange } from '../../src/model/types';
import { latencyProfile } from '../../src/derive/latency';
import {
  buildRecordingData,
  escapeTemplateMarkers,
  orderExchanges,
  selectRequestHeaders,
  selectResponseHeaders,
} from '../../src/derive/recording-data';
import { loadHar } from '../../src/recordings/load-har';
import { matchExchanges } from '../../src/recordings/match-operations';
import { contractOf, exchangeOf, fixture } from './helpers';

const jobs = contractOf(
  [
    ['get', '/jobs/{jobId}', 'getJob'],
    ['post', '/jobs', 'createJob'],
  ],
  { basePath: '/v1', servers: ['https://api.example.com/v1'] },
);

function matchedOf(exchanges: Exchange[]): MatchedExchange[] {
  const contract = contractOf(
    [
      ['get', '/pets', 'listPets'],
      ['post', '/pets', 'createPet'],
      ['get', '/pets/{petId}', 'getPet'],
    ],
    { basePath: '/v1' },
  );
  return matchExchanges(contract, { exchanges }).matched;
}

function withResponse(
  e: Exchange,
  status: number,
  headers: [string, string][],
  body?: Exchange['response']['body'],
): Exchange {
  e.response = { status, statusText: '', headers, ...(body ? { body } : {}) };
  return e;
}

describe('derive/recording-data', () => {
  it('orders by time, collapses the same request into a sequence (pending → running → done)', async () => {
    const { matched } = matchExchanges(jobs, await loadHar([fixture('request-order.har')]));
    const data = buildRecordingData(matched, {});
    assert.deepEqual([...data.keys()], ['createJob', 'getJob']);
    const getJob = data.get('getJob');
    assert.ok(getJob);
    assert.equal(getJob.recordings.length, 2);
    assert.deepEqual(getJob.recordings[0].request, {
      pathParams: { jobId: 'job_1' },
      query: [],
      headers: {},
    });
    assert.deepEqual(
      getJob.recordings[0].responses.map((r) => [(r.json as { status: string }).status, r.entry, r.waitMs]),
      [
        ['pending', 1, 10],
        ['running', 2, 20],
        ['done', 0, 30],
      ],
    );
    // equal timestamps: entry order
    assert.deepEqual(
      getJob.recordings[1].responses.map((r) => (r.json as { status: string }).status),
      ['first', 'second'],
    );
    // headers: date and request ids dropped
    assert.deepEqual(getJob.recordings[0].responses[0].headers, [['content-type', 'application/json']]);
    assert.deepEqual(getJob.latency, latencyProfile([10, 20, 30, 20, 20]));
    const create = data.get('createJob')?.recordings[0];
    assert.deepEqual(create?.request.body, { kind: 'export' });
    assert.deepEqual(create?.request.headers, { 'content-type': 'application/json' });
    assert.equal(create?.responses[0].status, 202);
    assert.deepEqual(create?.responses[0].headers, [
      ['content-type', 'application/json'],
      ['location', '/v1/jobs/job_1'],
    ]);
  });

  it('separates requests by path params, query pairs (any order), selected headers and body', () => {
    const get = (url: string, headers: [string, string][] = []) => {
      const e = exchangeOf('GET', url);
      e.request.headers = headers;
      return withResponse(e, 200, [], { mimeType: 'application/json', text: '[]' });
    };
    const post = (text: string) => {
      const e = exchangeOf('POST', '/v1/pets');
      e.request.body = { mimeType: 'application/json', text };
      return withResponse(e, 201, []);
    };
    const matched = matchedOf([
      get('/v1/pets?limit=2&tag=a'),
      get('/v1/pets?tag=a&limit=2'),
      get('/v1/pets?limit=3&tag=a'),
      get('/v1/pets?limit=2&tag=a', [['accept', 'application/xml']]),
      get('/v1/pets?limit=2&tag=a', [
        ['x-request-id', 'r1'],
        ['authorization', 'Bearer x'],
        ['user-agent', 'sdk/1'],
      ]),
      post('{"name":"Rex","tag":"dog"}'),
      post('{"tag":"dog","name":"Rex"}'),
      post('{"name":"Tom"}'),
    ]);
    const data = buildRecordingData(matched);
    assert.deepEqual(
      data.get('listPets')?.recordings.map((r) => [r.request.query, r.request.headers, r.responses.length]),
      [
        [
          [
            ['limit', '2'],
            ['tag', 'a'],
          ],
          {},
          3,
        ],
        [
          [
            ['limit', '3'],
            ['tag', 'a'],
          ],
          {},
          1,
        ],
        [
          [
            ['limit', '2'],
            ['tag', 'a'],
          ],
          { accept: 'application/xml' },
          1,
        ],
      ],
    );
    assert.deepEqual(
      data.get('createPet')?.recordings.map((r) => [r.request.body, r.responses.length]),
      [
        [{ name: 'Rex', tag: 'dog' }, 2],
        [{ name: 'Tom' }, 1],
      ],
    );
    assert.equal(data.get('createPet')?.recordings[0].responses[0].mediaType, '');
  });

  it('stores JSON as json (templatized when asked), text as text, binary as base64', () => {
    const body = (mimeType: string, text?: string, base64?: string) => ({
      mimeType,
      ...(text !== undefined ? { text } : {}),
      ...(base64 ? { base64 } : {}),
    });
    const matched = matchedOf([
      withResponse(
        exchangeOf('GET', '/v1/pets/1'),
        200,
        [['content-type', 'application/json']],
        body('application/json', '{"id":1,"t":{"$tpl":"x"}}'),
      ),
      withResponse(
        exchangeOf('GET', '/v1/pets/2'),
        200,
        [['content-type', 'text/plain']],
        body('text/plain', 'hello'),
      ),
      withResponse(
        exchangeOf('GET', '/v1/pets/3'),
        200,
        [['content-type', 'image/png']],
        body('image/png', undefined, 'iVBORw0K'),
      ),
      withResponse(
        exchangeOf('GET', '/v1/pets/4'),
        200,
        [['content-type', 'application/json']],
        body('application/json', '"just a string"'),
      ),
      withResponse(
        exchangeOf('GET', '/v1/pets/5'),
        200,
        [['content-type', 'application/json']],
        body('application/json', '{broken'),
      ),
      withResponse(exchangeOf('GET', '/v1/pets/6'), 304, [['etag', '"v1"']]),
    ]);
    const responses = buildRecordingData(matched)
      .get('getPet')
      ?.recordings.map((r) => r.responses[0]);
    assert.deepEqual(
      responses?.map((r) => ({ mediaType: r.mediaType, json: r.json, text: r.text, base64: r.base64 })),
      [
        {
          mediaType: 'application/json',
          json: { id: 1, t: { $literal: { $tpl: 'x' } } },
          text: undefined,
          base64: undefined,
        },
        { mediaType: 'text/plain', json: undefined, text: 'hello', base64: undefined },
        { mediaType: 'image/png', json: undefined, text: undefined, base64: 'iVBORw0K' },
        { mediaType: 'application/json', json: 'just a string', text: undefined, base64: undefined },
        { mediaType: 'application/json', json: undefined, text: '{broken', base64: undefined },
        { mediaType: '', json: undefined, text: undefined, base64: undefined },
      ],
    );

    const seen: unknown[] = [];
    const templated = buildRecordingData(matched.slice(0, 2), {
      templatize: (m, value) => {
        seen.push([m.op.id, value]);
        return { $tpl: '{{uuid}}' };
      },
    });
    assert.deepEqual(seen, [['getPet', { id: 1, t: { $tpl: 'x' } }]], 'only JSON bodies, as recorded');
    assert.deepEqual(templated.get('getPet')?.recordings[0].responses[0].json, { $tpl: '{{uuid}}' });
  });

  it('skips failed exchanges', () => {
    const ok = withResponse(exchangeOf('GET', '/v1/pets/1'), 200, []);
    const failed = withResponse(exchangeOf('GET', '/v1/pets/1'), 0, []);
    const matched = matchedOf([ok]);
    matched.push({ ...matched[0], exchange: { ...failed, failed: true } });
    const data = buildRecordingData(matched);
    assert.equal(data.get('getPet')?.recordings[0].responses.length, 1);
    assert.equal(data.get('getPet')?.latency.samples, 1);
  });

  it('is deterministic: same input in another order gives the same output', () => {
    const list = [1, 2, 3, 4, 5, 6].map((i) =>
      withResponse(exchangeOf('GET', `/v1/pets/${i % 3}`), 200, [], {
        mimeType: 'application/json',
        text: `{"n":${i}}`,
      }),
    );
    const a = buildRecordingData(matchedOf(list));
    const b = buildRecordingData(matchedOf([...list].reverse()));
    assert.deepEqual([...a], [...b]);
  });

  describe('orderExchanges', () => {
    it('uses sub-millisecond digits, then file order, then entry; undated entries stay after their predecessor', () => {
      const at = (file: string, entry: number, startedDateTime: string) => ({
        exchange: { ...exchangeOf('GET', '/x'), file, entry, startedDateTime },
      });
      const items = [
        at('a.har', 0, '2024-06-01T10:00:00.000900Z'),
        at('a.har', 1, '2024-06-01T10:00:00.000100Z'),
        at('a.har', 2, 'not a date'),
        at('b.har', 0, '2024-06-01T10:00:00.000100Z'),
        at('a.har', 3, '2024-06-01T09:00:00Z'),
      ];
      assert.deepEqual(
        orderExchanges(items).map((i) => `${i.exchange.file}#${i.exchange.entry}`),
        ['a.har#3', 'a.har#1', 'a.har#2', 'b.har#0', 'a.har#0'],
      );
    });
  });

  describe('header selection', () => {
    it('request: content-type, accept, version headers and non-secret x-* headers', () => {
      assert.deepEqual(
        selectRequestHeaders([
          ['Content-Type', 'application/json; charset=utf-8'],
          ['Accept', 'application/json'],
          ['X-Tenant', 'acme'],
          ['x-api-version', '2'],
          ['Stripe-Version', '2024-06-20'],
          ['OpenAI-Beta', 'assistants=v2'],
          ['X-API-Key', 'k'],
          ['X-Auth-Token', 't'],
          ['X-CSRF-Token', 'c'],
          ['X-Request-Id', 'r'],
          ['X-Correlation-ID', 'c'],
          ['X-Amzn-Trace-Id', 't'],
          ['X-B3-TraceId', 't'],
          ['X-Forwarded-For', '1.2.3.4'],
          ['X-Stainless-Retry-Count', '0'],
          ['X-Amz-Date', '20240601T000000Z'],
          ['X-Idempotency-Key', 'i'],
          ['Idempotency-Key', 'i'],
          ['Authorization', 'Bearer x'],
          ['Cookie', 'a=b'],
          ['User-Agent', 'sdk'],
          ['Accept', 'text/plain'],
        ]),
        {
          accept: 'application/json, text/plain',
          'content-type': 'application/json; charset=utf-8',
          'openai-beta': 'assistants=v2',
          'stripe-version': '2024-06-20',
          'x-api-version': '2',
          'x-tenant': 'acme',
        },
      );
    });

    it('response: what a client reads, without transport, secrets, request ids, CORS', () => {
      assert.deepEqual(
        selectResponseHeaders([
          ['Content-Type', 'application/json'],
          ['Content-Length', '12'],
          ['Content-Encoding', 'gzip'],
          ['Transfer-Encoding', 'chunked'],
          ['Connection', 'keep-alive'],
          ['Date', 'x'],
          ['Set-Cookie', 'sid=1'],
          ['Location', '/v1/pets/1'],
          ['ETag', '"abc"'],
          ['Cache-Control', 'no-store'],
          ['Link', '<https://api.example.com/v1/pets?page=2>; rel="next"'],
          ['Retry-After', '5'],
          ['WWW-Authenticate', 'Bearer realm="api"'],
          ['X-RateLimit-Remaining', '99'],
          ['X-OAuth-Scopes', 'repo'],
          ['Stripe-Version', '2024-06-20'],
          ['Request-Id', 'req_1'],
          ['X-GitHub-Request-Id', 'A:B'],
          ['CF-Ray', 'x'],
          ['Traceparent', 'x'],
          ['Access-Control-Allow-Origin', 'https://app.example.com'],
          ['Strict-Transport-Security', 'max-age=1'],
          ['Server', 'nginx'],
          ['X-Csrf-Token', 'secret'],
          [':status', '200'],
        ]),
        [
          ['content-type', 'application/json'],
          ['location', '/v1/pets/1'],
          ['etag', '"abc"'],
          ['cache-control', 'no-store'],
          ['link', '<https://api.example.com/v1/pets?page=2>; rel="next"'],
          ['retry-after', '5'],
          ['www-authenticate', 'Bearer realm="api"'],
          ['x-ratelimit-remaining', '99'],
          ['x-oauth-scopes', 'repo'],
          ['stripe-version', '2024-06-20'],
        ],
      );
    });
  });

  it('escapeTemplateMarkers wraps only single-key marker objects, deeply', () => {
    assert.deepEqual(
      escapeTemplateMarkers({
        a: [{ $tplJson: '1' }],
        b: { $literal: 2 },
        c: { $tpl: 'x', other: 1 },
        d: null,
      }),
      {
        a: [{ $literal: { $tplJson: '1' } }],
        b: { $literal: { $literal: 2 } },
        c: { $tpl: 'x', other: 1 },
        d: null,
      },
    );
  });
});
