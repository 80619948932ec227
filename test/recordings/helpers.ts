import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contract, Exchange, HttpMethod, Operation } from '../../src/model/types';

export const fixtures = path.join(process.cwd(), 'test', 'fixtures', 'recordings');
export const fixture = (name: string): string => path.join(fixtures, name);

/** A contract with just enough of each operation for matching: `['get', '/pets/{petId}', 'getPet']`. */
export function contractOf(
  routes: [HttpMethod, string, string?][],
  options: { basePath?: string; servers?: string[] } = {},
): Contract {
  const operations: Operation[] = routes.map(([method, p, id]) => ({
    id: id ?? `${method}_${p}`,
    method,
    path: p,
    tags: [],
    deprecated: false,
    parameters: [],
    responses: [],
    security: [],
    pointer: `/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`,
  }));
  return {
    file: 'openapi.yaml',
    openapi: '3.1',
    title: 'Test',
    version: '1',
    basePath: options.basePath ?? '',
    servers: options.servers ?? [],
    operations,
    securitySchemes: {},
    schemas: {},
    diagnostics: [],
  };
}

let counter = 0;
/** An exchange with defaults; `url` may be absolute or a path. */
export function exchangeOf(method: string, url: string, overrides: Partial<Exchange> = {}): Exchange {
  const m = /^(?:https?:\/\/([^/]+))?([^?]*)(?:\?(.*))?$/.exec(url) as RegExpExecArray;
  const query = (m[3] ?? '')
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const [name, value = ''] = pair.split('=');
      return [decodeURIComponent(name), decodeURIComponent(value)];
    });
  return {
    entry: counter++,
    file: 'test.har',
    startedDateTime: new Date(Date.UTC(2024, 5, 1, 10, 0, 0) + counter * 1000).toISOString(),
    timeMs: 25,
    waitMs: 20,
    request: {
      method,
      url: m[1] ? url : `https://api.example.com${url}`,
      path: m[2] || '/',
      host: m[1] ?? 'api.example.com',
      query,
      headers: [],
      cookies: [],
    },
    response: { status: 200, statusText: 'OK', headers: [] },
    ...overrides,
  };
}

/**
 * Writes a HAR of `count` entries (each ~1.2 KB, JSON bodies) to `file`, streaming, and returns its size in bytes.
 * Used by the large-input test and bench-load-har.ts.
 */
export async function writeLargeHar(file: string, count: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = (text: string): Promise<void> =>
    new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', () => resolve())));
  await write(
    '{\n  "log": {\n    "version": "1.2",\n    "creator": { "name": "bench", "version": "1" },\n    "entries": [\n',
  );
  const t0 = Date.UTC(2024, 5, 1);
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      id: `pay_${i.toString(36).padStart(12, '0')}`,
      amount: { value: 1000 + (i % 997), currency: 'EUR' },
      status: ['pending', 'succeeded', 'failed'][i % 3],
      description: `Payment number ${i} — ünïcödé and "quotes" \\ backslashes`,
      createdAt: new Date(t0 + i * 1000).toISOString(),
      items: [1, 2, 3].map((k) => ({ sku: `sku_${k}`, qty: k })),
    });
    const entry = {
      startedDateTime: new Date(t0 + i * 1000).toISOString(),
      time: 30 + (i % 50),
      request: {
        method: i % 5 === 0 ? 'POST' : 'GET',
        url:
          i % 5 === 0
            ? 'https://api.example.com/v1/payments'
            : `https://api.example.com/v1/payments/pay_${i}?expand=customer`,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [
          { name: 'Accept', value: 'application/json' },
          { name: 'Authorization', value: `Bearer tok_${i.toString(16).padStart(24, 'a')}` },
          { name: 'X-Request-Id', value: `req_${i}` },
        ],
        queryString: i % 5 === 0 ? [] : [{ name: 'expand', value: 'customer' }],
        ...(i % 5 === 0
          ? { postData: { mimeType: 'application/json', text: '{"amount":1000,"currency":"EUR"}' } }
          : {}),
        headersSize: -1,
        bodySize: -1,
      },
      response: {
        status: i % 5 === 0 ? 201 : 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [
          { name: 'Content-Type', value: 'application/json; charset=utf-8' },
          { name: 'Date', value: new Date(t0 + i * 1000).toUTCString() },
        ],
        content: { size: body.length, mimeType: 'application/json', text: body },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: { send: 1, wait: 20 + (i % 50), receive: 2 },
    };
    await write(
      `      ${JSON.stringify(entry, null, 1).replace(/\n/g, '\n      ')}${i < count - 1 ? ',' : ''}\n`,
    );
  }
  await write('    ]\n  }\n}\n');
  await new Promise<void>((resolve) => out.end(resolve));
  return fs.statSync(file).size;
}
