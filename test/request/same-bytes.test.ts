/**
 * The same request bytes, fed to the mock (over HTTP, in-process) and to `mockgen drift` (as a HAR
 * entry), get the same verdict: valid, or the same invalid parameters / body pointers. Both read
 * requests with templates/runtime/core/request; this keeps them from drifting apart again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { checkDrift } from '../../src/drift/check-drift';
import type { Finding } from '../../src/drift/types';
import { serveContract, type InProcessMock } from '../helpers/in-process';
import { tempDir } from '../helpers/project';

const INT = { type: 'integer' };
const INTS = { type: 'array', items: INT };
const RGB = { type: 'object', properties: { R: INT, G: INT } };
const OK = {
  '200': {
    description: 'ok',
    content: { 'application/json': { schema: { type: 'object' }, example: { ok: true } } },
  },
};

function get(id: string, parameters: object[]): object {
  return { get: { operationId: id, parameters, responses: OK } };
}

function post(id: string, mediaType: string, schema: object): object {
  return {
    post: {
      operationId: id,
      requestBody: { required: true, content: { [mediaType]: { schema } } },
      responses: OK,
    },
  };
}

const pathParam = (schema: object, style: string, explode: boolean): object => ({
  name: 'v',
  in: 'path',
  required: true,
  style,
  explode,
  schema,
});

const CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'same bytes', version: '1' },
  paths: {
    '/json': post('json', 'application/json', {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        age: INT,
        deep: {
          type: 'object',
          properties: { a: { type: 'object', properties: { b: INTS } } },
        },
      },
    }),
    '/form': post('form', 'application/x-www-form-urlencoded', {
      type: 'object',
      properties: {
        age: INT,
        meta: { type: 'object', properties: { plan: { type: 'string', enum: ['pro', 'free'] } } },
        items: { type: 'array', items: { type: 'object', properties: { price: INT } } },
      },
    }),
    '/upload': post('upload', 'multipart/form-data', {
      type: 'object',
      required: ['title', 'file'],
      properties: {
        title: { type: 'string', maxLength: 5 },
        count: INT,
        file: { type: 'string', format: 'binary' },
      },
    }),
    '/simple/{v}': get('simple', [pathParam(INTS, 'simple', false)]),
    '/simple-x/{v}': get('simpleX', [pathParam(RGB, 'simple', true)]),
    '/label/{v}': get('label', [pathParam(INTS, 'label', false)]),
    '/label-x/{v}': get('labelX', [pathParam(INTS, 'label', true)]),
    '/matrix/{v}': get('matrix', [pathParam(INTS, 'matrix', false)]),
    '/matrix-x/{v}': get('matrixX', [pathParam(RGB, 'matrix', true)]),
    '/query': get('query', [
      { name: 'ids', in: 'query', style: 'form', explode: true, schema: INTS },
      { name: 'csv', in: 'query', style: 'form', explode: false, schema: INTS },
      { name: 'sp', in: 'query', style: 'spaceDelimited', explode: false, schema: INTS },
      { name: 'pp', in: 'query', style: 'pipeDelimited', explode: false, schema: INTS },
      {
        name: 'filter',
        in: 'query',
        style: 'deepObject',
        explode: true,
        schema: {
          type: 'object',
          properties: {
            min: INT,
            owner: { type: 'object', properties: { login: { type: 'string', minLength: 2 } } },
          },
        },
      },
      {
        name: 'point',
        in: 'query',
        style: 'form',
        explode: true,
        schema: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
      },
      { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
      { name: 'X-Tenant', in: 'header', required: true, schema: INT },
      { name: 'X-Ids', in: 'header', style: 'simple', schema: INTS },
      { name: 'session', in: 'cookie', schema: { type: 'string', pattern: '^[a-z]+$' } },
    ]),
  },
};

interface Case {
  name: string;
  method?: string;
  /** path and query exactly as sent */
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** the verdict both sides must give: [] = valid */
  want: string[];
}

const TENANT = { 'x-tenant': '5' };
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const BOUNDARY = 'XyZ123';
const MULTIPART_TYPE = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

function multipart(parts: { name: string; value: string; filename?: string; type?: string }[]): string {
  const lines: string[] = [];
  for (const p of parts) {
    lines.push(`--${BOUNDARY}`);
    const file = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    lines.push(`Content-Disposition: form-data; name="${p.name}"${file}`);
    if (p.type) lines.push(`Content-Type: ${p.type}`);
    lines.push('', p.value);
  }
  lines.push(`--${BOUNDARY}--`, '');
  return lines.join('\r\n');
}

