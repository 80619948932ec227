import * as assert from 'node:assert/strict';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { generateValue, repairValue, SharedDefsCompiler } from '../../templates/runtime/core/fake';
import type { Defs, JsonSchema } from '../../templates/runtime/core/types';

const defs: Defs = {
  Pet: {
    type: 'object',
    required: ['id', 'name', 'petType'],
    properties: {
      id: { type: 'integer', format: 'int64', readOnly: true },
      name: { type: 'string', minLength: 1 },
      petType: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    },
    discriminator: { propertyName: 'petType' },
  },
  Cat: {
    allOf: [
      { $ref: '#/$defs/Pet' },
      // required, so that a Dog does not also match Cat (oneOf means exactly one)
      {
        type: 'object',
        required: ['huntingSkill'],
        properties: { huntingSkill: { type: 'string', enum: ['lazy', 'aggressive'] } },
      },
    ],
  },
  Dog: {
    allOf: [
      { $ref: '#/$defs/Pet' },
      {
        type: 'object',
        required: ['packSize'],
        properties: { packSize: { type: 'integer', minimum: 0, maximum: 20 } },
      },
    ],
  },
  Node: {
    type: 'object',
    required: ['value', 'children'],
    properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
  },
  // required recursion: only satisfiable through null
  Chain: {
    type: 'object',
    required: ['next'],
    properties: { next: { anyOf: [{ $ref: '#/$defs/Chain' }, { type: 'null' }] } },
  },
  Account: {
    type: 'object',
    required: ['id', 'password', 'email'],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      email: { type: 'string', format: 'email' },
      password: { type: 'string', writeOnly: true, minLength: 8 },
    },
    additionalProperties: false,
  },
  Card: {
    type: 'object',
    required: ['kind', 'last4'],
    properties: { kind: { const: 'card' }, last4: { type: 'string', pattern: '^[0-9]{4}$' } },
  },
  Bank: {
    type: 'object',
    required: ['kind', 'iban'],
    properties: {
      kind: { const: 'bank' },
      iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,16}$' },
    },
  },
  Basic: { type: 'object', properties: { message: { type: 'string' }, url: { type: 'string' } } },
  Detailed: {
    type: 'object',
    required: ['message', 'code'],
    properties: { message: { type: 'string' }, code: { type: 'integer' } },
  },
};

const petUnion: JsonSchema = {
  oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }],
  discriminator: { propertyName: 'petType', mapping: { cat: '#/$defs/Cat', dog: '#/$defs/Dog' } },
};

