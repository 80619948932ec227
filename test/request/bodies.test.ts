import assert from 'node:assert/strict';
import { parseBody } from '../../templates/runtime/body';
import {
  BodyParseError,
  STYLES,
  bodyParserFor,
  parseBodySync,
  type UploadedPart,
} from '../../templates/runtime/core/request';

const BOUNDARY = '----b0undary';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function part(headers: string[], content: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\n${headers.join('\r\n')}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}

const end = Buffer.from(`--${BOUNDARY}--\r\n`);

describe('request/bodies: the synchronous multipart parser reads what busboy reads', () => {
  const cases: [string, Buffer][] = [
    [
      'fields, nested names, a JSON part',
      Buffer.concat([
        part(['Content-Disposition: form-data; name="title"'], 'caf\u00e9'),
        part(['Content-Disposition: form-data; name="meta[plan]"'], 'pro'),
        part(['Content-Disposition: form-data; name="tags[]"'], 'a'),
        part(['Content-Disposition: form-data; name="tags[]"'], 'b'),
        part(['Content-Disposition: form-data; name="doc"', 'Content-Type: application/json'], '{"a":[1,2]}'),
        end,
      ]),
    ],
    [
      'a binary file, a JSON file and an octet-stream part without a filename',
      Buffer.concat([
        part(
          ['Content-Disposition: form-data; name="file"; filename="a.bin"', 'Content-Type: image/png'],
          Buffer.from([0, 255, 13, 10, 45, 45, 128]),
        ),
        part(
          [
            'Content-Disposition: form-data; name="meta"; filename="m.json"',
            'Content-Type: application/json',
          ],
          '{"x":1}',
        ),
        part(
          ['Content-Disposition: form-data; name="blob"', 'Content-Type: application/octet-stream'],
          'raw',
        ),
        end,
      ]),
    ],
    ['an empty form', end],
  ];
  for (const [name, body] of cases) {
    it(name, async () => {
      const streamed: UploadedPart[] = [];
      const buffered: UploadedPart[] = [];
      const want = await parseBody(body, TYPE, 'multipart/form-data', undefined, streamed);
      const got = parseBodySync({
        raw: body,
        contentType: TYPE,
        mediaType: 'multipart/form-data',
        uploads: buffered,
      });
      assert.deepEqual(got, want);
      assert.deepEqual(buffered, streamed);
    });
  }

  it('a body without its close delimiter, or without a boundary, cannot be read (as busboy refuses it)', async () => {
    const truncated = part(['Content-Disposition: form-data; name="a"'], '1');
    assert.throws(
      () => parseBodySync({ raw: truncated, contentType: TYPE, mediaType: 'multipart/form-data' }),
      BodyParseError,
    );
    await assert.rejects(Promise.resolve(parseBody(truncated, TYPE, 'multipart/form-data')));
    assert.throws(
      () =>
        parseBodySync({
          raw: Buffer.from('a=1'),
          contentType: 'multipart/form-data',
          mediaType: 'multipart/form-data',
        }),
      /Boundary not found/,
    );
  });

  it('one parser per media type, one style per OpenAPI style name', () => {
    const parsers = [
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'text/plain',
      'image/png',
    ];
    assert.equal(new Set(parsers.map(bodyParserFor)).size, parsers.length);
    assert.deepEqual(Object.keys(STYLES).sort(), [
      'deepObject',
      'form',
      'label',
      'matrix',
      'pipeDelimited',
      'simple',
      'spaceDelimited',
      'tabDelimited',
    ]);
  });

  it('invalid JSON and an unknown charset are violations, as text or as bytes', () => {
    for (const raw of ['{"a":', Buffer.from('{"a":')]) {
      assert.throws(() => parseBodySync({ raw, mediaType: 'application/json' }), { code: 'json' });
    }
    assert.throws(
      () => parseBodySync({ raw: 'x', contentType: 'text/plain; charset=koi8-r', mediaType: 'text/plain' }),
      { code: 'charset' },
    );
    assert.equal(
      parseBodySync({
        raw: Buffer.from([0xe9]),
        contentType: 'text/plain; charset=iso-8859-1',
        mediaType: 'text/plain',
      }),
      '\u00e9',
    );
  });
});
