/**
 * Recording proxy overhead: requests per second against a bare node:http target directly, and
 * through `mockgen record` (redaction and HAR writing on), measured in the same run. Target and proxy
 * each run in their own process; the load comes from autocannon (or a keep-alive loop when it is not
 * installed). 127.0.0.1 only, a few seconds in all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '../src/cli/main.js');

const TARGET = `
const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'item ' + i })) }));
require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); });
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

function startChild(
  args: string[],
  ready: RegExp,
  stream: 'stdout' | 'stderr',
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child[stream]?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function autocannonPath(): string | undefined {
  try {
    return require.resolve('autocannon/autocannon.js', { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

async function load(url: string, seconds: number, connections: number): Promise<number> {
  const cannon = autocannonPath();
  if (cannon) {
    const child = spawn(
      process.execPath,
      [cannon, '--json', '-c', String(connections), '-d', String(seconds), url],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    const result = JSON.parse(output) as { requests: { average: number }; non2xx: number; errors: number };
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return Math.round(result.requests.average);
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
  return Math.round(done / seconds);
}

export async function benchRecord(
  options: { seconds?: number; connections?: number } = {},
): Promise<{ directRps: number; proxiedRps: number; ratio: number }> {
  const seconds = options.seconds ?? 2;
  const connections = options.connections ?? 16;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-bench-record-'));
  const children: ChildProcess[] = [];
  try {
    const target = await startChild(['-e', TARGET], /(http:\/\/127\.0\.0\.1:\d+)/, 'stdout');
    children.push(target.child);
    const proxy = await startChild(
      [
        '-e',
        `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
        'record',
        '--target',
        target.url,
        '--port',
        '0',
        '--out',
        path.join(dir, 'bench.har'),
        '--quiet',
      ],
      /(http:\/\/127\.0\.0\.1:\d+) →/,
      'stderr',
    );
    children.push(proxy.child);
    await load(`${target.url}/items`, 0.5, connections); // warm-up
    const directRps = await load(`${target.url}/items`, seconds, connections);
    await load(`${proxy.url}/items`, 0.5, connections);
    const proxiedRps = await load(`${proxy.url}/items`, seconds, connections);
    return { directRps, proxiedRps, ratio: Math.round((proxiedRps / directRps) * 100) / 100 };
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
