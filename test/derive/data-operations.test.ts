import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { GENERATED_EXAMPLE, bodyKind, escapeTemplateMarkers } from '../../src/derive/examples';
import { buildOperationData } from '../../src/derive/operation-data';
import type { Contract, MediaTypeSpec, Operation, ResponseSpec } from '../../src/model/types';

const schemas: Contract['schemas'] = {
  Pet: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'integer', format: 'int64' },
      name: { type: 'string' },
      price: { type: 'number' },
      secret: { type: 'string', writeOnly: true },
    },
  },
};

function media(mediaType: string, extra: Partial<MediaTypeSpec> = {}): MediaTypeSpec {
  return {
    mediaType,
    examples: [],
    pointer: `/paths/~1pets/get/responses/200/content/${mediaType.replace('/', '~1')}`,
    ...extra,
  };
}

function response(status: string, content: MediaTypeSpec[], extra: Partial<ResponseSpec> = {}): ResponseSpec {
  return {
    status,
    description: `status ${status}`,
    headers: [],
    content,
    pointer: `/paths/~1pets/get/responses/${status}`,
    ...extra,
  };
}

function operation(id: string, responses: ResponseSpec[], extra: Partial<Operation> = {}): Operation {
  return {
    id,
    method: 'get',
    path: `/${id}`,
    tags: [],
    deprecated: false,
    parameters: [],
    responses,
    security: [],
    pointer: `/paths/~1${id}/get`,
    ...extra,
  };
}

function contract(operations: Operation[]): Contract {
  return {
    file: 'openapi.yaml',
    openapi: '3.1',
    title: 'Test',
    version: '1',
    basePath: '',
    servers: [],
    operations,
    securitySchemes: {},
    schemas,
    diagnostics: [],
  };
}

const pet = { $ref: '#/$defs/Pet' };

