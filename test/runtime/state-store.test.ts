/**
 * State behind the `StateStore` interface (store/): every handler has a store of its own, and an
 * asynchronous store (every method answering with a promise that resolves on a later tick, sessions
 * serialised between requests as a network store would) gives the same answers as the in-memory one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createMockHandler, type MockHandler } from '../../templates/runtime/handler';
import type { JournalEntry } from '../../templates/runtime/journal';
import type { SessionState } from '../../templates/runtime/session';
import { then } from '../../templates/runtime/store/maybe';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import type { StateStore } from '../../templates/runtime/store/state-store';
import type {
  OperationData,
  ResourceSpec,
  ResponseData,
  RouteEntry,
} from '../../templates/runtime/core/types';
import { manifest, op, recorded, recording } from '../fixtures/runtime-behaviour/helpers';
import { tempDir } from '../helpers/project';

const itemSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
};

function json(status: string, schema: unknown, example?: unknown): ResponseData {
  return {
    status,
    description: '',
    headers: [],
    content: [
      {
        mediaType: 'application/json',
        schema: schema as ResponseData['content'][number]['schema'],
        examples: example === undefined ? [] : [{ name: 'default', value: example }],
      },
    ],
  };
}

const orders: ResourceSpec = {
  name: 'orders',
  collectionPath: '/orders',
  itemPath: '/orders/{id}',
  idParam: 'id',
  idField: 'id',
  idFormat: { kind: 'integer', next: 2 },
  listEnvelope: null,
  seed: [{ id: 1, name: 'seeded' }],
};

const resource = (role: NonNullable<OperationData['resource']>['role']) => ({ resource: 'orders', role });
const idParam = {
  name: 'id',
  in: 'path' as const,
  required: true,
  style: 'simple',
  explode: false,
  schema: { type: 'integer' },
};

const operations: OperationData[] = [
  op({
    id: 'listOrders',
    path: '/orders',
    resource: resource('list'),
    responses: [json('200', { type: 'array', items: itemSchema })],
  }),
  op({
    id: 'createOrder',
    method: 'post',
    path: '/orders',
    resource: resource('create'),
    requestBody: {
      required: true,
      content: [{ mediaType: 'application/json', schema: { type: 'object' }, examples: [] }],
    },
    responses: [json('201', itemSchema, { id: 0, name: 'new' })],
  }),
  op({
    id: 'getOrder',
    path: '/orders/{id}',
    parameters: [idParam],
    resource: resource('read'),
    responses: [json('200', itemSchema), json('404', { type: 'object' }, { message: 'no such order' })],
  }),
  op({
    id: 'deleteOrder',
    method: 'delete',
    path: '/orders/{id}',
    parameters: [idParam],
    resource: resource('delete'),
    responses: [{ status: '204', description: '', headers: [], content: [] }],
  }),
  op({
    id: 'getJob',
    path: '/jobs/{jobId}',
    parameters: [
      {
        name: 'jobId',
        in: 'path',
        required: true,
        style: 'simple',
        explode: false,
        schema: { type: 'string' },
      },
    ],
    responses: [json('200', { type: 'object' }, { status: 'documented' })],
    recordings: [
      recording({ pathParams: { jobId: '7' } }, [
        recorded(200, { status: 'pending' }),
        recorded(200, { status: 'running' }),
        recorded(200, { status: 'done' }),
      ]),
    ],
  }),
];

function dataDir(): { dir: string; routes: RouteEntry[] } {
  const dir = tempDir('state-store');
  fs.mkdirSync(path.join(dir, 'ops'));
  const routes: RouteEntry[] = [];
  for (const operation of operations) {
    const data = `ops/${operation.id}.json`;
    fs.writeFileSync(path.join(dir, data), JSON.stringify(operation));
    routes.push({ id: operation.id, method: operation.method, path: operation.path, data });
  }
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify(manifest({ basePath: '', resources: [orders], defaultLatency: { ms: [], samples: 0 } })),
  );
  fs.writeFileSync(path.join(dir, 'schemas.json'), JSON.stringify({ $defs: {} }));
  return { dir, routes };
}

/** A value on a later tick, as a store across the network answers. */
function later<T>(compute: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(compute());
      } catch (err) {
        reject(err as Error);
      }
    }),
  );
}

/**
 * Every method a promise on a later tick; sessions are copies (as if read from elsewhere) that only
 * `save` writes back, so a change the pipeline forgot to hand back would be lost.
 */
class FakeAsyncStore implements StateStore {
  readonly inner = new MemoryStore();
  calls = 0;
  saves = 0;

  session(name: string): Promise<SessionState> {
    this.calls++;
    return later(() => structuredClone(this.inner.session(name)));
  }
  save(session: SessionState): Promise<void> {
    this.saves++;
    return later(() => {
      const live = this.inner.session(session.name);
      live.resources = structuredClone(session.resources);
      live.sequences = structuredClone(session.sequences);
    });
  }
  registerToken(token: string, lifetimeS?: number): Promise<void> {
    this.calls++;
    return later(() => this.inner.registerToken(token, lifetimeS));
  }
  tokenExpiry(token: string): Promise<number | undefined> {
    this.calls++;
    return later(() => this.inner.tokenExpiry(token));
  }
  record(...fields: Parameters<MemoryStore['record']>): Promise<void> {
    this.calls++;
    return later(() => this.inner.record(...fields));
  }
  journal(filter?: { session?: string }): Promise<JournalEntry[]> {
    this.calls++;
    return later(() => this.inner.journal(filter));
  }
  clearJournal(): Promise<void> {
    this.calls++;
    return later(() => this.inner.clearJournal());
  }
  reset(name?: string): Promise<void> {
    this.calls++;
    return later(() => this.inner.reset(name));
  }
  sessionNames(): Promise<string[]> {
    this.calls++;
    return later(() => this.inner.sessionNames());
  }
}

