import * as assert from 'node:assert/strict';
import { detectResources } from '../../src/derive/resources';
import type { JsonSchema, Operation } from '../../src/model/types';
import { contract, exchange, op, pathParam, response } from './dynamic-helpers';

const petSchemas = {
  Pet: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'integer', format: 'int64' },
      name: { type: 'string' },
      tag: { type: 'string' },
    },
  },
};
const pet = { $ref: '#/$defs/Pet' };

function petstore(): Operation[] {
  return [
    op('get', '/pets', { id: 'listPets', responses: [response('200', { type: 'array', items: pet })] }),
    op('post', '/pets', { id: 'createPet', responses: [response('201', pet)] }),
    op('get', '/pets/{petId}', {
      id: 'showPetById',
      parameters: [pathParam('petId', { type: 'integer' })],
      responses: [response('200', pet), response('404')],
    }),
    op('put', '/pets/{petId}', { id: 'replacePet', responses: [response('200', pet)] }),
    op('delete', '/pets/{petId}', { id: 'deletePet', responses: [response('204')] }),
    op('get', '/pets/{petId}/photos', { id: 'listPhotos' }), // no item path below it: not a resource
  ];
}

const customerSchemas = {
  customer: {
    type: 'object',
    required: ['id', 'object'],
    properties: {
      id: { type: 'string', maxLength: 5000 },
      object: { type: 'string', enum: ['customer'] },
      email: { type: ['string', 'null'] },
    },
  },
  deleted_customer: {
    type: 'object',
    properties: { id: { type: 'string' }, deleted: { type: 'boolean', enum: [true] } },
  },
  customer_list: {
    type: 'object',
    required: ['data', 'has_more', 'object', 'url'],
    properties: {
      data: { type: 'array', items: { $ref: '#/$defs/customer' } },
      has_more: { type: 'boolean' },
      object: { type: 'string', enum: ['list'] },
      url: { type: 'string', pattern: '^/v1/customers' },
    },
  },
};

function stripe(): Operation[] {
  const customer = { $ref: '#/$defs/customer' };
  return [
    op('get', '/v1/customers', {
      id: 'GetCustomers',
      responses: [response('200', { $ref: '#/$defs/customer_list' })],
    }),
    op('post', '/v1/customers', { id: 'PostCustomers', responses: [response('200', customer)] }),
    op('get', '/v1/customers/search', { id: 'GetCustomersSearch' }),
    op('get', '/v1/customers/{customer}', {
      id: 'GetCustomersCustomer',
      responses: [response('200', { anyOf: [customer, { $ref: '#/$defs/deleted_customer' }] })],
    }),
    op('post', '/v1/customers/{customer}', {
      id: 'PostCustomersCustomer',
      responses: [response('200', customer)],
    }),
    op('delete', '/v1/customers/{customer}', {
      id: 'DeleteCustomersCustomer',
      responses: [response('200', { $ref: '#/$defs/deleted_customer' })],
    }),
    op('post', '/v1/customers/{customer}/balance_transactions', { id: 'PostBalance' }),
  ];
}