describe('data: buildOperationData', () => {
  it('orders examples: named, then the lone example, then schema-level; drops duplicates', () => {
    const op = operation('listPets', [
      response('200', [
        media('application/json', {
          schema: { ...pet, examples: [{ id: 3, name: 'schema-level' }] },
          examples: [
            { name: 'default', value: { id: 1, name: 'lone' }, pointer: '/x/example' },
            { name: 'rex', value: { id: 2, name: 'Rex' }, pointer: '/x/examples/rex/value' },
            { name: 'dup', value: { id: 2, name: 'Rex' }, pointer: '/x/examples/dup/value' },
          ],
        }),
      ]),
    ]);
    const { operations, diagnostics } = buildOperationData(contract([op]), { seed: 1 });
    assert.deepEqual(diagnostics, []);
    const names = operations[0].responses[0].content[0].examples.map((e) => e.name);
    assert.deepEqual(names, ['rex', 'default', 'example-1']);
  });

  it('repairs invalid examples and warns with the operation, pointer and first failing path', () => {
    const op = operation('getPet', [
      response('200', [
        media('application/json', {
          schema: pet,
          examples: [
            {
              name: 'broken',
              value: { id: 1, name: 'Rex', price: 'cheap' },
              pointer: '/paths/~1getPet/get/x/value',
            },
          ],
        }),
      ]),
    ]);
    op.path = '/pets/{petId}';
    const { operations, diagnostics } = buildOperationData(contract([op]), { seed: 1 });
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.severity, 'warning');
    assert.equal(d.code, 'invalid-example');
    assert.equal(d.operation, 'GET /pets/{petId}');
    assert.equal(d.pointer, '/paths/~1getPet/get/x/value');
    assert.equal(d.file, 'openapi.yaml');
    assert.match(d.message, /\/price must be number/);
    const value = operations[0].responses[0].content[0].examples[0].value as Record<string, unknown>;
    assert.equal(value.name, 'Rex');
    assert.equal(typeof value.price, 'number');
  });

  it('serves a JSON example written as JSON text as the value it spells (corpus: rapidapi, sportsdata.io)', () => {
    const list = { type: 'array', items: pet };
    const op = operation('listPets', [
      response('200', [
        media('application/json', {
          schema: list,
          examples: [
            { name: 'text', value: '[\r\n  {"id": 1, "name": "Rex"}\r\n]', pointer: '/x/text/value' },
            { name: 'broken', value: '{"id": 1', pointer: '/x/broken/value' },
          ],
        }),
        media('text/plain', {
          schema: { type: 'object' },
          examples: [{ name: 'text', value: '{"id": 1}', pointer: '/y/value' }],
        }),
      ]),
    ]);
    const { operations, diagnostics } = buildOperationData(contract([op]), { seed: 1 });
    const [json, text] = operations[0].responses[0].content;
    assert.deepEqual(json.examples[0].value, [{ id: 1, name: 'Rex' }]);
    // JSON text that does not parse is repaired, not served as a JSON string
    assert.ok(Array.isArray(json.examples[1].value));
    assert.ok(new SchemaCompiler(schemas).compile(list)(json.examples[1].value));
    assert.deepEqual(
      diagnostics.map((d) => d.pointer),
      ['/x/broken/value'],
    );
    // a text body is the serialised value: kept as written
    assert.equal(text.examples[0].value, '{"id": 1}');
  });

  it('generates `__generated` when there is no example, valid, without writeOnly properties in responses', () => {
    const { operations } = buildOperationData(
      contract([operation('getPet', [response('200', [media('application/json', { schema: pet })])])]),
      {
        seed: 1,
      },
    );
    const [example] = operations[0].responses[0].content[0].examples;
    assert.equal(example.name, GENERATED_EXAMPLE);
    assert.ok(new SchemaCompiler(schemas).compile(pet)(example.value));
    assert.ok(!('secret' in (example.value as object)));
  });

  it('keeps generated data stable when other operations change', () => {
    const target = operation('getPet', [response('200', [media('application/json', { schema: pet })])]);
    const alone = buildOperationData(contract([target]), { seed: 5 }).operations[0];
    const other = operation('other', [response('200', [media('application/json', { schema: pet })])]);
    const withOther = buildOperationData(contract([other, target]), { seed: 5 }).operations[1];
    assert.deepEqual(withOther, alone);
    const reseeded = buildOperationData(contract([target]), { seed: 6 }).operations[0];
    assert.notDeepEqual(reseeded.responses[0].content[0].examples, alone.responses[0].content[0].examples);
  });

  it('gives non-JSON media types a value of the right kind', () => {
    const op = operation('files', [
      response('200', [
        media('text/plain', { schema: { type: 'string' } }),
        media('application/xml', { schema: pet }),
        media('application/octet-stream', { schema: { type: 'string', format: 'binary' } }),
        media('image/png'),
        media('*/*', { schema: pet }),
        media('text/csv', { examples: [{ name: 'default', value: { a: 1 }, pointer: '/y/example' }] }),
      ]),
    ]);
    const [text, xml, binary, image, any, csv] = buildOperationData(contract([op]), { seed: 1 }).operations[0]
      .responses[0].content;
    assert.equal(typeof text.examples[0].value, 'string');
    assert.equal(
      typeof (xml.examples[0].value as Record<string, unknown>).name,
      'string',
      'XML keeps the object; the runtime serialises it',
    );
    assert.equal(typeof binary.examples[0].value, 'string');
    assert.equal(typeof image.examples[0].value, 'string');
    assert.ok(new SchemaCompiler(schemas).compile(pet)(any.examples[0].value));
    assert.equal(csv.examples[0].value, '{"a":1}');
  });

  it('gives response headers a value: the example (repaired) or generated', () => {
    const op = operation('headers', [
      response('200', [], {
        headers: [
          {
            name: 'X-Rate-Limit',
            required: true,
            schema: { type: 'integer' },
            examples: [{ name: 'default', value: 'lots', pointer: '/h/example' }],
            pointer: '/h',
          },
          {
            name: 'X-Request-Id',
            required: false,
            schema: { type: 'string', format: 'uuid' },
            examples: [],
            pointer: '/h2',
          },
        ],
      }),
    ]);
    const { operations, diagnostics } = buildOperationData(contract([op]), { seed: 1 });
    const [limit, requestId] = operations[0].responses[0].headers;
    assert.equal(typeof limit.value, 'number');
    assert.match(
      String(requestId.value),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /header X-Rate-Limit/);
  });

  it('copies parameters and request bodies with their schemas, validating request examples as requests', () => {
    const op = operation('createPet', [response('201', [media('application/json', { schema: pet })])], {
      method: 'post',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          required: false,
          style: 'form',
          explode: true,
          allowReserved: false,
          schema: { type: 'integer' },
          deprecated: false,
          examples: [],
          pointer: '/p',
        },
      ],
      requestBody: {
        required: true,
        pointer: '/rb',
        content: [
          media('application/json', {
            schema: pet,
            examples: [{ name: 'default', value: { id: 1, name: 'a', secret: 's' }, pointer: '/rb/example' }],
          }),
        ],
      },
    });
    const { operations, diagnostics } = buildOperationData(contract([op]), { seed: 1 });
    assert.deepEqual(diagnostics, []);
    const data = operations[0];
    assert.deepEqual(data.parameters, [
      {
        name: 'limit',
        in: 'query',
        required: false,
        style: 'form',
        explode: true,
        schema: { type: 'integer' },
      },
    ]);
    assert.equal(data.requestBody?.required, true);
    assert.deepEqual(data.requestBody?.content[0].schema, pet);
    assert.deepEqual(data.requestBody?.content[0].examples?.[0].value, { id: 1, name: 'a', secret: 's' });
    assert.deepEqual(data.recordings, []);
  });

  it('escapes contract data that looks like a template marker', () => {
    assert.deepEqual(escapeTemplateMarkers({ a: { $tpl: '{{uuid}}' }, b: [1] }), {
      a: { $literal: { $tpl: '{{uuid}}' } },
      b: [1],
    });
    assert.deepEqual(escapeTemplateMarkers({ $tpl: 1, other: 2 }), { $tpl: 1, other: 2 });
  });

  it('classifies media types', () => {
    const table: [string, string][] = [
      ['application/json', 'json'],
      ['application/vnd.github+json', 'json'],
      ['*/*', 'json'],
      ['application/xml', 'xml'],
      ['application/atom+xml', 'xml'],
      ['text/plain', 'text'],
      ['multipart/form-data', 'form'],
      ['image/png', 'binary'],
      ['application/octet-stream', 'binary'],
    ];
    for (const [type, kind] of table) assert.equal(bodyKind(type), kind, type);
  });
});

