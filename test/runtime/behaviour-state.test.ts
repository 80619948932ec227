import assert from 'node:assert/strict';
import type { MockRequest, MockResponse, UploadedFile } from '../../templates/runtime/core/context';
import { handleResourceRequest, resourceSnapshot, unflattenForm } from '../../templates/runtime/state';
import type {
  Manifest,
  OperationData,
  ResourceBinding,
  ResourceSpec,
  ResponseData,
} from '../../templates/runtime/core/types';
import { manifest, op, request } from '../fixtures/runtime-behaviour/helpers';

import { MemoryStore } from '../../templates/runtime/store/memory-store';

// the sessions these tests work on: a store of their own
const store = new MemoryStore();
const getSession = (name: string) => store.session(name);
const resetSessions = (name?: string) => store.reset(name);

type Json = Record<string, any>;

function response(status: string, example?: unknown, headers: string[] = []): ResponseData {
  return {
    status,
    description: '',
    headers: headers.map((name) => ({ name, required: false, schema: {} })),
    content:
      example === undefined && status === '204'
        ? []
        : [
            {
              mediaType: 'application/json',
              examples: example === undefined ? [] : [{ name: 'default', value: example }],
            },
          ],
  };
}

/** A CRUD API for one resource: operations by role, a manifest, and a client bound to a session. */
function api(spec: ResourceSpec, responses: Partial<Record<ResourceBinding['role'], ResponseData[]>> = {}) {
  const m: Manifest = manifest({ resources: [spec] });
  const methods: Record<ResourceBinding['role'], [string, string]> = {
    create: ['post', spec.collectionPath],
    list: ['get', spec.collectionPath],
    read: ['get', spec.itemPath],
    update: ['patch', spec.itemPath],
    replace: ['put', spec.itemPath],
    delete: ['delete', spec.itemPath],
  };
  const ops = {} as Record<ResourceBinding['role'], OperationData>;
  for (const [role, [method, path]] of Object.entries(methods) as [
    ResourceBinding['role'],
    [string, string],
  ][]) {
    ops[role] = op({
      id: `${role}-${spec.name}`,
      method,
      path,
      resource: { resource: spec.name, role },
      responses: responses[role] ?? [response(role === 'create' ? '201' : role === 'delete' ? '204' : '200')],
    });
  }
  const call = (
    role: ResourceBinding['role'],
    init: {
      id?: string;
      body?: unknown;
      query?: [string, string][];
      session?: string;
      mediaType?: string;
      params?: Record<string, string>;
      uploads?: UploadedFile[];
    } = {},
    recorded?: MockResponse,
  ): MockResponse | undefined => {
    const pathParams: Record<string, string> = { ...init.params };
    if (init.id !== undefined) pathParams[spec.idParam] = init.id;
    const req: MockRequest = request({
      method: methods[role][0].toUpperCase(),
      pathParams,
      query: init.query ?? [],
      body: init.body,
      session: init.session ?? '',
      ...(init.mediaType ? { mediaType: init.mediaType } : {}),
      ...(init.uploads ? { uploads: init.uploads } : {}),
    });
    return handleResourceRequest(ops[role], req, getSession(init.session ?? ''), m, recorded);
  };
  return { call, ops, m };
}

const orders: ResourceSpec = {
  name: 'orders',
  collectionPath: '/orders',
  itemPath: '/orders/{orderId}',
  idParam: 'orderId',
  idField: 'id',
  idFormat: { kind: 'integer', next: 1 },
  listEnvelope: null,
  seed: [
    { id: 1, item: 'apple', quantity: 1, status: 'placed', createdAt: '2024-01-01T00:00:00Z' },
    { id: 2, item: 'pear', quantity: 2, status: 'shipped', createdAt: '2024-01-02T00:00:00Z' },
  ],
};

