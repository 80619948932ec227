import assert from 'node:assert/strict';
import { findJsonError, JsonValueCapture, type CapturedValue } from '../../src/recordings/json-scanner';

/** Feeds `bytes` (a value starting at `start`, then whatever follows) to a capture in the given chunks. */
function capture(
  bytes: Buffer,
  cuts: number[],
  start = 0,
  at = { line: 1, col: 1 },
): { end: number; result: CapturedValue } | undefined {
  const bounds = [0, ...cuts.filter((c) => c > start && c < bytes.length), bytes.length];
  const c = new JsonValueCapture(bytes[start], at.line, at.col);
  let from = start;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const lo = Math.max(bounds[k], from);
    const chunk = bytes.subarray(bounds[k], bounds[k + 1]);
    const end = c.write(chunk, lo - bounds[k]);
    if (end >= 0) return { end: bounds[k] + end, result: c.result() };
    from = bounds[k + 1];
  }
  return undefined;
}

/** Every way to cut `bytes` into two or three chunks, and into 1-byte chunks. */
function* splits(length: number): Generator<number[]> {
  yield [];
  for (let a = 1; a < length; a++) {
    yield [a];
    for (let b = a + 1; b < length; b++) yield [a, b];
  }
  yield Array.from({ length }, (_, k) => k + 1);
}

