/**
 * The recording reverse proxy: every request to it is forwarded to the target, the response streamed
 * back byte for byte as it arrives, and a HAR 1.2 entry built from a capped copy of both bodies.
 * node:http/https only. I/O shell: what happens to the entries (redaction, file, drift) is the caller's.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { Pool, buildConnector, type Dispatcher } from 'undici';
import { MockgenError } from '../errors';
import type { HarCookie, HarEntry, HarHeader, HarResponse, HarTimings } from '../recordings/har-types';
import { BodyCapture, toHarContent, toHarPostData } from './capture';
import { HOP_BY_HOP } from '../recordings/headers';

/** When a pooled upstream connection was opened, TCP-connected and (https) TLS-established. */
interface ConnectTiming {
  started: number;
  connected: number;
  secure: number;
}

/** undici's connector returns the socket it creates (its type says void). */
type ConnectorReturningSocket = (
  options: buildConnector.Options,
  callback: buildConnector.Callback,
) => Socket | undefined;

export interface RecordingProxyOptions {
  /** Base URL of the real API; the request path and query are appended to its path. */
  target: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default 8080. */
  port?: number;
  /** Upstream inactivity limit in ms (no byte sent or received): 504 before the response starts. Default 30000. */
  timeoutMs?: number;
  /** Bodies above this many bytes are cut in the HAR (still forwarded whole). Default 5 MiB. */
  maxBodySize?: number;
  /** Accept self-signed target certificates. Default false. */
  insecure?: boolean;
  /** Called once per exchange when it completes (also failed ones), in completion order. */
  onEntry: (entry: HarEntry) => void | Promise<void>;
}

export interface ProxyStats {
  /** Exchanges completed (including failed). */
  exchanges: number;
  /** Exchanges that failed: upstream error, timeout, aborted. */
  errors: number;
  inFlight: number;
  /** Body bytes from clients to the target. */
  bytesSent: number;
  /** Body bytes from the target to clients (as on the wire). */
  bytesReceived: number;
}

export interface RecordingProxy {
  /** `http://host:port` the app should use. */
  url: string;
  port: number;
  stats: ProxyStats;
  /** Stops accepting, lets in-flight exchanges finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_SIZE = 5 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Raw header pairs (node `rawHeaders`) without hop-by-hop headers and those named in `Connection`. */
export function withoutHopByHop(rawHeaders: string[], extraDrop: string[] = []): string[] {
  // (per exchange, twice: no Set built unless a Connection header names more)
  let named: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === 10 && rawHeaders[i].toLowerCase() === 'connection') {
      named ??= new Set();
      for (const token of rawHeaders[i + 1].split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name) || (extraDrop.length > 0 && extraDrop.includes(name)))
      continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}

/** The path to request upstream: the target's path + the request's path and query, as received. */
export function upstreamPath(target: URL, requestUrl: string): string {
  let pathAndQuery = requestUrl;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathAndQuery)) {
    // absolute-form (the app uses us as a forward proxy): keep only path + query
    const afterScheme = pathAndQuery.indexOf('//') + 2;
    const slash = pathAndQuery.indexOf('/', afterScheme);
    const question = pathAndQuery.indexOf('?', afterScheme);
    const start = slash >= 0 ? slash : question;
    pathAndQuery = start >= 0 ? pathAndQuery.slice(start) : '/';
  }
  if (!pathAndQuery.startsWith('/')) pathAndQuery = `/${pathAndQuery}`;
  const base = target.pathname.replace(/\/+$/, '');
  if (base !== '' && (pathAndQuery === '/' || pathAndQuery.startsWith('/?'))) {
    // `/` on a target with a path means the target's path itself (keep its trailing slash, if any)
    return `${target.pathname}${pathAndQuery.slice(1)}`;
  }
  return `${base}${pathAndQuery}`;
}

function pairs(raw: string[]): HarHeader[] {
  const out: HarHeader[] = [];
  for (let i = 0; i < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
  return out;
}

function headerValue(raw: string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
  return undefined;
}

function queryString(path: string): HarHeader[] {
  const q = path.indexOf('?');
  if (q < 0) return [];
  const out: HarHeader[] = [];
  for (const [name, value] of new URLSearchParams(path.slice(q + 1))) out.push({ name, value });
  return out;
}

function requestCookies(raw: string[]): HarCookie[] {
  const out: HarCookie[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== 'cookie') continue;
    for (const pair of raw[i + 1].split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) out.push({ name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() });
    }
  }
  return out;
}