describe('runtime behaviour: stateful resources', () => {
  beforeEach(() => resetSessions());

  it('full CRUD lifecycle with integer ids and a bare-array list', () => {
    const { call } = api(orders, {
      create: [
        response(
          '201',
          { id: 99, item: 'example', quantity: 1, status: 'placed', createdAt: '2020-01-01T00:00:00Z' },
          ['Location'],
        ),
      ],
      read: [response('200'), response('404', { code: 'not_found', message: 'Order not found' })],
    });
    assert.deepEqual(
      (call('list')?.body as Json[]).map((o) => o.id),
      [1, 2],
    );
    const created = call('create', { body: { item: 'plum', quantity: 5 } });
    assert.ok(created);
    assert.equal(created.status, 201);
    assert.equal(created.source, 'state');
    const order = created.body as Json;
    assert.equal(order.id, 3);
    assert.equal(order.item, 'plum');
    assert.equal(order.quantity, 5);
    assert.equal(order.status, 'placed');
    assert.ok(Math.abs(Date.parse(order.createdAt) - Date.now()) < 5000);
    assert.match(order.createdAt, /:\d\dZ$/, 'keeps the example format (seconds, no ms)');
    assert.equal(created.headers.location, '/v1/orders/3');

    assert.deepEqual(call('read', { id: '3' })?.body, order);
    assert.deepEqual(
      (call('list')?.body as Json[]).map((o) => o.id),
      [1, 2, 3],
    );

    const patched = call('update', { id: '3', body: { quantity: 6, id: 1000 } })?.body as Json;
    assert.equal(patched.quantity, 6);
    assert.equal(patched.id, 3, 'id is kept');
    assert.equal(patched.item, 'plum');

    const replaced = call('replace', { id: '3', body: { item: 'fig', quantity: 1 } })?.body as Json;
    assert.deepEqual(Object.keys(replaced).sort(), ['createdAt', 'id', 'item', 'quantity']);
    assert.equal(replaced.item, 'fig');
    assert.equal(replaced.createdAt, order.createdAt);

    const deleted = call('delete', { id: '3' });
    assert.equal(deleted?.status, 204);
    assert.equal(deleted?.body, undefined);
    const gone = call('read', { id: '3' });
    assert.equal(gone?.status, 404);
    assert.deepEqual(gone?.body, { code: 'not_found', message: 'Order not found' });
    assert.equal(call('delete', { id: '3' })?.status, 404);
    assert.equal(call('update', { id: '3', body: {} })?.status, 404);

    assert.equal(call('create', { body: { item: 'kiwi' } })?.status, 201);
    assert.equal((call('read', { id: '4' })?.body as Json).item, 'kiwi', 'ids are not reused');
  });

  it('answers unknown ids with a problem document when no 404 is documented', () => {
    const { call } = api(orders);
    const res = call('read', { id: 'nope' });
    assert.equal(res?.status, 404);
    assert.equal(res?.mediaType, 'application/problem+json');
    assert.equal((res?.body as Json).status, 404);
  });

  it('serves the example for an unknown id (unknownIds: example), with that id when the id field can hold it', () => {
    const spec: ResourceSpec = { ...orders, name: 'virtual', unknownIds: 'example' };
    const { call } = api(spec, { read: [response('200', { id: 7, item: 'plum' })] });
    assert.deepEqual(call('read', { id: '42' })?.body, { id: 42, item: 'plum' });
    // corpus (ecwid): a string path parameter for an integer id field keeps the example's id
    assert.deepEqual(call('read', { id: 'abc' })?.body, { id: 7, item: 'plum' });
  });

  it('isolates sessions and resets to the seed', () => {
    const { call } = api(orders);
    call('create', { body: { item: 'a' }, session: 'alice' });
    call('delete', { id: '1', session: 'alice' });
    assert.deepEqual(
      (call('list', { session: 'alice' })?.body as Json[]).map((o) => o.id),
      [2, 3],
    );
    assert.deepEqual(
      (call('list', { session: 'bob' })?.body as Json[]).map((o) => o.id),
      [1, 2],
    );
    assert.deepEqual(
      resourceSnapshot(getSession('bob'), manifest({ resources: [orders] })).orders.map(
        (o) => (o as Json).id,
      ),
      [1, 2],
    );
    resetSessions('alice');
    assert.deepEqual(
      (call('list', { session: 'alice' })?.body as Json[]).map((o) => o.id),
      [1, 2],
    );
  });

  it('lists honour limit/offset, cursors and filters on item fields', () => {
    const { call } = api(orders);
    for (let i = 0; i < 5; i++)
      call('create', { body: { item: `i${i}`, status: i % 2 ? 'shipped' : 'placed' } });
    const ids = (query: [string, string][]) => (call('list', { query })?.body as Json[]).map((o) => o.id);
    assert.deepEqual(ids([['limit', '2']]), [1, 2]);
    assert.deepEqual(
      ids([
        ['limit', '2'],
        ['offset', '2'],
      ]),
      [3, 4],
    );
    assert.deepEqual(
      ids([
        ['per_page', '3'],
        ['page', '2'],
      ]),
      [4, 5, 6],
    );
    assert.deepEqual(ids([['starting_after', '5']]), [6, 7]);
    assert.deepEqual(ids([['status', 'shipped']]), [2, 4, 6]);
    assert.deepEqual(ids([['unrelated', 'x']]), [1, 2, 3, 4, 5, 6, 7]);
    // GitHub's `state=all`: a wildcard no item holds selects every item; a value items hold still filters
    assert.deepEqual(ids([['status', 'all']]), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(ids([['status', '*']]), [1, 2, 3, 4, 5, 6, 7]);
    call('create', { body: { item: 'literal', status: 'all' } });
    assert.deepEqual(ids([['status', 'all']]), [8]);
  });

  it('uuid ids, envelope lists with has_more and totals', () => {
    const spec: ResourceSpec = {
      ...orders,
      name: 'carts',
      idParam: 'cartId',
      itemPath: '/carts/{cartId}',
      collectionPath: '/carts',
      idFormat: { kind: 'uuid' },
      listEnvelope: {
        itemsField: 'data',
        template: { object: 'list', data: [], has_more: true, total_count: 99, url: '/carts' },
      },
      seed: [],
    };
    const { call } = api(spec);
    const a = call('create', { body: { item: 'x' } })?.body as Json;
    const b = call('create', { body: { item: 'y' } })?.body as Json;
    assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a.id, b.id);
    const page = call('list', { query: [['limit', '1']] })?.body as Json;
    assert.deepEqual(page, { object: 'list', data: [a], has_more: true, total_count: 2, url: '/carts' });
    const all = call('list')?.body as Json;
    assert.equal(all.has_more, false);
    assert.deepEqual(all.data, [a, b]);
    assert.deepEqual(call('read', { id: b.id })?.body, b);
  });

  it('Stripe-style: prefixed ids, form bodies with brackets, POST updates, deleted objects', () => {
    const spec: ResourceSpec = {
      name: 'customers',
      collectionPath: '/v1/customers',
      itemPath: '/v1/customers/{customer}',
      idParam: 'customer',
      idField: 'id',
      idFormat: {
        kind: 'prefixed',
        prefix: 'cus_',
        length: 14,
        alphabet: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
      },
      listEnvelope: {
        itemsField: 'data',
        template: { object: 'list', data: [], has_more: false, url: '/v1/customers' },
      },
      seed: [],
    };
    const example = {
      id: 'cus_NffrFeUfNV2Hib',
      object: 'customer',
      created: 1680893993,
      email: 'jenny@example.com',
      balance: 0,
      delinquent: false,
      metadata: {},
      url: '/v1/customers/cus_NffrFeUfNV2Hib',
    };
    const { call } = api(spec, {
      create: [response('200', example)],
      update: [response('200', example)],
      delete: [response('200', { id: 'cus_NffrFeUfNV2Hib', object: 'customer', deleted: true })],
    });
    const form = 'application/x-www-form-urlencoded';
    const created = call('create', {
      mediaType: form,
      body: { email: 'a@b.c', balance: '250', delinquent: 'true', 'metadata[order_id]': '6735' },
    });
    assert.equal(created?.status, 200);
    const c = created?.body as Json;
    assert.match(c.id, /^cus_[A-Za-z0-9]{14}$/);
    assert.equal(c.object, 'customer');
    assert.equal(c.email, 'a@b.c');
    assert.equal(c.balance, 250);
    assert.equal(c.delinquent, true);
    assert.deepEqual(c.metadata, { order_id: '6735' });
    assert.equal(c.url, `/v1/customers/${c.id}`);
    assert.ok(Math.abs(c.created - Date.now() / 1000) < 5, 'epoch seconds like the example');

    const updated = call('update', {
      id: c.id,
      mediaType: form,
      body: { 'metadata[tier]': 'gold', balance: '10' },
    })?.body as Json;
    assert.deepEqual(updated.metadata, { order_id: '6735', tier: 'gold' });
    assert.equal(updated.balance, 10);

    const deleted = call('delete', { id: c.id });
    assert.equal(deleted?.status, 200);
    assert.deepEqual(deleted?.body, { id: c.id, object: 'customer', deleted: true });
    assert.equal(call('read', { id: c.id })?.status, 404);
  });

  it('uploads: the file is described (name, size, type), not stored; cursor ends; deletion flags', () => {
    const spec: ResourceSpec = {
      ...orders,
      name: 'files',
      collectionPath: '/files',
      itemPath: '/files/{fileId}',
      idParam: 'fileId',
      idFormat: { kind: 'prefixed', prefix: 'file-', length: 8, alphabet: 'abcdef' },
      listEnvelope: {
        itemsField: 'data',
        template: { object: 'list', data: [], first_id: 'file-abc', last_id: 'file-xyz', has_more: true },
      },
      seed: [],
    };
    const example = {
      id: 'file-abc',
      object: 'file',
      bytes: 120000,
      filename: 'salesOverview.pdf',
      mime_type: 'application/pdf',
      purpose: 'assistants',
      size: 'large',
    };
    const { call } = api(spec, {
      create: [response('200', example)],
      // a generated delete example may say `deleted: false`
      delete: [response('200', { id: 'file-abc', object: 'file', deleted: false })],
    });
    const multipart = 'multipart/form-data';
    const upload = (body: Json, uploads: UploadedFile[]) =>
      call('create', { mediaType: multipart, body, uploads })?.body as Json;
    const a = upload({ file: 'line 1\nline 2\n', purpose: 'fine-tune' }, [
      { field: 'file', filename: 'train.jsonl', mimeType: 'application/jsonl', size: 14 },
    ]);
    assert.deepEqual(
      { ...a, id: undefined },
      {
        ...example,
        id: undefined,
        purpose: 'fine-tune',
        filename: 'train.jsonl',
        bytes: 14,
        mime_type: 'application/jsonl',
      },
    );
    assert.equal('file' in a, false, 'the bytes are not a field');
    // what the request says itself wins; JSON parts (metadata sent as a Blob) stay fields
    const b = upload({ file: 'x', filename: 'renamed.txt', meta: { team: 'a' } }, [
      { field: 'file', filename: 'x.txt', mimeType: 'text/plain', size: 1 },
      { field: 'meta', filename: 'blob', mimeType: 'application/json', size: 12 },
    ]);
    assert.equal(b.filename, 'renamed.txt');
    assert.equal(b.bytes, 1);
    assert.deepEqual(b.meta, { team: 'a' });
    // two files: neither is described
    const c = upload({ image: 'x', mask: 'y' }, [
      { field: 'image', filename: 'i.png', mimeType: 'image/png', size: 1 },
      { field: 'mask', filename: 'm.png', mimeType: 'image/png', size: 1 },
    ]);
    assert.equal(c.filename, 'salesOverview.pdf');
    assert.equal('image' in c || 'mask' in c, false);

    const page = call('list', { query: [['limit', '2']] })?.body as Json;
    assert.deepEqual(
      [page.first_id, page.last_id, page.has_more],
      [a.id, b.id, true],
      'the cursors name the page ends',
    );
    const deleted = call('delete', { id: a.id });
    assert.deepEqual(deleted?.body, { id: a.id, object: 'file', deleted: true });
    call('delete', { id: b.id });
    call('delete', { id: c.id });
    const empty = call('list')?.body as Json;
    assert.deepEqual([empty.first_id, empty.last_id, empty.has_more], [null, null, false]);
  });

  it('PATCH bodies: merge-patch null removes, JSON Patch operations apply', () => {
    const { call } = api(orders);
    const merged = call('update', {
      id: '1',
      body: { status: null, note: { a: 1 } },
      mediaType: 'application/merge-patch+json',
    })?.body as Json;
    assert.equal('status' in merged, false);
    assert.deepEqual(merged.note, { a: 1 });
    const patched = call('update', {
      id: '1',
      mediaType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/quantity', value: 9 },
        { op: 'add', path: '/tags', value: ['x'] },
        { op: 'add', path: '/tags/-', value: 'y' },
        { op: 'remove', path: '/note' },
      ],
    })?.body as Json;
    assert.equal(patched.quantity, 9);
    assert.deepEqual(patched.tags, ['x', 'y']);
    assert.equal('note' in patched, false);
    const bad = call('update', {
      id: '1',
      mediaType: 'application/json-patch+json',
      body: [{ op: 'remove', path: '/nope' }],
    });
    assert.equal(bad?.status, 422);
  });

  it('nested resources are scoped by their parent path parameters', () => {
    const spec: ResourceSpec = {
      name: 'comments',
      collectionPath: '/posts/{postId}/comments',
      itemPath: '/posts/{postId}/comments/{commentId}',
      idParam: 'commentId',
      idField: 'id',
      idFormat: { kind: 'integer' },
      listEnvelope: null,
      seed: [],
    };
    const { call } = api(spec);
    const a = call('create', { params: { postId: '1' }, body: { text: 'on 1' } });
    call('create', { params: { postId: '2' }, body: { text: 'on 2' } });
    assert.equal(a?.headers.location, '/v1/posts/1/comments/1');
    assert.deepEqual(
      (call('list', { params: { postId: '1' } })?.body as Json[]).map((c) => c.text),
      ['on 1'],
    );
    assert.equal(call('read', { params: { postId: '2' }, id: '1' })?.status, 404);
  });

  it('absorbs recorded responses, and answers from the store once it diverged', () => {
    const { call } = api(orders);
    const rec = (status: number, body?: unknown): MockResponse => ({
      status,
      headers: {},
      body,
      source: 'recording:1',
    });
    // a recorded create is inserted; the recording is sent as it is
    assert.equal(call('create', { body: { item: 'melon' } }, rec(201, { id: 50, item: 'melon' })), undefined);
    assert.deepEqual(call('read', { id: '50' })?.body, { id: 50, item: 'melon' });
    // a recorded read updates the store (e.g. a sequence moved on)
    assert.equal(call('read', { id: '50' }, rec(200, { id: 50, item: 'melon', status: 'done' })), undefined);
    assert.equal((call('read', { id: '50' })?.body as Json).status, 'done');
    // integer ids continue after recorded ones
    assert.equal((call('create', { body: { item: 'x' } })?.body as Json).id, 51);
    // the mock changed order 1: a stale recorded read of it is overridden by the store
    call('update', { id: '1', body: { quantity: 42 } });
    const stale = call('read', { id: '1' }, rec(200, { id: 1, item: 'apple', quantity: 1 }));
    assert.equal((stale?.body as Json).quantity, 42);
    // and so is a recorded list
    const listed = call('list', {}, rec(200, [{ id: 1 }]));
    assert.deepEqual(
      (listed?.body as Json[]).map((o) => o.id),
      [1, 2, 50, 51],
    );
    // a recorded delete removes
    assert.equal(call('delete', { id: '2' }, rec(204)), undefined);
    assert.equal(call('read', { id: '2' })?.status, 404);
  });

  it('a created resource: links to the example itself follow the new id, client-set fields win, the store answers for it', () => {
    const { call } = api(orders, {
      create: [
        response('201', {
          id: 42,
          item: 'example',
          url: '/v1/orders/42',
          photos: '/v1/orders/42/photos?page=1',
          note: 'see /v1/orders/420',
          updated_at: 1700000000,
          createdAt: '2020-01-01T00:00:00Z',
        }),
      ],
      replace: [response('200'), response('201')],
    });
    const rec = (status: number, body?: unknown): MockResponse => ({
      status,
      headers: {},
      body,
      source: 'recording:1',
    });
    const first = call('create', { body: { item: 'plum' } })?.body as Json;
    assert.equal(first.id, 3);
    assert.equal(first.url, '/v1/orders/3');
    assert.equal(first.photos, '/v1/orders/3/photos?page=1');
    assert.equal(first.note, 'see /v1/orders/420', 'another id is not a link to the example');
    assert.ok(Math.abs(first.updated_at - Date.now() / 1000) < 5, 'epoch seconds, as in the example');
    assert.ok(Math.abs(Date.parse(first.createdAt) - Date.now()) < 5000);
    // what the client sent is kept as sent, links and timestamps included
    const second = call('create', {
      body: { item: 'fig', url: '/elsewhere/42', createdAt: '2001-02-03T04:05:06Z' },
    })?.body as Json;
    assert.equal(second.url, '/elsewhere/42');
    assert.equal(second.createdAt, '2001-02-03T04:05:06Z');
    assert.equal(second.photos, '/v1/orders/4/photos?page=1');
    // the same example makes the same links for every create
    assert.equal((call('create', { body: { item: 'kiwi' } })?.body as Json).url, '/v1/orders/5');
    // PUT to an unknown id creates it when the contract documents 201 for it
    const put = call('replace', { id: '77', body: { item: 'lime' } });
    assert.equal(put?.status, 201);
    assert.deepEqual([(put?.body as Json).id, (put?.body as Json).item], [77, 'lime']);
    // for resources the client created, the store, not a recorded read, is the truth
    const stale = call('read', { id: '3' }, rec(200, { id: 3, item: 'recorded' }));
    assert.equal((stale?.body as Json).item, 'plum');
    const put77 = call('read', { id: '77' }, rec(200, { id: 77, item: 'recorded' }));
    assert.equal((put77?.body as Json).item, 'lime');
    assert.deepEqual(
      (call('list', {}, rec(200, [{ id: 1 }]))?.body as Json[]).map((o) => o.id),
      [1, 2, 3, 4, 5, 77],
    );
  });

  it('sends a recorded 404 of a resource a recorded delete removed, and overrides a stale recorded read', () => {
    const { call } = api(orders);
    const rec = (status: number, body?: unknown): MockResponse => ({
      status,
      headers: {},
      body,
      source: 'recording:1',
    });
    assert.equal(call('delete', { id: '2' }, rec(204)), undefined);
    // the store agrees that order 2 is gone: production's own 404 body is sent as recorded
    assert.equal(
      call('read', { id: '2' }, rec(404, { code: 'not_found', message: 'No such order: 2' })),
      undefined,
    );
    // a recorded read of it from before the delete is stale: the store answers 404
    assert.equal(call('read', { id: '2' }, rec(200, { id: 2, item: 'pear' }))?.status, 404);
  });

  it('ignores operations without a resource binding, and non-object bodies', () => {
    const { call, m } = api(orders);
    assert.equal(handleResourceRequest(op(), request(), getSession(''), m), undefined);
    assert.equal(call('create', { body: 'text' }), undefined);
  });

  it('unflattens bracketed form keys', () => {
    assert.deepEqual(
      unflattenForm({
        'a[b][c]': '1',
        'items[0][price]': 'p',
        'items[1][price]': 'q',
        'tags[]': ['x', 'y'],
        plain: 'v',
      }),
      {
        a: { b: { c: '1' } },
        items: [{ price: 'p' }, { price: 'q' }],
        tags: ['x', 'y'],
        plain: 'v',
      },
    );
  });
});
