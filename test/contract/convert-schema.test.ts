import assert from 'node:assert/strict';
import {
  type OpenApiVersion,
  SchemaConverter,
  nameFromRef,
  readableName,
} from '../../src/contract/convert-schema';
import { Diagnostics } from '../../src/contract/diagnostics';
import type { JsonSchema } from '../../src/model/types';

function convert(
  version: OpenApiVersion,
  schema: unknown,
  components: Record<string, unknown> = {},
): { out: JsonSchema; defs: Record<string, JsonSchema>; diagnostics: Diagnostics } {
  const doc =
    version === '2.0'
      ? { swagger: '2.0', definitions: components }
      : { openapi: '3', components: { schemas: components } };
  const diagnostics = new Diagnostics('test.yaml');
  const converter = new SchemaConverter(doc, version, diagnostics);
  const out = converter.convert(schema, '/x');
  return { out, defs: converter.schemas(), diagnostics };
}

describe('contract: schema conversion to JSON Schema 2020-12', () => {
  const cases: { name: string; version: OpenApiVersion; in: unknown; want: unknown }[] = [
    {
      name: '3.0 nullable type',
      version: '3.0',
      in: { type: 'string', nullable: true },
      want: { type: ['string', 'null'] },
    },
    {
      name: '3.0 nullable enum gets null',
      version: '3.0',
      in: { type: 'string', enum: ['a'], nullable: true },
      want: { type: ['string', 'null'], enum: ['a', null] },
    },
    {
      name: '3.0 nullable false dropped',
      version: '3.0',
      in: { type: 'integer', nullable: false },
      want: { type: 'integer' },
    },
    {
      name: '3.0 nullable composition wraps',
      version: '3.0',
      in: { description: 'd', nullable: true, allOf: [{ type: 'object' }] },
      want: { description: 'd', anyOf: [{ allOf: [{ type: 'object' }] }, { type: 'null' }] },
    },
    {
      name: 'boolean exclusiveMinimum',
      version: '3.0',
      in: { type: 'number', minimum: 0, exclusiveMinimum: true },
      want: { type: 'number', exclusiveMinimum: 0 },
    },
    {
      name: 'false exclusiveMaximum dropped',
      version: '3.0',
      in: { maximum: 9, exclusiveMaximum: false },
      want: { maximum: 9 },
    },
    {
      name: '3.1 numeric exclusiveMinimum kept',
      version: '3.1',
      in: { exclusiveMinimum: 0 },
      want: { exclusiveMinimum: 0 },
    },
    {
      name: 'example becomes examples',
      version: '3.0',
      in: { type: 'string', example: 'x' },
      want: { type: 'string', examples: ['x'] },
    },
    {
      name: '3.1 examples array kept',
      version: '3.1',
      in: { type: ['string', 'null'], examples: ['a', null] },
      want: { type: ['string', 'null'], examples: ['a', null] },
    },
    {
      name: '3.0 examples map dropped',
      version: '3.0',
      in: { type: 'string', examples: { a: 1 } },
      want: { type: 'string' },
    },
    {
      name: 'swagger file',
      version: '2.0',
      in: { type: 'file' },
      want: { type: 'string', format: 'binary' },
    },
    {
      name: 'swagger x-nullable',
      version: '2.0',
      in: { type: 'integer', 'x-nullable': true },
      want: { type: ['integer', 'null'] },
    },
    {
      name: 'swagger discriminator string kept',
      version: '2.0',
      in: { type: 'object', discriminator: 'kind' },
      want: { type: 'object', discriminator: 'kind' },
    },
    {
      name: 'tuple items → prefixItems',
      version: '3.0',
      in: { items: [{ type: 'string' }], additionalItems: false },
      want: { prefixItems: [{ type: 'string' }], items: false },
    },
    {
      name: 'readOnly/writeOnly kept',
      version: '3.0',
      in: { type: 'string', readOnly: true, writeOnly: false },
      want: { type: 'string', readOnly: true, writeOnly: false },
    },
    { name: 'const kept (3.1)', version: '3.1', in: { const: 'circle' }, want: { const: 'circle' } },
    {
      name: 'identifiers dropped',
      version: '3.1',
      in: { $id: 'https://x', $schema: 'https://y', $anchor: 'a', type: 'object' },
      want: { type: 'object' },
    },
    {
      name: 'boolean required dropped',
      version: '2.0',
      in: { type: 'string', required: true },
      want: { type: 'string' },
    },
    {
      name: 'dependencies split',
      version: '3.0',
      in: { dependencies: { a: ['b'], c: { required: ['d'] } } },
      want: { dependentRequired: { a: ['b'] }, dependentSchemas: { c: { required: ['d'] } } },
    },
    { name: 'boolean schema', version: '3.1', in: false, want: false },
    {
      name: 'x- extensions kept',
      version: '3.0',
      in: { type: 'string', 'x-internal': true },
      want: { type: 'string', 'x-internal': true },
    },
    {
      name: 'nested schema keywords converted',
      version: '3.0',
      in: {
        properties: { a: { type: 'string', nullable: true } },
        additionalProperties: { type: 'integer', nullable: true },
        not: { type: 'string', example: 1 },
      },
      want: {
        properties: { a: { type: ['string', 'null'] } },
        additionalProperties: { type: ['integer', 'null'] },
        not: { type: 'string', examples: [1] },
      },
    },
    {
      name: 'examples values are not converted',
      version: '3.0',
      in: { example: { nullable: true, $ref: '#/nope' } },
      want: { examples: [{ nullable: true, $ref: '#/nope' }] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(convert(c.version, c.in).out, c.want);
    });
  }

  it('rewrites component refs to #/$defs/<name> and collects the targets', () => {
    const { out, defs } = convert(
      '3.0',
      { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
      {
        Pet: { type: 'object', properties: { owner: { $ref: '#/components/schemas/Owner' } } },
        Owner: { type: 'object', nullable: true },
        Unused: { type: 'string' },
      },
    );
    assert.deepEqual(out, { type: 'array', items: { $ref: '#/$defs/Pet' } });
    assert.deepEqual(defs, {
      Owner: { type: ['object', 'null'] },
      Pet: { type: 'object', properties: { owner: { $ref: '#/$defs/Owner' } } },
    });
  });

  it('swagger definitions and nullable $ref siblings', () => {
    const { out, defs } = convert(
      '2.0',
      { $ref: '#/definitions/Tag', 'x-nullable': true, description: 'kept' },
      { Tag: { type: 'string' } },
    );
    assert.deepEqual(out, { description: 'kept', anyOf: [{ $ref: '#/$defs/Tag' }, { type: 'null' }] });
    assert.deepEqual(defs, { Tag: { type: 'string' } });
  });

  it('3.0 ignores validation siblings of $ref, 3.1 keeps them', () => {
    const schema = { $ref: '#/components/schemas/S', maxLength: 3, description: 'd' };
    assert.deepEqual(convert('3.0', schema, { S: { type: 'string' } }).out, {
      description: 'd',
      $ref: '#/$defs/S',
    });
    assert.deepEqual(convert('3.1', schema, { S: { type: 'string' } }).out, {
      maxLength: 3,
      description: 'd',
      $ref: '#/$defs/S',
    });
  });

  it('recursive and mutually recursive schemas terminate', () => {
    const { defs } = convert(
      '3.0',
      { $ref: '#/components/schemas/A' },
      {
        A: {
          properties: { b: { $ref: '#/components/schemas/B' }, self: { $ref: '#/components/schemas/A' } },
        },
        B: { items: { $ref: '#/components/schemas/A' } },
      },
    );
    assert.deepEqual(defs, {
      A: { properties: { b: { $ref: '#/$defs/B' }, self: { $ref: '#/$defs/A' } } },
      B: { items: { $ref: '#/$defs/A' } },
    });
  });

  it('refs into the middle of schemas get readable, unique names', () => {
    const { out, defs } = convert(
      '3.0',
      {
        allOf: [
          { $ref: '#/components/schemas/Pet/properties/tag' },
          { $ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema' },
        ],
      },
      { Pet: { properties: { tag: { type: 'string' } } }, 'Pet.properties.tag': { type: 'integer' } },
    );
    assert.deepEqual(out, {
      allOf: [
        { $ref: '#/$defs/Pet.properties.tag_2' },
        { $ref: '#/$defs/paths.pets.get.responses.200.content.application_json.schema' },
      ],
    });
    assert.deepEqual(Object.keys(defs).sort(), [
      'Pet.properties.tag_2',
      'paths.pets.get.responses.200.content.application_json.schema',
    ]);
  });

  it('component names are sanitised to [A-Za-z0-9_.-]+ and de-duplicated', () => {
    const { out, defs } = convert(
      '3.0',
      {
        anyOf: [
          { $ref: '#/components/schemas/My%20Pet' },
          { $ref: '#/components/schemas/My_Pet' },
          { $ref: '#/components/schemas/a~1b' },
        ],
      },
      {
        'My Pet': { type: 'string' },
        My_Pet: { type: 'integer' },
        'a/b': { type: 'boolean' },
      },
    );
    assert.deepEqual(out, {
      anyOf: [{ $ref: '#/$defs/My_Pet' }, { $ref: '#/$defs/My_Pet_2' }, { $ref: '#/$defs/a_b' }],
    });
    assert.deepEqual(defs, {
      My_Pet: { type: 'string' },
      My_Pet_2: { type: 'integer' },
      a_b: { type: 'boolean' },
    });
  });

  it('discriminator mappings become #/$defs refs', () => {
    const { out } = convert(
      '3.0',
      {
        oneOf: [{ $ref: '#/components/schemas/Cat' }],
        discriminator: {
          propertyName: 'kind',
          mapping: { cat: '#/components/schemas/Cat', dog: 'Dog', x: 'https://elsewhere' },
        },
      },
      {
        Cat: { type: 'object' },
        Dog: { type: 'object' },
      },
    );
    assert.deepEqual((out as { discriminator: unknown }).discriminator, {
      propertyName: 'kind',
      mapping: { cat: '#/$defs/Cat', dog: '#/$defs/Dog', x: 'https://elsewhere' },
    });
  });

  it('broken schemas degrade to "anything" with a diagnostic', () => {
    const { out, diagnostics } = convert('3.0', {
      properties: { a: 'string', b: { type: 'date' } },
      allOf: {},
    });
    assert.deepEqual(out, { properties: { a: {}, b: {} } });
    assert.deepEqual(
      diagnostics.list.map((d) => [d.code, d.pointer]),
      [
        ['invalid-schema', '/x/properties/a'],
        ['invalid-schema', '/x/properties/b/type'],
        ['invalid-schema', '/x/allOf'],
      ],
    );
  });

  it('names from pointers and external refs', () => {
    assert.equal(readableName('/components/schemas/Pet', '3.0'), 'Pet');
    assert.equal(readableName('/definitions/io.k8s.api.Pod', '2.0'), 'io.k8s.api.Pod');
    assert.equal(
      readableName('/paths/~1pets~1{id}/get/parameters/0/schema', '3.0'),
      'paths.pets_id.get.parameters.0.schema',
    );
    assert.equal(readableName('', '3.0'), 'schema');
    assert.equal(nameFromRef('./schemas/money.yaml#/Money'), 'Money');
    assert.equal(nameFromRef('../common/error.json'), 'error');
  });
});
