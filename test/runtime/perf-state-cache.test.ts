/**
 * Cached answers of stateful lists (state.ts listCacheSlot, handler.ts): repeated lists of an
 * unchanged store reuse the serialised answer, and every change of the store (create, update,
 * replace, delete, reset) shows in the next list. Over the real handler, on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JournalEntry } from '../../templates/runtime/journal';
import { startServer, type RunningServer } from '../../templates/runtime/server';
import type {
  OperationData,
  ResourceSpec,
  ResponseData,
  RouteEntry,
} from '../../templates/runtime/core/types';
import { manifest, op } from '../fixtures/runtime-behaviour/helpers';
import { tempDir } from '../helpers/project';

const itemSchema = {
  type: 'object',
  required: ['id', 'name', 'price'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, price: { type: 'number' } },
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

function specFor(name: string, envelope: ResourceSpec['listEnvelope']): ResourceSpec {
  return {
    name,
    collectionPath: `/${name}`,
    itemPath: `/${name}/{id}`,
    idParam: 'id',
    idField: 'id',
    idFormat: { kind: 'integer', next: 3 },
    listEnvelope: envelope,
    seed: [
      { id: 1, name: 'one', price: 1 },
      // does not validate (price is a string): the list answer is repaired, the same way every time
      { id: 2, name: 'two', price: 'cheap' },
    ],
  };
}

const specs = [
  specFor('items', null),
  specFor('stamped', { itemsField: 'data', template: { data: [], at: { $tpl: '{{now 0 "epoch-ms"}}' } } }),
];

function opsFor(spec: ResourceSpec): OperationData[] {
  const list = spec.listEnvelope
    ? { type: 'object', properties: { data: { type: 'array', items: itemSchema }, at: {} } }
    : { type: 'array', items: itemSchema };
  const resource = (role: NonNullable<OperationData['resource']>['role']) => ({ resource: spec.name, role });
  return [
    op({
      id: `list-${spec.name}`,
      path: spec.collectionPath,
      resource: resource('list'),
      responses: [json('200', list)],
    }),
    op({
      id: `create-${spec.name}`,
      method: 'post',
      path: spec.collectionPath,
      resource: resource('create'),
      responses: [json('201', itemSchema, { id: 0, name: 'new', price: 0 })],
    }),
    op({
      id: `update-${spec.name}`,
      method: 'patch',
      path: spec.itemPath,
      resource: resource('update'),
      responses: [json('200', itemSchema)],
    }),
    op({
      id: `replace-${spec.name}`,
      method: 'put',
      path: spec.itemPath,
      resource: resource('replace'),
      responses: [json('200', itemSchema)],
    }),
    op({
      id: `delete-${spec.name}`,
      method: 'delete',
      path: spec.itemPath,
      resource: resource('delete'),
      responses: [{ status: '204', description: '', headers: [], content: [] }],
    }),
  ];
}

describe('runtime: cached stateful list answers', function () {
  this.timeout(20_000);
  let running: RunningServer;
  let base: string;

  before(async () => {
    const dataDir = tempDir('list-cache');
    fs.mkdirSync(path.join(dataDir, 'ops'));
    const routes: RouteEntry[] = [];
    for (const operation of specs.flatMap(opsFor)) {
      const data = `ops/${operation.id}.json`;
      fs.writeFileSync(path.join(dataDir, data), JSON.stringify(operation));
      routes.push({ id: operation.id, method: operation.method, path: operation.path, data });
    }
    fs.writeFileSync(
      path.join(dataDir, 'manifest.json'),
      JSON.stringify(manifest({ basePath: '', resources: specs })),
    );
    fs.writeFileSync(path.join(dataDir, 'schemas.json'), JSON.stringify({ $defs: {} }));
    running = await startServer({ dataDir, routes, port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${running.port}`;
  });
  after(async () => {
    await running?.close();
  });
  beforeEach(() => running.handler.store.reset());

  async function call(
    method: string,
    url: string,
    body?: unknown,
    session?: string,
  ): Promise<{ status: number; text: string; json: () => any }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session !== undefined) headers['x-mockgen-session'] = session;
    const res = await fetch(base + url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  }
  const names = async (url: string, session?: string): Promise<string[]> =>
    (await call('GET', url, undefined, session)).json().map((item: { name: string }) => item.name);

  it('repeats the same answer, conformed, while the store is unchanged', async () => {
    const first = await call('GET', '/items');
    const second = await call('GET', '/items');
    assert.equal(first.status, 200);
    assert.equal(second.text, first.text);
    assert.equal(typeof first.json()[1].price, 'number', 'the invalid seed item is repaired');
    const limited = await call('GET', '/items?limit=1');
    assert.deepEqual(
      limited.json().map((i: { id: number }) => i.id),
      [1],
    );
    assert.equal((await call('GET', '/items')).text, first.text);
    const head = await fetch(`${base}/items`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(first.text)));
    assert.deepEqual(
      (running.handler.store.journal() as JournalEntry[]).map((e) => e.source),
      ['state', 'state', 'state', 'state', 'state'],
    );
  });

  it('shows every change of the store in the next list', async () => {
    assert.deepEqual(await names('/items'), ['one', 'two']);
    assert.equal((await call('POST', '/items', { name: 'three', price: 3 })).status, 201);
    assert.deepEqual(await names('/items'), ['one', 'two', 'three']);
    assert.equal((await call('PATCH', '/items/1', { name: 'uno' })).status, 200);
    assert.deepEqual(await names('/items'), ['uno', 'two', 'three']);
    assert.equal((await call('PUT', '/items/3', { name: 'tres', price: 3 })).status, 200);
    assert.deepEqual(await names('/items'), ['uno', 'two', 'tres']);
    assert.equal((await call('DELETE', '/items/2')).status, 204);
    assert.deepEqual(await names('/items'), ['uno', 'tres']);
    assert.equal((await call('DELETE', '/items/2')).status, 404);
    assert.deepEqual(await names('/items'), ['uno', 'tres']);
  });

  it('keeps sessions apart and forgets the answers on reset', async () => {
    await call('POST', '/items', { name: 'mine', price: 1 }, 'a');
    assert.deepEqual(await names('/items', 'a'), ['one', 'two', 'mine']);
    assert.deepEqual(await names('/items', 'b'), ['one', 'two']);
    assert.deepEqual(await names('/items'), ['one', 'two']);
    assert.equal((await fetch(`${base}/__mockgen/reset`, { method: 'POST' })).status < 300, true);
    assert.deepEqual(await names('/items', 'a'), ['one', 'two']);
  });

  it('renders list envelopes with templates per request', async () => {
    const first = (await call('GET', '/stamped')).json();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = (await call('GET', '/stamped')).json();
    assert.deepEqual(
      second.data.map((i: { name: string }) => i.name),
      ['one', 'two'],
    );
    assert.notEqual(second.at, first.at);
  });

  it('checks a stored resource that conforms once, and still repairs one that does not', async () => {
    const created = (await call('POST', '/items', { name: 'ok', price: 5 })).json();
    assert.deepEqual(created, { id: 3, name: 'ok', price: 5 });
    const patched = await call('PATCH', '/items/3', { price: 6 });
    assert.deepEqual(patched.json(), { id: 3, name: 'ok', price: 6 });
    // merged into something the schema refuses: repaired in the answer, every time
    const bad = await call('PATCH', '/items/3', { price: 'free' });
    assert.equal(typeof bad.json().price, 'number');
    const again = await call('PATCH', '/items/3', {});
    assert.equal(typeof again.json().price, 'number');
  });
});