/** Tricky schemas; every generated value must validate (checked with the plain SchemaCompiler). */
const TRICKY: [string, JsonSchema][] = [
  ['allOf + oneOf + discriminator', petUnion],
  [
    'allOf merged with sibling properties',
    { allOf: [{ $ref: '#/$defs/Pet' }, { required: ['tags'] }], properties: { extra: { type: 'boolean' } } },
  ],
  ['oneOf by const', { oneOf: [{ $ref: '#/$defs/Card' }, { $ref: '#/$defs/Bank' }] }],
  ['oneOf whose branches overlap', { oneOf: [{ $ref: '#/$defs/Basic' }, { $ref: '#/$defs/Detailed' }] }],
  ['recursive tree', { $ref: '#/$defs/Node' }],
  ['required recursion through anyOf null', { $ref: '#/$defs/Chain' }],
  ['pattern', { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' }],
  ['unanchored pattern with lengths', { type: 'string', pattern: '[a-z]+', minLength: 5, maxLength: 8 }],
  [
    'formats',
    {
      type: 'object',
      required: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'],
      properties: {
        a: { type: 'string', format: 'email' },
        b: { type: 'string', format: 'uuid' },
        c: { type: 'string', format: 'date-time' },
        d: { type: 'string', format: 'date' },
        e: { type: 'string', format: 'time' },
        f: { type: 'string', format: 'uri' },
        g: { type: 'string', format: 'hostname' },
        h: { type: 'string', format: 'ipv4' },
        i: { type: 'string', format: 'ipv6' },
        j: { type: 'string', format: 'byte' },
        k: { type: 'string', format: 'binary' },
        l: { type: 'string', format: 'duration' },
      },
    },
  ],
  [
    'nullable type arrays',
    {
      type: 'object',
      required: ['a', 'b'],
      properties: {
        a: { type: ['string', 'null'], maxLength: 3 },
        b: { type: ['null', 'integer'], minimum: 5 },
      },
    },
  ],
  ['additionalProperties false', { $ref: '#/$defs/Account' }],
  [
    'enum and const',
    {
      type: 'object',
      required: ['e', 'c'],
      properties: { e: { enum: ['a', 'b', null] }, c: { const: { x: [1, 2] } } },
    },
  ],
  [
    'minItems + uniqueItems of a small enum',
    { type: 'array', minItems: 3, uniqueItems: true, items: { enum: ['x', 'y', 'z'] } },
  ],
  [
    'integer formats',
    {
      type: 'object',
      required: ['a', 'b'],
      properties: {
        a: { type: 'integer', format: 'int32' },
        b: { type: 'integer', format: 'int64', minimum: 9007199254740000 },
      },
    },
  ],
  [
    'exclusive bounds and multipleOf',
    {
      type: 'object',
      required: ['a', 'b', 'c'],
      properties: {
        a: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        b: { type: 'integer', exclusiveMinimum: 10, maximum: 11 },
        c: { type: 'number', multipleOf: 0.01, minimum: 1, maximum: 2 },
      },
    },
  ],
  [
    'map with additionalProperties schema',
    { type: 'object', additionalProperties: { type: 'integer' }, minProperties: 2 },
  ],
  [
    'patternProperties, closed',
    {
      type: 'object',
      patternProperties: { '^x-[a-z]+$': { type: 'string' } },
      additionalProperties: false,
      minProperties: 1,
    },
  ],
  [
    'prefixItems',
    { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false, minItems: 2 },
  ],
  [
    'dependentRequired',
    {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      required: ['a'],
      dependentRequired: { a: ['b'] },
    },
  ],
  ['not', { type: 'string', not: { const: 'forbidden' } }],
  ['true', true],
  ['empty', {}],
  [
    'unknown keywords',
    {
      type: 'object',
      'x-whatever': 1,
      xml: { name: 'pet' },
      properties: { a: { type: 'string', 'x-go-type': 'string' } },
    },
  ],
  ['broken regex', { type: 'string', pattern: '([a-z' }],
  ['missing ref', { $ref: '#/$defs/DoesNotExist' }],
];

describe('data: generateValue', () => {
  const check = new SchemaCompiler(defs);

  for (const [name, schema] of TRICKY) {
    it(`generates valid data: ${name}`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const value = generateValue(schema, defs, { seed });
        const validate = check.compile(schema);
        assert.ok(
          validate(value),
          `seed ${seed}: ${JSON.stringify(value)} ${JSON.stringify(validate.errors)}`,
        );
        assert.doesNotThrow(() => JSON.stringify(value));
      }
    });
  }

  // AWS contracts (APIs.guru): an unanchored `+` pattern with exact lengths randexp rarely meets by chance
  for (const schema of [
    { type: 'string', pattern: '[0-9a-fA-F]+', minLength: 32, maxLength: 32 },
    { type: 'string', pattern: '^[A-Z]+$', minLength: 20, maxLength: 24 },
    { type: 'string', pattern: '[a-z0-9]*', minLength: 40 },
  ]) {
    it(`generates a string matching both pattern and length: ${JSON.stringify(schema)}`, () => {
      const validate = check.compile(schema);
      for (let seed = 1; seed <= 6; seed++) {
        const value = generateValue(schema, defs, { seed });
        assert.ok(validate(value), `seed ${seed}: ${JSON.stringify(value)}`);
      }
    });
  }

  it('is deterministic: same seed gives the same value whatever ran before', () => {
    const first = generateValue(petUnion, defs, { seed: 7 });
    for (const [, schema] of TRICKY) generateValue(schema, defs, { seed: 99 });
    assert.deepEqual(generateValue(petUnion, defs, { seed: 7 }), first);
    assert.deepEqual(
      generateValue(petUnion, defs, { seed: 'abc' }),
      generateValue(petUnion, defs, { seed: 'abc' }),
    );
  });

  it('differs between seeds', () => {
    const values = new Set(
      [1, 2, 3, 4, 5].map((seed) => JSON.stringify(generateValue({ $ref: '#/$defs/Dog' }, defs, { seed }))),
    );
    assert.ok(values.size >= 4, `only ${values.size} distinct values`);
  });

  it('sets the discriminator consistently with the chosen branch', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const value = generateValue(petUnion, defs, { seed }) as Record<string, unknown>;
      if (value.petType === 'dog') assert.equal(typeof value.packSize, 'number');
      else {
        assert.equal(value.petType, 'cat');
        assert.ok(!('packSize' in value) && typeof value.huntingSkill === 'string');
      }
    }
    // inheritance: a Dog generated on its own names itself
    assert.equal(
      (generateValue({ $ref: '#/$defs/Dog' }, defs, { seed: 1 }) as Record<string, unknown>).petType,
      'Dog',
    );
  });

  it('omits readOnly in requests and writeOnly in responses, even when required', () => {
    const request = generateValue({ $ref: '#/$defs/Account' }, defs, {
      seed: 1,
      direction: 'request',
    }) as Record<string, unknown>;
    assert.ok(!('id' in request) && typeof request.password === 'string');
    const response = generateValue({ $ref: '#/$defs/Account' }, defs, {
      seed: 1,
      direction: 'response',
    }) as Record<string, unknown>;
    assert.ok(typeof response.id === 'string' && !('password' in response));
  });

  it('keeps arrays small unless minItems asks for more', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const list = generateValue({ type: 'array', items: { type: 'integer' } }, defs, { seed }) as unknown[];
      assert.ok(list.length >= 1 && list.length <= 3, String(list.length));
    }
    const long = generateValue(
      { type: 'array', minItems: 7, maxItems: 8, items: { type: 'integer' } },
      defs,
      { seed: 1 },
    );
    assert.ok((long as unknown[]).length >= 7 && (long as unknown[]).length <= 8);
  });

  it('uses property names for realistic values when the schema leaves them open', () => {
    const value = generateValue(
      {
        type: 'object',
        required: ['email', 'currency', 'createdAt', 'website', 'phone', 'firstName'],
        properties: {
          email: { type: 'string' },
          currency: { type: 'string' },
          createdAt: { type: 'string' },
          website: { type: 'string' },
          phone: { type: 'string' },
          firstName: { type: 'string', maxLength: 2 },
        },
      },
      defs,
      { seed: 3 },
    ) as Record<string, string>;
    assert.match(value.email, /^[^@\s]+@[^@\s]+\.[a-z]+$/);
    assert.match(value.currency, /^[A-Z]{3}$/);
    assert.match(value.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(value.website, /^https:\/\//);
    assert.match(value.phone, /^\+\d/);
    assert.ok(value.firstName.length <= 2, 'the heuristic yields to maxLength');
  });

  it('prefers pooled values that validate', () => {
    const schema: JsonSchema = { $ref: '#/$defs/Pet' };
    const pools = { '#/$defs/Pet/name': ['Rex', 'Fido'], petType: [42, 'dog'] };
    for (let seed = 1; seed <= 5; seed++) {
      const value = generateValue(schema, defs, { seed, pools }) as Record<string, unknown>;
      assert.ok(['Rex', 'Fido'].includes(value.name as string));
      assert.equal(value.petType, 'dog', 'the pooled number is not a valid petType');
    }
  });

  it('bounds huge and deeply recursive schemas quickly', () => {
    const wide: Defs = {};
    for (let i = 0; i < 60; i++) {
      const properties: Record<string, JsonSchema> = {};
      for (let j = 0; j < 30; j++)
        properties[`p${j}`] = j % 3 === 1 ? { $ref: `#/$defs/S${(i + j) % 60}` } : { type: 'string' };
      wide[`S${i}`] = { type: 'object', properties, required: ['p0'] };
    }
    const started = Date.now();
    const value = generateValue({ $ref: '#/$defs/S0' }, wide, { seed: 1 });
    assert.ok(Date.now() - started < 5000);
    assert.ok(new SchemaCompiler(wide).compile({ $ref: '#/$defs/S0' })(value));
  });

  it('generates from patterns with huge repetition bounds (corpus: seldon `^.{1,2097152}`)', () => {
    for (const pattern of ['^.{1,2097152}', '^[a-z]{3,100000}-\\d{2,9999}$', '^x\\{1,99999}$']) {
      const schema: JsonSchema = { type: 'string', pattern };
      const value = generateValue(schema, defs, { seed: 3 });
      assert.equal(typeof value, 'string');
      assert.ok((value as string).length < 1000, `${pattern}: ${String(value).length} characters`);
      assert.ok(new SchemaCompiler(defs).compile(schema)(value), `${pattern}: ${String(value)}`);
    }
  });

  it('never throws on unsatisfiable schemas', () => {
    assert.doesNotThrow(() => generateValue(false, defs, { seed: 1 }));
    assert.doesNotThrow(() =>
      generateValue({ type: 'string', minLength: 5, maxLength: 2 }, defs, { seed: 1 }),
    );
    assert.doesNotThrow(() =>
      generateValue({ allOf: [{ type: 'string' }, { type: 'integer' }] }, defs, { seed: 1 }),
    );
  });
});

