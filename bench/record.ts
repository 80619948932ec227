/**
 * Recording proxy overhead: requests per second at 50 connections against a bare node:http target
 * directly, through `mockgen record` (redaction and HAR writing on), through a bare pass-through
 * proxy that records nothing (undici pool, the floor any recording proxy in node starts from), and
 * through `redocly proxy` when the published Redocly CLI has that command (BENCH_REDOCLY=0 skips it),
 * all in the same run: several rounds, each measuring every variant once, ratios to the direct
 * number of the same round, median over the rounds. Target and proxies each run in their own
 * process; the load comes from autocannon (or a keep-alive loop when it is not installed).
 * 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { redoclyBin } from './redocly';
import { median, round2 } from './throughput';

const MAIN = path.resolve(__dirname, '../src/cli/main.js');

/** argv[1]: ms the target takes to answer (0: at once; a real service takes a few) */
const TARGET = `
const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'item ' + i })) }));
const latency = Number(process.argv[1] || 0);
require('node:http').createServer((req, res) => {
  req.resume();
  const answer = () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); };
  req.on('end', () => (latency > 0 ? setTimeout(answer, latency) : answer()));
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

/** Forwards and records nothing: what node:http + an undici pool cost on their own. */
const PASS_THROUGH = `
const http = require('node:http');
const { Pool } = require(${JSON.stringify(require.resolve('undici'))});
const pool = new Pool(process.argv[1], { pipelining: 1 });
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);
http.createServer((req, res) => {
  req.resume();
  pool.dispatch({ path: req.url, method: req.method, headers: req.rawHeaders.filter((_, i, all) => i % 2 === 1 ? !hop.has(all[i - 1].toLowerCase()) : !hop.has(all[i].toLowerCase())) }, {
    onConnect() {},
    onHeaders(status, raw, resume, text) {
      const headers = [];
      for (let i = 0; i < raw.length; i += 2) { const name = raw[i].toString('latin1'); if (!hop.has(name.toLowerCase())) headers.push(name, raw[i + 1].toString('latin1')); }
      res.writeHead(status, text, headers);
      res.on('drain', resume);
      return true;
    },
    onData: (chunk) => res.write(chunk),
    onComplete: () => res.end(),
    onError: (err) => res.destroy(err),
  });
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port + ' →'); });
`;

export interface RecordBench {
  connections: number;
  seconds: number;
  rounds: number;
  /** req/s, best round */
  directRps: number;
  proxiedRps: number;
  /** mockgen record / direct, median over rounds */
  ratio: number;
  /** bare pass-through proxy (records nothing) / direct */
  passThroughRatio: number;
  /** mockgen record / bare pass-through: what recording costs on top of proxying */
  vsPassThrough: number;
  /**
   * The same against a target that takes `latencyMs` to answer, as a real service does: what the
   * proxy delivers when the target, not the two shared cores, sets the pace (direct req/s, ratio)
   */
  slowTarget: { latencyMs: number; directRps: number; ratio: number };
  /** with BENCH_RECORD_BASELINE: that build's recorder / direct */
  baselineRatio?: number;
  /** `redocly proxy` / direct, and mockgen record / redocly proxy; or why it was skipped */
  redocly: { rps: number; ratio: number; mockgenVsRedocly: number } | string;
  /** requests autocannon completed through mockgen (warm-up included) and the entries in its HAR
   * after them: at least as many (requests cut when autocannon stops are recorded as failed) */
  mockgenRequests: number;
  harEntries: number;
}

function startChild(
  command: string,
  args: string[],
  ready: RegExp,
  stream: 'stdout' | 'stderr',
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 60 s: ${output}`)), 60_000);
    const look = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
    void stream;
  });
}