interface Served {
  handler: MockHandler;
  base: string;
  close(): Promise<void>;
}

async function serve(store?: StateStore): Promise<Served> {
  const { dir, routes } = dataDir();
  const handler = createMockHandler({ dataDir: dir, routes, store, env: { MOCKGEN_LATENCY: 'off' } });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    handler,
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function call(base: string, method: string, url: string, body?: unknown, session?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session !== undefined) headers['x-mockgen-session'] = session;
  const res = await fetch(base + url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The same conversation with a mock, whatever its store: what each step answered. */
async function conversation(base: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const step = async (method: string, url: string, body?: unknown, session?: string) =>
    out.push([method, url, session ?? '', await call(base, method, url, body, session)]);
  await step('POST', '/orders', { name: 'first' });
  await step('GET', '/orders/2');
  await step('GET', '/orders');
  await step('DELETE', '/orders/2');
  await step('GET', '/orders/2');
  await step('GET', '/orders');
  for (let i = 0; i < 4; i++) await step('GET', '/jobs/7');
  // another session starts the sequence and the store afresh
  await step('GET', '/jobs/7', undefined, 'other');
  await step('GET', '/orders', undefined, 'other');
  await step('POST', '/__mockgen/reset');
  await step('GET', '/jobs/7');
  await step('GET', '/orders');
  await step('GET', '/__mockgen/requests');
  return out;
}

function withoutTimes(steps: unknown[]): unknown[] {
  return JSON.parse(
    JSON.stringify(steps, (key, value: unknown) => (key === 'time' || key === 'durationMs' ? 0 : value)),
  ) as unknown[];
}

describe('runtime: state behind the StateStore interface', function () {
  this.timeout(30_000);

  it('then(): calls back at once for a value, once resolved for a promise', async () => {
    let ran = false;
    const now = then(1, (n) => {
      ran = true;
      return n + 1;
    });
    assert.equal(ran, true);
    assert.equal(now, 2);
    const soon = then(Promise.resolve(1), (n) => n + 1);
    assert.ok(soon instanceof Promise);
    assert.equal(await soon, 2);
  });

  it('two handlers in one process share no state: a create on one is not visible on the other', async () => {
    const a = await serve();
    const b = await serve();
    try {
      assert.notEqual(a.handler.store, b.handler.store);
      assert.equal((await call(a.base, 'POST', '/orders', { name: 'only on a' })).status, 201);
      assert.deepEqual((await call(a.base, 'GET', '/orders')).body, [
        { id: 1, name: 'seeded' },
        { id: 2, name: 'only on a' },
      ]);
      assert.deepEqual((await call(b.base, 'GET', '/orders')).body, [{ id: 1, name: 'seeded' }]);
      assert.equal((await call(b.base, 'GET', '/orders/2')).status, 404);
      // sequences and journals are the handler's own too
      assert.equal(((await call(a.base, 'GET', '/jobs/7')).body as { status: string }).status, 'pending');
      assert.equal(((await call(a.base, 'GET', '/jobs/7')).body as { status: string }).status, 'running');
      assert.equal(((await call(b.base, 'GET', '/jobs/7')).body as { status: string }).status, 'pending');
      const journalA = (await call(a.base, 'GET', '/__mockgen/requests')).body as JournalEntry[];
      const journalB = (await call(b.base, 'GET', '/__mockgen/requests')).body as JournalEntry[];
      assert.deepEqual(
        journalA.map((e) => `${e.method} ${e.url}`),
        ['POST /orders', 'GET /orders', 'GET /jobs/7', 'GET /jobs/7'],
      );
      assert.deepEqual(
        journalB.map((e) => `${e.method} ${e.url}`),
        ['GET /orders', 'GET /orders/2', 'GET /jobs/7'],
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an asynchronous store answers a create → read → list → delete flow, a sequence and reset the same', async () => {
    const memory = await serve();
    const fake = new FakeAsyncStore();
    const remote = await serve(fake);
    try {
      const want = await conversation(memory.base);
      const got = await conversation(remote.base);
      assert.deepEqual(withoutTimes(got), withoutTimes(want));
      // the steps that matter, spelled out
      const bodies = want.map(
        (step) => (step as [string, string, string, { status: number; body: unknown }])[3],
      );
      assert.deepEqual(
        bodies.slice(0, 6).map((r) => r.status),
        [201, 200, 200, 204, 404, 200],
      );
      assert.deepEqual(bodies[2].body, [
        { id: 1, name: 'seeded' },
        { id: 2, name: 'first' },
      ]);
      assert.deepEqual(
        bodies.slice(6, 11).map((r) => (r.body as { status: string }).status),
        ['pending', 'running', 'done', 'done', 'pending'],
      );
      assert.deepEqual(bodies[11].body, [{ id: 1, name: 'seeded' }]);
      assert.equal((bodies[13].body as { status: string }).status, 'pending', 'reset restarts the sequence');
      assert.deepEqual(bodies[14].body, [{ id: 1, name: 'seeded' }], 'reset restores the seed');
      assert.ok(fake.calls > 0 && fake.saves > 0, 'the pipeline went through the asynchronous store');
    } finally {
      await memory.close();
      await remote.close();
    }
  });
});