describe('data: unsatisfiable members', () => {
  // corpus: gov.bc.ca `{type: integer, enum: ['Full-Time', ...]}`, AWS iotwireless `pattern: ...$\{1,4096\}`
  const unsatisfiable: Defs = {
    JobTypeID: { type: 'integer', enum: ['Full-Time', 'Part-Time'] },
    JobType: {
      type: 'object',
      required: ['Caption'],
      properties: { Caption: { type: 'string' }, ID: { $ref: '#/$defs/JobTypeID' } },
    },
    Endpoint: {
      type: 'object',
      properties: {
        ServiceType: { type: 'string', enum: ['LNS', 'CUPS'] },
        ServerTrust: { type: 'string', pattern: '[^-A-Za-z0-9]\\|=$\\{1,4096\\}', minLength: 1 },
      },
    },
  };
  const check = new SchemaCompiler(unsatisfiable);

  it('leaves out optional properties no value satisfies, so the rest validates', () => {
    for (const seed of [1, 2, 3]) {
      const jobs = generateValue({ type: 'array', items: { $ref: '#/$defs/JobType' } }, unsatisfiable, {
        seed,
      });
      assert.ok(
        check.compile({ type: 'array', items: { $ref: '#/$defs/JobType' } })(jobs),
        JSON.stringify(jobs),
      );
      const endpoint = generateValue({ $ref: '#/$defs/Endpoint' }, unsatisfiable, { seed }) as Record<
        string,
        unknown
      >;
      assert.ok(check.compile({ $ref: '#/$defs/Endpoint' })(endpoint), JSON.stringify(endpoint));
      assert.ok(!('ServerTrust' in endpoint));
    }
  });

  it('repairs an example by leaving out what cannot be repaired', () => {
    const result = repairValue(
      { Caption: 'Casual', ID: 'Casual' },
      { $ref: '#/$defs/JobType' },
      unsatisfiable,
      {
        seed: 1,
      },
    );
    assert.deepEqual(result.value, { Caption: 'Casual' });
  });

  it('keeps a required member whose own optional property no value satisfies, without that property', () => {
    // corpus: vimeo `video.user` (required, `anyOf: [user, null]`), `user.content_filter` an array with string enum
    const defs: Defs = {
      user: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          content_filter: { type: 'array', items: { type: 'string' }, enum: ['drugs', 'safe'] },
        },
      },
      folder: {
        type: 'object',
        required: ['user'],
        properties: { user: { anyOf: [{ allOf: [{ $ref: '#/$defs/user' }] }, { type: 'null' }] } },
      },
      video: {
        type: 'object',
        required: ['name', 'user'],
        properties: {
          name: { type: 'string' },
          user: { anyOf: [{ allOf: [{ $ref: '#/$defs/user' }] }, { type: 'null' }] },
          parent_folder: { anyOf: [{ allOf: [{ $ref: '#/$defs/folder' }] }, { type: 'null' }] },
        },
      },
    };
    const valid = new SchemaCompiler(defs).compile({ $ref: '#/$defs/video' });
    for (const seed of [1, 2, 3]) {
      const video = generateValue({ $ref: '#/$defs/video' }, defs, { seed }) as Record<string, unknown>;
      assert.ok(valid(video), `${JSON.stringify(valid.errors)} ${JSON.stringify(video)}`);
      assert.ok('user' in video);
    }
  });

  it('keeps a required unsatisfiable property (nothing better exists)', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['ID'],
      properties: { ID: { $ref: '#/$defs/JobTypeID' } },
    };
    const value = generateValue(schema, unsatisfiable, { seed: 1 }) as Record<string, unknown>;
    assert.ok('ID' in value);
  });
});

