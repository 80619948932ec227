/**
 * Issue 16, what test/e2e/recorded-flow.test.ts found: the store's answers are not "repaired" where
 * the service's own recorded answers broke the contract the same way (a client's long title, an
 * undocumented priority), and recorded resources the store starts with keep their age, not their date.
 */
import assert from 'node:assert/strict';
import { returnedViolations } from '../../src/derive/accepted-requests';
import { seedTemplates } from '../../src/derive/dynamic';
import type { Contract, MatchedExchange, Operation } from '../../src/model/types';
import { conformBody } from '../../templates/runtime/conform';
import type { MockResponse } from '../../templates/runtime/core/context';
import { violationKeys } from '../../templates/runtime/core/fake';
import type { Defs, JsonSchema, ResourceSpec } from '../../templates/runtime/core/types';
import { resourceStore } from '../../templates/runtime/resources/seed';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import { manifest, op } from '../fixtures/runtime-behaviour/helpers';

const defs: Defs = {
  Note: {
    type: 'object',
    required: ['id', 'title'],
    properties: {
      id: { type: 'integer' },
      title: { type: 'string', maxLength: 8 },
      priority: { enum: ['low', 'high'] },
      tags: { type: 'array', items: { type: 'string', maxLength: 4 } },
    },
  },
};
const note = { $ref: '#/$defs/Note' };
const list = { type: 'array', items: note };

describe('violationKeys: how a value breaks a schema, values aside', () => {
  const cases: [string, unknown, unknown, string[] | undefined][] = [
    ['valid', note, { id: 1, title: 'short' }, []],
    ['a long title', note, { id: 1, title: 'much too long' }, ['maxLength /body/title']],
    [
      'two kinds',
      note,
      { id: 1, title: 'much too long', priority: 'urgent' },
      ['enum /body/priority', 'maxLength /body/title'],
    ],
    [
      'indices as *',
      list,
      [
        { id: 1, title: 'ok' },
        { id: 2, title: 'ok', tags: ['x', 'longer'] },
      ],
      ['maxLength /body/*/tags/*'],
    ],
    ['a missing member', note, { title: 'ok' }, ['required /body/id']],
  ];
  for (const [name, schema, value, want] of cases) {
    it(name, () => assert.deepEqual(violationKeys(value, schema as JsonSchema, defs, 'response'), want));
  }
});

function exchange(status: number, body: unknown, operation: Operation): MatchedExchange {
  return {
    op: operation,
    pathParams: {},
    responseBody: body,
    exchange: { response: { status, headers: [], body: { mimeType: 'application/json' } } },
  } as unknown as MatchedExchange;
}

describe('returnedViolations: what the service answered that the contract forbids', () => {
  const read = {
    id: 'getNote',
    responses: [
      {
        status: '200',
        description: '',
        headers: [],
        content: [{ mediaType: 'application/json', schema: note, examples: [] }],
        pointer: '',
      },
    ],
  } as unknown as Operation;
  const contract = { schemas: defs } as unknown as Contract;

  it('keys per operation from 2xx answers only, sorted and once each', () => {
    const found = returnedViolations(contract, [
      exchange(200, { id: 1, title: 'a title longer than 8' }, read),
      exchange(200, { id: 2, title: 'another long title', priority: 'urgent' }, read),
      exchange(200, { id: 3, title: 'fine' }, read),
      exchange(404, { id: 4, title: 'an error body, not an answer' }, read),
    ]);
    assert.deepEqual(Object.fromEntries(found), {
      getNote: ['enum /body/priority', 'maxLength /body/title'],
    });
  });

  it('nothing for answers that conform', () => {
    assert.equal(returnedViolations(contract, [exchange(200, { id: 1, title: 'ok' }, read)]).size, 0);
  });
});