const CASES: Case[] = [
  // JSON
  {
    name: 'JSON valid',
    method: 'POST',
    target: '/json',
    headers: JSON_TYPE,
    body: '{"name":"Rex","age":3}',
    want: [],
  },
  {
    name: 'JSON invalid',
    method: 'POST',
    target: '/json',
    headers: JSON_TYPE,
    body: '{"name":',
    want: ['body'],
  },
  {
    name: 'JSON deep violation',
    method: 'POST',
    target: '/json',
    headers: JSON_TYPE,
    body: '{"name":"Rex","deep":{"a":{"b":[1,"x"]}}}',
    want: ['body/deep/a/b/1'],
  },
  {
    name: 'JSON required property',
    method: 'POST',
    target: '/json',
    headers: JSON_TYPE,
    body: '{"age":1}',
    want: ['body/name'],
  },
  {
    name: 'JSON with a BOM and a charset',
    method: 'POST',
    target: '/json',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: '\uFEFF{"name":"Rex"}',
    want: [],
  },
  {
    name: 'JSON in a charset the mock cannot read',
    method: 'POST',
    target: '/json',
    headers: { 'content-type': 'application/json; charset=koi8-r' },
    body: '{"name":"Rex"}',
    want: ['body'],
  },
  {
    name: 'wrong content type',
    method: 'POST',
    target: '/json',
    headers: { 'content-type': 'text/plain' },
    body: 'name=Rex',
    want: ['content-type'],
  },
  // forms
  {
    name: 'form with nested names',
    method: 'POST',
    target: '/form',
    headers: FORM_TYPE,
    body: 'age=3&meta[plan]=pro&items[0][price]=5&items[1][price]=7',
    want: [],
  },
  {
    name: 'form with nested names, invalid',
    method: 'POST',
    target: '/form',
    headers: FORM_TYPE,
    body: 'meta%5Bplan%5D=gold&items[0][price]=x',
    want: ['body/items/0/price', 'body/meta/plan'],
  },
  {
    name: 'form with bad percent-encoding (kept as sent)',
    method: 'POST',
    target: '/form',
    headers: FORM_TYPE,
    body: 'age=%E0%A4%A',
    want: ['body/age'],
  },
  // multipart
  {
    name: 'multipart with a file and fields',
    method: 'POST',
    target: '/upload',
    headers: MULTIPART_TYPE,
    body: multipart([
      { name: 'title', value: 'cat' },
      { name: 'count', value: '2' },
      { name: 'file', value: 'GIF89a...', filename: 'cat.gif', type: 'image/gif' },
    ]),
    want: [],
  },
  {
    name: 'multipart with invalid fields',
    method: 'POST',
    target: '/upload',
    headers: MULTIPART_TYPE,
    body: multipart([
      { name: 'title', value: 'a long title' },
      { name: 'count', value: 'many' },
      { name: 'file', value: 'x', filename: 'x.bin', type: 'application/octet-stream' },
    ]),
    want: ['body/count', 'body/title'],
  },
  {
    name: 'multipart without the file',
    method: 'POST',
    target: '/upload',
    headers: MULTIPART_TYPE,
    body: multipart([{ name: 'title', value: 'cat' }]),
    want: ['body/file'],
  },
  // path styles
  { name: 'simple array', target: '/simple/1,2', want: [] },
  { name: 'simple array, invalid item', target: '/simple/1,x', want: ['path/v/1'] },
  { name: 'simple object exploded', target: '/simple-x/R=1,G=2', want: [] },
  { name: 'simple object exploded, invalid', target: '/simple-x/R=1,G=x', want: ['path/v/G'] },
  { name: 'label array', target: '/label/.1,2', want: [] },
  { name: 'label array, invalid item', target: '/label/.1,x', want: ['path/v/1'] },
  { name: 'label without its dot', target: '/label/1,2', want: ['path/v'] },
  { name: 'label array exploded', target: '/label-x/.1.2', want: [] },
  { name: 'matrix array', target: '/matrix/;v=1,2', want: [] },
  { name: 'matrix array, invalid item', target: '/matrix/;v=1,x', want: ['path/v/1'] },
  { name: 'matrix without its semicolon', target: '/matrix/v=1', want: ['path/v'] },
  { name: 'matrix object exploded', target: '/matrix-x/;R=1;G=2', want: [] },
  { name: 'matrix object exploded, invalid', target: '/matrix-x/;R=x;G=2', want: ['path/v/R'] },
  // query, header and cookie styles
  {
    name: 'every query style valid',
    target:
      '/query?ids=1&ids=2&csv=1,2&sp=1%202&pp=1|2&filter[min]=3&filter[owner][login]=octo&x=1.5&y=2&limit=5',
    headers: { ...TENANT, 'x-ids': '1, 2', cookie: 'session=abc' },
    want: [],
  },
  {
    name: 'form exploded, invalid item',
    target: '/query?ids=1&ids=x',
    headers: TENANT,
    want: ['query/ids/1'],
  },
  { name: 'form exploded sent as a comma list', target: '/query?ids=1,2', headers: TENANT, want: [] },
  {
    name: 'form not exploded, invalid item',
    target: '/query?csv=1,x',
    headers: TENANT,
    want: ['query/csv/1'],
  },
  { name: 'spaceDelimited, invalid item', target: '/query?sp=1%20x', headers: TENANT, want: ['query/sp/1'] },
  { name: 'pipeDelimited, invalid item', target: '/query?pp=1|x', headers: TENANT, want: ['query/pp/1'] },
  {
    name: 'deepObject nested, invalid',
    target: '/query?filter[min]=x&filter[owner][login]=o',
    headers: TENANT,
    want: ['query/filter/min', 'query/filter/owner/login'],
  },
  {
    name: 'form exploded object, invalid',
    target: '/query?x=left&y=2',
    headers: TENANT,
    want: ['query/point/x'],
  },
  { name: 'primitive above maximum', target: '/query?limit=500', headers: TENANT, want: ['query/limit'] },
  {
    name: 'bad percent-encoding in the query',
    target: '/query?limit=%ZZ',
    headers: TENANT,
    want: ['query/limit'],
  },
  { name: 'missing required header', target: '/query', want: ['header/x-tenant'] },
  {
    name: 'header not an integer',
    target: '/query',
    headers: { 'x-tenant': 'nope' },
    want: ['header/x-tenant'],
  },
  {
    name: 'simple header array, invalid',
    target: '/query',
    headers: { ...TENANT, 'x-ids': '1, x' },
    want: ['header/x-ids/1'],
  },
  {
    name: 'cookie against its pattern',
    target: '/query',
    headers: { ...TENANT, cookie: 'session=ABC' },
    want: ['cookie/session'],
  },
];