describe('recordings/json-scanner', () => {
  describe('JsonValueCapture: finds the end of a value, whatever the chunk boundaries', () => {
    const values: [string, string][] = [
      ['a plain string', '"abc"'],
      ['an escaped quote', '"a\\"b"'],
      ['an escaped backslash before the closing quote', '"a\\\\"'],
      ['three backslashes and a quote', '"\\\\\\"x"'],
      ['every short escape', '"\\"\\\\\\/\\b\\f\\n\\r\\t"'],
      ['a \\u escape', '"caf\\u00e9"'],
      ['a surrogate pair as \\u escapes', '"\\ud83d\\ude00"'],
      ['raw UTF-8: 2, 3 and 4 bytes (a surrogate pair in UTF-16)', '"ü € 😀"'],
      ['brackets and braces inside strings', '{"a":"]}[{","b\\"}":["}"]}'],
      ['nested containers', '{"a":[{"b":[[],{}]},[1,[2,[3]]]],"c":{"d":{}}}'],
      ['an empty object', '{}'],
      ['an empty array', '[]'],
      ['zero', '0'],
      ['a negative number with fraction and exponent', '-12.5e+3'],
      ['an upper-case exponent', '1E-7'],
      ['true', 'true'],
      ['false', 'false'],
      ['null', 'null'],
    ];
    for (const [what, json] of values) {
      for (const after of [',', ']', '}', ' ', '\n']) {
        it(`${what}, then ${JSON.stringify(after)}`, () => {
          const bytes = Buffer.from(json + after);
          const want = Buffer.byteLength(json);
          for (const cuts of splits(bytes.length)) {
            const got = capture(bytes, cuts);
            assert.ok(got, `cuts ${cuts.join(',')}: the value did not end`);
            assert.equal(got.end, want, `cuts ${cuts.join(',')}`);
            assert.deepEqual(got.result, {
              ok: true,
              value: JSON.parse(json),
              end: { line: 1, col: 1 + json.length },
            });
          }
        });
      }
    }

    it('starts anywhere in a chunk and returns the index just after the value', () => {
      const bytes = Buffer.from('  , "x\\"y" ]');
      assert.equal(new JsonValueCapture(bytes[4], 1, 5).write(bytes, 4), 10);
      const got = capture(Buffer.from('[1, {"a": "}"}, 2]'), [6, 11], 4);
      assert.equal(got?.end, 14);
      assert.deepEqual(got?.result, { ok: true, value: { a: '}' }, end: { line: 1, col: 11 } });
    });

    it('keeps a copy of a chunk it is not done with: the caller may reuse one buffer for every chunk', () => {
      const json = `{"a":"${'x'.repeat(50)}\\"","b":[1,"ü",3]}`;
      const bytes = Buffer.from(`${json},`);
      const buffer = Buffer.alloc(7);
      const c = new JsonValueCapture(bytes[0], 1, 1);
      let end = -1;
      for (let at = 0; end < 0; at += buffer.length) {
        const n = bytes.copy(buffer, 0, at, at + buffer.length);
        end = c.write(buffer.subarray(0, n), 0);
      }
      assert.deepEqual(c.result(), {
        ok: true,
        value: JSON.parse(json),
        end: { line: 1, col: 1 + json.length },
      });
    });

    it('does not end before its closing byte (an unterminated string or container)', () => {
      for (const json of ['"abc', '"abc\\"', '{"a":[1,2]', '[{"a":"]"}', '-12']) {
        const bytes = Buffer.from(json);
        for (const cuts of splits(bytes.length)) assert.equal(capture(bytes, cuts), undefined, json);
      }
    });

    it('ends at the position after the value, counting lines inside it', () => {
      const json = '{\n  "a": [\n    1\n  ]\n}';
      const got = capture(Buffer.from(`${json},`), [3, 9], 0, { line: 3, col: 5 });
      assert.deepEqual(got?.result, { ok: true, value: { a: [1] }, end: { line: 7, col: 2 } });
      // inside a value, columns count UTF-16 units (as before the split)
      const wide = capture(Buffer.from('"😀ü",'), [2]);
      assert.deepEqual(wide?.result, { ok: true, value: '😀ü', end: { line: 1, col: 6 } });
    });

    const invalid: [string, string, { line: number; col: number }, string][] = [
      ['a literal cut short', '{"a":tru}', { line: 2, col: 8 }, "unexpected 't' (expected a value)"],
      [
        'a trailing comma on another line',
        '{\n  "a": 1,\n}',
        { line: 4, col: 1 },
        "unexpected '}' (expected a property name in double quotes)",
      ],
      ['a bad \\u escape', '["\\u12G4"]', { line: 2, col: 5 }, 'bad \\u escape in a string'],
      ['a bad escape', '["\\x"]', { line: 2, col: 5 }, "bad escape '\\x' in a string"],
      [
        'a raw tab in a string',
        '{"a":"x\ty"}',
        { line: 2, col: 10 },
        'control character in a string (newlines and tabs must be escaped as \\n, \\t)',
      ],
      ['a leading zero', '[01]', { line: 2, col: 5 }, "unexpected '1' (expected ',' or ']')"],
      ['a lone minus', '[-]', { line: 2, col: 4 }, "unexpected '-' (expected a value)"],
    ];
    for (const [what, json, at, reason] of invalid) {
      it(`says where and why a value is not JSON: ${what}`, () => {
        const bytes = Buffer.from(`${json},`);
        for (const cuts of splits(bytes.length)) {
          const got = capture(bytes, cuts, 0, { line: 2, col: 3 });
          assert.deepEqual(got?.result, { ok: false, reason, at }, `cuts ${cuts.join(',')}`);
        }
      });
    }
  });

  describe('findJsonError', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a":}', 5, /unexpected '\}' \(expected a value\)/],
      ['{"a":1 "b":2}', 7, /expected ',' or '\}'/],
      ['[1,2', 4, /unexpected end of input \(expected ',' or '\]'\)/],
      ['"abc', 0, /unterminated string/],
      ['{"a":tru}', 5, /expected a value/],
      ['{"a":"\\u12G4"}', 6, /bad \\u escape/],
      ['[1] 2', 4, /after the value/],
      ['{a:1}', 1, /expected a property name/],
      ['["a\nb"]', 3, /control character in a string/],
      ['["\\q"]', 2, /bad escape '\\q'/],
      ['{"a":1,}', 7, /expected a property name/],
      ['[1,]', 3, /unexpected '\]' \(expected a value\)/],
      ['{"a" 1}', 5, /unexpected '1' \(expected ':'\)/],
      ['[1e]', 2, /expected ',' or '\]'/],
      ['', 0, /unexpected end of input \(expected a value\)/],
      [`${'['.repeat(2002)}${']'.repeat(2002)}`, 2001, /nesting too deep/],
    ];
    for (const [text, offset, message] of cases) {
      it(JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}…` : text), () => {
        const found = findJsonError(text);
        assert.equal(found.offset, offset);
        assert.match(found.message, message);
      });
    }
  });
});
