/**
 * The last stage: the response on the wire (CORS headers, server-sent events one at a time), the
 * request log and the journal; and the answer to a request the pipeline gave up on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../body';
import { inContractWords } from '../conform';
import type { MockResponse } from '../core/context';
import { problem } from '../core/problem';
import { reusableWire, safeHeaderValue, toWire, type WireResponse } from '../respond';
import { detached } from '../store/maybe';
import { StoreUnavailableError } from '../store/unavailable';
import type { Exchange, Pipeline } from './context';

/** Writes `wire`, logs it and journals it. */
export function finish(p: Pipeline, x: Exchange, wire: WireResponse): void {
  if (p.requestLog !== undefined) p.requestLog.watch(x.res, x.method, x.url, x.started, wire.source);
  writeWire(x.req, x.res, wire, p.cors, wire.events === true ? p.eventInterval : 0);
  detached(
    p.store.record(
      x.started,
      x.session,
      x.method,
      x.url,
      x.op?.id,
      wire.status,
      wire.source,
      Date.now() - x.started,
      x.stretch,
      x.accepted,
      wire.warning,
    ),
  );
}

/** The answer to a request the pipeline gave up on (a RequestError is the client's fault, the rest ours). */
export function fail(p: Pipeline, x: Exchange, err: unknown): void {
  if (err instanceof RequestError) {
    // a routed request is refused in the contract's words when it has an error document
    const wire =
      x.op && p.manifest.errorSchema !== undefined
        ? toWire(inContractWords(problem(err.kind, err.message), p.manifest, p.defs(), () => 0))
        : problemWire(err.kind, err.message);
    // an unread body (413, aborted upload) must not be parsed as the next request
    if (err.kind === 'PAYLOAD_TOO_LARGE') wire.headers = [...wire.headers, 'connection', 'close'];
    finish(p, x, wire);
    return;
  }
  if (x.res.headersSent) {
    x.res.destroy();
    return;
  }
  if (err instanceof StoreUnavailableError) {
    // state is out of reach for now: the client may try again (the store reconnects by itself)
    const wire = problemWire('STORE_UNAVAILABLE', `The mock cannot reach its state store: ${err.message}`);
    wire.headers = [...wire.headers, 'retry-after', '1'];
    finish(p, x, wire);
    return;
  }
  try {
    finish(
      p,
      x,
      wireFor(
        problem('INTERNAL_ERROR', `The mock failed to answer: ${(err as Error)?.message ?? String(err)}`),
      ),
    );
  } catch (last) {
    // last resort: the problem itself could not be written
    process.emitWarning(`mockgen: request failed: ${(last as Error)?.message ?? String(last)}`);
    x.res.destroy();
  }
}

export function wireFor(response: MockResponse): WireResponse {
  return toWire(response);
}

const PROBLEM_CACHE = new Map<string, WireResponse>();

/** Problems without per-request detail are serialised once. */
export function problemWire(kind: Parameters<typeof problem>[0], detail: string): WireResponse {
  const key = `${kind}\u0000${detail}`;
  const cached = PROBLEM_CACHE.get(key);
  if (cached) return { ...cached };
  const wire = reusableWire(toWire(problem(kind, detail)));
  if (PROBLEM_CACHE.size < 256) PROBLEM_CACHE.set(key, wire);
  return { ...wire };
}

export function writeWire(
  req: IncomingMessage,
  res: ServerResponse,
  wire: WireResponse,
  cors: boolean,
  eventInterval = 0,
): void {
  if (res.writableEnded || res.destroyed) return;
  let headers = wire.headers;
  const origin = req.headers.origin;
  if (cors && origin !== undefined) {
    const exposed: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      if (name !== 'content-type' && name !== 'content-length' && name !== 'connection') exposed.push(name);
    }
    headers = [
      ...headers,
      'access-control-allow-origin',
      safeHeaderValue(origin),
      'access-control-allow-credentials',
      'true',
      'vary',
      'Origin',
    ];
    if (exposed.length > 0) headers.push('access-control-expose-headers', exposed.join(', '));
  }
  if (eventInterval > 0 && wire.body !== undefined && req.method !== 'HEAD') {
    writeEvents(res, wire.status, headers, wire.body, eventInterval);
    return;
  }
  res.writeHead(wire.status, headers);
  res.end(wire.body);
}

/**
 * A server-sent event stream sent as a stream: one event (up to its blank line) at a time,
 * `interval` ms apart, chunked (no Content-Length), as a streaming API delivers them.
 */
function writeEvents(
  res: ServerResponse,
  status: number,
  headers: string[],
  body: Buffer | string,
  interval: number,
): void {
  const events = (typeof body === 'string' ? body : body.toString('utf8')).split(/(?<=\r?\n\r?\n)/);
  if (events.length < 2) {
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  const chunked: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== 'content-length') chunked.push(headers[i], headers[i + 1]);
  }
  if (!chunked.includes('cache-control')) chunked.push('cache-control', 'no-cache');
  res.writeHead(status, chunked);
  let next = 0;
  const send = (): void => {
    if (res.destroyed || res.writableEnded) return;
    res.write(events[next++]);
    if (next < events.length) setTimeout(send, interval);
    else res.end();
  };
  send();
}
