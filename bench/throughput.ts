/**
 * Throughput of the emitted mock vs a bare node:http server (the limit) and a bare Express 5 app,
 * each returning the same status, headers and body bytes as the mock, measured in the same run with
 * autocannon in a separate process.
 *
 * The machine may be shared, so every server is warmed up (JIT tiers and caches settle over a few
 * seconds of load), the three are measured back to back in each of several rounds, and a ratio is the
 * median over rounds of the ratio within the round (a lucky bare round is not set against an unlucky
 * mock round; req/s and CPU columns are the best round of each server). Besides
 * requests per second each server's own CPU time per request is reported (from /proc/<pid>/stat):
 * it is much less sensitive to other processes competing for the cores than requests per second are.
 * With two cores or more (and `taskset`), every server runs on core 0 with all its threads (GC and
 * JIT included) and autocannon on core 1, as if the client were another machine: the load
 * generator and the server do not compete for a core, and the runs vary less.
 *
 * Routes: a small example (GET /ping), the 6 KB list of a stateful resource (GET /items, built from
 * the store per request: 45 seeded items), and a validated create (POST /items: body validated,
 * resource stored, 201 with Location). The mock is reset before each of its measurements so the list
 * keeps its size and the store does not grow without bound.
 *
 * `BENCH_BASELINE_CHECKOUT=<folder of another mockgen checkout, built>` also measures the mock that
 * checkout generates, in the same rounds: `baselineRatio` (its mock / node:http) and `mockVsBaseline`
 * (this mock / that one, paired per round) give a before/after of a change from one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bootProject,
  compileProject,
  freePort,
  linkNodeModules,
  repoRoot,
  runCli,
  type RunningMock,
} from '../test/helpers/project';

export interface ThroughputRow {
  route: string;
  /** body bytes of one answer */
  bytes: number;
  /** requests per second (best round) */
  nodeHttp: number;
  express: number;
  mock: number;
  /** mock / node:http requests per second (median over rounds of the ratio within a round) */
  mockRatio: number;
  /** Express / node:http requests per second (median of paired rounds) */
  expressRatio: number;
  /** server CPU microseconds per request (best round) */
  nodeHttpCpuUs: number;
  expressCpuUs: number;
  mockCpuUs: number;
  /** with BENCH_BASELINE_CHECKOUT: that checkout's mock / node:http, and this mock / that mock (paired) */
  baselineRatio?: number;
  mockVsBaseline?: number;
  /** node:http CPU per request / mock CPU per request (1 = as cheap as the bare server) */
  mockCpuRatio: number;
  expressCpuRatio: number;
}

export interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: string;
}

export const ROUTES: RouteCase[] = [
  { name: 'small example (GET /ping)', method: 'GET', path: '/ping' },
  { name: '6 KB stateful list (GET /items)', method: 'GET', path: '/items' },
  {
    name: 'validated POST (POST /items)',
    method: 'POST',
    path: '/items',
    body: JSON.stringify({ name: 'Bench item', sku: 'SKU-00042', price: 12.5, currency: 'EUR', tags: ['a'] }),
  },
];

/** Headers node:http writes itself (or that differ per response); everything else is copied from the mock. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export const BARE_SERVER = `
const http = require('node:http');
const [kind, port, file] = process.argv.slice(1);
const sample = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
const body = Buffer.from(sample.body, 'base64');
const status = sample.status;
const headers = sample.headers;
if (kind === 'express') {
  const express = require(${JSON.stringify(path.join(repoRoot, 'node_modules', 'express'))});
  const app = express();
  app.use(express.json());
  app.all('/{*any}', (req, res) => { res.status(status); for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i], headers[i + 1]); res.end(body); });
  app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
} else {
  http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(status, headers); res.end(body); });
  }).listen(Number(port), '127.0.0.1', () => console.log('ready'));
}
`;

interface Server {
  url: string;
  pid: number;
  /** called before each measurement */
  prepare?: () => Promise<void>;
}

interface Measure {
  rps: number;
  cpuUs: number;
  bytesPerResponse: number;
}