function autocannonPath(): string | undefined {
  try {
    return require.resolve('autocannon/autocannon.js', { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

/** req/s and the number of requests completed. */
async function load(
  url: string,
  seconds: number,
  connections: number,
): Promise<{ rps: number; total: number }> {
  const cannon = autocannonPath();
  if (cannon) {
    const child = spawn(
      process.execPath,
      [cannon, '--json', '-c', String(connections), '-d', String(seconds), url],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    const result = JSON.parse(output) as {
      requests: { average: number; total: number };
      non2xx: number;
      errors: number;
    };
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: Math.round(result.requests.average), total: result.requests.total };
  }
  // Fallback: keep-alive request loops in this process.
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      await new Promise<void>((resolve, reject) => {
        http
          .get(url, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          })
          .on('error', reject);
      });
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return { rps: Math.round(done / seconds), total: done };
}

export async function benchRecord(
  options: { seconds?: number; connections?: number; rounds?: number } = {},
): Promise<RecordBench> {
  const seconds = options.seconds ?? Number(process.env.BENCH_RECORD_SECONDS ?? 3);
  const connections = options.connections ?? 50;
  const rounds = options.rounds ?? Number(process.env.BENCH_RECORD_ROUNDS ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-bench-record-'));
  const children: ChildProcess[] = [];
  const har = path.join(dir, 'bench.har');
  try {
    const target = await startChild(
      process.execPath,
      ['-e', TARGET],
      /(http:\/\/127\.0\.0\.1:\d+)/,
      'stdout',
    );
    children.push(target.child);
    const latencyMs = Number(process.env.BENCH_RECORD_LATENCY_MS ?? 5);
    const slow = await startChild(
      process.execPath,
      ['-e', TARGET, String(latencyMs)],
      /(http:\/\/127\.0\.0\.1:\d+)/,
      'stdout',
    );
    children.push(slow.child);
    const startRecord = (
      main: string,
      out: string,
      upstream = target.url,
    ): Promise<{ child: ChildProcess; url: string }> =>
      startChild(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
          'record',
          '--target',
          upstream,
          '--port',
          '0',
          '--out',
          out,
          '--quiet',
        ],
        /(http:\/\/127\.0\.0\.1:\d+) →/,
        'stderr',
      );
    const proxy = await startRecord(MAIN, har);
    children.push(proxy.child);
    const slowProxy = await startRecord(MAIN, path.join(dir, 'slow.har'), slow.url);
    children.push(slowProxy.child);
    // BENCH_RECORD_BASELINE=path/to/dist/src/cli/main.js: another build's recorder in the same run
    const baselineMain = process.env.BENCH_RECORD_BASELINE;
    const baseline = baselineMain
      ? await startRecord(path.resolve(baselineMain), path.join(dir, 'baseline.har'))
      : undefined;
    if (baseline) children.push(baseline.child);
    const pass = await startChild(
      process.execPath,
      ['-e', PASS_THROUGH, target.url],
      /(http:\/\/127\.0\.0\.1:\d+) →/,
      'stdout',
    );
    children.push(pass.child);
    const bin = await redoclyBin('proxy', /--target[\s\S]*--har|--har[\s\S]*--target/);
    let redoclyUrl: string | undefined;
    let redoclySkipped: string | undefined;
    if (typeof bin === 'string') {
      try {
        const redocly = await startChild(
          bin,
          ['proxy', '--target', target.url, '--port', '0', '--har', path.join(dir, 'redocly.har')],
          /Proxy listening on (http:\/\/127\.0\.0\.1:\d+)/,
          'stdout',
        );
        children.push(redocly.child);
        redoclyUrl = redocly.url;
      } catch (err) {
        redoclySkipped = `skipped: redocly proxy did not start: ${(err as Error).message.slice(0, 200)}`;
      }
    } else {
      redoclySkipped = bin.skipped;
    }

    const variants: [string, string][] = [
      ['direct', target.url],
      ['mockgen', proxy.url],
      ['pass', pass.url],
      ...(baseline ? ([['baseline', baseline.url]] as [string, string][]) : []),
      ...(redoclyUrl ? ([['redocly', redoclyUrl]] as [string, string][]) : []),
      ['slowDirect', slow.url],
      ['slowMockgen', slowProxy.url],
    ];
    let mockgenRequests = 0;
    for (const [name, url] of variants) {
      const warm = await load(`${url}/items`, 1, connections);
      if (name === 'mockgen') mockgenRequests += warm.total;
    }
    const rps: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, url] of variants) {
        const result = await load(`${url}/items`, seconds, connections);
        (rps[name] ??= []).push(result.rps);
        if (name === 'mockgen') mockgenRequests += result.total;
      }
    }
    // every completed exchange is in the file (warm-up included)
    const entries = (JSON.parse(fs.readFileSync(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries
      .length;
    const ratioOf = (name: string): number =>
      round2(median(rps[name].map((value, i) => value / rps.direct[i])));
    return {
      connections,
      seconds,
      rounds,
      directRps: Math.max(...rps.direct),
      proxiedRps: Math.max(...rps.mockgen),
      ratio: ratioOf('mockgen'),
      passThroughRatio: ratioOf('pass'),
      vsPassThrough: round2(median(rps.mockgen.map((value, i) => value / rps.pass[i]))),
      redocly: redoclyUrl
        ? {
            rps: Math.max(...rps.redocly),
            ratio: ratioOf('redocly'),
            mockgenVsRedocly: round2(median(rps.mockgen.map((value, i) => value / rps.redocly[i]))),
          }
        : (redoclySkipped ?? 'skipped'),
      slowTarget: {
        latencyMs,
        directRps: Math.max(...rps.slowDirect),
        ratio: round2(median(rps.slowMockgen.map((value, i) => value / rps.slowDirect[i]))),
      },
      ...(baseline ? { baselineRatio: ratioOf('baseline') } : {}),
      mockgenRequests,
      harEntries: entries,
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRecord().then(
    (result) => console.log(JSON.stringify(result)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
