import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { decodeBody, type BodyDecodeError, type DecodedBody } from '../../src/recordings/decode-body';

const JSON_TEXT = '{"id":1,"name":"Rex"}';
const b64 = (bytes: Buffer): string => bytes.toString('base64');

describe('recordings/decode-body', () => {
  // [what, text, content.encoding, content-encoding header, content type, want]
  const cases: [string, string, string, string, string, DecodedBody | BodyDecodeError][] = [
    ['plain text stays', JSON_TEXT, '', '', 'application/json', { text: JSON_TEXT }],
    [
      'base64 JSON becomes text',
      b64(Buffer.from(JSON_TEXT)),
      'base64',
      '',
      'application/json',
      { text: JSON_TEXT },
    ],
    ['base64 with line breaks', 'eyJh\nIjox\r\nfQ==', 'base64', '', 'application/json', { text: '{"a":1}' }],
    [
      'base64 gzip, header set',
      b64(zlib.gzipSync(JSON_TEXT)),
      'base64',
      'gzip',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'base64 deflate (zlib)',
      b64(zlib.deflateSync(JSON_TEXT)),
      'base64',
      'deflate',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'base64 raw deflate',
      b64(zlib.deflateRawSync(JSON_TEXT)),
      'base64',
      'deflate',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'base64 br',
      b64(zlib.brotliCompressSync(JSON_TEXT)),
      'base64',
      'br',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'stacked codings are undone last first',
      b64(zlib.brotliCompressSync(zlib.gzipSync(JSON_TEXT))),
      'base64',
      'gzip, br',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'already decoded by the writer: kept',
      b64(Buffer.from(JSON_TEXT)),
      'base64',
      'gzip',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'gzip without the header, textual type: detected by magic',
      b64(zlib.gzipSync(JSON_TEXT)),
      'base64',
      '',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'gzip stored as a latin1 string',
      zlib.gzipSync(JSON_TEXT).toString('latin1'),
      '',
      'gzip',
      'application/json',
      { text: JSON_TEXT },
    ],
    [
      'a legacy charset',
      b64(Buffer.from('café', 'latin1')),
      'base64',
      '',
      'text/plain; charset=ISO-8859-1',
      { text: 'café' },
    ],
    ['a UTF-8 BOM is dropped', b64(Buffer.from('\uFEFFhi')), 'base64', '', 'text/plain', { text: 'hi' }],
    [
      'an image stays base64',
      'iVBORw0KGgo=',
      'base64',
      '',
      'image/png',
      { text: 'iVBORw0KGgo=', encoding: 'base64' },
    ],
    [
      'unknown type, NUL bytes: base64',
      'AAEC/w==',
      'base64',
      '',
      '',
      { text: 'AAEC/w==', encoding: 'base64' },
    ],
    ['unknown type, UTF-8 text: text', b64(Buffer.from('hello')), 'base64', '', '', { text: 'hello' }],
    [
      'not base64',
      'not base64!',
      'base64',
      '',
      'application/json',
      { invalid: 'text', reason: 'encoding is base64 but the text is not base64' },
    ],
    [
      'an unsupported encoding',
      'abc',
      'quoted-printable',
      '',
      'text/plain',
      { invalid: 'encoding', reason: 'unsupported body encoding "quoted-printable" (HAR allows "base64")' },
    ],
    ['utf-8 and identity are no encoding', 'abc', 'identity', '', 'text/plain', { text: 'abc' }],
  ];
  for (const [what, text, encoding, contentEncoding, contentType, want] of cases) {
    it(what, () => {
      assert.deepEqual(decodeBody(text, encoding, contentEncoding, contentType), want);
    });
  }
});
