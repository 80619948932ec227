/**
 * The entry point's decisions as data (templates/runtime/startup.ts, request-log.ts, smoke.ts): flags over
 * the environment, startup failures as one line with an exit code, the request log's lines, the
 * operation the smoke test calls. The compiled project is exercised in test/e2e/entry-point.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RequestLog, logLine } from '../../templates/runtime/request-log';
import { startServer } from '../../templates/runtime/server';
import { callableWithoutInput, documentsStatus, pickOperation } from '../../templates/runtime/smoke';
import {
  StartupError,
  describeFailure,
  listenFailure,
  parseStartOptions,
  readManifest,
  usage,
} from '../../templates/runtime/startup';
import type { OperationData, RouteEntry } from '../../templates/runtime/core/types';
import { tempDir } from '../helpers/project';

function failure(fn: () => unknown): StartupError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StartupError, `expected a StartupError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a StartupError');
}

describe('runtime startup: flags and settings', () => {
  const cases: { argv: string[]; env?: NodeJS.ProcessEnv; want: object }[] = [
    { argv: [], want: { port: 4010, host: '127.0.0.1', log: false, help: false } },
    { argv: [], env: { PORT: '5000', HOST: '0.0.0.0' }, want: { port: 5000, host: '0.0.0.0' } },
    { argv: [], env: { PORT: '' }, want: { port: 4010 } },
    { argv: ['--port', '0'], env: { PORT: '5000' }, want: { port: 0 } },
    { argv: ['--port=6000', '--host=::1'], env: { HOST: '0.0.0.0' }, want: { port: 6000, host: '::1' } },
    { argv: ['--log'], want: { log: true } },
    { argv: [], env: { MOCKGEN_LOG: '1' }, want: { log: true } },
    { argv: [], env: { MOCKGEN_LOG: 'true' }, want: { log: true } },
    { argv: [], env: { MOCKGEN_LOG: '0' }, want: { log: false } },
    { argv: ['--help'], want: { help: true } },
    { argv: ['-h'], want: { help: true } },
  ];
  for (const { argv, env = {}, want } of cases) {
    it(`${JSON.stringify(argv)} with ${JSON.stringify(env)}`, () => {
      const options = parseStartOptions(argv, env);
      for (const [key, value] of Object.entries(want)) {
        assert.equal(options[key as keyof typeof options], value, key);
      }
    });
  }

  const bad: { argv: string[]; env?: NodeJS.ProcessEnv; message: RegExp }[] = [
    { argv: ['--port', 'abc'], message: /^invalid port "abc" \(--port\): use a number from 0 to 65535$/ },
    { argv: ['--port', '70000'], message: /invalid port "70000"/ },
    { argv: ['--port', '-1'], message: /invalid port "-1"/ },
    { argv: ['--port=1e3'], message: /invalid port "1e3"/ },
    { argv: ['--port=0x10'], message: /invalid port "0x10"/ },
    { argv: [], env: { PORT: 'abc' }, message: /invalid port "abc" \(PORT\)/ },
    { argv: ['--port'], message: /--port needs a value/ },
    { argv: ['--port', '--log'], message: /--port needs a value/ },
    { argv: ['--host='], message: /--host needs an address/ },
    { argv: ['--verbose'], message: /^unknown option "--verbose"; see --help$/ },
    { argv: ['--log=1'], message: /unknown option "--log=1"/ },
    { argv: ['serve'], message: /unexpected argument "serve"/ },
  ];
  for (const { argv, env = {}, message } of bad) {
    it(`refuses ${JSON.stringify(argv)} ${JSON.stringify(env)} with exit 2`, () => {
      const err = failure(() => parseStartOptions(argv, env));
      assert.match(err.message, message);
      assert.equal(err.exitCode, 2);
    });
  }

  it('the usage lists every flag and the MOCKGEN_* settings the runtime reads', () => {
    const text = usage();
    for (const word of ['--port', '--host', '--log', '--help', 'PORT', 'HOST'])
      assert.ok(text.includes(word), word);
    const runtimeDir = path.join(process.cwd(), 'templates', 'runtime');
    const read = new Set<string>();
    // subfolders too (server/, store/...)
    for (const file of fs.readdirSync(runtimeDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const source = fs.readFileSync(path.join(runtimeDir, file), 'utf8');
      for (const m of source.matchAll(/env\.(MOCKGEN_[A-Z_]+)/g)) read.add(m[1]);
    }
    assert.ok(read.size >= 8, [...read].join(' '));
    for (const name of read) assert.ok(text.includes(name), `${name} missing from --help`);
  });
});

describe('runtime startup: failures as one line', () => {
  it('a busy port names the port, the host and the way out (exit 1)', () => {
    const err = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4010'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
    });
    const failure = listenFailure(err, '127.0.0.1', 4010);
    assert.equal(
      failure.message,
      'port 4010 is in use on 127.0.0.1 (EADDRINUSE); set PORT or --port to another',
    );
    assert.equal(failure.exitCode, 1);
    assert.equal(
      describeFailure(failure, false).text,
      'mockgen: port 4010 is in use on 127.0.0.1 (EADDRINUSE); set PORT or --port to another\n',
    );
  });

  for (const [code, pattern] of [
    ['EACCES', /not allowed to listen on port 80 .*\(EACCES\)/],
    ['EADDRNOTAVAIL', /address 127\.0\.0\.1 is not one of this machine's \(EADDRNOTAVAIL\)/],
    ['ENOTFOUND', /host "127\.0\.0\.1" not found \(ENOTFOUND\)/],
    ['EWHATEVER', /^cannot listen on 127\.0\.0\.1:80: boom$/],
  ] as const) {
    it(`listen ${code}`, () => {
      const failure = listenFailure(Object.assign(new Error('boom'), { code }), '127.0.0.1', 80);
      assert.match(failure.message, pattern);
      assert.equal(failure.exitCode, 1);
    });
  }

  it('the stack only with debug; an unexpected error says how to see it', () => {
    const err = new Error('surprise\nsecond line');
    assert.equal(describeFailure(err, false).text, 'mockgen: surprise (MOCKGEN_DEBUG=1 shows the stack)\n');
    assert.equal(describeFailure(err, false).exitCode, 1);
    const debug = describeFailure(err, true).text;
    assert.match(debug, /^mockgen: surprise\n/);
    assert.match(debug, /\n\s+at /);
    assert.equal(describeFailure(new StartupError('bad flag', 2), false).exitCode, 2);
  });

  describe('readManifest', () => {
    let dir: string;
    beforeEach(() => (dir = tempDir('startup')));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads a data directory', () => {
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{"title":"T","basePath":"/v1"}');
      fs.writeFileSync(path.join(dir, 'schemas.json'), '{"$defs":{}}');
      assert.deepEqual(readManifest(dir), { title: 'T', basePath: '/v1' });
    });
    it('a missing data directory is named', () => {
      const missing = path.join(dir, 'nope');
      const err = failure(() => readManifest(missing));
      assert.match(err.message, new RegExp(`^data directory ${escape(missing)} not found`));
      assert.equal(err.exitCode, 1);
    });
    it('a missing manifest is named', () => {
      const err = failure(() => readManifest(dir));
      assert.match(
        err.message,
        new RegExp(`^cannot read ${escape(path.join(dir, 'manifest.json'))}: ENOENT`),
      );
    });
    it('bad manifest JSON names the file', () => {
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{"title": ');
      const err = failure(() => readManifest(dir));
      assert.match(
        err.message,
        new RegExp(`^${escape(path.join(dir, 'manifest.json'))} is not valid JSON: `),
      );
      assert.ok(!err.message.includes('\n'));
    });
    it('a manifest that is not an object', () => {
      fs.writeFileSync(path.join(dir, 'manifest.json'), '[]');
      assert.match(failure(() => readManifest(dir)).message, /is not a mockgen manifest/);
    });
    it('missing schemas.json is found at startup, not on the first request', () => {
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');
      assert.match(failure(() => readManifest(dir)).message, /schemas\.json not found/);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('runtime request log', () => {
  it('one line: method, URL as received, status, whole ms, source', () => {
    assert.equal(
      logLine('GET', '/v1/pets?limit=2', 200, 3.4, 'example:default'),
      'GET /v1/pets?limit=2 200 3ms example:default',
    );
    // names from the contract cannot break the line
    assert.equal(
      logLine('GET', '/a', 200, 0, 'example:two words\nX'),
      'GET /a 200 0ms example:two%20words%0AX',
    );
    assert.equal(logLine('GET', '/a', 200, 0, ''), 'GET /a 200 0ms -');
  });

  it('lines are written in batches, once per turn of the event loop', async () => {
    const batches: string[] = [];
    const log = new RequestLog((text) => batches.push(text));
    log.write('a');
    log.write('b');
    assert.deepEqual(batches, []);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(batches, ['a\nb\n']);
    log.write('c');
    log.flush();
    assert.deepEqual(batches, ['a\nb\n', 'c\n']);
  });

  it('logs each request the server answers, with the source that answered', async function () {
    this.timeout(20_000);
    const fixtureDir = path.join(process.cwd(), 'test', 'fixtures', 'runtime-core');
    const routes = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'routes.json'), 'utf8')) as RouteEntry[];
    const lines: string[] = [];
    const log = new RequestLog((text) => lines.push(...text.split('\n').filter(Boolean)));
    const running = await startServer({
      dataDir: path.join(fixtureDir, 'data'),
      routes,
      port: 0,
      host: '127.0.0.1',
      env: { MOCKGEN_LATENCY: 'off' },
      log,
    });
    try {
      const base = `http://127.0.0.1:${running.port}`;
      for (const url of ['/v1/pets?limit=2', '/__mockgen/health', '/nowhere'])
        await (await fetch(base + url)).text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(lines.length, 3, lines.join('\n'));
      assert.match(lines[0], /^GET \/v1\/pets\?limit=2 200 \d+ms example:\S+$/);
      assert.match(lines[1], /^GET \/__mockgen\/health 200 \d+ms admin$/);
      assert.match(lines[2], /^GET \/nowhere 404 \d+ms error$/);
    } finally {
      await running.close();
    }
  });

  it('is off unless asked for: no line, no listener on the response', async () => {
    const fixtureDir = path.join(process.cwd(), 'test', 'fixtures', 'runtime-core');
    const routes = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'routes.json'), 'utf8')) as RouteEntry[];
    /** 'finish' listeners on the response just before it finishes (node:http has its own) */
    const listenersWith = async (log: RequestLog | undefined): Promise<number[]> => {
      const running = await startServer({
        dataDir: path.join(fixtureDir, 'data'),
        routes,
        port: 0,
        host: '127.0.0.1',
        env: { MOCKGEN_LATENCY: 'off' },
        log,
      });
      const counts: number[] = [];
      running.server.prependListener('request', (_req, res) => {
        res.once('prefinish', () => counts.push(res.listenerCount('finish')));
      });
      try {
        for (const url of ['/v1/pets', '/__mockgen/health']) {
          await (await fetch(`http://127.0.0.1:${running.port}${url}`)).text();
        }
        return counts;
      } finally {
        await running.close();
      }
    };
    const lines: string[] = [];
    const off = await listenersWith(undefined);
    const on = await listenersWith(new RequestLog((text) => lines.push(text)));
    assert.equal(off.length, 2);
    assert.deepEqual(
      on.map((n, i) => n - off[i]),
      [1, 1],
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.join('').split('\n').filter(Boolean).length, 2);
  });
});

