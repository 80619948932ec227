import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import {
  BodyCapture,
  bodyAsText,
  decodeContent,
  toHarContent,
  toHarPostData,
} from '../../src/record/capture';

const TEXT = 'hello recorded world '.repeat(200);

describe('record: body capture and decoding', () => {
  const decodeCases: [string, Buffer, string, string][] = [
    ['gzip', zlib.gzipSync(TEXT), 'gzip', TEXT],
    ['x-gzip', zlib.gzipSync(TEXT), 'x-gzip', TEXT],
    ['deflate (zlib)', zlib.deflateSync(TEXT), 'deflate', TEXT],
    ['deflate (raw, as some servers send)', zlib.deflateRawSync(TEXT), 'deflate', TEXT],
    ['br', zlib.brotliCompressSync(TEXT), 'br', TEXT],
    ['gzip then br', zlib.brotliCompressSync(zlib.gzipSync(TEXT)), 'gzip, br', TEXT],
    ['identity', Buffer.from(TEXT), 'identity', TEXT],
  ];
  for (const [name, input, encoding, want] of decodeCases) {
    it(`decodes ${name}`, async () => {
      const out = await decodeContent(input, encoding, 1 << 20);
      assert.equal(out.bytes.toString(), want);
      assert.equal(out.undecodable, undefined);
    });
  }

  it('decodes the start of a truncated gzip body', async () => {
    const zipped = zlib.gzipSync(Buffer.from(Array.from({ length: 50_000 }, (_, i) => String(i)).join(',')));
    const out = await decodeContent(zipped.subarray(0, Math.floor(zipped.length / 2)), 'gzip', 1 << 20);
    assert.ok(out.bytes.length > 1000);
    assert.ok(out.bytes.toString().startsWith('0,1,2,3'));
  });

  it('stops a compression bomb at the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const out = await decodeContent(bomb, 'gzip', 1024 * 1024);
    assert.equal(out.bytes.length, 1024 * 1024);
    assert.equal(out.cut, true);
  });

  it('keeps undecodable bodies as received, with the reason', async () => {
    const out = await decodeContent(Buffer.from('not gzip'), 'gzip', 1024);
    assert.equal(out.bytes.toString(), 'not gzip');
    assert.match(out.undecodable ?? '', /gzip/);
    const unknown = await decodeContent(Buffer.from('x'), 'compress', 1024);
    assert.match(unknown.undecodable ?? '', /unsupported content-encoding 'compress'/);
  });

  const textCases: [string, Buffer, string | undefined, boolean][] = [
    ['json', Buffer.from('{"a":1}'), 'application/json; charset=utf-8', true],
    ['vendor json', Buffer.from('{}'), 'application/vnd.api+json', true],
    ['text', Buffer.from('héllo'), 'text/plain', true],
    ['svg', Buffer.from('<svg/>'), 'image/svg+xml', true],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png', false],
    ['octet-stream even if ascii', Buffer.from('abc'), 'application/octet-stream', false],
    ['unknown type, utf-8 text', Buffer.from('plain words'), undefined, true],
    ['unknown type, control bytes', Buffer.from([0x00, 0x01, 0x41]), undefined, false],
    ['declared text, invalid utf-8', Buffer.from([0xff, 0xfe, 0x41]), 'text/plain', false],
  ];
  for (const [name, bytes, contentType, isText] of textCases) {
    it(`text or base64: ${name}`, () => assert.equal(bodyAsText(bytes, contentType) !== undefined, isText));
  }

  it('HAR content for a binary body is base64 with the decoded size', async () => {
    const capture = new BodyCapture(1024);
    capture.add(Buffer.from([1, 2, 3, 250]));
    const content = await toHarContent(capture, { contentType: 'application/octet-stream' }, 1024);
    assert.deepEqual(content, {
      size: 4,
      mimeType: 'application/octet-stream',
      text: 'AQID+g==',
      encoding: 'base64',
    });
  });

  it('HAR postData for a form has params', async () => {
    const capture = new BodyCapture(1024);
    capture.add(Buffer.from('a=1&b=two+words&c=%26'));
    const post = await toHarPostData(capture, { contentType: 'application/x-www-form-urlencoded' }, 1024);
    assert.deepEqual(post?.params, [
      { name: 'a', value: '1' },
      { name: 'b', value: 'two words' },
      { name: 'c', value: '&' },
    ]);
    assert.equal(await toHarPostData(new BodyCapture(10), {}, 10), undefined);
  });

  it('a capture keeps only the first bytes and counts the rest', () => {
    const capture = new BodyCapture(5);
    capture.add(Buffer.from('abc'));
    capture.add(Buffer.from('defgh'));
    assert.equal(capture.bytes().toString(), 'abcde');
    assert.equal(capture.total, 8);
    assert.equal(capture.truncated, true);
  });
});
