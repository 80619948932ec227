import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parsePort } from '../../src/cli/commands/serve';
import { loadContract } from '../../src/contract/load-contract';
import { watchFiles } from '../../src/serve/watch-files';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { repoRoot, runCli, tempDir } from '../helpers/project';

const PETSTORE = path.join(repoRoot, 'specs/petstore/openapi.yaml');
const SECURE = path.join(repoRoot, 'specs/secure');
const BIN = path.join(repoRoot, 'bin/mockgen.js');

/** A `mockgen serve` child process with its output. */
interface Served {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** resolves when stdout + stderr match `pattern` */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
/** TMPDIR of every child: its mockgen-serve-* folder goes with the test's folder, even after a SIGKILL */
let childTmp = '';

/** Spawns the real CLI (`node bin/mockgen.js serve ...`); resolves once it says where it listens. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, MOCKGEN_LATENCY: 'off', TMPDIR: childTmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(out + err)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout?.on('data', (chunk) => ((out += chunk), check()));
  child.stderr?.on('data', (chunk) => ((err += chunk), check()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => (children.delete(child), resolve({ code, signal }))),
  );
  const waitFor = (pattern: RegExp, ms = 20_000): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${pattern} in ${ms} ms; output:\n${out}${err}`)),
        ms,
      );
      const done = (): void => (clearTimeout(timer), resolve());
      waiters.push({ pattern, resolve: done });
      void exited.then(({ code }) => {
        if (!pattern.test(out + err)) {
          clearTimeout(timer);
          reject(new Error(`mockgen serve exited (${code}) before ${pattern}; output:\n${out}${err}`));
        }
      });
      check();
    });
  await waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    port,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    exited,
  };
}

/** Runs the CLI to its end (for the cases that fail before listening). */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: childTmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => (children.delete(child), resolve({ code, stdout, stderr })));
  });
}

function mockgenTempFolders(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith('mockgen-serve-'));
}

