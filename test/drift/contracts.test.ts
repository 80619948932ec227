import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { checkExchanges } from '../../src/drift/check-drift';
import type { FindingKind } from '../../src/drift/kinds';
import type { Contract } from '../../src/model/types';
import { cleanTraffic } from './from-examples';
import { exchange, type ExchangeInit } from './helpers';

const fixtures = path.join(process.cwd(), 'test', 'fixtures', 'drift');
const VERSIONS = [
  { name: 'OpenAPI 3.0', file: path.join(fixtures, 'petstore-30.yaml'), v2: false },
  { name: 'OpenAPI 3.1', file: path.join(fixtures, 'petstore-31.yaml'), v2: false },
  { name: 'Swagger 2.0', file: path.join(fixtures, 'petstore-20.json'), v2: true },
];

const pet = {
  id: 1,
  name: 'Rex',
  status: 'available',
  owner: { name: 'Ann', email: 'ann@example.com' },
  createdAt: '2024-01-01T10:00:00Z',
  nickname: null,
};
const list: ExchangeInit = {
  path: '/v1/pets',
  query: [['limit', '10']],
  headers: [['X-Api-Key', 'REDACTED']],
  responseHeaders: [['X-Rate-Limit', '99']],
  responseBody: [pet],
};
const create: ExchangeInit = {
  method: 'POST',
  path: '/v1/pets',
  headers: [['X-Tenant', 'acme']],
  body: { name: 'Rex' },
  status: 201,
  responseBody: pet,
};
const get: ExchangeInit = { path: '/v1/pets/1', responseBody: pet };

interface Case {
  kind: FindingKind;
  name: string;
  clean: ExchangeInit;
  dirty: ExchangeInit;
  pointer: string;
  severity?: 'warning';
  only3?: boolean;
}

const cases: Case[] = [
  {
    kind: 'undocumented-path',
    name: 'unknown path',
    clean: get,
    dirty: { ...get, path: '/v1/owners/1' },
    pointer: '',
  },
  {
    kind: 'undocumented-method',
    name: 'DELETE on /pets',
    clean: list,
    dirty: { ...list, method: 'DELETE' },
    pointer: '',
  },
  {
    kind: 'missing-required-parameter',
    name: 'X-Tenant header',
    clean: create,
    dirty: { ...create, headers: [] },
    pointer: '/headers/x-tenant',
  },
  {
    kind: 'invalid-parameter',
    name: 'limit above maximum',
    clean: list,
    dirty: { ...list, query: [['limit', '1000']] },
    pointer: '/query/limit',
  },
  {
    kind: 'invalid-parameter',
    name: 'status enum',
    clean: { ...list, query: [['status', 'sold']] },
    dirty: { ...list, query: [['status', 'gone']] },
    pointer: '/query/status',
  },
  {
    kind: 'invalid-parameter',
    name: 'petId not an integer',
    clean: get,
    dirty: { ...get, path: '/v1/pets/rex' },
    pointer: '/path/petId',
  },
  {
    kind: 'invalid-request-body',
    name: 'empty name',
    clean: create,
    dirty: { ...create, body: { name: '' } },
    pointer: '/name',
  },
  {
    kind: 'invalid-request-body',
    name: 'body missing',
    clean: create,
    dirty: { ...create, body: undefined },
    pointer: '',
  },
  {
    kind: 'undocumented-request-content-type',
    name: 'XML body',
    clean: create,
    dirty: { ...create, body: '<pet/>', bodyType: 'application/xml' },
    pointer: '/headers/content-type',
  },
  {
    kind: 'missing-credentials',
    name: 'no API key',
    clean: list,
    dirty: { ...list, headers: [] },
    pointer: '/headers/x-api-key',
  },
  {
    kind: 'undocumented-status',
    name: '500 on getPet',
    clean: { ...get, status: 404, responseBody: { message: 'no' } },
    dirty: { ...get, status: 500, responseBody: { message: 'no' } },
    pointer: '',
  },
  {
    kind: 'undocumented-response-content-type',
    name: 'HTML',
    clean: get,
    dirty: { ...get, responseBody: '<p>hi</p>', responseType: 'text/html' },
    pointer: '/headers/content-type',
  },
  {
    kind: 'invalid-response-body',
    name: 'missing required name',
    clean: get,
    dirty: { ...get, responseBody: { id: 1 } },
    pointer: '/name',
  },
  {
    kind: 'invalid-response-body',
    name: 'id as string',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, id: '1' } },
    pointer: '/id',
  },
  {
    kind: 'invalid-response-body',
    name: 'status enum',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, status: 'lost' } },
    pointer: '/status',
  },
  {
    kind: 'invalid-response-body',
    name: 'email format',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
    pointer: '/owner/email',
  },
  {
    kind: 'invalid-response-body',
    name: 'date-time format',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, createdAt: '01/02/2024' } },
    pointer: '/createdAt',
  },
  {
    kind: 'invalid-response-body',
    name: 'nullable violated',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, nickname: 5 } },
    pointer: '/nickname',
  },
  {
    kind: 'invalid-response-body',
    name: 'additionalProperties false',
    clean: { path: '/v1/strict', responseBody: { a: 'x' } },
    dirty: { path: '/v1/strict', responseBody: { a: 'x', b: 'y' } },
    pointer: '/b',
  },
  {
    kind: 'invalid-response-body',
    name: 'extra property',
    clean: get,
    dirty: { ...get, responseBody: { ...pet, colour: 'brown' } },
    pointer: '/colour',
    severity: 'warning',
  },
  {
    kind: 'invalid-response-body',
    name: 'oneOf by discriminator',
    clean: {
      path: '/v1/animals/3fa85f64-5717-4562-b3fc-2c963f66afa6',
      responseBody: { kind: 'Dog', barks: true },
    },
    dirty: {
      path: '/v1/animals/3fa85f64-5717-4562-b3fc-2c963f66afa6',
      responseBody: { kind: 'Dog', meows: true },
    },
    pointer: '/barks',
    only3: true,
  },
  {
    kind: 'missing-required-response-header',
    name: 'X-Rate-Limit',
    clean: list,
    dirty: { ...list, responseHeaders: [] },
    pointer: '/headers/x-rate-limit',
    only3: true,
  },
  {
    kind: 'unparseable-body',
    name: 'truncated JSON',
    clean: get,
    dirty: { ...get, responseBody: '{"id":1,"na' },
    pointer: '',
  },
];

