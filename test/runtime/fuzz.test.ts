/**
 * Fuzz (issue 17): random and malformed recordings thrown at `generate`, then random and malformed
 * requests thrown at the mock (`mockgen serve` in its own process) over HTTP and raw TCP. Seeded
 * (FUZZ_SEED, printed on failure) and bounded in time (FUZZ_MS). Asserts: generate succeeds or exits
 * 2 with a message, never an internal error; the mock process stays up, never answers a 5xx the
 * contract does not document, never an invalid status; afterwards it still answers correctly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, repoRoot, runCli, tempDir } from '../helpers/project';

const SEED = Number(process.env.FUZZ_SEED ?? 20260117);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const TIME_MS = Number(process.env.FUZZ_MS ?? 20000);
const HAR_RUNS = Number(process.env.FUZZ_HARS ?? 24);

/** mulberry32: small, fast, good enough to pick cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)];

const ID = { type: 'string', pattern: '^thg_[A-Za-z0-9]{12}$' };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const problem = { description: 'problem', content: json({ type: 'object' }) };

const CONTRACT = {
  openapi: '3.0.3',
  info: { title: 'Fuzz', version: '1' },
  servers: [{ url: 'https://api.example.com/v1' }],
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          {
            name: 'filter',
            in: 'query',
            style: 'deepObject',
            explode: true,
            schema: { type: 'object', additionalProperties: true },
          },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: json({
              type: 'object',
              required: ['data', 'has_more'],
              properties: {
                data: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
                has_more: { type: 'boolean' },
              },
            }),
          },
          '400': problem,
        },
      },
      post: {
        operationId: 'createThing',
        requestBody: {
          required: true,
          content: {
            ...json({ $ref: '#/components/schemas/NewThing' }),
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/NewThing' } },
          },
        },
        responses: {
          '201': { description: 'created', content: json({ $ref: '#/components/schemas/ThingEnvelope' }) },
          '422': problem,
        },
      },
    },
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: ID }],
      get: {
        operationId: 'getThing',
        responses: {
          '200': { description: 'ok', content: json({ $ref: '#/components/schemas/ThingEnvelope' }) },
          '404': problem,
        },
      },
      patch: {
        operationId: 'updateThing',
        requestBody: { content: json({ $ref: '#/components/schemas/NewThing' }) },
        responses: {
          '200': { description: 'ok', content: json({ $ref: '#/components/schemas/ThingEnvelope' }) },
          '404': problem,
        },
      },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' }, '404': problem } },
    },
    '/status': {
      get: {
        operationId: 'getStatus',
        responses: {
          '200': {
            description: 'ok',
            content: json({ type: 'object', properties: { ok: { type: 'boolean' } } }),
          },
          '503': problem,
        },
      },
    },
    '/secret': {
      get: {
        operationId: 'getSecret',
        security: [{ key: [] }],
        responses: {
          '200': {
            description: 'ok',
            content: json({ type: 'object', properties: { s: { type: 'string' } } }),
          },
          '401': problem,
        },
      },
    },
  },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    schemas: {
      NewThing: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: 200 },
          constructor: { type: 'string' },
          size: { type: 'integer' },
          tags: { type: 'array', items: { type: 'string' } },
          meta: { type: 'object', additionalProperties: true },
        },
      },
      Thing: {
        type: 'object',
        required: ['id', 'name', 'created'],
        properties: {
          id: ID,
          name: { type: 'string' },
          size: { type: 'integer' },
          created: {
            type: 'string',
            format: 'date-time',
            pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
          },
        },
      },
      ThingEnvelope: {
        type: 'object',
        required: ['data'],
        properties: { data: { $ref: '#/components/schemas/Thing' } },
      },
    },
  },
};

/** operation → documented statuses, for judging a 5xx */
const OPERATIONS: { method: string; path: RegExp; statuses: Set<string> }[] = Object.entries(
  CONTRACT.paths,
).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([method]) => method !== 'parameters')
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path: new RegExp(`^/v1${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      statuses: new Set(Object.keys((op as { responses: object }).responses)),
    })),
);

function documents(method: string, url: string, status: number): boolean {
  const pathname = url.split('?')[0];
  const m = method === 'HEAD' ? 'GET' : method;
  return OPERATIONS.some(
    (op) =>
      op.method === m &&
      op.path.test(pathname) &&
      (op.statuses.has(String(status)) || op.statuses.has('5XX') || op.statuses.has('default')),
  );
}

// ---------------------------------------------------------------------------------------------
// Recordings

const THING = (id: string) => ({
  data: { id, name: 'recorded', size: 3, created: '2026-01-01T00:00:00.000Z' },
});

function harEntry(method: string, url: string, status: number, body: unknown, headers = [] as unknown[]) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    startedDateTime: '2026-01-01T00:00:00.000Z',
    time: 3,
    request: {
      method,
      url: `https://api.example.com/v1${url}`,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Accept', value: 'application/json' }],
      queryString: [],
      cookies: [],
      ...(method === 'POST'
        ? { postData: { mimeType: 'application/json', text: '{"name":"recorded"}' } }
        : {}),
    },
    response: {
      status,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json' }, ...headers],
      cookies: [],
      content: { size: text.length, mimeType: 'application/json', text },
      redirectURL: '',
    },
    cache: {},
    timings: { send: 0, wait: 3, receive: 0 },
  };
}