describe('mockgen serve (CLI)', function () {
  this.timeout(60_000);
  let work: string;
  beforeEach(() => (childTmp = work = tempDir('serve-test')));
  afterEach(async () => {
    for (const child of children) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves the contract without a project: a schema-valid GET, health 200, 404 for an unknown path', async () => {
    const mock = await serve(['--spec', PETSTORE, '--port', '0'], {});
    assert.match(mock.stdout(), /Petstore listening on http:\/\/127\.0\.0\.1:\d+\/v1 \(12 operations\)/);

    const health = await fetch(`${mock.origin}/__mockgen/health`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();

    const res = await fetch(`${mock.origin}/v1/pets`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as unknown;
    const contract = await loadContract(PETSTORE);
    const listPets = contract.operations.find((op) => op.id === 'listPets')!;
    const schema = listPets.responses.find((r) => r.status === '200')!.content[0].schema!;
    const validate = new SchemaCompiler(contract.schemas).compile(schema);
    assert.ok(validate(body), JSON.stringify(validate.errors));
    assert.ok(Array.isArray(body) && body.length > 0);

    const missing = await fetch(`${mock.origin}/v1/no-such-thing`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
    // nothing written beside the contract: the data lives in the private temporary folder
    assert.equal(mockgenTempFolders(work).length, 1);
  });

  it('replays a recorded response with --recordings', async () => {
    const mock = await serve([
      '--spec',
      path.join(SECURE, 'openapi.yaml'),
      '--recordings',
      path.join(SECURE, 'recordings/app-flow.har'),
      '--port',
      '0',
    ]);
    // the contract has no example for it: these rates are only in the HAR
    const res = await fetch(`${mock.origin}/api/v2/rates?base=EUR&api_key=any-key`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      base: 'EUR',
      rates: { USD: 1.0843, GBP: 0.8521, CHF: 0.9774, JPY: 170.41 },
    });
  });

  it('--watch serves a changed contract on the same port with fresh state, and keeps the previous version when the new one fails', async () => {
    const spec = path.join(work, 'api.yaml');
    const original = fs.readFileSync(PETSTORE, 'utf8');
    fs.writeFileSync(spec, original);
    const mock = await serve(['--spec', spec, '--port', '0', '--watch']);
    assert.equal((await fetch(`${mock.origin}/v1/ping`)).status, 404);
    const names = async (): Promise<string[]> =>
      ((await (await fetch(`${mock.origin}/v1/pets`)).json()) as { name: string }[]).map((p) => p.name);
    const created = await fetch(`${mock.origin}/v1/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Before-Reload', species: 'cat' }),
    });
    assert.equal(created.status, 201);
    await created.arrayBuffer();
    assert.ok((await names()).includes('Before-Reload'));

    const ping = [
      '  /ping:',
      '    get:',
      '      operationId: ping',
      '      responses:',
      "        '200':",
      '          description: pong',
      '          content:',
      '            application/json:',
      '              schema: {type: object}',
      '              example: {pong: true}',
      '',
    ].join('\n');
    const added = original.replace(/^paths:\n/m, `paths:\n${ping}`);
    assert.notEqual(added, original);
    fs.writeFileSync(spec, added);
    await mock.waitFor(/reloaded \S*api\.yaml \(13 operations\); state reset/);
    const res = await fetch(`${mock.origin}/v1/ping`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { pong: true });
    // a reload starts from the seed: the pet created before it is gone
    assert.ok(!(await names()).includes('Before-Reload'));

    fs.writeFileSync(spec, `${added}paths: [: not yaml\n`);
    await mock.waitFor(/still serving the previous version/);
    assert.match(mock.stderr(), /api\.yaml:\d+:\d+: YAML syntax error/);
    const still = await fetch(`${mock.origin}/v1/ping`);
    assert.equal(still.status, 200);
    assert.deepEqual(await still.json(), { pong: true });
    assert.equal(mock.child.exitCode, null);
  });

  it('--watch reloads when a file the contract $refs changes', async () => {
    const dir = path.join(work, 'secure');
    fs.cpSync(SECURE, dir, { recursive: true });
    const mock = await serve(['--spec', path.join(dir, 'openapi.yaml'), '--port', '0', '--watch']);
    assert.match(mock.stdout(), /watching 6 files/);
    const money = path.join(dir, 'schemas/money.yaml');
    fs.appendFileSync(money, '\n# touched\n');
    await mock.waitFor(/reloaded \S*openapi\.yaml \(11 operations\)/);
  });

  it('a busy port: one line naming port and host, exit 2, no stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runToExit(['--spec', PETSTORE, '--port', String(port)]);
      assert.equal(result.code, 2);
      assert.equal(
        result.stderr,
        `mockgen serve: port ${port} is in use on 127.0.0.1; choose another with --port\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('SIGTERM closes the server, removes the temporary folder and exits 0', async () => {
    const mock = await serve(['--spec', PETSTORE, '--port', '0', '--watch'], {});
    const [folder] = mockgenTempFolders(work);
    assert.ok(folder, 'a mockgen-serve-* folder while serving');
    assert.ok(fs.existsSync(path.join(work, folder, '1', 'data', 'manifest.json')));
    mock.child.kill('SIGTERM');
    assert.deepEqual(await mock.exited, { code: 0, signal: null });
    assert.deepEqual(mockgenTempFolders(work), []);
    await assert.rejects(fetch(`${mock.origin}/__mockgen/health`));
  });

  it('--port wins over PORT and HOST from the environment', async () => {
    const mock = await serve(['--spec', PETSTORE, '--port', '0', '--host', '127.0.0.1'], {
      PORT: 'not-a-port',
      HOST: 'no-such-host.invalid',
    });
    assert.equal((await fetch(`${mock.origin}/__mockgen/health`)).status, 200);
  });

  it('a bad contract: the usual message and exit 2 before listening', async () => {
    const spec = path.join(work, 'broken.yaml');
    fs.writeFileSync(spec, 'openapi: 3.0.3\npaths: [: nope\n');
    const result = await runToExit(['--spec', spec, '--port', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^mockgen serve: \S*broken\.yaml:\d+:\d+: YAML syntax error/);
    assert.doesNotMatch(result.stdout + result.stderr, /listening|\n\s+at /);
  });

  it('flag errors and --help', async () => {
    const help = await runCli(['serve', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: mockgen serve --spec FILE/);
    const main = await runCli(['--help']);
    assert.match(main.stdout, /mockgen serve --spec FILE/);

    const noSpec = await runCli(['serve']);
    assert.equal(noSpec.code, 2);
    assert.match(noSpec.stderr, /--spec FILE is required/);

    const badPort = await runCli(['serve', '--spec', PETSTORE, '--port', '70000']);
    assert.equal(badPort.code, 2);
    assert.match(
      badPort.stderr,
      /^mockgen serve: --port must be a port number from 0 to 65535 .*got '70000'/,
    );
  });
});

describe('mockgen serve: port setting', () => {
  const cases: [flag: string | undefined, env: string | undefined, want: number | RegExp][] = [
    [undefined, undefined, 4010],
    [undefined, '', 4010],
    [undefined, '8080', 8080],
    ['0', '8080', 0],
    ['5000', 'junk', 5000],
    ['65535', undefined, 65535],
    ['65536', undefined, /--port must be a port number/],
    ['-1', undefined, /--port must be a port number/],
    ['4o10', undefined, /got '4o10'/],
    ['', undefined, /--port must be/],
    [undefined, 'http', /PORT \(environment\) must be a port number/],
  ];
  for (const [flag, env, want] of cases) {
    it(`--port ${JSON.stringify(flag)}, PORT ${JSON.stringify(env)} → ${String(want)}`, () => {
      if (typeof want === 'number') assert.equal(parsePort(flag, env), want);
      else assert.throws(() => parsePort(flag, env), want);
    });
  }
});

describe('mockgen serve: watchFiles', () => {
  let work: string;
  beforeEach(() => (work = tempDir('watch-test')));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  /** waits (up to 5 s, the machine may be busy) until `calls` has an entry, then a little longer for strays */
  async function settled(calls: string[][]): Promise<void> {
    for (const deadline = Date.now() + 5000; calls.length === 0 && Date.now() < deadline;) await sleep(20);
    await sleep(400);
  }

  it('reports a burst of writes and an atomic rename once, and ignores other files in the folder', async () => {
    const file = path.join(work, 'api.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    const calls: string[][] = [];
    const watcher = watchFiles([file], (changed) => calls.push(changed), 300);
    try {
      fs.writeFileSync(path.join(work, 'other.yaml'), 'x: 1\n');
      await sleep(600);
      assert.deepEqual(calls, []);

      fs.writeFileSync(file, 'a: 2\n');
      fs.appendFileSync(file, 'b: 3\n');
      fs.writeFileSync(`${file}.tmp`, 'a: 4\n');
      fs.renameSync(`${file}.tmp`, file);
      await settled(calls);
      assert.deepEqual(calls, [[file]]);
    } finally {
      watcher.close();
    }
  });

  it('update() moves the watch to the new list; nothing fires after close()', async () => {
    const a = path.join(work, 'a.yaml');
    fs.mkdirSync(path.join(work, 'sub'));
    const b = path.join(work, 'sub', 'b.yaml');
    fs.writeFileSync(a, '1');
    fs.writeFileSync(b, '1');
    const calls: string[][] = [];
    const watcher = watchFiles([a], (changed) => calls.push(changed), 50);
    watcher.update([b]);
    fs.writeFileSync(a, '2');
    fs.writeFileSync(b, '2');
    await settled(calls);
    assert.deepEqual(calls, [[b]]);
    watcher.close();
    fs.writeFileSync(b, '3');
    await sleep(300);
    assert.equal(calls.length, 1);
  });
});
