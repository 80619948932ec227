import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { HarEntry, HarLog } from '../../src/recordings/har-types';
import { loadContract } from '../../src/contract/load-contract';
import { loadHar } from '../../src/recordings/load-har';
import { upstreamPath, withoutHopByHop } from '../../src/record/proxy';
import { startRecorder, type Recorder, type RecorderSummary } from '../../src/record/recorder';
import { BIG_TEXT, BINARY, close, endToEndHeaders, fetchRaw, GZIP_JSON, startTarget } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-record-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function readHar(file: string): HarLog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog;
}

function entryFor(har: HarLog, suffix: string, method = 'GET'): HarEntry {
  const found = har.log.entries.find((e) => e.request.method === method && e.request.url.endsWith(suffix));
  assert.ok(
    found,
    `no entry for ${method} ${suffix} in ${har.log.entries.map((e) => e.request.url).join(', ')}`,
  );
  return found;
}

function header(entry: { headers: { name: string; value: string }[] }, name: string): string[] {
  return entry.headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
}

describe('record: pure helpers', () => {
  const paths: [string, string, string][] = [
    ['http://t', '/pets?a=1', '/pets?a=1'],
    ['http://t/v1', '/pets', '/v1/pets'],
    ['http://t/v1/', '/pets?x', '/v1/pets?x'],
    ['http://t/v1', '/', '/v1'],
    ['http://t/v1/', '/?q=1', '/v1/?q=1'],
    ['http://t', '/a%2Fb/../c', '/a%2Fb/../c'],
    ['http://t/v1', 'http://elsewhere:9/pets?a=1', '/v1/pets?a=1'],
  ];
  for (const [target, requestUrl, want] of paths) {
    it(`upstream path: ${target} + ${requestUrl} → ${want}`, () =>
      assert.equal(upstreamPath(new URL(target), requestUrl), want));
  }

  it('drops hop-by-hop headers and those named by Connection, keeps duplicates', () => {
    const raw = [
      'Host',
      'a',
      'Connection',
      'keep-alive, X-Hop',
      'X-Hop',
      '1',
      'Keep-Alive',
      'timeout=5',
      'TE',
      'trailers',
      'X-A',
      '1',
      'x-a',
      '2',
    ];
    assert.deepEqual(withoutHopByHop(raw), ['Host', 'a', 'X-A', '1', 'x-a', '2']);
  });
});