export async function benchThroughput(
  options: {
    seconds?: number;
    connections?: number;
    rounds?: number;
    warmupSeconds?: number;
    baselineCheckout?: string;
  } = {},
): Promise<ThroughputRow[]> {
  const seconds = options.seconds ?? 3;
  const connections = options.connections ?? 50;
  const rounds = options.rounds ?? 5;
  const warmup = options.warmupSeconds ?? 3;
  const work = path.join(repoRoot, '.bench', 'throughput');
  const out = await benchMock(work);
  const baselineOut = options.baselineCheckout ? generateBaseline(options.baselineCheckout, work) : undefined;

  const rows: ThroughputRow[] = [];
  for (const route of ROUTES) {
    const mockEnv = { MOCKGEN_LATENCY: 'off', MOCKGEN_JOURNAL_LIMIT: '1000' };
    const mock = await bootProject(out, mockEnv);
    const baseline = baselineOut ? await bootProject(baselineOut, mockEnv) : undefined;
    const bare: { stop(): void }[] = [];
    try {
      const sample = await sampleResponse(mock, route);
      const sampleFile = path.join(work, `sample-${rows.length}.json`);
      fs.writeFileSync(sampleFile, JSON.stringify(sample));
      const nodeHttp = await startBare('http', sampleFile);
      bare.push(nodeHttp);
      const express = await startBare('express', sampleFile);
      bare.push(express);
      for (const pid of [mock.child.pid!, nodeHttp.pid, express.pid, baseline?.child.pid])
        if (pid !== undefined) pin(pid, SERVER_CORE);
      const reset = (target: RunningMock) => async (): Promise<void> => {
        const res = await fetch(`${target.url}/__mockgen/reset`, { method: 'POST' });
        await res.arrayBuffer();
      };
      const servers: Record<string, Server> = {
        nodeHttp,
        express,
        mock: { url: mock.url, pid: mock.child.pid!, prepare: reset(mock) },
      };
      if (baseline)
        servers.baseline = { url: baseline.url, pid: baseline.child.pid!, prepare: reset(baseline) };
      const best: Record<string, Measure> = {};
      for (const [name, server] of Object.entries(servers)) {
        await server.prepare?.();
        await load(server, route, warmup, connections); // warm-up (JIT, caches, first-use loading)
        best[name] = { rps: 0, cpuUs: Infinity, bytesPerResponse: 0 };
      }
      const paired = {
        mock: [] as number[],
        express: [] as number[],
        mockCpu: [] as number[],
        expressCpu: [] as number[],
        baseline: [] as number[],
        mockVsBaseline: [] as number[],
      };
      for (let round = 0; round < rounds; round++) {
        const measured: Record<string, Measure> = {};
        for (const [name, server] of Object.entries(servers)) {
          await server.prepare?.();
          const m = await load(server, route, seconds, connections);
          measured[name] = m;
          const b = best[name];
          b.rps = Math.max(b.rps, m.rps);
          b.cpuUs = Math.min(b.cpuUs, m.cpuUs);
          b.bytesPerResponse = m.bytesPerResponse;
        }
        paired.mock.push(measured.mock.rps / measured.nodeHttp.rps);
        paired.express.push(measured.express.rps / measured.nodeHttp.rps);
        paired.mockCpu.push(measured.nodeHttp.cpuUs / measured.mock.cpuUs);
        paired.expressCpu.push(measured.nodeHttp.cpuUs / measured.express.cpuUs);
        if (measured.baseline) {
          paired.baseline.push(measured.baseline.rps / measured.nodeHttp.rps);
          paired.mockVsBaseline.push(measured.mock.rps / measured.baseline.rps);
        }
      }
      // same bytes on the wire: the mock's responses must not be bigger or smaller than the baselines'
      // (ids and Location of created items grow by a few digits under load)
      const drift = Math.abs(best.mock.bytesPerResponse - best.nodeHttp.bytesPerResponse);
      if (drift > Math.max(16, best.nodeHttp.bytesPerResponse * 0.02)) {
        throw new Error(
          `${route.name}: the mock answered ${best.mock.bytesPerResponse} bytes per response under load, the bare server ${best.nodeHttp.bytesPerResponse}`,
        );
      }
      rows.push({
        route: route.name,
        bytes: sample.bodyBytes,
        nodeHttp: best.nodeHttp.rps,
        express: best.express.rps,
        mock: best.mock.rps,
        mockRatio: round2(median(paired.mock)),
        expressRatio: round2(median(paired.express)),
        nodeHttpCpuUs: Math.round(best.nodeHttp.cpuUs),
        expressCpuUs: Math.round(best.express.cpuUs),
        mockCpuUs: Math.round(best.mock.cpuUs),
        mockCpuRatio: round2(median(paired.mockCpu)),
        expressCpuRatio: round2(median(paired.expressCpu)),
        ...(baseline
          ? {
              baselineRatio: round2(median(paired.baseline)),
              mockVsBaseline: round2(median(paired.mockVsBaseline)),
            }
          : {}),
      });
    } finally {
      for (const server of bare) server.stop();
      await mock.stop();
      await baseline?.stop();
    }
  }
  return rows;
}