describe('resources: detectResources', () => {
  it('finds a petstore collection from the contract alone', () => {
    const { resources, bindings } = detectResources(contract(petstore(), petSchemas), []);
    assert.deepEqual(resources, [
      {
        name: 'pets',
        collectionPath: '/pets',
        itemPath: '/pets/{petId}',
        idParam: 'petId',
        idField: 'id',
        idFormat: { kind: 'integer', next: 1 },
        listEnvelope: null,
        schema: pet,
        seed: [],
      },
    ]);
    assert.deepEqual(Object.fromEntries([...bindings].map(([id, b]) => [id, `${b.resource}:${b.role}`])), {
      listPets: 'pets:list',
      createPet: 'pets:create',
      showPetById: 'pets:read',
      replacePet: 'pets:replace',
      deletePet: 'pets:delete',
    });
  });

  it('does not store items that cannot hold an id: arrays, maps of constrained values (corpus: mcw.edu)', () => {
    const collection = (name: string, item: JsonSchema): Operation[] => [
      op('post', `/${name}`, { id: `create-${name}`, responses: [response('201', item)] }),
      op('get', `/${name}/{rgdId}`, {
        id: `read-${name}`,
        parameters: [pathParam('rgdId', { type: 'integer' })],
        responses: [response('200', item)],
      }),
      op('delete', `/${name}/{rgdId}`, { id: `delete-${name}`, responses: [response('204')] }),
    ];
    const { resources } = detectResources(
      contract(
        [
          ...collection('orthologs', { type: 'array', items: pet }),
          ...collection('maps', { type: 'object', additionalProperties: { type: 'string' } }),
          ...collection('names', { type: 'string' }),
          // free-form objects, and objects that forbid members they do not declare, are still stored
          ...collection('notes', { type: 'object' }),
          ...collection('closed', {
            type: 'object',
            additionalProperties: false,
            properties: { label: { type: 'string' } },
          }),
          ...petstore(),
        ],
        petSchemas,
      ),
      [],
    );
    assert.deepEqual(
      resources.map((r) => r.collectionPath),
      ['/closed', '/notes', '/pets'],
    );
  });

  it('seeds recorded resources: deduplicated, latest state wins, deleted ones gone, next id after the largest', () => {
    const ops = petstore();
    const byId = new Map(ops.map((o) => [o.id, o]));
    const matched = [
      exchange(byId.get('listPets')!, '/pets', {
        responseBody: [
          { id: 1, name: 'Rex' },
          { id: 2, name: 'Tom' },
        ],
      }),
      exchange(byId.get('showPetById')!, '/pets/1', { responseBody: { id: 1, name: 'Rex', tag: 'dog' } }),
      exchange(byId.get('createPet')!, '/pets', {
        status: 201,
        requestBody: { name: 'Kit' },
        responseBody: { id: 41, name: 'Kit' },
      }),
      exchange(byId.get('replacePet')!, '/pets/1', { responseBody: { id: 1, name: 'Rex II' } }),
      exchange(byId.get('deletePet')!, '/pets/2', { status: 204 }),
      exchange(byId.get('showPetById')!, '/pets/99', {
        status: 404,
        responseBody: { id: 99, name: 'ghost' },
      }),
    ];
    const [resource] = detectResources(contract(ops, petSchemas), matched).resources;
    assert.deepEqual(resource.seed, [
      { id: 1, name: 'Rex II', tag: 'dog' },
      { id: 41, name: 'Kit' },
    ]);
    assert.deepEqual(resource.idFormat, { kind: 'integer', next: 42 });
  });

  it('finds a Stripe-style resource: POST update, envelope list, prefixed ids', () => {
    const ops = stripe();
    const { resources, bindings } = detectResources(contract(ops, customerSchemas), []);
    assert.equal(resources.length, 1);
    const [customers] = resources;
    assert.equal(customers.name, 'v1-customers');
    assert.equal(customers.idField, 'id');
    assert.deepEqual(customers.schema, { $ref: '#/$defs/customer' });
    assert.deepEqual(customers.listEnvelope, {
      itemsField: 'data',
      template: { has_more: false, object: 'list', url: '/v1/customers' },
    });
    assert.equal(bindings.get('PostCustomersCustomer')?.role, 'update');
    assert.equal(bindings.get('GetCustomers')?.role, 'list');
    assert.equal(bindings.has('GetCustomersSearch'), false);
    assert.equal(bindings.has('PostBalance'), false);
    assert.deepEqual(customers.idFormat, { kind: 'uuid' }, 'no recordings, no pattern: uuid');

    const byId = new Map(ops.map((o) => [o.id, o]));
    const matched = [
      exchange(byId.get('GetCustomers')!, '/v1/customers?limit=2', {
        responseBody: {
          object: 'list',
          url: '/v1/customers',
          has_more: true,
          data: [
            { id: 'cus_NffrFeUfNV2Hib', object: 'customer', email: 'a@example.com' },
            { id: 'cus_Nffr2xkq9Zb3Lm', object: 'customer', email: null },
          ],
        },
      }),
      exchange(byId.get('PostCustomersCustomer')!, '/v1/customers/cus_NffrFeUfNV2Hib', {
        requestBody: { email: 'new@example.com' },
        responseBody: { id: 'cus_NffrFeUfNV2Hib', object: 'customer', email: 'new@example.com' },
      }),
    ];
    const [recorded] = detectResources(contract(ops, customerSchemas), matched).resources;
    assert.deepEqual(recorded.idFormat, {
      kind: 'prefixed',
      prefix: 'cus_',
      length: 14,
      alphabet: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    });
    assert.deepEqual(recorded.listEnvelope, {
      itemsField: 'data',
      template: { object: 'list', url: '/v1/customers', has_more: false },
    });
    assert.deepEqual(recorded.seed, [
      { id: 'cus_NffrFeUfNV2Hib', object: 'customer', email: 'new@example.com' },
      { id: 'cus_Nffr2xkq9Zb3Lm', object: 'customer', email: null },
    ]);
  });

  it('scopes sub-collections by their parent parameters', () => {
    const repo = {
      type: 'object',
      properties: { repoId: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
    };
    const ops = [
      op('get', '/users/{userId}/repos', {
        id: 'listRepos',
        responses: [response('200', { type: 'array', items: repo })],
      }),
      op('post', '/users/{userId}/repos', { id: 'createRepo', responses: [response('201', repo)] }),
      op('get', '/users/{userId}/repos/{repoId}', { id: 'getRepo', responses: [response('200', repo)] }),
      op('patch', '/users/{userId}/repos/{repoId}', { id: 'updateRepo', responses: [response('200', repo)] }),
      op('delete', '/users/{userId}/repos/{repoId}', { id: 'deleteRepo' }),
    ];
    const a = '0b3a4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
    const b = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';
    const matched = [
      exchange(ops[0], '/users/u1/repos', { responseBody: [{ repoId: a, name: 'one' }] }),
      exchange(ops[0], '/users/u2/repos', {
        responseBody: [
          { repoId: a, name: 'same id, other user' },
          { repoId: b, name: 'two' },
        ],
      }),
    ];
    const { resources } = detectResources(contract(ops), matched);
    assert.equal(resources.length, 1);
    const [repos] = resources;
    assert.equal(repos.name, 'users-repos');
    assert.equal(repos.idField, 'repoId');
    assert.deepEqual(repos.idFormat, { kind: 'uuid' });
    assert.deepEqual(repos.scopeParams, ['userId']);
    assert.deepEqual(repos.seed, [
      { repoId: a, name: 'one' },
      { repoId: a, name: 'same id, other user' },
      { repoId: b, name: 'two' },
    ]);
    assert.deepEqual(repos.seedScopes, [{ userId: 'u1' }, { userId: 'u2' }, { userId: 'u2' }]);
  });

  const noResourceCases: [string, Operation[]][] = [
    ['search and health', [op('get', '/search'), op('get', '/health'), op('post', '/search')]],
    ['read-only collection', [op('get', '/users'), op('get', '/users/{username}')]],
    ['item without collection', [op('get', '/repos/{owner}/{repo}'), op('patch', '/repos/{owner}/{repo}')]],
    ['actions under an item', [op('post', '/jobs/{id}/cancel'), op('get', '/jobs/{id}/logs')]],
  ];
  for (const [name, ops] of noResourceCases) {
    it(`no resource: ${name}`, () => {
      const { resources, bindings } = detectResources(contract(ops), []);
      assert.deepEqual(resources, []);
      assert.equal(bindings.size, 0);
    });
  }

  it('chooses the id property from the parameter name, its type and recordings', () => {
    const issue = {
      type: 'object',
      properties: { id: { type: 'integer' }, number: { type: 'integer' }, title: { type: 'string' } },
    };
    const issues = [
      op('get', '/repos/{owner}/{repo}/issues', {
        id: 'listIssues',
        responses: [response('200', { type: 'array', items: issue })],
      }),
      op('post', '/repos/{owner}/{repo}/issues', { id: 'createIssue', responses: [response('201', issue)] }),
      op('get', '/repos/{owner}/{repo}/issues/{issue_number}', {
        id: 'getIssue',
        parameters: [pathParam('owner'), pathParam('repo'), pathParam('issue_number', { type: 'integer' })],
        responses: [response('200', issue)],
      }),
      op('patch', '/repos/{owner}/{repo}/issues/{issue_number}', {
        id: 'updateIssue',
        responses: [response('200', issue)],
      }),
    ];
    const [fromNames] = detectResources(contract(issues), []).resources;
    assert.equal(fromNames.idField, 'number');
    assert.deepEqual(fromNames.scopeParams, ['owner', 'repo']);

    const thing = { type: 'object', properties: { id: { type: 'integer' }, slug: { type: 'string' } } };
    const things = [
      op('get', '/things', {
        id: 'listThings',
        responses: [response('200', { type: 'array', items: thing })],
      }),
      op('delete', '/things/{key}', { id: 'deleteThing' }),
      op('get', '/things/{key}', { id: 'getThing', responses: [response('200', thing)] }),
    ];
    const [typed] = detectResources(contract(things), []).resources;
    assert.equal(typed.idField, 'id');
    const recorded = [
      exchange(things[2], '/things/blue-box', { responseBody: { id: 12, slug: 'blue-box' } }),
    ];
    const [fromRecordings] = detectResources(contract(things), recorded).resources;
    assert.equal(fromRecordings.idField, 'slug');
    assert.deepEqual(fromRecordings.idFormat, {
      kind: 'string',
      length: 8,
      alphabet: 'abcdefghijklmnopqrstuvwxyz-',
    });
  });

  it('takes id formats from the schema: uuid, integer examples, patterns', () => {
    const make = (idSchema: Record<string, unknown>) => [
      op('post', '/widgets', {
        responses: [
          response('201', { type: 'object', properties: { id: idSchema } }, [
            { id: (idSchema.example as unknown) ?? 'x' },
          ]),
        ],
      }),
      op('get', '/widgets/{widgetId}', {
        responses: [response('200', { type: 'object', properties: { id: idSchema } })],
      }),
    ];
    const format = (idSchema: Record<string, unknown>) =>
      detectResources(contract(make(idSchema)), []).resources[0].idFormat;
    assert.deepEqual(format({ type: 'string', format: 'uuid' }), { kind: 'uuid' });
    assert.deepEqual(format({ type: 'integer', example: 17 }), { kind: 'integer', next: 18 });
    assert.deepEqual(format({ type: 'string', example: 'wid_0a1b2c3d' }), {
      kind: 'prefixed',
      prefix: 'wid_',
      length: 8,
      alphabet: '0123456789abcdef',
    });
  });

  it('takes an envelope from recordings when the contract documents no schema', () => {
    const ops = [
      op('get', '/notes', { id: 'listNotes', responses: [response('200')] }),
      op('post', '/notes', { id: 'createNote', responses: [response('201')] }),
      op('get', '/notes/{noteId}', { id: 'getNote', responses: [response('200')] }),
    ];
    const matched = [
      exchange(ops[0], '/notes', {
        responseBody: {
          total: 1,
          items: [{ id: 'n1', text: 'hi' }],
          next_cursor: 'abc',
          links: { next: '/notes?page=2' },
        },
      }),
    ];
    const [notes] = detectResources(contract(ops), matched).resources;
    assert.deepEqual(notes.listEnvelope, {
      itemsField: 'items',
      template: { total: 1, next_cursor: null, links: { next: null } },
    });
    assert.deepEqual(notes.seed, [{ id: 'n1', text: 'hi' }]);
    // the recorded page itself (replayed, and the example of the list) keeps its links (corpus: train-travel)
    assert.deepEqual(matched[0].responseBody, {
      total: 1,
      items: [{ id: 'n1', text: 'hi' }],
      next_cursor: 'abc',
      links: { next: '/notes?page=2' },
    });
  });

  it('applies recordings in time order, whatever the file order', () => {
    const ops = petstore();
    const byId = new Map(ops.map((o) => [o.id, o]));
    const matched = [
      exchange(byId.get('replacePet')!, '/pets/1', {
        responseBody: { id: 1, name: 'late' },
        started: '2024-05-01T10:00:09Z',
      }),
      exchange(byId.get('showPetById')!, '/pets/1', {
        responseBody: { id: 1, name: 'early' },
        started: '2024-05-01T10:00:01Z',
      }),
    ];
    assert.deepEqual(detectResources(contract(ops, petSchemas), matched).resources[0].seed, [
      { id: 1, name: 'late' },
    ]);
  });

  it('keys natural-key collections by login/slug/name and skips envelope-shaped create responses', () => {
    const user = {
      type: 'object',
      properties: { id: { type: 'integer' }, node_id: { type: 'string' }, login: { type: 'string' } },
    };
    const labels = {
      type: 'object',
      properties: {
        total_count: { type: 'integer' },
        labels: { type: 'array', items: { $ref: '#/$defs/label' } },
      },
    };
    const schemas = {
      label: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
      labels,
    };
    const ops = [
      op('get', '/orgs/{org}/members', { responses: [response('200', { type: 'array', items: user })] }),
      op('delete', '/orgs/{org}/members/{username}', { responses: [response('204')] }),
      op('get', '/runners/{runner_id}/labels', { responses: [response('200', { $ref: '#/$defs/labels' })] }),
      op('post', '/runners/{runner_id}/labels', { responses: [response('200', { $ref: '#/$defs/labels' })] }),
      op('delete', '/runners/{runner_id}/labels/{name}', {
        responses: [response('200', { $ref: '#/$defs/labels' })],
      }),
    ];
    const { resources } = detectResources(contract(ops, schemas), []);
    assert.deepEqual(
      resources.map((r) => [r.itemPath, r.idField, r.schema]),
      [
        ['/orgs/{org}/members/{username}', 'login', user],
        ['/runners/{runner_id}/labels/{name}', 'name', { $ref: '#/$defs/label' }],
      ],
    );
    assert.equal(resources[1].listEnvelope?.itemsField, 'labels');
  });

  it('escapes recorded envelope fields that look like template markers', () => {
    const ops = [op('get', '/notes'), op('post', '/notes'), op('get', '/notes/{id}')];
    const matched = [exchange(ops[0], '/notes', { responseBody: { meta: { $tpl: 'x' }, items: [] } })];
    const [notes] = detectResources(contract(ops), matched).resources;
    assert.deepEqual(notes.listEnvelope, {
      itemsField: 'items',
      template: { meta: { $literal: { $tpl: 'x' } } },
    });
  });

  it('is deterministic and names collisions apart', () => {
    const ops = [
      op('post', '/a/b'),
      op('get', '/a/b/{id}'),
      op('post', '/a/{x}/b'),
      op('get', '/a/{x}/b/{id}'),
    ];
    const first = detectResources(contract(ops), []);
    assert.deepEqual(
      first.resources.map((r) => [r.name, r.collectionPath]),
      [
        ['a-b', '/a/b'],
        ['a-b-2', '/a/{x}/b'],
      ],
    );
    assert.deepEqual(detectResources(contract(ops), []), first);
  });
});