describe('record: recording proxy', function () {
  this.timeout(20_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  let recorder: Recorder;
  let summary: RecorderSummary;
  let har: HarLog;
  const file = path.join(tmp, 'proxy.har');
  const direct: Record<string, Awaited<ReturnType<typeof fetchRaw>>> = {};
  const proxied: Record<string, Awaited<ReturnType<typeof fetchRaw>>> = {};
  const routes: [string, { method?: string; headers?: Record<string, string>; body?: string }][] = [
    [
      '/json?x=1&y=two%20words',
      { headers: { Authorization: 'Bearer sk_live_supersecretvalue123', 'X-Trace': 'abc' } },
    ],
    ['/binary', {}],
    ['/gzip', { headers: { 'Accept-Encoding': 'gzip' } }],
    ['/br', {}],
    ['/stream', {}],
    ['/fail', {}],
    [
      '/echo',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'rex', password: 'hunter2-the-password' }),
      },
    ],
    ['/big', {}],
  ];

  before(async () => {
    target = await startTarget();
    recorder = await startRecorder({
      target: target.url,
      port: 0,
      out: file,
      redact: {},
      maxBodySize: 64 * 1024,
    });
    for (const [route, options] of routes) {
      direct[route] = await fetchRaw(target.url + route, options);
      proxied[route] = await fetchRaw(recorder.url + route, options);
    }
    summary = await recorder.stop();
    har = readHar(file);
  });
  after(async () => {
    await recorder?.stop();
    await close(target?.server);
  });

  for (const [route] of routes) {
    it(`the app sees exactly what the target sent: ${route}`, () => {
      const want = direct[route];
      const got = proxied[route];
      assert.equal(got.status, want.status);
      assert.equal(got.statusMessage, want.statusMessage);
      assert.deepEqual(endToEndHeaders(got.rawHeaders), endToEndHeaders(want.rawHeaders));
      assert.ok(got.body.equals(want.body), `body differs for ${route}`);
    });
  }

  it('writes one entry per exchange and a summary', () => {
    assert.equal(har.log.version, '1.2');
    assert.equal(har.log.creator.name, 'mockgen record');
    assert.equal(har.log.entries.length, routes.length);
    assert.equal(summary.written, routes.length);
    assert.equal(summary.exchanges, routes.length);
    assert.equal(summary.errors, 0);
  });

  it('captures URL, query, headers (Host rewritten, secrets redacted), status text, duplicates and cookies', () => {
    const entry = entryFor(har, '/json?x=1&y=two%20words');
    assert.equal(entry.request.url, `${target.url}/json?x=1&y=two%20words`);
    assert.deepEqual(entry.request.queryString, [
      { name: 'x', value: '1' },
      { name: 'y', value: 'two words' },
    ]);
    assert.deepEqual(header(entry.request, 'host'), [new URL(target.url).host]);
    assert.deepEqual(header(entry.request, 'authorization'), ['Bearer sk_live_REDACTED']);
    assert.deepEqual(header(entry.request, 'x-trace'), ['abc']);
    assert.equal(entry.response.status, 200);
    assert.equal(entry.response.statusText, 'Fine Thanks');
    assert.deepEqual(header(entry.response, 'x-dup'), ['one', 'two']);
    assert.deepEqual(header(entry.response, 'set-cookie'), ['a=REDACTED; Path=/', 'b=REDACTED; HttpOnly']);
    assert.deepEqual(
      entry.response.cookies.map((c) => [c.name, c.value]),
      [
        ['a', 'REDACTED'],
        ['b', 'REDACTED'],
      ],
    );
    assert.deepEqual(JSON.parse(entry.response.content.text ?? ''), {
      ok: true,
      query: { x: '1', y: 'two words' },
      host: new URL(target.url).host,
    });
    assert.ok(!fs.readFileSync(file, 'utf8').includes('supersecretvalue'), 'secret in the HAR file');
  });

  it('records timings and start time', () => {
    for (const entry of har.log.entries) {
      assert.ok(!Number.isNaN(Date.parse(entry.startedDateTime)));
      const { send, wait, receive } = entry.timings;
      for (const t of [send, wait, receive]) assert.ok(typeof t === 'number' && t >= 0);
      const parts = [entry.timings.blocked, entry.timings.connect, send, wait, receive].filter(
        (t): t is number => (t ?? -1) > 0,
      );
      assert.ok(
        Math.abs(entry.time - parts.reduce((a, b) => a + b, 0)) < 0.01,
        'time is the sum of the timings',
      );
    }
    const stream = entryFor(har, '/stream');
    assert.ok(stream.timings.receive >= 200, `stream receive ${stream.timings.receive} ms`);
  });

  it('stores binary bodies as base64 and compressed bodies decoded with the encoding noted', () => {
    const binary = entryFor(har, '/binary').response.content;
    assert.equal(binary.encoding, 'base64');
    assert.ok(Buffer.from(binary.text ?? '', 'base64').equals(BINARY));
    assert.equal(binary.size, BINARY.length);

    const gzip = entryFor(har, '/gzip');
    assert.deepEqual(JSON.parse(gzip.response.content.text ?? ''), GZIP_JSON);
    assert.equal(gzip.response.content._encoding, 'gzip');
    assert.match(gzip.response.content.comment ?? '', /gzip/);
    assert.deepEqual(header(gzip.response, 'content-encoding'), ['gzip']);
    assert.equal(gzip.response.content.size, Buffer.byteLength(JSON.stringify(GZIP_JSON)));
    assert.equal(gzip.response.bodySize, zlib.gzipSync(JSON.stringify(GZIP_JSON)).length);

    const br = entryFor(har, '/br').response.content;
    assert.equal(br.text, 'brotli text body');
    assert.equal(br._encoding, 'br');
  });

  it('records request bodies (redacted) and non-2xx responses', () => {
    const echo = entryFor(har, '/echo', 'POST');
    assert.equal(echo.request.postData?.mimeType, 'application/json');
    assert.deepEqual(JSON.parse(echo.request.postData?.text ?? ''), { name: 'rex', password: 'REDACTED' });
    assert.equal(echo.response.status, 201);
    assert.equal(entryFor(har, '/fail').response.status, 500);
  });

  it('is loadable by the HAR loader of generate and drift', async () => {
    const recordings = await loadHar([file]);
    assert.equal(recordings.exchanges.length, routes.length);
    const json = recordings.exchanges.find((e) => e.request.path === '/json');
    assert.deepEqual(json?.request.query, [
      ['x', '1'],
      ['y', 'two words'],
    ]);
    assert.equal(json?.response.status, 200);
    const binary = recordings.exchanges.find((e) => e.request.path === '/binary');
    assert.ok(Buffer.from(binary?.response.body?.base64 ?? '', 'base64').equals(BINARY));
    const gzip = recordings.exchanges.find((e) => e.request.path === '/gzip');
    assert.deepEqual(JSON.parse(gzip?.response.body?.text ?? ''), GZIP_JSON);
  });

  it('streams: the app gets the first event before the target finished', () => {
    const got = proxied['/stream'];
    assert.ok(got.firstByteMs < got.endMs - 150, `first byte ${got.firstByteMs} ms, end ${got.endMs} ms`);
    assert.equal(
      entryFor(har, '/stream').response.content.text,
      'data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n',
    );
  });

  it('truncates big bodies in the HAR but forwards them whole', () => {
    assert.equal(proxied['/big'].body.length, BIG_TEXT.length);
    const content = entryFor(har, '/big').response.content;
    assert.equal(content._truncated, true);
    assert.equal(content.text?.length, 64 * 1024);
    assert.equal(content.size, BIG_TEXT.length);
    assert.match(content.comment ?? '', /truncated/);
  });
});

