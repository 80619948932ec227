/**
 * Instructions per request, counted by valgrind's callgrind: the same count for the same binary and
 * inputs whatever else the machine is doing, where requests per second on a shared 2-core machine
 * vary by ±30% from one run to the next. A before/after of a change that wall-clock rounds cannot
 * resolve is resolved here.
 *
 * Each server (bare node:http answering the mock's bytes, the mock, and with
 * `BENCH_BASELINE_CHECKOUT` the mock another checkout generates) runs under callgrind with
 * `--single-threaded` (the garbage collector's work is counted on the main thread), gets
 * `BENCH_INSTR_WARMUP` requests (JIT tiers settle), is reset (state back to its seed), serves a
 * quarter as many again, has its counters zeroed (`callgrind_control -z`), then serves
 * `BENCH_INSTR_REQUESTS` more; the count of that last phase over its requests is the cost of one
 * request. The second warmup is there because the reset request and the load generator's new
 * connections deoptimise code on the request path (node's streams and HTTP parser as much as the
 * mock's): measured right after them, half of the count is TurboFan re-optimising it, and whether
 * that happens in the window or after it, with the garbage collections around it, made the same
 * build's count vary by ±15% from one run to the next (326k–449k per create). Measured after it,
 * most of that is out of the window, but not all: a mark-compact or a batch of re-optimisation that
 * falls inside it still moves one route of one build by up to 15% between runs (GET /items 219k and
 * 250k), so compare several runs, and the counts without compilation and GC (callgrind_annotate),
 * before reading a difference of a few per cent. Ratios: node:http's count / the mock's (1 = as
 * cheap as the bare server), and the mock's count / the baseline mock's (below 1 = this checkout is
 * cheaper).
 *
 * Skipped when valgrind is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootProject, freePort, repoRoot } from '../test/helpers/project';
import { hasRedis, startRedis } from '../test/helpers/redis';
import {
  BARE_SERVER,
  ROUTES,
  benchMock,
  generateBaseline,
  round2,
  sampleResponse,
  type RouteCase,
} from './throughput';

export interface InstructionsRow {
  route: string;
  /** instructions per request */
  nodeHttp: number;
  mock: number;
  baseline?: number;
  /** node:http / mock (1 = as cheap as the bare server) */
  mockRatio: number;
  /**
   * the same mock with MOCKGEN_STORE=redis://… (a local redis-server), and that count / the in-memory
   * one. The counting window is short: full collections that a long run would have (a client's cost
   * can lie there) mostly fall outside it, so compare with `BENCH=fleet` before reading this.
   */
  mockRedis?: number;
  redisVsMemory?: number;
  /** with a baseline: its node:http / mock, and this mock / that mock (below 1 = cheaper now) */
  baselineRatio?: number;
  mockVsBaseline?: number;
}

