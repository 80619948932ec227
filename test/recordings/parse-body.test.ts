import assert from 'node:assert/strict';
import type { RecordedBody } from '../../src/model/types';
import { parseBody, parseBodyWithKind } from '../../src/recordings/parse-body';

const boundary = 'XyZ';
const multipart = [
  `--${boundary}`,
  'Content-Disposition: form-data; name="title"',
  '',
  'Rex',
  `--${boundary}`,
  'Content-Disposition: form-data; name="meta"',
  'Content-Type: application/json',
  '',
  '{"w":1}',
  `--${boundary}`,
  'Content-Disposition: form-data; name="file"; filename="a.txt"',
  'Content-Type: text/plain',
  '',
  'line 1\r\nline 2',
  `--${boundary}--`,
  '',
].join('\r\n');

describe('recordings/parse-body', () => {
  const cases: [string, RecordedBody | undefined, unknown, string][] = [
    ['no body', undefined, undefined, 'none'],
    ['JSON', { mimeType: 'application/json', text: '{"a":[1,2]}' }, { a: [1, 2] }, 'json'],
    ['+json', { mimeType: 'application/problem+json', text: '{"status":404}' }, { status: 404 }, 'json'],
    ['vendor json', { mimeType: 'application/x-amz-json-1.1', text: '{"a":1}' }, { a: 1 }, 'json'],
    [
      'ndjson stays text',
      { mimeType: 'application/x-ndjson', text: '{"a":1}\n{"a":2}\n' },
      '{"a":1}\n{"a":2}\n',
      'text',
    ],
    ['text/json', { mimeType: 'text/json', text: '[true]' }, [true], 'json'],
    [
      'JSON with a BOM and spaces',
      { mimeType: 'application/json', text: '\uFEFF  {"a":1}\n' },
      { a: 1 },
      'json',
    ],
    ['JSON string value', { mimeType: 'application/json', text: '"hello"' }, 'hello', 'json'],
    ['broken JSON stays text', { mimeType: 'application/json', text: '{"a":' }, '{"a":', 'text'],
    ['unknown type that parses as JSON', { mimeType: '', text: '{"a":1}' }, { a: 1 }, 'json'],
    ['unknown type, plain text', { mimeType: '', text: 'hello' }, 'hello', 'text'],
    [
      'text/plain that looks like JSON stays text',
      { mimeType: 'text/plain', text: '{"a":1}' },
      '{"a":1}',
      'text',
    ],
    [
      'urlencoded text: decoded, repeated names → arrays',
      { mimeType: 'application/x-www-form-urlencoded', text: 'a=1&b=x+y&b=z%21&c=&d' },
      { a: '1', b: ['x y', 'z!'], c: '', d: '' },
      'form',
    ],
    [
      'urlencoded bracket names nest as the runtime parses them',
      {
        mimeType: 'application/x-www-form-urlencoded',
        text: 'metadata%5Bplan%5D=pro&items[0][price]=p_1&tags[]=a&tags[]=b',
      },
      { metadata: { plan: 'pro' }, items: [{ price: 'p_1' }], tags: ['a', 'b'] },
      'form',
    ],
    [
      'urlencoded params only',
      {
        mimeType: 'application/x-www-form-urlencoded',
        params: [
          { name: 'x', value: '1' },
          { name: 'x', value: '2' },
        ],
      },
      { x: ['1', '2'] },
      'form',
    ],
    [
      'multipart params: JSON parts parsed, files as content',
      {
        mimeType: 'multipart/form-data',
        params: [
          { name: 'title', value: 'Rex' },
          { name: 'meta', value: '{"w":1}', contentType: 'application/json' },
          { name: 'file', value: 'abc', fileName: 'a.txt', contentType: 'text/plain' },
          { name: 'empty', fileName: 'b.bin' },
        ],
      },
      { title: 'Rex', meta: { w: 1 }, file: 'abc', empty: '' },
      'multipart',
    ],
    [
      'multipart raw text (boundary from the first line)',
      { mimeType: 'multipart/form-data', text: multipart },
      { title: 'Rex', meta: { w: 1 }, file: 'line 1\r\nline 2' },
      'multipart',
    ],
    [
      'multipart recorded as base64',
      { mimeType: 'multipart/form-data', base64: Buffer.from(multipart).toString('base64') },
      { title: 'Rex', meta: { w: 1 }, file: 'line 1\r\nline 2' },
      'multipart',
    ],
    [
      'multipart text without a delimiter stays text',
      { mimeType: 'multipart/form-data', text: 'garbage' },
      'garbage',
      'text',
    ],
    ['XML text', { mimeType: 'application/xml', text: '<a/>' }, '<a/>', 'text'],
    ['binary', { mimeType: 'image/png', base64: 'iVBORw0K' }, undefined, 'binary'],
    ['empty body with a type', { mimeType: 'application/json' }, undefined, 'none'],
  ];
  for (const [what, body, want, kind] of cases) {
    it(what, () => {
      assert.deepEqual(parseBody(body), want);
      assert.equal(parseBodyWithKind(body).kind, kind);
    });
  }

  it('keeps documented bracket names flat', () => {
    const body: RecordedBody = {
      mimeType: 'application/x-www-form-urlencoded',
      text: 'filter[name]=rex&page[size]=2',
    };
    assert.deepEqual(parseBody(body, new Set(['filter[name]'])), {
      'filter[name]': 'rex',
      page: { size: '2' },
    });
  });
});
