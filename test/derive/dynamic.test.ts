import * as assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import {
  analyseDynamic,
  maskShape,
  templatize,
  templatizeHeaders,
  type DynamicField,
} from '../../src/derive/dynamic';
import type { MatchedExchange } from '../../src/model/types';
import { STARTED, exchange, makeJwt, op, response } from './dynamic-helpers';

/** Renders a template with stub helpers that print their arguments, as the runtime's Handlebars would parse it. */
function render(template: string): string {
  const hbs = Handlebars.create();
  const args = (name: string) =>
    function (...all: unknown[]): string {
      return `${name}(${JSON.stringify(all.slice(0, -1))})`;
    };
  for (const name of ['now', 'jwt', 'opaque', 'uuid', 'req']) hbs.registerHelper(name, args(name));
  const known = { now: true, jwt: true, opaque: true, uuid: true, req: true };
  return hbs.compile(template, { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: known })(
    {},
  );
}

function run(m: MatchedExchange, all: MatchedExchange[] = [m]): { value: any; fields: DynamicField[] } {
  return templatize(m, m.responseBody, analyseDynamic(all));
}

const getThing = op('get', '/things/{thingId}', { id: 'getThing' });

describe('dynamic: templatize', () => {
  it('re-issues JWTs with their recorded claims and lifetime', () => {
    const payload = { sub: 'user-1', scope: 'read "quoted" \\ back', iat: 1714557600, exp: 1714558500 };
    const m = exchange(op('post', '/login'), '/login', {
      responseBody: { access_token: makeJwt(payload), other: makeJwt({ sub: 'x' }), token_type: 'bearer' },
    });
    const { value, fields } = run(m);
    assert.equal(render(value.access_token.$tpl), `jwt(${JSON.stringify([JSON.stringify(payload), 900])})`);
    assert.equal(render(value.other.$tpl), `jwt(${JSON.stringify([JSON.stringify({ sub: 'x' }), 3600])})`);
    assert.equal(value.token_type, 'bearer');
    assert.deepEqual(
      fields.map((f) => [f.pointer, f.kind]),
      [
        ['/access_token', 'jwt'],
        ['/other', 'jwt'],
      ],
    );
  });

  it('does not take dotted strings without a JSON header for JWTs', () => {
    const m = exchange(getThing, '/things/1', {
      responseBody: { version: 'abc.def.ghi', host: 'api.example.com' },
    });
    assert.deepEqual(run(m).value, { version: 'abc.def.ghi', host: 'api.example.com' });
  });

  it('replaces opaque tokens by fresh ones of the same shape', () => {
    const refresh = 'rt_8fA9c0Zq1Lm2Nb3Vx4Cz5Kj6';
    const m = exchange(op('post', '/oauth/token'), '/oauth/token', {
      responseBody: {
        refresh_token: refresh,
        session: 'a8f5f167f44f4964e6c998dee827110c',
        client_secret: 'cs_live_QWErty123456',
        api_key: 'short', // shorter than 8: not a token
        next_page_token: 'cGFnZTI=xyzxyzxyz',
        cache_key: 'aaaaaaaaaaaaaaaaaaaaaaaa', // low entropy under a *_key name: kept
        deploy_key: 'Zx8Qw2Er4Ty6Ui8Op0AsDf', // high entropy under a *_key name
        token_type: 'Bearer',
        expires_in: 3600,
      },
    });
    const { value, fields } = run(m);
    const shape = /^\{\{opaque "(.*)"\}\}$/.exec(value.refresh_token.$tpl)![1];
    assert.equal(shape.length, refresh.length);
    assert.ok(shape.startsWith('rt_'));
    assert.notEqual(shape, refresh, 'the recorded secret is not copied into the mock');
    assert.match(value.session.$tpl, /^\{\{opaque "[0-9a-f]{32}"\}\}$/);
    assert.match(value.client_secret.$tpl, /^\{\{opaque "cs_live_[A-Za-z0-9]{12}"\}\}$/);
    assert.match(value.deploy_key.$tpl, /^\{\{opaque "/);
    for (const kept of ['api_key', 'next_page_token', 'cache_key', 'token_type', 'expires_in'] as const) {
      assert.equal(value[kept], m.responseBody && (m.responseBody as any)[kept], kept);
    }
    assert.deepEqual(
      fields.map((f) => [f.pointer, f.kind]),
      [
        ['/client_secret', 'opaque-token'],
        ['/deploy_key', 'opaque-token'],
        ['/expires_in', 'duration'],
        ['/refresh_token', 'opaque-token'],
        ['/session', 'opaque-token'],
      ],
    );
  });

  it('masks shapes deterministically, keeping prefix, length and character classes', () => {
    assert.equal(maskShape('sk_test_4eC39HqLyjWDarjt'), maskShape('sk_test_4eC39HqLyjWDarjt'));
    const masked = maskShape('sk_test_4eC39HqLyjWDarjt');
    assert.match(masked, /^sk_test_[0-9][a-z][A-Z][0-9]{2}[A-Z][a-z][A-Z][a-z]{2}[A-Z]{2}[a-z]{4}$/);
    assert.match(maskShape('deadbeefcafe0123'), /^[0-9a-f]{16}$/);
  });

  const timestampCases: [string, unknown, unknown][] = [
    ['created_at', '2024-05-01T10:00:05.123Z', { $tpl: '{{now 5123 "iso"}}' }],
    ['updatedAt', '2024-05-01T09:00:00Z', { $tpl: '{{now -3600000 "iso-seconds"}}' }],
    ['expires', '2024-05-01T12:00:00+02:00', { $tpl: '{{now 0 "iso-seconds"}}' }],
    ['due_date', '2024-05-03', { $tpl: '{{now 136800000 "date"}}' }],
    ['last_modified', 'Wed, 01 May 2024 09:59:00 GMT', { $tpl: '{{now -60000 "http-date"}}' }],
    ['seen', '2024-05-01T10:00:01Z', { $tpl: '{{now 1000 "iso-seconds"}}' }], // any name, near the request
    ['birth_date', '1990-01-01', '1990-01-01'],
    ['release', '2015-01-01T00:00:00Z', '2015-01-01T00:00:00Z'], // far away, not a timestamp name
    ['local', '2024-05-01T10:00:00', '2024-05-01T10:00:00'], // no zone: ambiguous, kept
    ['created', 1714557600, { $tplJson: '{{now 0 "epoch-s"}}' }],
    ['exp', 1714561200000, { $tplJson: '{{now 3600000 "epoch-ms"}}' }],
    ['count', 1714557600, 1714557600],
    ['created_id', 1714557600, 1714557600],
    ['updated', 12, 12],
  ];
  for (const [key, recorded, want] of timestampCases) {
    it(`timestamp: ${key} = ${JSON.stringify(recorded)}`, () => {
      const m = exchange(getThing, '/things/1', { responseBody: { [key]: recorded } });
      assert.deepEqual(run(m).value, { [key]: want });
    });
  }

  it('templated timestamps render through Handlebars', () => {
    const m = exchange(getThing, '/things/1', { responseBody: { updated_at: '2024-05-01T09:00:00Z' } });
    assert.equal(render(run(m).value.updated_at.$tpl), 'now([-3600000,"iso-seconds"])');
  });

  it('echoes the request: path, query, body and headers, typed', () => {
    const createOrder = op('post', '/shops/{shopId}/orders', { id: 'createOrder' });
    const m = exchange(createOrder, '/shops/77/orders?limit=10&currency=EUR&x=1', {
      requestBody: { customer: 'Ada Lovelace', quantity: 3, details: { color: 'brown' }, flag: true },
      requestHeaders: [['X-Request-Id', 'req-1234567890']],
      responseBody: {
        shopId: 77,
        limit: 10,
        currency: 'EUR',
        x: 1,
        customer: 'Ada Lovelace',
        quantity: 3,
        summary: { color: 'brown' },
        flag: true,
        request_id: 'req-1234567890',
        ok: 'no',
      },
    });
    const { value, fields } = run(m);
    assert.deepEqual(value, {
      shopId: { $tplJson: '{{req "path.shopId"}}' },
      limit: { $tplJson: '{{req "query.limit"}}' },
      currency: { $tpl: '{{req "query.currency"}}' },
      x: { $tplJson: '{{req "query.x"}}' },
      customer: { $tpl: '{{req "body.customer"}}' },
      quantity: { $tplJson: '{{req "body.quantity"}}' },
      summary: { color: { $tpl: '{{req "body.details.color"}}' } },
      flag: true,
      request_id: { $tpl: '{{req "header.x-request-id"}}' },
      ok: 'no',
    });
    assert.ok(fields.every((f) => f.kind === 'echo' && f.operation === 'createOrder'));
    assert.equal(render(value.summary.color.$tpl), 'req(["body.details.color"])');
  });

  it('echoes the item id into `id` and the request path into URLs', () => {
    const getCustomer = op('get', '/v1/customers/{customer}', { id: 'getCustomer' });
    const m = exchange(getCustomer, '/v1/customers/cus_123', {
      responseBody: {
        id: 'cus_123',
        url: 'https://api.example.com/v1/customers/cus_123/sources?limit=3',
        other: 'https://api.example.com/v1/customers/cus_1234',
        nested: { id: 'cus_123' },
      },
    });
    const { value } = run(m);
    assert.deepEqual(value, {
      id: { $tpl: '{{req "path.customer"}}' },
      url: { $tpl: 'https://api.example.com/v1/customers/{{req "path.customer"}}/sources?limit=3' },
      other: 'https://api.example.com/v1/customers/cus_1234',
      nested: { id: { $tpl: '{{req "path.customer"}}' } }, // distinctive value: same entity
    });
    const pet = exchange(op('get', '/pets/{petId}'), '/pets/7', {
      responseBody: { id: 7, owner: { id: 7 }, name: '7' },
    });
    assert.deepEqual(run(pet).value, {
      id: { $tplJson: '{{req "path.petId"}}' },
      owner: { id: 7 },
      name: '7',
    });
  });

  it('templates UUIDs and ids that differ between recordings of the same request', () => {
    const status = op('get', '/status', { id: 'status' });
    const a = exchange(status, '/status', {
      responseBody: {
        trace: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
        build: 'b1f2e0a4-1111-4222-8333-944455556666',
        run_id: 'run_Xy12Ab34Cd',
      },
    });
    const b = exchange(status, '/status', {
      responseBody: {
        trace: '0b3a4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
        build: 'b1f2e0a4-1111-4222-8333-944455556666',
        run_id: 'run_Pq98Rs76Tu',
      },
    });
    const other = exchange(status, '/status?verbose=1', {
      responseBody: {
        trace: 'aaaaaaaa-98fc-4c14-9afb-f4c8996fb924',
        build: 'cccccccc-1111-4222-8333-944455556666',
      },
    });
    const analysis = analyseDynamic([a, b, other]);
    const { value, fields } = templatize(a, a.responseBody, analysis) as {
      value: any;
      fields: DynamicField[];
    };
    assert.deepEqual(value.trace, { $tpl: '{{uuid}}' });
    assert.equal(value.build, 'b1f2e0a4-1111-4222-8333-944455556666');
    assert.match(value.run_id.$tpl, /^\{\{opaque "run_[A-Za-z0-9]{10}"\}\}$/);
    assert.deepEqual(
      fields.map((f) => [f.pointer, f.kind]),
      [
        ['/run_id', 'id'],
        ['/trace', 'uuid'],
      ],
    );
    // a field that varies for identical requests is dynamic in every response of the operation;
    // one that only differs between different requests is data
    const alone = templatize(other, other.responseBody, analysis).value as any;
    assert.deepEqual(alone.trace, { $tpl: '{{uuid}}' });
    assert.equal(alone.build, 'cccccccc-1111-4222-8333-944455556666');
  });

  it('keeps ids that changed between two recordings of a list because the data changed', () => {
    const list = op('get', '/payments', { id: 'listPayments' });
    const read = op('get', '/payments/{paymentId}', { id: 'getPayment' });
    const card = { id: 'pay_rWgshSUWapF2', categoryId: 'cat_flour' };
    const transfer = { id: 'pay_VHcRn9AMeKij', categoryId: 'cat_rent' };
    // the same request before and after the transfer was deleted: another payment at /data/0
    const before = exchange(list, '/payments', { responseBody: { data: [transfer, card] } });
    const after = exchange(list, '/payments', { responseBody: { data: [card] } });
    const gone = exchange(read, `/payments/${transfer.id}`, { responseBody: transfer });
    const all = [before, gone, after];
    assert.deepEqual(run(before, all).value, { data: [transfer, card] });
    assert.deepEqual(run(after, all).value, { data: [card] });
    // ids that occur nowhere else are still fresh per response
    const x = exchange(list, '/payments', {
      responseBody: { data: [{ id: 'pay_Xy12Ab34Cd56', categoryId: 'c' }] },
    });
    const y = exchange(list, '/payments', {
      responseBody: { data: [{ id: 'pay_Pq98Rs76Tu54', categoryId: 'c' }] },
    });
    assert.match(run(x, [x, y]).value.data[0].id.$tpl, /^\{\{opaque "pay_[A-Za-z0-9]{12}"\}\}$/);
  });

  it('templates per-response request ids even from a single recording', () => {
    const m = exchange(getThing, '/things/1', {
      responseBody: {
        meta: { requestId: '5f2b1c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', traceId: 'abc123def456ghi' },
      },
    });
    assert.deepEqual(run(m).value.meta.requestId, { $tpl: '{{uuid}}' });
    assert.match(run(m).value.meta.traceId.$tpl, /^\{\{opaque "[a-z]{3}\d{3}[a-z]{3}\d{3}[a-z]{3}"\}\}$/);
  });

  it('leaves ids the state store assigns alone', () => {
    const create = op('post', '/orders', { id: 'createOrder' });
    const body = { item: 'book' };
    const a = exchange(create, '/orders', {
      requestBody: body,
      responseBody: { id: '11111111-98fc-4c14-9afb-f4c8996fb924' },
    });
    const b = exchange(create, '/orders', {
      requestBody: body,
      responseBody: { id: '22222222-98fc-4c14-9afb-f4c8996fb924' },
    });
    assert.equal(
      (templatize(a, a.responseBody, analyseDynamic([a, b])).value as any).id,
      '11111111-98fc-4c14-9afb-f4c8996fb924',
    );
    const resources = {
      resources: [
        {
          name: 'orders',
          collectionPath: '/orders',
          itemPath: '/orders/{orderId}',
          idParam: 'orderId',
          idField: 'id',
          idFormat: { kind: 'uuid' as const },
          listEnvelope: null,
          seed: [],
        },
      ],
      bindings: new Map([['createOrder', { resource: 'orders', role: 'create' as const }]]),
    };
    const analysis = analyseDynamic([a, b], { resources });
    assert.equal(
      (templatize(a, a.responseBody, analysis).value as any).id,
      '11111111-98fc-4c14-9afb-f4c8996fb924',
    );
  });

  it('never templates booleans, enums, short strings or plain numbers', () => {
    const schemas = {
      Thing: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['2024-05-01T10:00:00Z', 'other'] },
          kind: { const: 'cus_123456789' },
        },
      },
    };
    const getEnum = op('get', '/things/{thingId}', {
      id: 'getEnum',
      responses: [response('200', { $ref: '#/$defs/Thing' })],
    });
    const body = {
      status: '2024-05-01T10:00:00Z',
      kind: 'cus_123456789',
      ok: true,
      n: 5,
      s: 'ab',
      nil: null,
    };
    const m = exchange(getEnum, '/things/cus_123456789', { responseBody: body });
    assert.deepEqual(templatize(m, body, analyseDynamic([m], { schemas })).value, body);
  });

  it('escapes user data that looks like a template marker', () => {
    const body = { a: { $tpl: '{{uuid}}', other: 1 }, b: [{ $literal: 2 }], c: { $tplJson: 'x' } };
    const m = exchange(getThing, '/things/1', { responseBody: body });
    assert.deepEqual(run(m).value, {
      a: { $literal: { $tpl: '{{uuid}}', other: 1 } },
      b: [{ $literal: { $literal: 2 } }],
      c: { $literal: { $tplJson: 'x' } },
    });
  });

  it('is deterministic and sorts fields', () => {
    const build = () =>
      exchange(getThing, '/things/9', {
        responseBody: { z_at: '2024-05-01T10:00:00Z', id: 9, a_token: 'tok_abcdefghijkl' },
      });
    const first = run(build());
    const second = run(build());
    assert.deepEqual(first, second);
    assert.deepEqual(
      first.fields.map((f) => f.pointer),
      ['/a_token', '/id', '/z_at'],
    );
    assert.deepEqual(Object.keys(first.value), ['z_at', 'id', 'a_token'], 'body key order kept');
  });

  it('templates nested arrays and leaves text bodies alone', () => {
    const list = op('get', '/events', { id: 'listEvents' });
    const m = exchange(list, '/events', {
      responseBody: {
        data: [
          { created: 1714557601, name: 'a' },
          { created: 1714557602, name: 'b' },
        ],
      },
    });
    assert.deepEqual(run(m).value.data, [
      { created: { $tplJson: '{{now 1000 "epoch-s"}}' }, name: 'a' },
      { created: { $tplJson: '{{now 2000 "epoch-s"}}' }, name: 'b' },
    ]);
    const text = exchange(list, '/events', { responseBody: 'plain text' });
    assert.equal(run(text).value, 'plain text');
  });
});

