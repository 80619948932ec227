import { strict as assert } from 'node:assert';
import { locatePointers } from '../../src/contract/locate-pointers';
import { contractPointers, contractPosition } from '../../src/report/contract-location';

const yaml = [
  'openapi: 3.1.0', // 1
  'paths:', // 2
  "  '/a/{b}':", // 3
  '    get:', // 4
  '      parameters:', // 5
  '        - name: x', // 6
  '          in: query', // 7
  '        - { name: y, in: header }', // 8
  'components:', // 9
  '  schemas:', // 10
  '    "Tilde~Name": {type: object}', // 11
  '    Merged:', // 12
  '      <<: {type: string}', // 13
  '',
].join('\n');

describe('contract locations (SARIF regions)', () => {
  it('locates mapping keys and sequence items in YAML, quoted and escaped tokens included', () => {
    const at = locatePointers(yaml, [
      '/paths/~1a~1{b}/get',
      '/paths/~1a~1{b}/get/parameters/0/in',
      '/paths/~1a~1{b}/get/parameters/1/name',
      '/components/schemas/Tilde~0Name/type',
      '/components/schemas/Merged/type',
      '/nope',
    ]);
    assert.deepEqual(at.get('/paths/~1a~1{b}'), { line: 3, column: 3 }, 'a quoted key starts at its quote');
    assert.deepEqual(at.get('/paths/~1a~1{b}/get'), { line: 4, column: 5 });
    assert.deepEqual(at.get('/paths/~1a~1{b}/get/parameters/0'), { line: 6, column: 11 });
    assert.deepEqual(at.get('/paths/~1a~1{b}/get/parameters/0/in'), { line: 7, column: 11 });
    assert.deepEqual(at.get('/paths/~1a~1{b}/get/parameters/1/name'), { line: 8, column: 13 });
    assert.deepEqual(at.get('/components/schemas/Tilde~0Name/type'), { line: 11, column: 20 });
    assert.equal(at.has('/components/schemas/Merged/type'), false, 'merged in, not written there');
    assert.deepEqual(at.get('/components/schemas/Merged'), { line: 12, column: 5 });
    assert.equal(at.has('/nope'), false);
  });

  it('locates JSON the same way, after a BOM; unparseable text locates nothing', () => {
    const json = '\uFEFF{\n  "paths": {\n    "/p": { "get": {"responses": {"200": {}}} }\n  }\n}\n';
    const at = locatePointers(json, ['/paths/~1p/get/responses/200']);
    assert.deepEqual(at.get('/paths/~1p/get/responses/200'), { line: 3, column: 35 });
    assert.equal(locatePointers('{ "a": [1, 2', ['/a/0']).size, 0);
    assert.equal(locatePointers('a: 1\n---\nb: 2\n', ['/b']).has('/b'), false, 'only the first document');
  });

  it('candidate pointers: the schema, its parents down to the component or operation, then the operation', () => {
    assert.deepEqual(
      contractPointers(
        { operation: 'GET /p', schemaPointer: '#/components/schemas/Pet/properties/tag/format' },
        { 'GET /p': '/paths/~1p/get' },
      ),
      [
        '/components/schemas/Pet/properties/tag/format',
        '/components/schemas/Pet/properties/tag',
        '/components/schemas/Pet/properties',
        '/components/schemas/Pet',
        '/paths/~1p/get',
      ],
    );
    assert.deepEqual(contractPointers({ operation: 'GET /q', schemaPointer: '#/definitions/Pet/type' }), [
      '/definitions/Pet/type',
      '/definitions/Pet',
      '/paths',
    ]);
    assert.deepEqual(contractPointers({ operation: 'constructor' }, {}), ['/paths'], 'no prototype lookups');
    const positions = new Map([['/paths/~1p/get', { line: 7, column: 5 }]]);
    assert.deepEqual(
      contractPosition(
        { operation: 'GET /p', schemaPointer: '#/components/schemas/Gone' },
        { operationPointers: { 'GET /p': '/paths/~1p/get' }, contractPositions: positions },
      ),
      { line: 7, column: 5 },
    );
    assert.equal(contractPosition({ operation: 'GET /p' }, {}), undefined);
  });
});
