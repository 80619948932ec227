/**
 * `mockgen record` at wire speed (issue 15): every exchange the app saw complete is on disk when the
 * recorder is SIGKILLed, event streams pass through as they are sent, https targets have their
 * certificate checked, and a bad or unreachable --target is said clearly. Child processes on
 * 127.0.0.1, each stopped at the end.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HarLog } from '../../src/recordings/har-types';
import { parseTarget } from '../../src/record/proxy';
import { startRecorder } from '../../src/record/recorder';
import { close, fetchRaw, listeningUrl, spawnMockgenRecord, startTarget, type RecordRun } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-record-wire-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const fixtures = path.join(process.cwd(), 'test/fixtures/record');

function readHar(file: string): HarLog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog;
}

/** Resolves once `run`'s stderr matches `pattern` (rejects after `ms`). */
function stderrMatches(run: RecordRun, pattern: RegExp, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stderr never matched ${pattern}: ${run.stderr()}`)), ms);
    const look = (): void => {
      if (pattern.test(run.stderr())) {
        clearTimeout(timer);
        resolve();
      }
    };
    run.child.stderr?.on('data', look);
    look();
  });
}

describe('record: at wire speed (issue 15)', function () {
  this.timeout(60_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  const runs: RecordRun[] = [];
  before(async () => (target = await startTarget()));
  after(async () => {
    for (const run of runs)
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await close(target?.server);
  });

  it('kill -9 right after the last response: the HAR parses as-is and holds every exchange', async () => {
    const out = path.join(tmp, 'durable.har');
    const run = spawnMockgenRecord(['--target', target.url, '--port', '0', '--out', out, '--quiet']);
    runs.push(run);
    const url = await listeningUrl(run);
    const n = 300;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetchRaw(`${url}/${i % 3 === 0 ? 'echo' : 'json'}?i=${i}`, {
          agent,
          ...(i % 3 === 0
            ? { method: 'POST', body: `body ${i}`, headers: { 'content-type': 'text/plain' } }
            : {}),
        }),
      ),
    );
    // no pause: the recorder dies the moment the app has its last response
    run.child.kill('SIGKILL');
    agent.destroy();
    await run.exited;
    for (const res of responses) assert.ok(res.status === 200 || res.status === 201, String(res.status));
    const har = readHar(out);
    assert.equal(har.log.entries.length, n);
    const seen = har.log.entries.map((e) => Number(new URL(e.request.url).searchParams.get('i')));
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
    for (const entry of har.log.entries) assert.ok(entry.response.status >= 200 && !entry._error);
  });

  it('an event stream passes through unbuffered: the first event arrives while the target still sends', async () => {
    const sse = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      const timer = setTimeout(() => res.end('data: last\n\n'), 800);
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => sse.listen(0, '127.0.0.1', () => resolve()));
    const out = path.join(tmp, 'sse.har');
    const recorder = await startRecorder({
      target: `http://127.0.0.1:${(sse.address() as AddressInfo).port}`,
      port: 0,
      out,
      redact: {},
    });
    try {
      const started = Date.now();
      const events: { at: number; text: string }[] = [];
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${recorder.url}/events`, (res) => {
            assert.equal(res.headers['content-type'], 'text/event-stream');
            res.on('data', (chunk: Buffer) =>
              events.push({ at: Date.now() - started, text: chunk.toString() }),
            );
            res.on('end', resolve);
          })
          .on('error', reject);
      });
      assert.equal(events[0].text, 'data: first\n\n');
      assert.ok(events[0].at < 500, `first event after ${events[0].at} ms`);
      assert.ok(events[events.length - 1].at >= 700, `last event after ${events[events.length - 1].at} ms`);
      await recorder.stop();
      const [entry] = readHar(out).log.entries;
      assert.equal(entry.response.content.text, 'data: first\n\ndata: last\n\n');
      assert.ok(entry.timings.receive >= 700);
    } finally {
      await recorder.stop(0);
      await close(sse);
    }
  });

  it('a big body keeps back-pressure: a client that reads slowly gets it whole', async () => {
    const out = path.join(tmp, 'slow-reader.har');
    const recorder = await startRecorder({ target: target.url, port: 0, out, redact: {}, maxBodySize: 1024 });
    try {
      const body = await new Promise<Buffer>((resolve, reject) => {
        http
          .get(`${recorder.url}/big`, { agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.pause();
            const read = (): void => {
              let chunk: Buffer | null;
              while ((chunk = res.read() as Buffer | null) !== null) chunks.push(chunk);
            };
            const timer = setInterval(read, 5);
            res.on('end', () => {
              clearInterval(timer);
              resolve(Buffer.concat(chunks));
            });
            res.on('error', reject);
          })
          .on('error', reject);
      });
      assert.equal(body.length, 200_000);
      await recorder.stop();
      const [entry] = readHar(out).log.entries;
      assert.equal(entry.response.content._truncated, true);
      assert.equal(entry.response.content.size, 200_000);
    } finally {
      await recorder.stop(0);
    }
  });

  describe('https targets from the command line', () => {
    let server: https.Server;
    let targetUrl = '';
    before(async () => {
      server = https.createServer(
        {
          key: fs.readFileSync(path.join(fixtures, 'localhost-key.pem')),
          cert: fs.readFileSync(path.join(fixtures, 'localhost-cert.pem')),
        },
        (req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ secure: true, path: req.url }));
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      targetUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('a self-signed certificate is refused with a clear message naming the target and --insecure', async () => {
      const out = path.join(tmp, 'tls-refused.har');
      const run = spawnMockgenRecord(['--target', targetUrl, '--port', '0', '--out', out]);
      runs.push(run);
      const url = await listeningUrl(run);
      await stderrMatches(
        run,
        /warning: the TLS certificate of --target https:\/\/localhost:\d+ is not trusted/,
      );
      assert.match(run.stderr(), /--insecure/);
      const res = await fetchRaw(`${url}/ping`);
      assert.equal(res.status, 502);
      const detail = (JSON.parse(res.body.toString()) as { detail: string }).detail;
      assert.match(detail, /https:\/\/localhost:\d+\/ping/);
      assert.match(detail, /certificate/i);
      assert.match(detail, /--insecure/);
      await stderrMatches(run, /GET https:\/\/localhost:\d+\/ping failed: .*certificate/i);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      assert.equal(readHar(out).log.entries[0].response.status, 0);
    });

    it('accepted with --insecure: forwarded, recorded with its TLS time', async () => {
      const out = path.join(tmp, 'tls-insecure.har');
      const run = spawnMockgenRecord(['--target', targetUrl, '--port', '0', '--out', out, '--insecure']);
      runs.push(run);
      const url = await listeningUrl(run);
      const res = await fetchRaw(`${url}/ping?a=1`);
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body.toString()), { secure: true, path: '/ping?a=1' });
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      assert.doesNotMatch(run.stderr(), /warning/);
      const [entry] = readHar(out).log.entries;
      assert.equal(entry.request.url, `${targetUrl}/ping?a=1`);
      assert.ok((entry.timings.ssl ?? -1) >= 0, 'ssl time recorded');
    });
  });

  describe('a bad --target', () => {
    const unusable: [string, RegExp][] = [
      ['not a url', /--target 'not a url' is not a URL/],
      ['ftp://files.example.com/', /scheme ftp; only http and https/],
      ['http://api.example.com/v1?key=1', /has a query/],
      ['https://user:pw@api.example.com', /credentials/],
    ];
    for (const [value, message] of unusable) {
      it(`unusable: '${value}' → exit 2 before anything is written`, async () => {
        assert.throws(() => parseTarget(value), message);
        const out = path.join(tmp, 'never.har');
        const run = spawnMockgenRecord(['--target', value, '--port', '0', '--out', out]);
        runs.push(run);
        assert.equal(await run.exited, 2);
        assert.match(run.stderr(), message);
        assert.ok(!fs.existsSync(out));
      });
    }

    it('unreachable: a warning naming the target at start, 502 and a line on the first request', async () => {
      const dead = http.createServer();
      await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', () => resolve()));
      const port = (dead.address() as AddressInfo).port;
      await close(dead);
      const out = path.join(tmp, 'unreachable.har');
      const run = spawnMockgenRecord(['--target', `http://127.0.0.1:${port}`, '--port', '0', '--out', out]);
      runs.push(run);
      const url = await listeningUrl(run);
      await stderrMatches(
        run,
        new RegExp(
          `warning: --target http://127\\.0\\.0\\.1:${port} refused the connection \\(ECONNREFUSED\\)`,
        ),
      );
      const res = await fetchRaw(`${url}/pets`);
      assert.equal(res.status, 502);
      await stderrMatches(run, new RegExp(`GET http://127\\.0\\.0\\.1:${port}/pets failed: .*ECONNREFUSED`));
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
    });

    it('unresolvable host: the warning says it does not resolve', async () => {
      const run = spawnMockgenRecord([
        '--target',
        'http://no-such-host.invalid',
        '--port',
        '0',
        '--out',
        path.join(tmp, 'unresolvable.har'),
      ]);
      runs.push(run);
      await listeningUrl(run);
      await stderrMatches(run, /warning: --target host 'no-such-host\.invalid' does not resolve/);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
    });
  });
});