function responseCookies(raw: string[]): HarCookie[] {
  const out: HarCookie[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== 'set-cookie') continue;
    const [first, ...attributes] = raw[i + 1].split(';');
    const eq = first.indexOf('=');
    if (eq <= 0) continue;
    const cookie: HarCookie = { name: first.slice(0, eq).trim(), value: first.slice(eq + 1).trim() };
    for (const attribute of attributes) {
      const [key, ...rest] = attribute.split('=');
      const value = rest.join('=').trim();
      switch (key.trim().toLowerCase()) {
        case 'path':
          cookie.path = value;
          break;
        case 'domain':
          cookie.domain = value;
          break;
        case 'expires': {
          const date = new Date(value);
          if (!Number.isNaN(date.getTime())) cookie.expires = date.toISOString();
          break;
        }
        case 'httponly':
          cookie.httpOnly = true;
          break;
        case 'secure':
          cookie.secure = true;
          break;
        case 'samesite':
          cookie.sameSite = value;
          break;
      }
    }
    out.push(cookie);
  }
  return out;
}

function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-mockgen-record': 'proxy-error',
  });
  res.end(body);
}

/** Why an upstream request failed, in words an app developer can act on. */
function upstreamReason(err: Error, timedOut: boolean): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (timedOut) return `timed out (no response within the --timeout${code ? `, ${code}` : ''})`;
  const hint =
    code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
      ? '; pass --insecure to accept the certificate'
      : '';
  return `${code && !err.message.includes(code) ? `${code}: ` : ''}${err.message}${hint}`;
}

/** Why the proxy cannot listen, as a user error for the usual causes. */
function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new MockgenError(`port ${port} is in use on ${host} (EADDRINUSE); choose another with --port.`);
    case 'EACCES':
    case 'EPERM':
      return new MockgenError(
        `port ${port} on ${host} needs more privileges (${err.code}); choose one above 1023 with --port.`,
      );
    case 'EADDRNOTAVAIL':
      return new MockgenError(`${host} is not an address of this machine (EADDRNOTAVAIL); check --host.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new MockgenError(
        `--host '${host}' does not resolve (${err.code}); give an address like 127.0.0.1.`,
      );
    default:
      return err;
  }
}

/** `--target` as a URL the proxy can forward to, or a MockgenError saying what is wrong with it. */
export function parseTarget(value: string): URL {
  const example = 'give one like https://api.example.com/v1';
  let target: URL;
  try {
    target = new URL(value);
  } catch {
    throw new MockgenError(`--target '${value}' is not a URL; ${example}.`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new MockgenError(
      `--target '${value}' has the scheme ${target.protocol.replace(/:$/, '')}; only http and https are supported (${example}).`,
    );
  if (target.hostname === '') throw new MockgenError(`--target '${value}' has no host; ${example}.`);
  if (target.search !== '' || target.hash !== '')
    throw new MockgenError(
      `--target '${value}' has a ${target.search !== '' ? 'query' : 'fragment'}; the app's own path and query are appended to the target, ${example}.`,
    );
  if (target.username !== '' || target.password !== '')
    throw new MockgenError(
      `--target '${value}' has credentials in it; they would not be sent. Let the app send its own Authorization header.`,
    );
  return target;
}

/**
 * Whether the target answers a TCP (and for https, a verified TLS) connection within `timeoutMs`:
 * `undefined` when it does, else what is wrong, naming the target. The recorder starts anyway (the
 * target may come up later); the CLI prints this as a warning.
 */