/** The mock's verdict: its `sl-violations`, a 415, or an unreadable body (400 without violations). */
async function mockVerdict(mock: InProcessMock, c: Case): Promise<string[]> {
  const url = new URL(mock.base);
  const body = c.body === undefined ? undefined : Buffer.from(c.body);
  const headers: Record<string, string> = { ...c.headers };
  if (body) headers['content-length'] = String(body.length);
  const response = await new Promise<{ status: number; violations?: string }>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: c.method ?? 'GET', path: c.target, headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          const violations = res.headers['sl-violations'];
          resolve({
            status: res.statusCode ?? 0,
            violations: typeof violations === 'string' ? violations : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  if (response.status < 300) return [];
  if (response.status === 415) return ['content-type'];
  if (response.violations === undefined)
    return response.status === 400 ? ['body'] : [`status ${response.status}`];
  const violations = JSON.parse(response.violations) as { location: string[] }[];
  const where = violations.map((v) => {
    const [first, ...rest] = v.location;
    return [first, ...(first === 'header' ? [rest[0].toLowerCase(), ...rest.slice(1)] : rest)].join('/');
  });
  return [...new Set(where)].sort();
}

const REQUEST_KINDS = new Set([
  'invalid-parameter',
  'missing-required-parameter',
  'invalid-request-body',
  'unparseable-body',
  'undocumented-request-content-type',
]);

/** Drift's verdict on one entry: its request findings' pointers in the mock's notation. */
function driftVerdict(findings: Finding[]): string[] {
  const where = findings
    .filter((f) => REQUEST_KINDS.has(f.kind) && f.severity === 'error')
    .map((f) => {
      if (f.kind === 'undocumented-request-content-type') return 'content-type';
      if (f.kind === 'unparseable-body') return 'body';
      if (f.kind === 'invalid-request-body') return `body${f.pointer}`;
      return f.pointer
        .slice(1)
        .replace(/^headers\//, 'header/')
        .replace(/^cookies\//, 'cookie/');
    });
  return [...new Set(where)].sort();
}

function harEntry(c: Case): object {
  const headers = Object.entries({ host: 'api.test', ...c.headers }).map(([name, value]) => ({
    name,
    value,
  }));
  const request: Record<string, unknown> = {
    method: c.method ?? 'GET',
    url: `http://api.test${c.target}`,
    httpVersion: 'HTTP/1.1',
    headers,
    queryString: [],
    cookies: [],
    headersSize: -1,
    bodySize: c.body === undefined ? 0 : Buffer.byteLength(c.body),
  };
  if (c.body !== undefined)
    request.postData = { mimeType: c.headers?.['content-type'] ?? '', text: c.body.toString() };
  return {
    startedDateTime: '2024-01-01T00:00:00.000Z',
    time: 1,
    request,
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'content-type', value: 'application/json' }],
      cookies: [],
      content: { size: 11, mimeType: 'application/json', text: '{"ok":true}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 11,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

describe('request: the same bytes, the same verdict from the mock and from drift', function () {
  this.timeout(60000);
  let mock: InProcessMock;
  let dir: string;
  const drift = new Map<number, string[]>();

  before(async () => {
    mock = await serveContract('same-bytes', CONTRACT);
    dir = tempDir('same-bytes-drift');
    const spec = path.join(dir, 'api.json');
    const har = path.join(dir, 'traffic.har');
    fs.writeFileSync(spec, JSON.stringify(CONTRACT));
    fs.writeFileSync(
      har,
      JSON.stringify({
        log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: CASES.map(harEntry) },
      }),
    );
    const result = await checkDrift({ spec, recordings: [har] });
    CASES.forEach((_, i) => drift.set(i, driftVerdict(result.findings.filter((f) => f.entry === i))));
  });

  after(async () => {
    await mock?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const fromMock = await mockVerdict(mock, c);
      assert.deepEqual({ mock: fromMock, drift: drift.get(i) }, { mock: c.want, drift: c.want });
    });
  });
});
