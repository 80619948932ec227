/**
 * Big inputs: generation and emitted-server start-up on the api.github.com contract, and generation
 * from a 100k-entry HAR. Each measured in a child process so peak RSS is its own.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileProject, freePort, linkNodeModules, repoRoot } from '../test/helpers/project';

export interface GenerateMeasure {
  /** wall time */
  seconds: number;
  /** CPU time of the process (user + system; on a shared machine, wall time includes waiting for a core) */
  cpuSeconds: number;
  peakRssMb: number;
  operations?: number;
}

export const GITHUB_CONTRACT = path.join(
  repoRoot,
  'node_modules/@octokit/openapi/generated/api.github.com.json',
);

/** Runs `mockgen generate` in a child process; reports wall time and the child's peak RSS. */
export async function timedGenerate(args: string[]): Promise<GenerateMeasure> {
  const script = `
    const started = process.hrtime.bigint();
    require(${JSON.stringify(path.resolve(__dirname, '../src/cli/main.js'))}).main(process.argv.slice(1)).then((code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage();
      process.stderr.write('\\n@@' + JSON.stringify({ code, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');
      process.exit(code);
    });`;
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=8192', '-e', script, 'generate', ...args, '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  child.stdout?.resume();
  await new Promise((resolve) => child.once('exit', resolve));
  const line = stderr.split('\n').find((l) => l.startsWith('@@'));
  if (!line) throw new Error(`generate crashed:\n${stderr}`);
  const result = JSON.parse(line.slice(2)) as {
    code: number;
    seconds: number;
    cpuSeconds: number;
    peakRssMb: number;
  };
  if (result.code !== 0) throw new Error(`generate failed (${result.code}):\n${stderr}`);
  return {
    seconds: round(result.seconds),
    cpuSeconds: round(result.cpuSeconds),
    peakRssMb: Math.round(result.peakRssMb),
  };
}

/** Time from `node dist/runtime/main.js` to the first 200 from /__mockgen/health, and RSS then. */
export async function timedStartup(
  projectDir: string,
): Promise<{ seconds: number; cpuSeconds: number; rssMb: number }> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['dist/runtime/main.js'], {
    cwd: projectDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MOCKGEN_LATENCY: 'off' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/__mockgen/health`);
        if (res.status === 200) break;
      } catch {
        // not yet
      }
      if (Number(process.hrtime.bigint() - started) / 1e9 > 30) throw new Error('no health answer in 30 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
    return { seconds: round(seconds), cpuSeconds: round(cpuSeconds), rssMb: Math.round(rssKb / 1024) };
  } finally {
    child.kill('SIGKILL');
  }
}

export async function benchGithub(): Promise<
  { generate: GenerateMeasure; startup: { seconds: number; cpuSeconds: number; rssMb: number } } | undefined
> {
  if (!fs.existsSync(GITHUB_CONTRACT)) return undefined;
  const out = path.join(repoRoot, '.bench', 'github');
  fs.rmSync(out, { recursive: true, force: true });
  const generate = await timedGenerate(['--spec', GITHUB_CONTRACT, '--out', out]);
  generate.operations = fs.readdirSync(path.join(out, 'data', 'ops')).length;
  linkNodeModules(out);
  const diagnostics = compileProject(out);
  if (diagnostics) throw new Error(`github mock does not compile:\n${diagnostics.slice(0, 2000)}`);
  const startup = await timedStartup(out);
  return { generate, startup };
}

/** A HAR with `count` entries against the bench API (GET and POST /items, /ping), with timings. */
export function writeSyntheticHar(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"mockgen-bench","version":"1"},"entries":[');
  const started = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const item = {
      id: i + 1,
      name: `Item ${i}`,
      sku: `SKU-${String(i % 100000).padStart(5, '0')}`,
      price: (i % 500) + 0.5,
      currency: 'EUR',
      tags: ['x'],
      inStock: i % 2 === 0,
    };
    const entry = {
      startedDateTime: new Date(started + i * 10).toISOString(),
      time: 20 + (i % 50),
      request: {
        method: kind === 1 ? 'POST' : 'GET',
        url:
          kind === 0
            ? 'http://api.test/ping'
            : kind === 1
              ? 'http://api.test/items'
              : `http://api.test/items?limit=${(i % 20) + 1}`,
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'accept', value: 'application/json' },
          { name: 'authorization', value: `Bearer secret-${i}` },
        ],
        queryString: kind === 2 ? [{ name: 'limit', value: String((i % 20) + 1) }] : [],
        cookies: [],
        headersSize: -1,
        bodySize: kind === 1 ? 80 : 0,
        ...(kind === 1
          ? {
              postData: {
                mimeType: 'application/json',
                text: JSON.stringify({ name: item.name, sku: item.sku, price: item.price }),
              },
            }
          : {}),
      },
      response: {
        status: kind === 1 ? 201 : 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'content-type', value: 'application/json' }],
        cookies: [],
        content: {
          size: 0,
          mimeType: 'application/json',
          text: JSON.stringify(kind === 0 ? { status: 'ok' } : kind === 1 ? item : [item]),
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: { send: 0, wait: 18 + (i % 50), receive: 2 },
    };
    fs.writeSync(fd, `${i === 0 ? '' : ','}${JSON.stringify(entry)}`);
  }
  fs.writeSync(fd, ']}}');
  fs.closeSync(fd);
}

export async function benchBigHar(
  count = 100000,
): Promise<GenerateMeasure & { entries: number; harMb: number }> {
  const dir = path.join(repoRoot, '.bench', 'har');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const har = path.join(dir, 'big.har');
  writeSyntheticHar(har, count);
  const measure = await timedGenerate([
    '--spec',
    path.join(repoRoot, 'bench/fixtures/bench-api.json'),
    '--recordings',
    har,
    '--out',
    path.join(dir, 'mock'),
  ]);
  return { ...measure, entries: count, harMb: Math.round(fs.statSync(har).size / 1048576) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
