import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MockgenError } from '../../src/errors';
import { HarEntryScanner, loadHar } from '../../src/recordings/load-har';
import { fixture, writeLargeHar } from './helpers';

const PETS = '[{"id":1,"name":"Rex"},{"id":2,"name":"Tom"}]';

async function load(name: string, redact = true) {
  return (await loadHar([fixture(name)], redact ? {} : { redact: false })).exchanges;
}

async function loadError(file: string): Promise<MockgenError> {
  try {
    await loadHar([file]);
  } catch (err) {
    assert.ok(err instanceof MockgenError, `expected a MockgenError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${file} loaded without an error`);
}

describe('recordings/load-har', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-har-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('bodies', () => {
    it('decodes base64 bodies: JSON to text, images stay base64, legacy charsets, unknown binary', async () => {
      const [json, png, latin1, blob] = await load('base64-body.har');
      assert.deepEqual(json.response.body, {
        mimeType: 'application/json',
        text: '{"id":1,"name":"Rex","tag":"dog"}',
      });
      assert.equal(png.response.body?.mimeType, 'image/png');
      assert.equal(png.response.body?.text, undefined);
      assert.equal(
        Buffer.from(png.response.body?.base64 ?? '', 'base64')
          .toString('hex')
          .slice(0, 16),
        '89504e470d0a1a0a',
      );
      assert.deepEqual(latin1.response.body, { mimeType: 'text/plain', text: 'café crème' });
      assert.deepEqual(blob.response.body, { mimeType: '', base64: 'AAEC/w==' });
    });

    it('undoes gzip / deflate / br whether the HAR holds encoded bytes or decoded text', async () => {
      const exchanges = await load('gzip-encoded.har');
      const cases = [
        'gzip base64',
        'gzip header, text decoded',
        'br',
        'deflate',
        'raw deflate',
        'gzip latin1 text',
        'gzip, header lost',
        'gzip, br',
      ];
      assert.equal(exchanges.length, cases.length);
      exchanges.forEach((e, i) =>
        assert.deepEqual(e.response.body, { mimeType: 'application/json', text: PETS }, cases[i]),
      );
      // the recorded header stays on the exchange; recording-data drops it
      assert.ok(exchanges[0].response.headers.some(([n, v]) => n === 'content-encoding' && v === 'gzip'));
    });

    it('keeps urlencoded form posts as text and params, media type without parameters', async () => {
      const [token, update] = await load('form-post.har');
      assert.equal(token.request.body?.mimeType, 'application/x-www-form-urlencoded');
      assert.match(
        token.request.body?.text ?? '',
        /^grant_type=client_credentials&scope=pets%3Aread\+pets%3Awrite/,
      );
      assert.equal(token.request.body?.params?.length, 5);
      assert.deepEqual(update.request.body, {
        mimeType: 'application/x-www-form-urlencoded',
        params: [
          { name: 'name', value: 'Rex' },
          { name: 'status', value: 'sold' },
        ],
      });
      assert.equal(update.response.body, undefined);
      assert.equal(update.response.status, 204);
    });

    it('keeps multipart params (file name and content type) and raw multipart text', async () => {
      const [withParams, rawText] = await load('multipart-post.har');
      assert.deepEqual(withParams.request.body?.params?.[2], {
        name: 'file',
        value: 'hello file',
        fileName: 'rex.txt',
        contentType: 'text/plain',
      });
      assert.equal(rawText.request.body?.mimeType, 'multipart/form-data');
      assert.match(rawText.request.body?.text ?? '', /name="additionalMetadata"\r\n\r\na photo of Rex\r\n/);
    });
  });

  describe('requests', () => {
    it('reads Chrome HTTP/2 entries: host, raw path, decoded query, no pseudo-headers, lower-case names', async () => {
      const [e] = await load('chrome-http2.har', false);
      assert.equal(e.request.method, 'GET');
      assert.equal(e.request.host, 'api.example.com');
      assert.equal(e.request.path, '/v1/pets/Rex%20Jr');
      assert.deepEqual(e.request.query, [
        ['tag', 'good dog'],
        ['limit', '10'],
        ['empty', ''],
        ['flag', ''],
        ['api_key', 'sk_live_abcdef123456'],
      ]);
      assert.deepEqual(
        e.request.headers.map(([n]) => n),
        ['accept', 'authorization', 'cookie', 'x-api-version'],
      );
      assert.deepEqual(e.request.cookies, [
        ['sid', 'abc123secret'],
        ['theme', 'dark'],
      ]);
      assert.deepEqual(
        e.response.headers.map(([n]) => n),
        ['content-type', 'set-cookie'],
      );
      assert.equal(e.response.body?.mimeType, 'application/json');
    });

    it('redacts secrets by default (headers, query, cookies, echoed tokens) and not with redact: false', async () => {
      const [e] = await load('chrome-http2.har');
      const auth = e.request.headers.find(([n]) => n === 'authorization')?.[1] ?? '';
      assert.match(auth, /^Bearer eyJ[\w-]+\.eyJ[\w-]+\.REDACTED$/);
      assert.deepEqual(e.request.query[4], ['api_key', 'sk_live_REDACTED']);
      assert.ok(!e.request.url.includes('abcdef123456'));
      assert.ok(!JSON.stringify(e).includes('abc123secret'));
      assert.ok(
        !(e.response.body?.text ?? '').includes('q1w2e3r4t5y6'),
        'token echoed in the body is redacted',
      );
      const [raw] = await load('chrome-http2.har', false);
      assert.ok(
        raw.request.headers.some(([, v]) => v.endsWith('q1w2e3r4t5y6u7i8o9p0asdfghjklzxcvbnm1234567')),
      );
    });

    it('reads Polly.js recordings (host with port, custom fields ignored)', async () => {
      const [e] = await load('polly-recording.har');
      assert.equal(e.request.host, 'localhost:3000');
      assert.equal(e.request.path, '/v1/pets');
      assert.deepEqual(e.request.query, [['limit', '2']]);
      assert.deepEqual(e.response.body, { mimeType: 'application/json', text: PETS });
    });
  });

  describe('timing and failures', () => {
    it('takes waitMs from timings.wait, else the total time; time from the timings when missing', async () => {
      const exchanges = await load('response-timing.har');
      assert.deepEqual(
        exchanges.slice(0, 10).map((e) => e.waitMs),
        [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      );
      assert.equal(exchanges[0].timeMs, 13);
      assert.deepEqual([exchanges[10].waitMs, exchanges[10].timeMs], [42, 42]);
      assert.deepEqual([exchanges[11].waitMs, exchanges[11].timeMs], [7, 10]);
    });

    it('marks _error, response._error, status 0 and response-less entries as failed', async () => {
      const exchanges = await load('failed-entries.har');
      assert.deepEqual(
        exchanges.map((e) => [e.failed ?? false, e.response.status]),
        [
          [true, 0],
          [true, 0],
          [true, 0],
          [false, 200],
        ],
      );
    });

    it('numbers entries per file and keeps file order across files', async () => {
      const recordings = await loadHar([fixture('failed-entries.har'), fixture('polly-recording.har')]);
      assert.deepEqual(recordings.files, [fixture('failed-entries.har'), fixture('polly-recording.har')]);
      assert.deepEqual(
        recordings.exchanges.map((e) => [path.basename(e.file), e.entry]),
        [
          ['failed-entries.har', 0],
          ['failed-entries.har', 1],
          ['failed-entries.har', 2],
          ['failed-entries.har', 3],
          ['polly-recording.har', 0],
        ],
      );
    });
  });

  describe('malformed input', () => {
    const cases: { name: string; message: RegExp; details: Record<string, unknown> }[] = [
      {
        name: 'malformed-json.har',
        message:
          /malformed-json\.har:8:38: invalid JSON: unexpected '}' \(expected a property name in double quotes\)/,
        details: { line: 8 },
      },
      {
        name: 'malformed-entry.har',
        message:
          /malformed-entry\.har: entry 1 \(\/log\/entries\/1\/request\/url\): expected a string, got a number \(12\)/,
        details: { entry: 1, pointer: '/log/entries/1/request/url' },
      },
      {
        name: 'malformed-headers.har',
        message:
          /entry 0 \(\/log\/entries\/0\/response\/headers\): expected an array of \{ name, value \}, got an object/,
        details: { entry: 0, pointer: '/log/entries/0/response/headers' },
      },
      {
        name: 'malformed-no-entries.har',
        message: /:8:3: not a HAR file: "log" has no "entries" array/,
        details: { line: 8 },
      },
      {
        name: 'malformed-truncated.har',
        message: /:9:7: invalid JSON: unexpected end of file \(the HAR is truncated\)/,
        details: { line: 9 },
      },
      {
        name: 'malformed-not-har.har',
        message: /:1:1: not a HAR file: the top-level JSON value must be an object/,
        details: { line: 1 },
      },
    ];
    for (const c of cases) {
      it(`${c.name}: names the file, the place and the reason`, async () => {
        const err = await loadError(fixture(c.name));
        assert.match(err.message, c.message);
        assert.equal(err.details.file, fixture(c.name));
        for (const [key, value] of Object.entries(c.details))
          assert.equal((err.details as Record<string, unknown>)[key], value, key);
      });
    }

    const inline: [string, string, RegExp][] = [
      ['empty file', '', /: the file is empty/],
      ['whitespace only', '  \n ', /: the file is empty/],
      ['HTML error page', '<html>', /:1:1: invalid JSON: unexpected '<' \(expected '\{'\)/],
      ['log is an array', '{"log": []}', /:1:9: not a HAR file: \/log must be an object, got an array/],
      [
        'entries is an object',
        '{"log": {"entries": {}}}',
        /not a HAR file: \/log\/entries must be an array, got an object/,
      ],
      ['no log', '{"har": {}}', /not a HAR file: the top-level object has no "log" property/],
      [
        'trailing comma in log',
        '{"log": {"entries": [],}}',
        /:1:24: invalid JSON: unexpected '\}' \(expected a property name in double quotes\)/,
      ],
      [
        'garbage after the object',
        '{"log": {"entries": []}} x',
        /:1:26: invalid JSON: unexpected 'x' after the end of the HAR object/,
      ],
      [
        'entry not an object',
        '{"log": {"entries": [42]}}',
        /entry 0 \(\/log\/entries\/0\): expected an object, got a number \(42\)/,
      ],
      [
        'no request',
        '{"log": {"entries": [{"response": {"status": 200}}]}}',
        /\/log\/entries\/0\/request\): expected an object, got nothing/,
      ],
      [
        'bad method',
        '{"log": {"entries": [{"request": {"method": "GET /x", "url": "http://a/"}, "response": {"status": 200}}]}}',
        /\/log\/entries\/0\/request\/method\): not an HTTP method: "GET \/x"/,
      ],
      [
        'status not a number',
        '{"log": {"entries": [{"request": {"method": "GET", "url": "http://a/"}, "response": {"status": "OK"}}]}}',
        /\/log\/entries\/0\/response\/status\): expected a number, got a string \("OK"\)/,
      ],
      [
        'bad base64',
        '{"log": {"entries": [{"request": {"method": "GET", "url": "http://a/"}, "response": {"status": 200, "content": {"mimeType": "text/plain", "text": "%%%", "encoding": "base64"}}}]}}',
        /\/log\/entries\/0\/response\/content\/text\): encoding is base64 but the text is not base64/,
      ],
      [
        'bad string escape in a skipped value',
        '{"log": {"creator": "a\\qb", "entries": []}}',
        /:1:23: invalid JSON: bad escape '\\q' in a string/,
      ],
      [
        'newline inside a string',
        '{"log": {"entries": [{"a": "x\ny"}]}}',
        /:1:30: invalid JSON: control character in a string/,
      ],
    ];
    for (const [what, text, message] of inline) {
      it(`${what}`, async () => {
        const file = path.join(tmp, `${what.replace(/\W+/g, '-')}.har`);
        fs.writeFileSync(file, text);
        const err = await loadError(file);
        assert.match(err.message, message);
      });
    }

    it('a missing file is a MockgenError naming it', async () => {
      const err = await loadError(path.join(tmp, 'nope.har'));
      assert.match(err.message, /nope\.har: cannot read the HAR file: ENOENT/);
    });
  });

  describe('streaming', () => {
    const tricky = JSON.stringify({
      '{"log"': 'a key that looks like the start',
      log: {
        version: '1.2',
        creator: { name: 'x ] } [ {', version: '"\\' },
        pages: [{ id: 'p', title: 'a\\"b]}' }],
        entries: [
          {
            request: { method: 'GET', url: 'http://a/1' },
            response: { status: 200, content: { text: '}]"\\\\"' } },
          },
          {
            request: { method: 'GET', url: 'http://a/ü/2' },
            response: { status: 201, content: { text: '\u2028 ünï 😀' } },
          },
          { request: { method: 'POST', url: 'http://a/3' }, response: { status: 0 }, _error: 'x\\' },
        ],
        comment: 'after entries',
      },
    });

    function scanInChunks(text: string, sizes: (i: number) => number): unknown[] {
      const bytes = Buffer.from(`\uFEFF${text}`);
      const seen: unknown[] = [];
      const scanner = new HarEntryScanner('t.har', (raw, index) => {
        assert.equal(index, seen.length);
        seen.push(raw);
      });
      for (let at = 0, i = 0; at < bytes.length; i++) {
        const size = sizes(i);
        scanner.write(bytes.subarray(at, at + size));
        at += size;
      }
      scanner.end();
      return seen;
    }

    it('finds the same entries whatever the chunk boundaries (1 byte, 2, 3, 7, 64 bytes)', () => {
      const want = (JSON.parse(tricky) as { log: { entries: unknown[] } }).log.entries;
      for (const size of [1, 2, 3, 7, 64])
        assert.deepEqual(
          scanInChunks(tricky, () => size),
          want,
          `chunks of ${size}`,
        );
      assert.deepEqual(
        scanInChunks(tricky, (i) => 1 + ((i * 7919) % 13)),
        want,
      );
    });

    it('finds the same entries when the caller reuses one buffer for every chunk', () => {
      const want = (JSON.parse(tricky) as { log: { entries: unknown[] } }).log.entries;
      const bytes = Buffer.from(tricky);
      for (const size of [1, 5, 64]) {
        const seen: unknown[] = [];
        const scanner = new HarEntryScanner('t.har', (raw) => seen.push(raw));
        const buffer = Buffer.alloc(size);
        for (let at = 0; at < bytes.length; at += size)
          scanner.write(buffer.subarray(0, bytes.copy(buffer, 0, at, at + size)));
        scanner.end();
        assert.deepEqual(seen, want, `a buffer of ${size}`);
      }
    });

    it('handles pretty-printed input with a BOM and reports positions after multi-line entries', () => {
      const pretty = JSON.stringify(JSON.parse(tricky), null, 2).replace(/\n {2}\}\n\}$/, '\n  },\n}');
      const lastLine = pretty.split('\n').length;
      assert.throws(
        () => scanInChunks(pretty, () => 5),
        (err: Error) =>
          err.message ===
          `t.har:${lastLine}:1: invalid JSON: unexpected '}' (expected a property name in double quotes)`,
      );
    });

    it('loads gzip-compressed HAR files (.har.gz)', async () => {
      const file = path.join(tmp, 'pets.har.gz');
      fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(fixture('gzip-encoded.har'))));
      const { exchanges } = await loadHar([file]);
      assert.equal(exchanges.length, 8);
      assert.equal(exchanges[7].response.body?.text, PETS);
    });

    it('loads a 5,000-entry HAR (6 MB) quickly', async function () {
      this.timeout(30000);
      const file = path.join(tmp, 'large.har');
      const size = await writeLargeHar(file, 5000);
      const started = Date.now();
      const { exchanges } = await loadHar([file]);
      const elapsed = Date.now() - started;
      assert.equal(exchanges.length, 5000);
      assert.ok(size > 5_000_000, `size ${size}`);
      assert.equal(exchanges[4999].request.path, '/v1/payments/pay_4999');
      assert.match(exchanges[4999].response.body?.text ?? '', /ünïcödé and \\"quotes\\" \\\\ backslashes/);
      assert.match(
        exchanges[4999].request.headers.find(([n]) => n === 'authorization')?.[1] ?? '',
        /REDACTED/,
      );
      assert.ok(elapsed < 15000, `took ${elapsed} ms`);
    });
  });
});
