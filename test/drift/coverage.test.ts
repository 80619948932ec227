import { strict as assert } from 'node:assert';
import { checkExchanges } from '../../src/drift/check-drift';
import {
  checkMinimums,
  COVERAGE_LIMITS,
  coverageIndex,
  describeFailedThresholds,
  parseMinCoverage,
  ratio,
  type Coverage,
  type CoverageMinimums,
} from '../../src/drift/coverage';
import { isMockgenError } from '../../src/errors';
import type { Contract, JsonSchema } from '../../src/model/types';
import { contract, exchange, type ExchangeInit, jsonResponse, operation, param } from './helpers';

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

function petsContract(): Contract {
  return contract(
    [
      operation('get', '/pets', {
        id: 'listPets',
        parameters: [
          param('limit', 'query', { type: 'integer' }),
          param('status', 'query', { type: 'string' }),
          param('X-Trace', 'header', { type: 'string' }),
        ],
        responses: [
          jsonResponse('200', { type: 'array', items: ref('Pet') }),
          jsonResponse('4XX', ref('Error')),
          jsonResponse('default', ref('Error')),
        ],
      }),
      operation('get', '/pets/{petId}', {
        id: 'getPet',
        parameters: [param('petId', 'path', { type: 'integer' })],
        responses: [jsonResponse('200', ref('Pet')), jsonResponse('404', ref('Error'))],
      }),
      operation('post', '/pets', {
        id: 'createPet',
        requestBody: {
          required: true,
          pointer: '/paths/~1pets/post/requestBody',
          content: [
            {
              mediaType: 'application/json',
              schema: { type: 'object', properties: { name: { type: 'string' }, tag: { type: 'string' } } },
              examples: [],
              pointer: '/paths/~1pets/post/requestBody/content/application~1json',
            },
          ],
        },
        responses: [jsonResponse('201', ref('Pet'))],
      }),
    ],
    {
      schemas: {
        Pet: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            owner: { type: 'object', properties: { email: { type: 'string' } } },
          },
        },
        Error: { type: 'object', properties: { message: { type: 'string' } } },
      },
    },
  );
}

const pet = { id: 1, name: 'Rex' };

function coverageOf(traffic: ExchangeInit[], c: Contract = petsContract()): Coverage {
  const result = checkExchanges(
    c,
    traffic.map((t, entry) => exchange({ ...t, entry })),
  );
  assert.ok(result.coverage, 'coverage is on by default');
  return result.coverage;
}