function baseEntries(): ReturnType<typeof harEntry>[] {
  return [
    harEntry('POST', '/things', 201, THING('thg_AAAAAAAAAAAA')),
    harEntry('GET', '/things/thg_AAAAAAAAAAAA', 200, THING('thg_AAAAAAAAAAAA')),
    harEntry('GET', '/things', 200, { data: [THING('thg_AAAAAAAAAAAA').data], has_more: false }),
    harEntry('GET', '/status', 200, { ok: true }, [{ name: 'X-Served-By', value: 'a' }]),
  ];
}

const HOSTILE_HEADER_NAMES = ['X Bad', 'X-Ünï', '__proto__', 'constructor', '', ':path', 'a\r\nb', 'X\u0000'];
const HOSTILE_HEADER_VALUES = ['ok', 'a\r\nSet-Cookie: x=1', '\u0000', 'ü', ' '.repeat(3), 'x'.repeat(9000)];

/** One hostile change to a recorded entry (or to the whole log). */
const MUTATIONS = 14;

function mutateEntry(rng: Rng, entry: Record<string, any>, mutation: number): void {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  switch (mutation) {
    case 0:
      entry.response.status = pick(rng, [0, -1, 99, 600, 700, 1e9, 200.5, '200', null]);
      break;
    case 1:
      entry.response.headers.push({
        name: pick(rng, HOSTILE_HEADER_NAMES),
        value: pick(rng, HOSTILE_HEADER_VALUES),
      });
      break;
    case 2:
      entry.response.content.text = deep(300 + int(rng, 5000));
      break;
    case 3:
      entry.response.content = {
        mimeType: 'application/json',
        encoding: 'base64',
        text: Buffer.from(deep(400 + int(rng, 3000))).toString('base64'),
      };
      break;
    case 4:
      entry.response.content.text = '{"data": {"id": ';
      break;
    case 5:
      entry.request.url = pick(rng, ['not a url', 'https://api.example.com/v1/things/%zz', '', 'ftp://x/y']);
      break;
    case 6:
      entry.request.method = pick(rng, ['G ET', '', 'get', 'PROPFIND', '\u00e9', 'POST\r\n']);
      break;
    case 7:
      entry.request.postData = { mimeType: 'application/json', text: deep(1000 + int(rng, 3000)) };
      break;
    case 8:
      entry.response.headers = pick(rng, [null, {}, 'x', [null, 5, { name: 5 }]]);
      break;
    case 9:
      entry.response.content.text = JSON.stringify({
        __proto__: { polluted: true },
        data: { constructor: 1 },
      });
      break;
    case 10:
      entry.startedDateTime = pick(rng, ['yesterday', '', null, '9999-99-99']);
      entry.time = pick(rng, [-5, 'slow', 1e15, null]);
      break;
    case 11:
      entry.request.postData = {
        mimeType: 'application/x-www-form-urlencoded',
        text: `name${'[a]'.repeat(500 + int(rng, 2000))}=1`,
      };
      break;
    case 12:
      entry.response.content.text = JSON.stringify({ data: { id: 'x'.repeat(20000), name: 5 } });
      break;
    default:
      entry.request.headers = [
        { name: pick(rng, HOSTILE_HEADER_NAMES), value: pick(rng, HOSTILE_HEADER_VALUES) },
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

interface Sent {
  method: string;
  url: string;
  status?: number;
  error?: string;
  /** a request whose transport may fail legitimately (a body past the limit: the server closes) */
  mayFail?: boolean;
  /** a well-formed request of the documented flow: answered 2xx, or 404 for an id deleted or evicted */
  sound?: boolean;
  /** headers and the start of the body, for the failure message */
  desc?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'];
const GARBAGE = [
  '%',
  '%zz',
  '%00',
  '%2F',
  '%E0%A4%A',
  '..',
  '%2e%2e',
  'ü',
  '\u{1F600}',
  '~',
  "'",
  '"',
  '<',
  '{id}',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'text/plain',
  'application/xml',
  'application/merge-patch+json',
  'application/json-patch+json',
  '*/*',
  ';;;',
  'application/json; charset=nope',
];

function garbage(rng: Rng): string {
  let out = '';
  for (let i = int(rng, 6); i >= 0; i--)
    out += rng() < 0.5 ? pick(rng, GARBAGE) : rng().toString(36).slice(2, 6);
  return out;
}

function randomJson(rng: Rng, depth: number): unknown {
  const r = int(rng, depth > 4 ? 5 : 8);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng() < 0.5;
    case 2:
      return pick(rng, [0, -1, 1e308, 2 ** 53 + 1, 0.1, -0]);
    case 3:
      return pick(rng, ['', 'x', '\u0000', '\ud800', 'é', '__proto__', 'thg_AAAAAAAAAAAA']);
    case 4:
      return garbage(rng);
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      for (let i = int(rng, 5); i > 0; i--)
        out[
          pick(rng, [
            'name',
            'size',
            'tags',
            'meta',
            'constructor',
            'toString',
            'hasOwnProperty',
            'id',
            'data',
            garbage(rng),
          ])
        ] = randomJson(rng, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: int(rng, 4) }, () => randomJson(rng, depth + 1));
  }
}

function randomBody(rng: Rng): {
  body?: Buffer | string;
  type?: string;
  encoding?: string;
  mayFail?: boolean;
} {
  switch (int(rng, 12)) {
    case 0:
      return {};
    case 1:
      return { body: JSON.stringify({ name: garbage(rng), size: int(rng, 100) }), type: 'application/json' };
    case 2:
      return { body: JSON.stringify(randomJson(rng, 0)), type: pick(rng, CONTENT_TYPES) };
    case 3: {
      const n = 200 + int(rng, 6000);
      return {
        body: rng() < 0.5 ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`,
        type: 'application/json',
      };
    }
    case 4:
      return {
        body: pick(rng, ['{', '{"name": }', 'nul', '\u0000', '{"a":1}{"b":2}', '[1,]']),
        type: 'application/json',
      };
    case 5:
      return {
        body: `name${'[x]'.repeat(100 + int(rng, 3000))}=1&size=abc`,
        type: 'application/x-www-form-urlencoded',
      };
    case 6:
      return {
        body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x',
        type: 'multipart/form-data; boundary=x',
      };
    case 7:
      return {
        body: Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]),
        type: 'application/json',
        encoding: 'gzip',
      };
    case 8:
      return {
        body: gzipSync(`${'['.repeat(3000)}${']'.repeat(3000)}`),
        type: 'application/json',
        encoding: pick(rng, ['gzip', 'br', 'deflate', 'x-unknown']),
      };
    case 9:
      return { body: 'x'.repeat(1_200_000 + int(rng, 100_000)), type: 'application/json', mayFail: true };
    case 10:
      return {
        body: JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: 1 } }),
        type: 'application/json',
      };
    default:
      return {
        body: JSON.stringify([
          {
            op: pick(rng, ['add', 'remove', 'move', 'x']),
            path: pick(rng, ['/name', '/__proto__/x', '', '/a/b/c']),
            value: 1,
          },
        ]),
        type: 'application/json-patch+json',
      };
  }
}

function randomUrl(rng: Rng, ids: string[]): string {
  const id = () =>
    ids.length > 0 && rng() < 0.4 ? pick(rng, ids) : rng() < 0.3 ? 'thg_AAAAAAAAAAAA' : garbage(rng);
  let p = pick(rng, [
    () => '/v1/things',
    () => `/v1/things/${id()}`,
    () => '/v1/status',
    () => '/v1/secret',
    () => `/v1/${garbage(rng)}`,
    () => `/${garbage(rng)}`,
    () => `/v1/things/${id()}/${garbage(rng)}`,
    () => `/v1/things/${'a'.repeat(5000 + int(rng, 3000))}`,
    () => '/__mockgen/health',
    () => `/__mockgen/${garbage(rng)}`,
    () => '//v1//things//',
  ])();
  if (rng() < 0.5) {
    const pairs: string[] = [];
    for (let i = int(rng, 5); i >= 0; i--) {
      pairs.push(
        pick(rng, [
          () => `limit=${pick(rng, ['1', '0', '-1', 'abc', '99999999999999999999', '1e3', ''])}`,
          () => `filter${'[a]'.repeat(1 + int(rng, 400))}=1`,
          () => `filter[__proto__][x]=1`,
          () => `${garbage(rng)}=${garbage(rng)}`,
          () => 'limit=1&limit=2',
          () => '%%%=&&&',
        ])(),
      );
    }
    p += `?${pairs.join('&')}`;
  }
  return p;
}

function randomHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng() < 0.4)
    headers.prefer = pick(rng, [
      `code=${pick(rng, ['200', '201', '404', '422', '500', '503', '999', '42', '-1', 'abc', ''])}`,
      'dynamic=true',
      `example=${garbage(rng)}`,
      'code=200, dynamic=true, example=nope',
      ';;==,,',
      'code=503',
    ]);
  if (rng() < 0.3)
    headers.accept = pick(rng, [
      'application/xml',
      '*/*;q=abc',
      'text/html',
      'application/json;q=0',
      ',,,',
      'application/*',
    ]);
  if (rng() < 0.3) headers['x-mockgen-session'] = pick(rng, ['a', garbage(rng), 's'.repeat(2000), 'fuzz']);
  if (rng() < 0.2) headers['x-api-key'] = pick(rng, ['', 'k', garbage(rng)]);
  if (rng() < 0.2)
    headers.authorization = pick(rng, ['Bearer ', 'Bearer a.b.c', 'Basic ###', 'x'.repeat(4000)]);
  if (rng() < 0.1) headers['x-mockgen-explain'] = '1';
  if (rng() < 0.1) headers['if-none-match'] = garbage(rng);
  if (rng() < 0.1) headers.origin = pick(rng, ['null', 'https://evil.example', garbage(rng)]);
  return headers;
}

/** A well-formed request of the documented flow (create, read, update, delete, list) in one session. */
function soundRequest(rng: Rng, ids: string[]): { method: string; url: string; body?: string } {
  const id = ids.length > 0 ? pick(rng, ids) : 'thg_AAAAAAAAAAAA';
  switch (int(rng, 5)) {
    case 0:
    case 1:
      return {
        method: 'POST',
        url: '/v1/things',
        body: JSON.stringify({ name: `n${int(rng, 1e6)}`, size: 1 }),
      };
    case 2:
      return { method: 'GET', url: `/v1/things/${id}` };
    case 3:
      return { method: 'PATCH', url: `/v1/things/${id}`, body: JSON.stringify({ size: int(rng, 100) }) };
    default:
      return rng() < 0.3
        ? { method: 'DELETE', url: `/v1/things/${id}` }
        : { method: 'GET', url: '/v1/things' };
  }
}

function send(port: number, rng: Rng, ids: string[]): Promise<Sent> {
  const sound = rng() < 0.3 ? soundRequest(rng, ids) : undefined;
  const method =
    sound?.method ?? (rng() < 0.7 ? pick(rng, ['GET', 'POST', 'PATCH', 'DELETE']) : pick(rng, METHODS));
  const url = sound?.url ?? randomUrl(rng, ids);
  const { body, type, encoding, mayFail } = sound
    ? {
        body: sound.body,
        type: sound.body === undefined ? undefined : 'application/json',
        encoding: undefined,
        mayFail: false,
      }
    : method === 'GET' && rng() < 0.8
      ? {}
      : randomBody(rng);
  const headers = sound ? { 'x-mockgen-session': 'sound' } : randomHeaders(rng);
  if (type) headers['content-type'] = type;
  if (encoding) headers['content-encoding'] = encoding;
  // node's client frames a DELETE / OPTIONS body with nothing unless told its length
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const sent: Sent = {
    sound: sound !== undefined,
    method,
    url,
    desc: `${JSON.stringify(headers)} ${String(body ?? '').slice(0, 40)}`,
    mayFail,
  };
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({
        host: '127.0.0.1',
        port,
        method,
        path: url,
        headers,
        agent: false,
        timeout: 10000,
      });
    } catch (err) {
      // the client refused to send it (an invalid path): nothing to judge
      resolve({ ...sent, error: `client: ${(err as Error).message}`, mayFail: true });
      return;
    }
    req.on('response', (res) => {
      sent.status = res.statusCode;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 201 && url === '/v1/things' && sound) {
          const created = /"id":"(thg_[A-Za-z0-9]{12})"/.exec(text);
          if (created) ids.push(created[1]);
        }
        resolve(sent);
      });
      res.on('error', (err) => resolve({ ...sent, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) =>
      resolve({
        ...sent,
        error: `${err.message} ${JSON.stringify(String((err as { rawPacket?: Buffer }).rawPacket ?? '').slice(0, 300))}`,
      }),
    );
    req.end(body);
  });
}

/** Malformed HTTP over a raw socket; answers the status line's code, if any. */
function sendRaw(port: number, rng: Rng): Promise<Sent> {
  const payload = pick(rng, [
    () => 'GARBAGE\r\n\r\n',
    () => `GET /v1/things HTTP/1.1\r\nHost: x\r\nX Bad: 1\r\n\r\n`,
    () => `GET /v1/things HTTP/1.1\r\nHost: x\r\nX-Ü: 1\r\n\r\n`,
    () => `POST /v1/things HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
    () =>
      `POST /v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    () => `POST /v1/things HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}`,
    () => `GET /v1/things/%zz%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    () => `GET /${'\u00e9'.repeat(10)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    () => `GET /v1/things HTTP/9.9\r\n\r\n`,
    () =>
      `GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/things HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    () =>
      `POST /v1/things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`,
    () => `GET /v1/things HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`,
    () => Buffer.from(Array.from({ length: 64 }, () => int(rng, 256))).toString('latin1'),
    () => `GET http://evil/v1/things HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    () => `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  ])();
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve({
        method: 'RAW',
        url: JSON.stringify(payload.slice(0, 60)),
        status: m ? Number(m[1]) : undefined,
        mayFail: true,
      });
    };
    socket.setTimeout(1500, done);
    socket.on('data', (c) => (data += c.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(payload, 'latin1');
    // a half-sent request: hang up after a moment
    setTimeout(() => socket.end(), 200);
  });
}

// ---------------------------------------------------------------------------------------------

describe(`fuzz: hostile recordings and requests (FUZZ_SEED=${SEED})`, function () {
  this.timeout(TIME_MS + 120000);
  let work: string;
  let child: ChildProcess | undefined;
  let output = '';
  const failures: string[] = [];

  before(() => (work = tempDir('fuzz')));
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (!process.env.FUZZ_KEEP) fs.rmSync(work, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`  reproduce with FUZZ_SEED=${SEED}`);
  });

  const spec = () => path.join(work, 'api.json');

  it('generate on mutated recordings succeeds with warnings or exits 2 with a message, never an internal error', async () => {
    fs.writeFileSync(spec(), JSON.stringify(CONTRACT));
    const rng = prng(SEED);
    let ok = 0;
    let refused = 0;
    for (let run = 0; run < HAR_RUNS; run++) {
      const entries: Record<string, any>[] = baseEntries();
      // every mutation at least once, then at random; one mutated entry among sound ones
      const entry = harEntry('GET', '/things/thg_BBBBBBBBBBBB', 200, THING('thg_BBBBBBBBBBBB'));
      mutateEntry(rng, entry, run < MUTATIONS ? run : int(rng, MUTATIONS));
      if (run >= MUTATIONS) mutateEntry(rng, entry, int(rng, MUTATIONS));
      entries.splice(int(rng, entries.length + 1), 0, entry);
      const file = path.join(work, `run-${run}.har`);
      fs.writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'fuzz' }, entries } }));
      const result = await runCli([
        'generate',
        '--spec',
        spec(),
        '--recordings',
        file,
        '--out',
        path.join(work, `out-${run}`),
      ]);
      const said = `run ${run}: exit ${result.code}\n${result.stdout}${result.stderr}`;
      assert.ok(result.code === 0 || result.code === 2, said);
      assert.doesNotMatch(result.stderr, /internal error/, said);
      if (process.env.FUZZ_DEBUG) console.log(said);
      if (result.code === 2) {
        refused++;
        assert.match(result.stderr, /run-\d+\.har/, `a refusal names the file: ${said}`);
      } else ok++;
      fs.rmSync(path.join(work, `out-${run}`), { recursive: true, force: true });
    }
    console.log(`    ${HAR_RUNS} mutated HARs: ${ok} generated, ${refused} refused (exit 2)`);
  });

  it(`${REQUESTS} random requests: no crash, no undocumented 5xx, correct answers afterwards`, async () => {
    // the recordings the mock serves carry hostile headers and statuses generate must sanitise
    const entries: Record<string, any>[] = baseEntries();
    const hostile = harEntry('GET', '/status', 200, { ok: true }, [
      { name: 'X Bad', value: '1' },
      { name: '__proto__', value: 'x' },
      { name: 'X-Ünï', value: '1' },
    ]);
    entries.push(hostile, harEntry('GET', '/status', 777, { ok: false }));
    const har = path.join(work, 'serve.har');
    fs.writeFileSync(har, JSON.stringify({ log: { version: '1.2', creator: { name: 'fuzz' }, entries } }));
    fs.writeFileSync(spec(), JSON.stringify(CONTRACT));
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/mockgen.js'),
        'serve',
        '--spec',
        spec(),
        '--recordings',
        har,
        '--port',
        String(port),
        '--quiet',
      ],
      {
        env: { ...process.env, MOCKGEN_LATENCY: 'off', MOCKGEN_RESOURCE_LIMIT: '200' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) assert.fail(`serve exited ${child.exitCode}:\n${output}`);
      try {
        if ((await fetch(`${base}/__mockgen/health`)).status === 200) break;
      } catch {
        // not yet
      }
      assert.ok(i < 400, `serve did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const rng = prng(SEED ^ 0x5eed);
    const ids: string[] = [];
    const started = Date.now();
    let sent = 0;
    const statuses = new Map<number, number>();
    const worker = async (lane: number) => {
      const laneRng = prng(Math.floor(rng() * 2 ** 32) + lane);
      while (sent < REQUESTS && Date.now() - started < TIME_MS) {
        sent++;
        const result = laneRng() < 0.1 ? await sendRaw(port, laneRng) : await send(port, laneRng, ids);
        if (result.status !== undefined) statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        const where = `${result.method} ${result.url.slice(0, 300)} ${result.desc ?? ''}`;
        if (result.status !== undefined && (result.status < 100 || result.status > 599))
          failures.push(`${where}: status ${result.status}`);
        else if (
          result.status !== undefined &&
          result.status >= 500 &&
          !documents(result.method, result.url, result.status)
        )
          failures.push(`${where}: undocumented ${result.status}`);
        else if (result.error && !result.mayFail) failures.push(`${where}: ${result.error}`);
        else if (result.sound && result.status !== undefined && result.status >= 300 && result.status !== 404)
          failures.push(`${where}: a sound request answered ${result.status}`);
        if (child!.exitCode !== null) failures.push(`the mock exited (${child!.exitCode}) after ${where}`);
        if (failures.length > 20) return;
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, lane) => worker(lane)));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `    ${sent} requests in ${seconds} s: ${[...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
    );
    assert.equal(child.exitCode, null, `the mock is still running:\n${output}`);
    assert.deepEqual(failures.slice(0, 20), [], `FUZZ_SEED=${SEED}\n${output.slice(-4000)}`);
    assert.doesNotMatch(
      output,
      /Maximum call stack|ERR_INVALID|TypeError|RangeError|uncaught/i,
      output.slice(-4000),
    );

    // afterwards: the mock still tells the truth
    assert.equal((await fetch(`${base}/__mockgen/health`)).status, 200);
    const session = { 'x-mockgen-session': 'after-the-storm' };
    const created = await fetch(`${base}/v1/things`, {
      method: 'POST',
      headers: { ...session, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'calm' }),
    });
    const createdText = await created.text();
    assert.equal(created.status, 201, createdText);
    const thing = (JSON.parse(createdText) as { data: { id: string; name: string; created: string } }).data;
    assert.match(thing.id, /^thg_[A-Za-z0-9]{12}$/);
    assert.equal(thing.name, 'calm');
    assert.ok(!Number.isNaN(Date.parse(thing.created)), thing.created);
    assert.equal(created.headers.get('location'), `/v1/things/${thing.id}`);
    const read = await fetch(`${base}/v1/things/${thing.id}`, { headers: session });
    assert.equal(read.status, 200);
    assert.deepEqual(((await read.json()) as { data: unknown }).data, thing);
    const listed = (await (await fetch(`${base}/v1/things`, { headers: session })).json()) as {
      data: { id: string }[];
    };
    assert.ok(
      listed.data.some((t) => t.id === thing.id),
      'the list has it',
    );
    assert.equal(
      (await fetch(`${base}/v1/things`, { headers: { ...session, prefer: 'code=999' } })).status,
      400,
    );
    const replayed = await fetch(`${base}/v1/status`, { headers: session });
    assert.equal(replayed.status, 200);
  });
});
