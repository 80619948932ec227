import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLiveMock } from '../../src/serve/live-mock';
import { jsonDepth } from '../../templates/runtime/core/json';
import { runCli, tempDir } from '../helpers/project';

const CONTRACT = {
  openapi: '3.0.3',
  info: { title: 'Hostile', version: '1' },
  servers: [{ url: 'https://api.example.com' }],
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/echo': {
      post: {
        operationId: 'echo',
        requestBody: { content: { 'application/json': { schema: {} } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
      },
    },
  },
};

function entry(
  url: string,
  status: number,
  headers: { name: string; value: string }[],
  body = '{"ok":true}',
) {
  return {
    startedDateTime: '2026-01-01T00:00:00.000Z',
    time: 1,
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [] },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json' }, ...headers],
      cookies: [],
      content: { size: body.length, mimeType: 'application/json', text: body },
      redirectURL: '',
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

const har = (entries: unknown[]) =>
  JSON.stringify({ log: { version: '1.2', creator: { name: 't' }, entries } });

describe('recordings: hostile HAR entries are sanitised or refused, never crash the mock', function () {
  this.timeout(60000);
  let work: string;
  beforeEach(() => (work = tempDir('hostile-har')));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('drops headers Node would reject or that are prototype keys, and statuses outside 100–599, with warnings', async () => {
    const spec = path.join(work, 'api.json');
    fs.writeFileSync(spec, JSON.stringify(CONTRACT));
    const file = path.join(work, 'traffic.har');
    fs.writeFileSync(
      file,
      har([
        entry('https://api.example.com/things/1', 200, [
          { name: 'X Bad', value: '1' },
          { name: 'X-Ünïcode', value: '1' },
          { name: '__proto__', value: 'polluted' },
          { name: 'constructor', value: 'x' },
          { name: 'X-Split', value: 'a\r\nSet-Cookie: injected=1' },
          { name: 'X-Good', value: 'kept' },
        ]),
        entry('https://api.example.com/things/2', 700, []),
      ]),
    );
    const result = await runCli([
      'generate',
      '--spec',
      spec,
      '--recordings',
      file,
      '--out',
      path.join(work, 'mock'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    for (const name of ['X Bad', 'X-Ünïcode', '__proto__', 'constructor', 'X-Split'])
      assert.ok(
        result.stdout.includes(`header ${JSON.stringify(name)}`),
        `${name} reported:\n${result.stdout}`,
      );
    assert.match(result.stdout, /entry 1: status 700 is not an HTTP status/);
    assert.match(result.stdout, /traffic\.har#\/log\/entries\/0\/response\/headers\/1/);

    const mock = await startLiveMock({
      project: {
        spec,
        recordings: [file],
        out: path.join(work, 'unused'),
        seed: 1,
        dynamic: true,
        redact: [],
        sequencePolicy: 'repeat-last',
      },
      port: 0,
      host: '127.0.0.1',
      env: { MOCKGEN_LATENCY: 'off' },
    });
    try {
      const base = `http://127.0.0.1:${mock.port}`;
      const replayed = await fetch(`${base}/things/1`);
      assert.equal(replayed.status, 200);
      assert.equal(replayed.headers.get('x-good'), 'kept');
      assert.equal(replayed.headers.get('0'), null);
      assert.equal(replayed.headers.get('set-cookie'), null);
      assert.equal(replayed.headers.get('x-split'), null);
      // the out-of-range entry is not replayed: the documented answer is served instead
      assert.equal((await fetch(`${base}/things/2`)).status, 200);
      assert.equal((await fetch(`${base}/__mockgen/health`)).status, 200);
    } finally {
      await mock.close();
    }
  });

  it('refuses a recorded body nested thousands of levels deep: exit 2 naming the file and the entry', async () => {
    const spec = path.join(work, 'api.json');
    fs.writeFileSync(spec, JSON.stringify(CONTRACT));
    const file = path.join(work, 'deep.har');
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    fs.writeFileSync(
      file,
      har([
        entry('https://api.example.com/things/1', 200, []),
        entry('https://api.example.com/things/2', 200, [], deep),
      ]),
    );
    const result = await runCli([
      'generate',
      '--spec',
      spec,
      '--recordings',
      file,
      '--out',
      path.join(work, 'mock'),
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /deep\.har: entry 1 \(\/log\/entries\/1\/response\/content\/text\): the body nests deeper than 256 levels/,
    );
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.ok(!fs.existsSync(path.join(work, 'mock')), 'nothing written');
  });

  it('counts JSON depth without recursion, ignoring brackets in strings', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":"[[[["}]}'), 3);
    assert.equal(jsonDepth('"\\"[["'), 0);
    assert.equal(jsonDepth('['.repeat(100000), 300), 301, 'stops counting past the limit');
  });
});