describe('record: proxy failures and load', function () {
  this.timeout(20_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  const recorders: Recorder[] = [];
  before(async () => (target = await startTarget()));
  after(async () => {
    for (const r of recorders) await r.stop(0);
    await close(target?.server);
  });

  async function record(name: string, options: { target?: string; timeoutMs?: number } = {}) {
    const file = path.join(tmp, `${name}.har`);
    const recorder = await startRecorder({
      target: options.target ?? target.url,
      port: 0,
      out: file,
      redact: {},
      timeoutMs: options.timeoutMs,
    });
    recorders.push(recorder);
    return { recorder, file };
  }

  it('502 problem+json when the target is down, entry marked failed, proxy keeps running', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', () => resolve()));
    const port = (dead.address() as AddressInfo).port;
    await close(dead);
    const { recorder, file } = await record('down', { target: `http://127.0.0.1:${port}` });
    for (let i = 0; i < 2; i++) {
      const res = await fetchRaw(`${recorder.url}/pets`);
      assert.equal(res.status, 502);
      assert.match(
        endToEndHeaders(res.rawHeaders).find(([n]) => n === 'content-type')?.[1] ?? '',
        /problem\+json/,
      );
      const body = JSON.parse(res.body.toString()) as { status: number; detail: string };
      assert.equal(body.status, 502);
      assert.match(body.detail, /ECONNREFUSED/);
    }
    const summary = await recorder.stop();
    assert.equal(summary.errors, 2);
    const har = readHar(file);
    assert.equal(har.log.entries.length, 2);
    assert.equal(har.log.entries[0].response.status, 0);
    assert.match(String(har.log.entries[0]._error), /ECONNREFUSED/);
  });

  it('504 when the target is silent longer than the timeout', async () => {
    const { recorder, file } = await record('timeout', { timeoutMs: 150 });
    const res = await fetchRaw(`${recorder.url}/slow?ms=2000`);
    assert.equal(res.status, 504);
    assert.equal((JSON.parse(res.body.toString()) as { title: string }).title, 'Gateway Timeout');
    const ok = await fetchRaw(`${recorder.url}/slow?ms=10`);
    assert.equal(ok.status, 200);
    await recorder.stop();
    const [failed, passed] = readHar(file).log.entries;
    assert.equal(failed.response.status, 0);
    assert.match(String(failed._error), /timeout/);
    assert.equal(passed.response.status, 200);
  });

  it('a target dying mid-response: the app sees the cut, the entry keeps status and the error', async () => {
    const { recorder, file } = await record('reset');
    await assert.rejects(fetchRaw(`${recorder.url}/reset`));
    await recorder.stop();
    const [entry] = readHar(file).log.entries;
    assert.equal(entry.response.status, 200);
    assert.equal(entry.response.content.text, 'partial');
    assert.ok(entry._error);
  });

  it('captures concurrent requests over keep-alive connections, each once', async () => {
    const { recorder, file } = await record('concurrent');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const n = 40;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetchRaw(`${recorder.url}/echo?i=${i}`, {
          method: 'POST',
          body: `body ${i}`,
          headers: { 'content-type': 'text/plain' },
          agent,
        }),
      ),
    );
    agent.destroy();
    results.forEach((r, i) => assert.equal(r.body.toString(), `body ${i}`));
    await recorder.stop();
    const entries = readHar(file).log.entries;
    assert.equal(entries.length, n);
    const seen = entries
      .map((e) => Number(new URL(e.request.url).searchParams.get('i')))
      .sort((a, b) => a - b);
    assert.deepEqual(
      seen,
      Array.from({ length: n }, (_, i) => i),
    );
    for (const e of entries) assert.equal(e.response.content.text, e.request.postData?.text);
    assert.ok(
      entries.some((e) => e.timings.connect === -1),
      'some exchanges reused a connection',
    );
  });

  it('tunnels upgraded (WebSocket-style) connections and records the handshake', async () => {
    const { recorder, file } = await record('upgrade');
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${recorder.url}/echo-socket`, {
        headers: { Connection: 'Upgrade', Upgrade: 'echo', Authorization: 'Bearer upgrade-secret-token' },
      });
      req.on('upgrade', (res, socket) => {
        assert.equal(res.statusCode, 101);
        socket.write('ping over the tunnel');
        socket.once('data', (data: Buffer) => {
          resolve(data.toString());
          socket.destroy();
        });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(echoed, 'ping over the tunnel');
    const refused = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${recorder.url}/elsewhere`, {
        headers: { Connection: 'Upgrade', Upgrade: 'echo' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(refused, 403);
    await recorder.stop();
    const text = fs.readFileSync(file, 'utf8');
    const entries = (JSON.parse(text) as HarLog).log.entries;
    assert.deepEqual(
      entries.map((e) => e.response.status),
      [101, 403],
    );
    assert.ok(!text.includes('upgrade-secret-token'));
  });

  it('--no-redact writes secrets as captured; extra names are redacted', async () => {
    const plain = path.join(tmp, 'plain.har');
    const r1 = await startRecorder({ target: target.url, port: 0, out: plain, redact: { enabled: false } });
    recorders.push(r1);
    await fetchRaw(`${r1.url}/json?x=1`, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    await r1.stop();
    assert.deepEqual(header(readHar(plain).log.entries[0].request, 'authorization'), ['Basic dXNlcjpwYXNz']);

    const named = path.join(tmp, 'named.har');
    const r2 = await startRecorder({
      target: target.url,
      port: 0,
      out: named,
      redact: { names: ['X-Tenant'] },
    });
    recorders.push(r2);
    await fetchRaw(`${r2.url}/json?x-tenant=acme-corp-123`, { headers: { 'X-Tenant': 'acme-corp-123' } });
    await r2.stop();
    const text = fs.readFileSync(named, 'utf8');
    assert.ok(!text.includes('acme-corp-123'));
  });
});

describe('record: with a contract (--spec)', function () {
  this.timeout(20_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  let recorder: Recorder | undefined;
  before(async () => (target = await startTarget()));
  after(async () => {
    await recorder?.stop(0);
    await close(target?.server);
  });

  it('redacts the contract apiKey names and prints one drift line per finding, counted by kind', async () => {
    const contract = await loadContract(path.join(process.cwd(), 'test/fixtures/record/target-api.yaml'));
    const file = path.join(tmp, 'spec.har');
    const lines: string[] = [];
    recorder = await startRecorder({
      target: target.url,
      port: 0,
      out: file,
      redact: { securitySchemes: contract.securitySchemes },
      contract,
      onDrift: (line) => lines.push(line),
    });
    await fetchRaw(`${recorder.url}/json?x=1`, { headers: { 'X-Acme-Key': 'acme_key_value_123456' } });
    await fetchRaw(`${recorder.url}/binary?sub_key=querykeyvalue99`);
    await fetchRaw(`${recorder.url}/undocumented`, { headers: { 'X-Acme-Key': 'acme_key_value_123456' } });
    const summary = await recorder.stop();
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(
      !text.includes('acme_key_value_123456') && !text.includes('querykeyvalue99'),
      'api keys in the HAR',
    );
    assert.equal(lines.length, summary.findings, lines.join('\n'));
    assert.ok(
      lines.some((line) => /^drift: entry 0 \(GET \/json\): error .*ok/.test(line)),
      lines.join('\n'),
    );
    assert.ok(lines.some((line) => /^drift: entry 2 \(GET \/undocumented\): .*undocumented/.test(line)));
    assert.ok(!lines.some((line) => line.startsWith('drift: entry 1 ')));
    assert.equal(summary.drifted, 2);
    const counted = (summary.driftByKind ?? '').split(', ').map((part) => Number(part.split(' ')[0]));
    assert.equal(
      counted.reduce((a, b) => a + b, 0),
      summary.findings,
    );
    for (const line of lines) assert.ok(!line.includes('\n'));
  });
});

describe('record: https targets', function () {
  this.timeout(20_000);
  let server: https.Server;
  let targetUrl = '';
  const recorders: Recorder[] = [];
  before(async () => {
    const fixtures = path.join(process.cwd(), 'test/fixtures/record');
    server = https.createServer(
      {
        key: fs.readFileSync(path.join(fixtures, 'localhost-key.pem')),
        cert: fs.readFileSync(path.join(fixtures, 'localhost-cert.pem')),
      },
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ secure: true, host: req.headers.host, path: req.url }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    targetUrl = `https://localhost:${(server.address() as AddressInfo).port}/api`;
  });
  after(async () => {
    for (const r of recorders) await r.stop(0);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses an untrusted certificate with 502, accepts it with --insecure', async () => {
    const strictFile = path.join(tmp, 'tls-strict.har');
    const strict = await startRecorder({ target: targetUrl, port: 0, out: strictFile, redact: {} });
    recorders.push(strict);
    const refused = await fetchRaw(`${strict.url}/ping`);
    assert.equal(refused.status, 502);
    assert.match(refused.body.toString(), /certificate/i);

    const file = path.join(tmp, 'tls.har');
    const insecure = await startRecorder({
      target: targetUrl,
      port: 0,
      out: file,
      redact: {},
      insecure: true,
    });
    recorders.push(insecure);
    const res = await fetchRaw(`${insecure.url}/ping?a=1`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), {
      secure: true,
      host: new URL(targetUrl).host,
      path: '/api/ping?a=1',
    });
    await insecure.stop();
    const [entry] = readHar(file).log.entries;
    assert.equal(entry.request.url, `${targetUrl}/ping?a=1`);
    assert.ok((entry.timings.ssl ?? -1) >= 0, 'ssl time recorded');
  });
});
