import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLiveMock, type LiveMock } from '../../src/serve/live-mock';
import { generateValue } from '../../templates/runtime/core/fake';
import { tempDir } from '../helpers/project';

/**
 * The mock must not lie about state (issue 17): a created id goes where the contract puts it, satisfies
 * the read operation's id parameter, and reading it back through that operation gives the resource.
 */
type Schema = Record<string, unknown>;

function crud(
  name: string,
  idParam: Schema,
  item: Schema,
  wrap: (schema: Schema) => Schema = (s) => s,
  createExample?: unknown,
  wrapBody: (schema: Schema) => Schema = (s) => s,
): Record<string, unknown> {
  const json = (schema: Schema, example?: unknown) => ({
    'application/json': { schema, ...(example !== undefined ? { example } : {}) },
  });
  return {
    openapi: '3.0.3',
    info: { title: name, version: '1' },
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          responses: { '200': { description: 'ok', content: json(wrap({ type: 'array', items: item })) } },
        },
        post: {
          operationId: 'createThing',
          requestBody: {
            required: true,
            content: json(wrapBody({ type: 'object', properties: { name: { type: 'string' } } })),
          },
          responses: { '201': { description: 'created', content: json(wrap(item), createExample) } },
        },
      },
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: idParam }],
          responses: {
            '200': { description: 'ok', content: json(wrap(item)) },
            '404': { description: 'not found' },
          },
        },
      },
    },
  };
}

const thing = (id: Schema): Schema => ({
  type: 'object',
  required: ['id', 'name'],
  properties: { id, name: { type: 'string' }, created: { type: 'string', format: 'date-time' } },
});

async function serve(
  contract: Record<string, unknown>,
): Promise<{ mock: LiveMock; base: string; work: string }> {
  const work = tempDir('hostile-state');
  const spec = path.join(work, 'api.json');
  fs.writeFileSync(spec, JSON.stringify(contract));
  const mock = await startLiveMock({
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
    env: { MOCKGEN_LATENCY: 'off' },
  });
  return { mock, base: `http://127.0.0.1:${mock.port}`, work };
}

