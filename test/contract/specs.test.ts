import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { schemaRefs } from './helpers';
import type { Contract, JsonSchema, Operation } from '../../src/model/types';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';

const root = process.cwd();
const spec = (name: string) => path.join(root, 'specs', name);

function op(contract: Contract, id: string): Operation {
  const found = contract.operations.find((o) => o.id === id);
  assert.ok(found, `operation ${id} exists`);
  return found;
}

/** Every JSON example the contract documents must validate against its schema (one petstore example is broken on purpose). */
function invalidExamples(contract: Contract): string[] {
  const compiler = new SchemaCompiler(contract.schemas);
  const bad: string[] = [];
  const check = (schema: unknown, examples: { value: unknown; pointer: string }[]) => {
    if (schema === undefined) return;
    const validate = compiler.compile(schema as JsonSchema);
    assert.equal((validate as { compileError?: string }).compileError, undefined, 'schema compiles');
    for (const example of examples) if (!validate(example.value)) bad.push(example.pointer);
  };
  for (const o of contract.operations) {
    for (const p of o.parameters) check(p.schema, p.examples);
    const json = (m: { mediaType: string }) => m.mediaType.includes('json');
    for (const m of (o.requestBody?.content ?? []).filter(json)) check(m.schema, m.examples);
    for (const r of o.responses) {
      for (const m of r.content.filter(json)) check(m.schema, m.examples);
      for (const h of r.headers) check(h.schema, h.examples);
    }
  }
  return bad;
}