describe('conformBody: a stored body breaking the contract only as production did is sent as it is', () => {
  const getNote = op({
    id: 'getNote',
    responses: [
      {
        status: '200',
        description: '',
        headers: [],
        content: [{ mediaType: 'application/json', schema: note, examples: [] }],
      },
    ],
  });
  const stored = (body: unknown): MockResponse => ({
    source: 'state',
    status: 200,
    headers: {},
    mediaType: 'application/json',
    body,
  });
  const seed = () => 7;

  it('repairs without recorded evidence', () => {
    const body = conformBody(getNote, stored({ id: 1, title: 'Groceries for the lake' }), defs, seed)
      .body as {
      title: string;
    };
    assert.ok(body.title.length <= 8, body.title);
  });

  it("keeps the client's own values where the recorded answers had the same violations", () => {
    const tolerant = { ...getNote, returnedViolations: ['enum /body/priority', 'maxLength /body/title'] };
    const value = { id: 1, title: 'Groceries for the lake', priority: 'urgent' };
    assert.deepEqual(conformBody(tolerant, stored(value), defs, seed).body, value);
  });

  it('still repairs a violation of another kind', () => {
    const tolerant = { ...getNote, returnedViolations: ['maxLength /body/title'] };
    const body = conformBody(tolerant, stored({ id: 'one', title: 'Groceries for the lake' }), defs, seed)
      .body as { id: unknown };
    assert.equal(typeof body.id, 'number');
  });
});

describe('seedTemplates: recorded resources keep their age', () => {
  const started = Date.parse('2024-06-01T10:00:00.000Z');

  it('timestamps become `now` templates with their offset from the exchange', () => {
    const fields: string[] = [];
    const value = seedTemplates(
      {
        id: 1,
        title: '2024-06-01T09:00:00Z is not a timestamp by name, but near the exchange',
        createdAt: '2024-05-31T10:00:00.000Z',
        nested: { updated_at: 1717232400 },
        born: '1990-01-01T00:00:00Z',
        day: '2024-06-01',
        dueDate: '2024-06-03',
      },
      started,
      fields,
    );
    assert.deepEqual(value, {
      id: 1,
      title: '2024-06-01T09:00:00Z is not a timestamp by name, but near the exchange',
      createdAt: { $tpl: '{{now -86400000 "iso"}}' },
      nested: { updated_at: { $tplJson: '{{now -3600000 "epoch-s"}}' } },
      born: '1990-01-01T00:00:00Z',
      day: '2024-06-01',
      dueDate: { $tpl: '{{now 136800000 "date"}}' },
    });
    assert.deepEqual(fields, ['/createdAt', '/nested/updated_at', '/dueDate']);
  });

  it('user objects with marker keys stay literal; without a time (`--no-dynamic`) nothing else changes', () => {
    const value = { id: 1, meta: { $tpl: 'not ours' }, createdAt: '2024-05-31T10:00:00.000Z' };
    assert.deepEqual(seedTemplates(value, NaN), { ...value, meta: { $literal: { $tpl: 'not ours' } } });
  });

  it('a session starts with them rendered at its start', () => {
    const spec: ResourceSpec = {
      name: 'notes',
      collectionPath: '/notes',
      itemPath: '/notes/{id}',
      idParam: 'id',
      idField: 'id',
      idFormat: { kind: 'integer', next: 2 },
      listEnvelope: null,
      seed: [seedTemplates({ id: 1, createdAt: '2024-05-31T10:00:00.000Z', meta: { $tpl: 'x' } }, started)],
    };
    const store = resourceStore(new MemoryStore().session('s'), spec, manifest({ resources: [spec] }));
    const item = [...store.items.values()].flatMap((byId) => [...byId.values()])[0].value as {
      createdAt: string;
      meta: unknown;
    };
    const age = Date.now() - Date.parse(item.createdAt);
    assert.ok(Math.abs(age - 86_400_000) < 60_000, item.createdAt);
    assert.deepEqual(item.meta, { $tpl: 'x' });
  });
});