describe('data: oneOf with overlapping open branches', () => {
  // corpus: peertube `oneOf: [User, UserWithStats]` (UserWithStats = allOf User + counts),
  // just-eat `oneOf` of three objects without required properties
  const overlapping: Defs = {
    User: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
    UserWithStats: {
      allOf: [{ $ref: '#/$defs/User' }, { type: 'object', properties: { videosCount: { type: 'integer' } } }],
    },
    Search: { type: 'object', properties: { Restaurants: { type: 'array' }, area: { type: 'string' } } },
    External: { type: 'object', properties: { Restaurants: { type: 'array' } } },
    Web: { type: 'object', properties: { Open: { type: 'array' }, Closed: { type: 'array' } } },
    // peertube again: a pattern written with JavaScript's slashes, which no string matches
    Member: { type: 'object', properties: { username: { type: 'string', pattern: '/^[a-z0-9._]+$/' } } },
    MemberWithStats: {
      allOf: [{ $ref: '#/$defs/Member' }, { properties: { videosCount: { type: 'integer' } } }],
    },
  };
  const check = new SchemaCompiler(overlapping);
  const schemas: JsonSchema[] = [
    { oneOf: [{ $ref: '#/$defs/User' }, { $ref: '#/$defs/UserWithStats' }] },
    { oneOf: [{ $ref: '#/$defs/Search' }, { $ref: '#/$defs/External' }, { $ref: '#/$defs/Web' }] },
    { oneOf: [{ $ref: '#/$defs/Member' }, { $ref: '#/$defs/MemberWithStats' }] },
  ];
  for (const [i, schema] of schemas.entries()) {
    it(`gives an object exactly one branch accepts (${i + 1})`, () => {
      for (const seed of [1, 2, 3, 4]) {
        const value = generateValue(schema, overlapping, { seed });
        assert.ok(check.compile(schema)(value), JSON.stringify(value));
      }
    });
  }
});

