import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLiveMock, type LiveMock } from '../../src/serve/live-mock';
import { tempDir } from '../helpers/project';

/** Hostile requests (issue 17): clear 4xx answers, never a crash, a lie or unbounded growth. */
const CONTRACT = {
  openapi: '3.0.3',
  info: { title: 'Hostile input', version: '1' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
              },
            },
          },
          '404': { description: 'none' },
        },
      },
      post: {
        operationId: 'createThing',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/NewThing' } },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/NewThing' } },
          },
        },
        responses: {
          '201': {
            description: 'created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    },
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { description: 'not found' },
        },
      },
    },
  },
  components: {
    schemas: {
      NewThing: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          constructor: { type: 'string' },
          toString: { type: 'string' },
          hasOwnProperty: { type: 'string' },
        },
      },
      Thing: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'integer' }, name: { type: 'string' }, constructor: { type: 'string' } },
      },
    },
  },
};

describe('runtime: hostile input never takes the mock down or makes it lie', function () {
  this.timeout(60000);
  let work: string;
  let mock: LiveMock;
  let base: string;
  before(async () => {
    work = tempDir('hostile-input');
    const spec = path.join(work, 'api.json');
    fs.writeFileSync(spec, JSON.stringify(CONTRACT));
    mock = await startLiveMock({
      project: {
        spec,
        recordings: [],
        out: path.join(work, 'unused'),
        seed: 1,
        dynamic: true,
        redact: [],
        sequencePolicy: 'repeat-last',
      },
      port: 0,
      host: '127.0.0.1',
      env: { MOCKGEN_LATENCY: 'off', MOCKGEN_RESOURCE_LIMIT: '3' },
    });
    base = `http://127.0.0.1:${mock.port}`;
  });
  after(async () => {
    await mock.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const post = (body: string, type = 'application/json') =>
    fetch(`${base}/things`, { method: 'POST', headers: { 'content-type': type }, body });

  it('a property named constructor / toString / hasOwnProperty is absent from `{}`, not "present and wrong"', async () => {
    const res = await post('{}');
    assert.equal(res.status, 201, await res.clone().text());
    const bad = await post('{"constructor": 5}');
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /constructor/);
  });

  it('a JSON body nested 5,000 levels deep is a 400 naming the nesting limit; the mock keeps serving', async () => {
    const res = await post(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    assert.match(await res.text(), /nests deeper than 256 levels/);
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    assert.equal((await post(deepObject)).status, 400);
    assert.equal((await fetch(`${base}/__mockgen/health`)).status, 200);
  });

  it('form names and deepObject queries nested thousands of brackets deep stay bounded: no 5xx, the mock keeps serving', async () => {
    const deepForm = `name${'[a]'.repeat(5000)}=1&name=x`;
    const form = await post(deepForm, 'application/x-www-form-urlencoded');
    assert.ok(form.status < 500, `form: ${form.status} ${await form.text()}`);
    const query = await fetch(`${base}/things?filter${'[a]'.repeat(3000)}=1`);
    assert.ok(query.status < 500, `query: ${query.status}`);
    assert.equal((await fetch(`${base}/__mockgen/health`)).status, 200);
  });

  it('Prefer: code outside 100–599 is a 400 problem, never an invalid status on the wire', async () => {
    for (const code of ['999', '42', '600', 'abc']) {
      const res = await fetch(`${base}/things`, { headers: { prefer: `code=${code}` } });
      assert.equal(res.status, 400, `code=${code}`);
      assert.match(await res.text(), /is not an HTTP status code/);
    }
    assert.equal((await fetch(`${base}/things`, { headers: { prefer: 'code=404' } })).status, 404);
  });

  it('created resources are capped per collection (MOCKGEN_RESOURCE_LIMIT), oldest evicted first', async () => {
    await fetch(`${base}/__mockgen/reset`, { method: 'POST' });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(JSON.stringify({ name: `n${i}` }));
      assert.equal(res.status, 201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const listed = (await (await fetch(`${base}/things`)).json()) as { id: number }[];
    const created = listed.map((t) => t.id).filter((id) => ids.includes(id));
    assert.deepEqual(created, ids.slice(-3), 'the three newest are kept');
    assert.equal((await fetch(`${base}/things/${ids[4]}`)).status, 200);
    const journal = (await (await fetch(`${base}/__mockgen/requests`)).json()) as {
      method: string;
      status: number;
      warning?: string;
    }[];
    const warned = journal.filter((e) => e.method === 'POST' && e.status === 201 && e.warning);
    assert.equal(warned.length, 2, 'the two creates that evicted one say so in the journal');
    assert.match(
      warned[0].warning!,
      /resource limit reached \(MOCKGEN_RESOURCE_LIMIT=3\).*\/things was evicted/,
    );
  });
});