describe('dynamic: templatizeHeaders', () => {
  it('echoes request ids, keeps dates near now, refreshes request ids, freezes ETag', () => {
    const m = exchange(getThing, '/things/1', {
      requestHeaders: [['X-Correlation-Id', 'corr-000111222']],
      responseHeaders: [
        ['X-Correlation-Id', 'corr-000111222'],
        ['Last-Modified', 'Wed, 01 May 2024 09:00:00 GMT'],
        ['X-GitHub-Request-Id', 'CB3C:5A8A:12F4A:1B2C3D:6632'],
        ['X-Request-Id', '5f2b1c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f'],
        ['X-RateLimit-Reset', '1714561200'],
        ['ETag', 'W/"abc123abc123"'],
        ['X-Static', 'hello-world-value'],
      ],
    });
    const { templates, fields } = templatizeHeaders(m, analyseDynamic([m]));
    assert.deepEqual(Object.keys(templates).sort(), [
      'last-modified',
      'x-correlation-id',
      'x-github-request-id',
      'x-ratelimit-reset',
      'x-request-id',
    ]);
    assert.deepEqual(templates['x-correlation-id'], { $tpl: '{{req "header.x-correlation-id"}}' });
    assert.deepEqual(templates['last-modified'], { $tpl: '{{now -3600000 "http-date"}}' });
    assert.deepEqual(templates['x-request-id'], { $tpl: '{{uuid}}' });
    assert.deepEqual(templates['x-ratelimit-reset'], { $tpl: '{{now 3600000 "epoch-s"}}' });
    assert.match((templates['x-github-request-id'] as any).$tpl, /^\{\{opaque "[0-9A-F]{4}:[0-9A-F]{4}:/);
    assert.equal(fields.length, 5);
    for (const t of Object.values(templates)) render((t as any).$tpl);
  });
});

describe('dynamic: Handlebars safety', () => {
  it('every emitted template compiles with strict, known-helpers-only Handlebars', () => {
    const m = exchange(op('post', '/x/{id}'), '/x/abc-123?q=a"b', {
      requestBody: { 'we"ird': 'value-1', ok: 'value-2' },
      responseBody: {
        token: 'tok_"quoted"_abcdef',
        jwt: makeJwt({ note: 'ends with backslash \\', quote: '"', braces: '}}{{' }),
        'we"ird': 'value-1',
        ok: 'value-2',
        id: 'abc-123',
        at: '2024-05-01T10:00:00Z',
        created_at: '2024-05-01T10:00:00Z',
      },
    });
    const { value } = run(m);
    for (const [key, item] of Object.entries(value as Record<string, any>)) {
      if (item && typeof item === 'object' && typeof item.$tpl === 'string')
        assert.doesNotThrow(() => render(item.$tpl), key);
    }
    assert.equal(
      render(value.jwt.$tpl),
      `jwt(${JSON.stringify([JSON.stringify({ note: 'ends with backslash \\', quote: '"', braces: '}}{{' }), 3600])})`,
    );
    assert.equal(value['we"ird'], 'value-1', 'a body field name that cannot be addressed is not echoed');
    assert.equal(value.token, 'tok_"quoted"_abcdef', 'a value with quotes is not taken for a token');
  });

  it('keeps a recorded started time that is not a date from breaking anything', () => {
    const m = exchange(getThing, '/things/1', {
      responseBody: { created_at: '2024-05-01T10:00:00Z' },
      started: 'garbage',
    });
    assert.deepEqual(run(m).value, { created_at: '2024-05-01T10:00:00Z' });
    assert.equal(STARTED.length, 24);
  });
});