export function valgrindAvailable(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function benchInstructions(
  options: { warmup?: number; requests?: number; baselineCheckout?: string; redis?: boolean } = {},
): Promise<InstructionsRow[] | undefined> {
  if (!valgrindAvailable()) return undefined;
  const warmup = options.warmup ?? 4000;
  const requests = options.requests ?? 3000;
  const work = path.join(repoRoot, '.bench', 'instructions');
  const out = await benchMock(work);
  const baselineOut = options.baselineCheckout ? generateBaseline(options.baselineCheckout, work) : undefined;

  const rows: InstructionsRow[] = [];
  // the same mock with the Redis store configured (MOCKGEN_STORE), when redis-server is installed
  const redis = hasRedis && options.redis !== false ? await startRedis() : undefined;
  try {
    for (const [index, route] of ROUTES.entries()) {
      const mock = await bootProject(out, { MOCKGEN_LATENCY: 'off' });
      const sampleFile = path.join(work, `sample-${index}.json`);
      try {
        fs.writeFileSync(sampleFile, JSON.stringify(await sampleResponse(mock, route)));
      } finally {
        await mock.stop();
      }
      const count = (server: ServerCommand): Promise<number> =>
        countPerRequest(server, route, warmup, requests, path.join(work, `callgrind-${index}.out`));
      const nodeHttp = await count({ cwd: work, args: ['-e', BARE_SERVER, 'http', '{port}', sampleFile] });
      const mockCount = await count({ cwd: out, args: ['dist/runtime/main.js'], mock: true });
      const baseline = baselineOut
        ? await count({ cwd: baselineOut, args: ['dist/runtime/main.js'], mock: true })
        : undefined;
      // reads only: a create's cost with Redis grows with the session (documented), and under callgrind
      // thousands of them take many minutes
      const withRedis =
        redis && route.method === 'GET'
          ? await count({
              cwd: out,
              args: ['dist/runtime/main.js'],
              mock: true,
              env: { MOCKGEN_STORE: redis.url },
            })
          : undefined;
      rows.push({
        route: route.name,
        ...(withRedis !== undefined
          ? { mockRedis: Math.round(withRedis), redisVsMemory: round2(withRedis / mockCount) }
          : {}),
        nodeHttp: Math.round(nodeHttp),
        mock: Math.round(mockCount),
        mockRatio: round2(nodeHttp / mockCount),
        ...(baseline !== undefined
          ? {
              baseline: Math.round(baseline),
              baselineRatio: round2(nodeHttp / baseline),
              mockVsBaseline: round2(mockCount / baseline),
            }
          : {}),
      });
    }
  } finally {
    await redis?.stop();
  }
  return rows;
}

interface ServerCommand {
  cwd: string;
  /** node's arguments; `{port}` is replaced by the port */
  args: string[];
  /** a mock: listens on PORT, answers /__mockgen/health and /__mockgen/reset */
  mock?: boolean;
  env?: Record<string, string>;
}

async function countPerRequest(
  server: ServerCommand,
  route: RouteCase,
  warmup: number,
  requests: number,
  outFile: string,
): Promise<number> {
  const port = await freePort();
  fs.rmSync(outFile, { force: true });
  // valgrind names its vgdb pipes after $HOST (and $USER): callgrind_control must see the same
  // environment as the server, or it reaches no process, prints "OK" and exits 0 without zeroing
  const env = {
    ...process.env,
    ...server.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MOCKGEN_LATENCY: 'off',
  };
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${outFile}`,
      process.execPath,
      '--single-threaded',
      ...server.args.map((arg) => arg.replace('{port}', String(port))),
    ],
    {
      cwd: server.cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitReady(`${url}${server.mock ? '/__mockgen/health' : route.path}`, child.pid!, () => stderr);
    const reset = async (): Promise<void> => {
      if (server.mock) await (await fetch(`${url}/__mockgen/reset`, { method: 'POST' })).arrayBuffer();
    };
    await reset();
    await load(url, route, warmup);
    await reset();
    await load(url, route, Math.ceil(warmup / 4));
    const zero = spawnSync('callgrind_control', ['-z', String(child.pid)], { encoding: 'utf8', env });
    if (zero.status !== 0 || /error|failed/i.test(zero.stderr))
      throw new Error(`callgrind_control -z failed: ${zero.stdout}${zero.stderr}`);
    await load(url, route, requests);
  } finally {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  const totals = /^totals:\s*(\d+)/m.exec(fs.readFileSync(outFile, 'utf8'));
  if (!totals) throw new Error(`no callgrind totals in ${outFile}:\n${stderr.slice(-2000)}`);
  return Number(totals[1]) / requests;
}

async function waitReady(url: string, pid: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      // not listening yet (valgrind starts node slowly)
    }
    if (Date.now() > deadline)
      throw new Error(`server ${pid} under valgrind not ready:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Exactly `amount` requests over 10 connections. */
async function load(url: string, route: RouteCase, amount: number): Promise<void> {
  const args = [
    path.join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js'),
    '--json',
    '-c',
    '10',
    '-a',
    String(amount),
    '-t',
    '60',
    '-m',
    route.method,
  ];
  if (route.body) args.push('-H', 'content-type=application/json', '-b', route.body);
  args.push(`${url}${route.path}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  const result = JSON.parse(output) as { non2xx: number; errors: number; timeouts: number };
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`${url}${route.path}: ${result.non2xx} non-2xx, ${result.errors} errors under load`);
}