describe('data: repairValue', () => {
  const check = new SchemaCompiler(defs);
  const cases: [string, JsonSchema, unknown, (value: Record<string, unknown>) => void][] = [
    [
      'keeps valid parts, fixes the wrong type, fills required',
      { $ref: '#/$defs/Dog' },
      { id: 'seven', name: 'Rex', petType: 'Dog', tags: ['a'] },
      (v) => {
        assert.equal(v.name, 'Rex');
        assert.deepEqual(v.tags, ['a']);
        assert.equal(typeof v.id, 'number');
        assert.equal(typeof v.packSize, 'number');
      },
    ],
    [
      'drops properties additionalProperties:false forbids',
      { $ref: '#/$defs/Account' },
      {
        id: 'a8098c1a-f86e-11da-bd1a-00112444be1e',
        email: 'x@example.com',
        password: 'longenough',
        nickname: 'x',
      },
      (v) => {
        assert.ok(!('nickname' in v));
        assert.equal(v.email, 'x@example.com');
      },
    ],
    [
      'coerces numeric strings and replaces values outside an enum',
      { type: 'object', properties: { price: { type: 'number' }, size: { enum: ['S', 'M'] } } },
      { price: '12.5', size: 'XL' },
      (v) => {
        assert.equal(v.price, 12.5);
        assert.ok(['S', 'M'].includes(v.size as string));
      },
    ],
    [
      'follows the discriminator of the value',
      petUnion,
      { petType: 'dog', name: 'Rex' },
      (v) => {
        assert.equal(v.petType, 'dog');
        assert.equal(v.name, 'Rex');
        assert.equal(typeof v.packSize, 'number');
      },
    ],
  ];
  for (const [name, schema, input, expect] of cases) {
    it(name, () => {
      const result = repairValue(input, schema, defs, { seed: 1 });
      assert.equal(result.repaired, true);
      assert.ok(result.errors.length > 0);
      assert.ok(check.compile(schema)(result.value), JSON.stringify(result.value));
      expect(result.value as Record<string, unknown>);
    });
  }

  it('reports the failing instance path and reason', () => {
    const result = repairValue(
      { price: 'cheap' },
      { type: 'object', properties: { price: { type: 'number' } } },
      defs,
      {
        seed: 1,
      },
    );
    assert.deepEqual(result.errors, ['/price must be number']);
  });

  it('leaves valid values untouched', () => {
    const value = { id: 1, name: 'Rex', petType: 'Dog', packSize: 3 };
    const result = repairValue(value, { $ref: '#/$defs/Dog' }, defs, { seed: 1 });
    assert.deepEqual(result, { value, repaired: false, errors: [] });
  });

  it('accepts a response example without its required writeOnly property', () => {
    const result = repairValue(
      { id: 'a8098c1a-f86e-11da-bd1a-00112444be1e', email: 'x@example.com' },
      { $ref: '#/$defs/Account' },
      defs,
      {
        seed: 1,
        direction: 'response',
      },
    );
    assert.equal(result.repaired, false);
  });
});

describe('data: SharedDefsCompiler', () => {
  it('validates like SchemaCompiler', () => {
    const shared = new SharedDefsCompiler(defs);
    const plain = new SchemaCompiler(defs);
    const samples: [JsonSchema, unknown][] = [
      [petUnion, { petType: 'dog', id: 1, name: 'a', packSize: 1 }],
      [petUnion, { petType: 'dog', id: 1, name: '', packSize: 1 }],
      [{ $ref: '#/$defs/Node' }, { value: 'a', children: [{ value: 'b', children: [] }] }],
      [{ $ref: '#/$defs/Node' }, { value: 'a', children: [{ value: 2, children: [] }] }],
      [{ type: 'array', items: { $ref: '#/$defs/Pet' } }, [{ id: 1, name: 'a', petType: 'x' }, { id: 1 }]],
    ];
    for (const [schema, value] of samples)
      assert.equal(shared.compile(schema)(value), plain.compile(schema)(value));
  });
});
