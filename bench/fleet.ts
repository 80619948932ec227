/**
 * The Redis store (issue 14): one replica with the in-memory store, one replica with Redis, and
 * three replicas sharing one Redis behind a round-robin proxy, on a stateless GET, a stateful
 * create and a stateful read, measured in the same run with autocannon (50 connections).
 *
 * The proxy (test/helpers/redis.ts, in this process) costs throughput of its own, so the three
 * replicas are set against one in-memory replica behind the same proxy: `vsProxiedMemory` is the
 * fleet's price, `vsMemory` the price of the Redis store for one replica. Redis round trips per
 * request are Redis's count of the commands clients sent (EVALSHA, EVAL, GET, SET, LRANGE: not the
 * calls a script makes) over the requests answered; journal batches (one per 10 ms per replica)
 * are included. Skipped without `redis-server`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { bootProject, repoRoot, type RunningMock } from '../test/helpers/project';
import { hasRedis, roundRobin, startRedis, type Redis } from '../test/helpers/redis';
import { ROUTES, autocannonArgs, benchMock, cpuMicros, median, round2, type RouteCase } from './throughput';

export interface FleetRow {
  route: string;
  setup: string;
  rps: number;
  p99Ms: number;
  /** server CPU µs per request, all replicas together */
  cpuUs: number;
  redisRoundTrips?: number;
  /** rps / the in-memory replica's rps on the same route (median of rounds) */
  vsMemory: number;
  /** three replicas behind the proxy: rps / one in-memory replica behind the same proxy */
  vsProxiedMemory?: number;
}

const CLIENT_COMMANDS = ['evalsha', 'eval', 'get', 'set', 'lrange'];

export async function benchFleet(
  options: { seconds?: number; rounds?: number; connections?: number } = {},
): Promise<FleetRow[] | undefined> {
  if (!hasRedis) return undefined;
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 3;
  const connections = options.connections ?? 50;
  const out = await benchMock(path.join(repoRoot, '.bench', 'fleet'));

  const redis = await startRedis();
  const env = { MOCKGEN_LATENCY: 'off', MOCKGEN_JOURNAL_LIMIT: '1000' };
  const memory = await bootProject(out, env);
  const single = await bootProject(out, { ...env, MOCKGEN_STORE: redis.url });
  const fleet = [
    single,
    ...(await Promise.all([1, 2].map(() => bootProject(out, { ...env, MOCKGEN_STORE: redis.url })))),
  ];
  const memoryProxy = await roundRobin([memory]);
  const fleetProxy = await roundRobin(fleet);
  try {
    const read: RouteCase = { name: 'stateful read (GET /items/3)', method: 'GET', path: '/items/3' };
    const cases: RouteCase[] = [ROUTES[0], { ...ROUTES[2], name: 'stateful create (POST /items)' }, read];
    const setups: { name: string; url: string; pids: number[]; redis: boolean }[] = [
      { name: 'memory ×1', url: memory.url, pids: [memory.child.pid!], redis: false },
      { name: 'redis ×1', url: single.url, pids: [single.child.pid!], redis: true },
      { name: 'memory ×1 via proxy', url: memoryProxy.url, pids: [memory.child.pid!], redis: false },
      { name: 'redis ×3 via proxy', url: fleetProxy.url, pids: fleet.map((r) => r.child.pid!), redis: true },
    ];
    const rows: FleetRow[] = [];
    for (const route of cases) {
      const reset = async (): Promise<void> => {
        for (const target of [memory, single])
          await (await fetch(`${target.url}/__mockgen/reset`, { method: 'POST' })).arrayBuffer();
      };
      const best = new Map<string, Omit<FleetRow, 'vsMemory' | 'vsProxiedMemory'>>();
      const ratios = new Map<string, number[]>();
      for (const setup of setups) {
        await reset();
        await load(setup.url, route, 2, connections); // warm-up
      }
      for (let round = 0; round < rounds; round++) {
        const measured = new Map<string, number>();
        for (const setup of setups) {
          await reset();
          const before = setup.redis ? await redisCommands(redis) : 0;
          const cpuBefore = setup.pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
          const m = await load(setup.url, route, seconds, connections);
          const cpu = setup.pids.reduce((sum, pid) => sum + cpuMicros(pid), 0) - cpuBefore;
          const trips = setup.redis ? ((await redisCommands(redis)) - before) / m.total : undefined;
          measured.set(setup.name, m.rps);
          const row = {
            route: route.name,
            setup: setup.name,
            rps: m.rps,
            p99Ms: m.p99,
            cpuUs: Math.round((cpu / m.total) * 10) / 10,
            ...(trips !== undefined ? { redisRoundTrips: Math.round(trips * 100) / 100 } : {}),
          };
          const previous = best.get(setup.name);
          if (!previous || row.rps > previous.rps) best.set(setup.name, row);
        }
        for (const setup of setups) {
          const list = ratios.get(setup.name) ?? [];
          list.push(measured.get(setup.name)! / measured.get('memory ×1')!);
          ratios.set(setup.name, list);
        }
        const proxied = ratios.get('proxied') ?? [];
        proxied.push(measured.get('redis ×3 via proxy')! / measured.get('memory ×1 via proxy')!);
        ratios.set('proxied', proxied);
      }
      for (const setup of setups) {
        rows.push({
          ...best.get(setup.name)!,
          vsMemory: round2(median(ratios.get(setup.name)!)),
          ...(setup.name === 'redis ×3 via proxy'
            ? { vsProxiedMemory: round2(median(ratios.get('proxied')!)) }
            : {}),
        });
      }
    }
    return rows;
  } finally {
    await fleetProxy.close();
    await memoryProxy.close();
    await Promise.all([memory, ...fleet].map((r: RunningMock) => r.stop()));
    await redis.stop();
  }
}

/** Commands clients sent Redis so far (INFO commandstats, top-level commands only). */
async function redisCommands(redis: Redis): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(redis.port), 'INFO', 'commandstats'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', () => resolve(output));
  });
  let calls = 0;
  for (const name of CLIENT_COMMANDS) {
    const m = new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(text);
    if (m) calls += Number(m[1]);
  }
  return calls;
}

async function load(
  url: string,
  route: RouteCase,
  seconds: number,
  connections: number,
): Promise<{ rps: number; p99: number; total: number }> {
  const args = autocannonArgs(`${url}${route.path}`, route, seconds, connections);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  const result = JSON.parse(output) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    non2xx: number;
    errors: number;
  };
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `${url}${route.path}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`,
    );
  return {
    rps: Math.round(result.requests.average),
    p99: result.latency.p99,
    total: Math.max(1, result.requests.total),
  };
}
