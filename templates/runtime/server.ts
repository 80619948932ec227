/**
 * The mock's HTTP server: a plain `node:http` server around the request pipeline (server/: route →
 * read → security → validate → select → latency → write).
 * Malformed requests the HTTP parser rejects (bad request line, unknown method, oversized headers)
 * are answered 400/431 and the connection closed; the process keeps serving.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockHandler, type MockHandler, type MockHandlerOptions } from './handler';
import type { RouteEntry } from './core/types';

export { createMockHandler };
export type { MockHandler, MockHandlerOptions };

export interface StartServerOptions {
  dataDir: string;
  routes: RouteEntry[];
  /** default 4010; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  env?: NodeJS.ProcessEnv;
  extend?: MockHandlerOptions['extend'];
  /** the request log (request-log.ts); default MOCKGEN_LOG */
  log?: MockHandlerOptions['log'];
  /** where state lives; default a new in-memory store */
  store?: MockHandlerOptions['store'];
}

export interface RunningServer {
  server: http.Server;
  /** the handler serving it (its state: `handler.store`) */
  handler: MockHandler;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const handler = createMockHandler({
    dataDir: options.dataDir,
    routes: options.routes,
    env: options.env,
    extend: options.extend,
    log: options.log,
    store: options.store,
  });
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 120_000 }, handler);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err as { bytesParsed?: number }).bytesParsed === undefined) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options.port ?? 4010, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    handler,
    port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // requests still in flight get a moment to finish, then their connections are cut
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
