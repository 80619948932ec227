/**
 * Public contracts that broke the mock in corpus sweeps (bench/corpus.ts), reduced to what broke:
 * planned in memory, served in-process over 127.0.0.1, every 2xx body checked against its schema.
 */
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { serveContract, type InProcessMock } from '../helpers/in-process';

const item = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
};
const ids = [{ name: 'noteId', in: 'path', required: true, schema: { type: 'integer' } }];

const contract = {
  openapi: '3.0.3',
  info: { title: 'corpus regressions', version: '1' },
  paths: {
    // AWS documents the Accept header as a parameter (medialive DescribeInputDeviceThumbnail)
    '/devices/{id}/thumbnail': {
      get: {
        operationId: 'thumbnail',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'accept', in: 'header', required: true, schema: { type: 'string', enum: ['image/jpeg'] } },
        ],
        responses: {
          200: {
            description: 'ok',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } },
              },
            },
          },
        },
      },
    },
    '/devices/{id}': {
      get: {
        operationId: 'device',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'ok',
            content: {
              'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } },
            },
          },
        },
      },
    },
    // an Accept-Encoding parameter (conjur): fetch sends `gzip, deflate` whatever the contract allows
    '/secrets': {
      get: {
        operationId: 'secrets',
        parameters: [
          { name: 'Accept-Encoding', in: 'header', schema: { type: 'string', enum: ['base64'] } },
          { name: 'Accept-Language', in: 'header', schema: { type: 'string', enum: ['de', 'en-us'] } },
          { name: 'X-Request-Id', in: 'header', schema: { type: 'string', pattern: '^[a-z]+$' } },
        ],
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    // a stateful collection documented as `*/*` (mcw.edu): what the store answers still obeys the schema
    '/notes': {
      post: {
        operationId: 'createNote',
        requestBody: {
          content: {
            'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
        responses: { 201: { description: 'made', content: { '*/*': { schema: item } } } },
      },
    },
    '/notes/{noteId}': {
      get: {
        operationId: 'readNote',
        parameters: ids,
        responses: { 200: { description: 'ok', content: { '*/*': { schema: item } } } },
      },
      delete: { operationId: 'deleteNote', parameters: ids, responses: { 204: { description: 'gone' } } },
    },
    // an item that is an array cannot be stored by id: served from the contract (mcw.edu orthologs)
    '/orthologs': {
      post: {
        operationId: 'createOrthologs',
        responses: {
          201: { description: 'made', content: { '*/*': { schema: { type: 'array', items: item } } } },
        },
      },
    },
    '/orthologs/{rgdId}': {
      get: {
        operationId: 'orthologs',
        parameters: [{ name: 'rgdId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: { description: 'ok', content: { '*/*': { schema: { type: 'array', items: item } } } },
        },
      },
      delete: {
        operationId: 'deleteOrthologs',
        parameters: [{ name: 'rgdId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 204: { description: 'gone' } },
      },
    },
  },
};

describe('runtime: corpus regressions', function () {
  this.timeout(30_000);
  let mock: InProcessMock;
  const ajv = new Ajv({ strict: false });

  before(async () => {
    mock = await serveContract('corpus-regressions', contract);
  });
  after(async () => {
    await mock?.close();
  });

  it('an Accept the operation documents as a header parameter is served what the contract documents', async () => {
    const thumbnail = await fetch(`${mock.base}/devices/d1/thumbnail`, { headers: { accept: 'image/jpeg' } });
    assert.equal(thumbnail.status, 200);
    assert.match(thumbnail.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(typeof ((await thumbnail.json()) as { size: unknown }).size, 'number');
    // without the parameter, nothing acceptable is still a 406
    const device = await fetch(`${mock.base}/devices/d1`, { headers: { accept: 'image/jpeg' } });
    assert.equal(device.status, 406);
  });

  it('transport headers the client stack sets are not checked against header parameters', async () => {
    // fetch sends `accept-language: *` and `accept-encoding: gzip, deflate` on its own
    const ok = await fetch(`${mock.base}/secrets`, {
      headers: { 'accept-encoding': 'gzip, deflate', 'accept-language': 'en-US,en;q=0.9' },
    });
    assert.equal(ok.status, 200);
    // other header parameters still are
    const bad = await fetch(`${mock.base}/secrets`, { headers: { 'x-request-id': 'NOT-LOWER' } });
    assert.equal(bad.status, 422);
  });

  it('stateful answers documented as */* are checked against their schema', async () => {
    const created = await fetch(`${mock.base}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'first', colour: 'red' }),
    });
    assert.equal(created.status, 201);
    const note = (await created.json()) as { id: number; name: string };
    assert.ok(ajv.validate(item, note), JSON.stringify(ajv.errors));
    assert.equal(note.name, 'first');
    const read = await fetch(`${mock.base}/notes/${note.id}`);
    assert.equal(read.status, 200);
    assert.ok(ajv.validate(item, await read.json()));
  });

  it('an item path whose body is an array is answered from the contract, not a store', async () => {
    const res = await fetch(`${mock.base}/orthologs/837`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(ajv.validate({ type: 'array', items: item }, body), JSON.stringify(body));
  });
});