describe('drift coverage', () => {
  describe('what the traffic exercised', () => {
    const cases: {
      name: string;
      traffic: ExchangeInit[];
      totals: Record<'operations' | 'parameters' | 'responses' | 'properties', [number, number]>;
    }[] = [
      {
        name: 'no traffic: nothing covered, everything documented counted',
        traffic: [],
        // properties: GET /pets 200 (3+1 nested) + 4XX + default (1 each) = 6; getPet 4 + 1 = 5; createPet 2 + 4 = 6
        totals: { operations: [0, 3], parameters: [0, 4], responses: [0, 6], properties: [0, 17] },
      },
      {
        name: 'one list call with one parameter: the operation, limit, 200 and the item properties seen',
        traffic: [{ path: '/pets', query: [['limit', '5']], responseBody: [pet, { ...pet, owner: {} }] }],
        totals: { operations: [1, 3], parameters: [1, 4], responses: [1, 6], properties: [3, 17] },
      },
      {
        name: 'a 404 and a 500: the exact code and `default` are covered; the range is not',
        traffic: [
          { path: '/pets/1', status: 404, responseBody: { message: 'no' } },
          { path: '/pets', status: 500, responseBody: { message: 'boom' } },
        ],
        totals: { operations: [2, 3], parameters: [1, 4], responses: [2, 6], properties: [2, 17] },
      },
      {
        name: 'a 418 is answered by the 4XX range',
        traffic: [{ path: '/pets', status: 418, responseBody: { message: 'teapot' } }],
        totals: { operations: [1, 3], parameters: [0, 4], responses: [1, 6], properties: [1, 17] },
      },
      {
        name: 'request body properties and a header parameter',
        traffic: [
          { method: 'POST', path: '/pets', body: { name: 'Rex' }, status: 201, responseBody: pet },
          { path: '/pets', headers: [['X-Trace', 't-1']], responseBody: [] },
        ],
        totals: { operations: [2, 3], parameters: [1, 4], responses: [2, 6], properties: [3, 17] },
      },
      {
        name: 'drift still counts as exercised: an invalid value, an undocumented status, an unknown path',
        traffic: [{ path: '/pets/abc', status: 299, responseBody: pet }, { path: '/nowhere' }],
        totals: { operations: [1, 3], parameters: [1, 4], responses: [0, 6], properties: [0, 17] },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const coverage = coverageOf(c.traffic);
        for (const [dimension, [covered, total]] of Object.entries(c.totals)) {
          const got = coverage.totals[dimension as keyof typeof c.totals];
          assert.deepEqual([got.covered, got.total], [covered, total], dimension);
        }
      });
    }
  });

  it('per operation: hits per parameter, response and property; untested operations listed with zeros', () => {
    const coverage = coverageOf([
      { path: '/pets/1', responseBody: { ...pet, owner: { email: 'a@b.c' } } },
      { path: '/pets/2', responseBody: pet },
    ]);
    const get = coverage.operations.find((o) => o.operationId === 'getPet')!;
    assert.equal(get.operation, 'GET /pets/{petId}');
    assert.equal(get.entries, 2);
    assert.deepEqual(get.parameters, [{ in: 'path', name: 'petId', hits: 2 }]);
    assert.deepEqual(get.responses, [
      { status: '200', hits: 2 },
      { status: '404', hits: 0 },
    ]);
    assert.deepEqual(
      get.properties.map((p) => [p.body, p.pointer, p.hits]),
      [
        ['200', '/id', 2],
        ['200', '/name', 2],
        ['200', '/owner', 1],
        ['200', '/owner/email', 1],
        ['404', '/message', 0],
      ],
    );
    assert.deepEqual(get.propertiesCoverage, { covered: 4, total: 5, percent: 80 });
    const create = coverage.operations.find((o) => o.operationId === 'createPet')!;
    assert.equal(create.entries, 0);
    assert.deepEqual(create.responsesCoverage, { covered: 0, total: 1, percent: 0 });
  });

  it('property hits count entries, not array items', () => {
    const coverage = coverageOf([{ path: '/pets', responseBody: [pet, pet, pet] }]);
    const list = coverage.operations.find((o) => o.operationId === 'listPets')!;
    assert.deepEqual(
      list.properties.filter((p) => p.hits > 0).map((p) => [p.pointer, p.hits]),
      [
        ['/*/id', 1],
        ['/*/name', 1],
      ],
    );
  });

  it('compositions are merged, recursive schemas stop at the first repetition, huge ones are capped', () => {
    const node: JsonSchema = {
      type: 'object',
      properties: { value: { type: 'string' }, children: { type: 'array', items: ref('Node') } },
    };
    const wide: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: COVERAGE_LIMITS.propertiesPerBody + 50 }, (_, i) => [
          `p${i}`,
          { type: 'string' },
        ]),
      ),
    };
    const c = contract(
      [
        operation('get', '/tree', { responses: [jsonResponse('200', ref('Node'))] }),
        operation('get', '/either', {
          responses: [
            jsonResponse('200', {
              oneOf: [
                { type: 'object', properties: { cat: { type: 'boolean' }, name: { type: 'string' } } },
                {
                  allOf: [
                    { type: 'object', properties: { dog: { type: 'boolean' }, name: { type: 'string' } } },
                  ],
                },
              ],
            }),
          ],
        }),
        operation('get', '/wide', { responses: [jsonResponse('200', wide)] }),
      ],
      { schemas: { Node: node } },
    );
    const index = coverageIndex(c);
    assert.deepEqual(
      index.operations[0].properties.map((p) => p.pointer),
      ['/value', '/children'],
    );
    assert.deepEqual(
      index.operations[1].properties.map((p) => p.pointer),
      ['/cat', '/name', '/dog'],
    );
    assert.equal(index.operations[2].properties.length, COVERAGE_LIMITS.propertiesPerBody);
    const coverage = coverageOf(
      [{ path: '/tree', responseBody: { value: 'a', children: [{ value: 'b' }] } }],
      c,
    );
    assert.deepEqual(coverage.operations[0].propertiesCoverage, { covered: 2, total: 2, percent: 100 });
    assert.equal(coverage.operations[2].propertiesTruncated, true);
  });

  it('coverage: false counts nothing', () => {
    const result = checkExchanges(petsContract(), [exchange({ path: '/pets', responseBody: [] })], {
      coverage: false,
    });
    assert.equal(result.coverage, undefined);
  });

  describe('--min-coverage', () => {
    const parses: [string[], CoverageMinimums][] = [
      [['80'], { operations: 80 }],
      [['80%'], { operations: 80 }],
      [['0'], { operations: 0 }],
      [['100'], { operations: 100 }],
      [['operations=75.5'], { operations: 75.5 }],
      [['parameters=50,responses=60'], { parameters: 50, responses: 60 }],
      [['properties=10', 'operations=90'], { properties: 10, operations: 90 }],
    ];
    for (const [values, want] of parses) {
      it(`parses ${values.join(' ')}`, () => assert.deepEqual(parseMinCoverage(values), want));
    }
    for (const bad of ['abc', '101', '-5', '', 'lines=80', 'operations=', 'operations=1e2', '50,']) {
      it(`rejects '${bad}' naming the flag`, () => {
        assert.throws(
          () => parseMinCoverage([bad]),
          (err: unknown) => isMockgenError(err) && /--min-coverage/.test(err.message),
        );
      });
    }

    it('fails below the minimum, passes at it; nothing to cover passes', () => {
      const coverage: Coverage = {
        totals: {
          operations: ratio(2, 5),
          parameters: ratio(1, 2),
          responses: ratio(0, 0),
          properties: ratio(1, 3),
        },
        operations: [],
      };
      const results = checkMinimums(coverage, {
        operations: 40,
        parameters: 51,
        responses: 90,
        properties: 33.4,
      });
      assert.deepEqual(
        results.map((r) => [r.dimension, r.actual, r.passed]),
        [
          ['operations', 40, true],
          ['parameters', 50, false],
          ['responses', null, true],
          ['properties', 33.3, false],
        ],
      );
      assert.deepEqual(describeFailedThresholds({ ...coverage, thresholds: results }), [
        'parameters coverage 50% (1 of 2) is below --min-coverage parameters=51',
        'properties coverage 33.3% (1 of 3) is below --min-coverage properties=33.4',
      ]);
    });
  });
});
