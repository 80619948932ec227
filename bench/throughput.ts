/**
 * Throughput of the emitted mock vs a bare node:http server (the limit) and a bare Express 5 app,
 * each returning the same bytes, measured in the same run with autocannon in a separate process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootProject, compileProject, freePort, linkNodeModules, repoRoot, runCli } from '../test/helpers/project';

export interface ThroughputRow {
  route: string;
  bytes: number;
  nodeHttp: number;
  express: number;
  mock: number;
  mockRatio: number;
  expressRatio: number;
}

interface RouteCase {
  name: string;
  method: string;
  path: string;
  body?: string;
}

const ROUTES: RouteCase[] = [
  { name: 'small example (GET /ping)', method: 'GET', path: '/ping' },
  { name: '6 KB list (GET /items)', method: 'GET', path: '/items' },
  {
    name: 'validated POST (POST /items)',
    method: 'POST',
    path: '/items',
    body: JSON.stringify({ name: 'Bench item', sku: 'SKU-00042', price: 12.5, currency: 'EUR', tags: ['a'] }),
  },
];

const BARE_SERVER = `
const http = require('node:http');
const [kind, port, status, type, file] = process.argv.slice(1);
const body = require('node:fs').readFileSync(file);
const headers = { 'content-type': type, 'content-length': String(body.length) };
if (kind === 'express') {
  const express = require(${JSON.stringify(path.join(repoRoot, 'node_modules', 'express'))});
  const app = express();
  app.use(express.json());
  app.all('/{*any}', (req, res) => { res.status(Number(status)).set(headers).end(body); });
  app.listen(Number(port), '127.0.0.1', () => console.log('ready'));
} else {
  http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(Number(status), headers); res.end(body); });
  }).listen(Number(port), '127.0.0.1', () => console.log('ready'));
}
`;

export async function benchThroughput(options: { seconds?: number; connections?: number } = {}): Promise<ThroughputRow[]> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 50;
  const work = path.join(repoRoot, '.bench', 'throughput');
  fs.rmSync(work, { recursive: true, force: true });
  const out = path.join(work, 'mock');
  const gen = await runCli(['generate', '--spec', path.join(repoRoot, 'bench/fixtures/bench-api.json'), '--out', out, '--quiet']);
  if (gen.code !== 0) throw new Error(gen.stderr);
  linkNodeModules(out);
  const diagnostics = compileProject(out);
  if (diagnostics) throw new Error(diagnostics);

  const rows: ThroughputRow[] = [];
  for (const route of ROUTES) {
    const mock = await bootProject(out, { MOCKGEN_LATENCY: 'off', MOCKGEN_JOURNAL_LIMIT: '1000' });
    try {
      const sample = await fetch(`${mock.url}${route.path}`, {
        method: route.method,
        headers: route.body ? { 'content-type': 'application/json' } : {},
        body: route.body,
      });
      const bytes = Buffer.from(await sample.arrayBuffer());
      const bodyFile = path.join(work, `body-${rows.length}.bin`);
      fs.writeFileSync(bodyFile, bytes);
      const type = sample.headers.get('content-type') ?? 'application/json';
      const status = String(sample.status);

      const bare = await startBare('http', status, type, bodyFile);
      const express = await startBare('express', status, type, bodyFile);
      try {
        const nodeHttp = await load(`${bare.url}${route.path}`, route, seconds, connections);
        const expressRps = await load(`${express.url}${route.path}`, route, seconds, connections);
        await fetch(`${mock.url}/__mockgen/reset`, { method: 'POST' });
        const mockRps = await load(`${mock.url}${route.path}`, route, seconds, connections);
        rows.push({
          route: route.name,
          bytes: bytes.length,
          nodeHttp,
          express: expressRps,
          mock: mockRps,
          mockRatio: round(mockRps / nodeHttp),
          expressRatio: round(expressRps / nodeHttp),
        });
      } finally {
        bare.stop();
        express.stop();
      }
    } finally {
      await mock.stop();
    }
  }
  return rows;
}

async function startBare(kind: 'http' | 'express', status: string, type: string, file: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', BARE_SERVER, kind, String(port), status, type, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/** Requests per second from autocannon run in its own process. */
async function load(url: string, route: RouteCase, seconds: number, connections: number): Promise<number> {
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
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  await new Promise((resolve) => child.once('exit', resolve));
  const result = JSON.parse(output) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return Math.round(result.requests.average);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
