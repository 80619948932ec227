/**
 * The emitted project's entry points as a user, CI or a container runs them: the petstore mock
 * generated, compiled (strict) and started as `node dist/runtime/main.js` with flags; startup
 * failures as one line and an exit code; signals; `npm start`; `node dist/runtime/smoke.js`; and
 * the Dockerfile template checked against the compiled project (no Docker engine here to build it).
 * Every child listens on 127.0.0.1 and is stopped by the test that started it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { compileProject, freePort, linkNodeModules, repoRoot, runCli, tempDir } from '../helpers/project';

const PETSTORE = 'specs/petstore/openapi.yaml';
const LISTENING = /mockgen: .* listening on http:\/\/127\.0\.0\.1:(\d+)\/v1 \(\d+ operations\)\n/;
const STACK_LINE = /^\s+at /m;
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

async function generateCompiled(args: string[], out: string): Promise<void> {
  const result = await runCli(['generate', ...args, '--out', out]);
  if (result.code !== 0)
    throw new Error(`generate failed (${result.code}):\n${result.stdout}${result.stderr}`);
  linkNodeModules(out);
  const diagnostics = compileProject(out);
  if (diagnostics) throw new Error(`emitted project does not compile:\n${diagnostics}`);
}

interface Child {
  child: ChildProcess;
  output(): string;
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (or 128 + signal number) */
  exited: Promise<number>;
  /** waits until the output matches `pattern` (or the child exits, or `ms` pass) */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  kill(): Promise<void>;
}

const children = new Set<Child>();