/** The example contracts of the repository, when they and the loader exist. */
describe('data: example contracts', () => {
  const root = process.cwd();
  const specs = [
    'specs/petstore/openapi.yaml',
    'specs/swagger2/swagger.json',
    'specs/openapi31/openapi.yaml',
    'specs/secure/openapi.yaml',
  ]
    .map((file) => path.join(root, file))
    .filter((file) => fs.existsSync(file));
  let loadContract: ((file: string) => Promise<Contract>) | undefined;
  try {
    loadContract = (require('../../src/contract/load-contract') as { loadContract: typeof loadContract })
      .loadContract;
  } catch {
    loadContract = undefined;
  }

  for (const file of specs) {
    it(`every example and generated response body of ${path.relative(root, file)} validates`, async function () {
      if (!loadContract) this.skip();
      const loaded = await loadContract!(file);
      const { operations } = buildOperationData(loaded, { seed: 42 });
      const check = new SchemaCompiler(loaded.schemas);
      let checked = 0;
      for (const op of operations) {
        for (const res of op.responses) {
          for (const m of res.content) {
            if (m.schema === undefined || !['json', 'xml', 'form'].includes(bodyKind(m.mediaType))) continue;
            for (const example of m.examples) {
              if (typeof example.value === 'string' && bodyKind(m.mediaType) === 'xml') continue;
              const validate = check.compile(m.schema);
              assert.ok(
                validate(example.value),
                `${op.id} ${res.status} ${m.mediaType} ${example.name}: ${JSON.stringify(validate.errors)}`,
              );
              checked++;
            }
          }
        }
      }
      assert.ok(checked > 0);
      const again = buildOperationData(loaded, { seed: 42 }).operations;
      assert.deepEqual(again, operations, 'deterministic');
    });
  }
});