export function probeTarget(
  value: string,
  options: { insecure?: boolean; timeoutMs?: number } = {},
): Promise<string | undefined> {
  const target = parseTarget(value);
  const isHttps = target.protocol === 'https:';
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port ? Number(target.port) : isHttps ? 443 : 80;
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    const socket = isHttps
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host,
          rejectUnauthorized: !options.insecure,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host, port });
    const done = (message: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(message);
    };
    const timer = setTimeout(
      () => done(`--target ${target.origin} did not accept a connection within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once(isHttps ? 'secureConnect' : 'connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        done(`--target host '${host}' does not resolve (${code}); check the URL ${target.origin}`);
      else if (code === 'ECONNREFUSED')
        done(
          `--target ${target.origin} refused the connection (ECONNREFUSED): nothing listens on port ${port}`,
        );
      else if (isHttps && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
        done(
          `the TLS certificate of --target ${target.origin} is not trusted (${code}: ${err.message}); ` +
            'pass --insecure to accept it (or NODE_EXTRA_CA_CERTS=ca.pem to trust its CA)',
        );
      else done(`--target ${target.origin} cannot be reached (${code ? `${code}: ` : ''}${err.message})`);
    });
  });
}

/** Starts the proxy; resolves once it listens. */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const target = parseTarget(options.target);
  const isHttps = target.protocol === 'https:';
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port ? Number(target.port) : isHttps ? 443 : 80;
  // Connections the pool opened, in the order they connected, until the request that caused each
  // claims it for its `connect` / `ssl` timings.
  const freshConnections: ConnectTiming[] = [];
  let serverAddress: string | undefined;
  const connectBase = buildConnector({
    rejectUnauthorized: !options.insecure,
    timeout: timeoutMs,
  });
  const pool = new Pool(target.origin, {
    // keep-alive upstream connections, as many as the app has requests in flight
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect(connectOptions, callback) {
      const timing: ConnectTiming = { started: performance.now(), connected: -1, secure: -1 };
      const socket = (connectBase as unknown as ConnectorReturningSocket)(
        connectOptions,
        (err, connected) => {
          if (!err) {
            freshConnections.push(timing);
            if (freshConnections.length > 1024) freshConnections.shift();
            serverAddress = connected?.remoteAddress ?? serverAddress;
          }
          callback(...([err, connected] as Parameters<buildConnector.Callback>));
        },
      );
      socket?.once('connect', () => (timing.connected = performance.now()));
      if (isHttps) socket?.once('secureConnect', () => (timing.secure = performance.now()));
    },
  });
  const stats: ProxyStats = { exchanges: 0, errors: 0, inFlight: 0, bytesSent: 0, bytesReceived: 0 };
  const pending = new Set<Promise<void>>();

  const server = http.createServer((req, res) => {
    stats.inFlight += 1;
    const done = exchange(req, res).finally(() => {
      stats.inFlight -= 1;
      pending.delete(done);
    });
    pending.add(done);
  });
  server.keepAliveTimeout = 65_000;
  // Uploads and long streams are bounded by the upstream inactivity timeout, not by node's defaults.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  function exchange(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    return new Promise<void>((resolveExchange) => {
      const startedDateTime = new Date().toISOString();
      const t0 = performance.now();
      let tSocket = -1;
      let tSent = -1;
      let tResponse = -1;
      let tEnd = -1;
      let connection: ConnectTiming | undefined;
      res.sendDate = false;

      const path = upstreamPath(target, req.url ?? '/');
      const url = `${target.protocol}//${target.host}${path}`;
      const requestHeaders = withoutHopByHop(req.rawHeaders, ['expect']);
      let hasHost = false;
      for (let i = 0; i < requestHeaders.length; i += 2) {
        if (requestHeaders[i].toLowerCase() === 'host') {
          requestHeaders[i + 1] = target.host;
          hasHost = true;
        }
      }
      if (!hasHost) requestHeaders.unshift('Host', target.host);
      const requestCapture = new BodyCapture(maxBodySize);
      const responseCapture = new BodyCapture(maxBodySize);
      let status = 0;
      let statusText = '';
      let responseHeaders: string[] | undefined;
      let expectedLength = -1;
      let dataSeen = false;
      /** the chunk that completes a content-length body: it goes out with `end`, once the entry is written */
      let lastChunk: Buffer | undefined;
      let resumeUpstream: (() => void) | undefined;
      let abortUpstream: ((err: Error) => void) | undefined;
      let finished = false;

      // Request body: forwarded as it arrives (undici awaits each write: back-pressure), a capped copy kept.
      const hasBody =
        req.headers['transfer-encoding'] !== undefined ||
        (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
      async function* requestBody(): AsyncGenerator<Buffer> {
        for await (const chunk of req as AsyncIterable<Buffer>) {
          requestCapture.add(chunk);
          stats.bytesSent += chunk.length;
          yield chunk;
        }
      }

      const handler: Dispatcher.DispatchHandler & { onRequestSent?(): void } = {
        // undici's raw-header handler interface: headers as received (case, order, duplicates), no parsing
        onConnect(abort) {
          tSocket = performance.now();
          abortUpstream = abort;
          // a connection opened for this request is the first one the pool hands out after it connected
          if (freshConnections.length > 0 && freshConnections[0].started >= t0)
            connection = freshConnections.shift();
        },
        onRequestSent() {
          tSent = performance.now();
        },
        onHeaders(statusCode, raw, resume, message) {
          if (statusCode < 200) return true; // 1xx informational: not forwarded
          tResponse = performance.now();
          status = statusCode;
          statusText = message ?? '';
          resumeUpstream = resume;
          const headers: string[] = new Array<string>(raw.length);
          for (let i = 0; i < raw.length; i += 2) {
            headers[i] = raw[i].toString('latin1');
            headers[i + 1] = raw[i + 1].toString('latin1');
            if (
              expectedLength < 0 &&
              headers[i].length === 14 &&
              headers[i].toLowerCase() === 'content-length'
            )
              expectedLength = Number(headers[i + 1]);
          }
          if (req.method === 'HEAD' || statusCode === 204 || statusCode === 304) expectedLength = -1;
          responseHeaders = headers;
          const forwarded = withoutHopByHop(headers);
          try {
            res.writeHead(statusCode, statusText, forwarded);
          } catch {
            // invalid header or status text from upstream: send what node accepts
            try {
              res.writeHead(statusCode, forwarded);
            } catch {
              res.writeHead(statusCode);
            }
          }
          // Headers go out with the first body chunk (one packet); a body that is not there yet gets
          // them on their own (an event stream's client sees the response start at once).
          setImmediate(() => {
            if (!dataSeen && !finished && !res.headersSent && !res.destroyed) res.flushHeaders();
          });
          return true;
        },
        onData(chunk) {
          dataSeen = true;
          responseCapture.add(chunk);
          stats.bytesReceived += chunk.length;
          if (expectedLength >= 0 && responseCapture.total >= expectedLength && lastChunk === undefined) {
            lastChunk = chunk;
            return true;
          }
          return res.write(chunk);
        },
        onComplete(trailers) {
          tEnd = performance.now();
          void finish(undefined, () => {
            if (trailers && trailers.length > 0) {
              const pairs: [string, string][] = [];
              for (let i = 0; i < trailers.length; i += 2)
                pairs.push([String(trailers[i]), String(trailers[i + 1])]);
              try {
                res.addTrailers(pairs);
              } catch {
                // trailers only travel with chunked responses
              }
            }
            res.end(lastChunk);
          });
        },
        onError(err) {
          if (responseHeaders) {
            // cut mid-response: the app sees the cut too
            void finish(err, () => res.destroy());
            return;
          }
          const code = (err as NodeJS.ErrnoException).code;
          const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
          const reason = upstreamReason(err, timedOut);
          void finish(new Error(timedOut ? `timeout: ${reason}` : reason), () => {
            if (res.writableEnded || res.destroyed) return;
            if (timedOut)
              problem(res, 504, 'Gateway Timeout', `mockgen record: ${req.method} ${url} ${reason}`);
            else problem(res, 502, 'Bad Gateway', `mockgen record: ${req.method} ${url} failed: ${reason}`);
          });
        },
      };
      res.on('drain', () => resumeUpstream?.());

      // The client went away before the exchange completed.
      res.on('close', () => {
        if (!res.writableFinished && !finished) {
          abortUpstream?.(new Error('client closed the connection'));
          void finish(new Error('client closed the connection'), () => undefined);
        }
      });

      try {
        pool.dispatch(
          {
            origin: target.origin,
            path,
            method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
            headers: requestHeaders,
            // (undici takes an async iterable body; its type lists only streams)
            body: hasBody ? (requestBody() as unknown as Readable) : null,
          },
          handler,
        );
      } catch (err) {
        handler.onError?.(err as Error);
      }
      if (!hasBody) req.resume();

      /**
       * The exchange is complete: its entry goes to `onEntry` and only once that resolves (the entry is
       * on disk) does the app get the end of the response (`deliver`), so every exchange the app saw
       * complete is in the file, even after a SIGKILL.
       */
      async function finish(error: Error | undefined, deliver: () => void): Promise<void> {
        if (finished) return;
        finished = true;
        if (tEnd < 0) tEnd = performance.now();
        try {
          const entry = await buildEntry(error);
          stats.exchanges += 1;
          if (entry._error) stats.errors += 1;
          await options.onEntry(entry);
        } catch (err) {
          process.stderr.write(
            `mockgen record: could not record ${req.method} ${url}: ${(err as Error).message}\n`,
          );
        } finally {
          try {
            deliver();
          } finally {
            resolveExchange();
          }
        }
      }

      async function buildEntry(error?: Error): Promise<HarEntry> {
        const postData =
          requestCapture.total === 0
            ? undefined
            : await toHarPostData(
                requestCapture,
                {
                  contentType: headerValue(requestHeaders, 'content-type'),
                  contentEncoding: headerValue(requestHeaders, 'content-encoding'),
                },
                maxBodySize,
              );
        const timings = timingsOf();
        let response: HarResponse;
        if (responseHeaders) {
          const raw = responseHeaders;
          response = {
            status,
            statusText,
            httpVersion: 'HTTP/1.1',
            cookies: responseCookies(raw),
            headers: pairs(raw),
            content: await toHarContent(
              responseCapture,
              {
                contentType: headerValue(raw, 'content-type'),
                contentEncoding: headerValue(raw, 'content-encoding'),
              },
              maxBodySize,
            ),
            redirectURL: headerValue(raw, 'location') ?? '',
            headersSize: -1,
            bodySize: responseCapture.total,
          };
        } else {
          response = {
            status: 0,
            statusText: '',
            httpVersion: '',
            cookies: [],
            headers: [],
            content: { size: 0, mimeType: '' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          };
        }
        const entry: HarEntry = {
          startedDateTime,
          time: ms(
            [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive]
              .filter((t): t is number => t !== undefined && t > 0)
              .reduce((a, b) => a + b, 0),
          ),
          request: {
            method: req.method ?? 'GET',
            url,
            httpVersion: `HTTP/${req.httpVersion}`,
            cookies: requestCookies(requestHeaders),
            headers: pairs(requestHeaders),
            queryString: queryString(path),
            ...(postData ? { postData } : {}),
            headersSize: -1,
            bodySize: requestCapture.total,
          },
          response,
          cache: {},
          timings,
          ...(serverAddress ? { serverIPAddress: serverAddress } : {}),
        };
        if (error) entry._error = error.message;
        return entry;
      }

      function timingsOf(): HarTimings {
        // blocked: waiting for a pooled connection; connect / ssl: only when one was opened for this request
        const connectStarted = connection ? Math.max(t0, connection.started) : -1;
        const connected = connection
          ? connection.secure >= 0
            ? connection.secure
            : connection.connected
          : -1;
        const socketAt = tSocket >= 0 ? tSocket : tEnd;
        const blockedUntil = connection && connectStarted >= 0 ? connectStarted : socketAt;
        const sentAt = tSent >= 0 ? tSent : tResponse >= 0 ? tResponse : tEnd;
        const responseAt = tResponse >= 0 ? tResponse : tEnd;
        return {
          blocked: ms(Math.max(0, blockedUntil - t0)),
          dns: -1,
          connect: connection && connected >= 0 ? ms(Math.max(0, connected - connectStarted)) : -1,
          ssl:
            connection && connection.secure >= 0 && connection.connected >= 0
              ? ms(connection.secure - connection.connected)
              : -1,
          send: ms(Math.max(0, sentAt - Math.max(socketAt, connected))),
          wait: ms(Math.max(0, responseAt - sentAt)),
          receive: ms(Math.max(0, tEnd - responseAt)),
        };
      }
    });
  }

  // Upgrade (WebSocket) requests: tunnelled both ways; the handshake is recorded, the frames are not.
  const tunnels = new Set<Socket>();
  server.on('upgrade', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const startedDateTime = new Date().toISOString();
    const t0 = performance.now();
    const path = upstreamPath(target, req.url ?? '/');
    const url = `${target.protocol}//${target.host}${path}`;
    const headers = [...req.rawHeaders];
    for (let i = 0; i < headers.length; i += 2)
      if (headers[i].toLowerCase() === 'host') headers[i + 1] = target.host;
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    const record = (status: number, statusText: string, responseHeaders: string[], error?: string): void => {
      const wait = ms(performance.now() - t0);
      const entry: HarEntry = {
        startedDateTime,
        time: wait,
        request: {
          method: req.method ?? 'GET',
          url,
          httpVersion: `HTTP/${req.httpVersion}`,
          cookies: requestCookies(headers),
          headers: pairs(headers),
          queryString: queryString(path),
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status,
          statusText,
          httpVersion: status ? 'HTTP/1.1' : '',
          cookies: responseCookies(responseHeaders),
          headers: pairs(responseHeaders),
          content: { size: 0, mimeType: headerValue(responseHeaders, 'content-type') ?? '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait, receive: 0 },
        ...(status === 101 ? { comment: 'upgraded connection tunnelled; frames not recorded' } : {}),
        ...(error ? { _error: error } : {}),
      };
      stats.exchanges += 1;
      if (error) stats.errors += 1;
      Promise.resolve(options.onEntry(entry)).catch((err: unknown) =>
        process.stderr.write(
          `mockgen record: could not record ${req.method} ${url}: ${(err as Error).message}\n`,
        ),
      );
    };
    const upstream = (isHttps ? https : http).request({
      hostname,
      port,
      method: req.method,
      path,
      headers: headers as unknown as http.OutgoingHttpHeaders,
      agent: false,
      rejectUnauthorized: !options.insecure,
      servername: isHttps && !/^[\d.]+$|:/.test(hostname) ? hostname : undefined,
    });
    const headLines = (status: number, text: string, raw: string[]): string => {
      let out = `HTTP/1.1 ${status} ${text}\r\n`;
      for (let i = 0; i < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
      return `${out}\r\n`;
    };
    upstream.on('upgrade', (response: http.IncomingMessage, socket: Socket, upstreamHead: Buffer) => {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
      client.write(headLines(101, response.statusMessage ?? 'Switching Protocols', response.rawHeaders));
      if (upstreamHead.length > 0) client.write(upstreamHead);
      if (head.length > 0) socket.write(head);
      socket.pipe(client).on('error', () => socket.destroy());
      client.pipe(socket).on('error', () => client.destroy());
      socket.on('error', () => client.destroy());
      client.on('close', () => socket.destroy());
      socket.on('close', () => client.destroy());
      record(101, response.statusMessage ?? '', response.rawHeaders);
    });
    upstream.on('response', (response: http.IncomingMessage) => {
      // the target refused the upgrade: relay its answer and close
      const raw = withoutHopByHop(response.rawHeaders);
      client.write(
        headLines(response.statusCode ?? 502, response.statusMessage ?? '', [...raw, 'Connection', 'close']),
      );
      response.pipe(client);
      record(response.statusCode ?? 0, response.statusMessage ?? '', response.rawHeaders);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      const body = JSON.stringify({
        type: 'about:blank',
        title: 'Bad Gateway',
        status: 502,
        detail: err.message,
      });
      client.end(
        headLines(502, 'Bad Gateway', [
          'Content-Type',
          'application/problem+json',
          'Content-Length',
          String(Buffer.byteLength(body)),
          'Connection',
          'close',
        ]) + body,
      );
      record(0, '', [], `${err.code ? `${err.code}: ` : ''}${err.message}`);
    });
    upstream.end();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      void pool.destroy();
      reject(listenError(err, options.port ?? 8080, options.host ?? '127.0.0.1'));
    });
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  let closing: Promise<void> | undefined;
  let cutNow = (): void => undefined;
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    stats,
    close(graceMs = 2000): Promise<void> {
      // A second close with no grace (a second Ctrl-C) cuts the wait short.
      if (closing && graceMs <= 0) cutNow();
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (pending.size > 0 && graceMs > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.allSettled([...pending]),
            new Promise<void>((resolve) => {
              timer = setTimeout(resolve, graceMs);
              cutNow = resolve;
            }),
          ]);
          clearTimeout(timer);
        }
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        await Promise.allSettled([...pending]);
        await pool.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