describe('runtime smoke: the operation it calls', () => {
  const op = (over: Partial<OperationData>): OperationData => ({
    id: 'op',
    method: 'get',
    path: '/things',
    parameters: [],
    responses: [{ status: '200', description: '', headers: [], content: [] }],
    security: [],
    recordings: [],
    ...over,
  });
  const required = {
    name: 'q',
    in: 'query',
    required: true,
    style: 'form',
    explode: true,
    schema: {},
  } as const;

  it('a GET that needs no input', () => {
    assert.equal(callableWithoutInput(op({})), true);
    assert.equal(callableWithoutInput(op({ method: 'post' })), false);
    assert.equal(callableWithoutInput(op({ path: '/things/{id}' })), false);
    assert.equal(callableWithoutInput(op({ path: '/#Action=List' })), false);
    assert.equal(callableWithoutInput(op({ parameters: [required] })), false);
    assert.equal(callableWithoutInput(op({ parameters: [{ ...required, required: false }] })), true);
    assert.equal(callableWithoutInput(op({ security: [{ bearer: [] }] })), false);
    // security `[{}, ...]`: anonymous allowed
    assert.equal(callableWithoutInput(op({ security: [{ bearer: [] }, {}] })), true);
  });

  it('prefers one with a documented 2xx', () => {
    const errorsOnly = op({
      id: 'errors',
      responses: [{ status: 'default', description: '', headers: [], content: [] }],
    });
    const ok = op({ id: 'ok' });
    assert.equal(pickOperation([errorsOnly, ok])?.id, 'ok');
    assert.equal(pickOperation([errorsOnly])?.id, 'errors');
    assert.equal(pickOperation([op({ method: 'post' })]), undefined);
  });

  it('documented statuses: exact, range, default', () => {
    const responses = (...codes: string[]) =>
      op({ responses: codes.map((status) => ({ status, description: '', headers: [], content: [] })) });
    assert.equal(documentsStatus(responses('200'), 200), true);
    assert.equal(documentsStatus(responses('200'), 204), false);
    assert.equal(documentsStatus(responses('2XX'), 204), true);
    assert.equal(documentsStatus(responses('200', 'default'), 500), true);
  });
});
