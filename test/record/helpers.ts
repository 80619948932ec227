import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export const BINARY = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37 + 11) % 256));
export const GZIP_JSON = {
  items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'ünïcødé' })),
};
export const BIG_TEXT = 'abcdefghij'.repeat(20_000); // 200 KB
export const FIXED_DATE = 'Mon, 01 Jan 2024 00:00:00 GMT';

/** The target API the tests record: one route per behaviour. */
export function startTarget(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    res.sendDate = false;
    const url = new URL(req.url ?? '/', 'http://x');
    // (a raw header array in writeHead is merged into an object when headers were set before)
    if (!url.pathname.endsWith('/json')) res.setHeader('Date', FIXED_DATE);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      switch (url.pathname) {
        case '/base/json':
        case '/json': {
          const payload = JSON.stringify({
            ok: true,
            query: Object.fromEntries(url.searchParams),
            host: req.headers.host,
          });
          res.writeHead(200, 'Fine Thanks', [
            'Date',
            FIXED_DATE,
            'Content-Type',
            'application/json; charset=utf-8',
            'Set-Cookie',
            'a=1; Path=/',
            'Set-Cookie',
            'b=2; HttpOnly',
            'X-Dup',
            'one',
            'X-Dup',
            'two',
            'Content-Length',
            String(Buffer.byteLength(payload)),
          ]);
          res.end(payload);
          return;
        }
        case '/binary':
          res.writeHead(200, { 'content-type': 'image/png', 'content-length': BINARY.length });
          res.end(BINARY);
          return;
        case '/gzip': {
          const zipped = zlib.gzipSync(JSON.stringify(GZIP_JSON));
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': zipped.length,
          });
          res.end(zipped);
          return;
        }
        case '/br': {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
          res.end(zlib.brotliCompressSync('brotli text body'));
          return;
        }
        case '/stream': {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          let n = 0;
          const timer = setInterval(() => {
            n += 1;
            res.write(`data: ${n}\n\n`);
            if (n === 4) {
              clearInterval(timer);
              res.end();
            }
          }, 80);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case '/slow': {
          const timer = setTimeout(
            () => {
              res.writeHead(200, { 'content-type': 'text/plain' });
              res.end('slow');
            },
            Number(url.searchParams.get('ms') ?? 100),
          );
          res.on('close', () => clearTimeout(timer));
          return;
        }
        case '/echo':
          res.writeHead(201, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' });
          res.end(body);
          return;
        case '/big':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(BIG_TEXT);
          return;
        case '/reset':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        case '/fail':
          res.writeHead(500, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ title: 'boom', status: 500 }));
          return;
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found');
      }
    });
  });
  // An echo protocol over an upgraded connection (what a WebSocket does, without the framing).
  server.on('upgrade', (req: http.IncomingMessage, socket: import('node:net').Socket) => {
    if (req.url !== '/echo-socket') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    }),
  );
}

export interface Fetched {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
  /** ms from request start to the first body byte, and to the end */
  firstByteMs: number;
  endMs: number;
}

export function fetchRaw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: http.Agent;
  } = {},
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        let firstByteMs = -1;
        res.on('data', (c: Buffer) => {
          if (firstByteMs < 0) firstByteMs = Date.now() - started;
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
            firstByteMs,
            endMs: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Response headers without the ones each hop sets for itself. */
export function endToEndHeaders(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!/^(connection|keep-alive|transfer-encoding)$/i.test(raw[i])) out.push([raw[i], raw[i + 1]]);
  }
  return out;
}

export function close(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The compiled CLI entry, for tests that spawn `mockgen`. */
export const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

export interface RecordRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns `mockgen record ARGS` (exit code = main()'s return value). */
export function spawnMockgenRecord(args: string[], cwd?: string): RecordRun {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
      'record',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves with the proxy URL once a spawned recorder prints its listening line. */
export function listeningUrl(run: RecordRun): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${run.stderr()}`)), 10_000);
    const look = (): void => {
      const match = /(http:\/\/127\.0\.0\.1:\d+) →/.exec(run.stderr());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    run.child.stderr?.on('data', look);
    look();
    void run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${run.stderr()}`));
    });
  });
}