/** `work` emptied, then the bench contract's mock generated into `work/mock` and compiled; its folder. */
export async function benchMock(work: string): Promise<string> {
  fs.rmSync(work, { recursive: true, force: true });
  const out = path.join(work, 'mock');
  const gen = await runCli([
    'generate',
    '--spec',
    path.join(repoRoot, 'bench/fixtures/bench-api.json'),
    '--out',
    out,
    '--quiet',
  ]);
  if (gen.code !== 0) throw new Error(gen.stderr);
  linkNodeModules(out);
  const diagnostics = compileProject(out);
  if (diagnostics) throw new Error(diagnostics);
  return out;
}

/** The bench contract's mock as another (built) mockgen checkout generates it, compiled; its folder. */
export function generateBaseline(checkout: string, work: string): string {
  const out = path.join(work, 'mock-baseline');
  const result = spawnSync(
    process.execPath,
    [
      path.join(checkout, 'bin', 'mockgen.js'),
      'generate',
      '--spec',
      path.join(repoRoot, 'bench/fixtures/bench-api.json'),
      '--out',
      out,
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`baseline generate failed: ${result.stderr}`);
  linkNodeModules(out);
  const diagnostics = compileProject(out);
  if (diagnostics) throw new Error(`baseline mock does not compile: ${diagnostics}`);
  return out;
}

/** One answer of the mock: status, the headers a bare server must send too, body (base64). */
export async function sampleResponse(
  mock: RunningMock,
  route: RouteCase,
): Promise<{ status: number; headers: string[]; body: string; bodyBytes: number }> {
  const res = await fetch(`${mock.url}${route.path}`, {
    method: route.method,
    headers: route.body ? { 'content-type': 'application/json' } : {},
    body: route.body,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const headers: string[] = [];
  res.headers.forEach((value, name) => {
    if (!OWN_HEADERS.has(name)) headers.push(name, value);
  });
  return { status: res.status, headers, body: bytes.toString('base64'), bodyBytes: bytes.length };
}

async function startBare(kind: 'http' | 'express', sampleFile: string): Promise<Server & { stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', BARE_SERVER, kind, String(port), sampleFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

const SERVER_CORE = '0';
const LOAD_CORE = '1';
/** Whether servers and load generator get a core each (two cores or more, and util-linux `taskset`). */
export const PINNING =
  os.cpus().length >= 2 &&
  spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** Moves a running process, every thread of it, to `core` (no-op without pinning). */
function pin(pid: number, core: string): void {
  if (!PINNING) return;
  const result = spawnSync('taskset', ['-a', '-p', '-c', core, String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`taskset could not pin process ${pid} to core ${core}`);
}

/** CPU time (user + system) of a process so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may contain spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1e6) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** node's arguments for autocannon: `route` on `url` for `seconds` over `connections`, JSON out. */
export function autocannonArgs(
  url: string,
  route: RouteCase,
  seconds: number,
  connections: number,
): string[] {
  const args = [
    path.join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js'),
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-m',
    route.method,
  ];
  if (route.body) args.push('-H', 'content-type=application/json', '-b', route.body);
  args.push(url);
  return args;
}

/** Requests per second from autocannon (own process), and the server's CPU time per request. */
async function load(
  server: Server,
  route: RouteCase,
  seconds: number,
  connections: number,
): Promise<Measure> {
  const url = `${server.url}${route.path}`;
  const args = autocannonArgs(url, route, seconds, connections);
  const cpuBefore = cpuMicros(server.pid);
  const child: ChildProcess = PINNING
    ? spawn('taskset', ['-c', LOAD_CORE, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  const cpu = cpuMicros(server.pid) - cpuBefore;
  const result = JSON.parse(output) as {
    requests: { average: number; total: number };
    throughput: { total: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  const total = Math.max(1, result.requests.total);
  return {
    rps: Math.round(result.requests.average),
    cpuUs: cpu / total,
    bytesPerResponse: Math.round(result.throughput.total / total),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