function start(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  detached = false,
): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, MOCKGEN_LATENCY: 'off', PORT: '', HOST: '', MOCKGEN_LOG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  child.stderr?.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0))),
  );
  const running: Child = {
    child,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = (out + err).match(pattern);
        if (m) return m;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
          throw new Error(
            `no ${pattern} in the output (exit ${child.exitCode ?? child.signalCode}):\n${out}${err}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        if (detached && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
        await exited;
      }
      // a detached group may hold more than npm (the shell, node): nothing of it may outlive the test
      if (detached && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is gone
        }
      }
    },
  };
  children.add(running);
  return running;
}

/** Runs `node dist/runtime/main.js args` to its exit (bounded). */
async function runMain(project: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = start(project, process.execPath, ['dist/runtime/main.js', ...args], env);
  const timer = setTimeout(() => void child.kill(), 15_000);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

async function listeningPort(child: Child): Promise<number> {
  return Number((await child.waitFor(LISTENING))[1]);
}

/** Whether something answers on 127.0.0.1:`port`. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('e2e: the emitted entry points (flags, log, failures, signals, smoke, Dockerfile)', function () {
  this.timeout(60_000);
  let dir: string;
  let project: string;

  before(async function () {
    this.timeout(120_000);
    dir = tempDir('entry-point');
    project = path.join(dir, 'petstore');
    await generateCompiled(['--spec', PETSTORE], project);
  });
  afterEach(async () => {
    for (const child of children) await child.kill();
    children.clear();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('flags', () => {
    it('--port 0 --host 127.0.0.1: the listening line shows the port it got, and it serves there', async () => {
      const mock = start(project, process.execPath, [
        'dist/runtime/main.js',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ]);
      const port = await listeningPort(mock);
      assert.ok(port > 0);
      const res = await fetch(`http://127.0.0.1:${port}/__mockgen/health`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ok');
    });

    it('--port wins over PORT', async () => {
      const port = await freePort();
      const mock = start(project, process.execPath, ['dist/runtime/main.js', `--port=${port}`], {
        PORT: '1',
      });
      assert.equal(await listeningPort(mock), port);
    });

    it('--help lists the flags and settings, exit 0', async () => {
      const { code, stdout } = await runMain(project, ['--help']);
      assert.equal(code, 0);
      for (const word of ['--port N', '--host H', '--log', '--help', 'MOCKGEN_LOG', 'MOCKGEN_LATENCY']) {
        assert.ok(stdout.includes(word), `${word} in:\n${stdout}`);
      }
    });

    it('an unknown flag: one line, exit 2', async () => {
      const { code, stderr } = await runMain(project, ['--prot', '4010']);
      assert.equal(code, 2);
      assert.equal(stderr, 'mockgen: unknown option "--prot"; see --help\n');
    });

    for (const [args, env, label] of [
      [['--port', 'abc'], {}, '--port abc'],
      [['--port', '70000'], {}, '--port 70000'],
      [['--port', '-1'], {}, '--port -1'],
      [[], { PORT: 'abc' }, 'PORT=abc'],
    ] as const) {
      it(`an invalid port (${label}): one line, exit 2`, async () => {
        const { code, stderr } = await runMain(project, [...args], env);
        assert.equal(code, 2);
        assert.match(
          stderr,
          /^mockgen: invalid port "[^"]*" \((--port|PORT)\): use a number from 0 to 65535\n$/,
        );
      });
    }
  });

  describe('--log', () => {
    it('one line per request: method, path and query, status, time, source', async () => {
      const mock = start(project, process.execPath, ['dist/runtime/main.js', '--port', '0', '--log']);
      const base = `http://127.0.0.1:${await listeningPort(mock)}`;
      for (const [method, url] of [
        ['GET', '/v1/pets?limit=2'],
        ['GET', '/v1/store/inventory'],
        ['DELETE', '/v1/pets/1'],
        ['GET', '/v1/unknown'],
      ]) {
        await (await fetch(base + url, { method })).arrayBuffer();
      }
      await mock.waitFor(/GET \/v1\/unknown .*\n/);
      const lines = mock.stdout().split('\n').slice(1).filter(Boolean);
      assert.equal(lines.length, 4, mock.stdout());
      assert.match(lines[0], /^GET \/v1\/pets\?limit=2 200 \d+ms state$/);
      assert.match(lines[1], /^GET \/v1\/store\/inventory 200 \d+ms example:\S+$/);
      assert.match(lines[2], /^DELETE \/v1\/pets\/1 204 \d+ms state$/);
      assert.match(lines[3], /^GET \/v1\/unknown 404 \d+ms error$/);
    });

    it('MOCKGEN_LOG=1 turns it on; without it nothing is logged', async () => {
      for (const [value, want] of [
        ['1', 1],
        ['', 0],
      ] as const) {
        const mock = start(project, process.execPath, ['dist/runtime/main.js', '--port', '0'], {
          MOCKGEN_LOG: value,
        });
        const base = `http://127.0.0.1:${await listeningPort(mock)}`;
        await (await fetch(`${base}/v1/pets`)).arrayBuffer();
        mock.child.kill('SIGTERM');
        assert.equal(await mock.exited, 0);
        const logged = mock
          .stdout()
          .split('\n')
          .filter((line) => line.startsWith('GET /v1/pets '));
        assert.equal(logged.length, want, mock.stdout());
      }
    });
  });

  describe('startup failures: one line, no stack', () => {
    it('a busy port: exit 1 with what to do', async () => {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const { code, stderr } = await runMain(project, ['--port', String(port)]);
        assert.equal(code, 1);
        assert.equal(
          stderr,
          `mockgen: port ${port} is in use on 127.0.0.1 (EADDRINUSE); set PORT or --port to another\n`,
        );
        assert.doesNotMatch(stderr, STACK_LINE);
        // the stack is there for whoever asks
        const debug = await runMain(project, ['--port', String(port)], { MOCKGEN_DEBUG: '1' });
        assert.equal(debug.code, 1);
        assert.match(debug.stderr, STACK_LINE);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });

    it('a missing data directory is named, exit 1', async () => {
      const missing = path.join(dir, 'no-data');
      const { code, stderr } = await runMain(project, ['--port', '0'], { MOCKGEN_DATA_DIR: missing });
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `mockgen: data directory ${missing} not found (set MOCKGEN_DATA_DIR, or regenerate the project)\n`,
      );
    });

    it('a broken manifest.json is named, exit 1', async () => {
      const data = path.join(dir, 'broken-data');
      fs.cpSync(path.join(project, 'data'), data, { recursive: true });
      fs.writeFileSync(path.join(data, 'manifest.json'), '{"title": "Petstore",');
      const { code, stderr } = await runMain(project, ['--port', '0'], { MOCKGEN_DATA_DIR: data });
      assert.equal(code, 1);
      assert.equal(stderr.split('\n').length, 2, stderr);
      assert.ok(
        stderr.startsWith(`mockgen: ${path.join(data, 'manifest.json')} is not valid JSON: `),
        stderr,
      );
      assert.doesNotMatch(stderr, STACK_LINE);
    });
  });

  describe('signals', () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${signal}: closes and exits 0`, async () => {
        const mock = start(project, process.execPath, ['dist/runtime/main.js', '--port', '0']);
        const port = await listeningPort(mock);
        mock.child.kill(signal);
        assert.equal(await mock.exited, 0);
        assert.match(mock.stdout(), new RegExp(`mockgen: ${signal}, closing\\n$`));
        assert.equal(await answers(port), false);
      });
    }

    it('a second signal while a request holds the close up exits at once', async () => {
      const mock = start(project, process.execPath, ['dist/runtime/main.js', '--port', '0']);
      const port = await listeningPort(mock);
      // a request whose body never completes keeps its connection busy: the close waits for it (up to 2 s)
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        'POST /v1/pets HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{',
      );
      await new Promise((r) => setTimeout(r, 100));
      const sent = Date.now();
      mock.child.kill('SIGTERM');
      await mock.waitFor(/SIGTERM, closing/);
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(mock.child.exitCode, null, 'still closing');
      mock.child.kill('SIGTERM');
      assert.equal(await mock.exited, 143);
      assert.ok(Date.now() - sent < 1900, `exited after ${Date.now() - sent} ms`);
      assert.match(mock.stdout(), /SIGTERM again, exiting now\n$/);
      socket.destroy();
    });

    it('npm start: SIGTERM to npm stops the server too (no orphan holding the port)', async function () {
      const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
      if (npm.status !== 0) this.skip();
      const port = await freePort();
      // npm runs the script through `sh -c`; detached: the whole group can be cleaned up after
      const run = start(project, 'npm', ['start'], { PORT: String(port), HOST: '127.0.0.1' }, true);
      await run.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, 30_000);
      assert.equal(await answers(port), true);
      run.child.kill('SIGTERM');
      await run.exited;
      const deadline = Date.now() + 5000;
      while ((await answers(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await answers(port), false, `still listening after npm exited:\n${run.output()}`);
    });
  });

  describe('smoke.js (the emitted `npm test`)', () => {
    it('petstore: health, then GET /pets answered with a documented status, exit 0', async () => {
      const smoke = start(project, process.execPath, ['dist/runtime/smoke.js']);
      assert.equal(await smoke.exited, 0, smoke.output());
      assert.equal(smoke.stdout(), 'smoke: ok (12 operations, GET /pets 200)\n');
    });

    it('a contract without a GET that needs no input: health only, exit 0', async function () {
      this.timeout(120_000);
      const spec = path.join(dir, 'secured.json');
      fs.writeFileSync(
        spec,
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 'Secured', version: '1' },
          components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
          security: [{ key: [] }],
          paths: {
            '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok' } } } },
            '/things/{id}': {
              get: {
                operationId: 'getThing',
                security: [],
                parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
                responses: { '200': { description: 'ok' } },
              },
            },
          },
        }),
      );
      const secured = path.join(dir, 'secured');
      await generateCompiled(['--spec', spec], secured);
      const smoke = start(secured, process.execPath, ['dist/runtime/smoke.js']);
      assert.equal(await smoke.exited, 0, smoke.output());
      assert.match(
        smoke.stdout(),
        /^smoke: ok \(2 operations; health only: no GET without parameters or security\)\n$/,
      );
    });

    it('a failure says why, exit 1', async () => {
      const missing = path.join(dir, 'no-data');
      const smoke = start(project, process.execPath, ['dist/runtime/smoke.js'], {
        MOCKGEN_DATA_DIR: missing,
      });
      assert.equal(await smoke.exited, 1);
      assert.equal(smoke.stdout(), '');
      assert.match(smoke.stderr(), /^smoke: failed: data directory .*no-data not found/);
    });
  });

  describe('Dockerfile template', () => {
    const dockerfile = fs.readFileSync(path.join(repoRoot, 'templates', 'project', 'Dockerfile'), 'utf8');
    /** instructions with their arguments, line continuations joined, comments dropped */
    const instructions = dockerfile
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [, name, args] = /^(\S+)\s+(.*)$/.exec(line)!;
        return { name: name.toUpperCase(), args };
      });
    const all = (name: string) => instructions.filter((i) => i.name === name);
    const one = (name: string) => {
      const found = all(name);
      assert.equal(found.length, 1, `one ${name}`);
      return found[0].args;
    };

    it('node 20 base (a build stage, then the image), non-root user, the port exposed, listening on every interface', () => {
      const stages = all('FROM').map((i) => i.args);
      assert.equal(stages.length, 2, 'multi-stage');
      for (const from of stages) assert.match(from, /^node:20(-slim|-alpine)?( AS \w+)?$/);
      const user = one('USER');
      assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user}`);
      const names = instructions.map((i) => i.name);
      assert.ok(names.indexOf('USER') < names.indexOf('CMD'), 'USER before CMD');
      const env = one('ENV');
      assert.match(env, /\bHOST=0\.0\.0\.0\b/);
      assert.match(env, /\bPORT=4010\b/);
      assert.match(env, /\bNODE_ENV=production\b/);
      assert.equal(one('EXPOSE'), '4010');
      assert.match(one('RUN'), /^npm ci --omit=dev\b/);
    });

    it('CMD is exec form and runs a file the compiled project has', () => {
      // the emitted project carries the template as it is
      assert.equal(fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8'), dockerfile);
      assert.ok(fs.existsSync(path.join(project, '.dockerignore')));
      const cmd = JSON.parse(one('CMD')) as string[];
      assert.equal(cmd[0], 'node');
      assert.ok(fs.existsSync(path.join(project, cmd[1])), `${cmd[1]} in the compiled project`);
      // what COPY takes must be there too
      // what COPY takes from the build stage is its install's, not the project's
      for (const copy of all('COPY').filter((c) => !c.args.startsWith('--from='))) {
        const sources = copy.args.split(/\s+/).slice(0, -1);
        for (const source of sources) {
          assert.ok(fs.existsSync(path.join(project, source)), `COPY ${source}`);
        }
      }
      assert.ok(fs.existsSync(path.join(project, 'dist', 'routes.js')));
    });

    it('HEALTHCHECK asks /__mockgen/health with node (no curl in slim images): 0 when up, 1 when down', async () => {
      const args = one('HEALTHCHECK');
      const m = /\bCMD\s+(\[.*\])$/.exec(args);
      assert.ok(m, args);
      const check = JSON.parse(m[1]) as string[];
      assert.equal(check[0], 'node');
      assert.ok(check.join(' ').includes('/__mockgen/health'));
      const mock = start(project, process.execPath, ['dist/runtime/main.js', '--port', '0']);
      const port = await listeningPort(mock);
      const probe = (p: number) =>
        spawnSync(process.execPath, check.slice(1), {
          env: { ...process.env, PORT: String(p) },
          timeout: 10_000,
        });
      assert.equal(probe(port).status, 0);
      mock.child.kill('SIGTERM');
      assert.equal(await mock.exited, 0);
      assert.equal(probe(port).status, 1);
    });

    it('dockerignore leaves out node_modules, .git and logs', () => {
      const ignored = fs
        .readFileSync(path.join(repoRoot, 'templates', 'project', 'dockerignore'), 'utf8')
        .split('\n')
        .map((line) => line.trim());
      for (const entry of ['node_modules', '.git', '*.log']) assert.ok(ignored.includes(entry), entry);
    });
  });
});