/** Creates three things and reads each back by the id the create answered with (found at `idAt`). */
async function createAndReadBack(
  contract: Record<string, unknown>,
  idAt: (body: Record<string, unknown>) => unknown,
  check: (id: unknown) => void = () => {},
  send: (fields: Record<string, unknown>) => unknown = (fields) => fields,
): Promise<void> {
  const { mock, base, work } = await serve(contract);
  try {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(send({ name: `n${i}` })),
      });
      const text = await res.text();
      assert.ok(text.includes(`"name":"n${i}"`), `the request's fields are the resource's: ${text}`);
      assert.equal(res.status, 201, text);
      const body = JSON.parse(text) as Record<string, unknown>;
      const id = idAt(body);
      assert.ok(
        typeof id === 'string' || typeof id === 'number',
        `an id where the contract puts it: ${text}`,
      );
      check(id);
      assert.ok(!ids.has(String(id)), `ids are unique: ${text}`);
      ids.add(String(id));
      if (id !== body.id) assert.equal(body.id, undefined, `no stray top-level id: ${text}`);
      const location = res.headers.get('location');
      assert.equal(location, `/things/${encodeURIComponent(String(id))}`);
      const back = await fetch(`${base}${location}`);
      const backText = await back.text();
      assert.equal(back.status, 200, backText);
      const read = JSON.parse(backText) as Record<string, unknown>;
      assert.deepEqual(idAt(read), id, backText);
      assert.deepEqual(read, body, 'the read gives what the create answered');
    }
    const list = await (await fetch(`${base}/things`)).text();
    for (const id of ids) assert.ok(list.includes(JSON.stringify(id)) || list.includes(`:${id}`), list);
  } finally {
    await mock.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const envelope = (field: string) => (schema: Schema) => ({
  type: 'object',
  required: [field],
  properties: { [field]: schema },
});
const dataOf = (field: string) => (body: Record<string, unknown>) =>
  (body[field] as Record<string, unknown> | undefined)?.id;

describe('runtime: the mock does not lie about state', function () {
  this.timeout(60000);

  for (const field of ['data', 'result', 'item']) {
    it(`an envelope API ({"${field}": {...}}): the created id is ${field}.id, in Location and read back`, async () => {
      await createAndReadBack(
        crud('Envelope', { type: 'string' }, thing({ type: 'string' }), envelope(field)),
        dataOf(field),
      );
    });
  }

  it('an envelope API with an example: the example id is not every create’s id', async () => {
    await createAndReadBack(
      crud('Envelope example', { type: 'string' }, thing({ type: 'string' }), envelope('data'), {
        data: { id: 'thing_1', name: 'example' },
      }),
      dataOf('data'),
      (id) => assert.notEqual(id, 'thing_1'),
    );
  });

  it('a request body in the same envelope ({"data": {"name": …}}) gives the resource its fields', async () => {
    await createAndReadBack(
      crud(
        'Envelope body',
        { type: 'string' },
        thing({ type: 'string' }),
        envelope('data'),
        undefined,
        envelope('data'),
      ),
      dataOf('data'),
      () => {},
      (fields) => ({ data: fields }),
    );
  });

  it('created ids match the id parameter’s pattern (^pay_[A-Za-z0-9]{12}$) and read back', async () => {
    const pattern = '^pay_[A-Za-z0-9]{12}$';
    await createAndReadBack(
      crud('Pattern', { type: 'string', pattern }, thing({ type: 'string', pattern })),
      (body) => body.id,
      (id) => assert.match(String(id), new RegExp(pattern)),
    );
  });

  it('a pattern only on the path parameter still shapes the created ids', async () => {
    const pattern = '^[A-Z]{3}-\\d{4}$';
    await createAndReadBack(
      crud('Param pattern', { type: 'string', pattern }, thing({ type: 'string' })),
      (body) => body.id,
      (id) => assert.match(String(id), new RegExp(pattern)),
    );
  });

  it('created ids respect minLength / maxLength and uuid formats of the id parameter', async () => {
    await createAndReadBack(
      crud('Lengths', { type: 'string', minLength: 40, maxLength: 40 }, thing({ type: 'string' })),
      (body) => body.id,
      (id) => assert.equal(String(id).length, 40),
    );
    await createAndReadBack(
      crud('Uuid', { type: 'string', format: 'uuid' }, thing({ type: 'string', format: 'uuid' })),
      (body) => body.id,
      (id) => assert.match(String(id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    );
  });

  it('integer ids within the id parameter’s minimum / maximum', async () => {
    await createAndReadBack(
      crud('Integers', { type: 'integer', minimum: 1000, maximum: 99999 }, thing({ type: 'integer' })),
      (body) => body.id,
      (id) => assert.ok(typeof id === 'number' && id >= 1000 && id <= 99999, String(id)),
    );
  });

  it('generated date-time values are valid date-times even where a pattern is also given', () => {
    const rfc3339 =
      /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
    const patterns = [
      '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$',
      '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$',
      '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$',
      '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.[0-9]{6}',
      '^[a-z]+$',
    ];
    for (const pattern of patterns) {
      for (let seed = 0; seed < 25; seed++) {
        const value = generateValue({ type: 'string', format: 'date-time', pattern }, {}, { seed });
        assert.match(String(value), rfc3339, `${pattern}, seed ${seed}`);
        assert.ok(!Number.isNaN(Date.parse(String(value))), `${pattern}, seed ${seed}: ${String(value)}`);
        if (pattern !== '^[a-z]+$') assert.match(String(value), new RegExp(pattern), `seed ${seed}`);
      }
      const date = generateValue({ type: 'string', format: 'date', pattern }, {}, { seed: 1 });
      assert.match(String(date), /^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