describe('contract: bundled example specs', () => {
  it('petstore (OpenAPI 3.0) loads with every operation, clean', async () => {
    const c = await loadContract(spec('petstore/openapi.yaml'));
    assert.equal(c.openapi, '3.0');
    assert.equal(c.title, 'Petstore');
    assert.equal(c.basePath, '/v1');
    assert.deepEqual(c.servers, ['http://localhost:4010/v1']);
    assert.deepEqual(
      c.operations.map((o) => `${o.id} ${o.method.toUpperCase()} ${o.path}`),
      [
        'listPets GET /pets',
        'createPet POST /pets',
        'getPet GET /pets/{petId}',
        'replacePet PUT /pets/{petId}',
        'updatePet PATCH /pets/{petId}',
        'deletePet DELETE /pets/{petId}',
        'listPetPhotos GET /pets/{petId}/photos',
        'uploadPetPhoto POST /pets/{petId}/photos',
        'getInventory GET /store/inventory',
        'placeOrder POST /store/orders',
        'getOrder GET /store/orders/{orderId}',
        'cancelOrder DELETE /store/orders/{orderId}',
      ],
    );
    assert.deepEqual(c.diagnostics, []);

    const list = op(c, 'listPets');
    const tags = list.parameters.find((p) => p.name === 'tags');
    assert.deepEqual([tags?.style, tags?.explode, tags?.in], ['form', true, 'query']);
    assert.deepEqual(list.parameters.find((p) => p.name === 'status')?.schema, { $ref: '#/$defs/PetStatus' });
    assert.deepEqual(
      list.responses.map((r) => r.status),
      ['200', '400', 'default'],
    );
    const ok = list.responses[0];
    assert.deepEqual(
      ok.headers.map((h) => h.name),
      ['X-Rate-Limit-Remaining', 'X-Request-Id'],
    );
    assert.deepEqual(
      ok.content[0].examples.map((e) => e.name),
      ['twoPets', 'empty'],
    );

    const getPet = op(c, 'getPet');
    assert.deepEqual(getPet.parameters[0].schema, { type: 'integer', format: 'int64', minimum: 1 });
    const rex = getPet.responses[0].content[0].examples[0];
    assert.equal(rex.name, 'rex');
    assert.equal(rex.pointer, '/components/examples/Rex/value');
    assert.equal(rex.summary, 'A friendly dog');

    const upload = op(c, 'uploadPetPhoto');
    assert.equal(upload.requestBody?.content[0].mediaType, 'multipart/form-data');
    assert.deepEqual(upload.requestBody?.content[0].encoding, {
      file: { contentType: 'image/png, image/jpeg' },
    });

    assert.deepEqual(
      op(c, 'placeOrder').requestBody?.content.map((m) => m.mediaType),
      ['application/json', 'application/x-www-form-urlencoded'],
    );

    // nullable and readOnly/writeOnly survive conversion
    const pet = c.schemas.Pet as {
      allOf: { properties?: Record<string, { type?: unknown; readOnly?: boolean }> }[];
    };
    assert.deepEqual(pet.allOf[1].properties?.updatedAt.type, ['string', 'null']);
    assert.equal(pet.allOf[1].properties?.id.readOnly, true);
    assert.equal(
      (c.schemas.NewPet as { properties: Record<string, { writeOnly?: boolean }> }).properties.microchipCode
        .writeOnly,
      true,
    );
    assert.deepEqual((c.schemas.Owner as { type: unknown }).type, ['object', 'null']);

    // exactly the deliberately broken example is invalid
    assert.deepEqual(invalidExamples(c), [
      '/paths/~1pets~1{petId}/get/responses/200/content/application~1json/examples/brokenWeight/value',
    ]);
  });

  it('swagger2 (Swagger 2.0 JSON) maps body, formData, collectionFormat, produces and security', async () => {
    const c = await loadContract(spec('swagger2/swagger.json'));
    assert.equal(c.openapi, '2.0');
    assert.equal(c.basePath, '/api');
    assert.deepEqual(c.servers, ['http://localhost:4010/api']);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(c.securitySchemes, {
      ApiKey: { type: 'apiKey', name: 'X-API-Key', in: 'header' },
      Basic: { type: 'http', scheme: 'basic' },
    });

    const list = op(c, 'listBooks');
    const byName = Object.fromEntries(list.parameters.map((p) => [p.name, p]));
    assert.deepEqual([byName.genres.style, byName.genres.explode], ['form', false]);
    assert.deepEqual([byName.authorId.style, byName.authorId.explode], ['form', true]);
    assert.equal(byName['X-Request-Id'].in, 'header');
    assert.deepEqual(list.security, [{ ApiKey: [] }]);
    assert.deepEqual(
      list.responses[0].content[0].examples[0].pointer,
      '/paths/~1books/get/responses/200/examples/application~1json',
    );

    const create = op(c, 'createBook');
    assert.deepEqual(create.security, [{ Basic: [] }]);
    assert.equal(create.requestBody?.required, true);
    assert.deepEqual(
      create.requestBody?.content.map((m) => [m.mediaType, m.schema]),
      [['application/json', { $ref: '#/$defs/NewBook' }]],
    );

    const cover = op(c, 'uploadCover');
    assert.deepEqual(cover.requestBody?.content[0], {
      mediaType: 'multipart/form-data',
      schema: {
        type: 'object',
        properties: {
          image: { type: 'string', format: 'binary', description: 'PNG or JPEG.' },
          caption: { type: 'string', maxLength: 120 },
        },
        required: ['image'],
      },
      examples: [],
      pointer: '/paths/~1books~1{bookId}~1cover/put/parameters',
    });
    const register = op(c, 'registerUser');
    assert.equal(register.requestBody?.content[0].mediaType, 'application/x-www-form-urlencoded');
    assert.deepEqual(register.requestBody?.content[0].encoding, {
      interests: { style: 'form', explode: true },
    });
    assert.deepEqual(register.security, []);

    const getBook = op(c, 'getBook');
    assert.deepEqual(
      getBook.responses[0].content.map((m) => [m.mediaType, m.examples.length]),
      [
        ['application/json', 1],
        ['application/xml', 1],
      ],
    );
    assert.deepEqual(op(c, 'getCover').responses[0].content[0].schema, { type: 'string', format: 'binary' });
    assert.deepEqual(op(c, 'getUser').parameters[1].style, 'pipeDelimited');

    const newBook = c.schemas.NewBook as { properties: Record<string, unknown> };
    assert.deepEqual(newBook.properties.subtitle, { type: ['string', 'null'] });
    assert.deepEqual(newBook.properties.price, { type: 'number', exclusiveMinimum: 0 });
    assert.deepEqual((c.schemas.User as { properties: Record<string, unknown> }).properties.favourite, {
      anyOf: [{ $ref: '#/$defs/Book' }, { type: 'null' }],
    });
    assert.deepEqual(invalidExamples(c), []);
  });

  it('openapi31 keeps 3.1 schemas, server variables, vendor media types and ignores webhooks', async () => {
    const c = await loadContract(spec('openapi31/openapi.yaml'));
    assert.equal(c.openapi, '3.1');
    assert.deepEqual(c.servers, ['https://eu.api.acme.example/v3']);
    assert.equal(c.basePath, '/v3');
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(
      c.operations.map((o) => o.id),
      ['listNotes', 'createNote', 'getNote', 'deleteNote', 'createShape'],
    );
    const filter = op(c, 'listNotes').parameters.find((p) => p.name === 'filter');
    assert.equal(filter?.contentType, 'application/json');
    assert.deepEqual(
      op(c, 'listNotes').responses[0].content.map((m) => m.mediaType),
      ['application/vnd.acme.v3+json', 'application/json'],
    );
    const note = c.schemas.Note as { properties: Record<string, unknown> };
    assert.deepEqual(note.properties.author, { description: 'Who wrote the note.', $ref: '#/$defs/Person' });
    assert.deepEqual(note.properties.kind, { const: 'note' });
    assert.deepEqual(note.properties.archivedAt, { type: ['string', 'null'], format: 'date-time' });
    // schema-level `examples` arrays become named examples when the media type has none
    const created = op(c, 'createNote').responses[0].content[0].examples;
    assert.deepEqual(
      created.map((e) => [e.name, e.pointer]),
      [['example-1', '/components/schemas/Note/examples/0']],
    );
    assert.deepEqual(invalidExamples(c), []);
  });

  it('secure (external files, OAuth2, bearer, apiKey query, allOf/oneOf, recursion) loads', async () => {
    const c = await loadContract(spec('secure/openapi.yaml'));
    assert.equal(c.basePath, '/api/v2');
    assert.deepEqual(c.servers, ['/api/v2']);
    assert.equal(c.version, '2024-06-01');
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(
      c.operations.map((o) => `${o.method.toUpperCase()} ${o.path}`),
      [
        'POST /oauth/token',
        'GET /accounts/me',
        'GET /payments',
        'POST /payments',
        'GET /payments/{paymentId}',
        'PATCH /payments/{paymentId}',
        'DELETE /payments/{paymentId}',
        'GET /categories',
        'POST /exports',
        'GET /exports/{exportId}',
        'GET /rates',
      ],
    );
    assert.equal(c.securitySchemes.oauth2.flows?.clientCredentials?.tokenUrl, '/oauth/token');
    assert.deepEqual(c.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    assert.deepEqual(c.securitySchemes.apiKeyQuery, { type: 'apiKey', name: 'api_key', in: 'query' });
    assert.deepEqual(op(c, 'issueToken').security, []);
    assert.deepEqual(op(c, 'getMyAccount').security, [{ oauth2: ['payments:read'] }, { bearerAuth: [] }]);
    assert.deepEqual(op(c, 'createPayment').security, [{ oauth2: ['payments:write'] }]);
    assert.deepEqual(op(c, 'getExchangeRates').security, [{ apiKeyQuery: [] }]);
    assert.equal(op(c, 'issueToken').requestBody?.content[0].mediaType, 'application/x-www-form-urlencoded');

    // names of schemas that came from other files are their component names
    for (const name of [
      'Money',
      'Currency',
      'Category',
      'Export',
      'PaymentBase',
      'Card',
      'BankTransfer',
      'Payment',
    ]) {
      assert.ok(name in c.schemas, `${name} in schemas`);
    }
    const category = c.schemas.Category as { properties: { children: { items: unknown } } };
    assert.deepEqual(category.properties.children.items, { $ref: '#/$defs/Category' });
    assert.deepEqual((c.schemas.Payment as { discriminator: unknown }).discriminator, {
      propertyName: 'method',
      mapping: { card: '#/$defs/Card', bank_transfer: '#/$defs/BankTransfer' },
    });
    assert.deepEqual(
      op(c, 'getExport').responses[0].content[0].examples.map((e) => e.name),
      ['pending', 'running', 'done'],
    );
    assert.deepEqual(invalidExamples(c), []);
  });

  it('every $ref in every spec points into Contract.schemas', async () => {
    for (const name of [
      'petstore/openapi.yaml',
      'swagger2/swagger.json',
      'openapi31/openapi.yaml',
      'secure/openapi.yaml',
    ]) {
      const c = await loadContract(spec(name));
      for (const target of schemaRefs(c)) {
        assert.match(target, /^#\/\$defs\/[A-Za-z0-9_.-]+$/, `${name}: ${target}`);
        assert.ok(target.slice('#/$defs/'.length) in c.schemas, `${name}: ${target} is defined`);
      }
    }
  });
});
