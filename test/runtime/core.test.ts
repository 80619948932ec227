import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer, type RunningServer } from '../../templates/runtime/server';
import type { RouteEntry } from '../../templates/runtime/core/types';

const fixtureDir = path.join(process.cwd(), 'test', 'fixtures', 'runtime-core');
const dataDir = path.join(fixtureDir, 'data');
const routes = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'routes.json'), 'utf8')) as RouteEntry[];

const BEARER = { authorization: 'Bearer abc.def' };
const BASIC = { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` };

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

/** Sends a raw HTTP request (for things fetch refuses to send) and returns the raw response text. */
function rawRequest(port: number, payload: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(err);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(payload);
  });
}

describe('runtime-core: the mock server over HTTP', function () {
  this.timeout(20_000);
  let running: RunningServer;
  let base: string;

  before(async () => {
    running = await startServer({ dataDir, routes, port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${running.port}`;
  });
  after(async () => {
    await running.close();
  });
  beforeEach(() => running.handler.store.clearJournal());

  async function call(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: any } = {},
  ): Promise<Answer> {
    const res = await fetch(base + url, {
      method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  describe('routing', () => {
    it('serves the first documented 2xx example with its documented headers', async () => {
      const r = await call('GET', '/v1/pets');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.deepEqual(r.json(), [
        { id: 1, name: 'Rex' },
        { id: 2, name: 'Tom' },
      ]);
      assert.equal(r.headers.get('x-rate-limit'), '100');
      assert.equal(r.headers.get('content-length'), String(Buffer.byteLength(r.text)));
    });

    it('accepts paths without the base path, with a trailing slash, and with dot segments', async () => {
      assert.equal((await call('GET', '/pets')).status, 200);
      assert.equal((await call('GET', '/v1/pets/')).status, 200);
      const dots = await rawRequest(
        running.port,
        'GET /v1/owners/../pets HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      );
      assert.match(dots, /^HTTP\/1\.1 200/);
    });

    it('prefers literal segments over templates', async () => {
      assert.deepEqual((await call('GET', '/v1/pets/mine')).json(), { id: 0, name: 'Mine' });
    });

    const misses: [string, string, number, string][] = [
      ['GET', '/v1/unknown', 404, 'NO_PATH_MATCHED_ERROR'],
      ['PATCH', '/v1/pets', 405, 'NO_METHOD_MATCHED_ERROR'],
      ['PROPFIND', '/v1/pets', 405, 'NO_METHOD_MATCHED_ERROR'],
    ];
    for (const [method, url, status, kind] of misses) {
      it(`${method} ${url} → ${status} problem`, async () => {
        const r = await call(method, url);
        assert.equal(r.status, status);
        assert.equal(r.headers.get('content-type'), 'application/problem+json');
        const body = r.json();
        assert.equal(body.status, status);
        assert.equal(body.type, `https://stoplight.io/prism/errors#${kind}`);
        assert.equal(typeof body.title, 'string');
        assert.equal(typeof body.detail, 'string');
      });
    }

    it('405 lists the allowed methods, including HEAD for GET and OPTIONS', async () => {
      const r = await call('PUT', '/v1/pets');
      assert.equal(r.headers.get('allow'), 'GET, HEAD, OPTIONS, POST');
    });

    it('OPTIONS on a known path → 204 with Allow; CORS preflight is answered', async () => {
      const options = await call('OPTIONS', '/v1/pets/1');
      assert.equal(options.status, 204);
      assert.equal(options.headers.get('allow'), 'DELETE, GET, HEAD, OPTIONS');
      const preflight = await call('OPTIONS', '/v1/pets', {
        headers: {
          origin: 'http://app.test',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
      assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization');
      const simple = await call('GET', '/v1/pets', { headers: { origin: 'http://app.test' } });
      assert.equal(simple.headers.get('access-control-allow-origin'), 'http://app.test');
      assert.match(simple.headers.get('access-control-expose-headers') ?? '', /x-rate-limit/);
    });

    it('HEAD of a GET route answers the GET headers without a body', async () => {
      const r = await call('HEAD', '/v1/pets');
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.ok(Number(r.headers.get('content-length')) > 0);
    });

    it('204 has no body and no content type', async () => {
      const r = await call('DELETE', '/v1/pets/1', { headers: BASIC });
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
      assert.equal(r.headers.get('content-type'), null);
    });
  });

  describe('Accept negotiation', () => {
    const cases: [string, string | undefined, number, string | null][] = [
      ['no Accept', undefined, 200, 'application/json'],
      ['*/*', '*/*', 200, 'application/json'],
      ['exact second type', 'application/xml', 200, 'application/xml; charset=utf-8'],
      ['q-values rank', 'application/json;q=0.5, application/xml', 200, 'application/xml; charset=utf-8'],
      ['q=0 excludes', 'application/json;q=0, */*', 200, 'application/xml; charset=utf-8'],
      ['vendor +json served as documented JSON', 'application/vnd.github+json', 200, 'application/json'],
      ['nothing acceptable', 'image/png', 406, 'application/problem+json'],
      ['wildcard subtype', 'application/*', 200, 'application/json'],
    ];
    for (const [name, accept, status, type] of cases) {
      it(`${name}: ${accept ?? '(none)'} → ${status} ${type}`, async () => {
        const r = await call('GET', '/v1/pets', { headers: accept === undefined ? {} : { accept } });
        assert.equal(r.status, status);
        assert.equal(r.headers.get('content-type'), type);
      });
    }

    it('XML is rendered from the example when only XML is asked for', async () => {
      const r = await call('GET', '/v1/pets', { headers: { accept: 'application/xml' } });
      assert.match(r.text, /^<\?xml/);
      assert.match(r.text, /<name>Rex<\/name>/);
    });

    it('a documented vendor type is served for application/json, text/csv for text/csv', async () => {
      const json = await call('GET', '/v1/vendor', { headers: { accept: 'application/json' } });
      assert.equal(json.headers.get('content-type'), 'application/vnd.acme.item+json');
      assert.deepEqual(json.json(), { v: 1 });
      const csv = await call('GET', '/v1/vendor', { headers: { accept: 'text/csv' } });
      assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(csv.text, 'a,b\n1,2\n');
    });
  });

  describe('Prefer and Prism query parameters', () => {
    it('Prefer: code=404 serves the documented 404', async () => {
      const r = await call('GET', '/v1/pets/1', { headers: { prefer: 'code=404' } });
      assert.equal(r.status, 404);
      assert.deepEqual(r.json(), { code: 404, message: 'no such pet' });
    });

    it('__code matches a range response (5XX) with the asked status', async () => {
      const r = await call('GET', '/v1/pets/1?__code=503');
      assert.equal(r.status, 503);
      assert.deepEqual(r.json(), { code: 500, message: 'server' });
    });

    it('example=name picks a named example; an unknown one is a 404 problem', async () => {
      assert.deepEqual((await call('GET', '/v1/pets/1', { headers: { prefer: 'example=tom' } })).json(), {
        id: 2,
        name: 'Tom',
      });
      assert.deepEqual((await call('GET', '/v1/pets/1?__example=tom')).json(), { id: 2, name: 'Tom' });
      const missing = await call('GET', '/v1/pets/1?__example=nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.json().type, 'https://stoplight.io/prism/errors#NOT_FOUND');
    });

    it('an undocumented code without default → 404 problem; with default → the default response', async () => {
      const r = await call('GET', '/v1/pets/1', { headers: { prefer: 'code=418' } });
      assert.equal(r.status, 404);
      assert.match(r.json().detail, /418/);
      const viaDefault = await call('GET', '/v1/things?__code=418');
      assert.equal(viaDefault.status, 418);
      assert.equal(viaDefault.json().message, 'default error');
    });

    it('dynamic=true (and a schema without examples) generates data, the same for the same request', async () => {
      const a = await call('GET', '/v1/things?x=1');
      const b = await call('GET', '/v1/things?x=1');
      assert.equal(a.status, 200);
      assert.equal(typeof a.json().id, 'number');
      assert.equal(typeof a.json().label, 'string');
      assert.deepEqual(a.json(), b.json());
      const dynamic = await call('GET', '/v1/pets/1', { headers: { prefer: 'dynamic=true' } });
      assert.equal(dynamic.status, 200);
      assert.equal(typeof dynamic.json().name, 'string');
    });

    it('Prism parameters are not validated as query parameters', async () => {
      assert.equal((await call('GET', '/v1/pets?__code=200&limit=5')).status, 200);
    });

    it('X-Mockgen-Explain says where the answer came from', async () => {
      const r = await call('GET', '/v1/pets/1', {
        headers: { 'x-mockgen-explain': '1', prefer: 'example=tom' },
      });
      assert.match(r.headers.get('x-mockgen-explain') ?? '', /^source=example:tom; no recordings for getPet/);
      assert.equal((await call('GET', '/v1/pets/1')).headers.get('x-mockgen-explain'), null);
    });

    it('no 2xx documented → 500 problem', async () => {
      const r = await call('GET', '/v1/broken');
      assert.equal(r.status, 500);
      assert.equal(r.json().type, 'https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED');
    });

    it('templates in bodies and headers are rendered per request', async () => {
      const r = await call('GET', '/v1/greet/ada?limit=7');
      assert.deepEqual(r.json(), { greeting: 'hello ada', limit: 7 });
      assert.equal(r.headers.get('x-echo'), 'ada');
      assert.equal((await call('GET', '/v1/greet/bob')).json().greeting, 'hello bob');
    });
  });

  describe('security', () => {
    const pet = JSON.stringify({ name: 'Rex' });
    const json = { 'content-type': 'application/json' };
    it('missing credentials → the documented 401 with WWW-Authenticate', async () => {
      const r = await call('POST', '/v1/pets', { headers: json, body: pet });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), { code: 401, message: 'login first' });
      assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
      assert.match(r.headers.get('www-authenticate') ?? '', /ApiKey/);
    });

    it('any of the alternatives satisfies the requirement', async () => {
      assert.equal(
        (await call('POST', '/v1/pets', { headers: { ...json, ...BEARER }, body: pet })).status,
        201,
      );
      assert.equal(
        (await call('POST', '/v1/pets', { headers: { ...json, 'x-api-key': 'k' }, body: pet })).status,
        201,
      );
    });

    it('basic auth needs a user:password credential; undocumented 401 → problem', async () => {
      const bad = await call('DELETE', '/v1/pets/1', { headers: { authorization: 'Basic !!!' } });
      assert.equal(bad.status, 401);
      assert.equal(bad.headers.get('content-type'), 'application/problem+json');
      assert.equal(bad.headers.get('www-authenticate'), 'Basic realm="*"');
      assert.equal(
        (await call('DELETE', '/v1/pets/1', { headers: { authorization: 'Bearer x' } })).status,
        401,
      );
    });

    it('apiKey in query or cookie', async () => {
      const id = '8f7e4c1a-9b2d-4e3f-8a6b-1c2d3e4f5a6b';
      assert.equal((await call('GET', `/v1/owners/${id}`)).status, 401);
      assert.equal((await call('GET', `/v1/owners/${id}?api_key=k`)).status, 200);
      assert.equal(
        (await call('GET', `/v1/owners/${id}`, { headers: { cookie: 'a=1; sid=xyz' } })).status,
        200,
      );
    });

    it('an expired JWT is refused with error="invalid_token"; an unknown token is accepted', async () => {
      const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const expired = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'x', exp: 1000 })}.sig`;
      const r = await call('GET', '/v1/secure', { headers: { authorization: `Bearer ${expired}` } });
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /invalid_token/);
      assert.equal(
        (await call('GET', '/v1/secure', { headers: { authorization: 'Bearer opaque-token' } })).status,
        200,
      );
    });
  });

  describe('request validation', () => {
    it('invalid query parameters → 422 problem listing each violation with its location', async () => {
      const r = await call('GET', '/v1/pets?limit=abc&status=lost');
      assert.equal(r.status, 422);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      const body = r.json();
      assert.equal(body.type, 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY');
      const locations = body.validation.map((v: { location: string[] }) => v.location.join('.')).sort();
      assert.deepEqual(locations, ['query.limit', 'query.status']);
      assert.ok(r.headers.get('sl-violations'));
    });

    it('coerces parameters to their types', async () => {
      assert.equal((await call('GET', '/v1/pets?limit=10&tags=a&tags=b&status=sold')).status, 200);
      assert.equal((await call('GET', '/v1/pets?limit=101')).status, 422);
      assert.equal((await call('GET', '/v1/pets/abc')).status, 422);
    });

    it('header, cookie, deepObject and pipeDelimited parameters', async () => {
      const ok = await call('GET', '/v1/search?filter[name]=rex&filter[age]=3&ids=1|2|3', {
        headers: { 'x-trace': 'abc-1', cookie: 'session=s1' },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.text, 'found');
      const bad = await call('GET', '/v1/search?filter[age]=old&ids=1|x');
      assert.equal(bad.status, 422);
      const locations = bad
        .json()
        .validation.map((v: { location: string[] }) => v.location.join('.'))
        .sort();
      assert.deepEqual(locations, ['header.X-Trace', 'query.filter.age', 'query.ids.1']);
    });

    it('label and matrix path parameters', async () => {
      assert.equal((await call('GET', '/v1/styles/.1,2,3/;x=5')).status, 200);
      assert.equal((await call('GET', '/v1/styles/.1,b/;x=5')).status, 422);
    });

    it('invalid body → the documented 422 example; readOnly properties are not required', async () => {
      const headers = { ...BEARER, 'content-type': 'application/json' };
      assert.equal(
        (await call('POST', '/v1/pets', { headers, body: JSON.stringify({ name: 'Rex' }) })).status,
        201,
      );
      const r = await call('POST', '/v1/pets', { headers, body: JSON.stringify({ name: '', age: -1 }) });
      assert.equal(r.status, 422);
      assert.deepEqual(r.json(), { code: 422, message: 'invalid pet' });
      const violations = JSON.parse(r.headers.get('sl-violations') ?? '[]') as { location: string[] }[];
      assert.deepEqual(violations.map((v) => v.location.join('.')).sort(), ['body.age', 'body.name']);
    });

    it('a missing required body is a violation', async () => {
      const r = await call('POST', '/v1/pets', { headers: BEARER });
      assert.equal(r.status, 422);
    });

    it('+json request content types validate as JSON', async () => {
      const r = await call('POST', '/v1/pets', {
        headers: { ...BEARER, 'content-type': 'application/vnd.acme+json; charset=utf-8' },
        body: JSON.stringify({ name: 'Rex' }),
      });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('location'), '/v1/pets/3');
    });

    it('gzip-encoded JSON bodies are decoded', async () => {
      const r = await call('POST', '/v1/pets', {
        headers: { ...BEARER, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: zlib.gzipSync(JSON.stringify({ name: 'Rex' })),
      });
      assert.equal(r.status, 201);
    });

    it('form bodies are parsed and coerced', async () => {
      const headers = { ...BEARER, 'content-type': 'application/x-www-form-urlencoded' };
      assert.equal((await call('POST', '/v1/pets', { headers, body: 'name=Rex&age=3' })).status, 201);
      assert.equal((await call('POST', '/v1/pets', { headers, body: 'name=Rex&age=old' })).status, 422);
    });

    it('multipart bodies: file parts and fields, nested bracket names', async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from([0, 1, 2, 255])], { type: 'image/png' }), 'cat.png');
      form.append('description', 'a cat');
      form.append('count', '2');
      form.append('meta[a]', '1');
      assert.equal((await call('POST', '/v1/pets/1/photo', { body: form })).status, 200);
      const missing = new FormData();
      missing.append('description', 'no file');
      missing.append('count', 'two');
      const r = await call('POST', '/v1/pets/1/photo', { body: missing });
      assert.equal(r.status, 422);
      const locations = r
        .json()
        .validation.map((v: { location: string[] }) => v.location.join('.'))
        .sort();
      assert.deepEqual(locations, ['body.count', 'body.file']);
    });

    it('an undocumented request content type → 415 problem', async () => {
      const r = await call('POST', '/v1/pets', {
        headers: { ...BEARER, 'content-type': 'application/xml' },
        body: '<pet/>',
      });
      assert.equal(r.status, 415);
      assert.equal(r.json().type, 'https://stoplight.io/prism/errors#INVALID_CONTENT_TYPE');
    });

    it('text bodies validate against string schemas; wildcard request types accept anything', async () => {
      const text = { 'content-type': 'text/plain' };
      assert.equal((await call('PUT', '/v1/notes/1', { headers: text, body: 'hello' })).status, 200);
      assert.equal((await call('PUT', '/v1/notes/1', { headers: text, body: 'too long' })).status, 422);
      assert.equal(
        (await call('PUT', '/v1/notes/1', { headers: { 'content-type': 'application/pdf' }, body: '%PDF' }))
          .status,
        200,
      );
    });
  });

  describe('malformed requests never crash the server', () => {
    it('bad JSON → 400 problem', async () => {
      const r = await call('POST', '/v1/pets', {
        headers: { ...BEARER, 'content-type': 'application/json' },
        body: '{"name":',
      });
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
    });

    it('bad percent-encoding in the path → 400', async () => {
      const raw = await rawRequest(
        running.port,
        'GET /v1/pets/%E0%A4%A HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      );
      assert.match(raw, /^HTTP\/1\.1 400/);
    });

    it('bad percent-encoding in the query is kept as sent', async () => {
      const r = await call('GET', '/v1/pets?tags=%zz');
      assert.equal(r.status, 200);
    });

    it('a body over the limit → 413', async () => {
      const small = await startServer({
        dataDir,
        routes,
        port: 0,
        env: { ...process.env, MOCKGEN_BODY_LIMIT: '1kb' },
      });
      try {
        const body = JSON.stringify({ name: 'x'.repeat(5000) });
        const declared = await rawRequest(
          small.port,
          `POST /v1/pets HTTP/1.1\r\nhost: x\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
        );
        assert.match(declared, /^HTTP\/1\.1 413/);
        const chunked = await rawRequest(
          small.port,
          `POST /v1/pets HTTP/1.1\r\nhost: x\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        );
        assert.match(chunked, /^HTTP\/1\.1 413/);
      } finally {
        await small.close();
      }
    });

    it('unknown methods, garbage and huge headers get a 4xx and the server keeps serving', async () => {
      assert.match(
        await rawRequest(running.port, 'FOO /v1/pets HTTP/1.1\r\nhost: x\r\n\r\n'),
        /^HTTP\/1\.1 400/,
      );
      assert.match(await rawRequest(running.port, 'this is not http\r\n\r\n'), /^HTTP\/1\.1 400/);
      const huge = `GET /v1/pets HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(70_000)}\r\n\r\n`;
      assert.match(await rawRequest(running.port, huge), /^HTTP\/1\.1 431/);
      assert.equal((await call('GET', '/v1/pets')).status, 200);
    });

    it('absolute-form request targets are routed', async () => {
      const raw = await rawRequest(
        running.port,
        'GET http://example.test/v1/pets HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      );
      assert.match(raw, /^HTTP\/1\.1 200/);
    });
  });

  describe('admin API and journal', () => {
    it('health, routes, journal, reset', async () => {
      const health = await call('GET', '/__mockgen/health');
      assert.equal(health.status, 200);
      assert.equal(health.json().status, 'ok');
      await call('GET', '/v1/pets', { headers: { 'x-mockgen-session': 's1' } });
      await call('GET', '/v1/nothing');
      const journal = (await call('GET', '/__mockgen/requests')).json() as {
        url: string;
        status: number;
        session: string;
        operationId?: string;
      }[];
      assert.deepEqual(
        journal.map((e) => [e.url, e.status, e.session, e.operationId ?? null]),
        [
          ['/v1/pets', 200, 's1', 'listPets'],
          ['/v1/nothing', 404, '', null],
        ],
      );
      assert.equal((await call('GET', '/__mockgen/requests?session=s1')).json().length, 1);
      assert.equal((await call('POST', '/__mockgen/reset')).status, 200);
      assert.deepEqual((await call('GET', '/__mockgen/requests')).json(), []);
      const routesList = (await call('GET', '/__mockgen/routes')).json() as { path: string }[];
      assert.equal(routesList.length, routes.length);
      const unknown = await call('GET', '/__mockgen/nope');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
    });

    it('answers every built-in endpoint without loading Express (its prototype swaps slow node:http down)', async () => {
      const adminModule = require.resolve('../../templates/runtime/admin');
      delete require.cache[adminModule];
      await call('GET', '/v1/pets', { headers: { 'x-mockgen-session': 's2' } });
      await call('GET', '/v1/pets');
      assert.equal((await call('GET', '/__mockgen/requests?session=s2')).json().length, 1);
      // as Express routed them: case-insensitive, a trailing slash tolerated, HEAD served by GET
      assert.equal((await call('GET', '/__mockgen/Routes/')).json().length, routes.length);
      assert.equal((await call('HEAD', '/__mockgen/requests')).status, 200);
      const reset = await call('POST', '/__mockgen/reset?session=s2');
      assert.deepEqual(reset.json(), { status: 'reset', session: 's2' });
      assert.equal(
        (await call('GET', '/__mockgen/requests')).json().length,
        2,
        'a session reset keeps the journal',
      );
      assert.deepEqual(
        (await call('POST', '/__mockgen/reset', { headers: { 'x-mockgen-session': 's3' } })).json(),
        {
          status: 'reset',
          session: 's3',
        },
      );
      assert.equal((await call('DELETE', '/__mockgen/requests')).status, 204);
      assert.deepEqual((await call('GET', '/__mockgen/requests')).json(), []);
      const wrongMethod = await call('GET', '/__mockgen/reset');
      assert.equal(wrongMethod.status, 404);
      assert.match(wrongMethod.json().detail, /No admin endpoint GET \/__mockgen\/reset/);
      assert.equal(require.cache[adminModule], undefined, 'admin.ts (Express) was loaded');
    });
  });
});

describe('runtime-core: startup', () => {
  it('builds a 1000-operation route table without reading operation data; a missing data file is a 500 problem', async () => {
    const many: RouteEntry[] = [];
    for (let i = 0; i < 1000; i++) {
      many.push({ id: `op${i}`, method: 'get', path: `/r${i}/items/{id}`, data: `ops/missing-${i}.json` });
    }
    const started = Date.now();
    const running = await startServer({ dataDir, routes: many, port: 0 });
    const elapsed = Date.now() - started;
    try {
      assert.ok(elapsed < 1000, `startup took ${elapsed} ms`);
      const r = await fetch(`http://127.0.0.1:${running.port}/v1/r999/items/1`);
      assert.equal(r.status, 500);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      assert.equal((await fetch(`http://127.0.0.1:${running.port}/__mockgen/health`)).status, 200);
    } finally {
      await running.close();
    }
  });
});

describe('runtime-core: user extension', () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer({
      dataDir,
      routes,
      port: 0,
      extend: (app) => {
        app.get('/__mockgen/hello', (_req, res) => {
          res.json({ hello: 'world' });
        });
        app.get('/custom/thing', (_req, res) => {
          res.status(202).json({ custom: true });
        });
      },
    });
  });
  after(async () => running.close());

  it('adds admin routes and serves paths the contract does not have', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    assert.deepEqual(await (await fetch(`${base}/__mockgen/hello`)).json(), { hello: 'world' });
    const custom = await fetch(`${base}/custom/thing`);
    assert.equal(custom.status, 202);
    const miss = await fetch(`${base}/not/there`);
    assert.equal(miss.status, 404);
    assert.equal(
      ((await miss.json()) as { type: string }).type,
      'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR',
    );
    assert.equal((await fetch(`${base}/v1/pets`)).status, 200);
  });

  it('serves the built-in admin endpoints through the extension app as without one', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    const health = await fetch(`${base}/__mockgen/health`);
    assert.equal(health.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(((await health.json()) as { operations: number }).operations, routes.length);
    assert.deepEqual(await (await fetch(`${base}/__mockgen/reset?session=x`, { method: 'POST' })).json(), {
      status: 'reset',
      session: 'x',
    });
    assert.equal(
      ((await (await fetch(`${base}/__mockgen/routes`)).json()) as unknown[]).length,
      routes.length,
    );
    const unknown = await fetch(`${base}/__mockgen/nope`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
  });
});

