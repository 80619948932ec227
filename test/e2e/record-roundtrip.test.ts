/**
 * record → generate → replay: a real (local) service is recorded through `mockgen record`'s proxy, a
 * mock is generated from the HAR, and the same client flow against the mock sees what it saw live.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startRecorder } from '../../src/record/recorder';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

const SPEC = path.join(repoRoot, 'test/fixtures/roundtrip/orders-api.yaml');
const LOGO = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 31 + 7) % 256));
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQtMSJ9.c2lnbmF0dXJlLW9mLXRoZS1yZWFsLXNlcnZpY2U';

/** The "production" service: orders, a job that goes pending → running → done, a binary logo; gzip when asked. */
function startService(): Promise<{ url: string; close(): Promise<void> }> {
  const orders: Record<string, unknown>[] = [];
  let polls = 0;
  let next = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        const json = Buffer.from(JSON.stringify(value));
        const gzip = /gzip/.test(String(req.headers['accept-encoding']));
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(gzip ? zlib.gzipSync(json) : json);
      };
      const url = new URL(req.url ?? '/', 'http://service');
      if (url.pathname === '/api/logo.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(LOGO);
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
      if (url.pathname === '/api/orders' && req.method === 'POST') {
        const order = {
          id: `ord_${String(++next).padStart(10, 'A')}`,
          ...JSON.parse(body),
          status: 'open',
          createdAt: new Date().toISOString(),
        };
        orders.push(order);
        return send(201, order);
      }
      if (url.pathname === '/api/orders' && req.method === 'GET') return send(200, orders);
      const order = /^\/api\/orders\/([^/]+)$/.exec(url.pathname);
      if (order) {
        const found = orders.find((o) => o.id === order[1]);
        return found ? send(200, found) : send(404, { error: 'no such order' });
      }
      if (url.pathname === '/api/jobs/job_1') {
        const state = ['pending', 'running', 'done'][Math.min(polls++, 2)];
        return send(200, { id: 'job_1', state });
      }
      send(404, { error: 'not found' });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

interface Step {
  method: string;
  path: string;
  body?: unknown;
}

/** The client flow, run live through the proxy and then against the mock. */
async function clientFlow(
  base: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }[]> {
  const results: { status: number; body: unknown }[] = [];
  const steps: Step[] = [
    { method: 'POST', path: '/api/orders', body: { item: 'flour', quantity: 2 } },
    { method: 'GET', path: '/api/orders/ord_AAAAAAAAA1' },
    { method: 'GET', path: '/api/orders' },
    { method: 'GET', path: '/api/orders/ord_nope' },
    { method: 'GET', path: '/api/jobs/job_1' },
    { method: 'GET', path: '/api/jobs/job_1' },
    { method: 'GET', path: '/api/jobs/job_1' },
    { method: 'GET', path: '/api/jobs/job_1' },
    { method: 'GET', path: '/api/logo.png' },
  ];
  for (const step of steps) {
    const res = await fetch(`${base}${step.path}`, {
      method: step.method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'accept-encoding': 'gzip',
        ...(step.body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: step.body ? JSON.stringify(step.body) : undefined,
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json')
      ? await res.json()
      : Buffer.from(await res.arrayBuffer()).toString('base64');
    results.push({ status: res.status, body });
  }
  return results;
}

/** Recorded timestamps become fresh: compare everything else exactly. */
function withoutTimestamps(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    key === 'createdAt' && typeof v === 'string' ? '<timestamp>' : v,
  );
}

describe('e2e: record a live service, generate a mock from the HAR, replay the client flow', function () {
  this.timeout(180000);
  let work: string;
  let mock: RunningMock | undefined;

  before(() => (work = tempDir('roundtrip')));
  after(async () => {
    await mock?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves the same statuses and bodies, sequences in order, bytes intact, secrets gone', async () => {
    const service = await startService();
    const har = path.join(work, 'traffic.har');
    let live: { status: number; body: unknown }[];
    try {
      const recorder = await startRecorder({ target: service.url, port: 0, out: har, redact: {} });
      try {
        live = await clientFlow(recorder.url);
      } finally {
        const summary = await recorder.stop();
        assert.equal(summary.written, 9);
      }
    } finally {
      await service.close();
    }
    assert.deepEqual(
      live.map((r) => r.status),
      [201, 200, 200, 404, 200, 200, 200, 200, 200],
    );
    const recorded = fs.readFileSync(har, 'utf8');
    assert.ok(
      !recorded.includes('c2lnbmF0dXJlLW9mLXRoZS1yZWFsLXNlcnZpY2U'),
      'the bearer token signature is redacted',
    );

    mock = await generateAndBoot(['--spec', SPEC, '--recordings', har], path.join(work, 'mock'));
    const replayed = await clientFlow(mock.url);
    assert.deepEqual(withoutTimestamps(replayed), withoutTimestamps(live));
    const created = replayed[0].body as { createdAt: string };
    assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000, 'createdAt is fresh');

    const emitted = fs
      .readdirSync(path.join(work, 'mock', 'data', 'ops'))
      .map((f) => fs.readFileSync(path.join(work, 'mock', 'data', 'ops', f), 'utf8'));
    assert.ok(!emitted.join('').includes('c2lnbmF0dXJlLW9mLXRoZS1yZWFsLXNlcnZpY2U'));
  });
});
