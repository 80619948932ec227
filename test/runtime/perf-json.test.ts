/**
 * jsonText (respond.ts): the serialiser of response bodies reuses the cached JSON text of objects
 * marked immutable (stateful resources), and must produce exactly JSON.stringify's text.
 */
import assert from 'node:assert/strict';
import { jsonText, markImmutable } from '../../templates/runtime/respond';

describe('runtime: jsonText with immutable (cached) objects', () => {
  const item = (id: number): Record<string, unknown> => ({
    id,
    name: `Item "${id}" \u2603`,
    tags: ['a', { deep: [1, null, true] }],
    price: 1.5,
    nothing: undefined,
    when: new Date(Date.UTC(2026, 0, 1)),
  });

  it('produces the same text as JSON.stringify for lists, envelopes and odd members', () => {
    const items = [item(1), item(2), item(3)];
    for (const value of items) markImmutable(value);
    const cases: unknown[] = [
      items,
      { data: items, has_more: false, skipped: undefined, fn: () => 1 },
      { outer: { data: items } },
      [items[0], undefined, () => 1, Symbol('x'), null, 'text', 2, items[1]],
      { '': items[0], 'quo"te': items[1], __proto__: null },
      [],
      {},
      items[0],
      'plain',
      7,
      null,
    ];
    for (const value of cases) assert.equal(jsonText(value), JSON.stringify(value) ?? 'null');
  });

  it('reuses the text of a marked object and ignores objects with toJSON', () => {
    const marked = item(9);
    markImmutable(marked);
    const first = jsonText([marked]);
    assert.equal(first, JSON.stringify([marked]));
    const withToJson = { data: [marked], toJSON: () => ({ replaced: true }) };
    assert.equal(jsonText(withToJson), '{"replaced":true}');
    assert.equal(jsonText(undefined), 'null');
  });

  it('serialises unmarked values as they are now', () => {
    const changing: Record<string, unknown> = { n: 1 };
    assert.equal(jsonText([changing]), '[{"n":1}]');
    changing.n = 2;
    assert.equal(jsonText([changing]), '[{"n":2}]');
  });
});