describe('runtime-core: a failure while answering is a 500, never a crash', function () {
  this.timeout(20_000);

  it('answers 500 when an operation first loaded on this request cannot be answered, and keeps serving', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-broken-op-'));
    fs.mkdirSync(path.join(dir, 'ops'));
    fs.copyFileSync(path.join(dataDir, 'manifest.json'), path.join(dir, 'manifest.json'));
    fs.copyFileSync(path.join(dataDir, 'schemas.json'), path.join(dir, 'schemas.json'));
    // operation data without its responses: answering it throws inside the pipeline
    fs.writeFileSync(
      path.join(dir, 'ops', 'unanswerable.json'),
      JSON.stringify({
        id: 'unanswerable',
        method: 'get',
        path: '/unanswerable',
        parameters: [],
        security: [],
        recordings: [],
      }),
    );
    const brokenRoutes: RouteEntry[] = [
      { id: 'unanswerable', method: 'get', path: '/unanswerable', data: 'ops/unanswerable.json' },
      ...routes,
    ];
    const server = await startServer({ dataDir: dir, routes: brokenRoutes, port: 0, host: '127.0.0.1' });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      for (let i = 0; i < 2; i++) {
        // the first request loads the data asynchronously, the second finds it loaded
        const res = await fetch(`${base}/v1/unanswerable`);
        assert.equal(res.status, 500);
        assert.equal(res.headers.get('content-type'), 'application/problem+json');
      }
      assert.equal((await fetch(`${base}/__mockgen/health`)).status, 200);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