describe('drift against loaded contracts (2.0, 3.0, 3.1)', () => {
  for (const version of VERSIONS) {
    describe(version.name, () => {
      let contract: Contract;
      before(async () => {
        contract = await loadContract(version.file);
      });

      it('finds no error in traffic made from the contract’s own examples', () => {
        const traffic = cleanTraffic(contract);
        assert.ok(traffic.length >= 4, `only ${traffic.length} exchanges`);
        const result = checkExchanges(contract, traffic.map(exchange));
        assert.deepEqual(result.findings, []);
      });

      for (const t of cases) {
        if (t.only3 && version.v2) continue;
        it(`${t.kind}: ${t.name}`, () => {
          const clean = checkExchanges(contract, [exchange(t.clean)]).findings;
          assert.deepEqual(clean, []);
          const dirty = checkExchanges(contract, [exchange(t.dirty)]).findings;
          const found = dirty.find((f) => f.kind === t.kind && f.pointer === t.pointer);
          assert.ok(found, `expected ${t.kind} at '${t.pointer}', got ${JSON.stringify(dirty, null, 2)}`);
          assert.equal(found.severity, t.severity ?? 'error');
        });
      }
    });
  }

  it('messages name the contract’s own schema pointers (components / definitions)', async () => {
    const v3 = await loadContract(VERSIONS[0].file);
    const v2 = await loadContract(VERSIONS[2].file);
    const dirty = exchange({ ...get, responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } });
    assert.equal(
      checkExchanges(v3, [dirty]).findings[0].message,
      "GET /pets/{petId} → 200: /owner/email 'n/a' is not a valid email (schema at #/components/schemas/Owner/properties/email/format)",
    );
    assert.match(
      checkExchanges(v2, [dirty]).findings[0].message,
      /schema at #\/definitions\/Owner\/properties\/email\/format\)$/,
    );
  });

  for (const spec of ['specs/petstore/openapi.yaml', 'specs/swagger2/swagger.json']) {
    it(`no error in example traffic of ${spec}`, async function () {
      if (!fs.existsSync(spec)) this.skip();
      const contract = await loadContract(spec);
      const traffic = cleanTraffic(contract);
      const result = checkExchanges(contract, traffic.map(exchange));
      const errors = result.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors, []);
    });
  }
});
