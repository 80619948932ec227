import * as assert from 'node:assert/strict';
import { POOL_CAP, learnValuePools } from '../../src/derive/value-pools';
import { contract, exchange, makeJwt, op, response } from './dynamic-helpers';

const schemas = {
  Category: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
  NewPet: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      status: { type: 'string', enum: ['available', 'sold'] },
      category: { $ref: '#/$defs/Category' },
    },
  },
  Pet: { allOf: [{ $ref: '#/$defs/NewPet' }, { type: 'object', properties: { id: { type: 'integer' } } }] },
  Cat: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { const: 'cat' }, meow: { type: 'string' } },
  },
  Dog: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { const: 'dog' }, bark: { type: 'string' } },
  },
};

describe('value pools: learnValuePools', () => {
  const listPets = op('get', '/pets', {
    responses: [
      response('200', { type: 'array', items: { $ref: '#/$defs/Pet' } }),
      response('default', { type: 'object' }),
    ],
  });
  const getAnimal = op('get', '/animals/{id}', {
    responses: [response('200', { oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }] })],
  });

  it('collects values per named schema property and per bare property name', () => {
    const matched = [
      exchange(listPets, '/pets', {
        responseBody: [
          { id: 1, name: 'Rex', status: 'available', category: { id: 7, name: 'Dogs' }, tags: ['x', 'y'] },
          { id: 2, name: 'Tom', status: 'sold', category: { id: 7, name: 'Dogs' } },
          { id: 3, name: 'Rex', status: 'available', flag: true, nothing: null },
        ],
      }),
      exchange(getAnimal, '/animals/1', { responseBody: { kind: 'dog', bark: 'Woof' } }),
      exchange(listPets, '/pets', { status: 500, responseBody: { message: 'boom' } }),
    ];
    const pools = learnValuePools(contract([listPets, getAnimal], schemas), matched);
    assert.deepEqual(pools, {
      '#/$defs/Category/id': [7],
      '#/$defs/Category/name': ['Dogs'],
      '#/$defs/Dog/bark': ['Woof'],
      '#/$defs/Dog/kind': ['dog'],
      '#/$defs/NewPet/name': ['Rex', 'Tom'],
      '#/$defs/NewPet/status': ['available', 'sold'],
      '#/$defs/Pet/id': [1, 2, 3],
      '#/$defs/Pet/name': ['Rex', 'Tom'],
      '#/$defs/Pet/status': ['available', 'sold'],
      bark: ['Woof'],
      id: [1, 7, 2, 3],
      kind: ['dog'],
      message: ['boom'],
      name: ['Rex', 'Dogs', 'Tom'],
      status: ['available', 'sold'],
    });
    assert.deepEqual(Object.keys(pools), Object.keys(pools).sort(), 'keys sorted');
  });

  it('skips tokens, secrets, JWTs and per-response ids; caps each pool', () => {
    const getThing = op('get', '/things');
    const many = Array.from({ length: POOL_CAP + 10 }, (_, i) => ({ label: `label-${i}` }));
    const matched = [
      exchange(getThing, '/things', {
        responseBody: {
          access_token: 'at_abcdefghijklmnop',
          refreshToken: 'rt_abcdefghijklmnop',
          client_secret: 'secret-value-1234',
          password: 'hunter2',
          request_id: 'req_123456789',
          note: makeJwt({ sub: 'x' }),
          auth: 'Bearer abc.def.ghi',
          huge: 'x'.repeat(5000),
          items: many,
        },
      }),
    ];
    const pools = learnValuePools(contract([getThing]), matched);
    assert.deepEqual(Object.keys(pools), ['label']);
    assert.equal(pools.label.length, POOL_CAP);
    assert.equal(pools.label[0], 'label-0');
  });

  it('is deterministic', () => {
    const build = () => [
      exchange(listPets, '/pets', {
        responseBody: [
          { id: 2, name: 'B' },
          { id: 1, name: 'A' },
        ],
      }),
    ];
    const c = contract([listPets], schemas);
    assert.deepEqual(learnValuePools(c, build()), learnValuePools(c, build()));
    assert.deepEqual(learnValuePools(c, build()).name, ['B', 'A'], 'first seen first');
  });
});
