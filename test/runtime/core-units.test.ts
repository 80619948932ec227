import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { localLinks } from '../../templates/runtime/pagination';
import { buildFormObject, bodyLimit, decodeContentEncoding, parseBody } from '../../templates/runtime/body';
import type { UploadedFile } from '../../templates/runtime/core/context';
import { normalizePath } from '../../templates/runtime/handler';
import { negotiate, parseAccept } from '../../templates/runtime/core/negotiate';
import {
  parseCookies,
  parseQuery,
  prepareParameter,
  readParameter,
  schemaShape,
  type RawParameters,
} from '../../templates/runtime/params';
import { extractPreferences, parsePrefer } from '../../templates/runtime/core/prefer';
import {
  ResponseBuilder,
  errorResponse,
  responseForCode,
  successResponse,
  toWire,
} from '../../templates/runtime/respond';
import { asLastPage, continuesPagination } from '../../templates/runtime/pagination';
import { checkSecurity } from '../../templates/runtime/security';
import type { JsonSchema, Manifest, OperationData, ParameterData } from '../../templates/runtime/core/types';
import type { MockRequest } from '../../templates/runtime/core/context';
import { RequestValidator, withoutReadOnlyRequired } from '../../templates/runtime/validate-request';

const ARRAY: JsonSchema = { type: 'array', items: { type: 'integer' } };
const OBJECT: JsonSchema = { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' } } };
const STRING: JsonSchema = { type: 'string' };

function param(
  name: string,
  where: ParameterData['in'],
  schema: JsonSchema,
  style: string,
  explode: boolean,
): ParameterData {
  return { name, in: where, required: false, style, explode, schema };
}

function raw(parts: Partial<RawParameters>): RawParameters {
  return { pathParams: {}, query: [], headers: {}, cookies: {}, ...parts };
}

describe('runtime-core: params', () => {
  const cases: [string, ParameterData, Partial<RawParameters>, unknown][] = [
    ['path simple primitive', param('id', 'path', STRING, 'simple', false), { pathParams: { id: '5' } }, '5'],
    [
      'path simple array',
      param('id', 'path', ARRAY, 'simple', false),
      { pathParams: { id: '3,4,5' } },
      ['3', '4', '5'],
    ],
    [
      'path simple object',
      param('c', 'path', OBJECT, 'simple', false),
      { pathParams: { c: 'R,100,G,200' } },
      { R: '100', G: '200' },
    ],
    [
      'path simple object exploded',
      param('c', 'path', OBJECT, 'simple', true),
      { pathParams: { c: 'R=100,G=200' } },
      { R: '100', G: '200' },
    ],
    ['path label primitive', param('id', 'path', STRING, 'label', false), { pathParams: { id: '.5' } }, '5'],
    [
      'path label array',
      param('id', 'path', ARRAY, 'label', false),
      { pathParams: { id: '.3,4,5' } },
      ['3', '4', '5'],
    ],
    [
      'path label array exploded',
      param('id', 'path', ARRAY, 'label', true),
      { pathParams: { id: '.3.4.5' } },
      ['3', '4', '5'],
    ],
    [
      'path label object exploded',
      param('c', 'path', OBJECT, 'label', true),
      { pathParams: { c: '.R=1.G=2' } },
      { R: '1', G: '2' },
    ],
    [
      'path matrix primitive',
      param('id', 'path', STRING, 'matrix', false),
      { pathParams: { id: ';id=5' } },
      '5',
    ],
    [
      'path matrix array',
      param('id', 'path', ARRAY, 'matrix', false),
      { pathParams: { id: ';id=3,4,5' } },
      ['3', '4', '5'],
    ],
    [
      'path matrix array exploded',
      param('id', 'path', ARRAY, 'matrix', true),
      { pathParams: { id: ';id=3;id=4' } },
      ['3', '4'],
    ],
    [
      'path matrix object',
      param('c', 'path', OBJECT, 'matrix', false),
      { pathParams: { c: ';c=R,1,G,2' } },
      { R: '1', G: '2' },
    ],
    [
      'path matrix object exploded',
      param('c', 'path', OBJECT, 'matrix', true),
      { pathParams: { c: ';R=1;G=2' } },
      { R: '1', G: '2' },
    ],
    [
      'query form primitive (first wins)',
      param('q', 'query', STRING, 'form', true),
      {
        query: [
          ['q', 'a'],
          ['q', 'b'],
        ],
      },
      'a',
    ],
    [
      'query form array exploded',
      param('id', 'query', ARRAY, 'form', true),
      {
        query: [
          ['id', '3'],
          ['x', '1'],
          ['id', '4'],
        ],
      },
      ['3', '4'],
    ],
    [
      'query form array',
      param('id', 'query', ARRAY, 'form', false),
      { query: [['id', '3,4,5']] },
      ['3', '4', '5'],
    ],
    [
      'query form object',
      param('c', 'query', OBJECT, 'form', false),
      { query: [['c', 'R,1,G,2']] },
      { R: '1', G: '2' },
    ],
    [
      'query form object exploded',
      param('c', 'query', OBJECT, 'form', true),
      {
        query: [
          ['R', '1'],
          ['G', '2'],
          ['other', 'x'],
        ],
      },
      { R: '1', G: '2' },
    ],
    [
      'query spaceDelimited',
      param('id', 'query', ARRAY, 'spaceDelimited', false),
      { query: [['id', '3 4 5']] },
      ['3', '4', '5'],
    ],
    [
      'query pipeDelimited',
      param('id', 'query', ARRAY, 'pipeDelimited', false),
      { query: [['id', '3|4|5']] },
      ['3', '4', '5'],
    ],
    [
      'query tabDelimited',
      param('id', 'query', ARRAY, 'tabDelimited', false),
      { query: [['id', '3\t4']] },
      ['3', '4'],
    ],
    [
      'query deepObject',
      param('c', 'query', OBJECT, 'deepObject', true),
      {
        query: [
          ['c[R]', '1'],
          ['c[G]', '2'],
        ],
      },
      { R: '1', G: '2' },
    ],
    [
      'query deepObject nested and arrays',
      param('f', 'query', { type: 'object' }, 'deepObject', true),
      {
        query: [
          ['f[a][b]', '1'],
          ['f[t][]', 'x'],
          ['f[t][]', 'y'],
          ['f[__proto__]', 'z'],
        ],
      },
      { a: { b: '1' }, t: ['x', 'y'] },
    ],
    [
      'query array in bracket form (axios, qs)',
      param('id', 'query', ARRAY, 'form', true),
      {
        query: [
          ['id[]', '3'],
          ['id[1]', '4'],
        ],
      },
      ['3', '4'],
    ],
    [
      'query deepObject array (Stripe expand[0]=)',
      param('expand', 'query', { type: 'array', items: STRING }, 'deepObject', true),
      {
        query: [
          ['expand[0]', 'a'],
          ['expand[1]', 'b'],
        ],
      },
      ['a', 'b'],
    ],
    [
      'query deepObject with indexed arrays inside',
      param('m', 'query', { type: 'object' }, 'deepObject', true),
      {
        query: [
          ['m[tags][0]', 'x'],
          ['m[tags][1]', 'y'],
        ],
      },
      { tags: ['x', 'y'] },
    ],
    ['query absent', param('q', 'query', STRING, 'form', true), { query: [['other', '1']] }, undefined],
    [
      'header simple',
      param('X-Ids', 'header', ARRAY, 'simple', false),
      { headers: { 'x-ids': '1, 2,3' } },
      ['1', '2', '3'],
    ],
    [
      'header object exploded',
      param('X-C', 'header', OBJECT, 'simple', true),
      { headers: { 'x-c': 'R=1,G=2' } },
      { R: '1', G: '2' },
    ],
    ['cookie primitive', param('sid', 'cookie', STRING, 'form', true), { cookies: { sid: 'abc' } }, 'abc'],
    ['cookie array', param('ids', 'cookie', ARRAY, 'form', false), { cookies: { ids: '1,2' } }, ['1', '2']],
    [
      'content-encoded JSON query parameter',
      { ...param('filter', 'query', OBJECT, 'form', true), contentType: 'application/json' },
      { query: [['filter', '{"R":1}']] },
      { R: 1 },
    ],
  ];
  for (const [name, p, parts, want] of cases) {
    it(name, () => {
      const prepared = prepareParameter(p, {});
      assert.deepEqual(readParameter(prepared, raw(parts), new Set([p.name])), want);
    });
  }

  it('schemaShape looks through $ref and combinators', () => {
    const defs = { Ids: ARRAY, Obj: OBJECT };
    assert.equal(schemaShape({ $ref: '#/$defs/Ids' }, defs), 'array');
    assert.equal(schemaShape({ allOf: [{ $ref: '#/$defs/Obj' }] }, defs), 'object');
    assert.equal(schemaShape({ type: ['integer', 'null'] }, defs), 'primitive');
  });

  it('parseQuery decodes pairs, + as space, keeps bad escapes', () => {
    assert.deepEqual(parseQuery('a=1&b=x%20y+z&&c&d=%zz&e=%E2%82%AC'), [
      ['a', '1'],
      ['b', 'x y z'],
      ['c', ''],
      ['d', '%zz'],
      ['e', '€'],
    ]);
  });

  it('parseCookies: first wins, quotes stripped, values decoded', () => {
    assert.deepEqual(parseCookies('a=1; b="two"; a=3; c=x%20y; __proto__=bad'), {
      a: '1',
      b: 'two',
      c: 'x y',
    });
  });
});

describe('runtime-core: negotiate', () => {
  const documented = ['application/json', 'application/xml'];
  const cases: [string | undefined, readonly string[], number | undefined, string | undefined][] = [
    [undefined, documented, 0, 'application/json'],
    ['', documented, 0, 'application/json'],
    ['*/*', documented, 0, 'application/json'],
    ['application/xml', documented, 1, 'application/xml'],
    ['application/xml, application/json', documented, 1, 'application/xml'],
    ['application/xml;q=0.9, application/json', documented, 0, 'application/json'],
    ['*/*;q=0.1, application/xml', documented, 1, 'application/xml'],
    ['application/json;q=0, */*', documented, 1, 'application/xml'],
    ['text/html', documented, undefined, undefined],
    ['application/vnd.github.v3+json', documented, 0, 'application/json'],
    ['application/json', ['application/vnd.acme+json'], 0, 'application/vnd.acme+json'],
    [
      'application/vnd.acme+json',
      ['application/json', 'application/vnd.acme+json'],
      1,
      'application/vnd.acme+json',
    ],
    ['image/png', ['*/*'], 0, 'image/png'],
    ['image/png', ['image/*'], 0, 'image/png'],
    ['text/*', ['application/json', 'text/csv'], 1, 'text/csv'],
    ['application/json; charset=utf-8', documented, 0, 'application/json'],
    // raw bytes (downloads): any documented type, served as documented; an exact or ranked match first
    ['application/binary', documented, 0, 'application/json'],
    ['application/octet-stream', ['text/plain'], 0, 'text/plain'],
    ['application/octet-stream, text/csv;q=0.5', ['application/json', 'text/csv'], 1, 'text/csv'],
    [
      'application/octet-stream',
      ['application/json', 'application/octet-stream'],
      1,
      'application/octet-stream',
    ],
    ['application/octet-stream;q=0', documented, undefined, undefined],
    // not media ranges (corpus: climate.com documents an `Accept` header parameter of type string)
    ['ember falcon orbit', documented, 0, 'application/json'],
    ['json', documented, 0, 'application/json'],
    ['json, application/xml', documented, 1, 'application/xml'],
    ['*', documented, 0, 'application/json'],
  ];
  for (const [accept, docs, index, type] of cases) {
    it(`${accept ?? '(none)'} against ${docs.join(', ')}`, () => {
      const result = negotiate(accept, docs);
      assert.deepEqual(
        result && [result.index, result.contentType],
        index === undefined ? undefined : [index, type],
      );
    });
  }

  it('parseAccept reads q-values and ignores other parameters', () => {
    assert.deepEqual(
      parseAccept('text/html;level=1;q=0.5, */*').map((r) => [r.type, r.subtype, r.q]),
      [
        ['text', 'html', 0.5],
        ['*', '*', 1],
      ],
    );
  });
});

describe('runtime-core: prefer', () => {
  it('parses the Prefer header', () => {
    assert.deepEqual(parsePrefer('code=404, example="not found"; dynamic=true, respond-async'), {
      code: '404',
      example: 'not found',
      dynamic: true,
    });
    assert.deepEqual(parsePrefer(undefined), {});
  });

  it('Prism query parameters win over the header and are removed from the query', () => {
    const { prefs, query } = extractPreferences('code=200', [
      ['limit', '1'],
      ['__code', '404'],
      ['__dynamic', 'true'],
    ]);
    assert.deepEqual(prefs, { code: '404', dynamic: true });
    assert.deepEqual(query, [['limit', '1']]);
  });
});

describe('runtime-core: security', () => {
  const schemes = {
    bearer: { type: 'http' as const, scheme: 'bearer' },
    basic: { type: 'http' as const, scheme: 'basic' },
    key: { type: 'apiKey' as const, in: 'header' as const, name: 'X-Key' },
    qkey: { type: 'apiKey' as const, in: 'query' as const, name: 'key' },
    oauth: { type: 'oauth2' as const },
  };
  const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
  const cases: [string, Record<string, string[]>[], Record<string, string>, [string, string][], boolean][] = [
    ['no requirement', [], {}, [], true],
    ['anonymous alternative', [{ bearer: [] }, {}], {}, [], true],
    ['bearer present', [{ bearer: [] }], { authorization: 'Bearer t' }, [], true],
    ['bearer, wrong scheme', [{ bearer: [] }], { authorization: basic }, [], false],
    ['basic present', [{ basic: [] }], { authorization: basic }, [], true],
    [
      'basic without colon',
      [{ basic: [] }],
      { authorization: `Basic ${Buffer.from('u').toString('base64')}` },
      [],
      false,
    ],
    ['AND needs both', [{ key: [], qkey: [] }], { 'x-key': 'k' }, [], false],
    ['AND with both', [{ key: [], qkey: [] }], { 'x-key': 'k' }, [['key', 'v']], true],
    ['oauth2 takes a bearer token', [{ oauth: ['read'] }], { authorization: 'bearer t' }, [], true],
    ['unknown scheme name is not checked', [{ nope: [] }], {}, [], true],
    // a client sending the contract's `Authorization` header parameter and its credentials: fetch joins them
    ['bearer in a joined header', [{ bearer: [] }], { authorization: 'ember falcon, Bearer t' }, [], true],
    ['oauth2 in a joined header', [{ oauth: [] }], { authorization: 'x, Bearer t' }, [], true],
    ['basic in a joined header', [{ basic: [] }], { authorization: `${basic}, Bearer t` }, [], true],
    ['no bearer in a joined header', [{ bearer: [] }], { authorization: 'a, b c' }, [], false],
  ];
  for (const [name, requirements, headers, query, ok] of cases) {
    it(name, () => {
      const result = checkSecurity(requirements, schemes, { headers, query, cookies: {} });
      assert.equal(result.ok, ok);
    });
  }

  it('collects one challenge per missing scheme and hands out the bearer token', () => {
    const miss = checkSecurity([{ bearer: [] }, { basic: [] }, { key: [] }], schemes, {
      headers: {},
      query: [],
      cookies: {},
    });
    assert.deepEqual(miss, {
      ok: false,
      challenges: ['Bearer', 'Basic realm="*"', 'ApiKey realm="*", in="header", name="X-Key"'],
    });
    const hit = checkSecurity([{ bearer: [] }], schemes, {
      headers: { authorization: 'Bearer tok' },
      query: [],
      cookies: {},
    });
    assert.deepEqual(hit, { ok: true, bearer: 'tok' });
  });

  it('an OAuth2 access token may come as RFC 6750 access_token form field or query parameter', () => {
    const form = (body: string, method = 'POST', mediaType = 'application/x-www-form-urlencoded') => ({
      headers: {},
      query: [] as [string, string][],
      cookies: {},
      method,
      mediaType,
      rawBody: Buffer.from(body),
    });
    const oauth = [{ oauth: ['read'] }];
    assert.deepEqual(checkSecurity(oauth, schemes, form('channel=C1&access_token=xoxb-1')), {
      ok: true,
      bearer: 'xoxb-1',
    });
    assert.deepEqual(checkSecurity(oauth, schemes, { ...form(''), query: [['access_token', 'q1']] }), {
      ok: true,
      bearer: 'q1',
    });
    // §2.2: not in a GET body, not in another media type, not empty; never for `http` bearer
    assert.equal(checkSecurity(oauth, schemes, form('access_token=t', 'GET')).ok, false);
    assert.equal(checkSecurity(oauth, schemes, form('access_token=t', 'POST', 'text/plain')).ok, false);
    assert.equal(checkSecurity(oauth, schemes, form('access_token=')).ok, false);
    assert.equal(checkSecurity(oauth, schemes, form('token=t')).ok, false);
    assert.equal(checkSecurity([{ bearer: [] }], schemes, form('access_token=t')).ok, false);
    // the Authorization header decides when it is there
    const basicHeader = { ...form('access_token=t'), headers: { authorization: basic } };
    assert.equal(checkSecurity(oauth, schemes, basicHeader).ok, false);
  });
});

describe('runtime-core: pagination of documented answers', () => {
  const continuing: [string, [string, string][], unknown, boolean][] = [
    ['no parameters', [], undefined, false],
    ['a cursor', [['cursor', 'dGVhbTpD']], undefined, true],
    ['an empty cursor', [['cursor', '']], undefined, false],
    ['a page token', [['pageToken', 'abc']], undefined, true],
    ['starting_after', [['starting_after', 'cus_1']], undefined, true],
    ['page 1', [['page', '1']], undefined, false],
    ['page 2', [['page', '2']], undefined, true],
    ['limit only', [['limit', '20']], undefined, false],
    ['a cursor in a form or JSON body', [], { start_cursor: 'x', limit: 2 }, true],
  ];
  for (const [name, query, body, expected] of continuing) {
    it(`continuesPagination: ${name}`, () => assert.equal(continuesPagination(query, body), expected));
  }

  it('asLastPage empties next-page fields (nested too), clears has_more and copies what it changes', () => {
    const page = {
      ok: true,
      channels: [{ id: 'C1', next: 'not pagination: inside an item' }],
      has_more: true,
      response_metadata: { next_cursor: 'dGVhbTpD' },
      links: { self: '/x', next: { href: '/x?page=2' } },
      nextPageToken: 'tok',
      next_page: 3,
    };
    const frozen = JSON.stringify(page);
    assert.deepEqual(asLastPage(page), {
      ok: true,
      channels: [{ id: 'C1', next: 'not pagination: inside an item' }],
      has_more: false,
      response_metadata: { next_cursor: '' },
      links: { self: '/x', next: null },
      nextPageToken: '',
      next_page: null,
    });
    assert.equal(JSON.stringify(page), frozen, 'the cached example is not changed');
    assert.equal(asLastPage({ ok: true, response_metadata: { next_cursor: '' } }), undefined);
    assert.equal(asLastPage([{ next: 'x' }]), undefined);
    assert.equal(asLastPage('text'), undefined);
  });
});

describe('runtime-core: bodies', () => {
  it('buildFormObject nests bracket names and turns indices into arrays', () => {
    assert.deepEqual(
      buildFormObject([
        ['name', 'Rex'],
        ['metadata[plan]', 'pro'],
        ['items[0][price]', 'p_1'],
        ['items[1][price]', 'p_2'],
        ['expand[]', 'a'],
        ['expand[]', 'b'],
        ['tag', 'x'],
        ['tag', 'y'],
        ['__proto__[polluted]', 'yes'],
      ]),
      {
        name: 'Rex',
        metadata: { plan: 'pro' },
        items: [{ price: 'p_1' }, { price: 'p_2' }],
        expand: ['a', 'b'],
        tag: ['x', 'y'],
      },
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps the top level an object even with numeric field names', () => {
    assert.deepEqual(
      buildFormObject([
        ['0', 'a'],
        ['1', 'b'],
      ]),
      { 0: 'a', 1: 'b' },
    );
  });

  it('keeps declared bracket names flat', () => {
    assert.deepEqual(buildFormObject([['files[]', 'a']], new Set(['files[]'])), { 'files[]': 'a' });
  });

  it('parses by media type', async () => {
    assert.deepEqual(await parseBody(Buffer.from('{"a":1}'), undefined, 'application/vnd.x+json'), { a: 1 });
    assert.equal(await parseBody(Buffer.from('  '), undefined, 'application/json'), undefined);
    assert.deepEqual(
      await parseBody(Buffer.from('a=1&b=x+y'), undefined, 'application/x-www-form-urlencoded'),
      {
        a: '1',
        b: 'x y',
      },
    );
    assert.equal(await parseBody(Buffer.from('héllo'), undefined, 'text/plain'), 'héllo');
    assert.equal(
      await parseBody(Buffer.from([0xff, 0x00]), undefined, 'application/octet-stream'),
      '\u00ff\u0000',
    );
    assert.throws(() => parseBody(Buffer.from('{'), undefined, 'application/json'), /not valid JSON/);
    await assert.rejects(
      parseBody(Buffer.from('x'), 'multipart/form-data', 'multipart/form-data') as Promise<unknown>,
      /multipart/,
    );
  });

  it('reports the file parts of a multipart body: field, filename, media type, size', async () => {
    const boundary = 'XyZ';
    const part = (headers: string, content: string) => `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;
    const raw = Buffer.from(
      part('Content-Disposition: form-data; name="purpose"', 'fine-tune') +
        part(
          'Content-Disposition: form-data; name="file"; filename="train.jsonl"\r\nContent-Type: application/JSONL',
          '{"a":1}\n',
        ) +
        part(
          'Content-Disposition: form-data; name="meta"; filename="blob"\r\nContent-Type: application/json',
          '{"team":"a"}',
        ) +
        `--${boundary}--\r\n`,
    );
    const uploads: UploadedFile[] = [];
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const body = await parseBody(raw, contentType, 'multipart/form-data', undefined, uploads);
    assert.deepEqual(body, { purpose: 'fine-tune', file: '{"a":1}\n', meta: { team: 'a' } });
    assert.deepEqual(uploads, [
      { field: 'file', filename: 'train.jsonl', mimeType: 'application/jsonl', size: 8 },
      { field: 'meta', filename: 'blob', mimeType: 'application/json', size: 12 },
    ]);
  });

  it('decodeContentEncoding undoes gzip, deflate and br; bounded; unknown codings refused', () => {
    const text = Buffer.from('{"a":1}');
    assert.deepEqual(decodeContentEncoding(zlib.gzipSync(text), 'gzip', 1000), text);
    assert.deepEqual(decodeContentEncoding(zlib.deflateSync(text), 'deflate', 1000), text);
    assert.deepEqual(decodeContentEncoding(zlib.brotliCompressSync(text), 'br', 1000), text);
    assert.deepEqual(decodeContentEncoding(text, 'identity', 1000), text);
    assert.throws(() => decodeContentEncoding(zlib.gzipSync(Buffer.alloc(5000)), 'gzip', 1000), {
      kind: 'PAYLOAD_TOO_LARGE',
    });
    assert.throws(() => decodeContentEncoding(text, 'gzip', 1000), { kind: 'MALFORMED_REQUEST' });
    assert.throws(() => decodeContentEncoding(text, 'zstd', 1000), { kind: 'INVALID_CONTENT_TYPE' });
  });

  it('bodyLimit reads MOCKGEN_BODY_LIMIT with units', () => {
    assert.equal(bodyLimit({}), 10 * 1024 * 1024);
    assert.equal(bodyLimit({ MOCKGEN_BODY_LIMIT: '2kb' }), 2048);
    assert.equal(bodyLimit({ MOCKGEN_BODY_LIMIT: '1mb' }), 1024 * 1024);
    assert.equal(bodyLimit({ MOCKGEN_BODY_LIMIT: '500' }), 500);
    assert.equal(bodyLimit({ MOCKGEN_BODY_LIMIT: 'lots' }), 10 * 1024 * 1024);
  });
});

describe('runtime-core: paths', () => {
  const cases: [string, string | undefined][] = [
    ['/v1/pets', '/v1/pets'],
    ['/v1/a/../pets', '/v1/pets'],
    ['/v1/./pets', '/v1/pets'],
    ['/v1/%2e%2e/pets', '/pets'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/v1/pets/%E0%A4%A', undefined],
    ['/v1/pets/caf%C3%A9', '/v1/pets/caf%C3%A9'],
  ];
  for (const [input, want] of cases) {
    it(`normalizePath(${input})`, () => assert.equal(normalizePath(input), want));
  }
});

describe('runtime-core: validation', () => {
  const defs = {
    Pet: {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string' },
        owner: { $ref: '#/$defs/Owner' },
      },
    },
    Owner: {
      type: 'object',
      required: ['uid', 'n'],
      properties: { uid: { $ref: '#/$defs/Id' }, n: { type: 'string' } },
    },
    Id: { type: 'string', readOnly: true },
  };

  it('withoutReadOnlyRequired drops readOnly names from required, through $ref', () => {
    assert.deepEqual((withoutReadOnlyRequired(defs.Pet, defs) as { required: string[] }).required, ['name']);
    assert.deepEqual((withoutReadOnlyRequired(defs.Owner, defs) as { required: string[] }).required, ['n']);
    assert.deepEqual(defs.Pet.required, ['id', 'name']);
  });

  const op: OperationData = {
    id: 'createPet',
    method: 'post',
    path: '/pets/{petId}',
    parameters: [
      {
        name: 'petId',
        in: 'path',
        required: true,
        style: 'simple',
        explode: false,
        schema: { type: 'integer' },
      },
      {
        name: 'limit',
        in: 'query',
        required: true,
        style: 'form',
        explode: true,
        schema: { type: 'integer', maximum: 5 },
      },
      {
        name: 'Accept',
        in: 'header',
        required: true,
        style: 'simple',
        explode: false,
        schema: { type: 'string', enum: ['x'] },
      },
    ],
    requestBody: {
      required: true,
      content: [{ mediaType: 'application/json', schema: { $ref: '#/$defs/Pet' } }],
    },
    responses: [],
    security: [],
    recordings: [],
  };
  const validator = new RequestValidator(defs);

  it('coerces and validates parameters, reporting locations; Accept header parameters are ignored', () => {
    const ok = validator.validateParameters(op, raw({ pathParams: { petId: '7' }, query: [['limit', '3']] }));
    assert.deepEqual(ok.violations, []);
    assert.deepEqual(ok.values.path, { petId: 7 });
    assert.deepEqual(ok.values.query, { limit: 3 });
    const bad = validator.validateParameters(
      op,
      raw({ pathParams: { petId: 'x' }, query: [['limit', '9']] }),
    );
    assert.deepEqual(
      bad.violations.map((v) => [v.location.join('.'), v.code]),
      [
        ['path.petId', 'type'],
        ['query.limit', 'maximum'],
      ],
    );
    const missing = validator.validateParameters(op, raw({ pathParams: { petId: '1' } }));
    assert.deepEqual(
      missing.violations.map((v) => [v.location.join('.'), v.message]),
      [['query.limit', "must have required property 'limit'"]],
    );
  });

  it('accepts `ids=1,2` for an exploded query array when the items fit (corpus: AWS iotsitewise)', () => {
    const listOp: OperationData = {
      ...op,
      parameters: [
        {
          name: 'types',
          in: 'query',
          required: true,
          style: 'form',
          explode: true,
          schema: { type: 'array', items: { enum: ['COUNT', 'SUM'] } },
        },
        {
          name: 'names',
          in: 'query',
          required: false,
          style: 'form',
          explode: true,
          schema: { type: 'array', items: { type: 'string' } },
        },
      ],
    };
    const joined = validator.validateParameters(listOp, raw({ query: [['types', 'COUNT,SUM']] }));
    assert.deepEqual(joined.violations, []);
    assert.deepEqual(joined.values.query, { types: ['COUNT', 'SUM'] });
    // a string item may hold a comma: kept whole when it is valid as sent
    const names = validator.validateParameters(
      listOp,
      raw({
        query: [
          ['types', 'SUM'],
          ['names', 'a,b'],
        ],
      }),
    );
    assert.deepEqual(names.values.query, { types: ['SUM'], names: ['a,b'] });
    const bad = validator.validateParameters(listOp, raw({ query: [['types', 'COUNT,MAX']] }));
    assert.deepEqual(
      bad.violations.map((v) => [v.location.join('.'), v.code]),
      [['query.types.0', 'enum']],
    );
  });

  it('selects the body media type: exact, JSON family, none, unsupported', () => {
    assert.equal(validator.selectBody(op, 'application/json', true).mediaType, 'application/json');
    assert.equal(
      validator.selectBody(op, 'application/merge-patch+json', true).mediaType,
      'application/json',
    );
    assert.equal(validator.selectBody(op, '', true).mediaType, 'application/json');
    assert.equal(validator.selectBody(op, 'text/plain', true).unsupported, true);
    assert.equal(validator.selectBody(op, 'text/plain', false).unsupported, undefined);
  });

  it('validates bodies with readOnly properties not required, nested', () => {
    const selection = validator.selectBody(op, 'application/json', true);
    assert.deepEqual(validator.validateBody(op, selection, { name: 'Rex', owner: { n: 'Ann' } }), []);
    assert.deepEqual(
      validator.validateBody(op, selection, { owner: { n: 1 } }).map((v) => v.location.join('.')),
      ['body.name', 'body.owner.n'],
    );
    assert.deepEqual(
      validator.validateBody(op, selection, undefined).map((v) => v.location.join('.')),
      ['body'],
    );
    // a required body on a GET is not enforced: fetch and browsers cannot send one (corpus: Azure, AWS)
    assert.deepEqual(validator.validateBody({ ...op, method: 'get' }, selection, undefined), []);
  });
});

describe('runtime-core: response choice', () => {
  const response = (status: string) => ({ status, description: '', headers: [], content: [] });
  const op = (...statuses: string[]): OperationData => ({
    id: 'x',
    method: 'get',
    path: '/x',
    parameters: [],
    responses: statuses.map(response),
    security: [],
    recordings: [],
  });

  it('a documented range (image/*, audio/*) is served as a common type of it, never as text/plain', () => {
    const builder = new ResponseBuilder({ basePath: '', seed: 1 } as Manifest, () => ({}));
    const served = (mediaType: string, value: unknown, accept?: string): string | undefined => {
      const data: OperationData = {
        ...op('200'),
        responses: [
          {
            status: '200',
            description: '',
            headers: [],
            content: [{ mediaType, examples: [{ name: 'a', value }] }],
          },
        ],
      };
      const request = {
        method: 'GET',
        url: '/x',
        query: [],
        headers: {},
        pathParams: {},
      } as unknown as MockRequest;
      const choice = successResponse(data)!;
      return builder.build(data, choice, { accept, request, seed: () => 1 }).mediaType;
    };
    assert.equal(served('image/*', 'PNG'), 'image/png');
    assert.equal(served('audio/*', 'ID3'), 'audio/mpeg');
    assert.equal(served('video/*', 'mp4'), 'video/mp4');
    assert.equal(served('image/*', 'GIF', 'image/gif'), 'image/gif');
    assert.equal(served('application/*', { a: 1 }), 'application/json');
    assert.equal(served('application/*', 'bytes'), 'application/octet-stream');
    assert.equal(served('*/*', 'text'), 'text/plain');
  });

  it('successResponse: lowest 2xx, then 2XX, then default as 200', () => {
    assert.equal(successResponse(op('201', '200', '404'))?.status, 200);
    assert.deepEqual(
      [successResponse(op('2XX', 'default'))?.response.status, successResponse(op('2XX'))?.status],
      ['2XX', 200],
    );
    assert.deepEqual(
      [successResponse(op('404', 'default'))?.response.status, successResponse(op('404', 'default'))?.status],
      ['default', 200],
    );
    assert.equal(successResponse(op('404')), undefined);
  });

  it('responseForCode: exact, range, default; errorResponse: 422 → 400 → default as 422', () => {
    assert.equal(responseForCode(op('200', '404'), '404')?.response.status, '404');
    assert.deepEqual(
      [
        responseForCode(op('200', '4XX'), '409')?.response.status,
        responseForCode(op('200', '4XX'), '409')?.status,
      ],
      ['4XX', 409],
    );
    assert.equal(responseForCode(op('200', 'default'), '418')?.status, 418);
    assert.equal(responseForCode(op('200'), '418'), undefined);
    assert.equal(errorResponse(op('400', '422'), ['422', '400'])?.status, 422);
    assert.equal(errorResponse(op('400'), ['422', '400'])?.status, 400);
    assert.deepEqual(
      [errorResponse(op('default'), ['422', '400'])?.status, errorResponse(op('200'), ['422', '400'])],
      [422, undefined],
    );
  });

  it('toWire: JSON serialised, framing headers dropped, unsafe header values encoded, 204 without body', () => {
    const wire = toWire({
      status: 200,
      headers: { 'Content-Length': '999', 'X-Note': 'a\r\nb', 'Set-Cookie': ['a=1', 'b=2'] },
      mediaType: 'application/json',
      body: { ok: true },
      source: 'test',
    });
    assert.deepEqual(wire.headers, [
      'x-note',
      'a%0D%0Ab',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
      'content-type',
      'application/json',
      'content-length',
      '11',
    ]);
    assert.equal(wire.body?.toString(), '{"ok":true}');
    // non-ASCII: header values percent-encoded as UTF-8, Content-Length counts the body's UTF-8 bytes
    const accented = toWire({
      status: 200,
      headers: { 'Content-Disposition': 'attachment; filename="naïve €.txt"' },
      mediaType: 'application/json',
      body: { name: 'Zoë €' },
      source: 'test',
    });
    assert.deepEqual(accented.headers.slice(0, 2), [
      'content-disposition',
      'attachment; filename="na%C3%AFve %E2%82%AC.txt"',
    ]);
    assert.equal(accented.headers[accented.headers.indexOf('content-length') + 1], '19');
    assert.equal(Buffer.byteLength(accented.body ?? ''), 19);
    const empty = toWire({ status: 204, headers: {}, body: { x: 1 }, source: 't' });
    assert.equal(empty.body, undefined);
    assert.deepEqual(empty.headers, []);
  });
});

describe('runtime: Link headers lead back to the mock', () => {
  const request = (url: string) => ({ url, headers: { host: '127.0.0.1:4010' } });
  const documented =
    '<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; rel="last"';

  it('rewrites every link to the requested URL on the mock, with the documented query', () => {
    assert.equal(
      localLinks(documented, request('/repos/o/r/forks?per_page=2'), false),
      '<http://127.0.0.1:4010/repos/o/r/forks?per_page=2&page=2>; rel="next", ' +
        '<http://127.0.0.1:4010/repos/o/r/forks?per_page=2&page=5>; rel="last"',
    );
  });

  it('drops the next link on a page that continues a pagination, and what is not a link', () => {
    assert.equal(
      localLinks(documented, request('/repos/o/r/forks?page=2'), true),
      '<http://127.0.0.1:4010/repos/o/r/forks?page=5>; rel="last"',
    );
    assert.equal(localLinks('<https://x.test/?page=2>; rel="next"', request('/a?page=2'), true), undefined);
    assert.equal(localLinks('not a link', request('/a'), false), undefined);
  });
});
