/**
 * Operations that share a method and a path (corpus: the AWS query protocol's `GET /#Action=…`, AWS
 * `#identifierType` variants, Flickr's `/rest?method=…`, `/items/{id}` beside `/items/{slug}`): the handler answers with the one
 * the request is meant for. The contract is planned in memory and served in-process over 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { serveContract, type InProcessMock } from '../helpers/in-process';

const json = (schema: object) => ({ description: 'ok', content: { 'application/json': { schema } } });
const query = (name: string, schema: object, required = true) => ({ name, in: 'query', required, schema });

const contract = {
  openapi: '3.0.3',
  info: { title: 'shared routes', version: '1' },
  paths: {
    '/#Action=AssumeRole': {
      get: {
        operationId: 'AssumeRole',
        parameters: [
          query('Action', { type: 'string', enum: ['AssumeRole'] }),
          query('RoleArn', { type: 'string' }),
        ],
        responses: {
          200: json({ type: 'object', required: ['role'], properties: { role: { type: 'string' } } }),
        },
      },
    },
    '/#Action=GetCallerIdentity': {
      get: {
        operationId: 'GetCallerIdentity',
        parameters: [query('Action', { type: 'string', enum: ['GetCallerIdentity'] })],
        responses: {
          200: json({ type: 'object', required: ['account'], properties: { account: { type: 'string' } } }),
        },
      },
    },
    '/things/{Id}': {
      parameters: [{ name: 'Id', in: 'path', required: true, schema: { type: 'string' } }],
      delete: { operationId: 'DeleteThing', responses: { 204: { description: 'gone' } } },
    },
    '/things/{Identifier}#identifierType': {
      get: {
        operationId: 'GetThing',
        parameters: [
          { name: 'Identifier', in: 'path', required: true, schema: { type: 'string' } },
          query('identifierType', { type: 'string', enum: ['Name', 'Serial'] }),
        ],
        responses: {
          200: json({ type: 'object', required: ['thing'], properties: { thing: { type: 'string' } } }),
        },
      },
    },
    // Flickr: the method is a query parameter written into the path
    '/rest?method=flickr.photos.getInfo': {
      get: {
        operationId: 'PhotosGetInfo',
        parameters: [query('photo_id', { type: 'string' })],
        responses: {
          200: json({ type: 'object', required: ['photo'], properties: { photo: { type: 'string' } } }),
        },
      },
    },
    '/rest?method=flickr.people.getInfo': {
      get: {
        operationId: 'PeopleGetInfo',
        parameters: [query('user_id', { type: 'string' })],
        responses: {
          200: json({ type: 'object', required: ['person'], properties: { person: { type: 'string' } } }),
        },
      },
    },
    '/items/{id}': {
      get: {
        operationId: 'GetItemById',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: json({ type: 'object', required: ['byId'], properties: { byId: { type: 'integer' } } }),
        },
      },
    },
    '/items/{slug}': {
      get: {
        operationId: 'GetItemBySlug',
        parameters: [
          { name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z-]+$' } },
        ],
        responses: {
          200: json({ type: 'object', required: ['bySlug'], properties: { bySlug: { type: 'string' } } }),
        },
      },
    },
  },
};

describe('runtime: operations sharing a method and a path', function () {
  this.timeout(30_000);
  let mock: InProcessMock;
  let base: string;

  before(async () => {
    mock = await serveContract('shared-routes', contract);
    base = mock.base;
  });
  after(async () => {
    await mock?.close();
  });

  async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(base + url);
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  it('chooses among `/#Action=…` operations by the parameters sent', async () => {
    const identity = await get('/?Action=GetCallerIdentity');
    assert.equal(identity.status, 200);
    assert.equal(typeof identity.body.account, 'string');
    const role = await get('/?Action=AssumeRole&RoleArn=arn');
    assert.equal(role.status, 200);
    assert.equal(typeof role.body.role, 'string');
    // fits none: the violations of the closest
    const none = await get('/?Action=Nope');
    assert.equal(none.status, 422);
  });

  it('routes GET to the template that has it, whatever the parameter names', async () => {
    const thing = await get('/things/t1?identifierType=Name');
    assert.equal(thing.status, 200);
    assert.equal(typeof thing.body.thing, 'string');
    const res = await fetch(`${base}/things/t1`, { method: 'DELETE' });
    await res.text();
    assert.equal(res.status, 204);
    const put = await fetch(`${base}/things/t1`, { method: 'PUT' });
    await put.text();
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'DELETE, GET, HEAD, OPTIONS');
  });

  it('chooses among `/rest?method=…` operations by the query the template names', async () => {
    const person = await get('/rest?method=flickr.people.getInfo&user_id=u1');
    assert.equal(person.status, 200);
    assert.equal(typeof person.body.person, 'string');
    const photo = await get('/rest?user_id=u1&photo_id=p1&method=flickr.photos.getInfo');
    assert.equal(photo.status, 200);
    assert.equal(typeof photo.body.photo, 'string');
  });

  it('chooses among `/items/{id}` and `/items/{slug}` by the path parameter', async () => {
    const byId = await get('/items/42');
    assert.equal(byId.status, 200);
    assert.equal(typeof byId.body.byId, 'number');
    const bySlug = await get('/items/red-shoes');
    assert.equal(bySlug.status, 200);
    assert.equal(typeof bySlug.body.bySlug, 'string');
  });
});
