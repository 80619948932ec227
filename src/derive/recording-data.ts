/**
 * Matched exchanges → per-operation `RecordingData` (templates/runtime/core/types.ts) + latency profile.
 *
 * - Order: `startedDateTime` (sub-millisecond digits kept), then file order, then entry index. An
 *   entry without a valid time keeps its place after the previous entry of its file.
 * - "The same request" — same path parameters, same query pairs (any order), same selected headers,
 *   same parsed body — collapses into one RecordingData whose `responses` keep recorded order, so a
 *   polled job replays as pending → running → done.
 * - Request headers kept for matching: `content-type`, `accept`, vendor version headers
 *   (`*-version`, `*-beta`) and custom `x-*` headers, minus secrets and per-request noise (request
 *   ids, tracing, timestamps, retry counters, forwarding, SDK telemetry).
 * - Response headers kept: everything a client may read (content-type, location, etag, cache-control,
 *   link, retry-after, www-authenticate, rate limits, vendor headers…) minus hop-by-hop headers,
 *   `date`, `content-length`, `content-encoding` (bodies are stored decoded), `set-cookie`, secrets,
 *   request ids and tracing, CORS (the mock answers CORS itself), transport security and CDN noise.
 * - Response bodies: JSON → `json` (through `templatize` when given, else with template-looking
 *   objects escaped as `{ "$literal": … }`), text → `text`, binary → `base64`.
 * - Failed exchanges (no response) are skipped.
 */
import type { LatencyProfile, RecordedResponseData, RecordingData } from '../../templates/runtime/core/types';
import { harMediaTypeOf } from '../recordings/load-har';
import { isRedacted } from '../recordings/redact';
import type { Exchange, MatchedExchange } from '../model/types';
import { latencyProfile } from './latency';
import { HOP_BY_HOP } from '../recordings/headers';

export interface RecordingDataOptions {
  /**
   * Turns a recorded JSON response body into a TemplatedValue (dynamic timestamps, ids, tokens). It
   * receives the parsed body as recorded and must return a valid TemplatedValue (escaping user objects
   * that look like template markers, e.g. with `escapeTemplateMarkers`).
   */
  templatize?: (m: MatchedExchange, body: unknown) => unknown;
  /** Response header values rendered per response (e.g. a request id echoed, a fresh Date-like value). */
  templatizeHeaders?: (m: MatchedExchange) => Record<string, unknown>;
}

export interface OperationRecordings {
  recordings: RecordingData[];
  latency: LatencyProfile;
}

/** Keyed by operation id, in operation-id order. Operations without usable recordings are absent. */
export function buildRecordingData(
  matched: MatchedExchange[],
  options: RecordingDataOptions = {},
): Map<string, OperationRecordings> {
  const ordered = orderExchanges(matched.filter((m) => !m.exchange.failed));
  const byOperation = new Map<string, MatchedExchange[]>();
  for (const m of ordered) {
    const list = byOperation.get(m.op.id);
    if (list) list.push(m);
    else byOperation.set(m.op.id, [m]);
  }

  const out = new Map<string, OperationRecordings>();
  for (const id of [...byOperation.keys()].sort()) {
    const list = byOperation.get(id) as MatchedExchange[];
    const recordings: RecordingData[] = [];
    const byKey = new Map<string, RecordingData>();
    for (const m of list) {
      const request = recordedRequest(m);
      const key = canonicalJson([
        Object.entries(request.pathParams).sort(compareEntries),
        [...request.query].sort(compareEntries),
        Object.entries(request.headers).sort(compareEntries),
        request.body === undefined ? null : [request.body],
      ]);
      let recording = byKey.get(key);
      if (!recording) {
        recording = { request, responses: [] };
        byKey.set(key, recording);
        recordings.push(recording);
      }
      recording.responses.push(recordedResponse(m, options));
    }
    out.set(id, { recordings, latency: latencyProfile(list.map((m) => m.exchange.waitMs)) });
  }
  return out;
}

/** Chronological order; stable and deterministic for equal or missing timestamps. */
export function orderExchanges<T extends { exchange: Exchange }>(items: T[]): T[] {
  const fileRank = new Map<string, number>();
  const lastTime = new Map<string, number>();
  const keyed = items.map((item, position) => {
    const { file, entry, startedDateTime } = item.exchange;
    if (!fileRank.has(file)) fileRank.set(file, fileRank.size);
    let time = timestampMs(startedDateTime);
    if (Number.isNaN(time)) time = lastTime.get(file) ?? Number.NEGATIVE_INFINITY;
    else lastTime.set(file, time);
    return { item, time, file: fileRank.get(file) as number, entry, position };
  });
  keyed.sort((a, b) => a.time - b.time || a.file - b.file || a.entry - b.entry || a.position - b.position);
  return keyed.map((k) => k.item);
}

/** ISO timestamp → ms, keeping digits below the millisecond that Date.parse drops. */
function timestampMs(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return ms;
  const fraction = /T\d{2}:\d{2}:\d{2}\.(\d+)/.exec(value)?.[1];
  if (!fraction || fraction.length <= 3) return ms;
  return ms + Number(`0.${fraction.slice(3)}`);
}

function recordedRequest(m: MatchedExchange): RecordingData['request'] {
  const request: RecordingData['request'] = {
    pathParams: { ...m.pathParams },
    // a redacted value (an API key in the query) is not something a replayed request can match
    query: m.exchange.request.query
      .filter(([, value]) => !isRedacted(value))
      .map(([name, value]): [string, string] => [name, value]),
    headers: selectRequestHeaders(m.exchange.request.headers),
  };
  if (m.requestBody !== undefined) request.body = m.requestBody;
  return request;
}

function recordedResponse(m: MatchedExchange, options: RecordingDataOptions): RecordedResponseData {
  const { response } = m.exchange;
  const body = response.body;
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const out: RecordedResponseData = {
    status: response.status,
    headers: selectResponseHeaders(response.headers),
    mediaType: body?.mimeType || (contentType !== undefined ? harMediaTypeOf(contentType) : ''),
    entry: m.exchange.entry,
    waitMs: m.exchange.waitMs,
  };
  const headerTemplates = options.templatizeHeaders?.(m);
  if (headerTemplates && Object.keys(headerTemplates).length > 0) out.headerTemplates = headerTemplates;
  if (!body) return out;
  if (body.text !== undefined) {
    const parsed = m.responseBody;
    // parseBody returns the text itself for non-JSON text; a JSON string value differs (quotes)
    const isJson =
      parsed !== undefined &&
      !/^(multipart\/|application\/x-www-form-urlencoded$)/.test(body.mimeType) &&
      (typeof parsed !== 'string' || parsed !== body.text);
    if (isJson) out.json = options.templatize ? options.templatize(m, parsed) : escapeTemplateMarkers(parsed);
    else out.text = body.text;
  } else if (body.base64 !== undefined) {
    out.base64 = body.base64;
  }
  return out;
}

const TEMPLATE_MARKERS = new Set(['$tpl', '$tplJson', '$literal']);

/** Recorded data that looks like a template marker (`{ "$tpl": … }`) is wrapped as `{ "$literal": … }`. */
export function escapeTemplateMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(escapeTemplateMarkers);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && TEMPLATE_MARKERS.has(keys[0])) return { $literal: value };
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = escapeTemplateMarkers((value as Record<string, unknown>)[key]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header selection

const RESPONSE_DROPPED = new Set([
  'date',
  'content-length',
  'content-encoding',
  'set-cookie',
  'set-cookie2',
  'cookie',
  'authorization',
  'server',
  'via',
  'age',
  'alt-svc',
  'nel',
  'report-to',
  'reporting-endpoints',
  'server-timing',
  'strict-transport-security',
  'expect-ct',
  'content-md5',
  'digest',
  'content-digest',
  'repr-digest',
  'timing-allow-origin',
]);

/** Header names that carry secrets (compared without `-`/`_`, lower case). */
const SECRET_NAME =
  /token|secret|passw(or)?d|apikey|authorization|credential|signature|session|csrf|xsrf|cookie|^xauth/;

/** Per-request identifiers and tracing: differ on every call, meaningless to replay or match. */
const REQUEST_ID_NAME =
  /(^|-)(request|req|correlation|trace|span|parent|transaction|client-request|amzn-request|amz-request|ms-request|execution|invocation)-?id$|trace|^x-b3-|^b3$|^x-datadog-|^x-amz-(id-2|cf-id|cf-pop)$|^cf-|^x-envoy-|^x-newrelic-|^newrelic$|^sentry-|^baggage$|^x-cloud-trace/;

/** Request headers that change per call or describe the client's machinery, not what it asks for. */
const REQUEST_NOISE =
  /^x-forwarded-|^x-real-ip$|^x-client-ip$|^x-original-|^x-stainless-|^x-goog-api-client$|^x-amz-(date|content-sha256|user-agent|security-token)$|(^|-)(date|time|timestamp)$|nonce|idempotency|retry|^x-request-start$|^x-middleware-/;

function isSecretHeader(name: string): boolean {
  return SECRET_NAME.test(name.replace(/[-_]/g, ''));
}

/** The request headers recordings are matched on: lower-case names, repeated values joined by `, `. */
export function selectRequestHeaders(headers: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of headers) {
    const name = rawName.toLowerCase();
    const wanted =
      name === 'content-type' ||
      name === 'accept' ||
      ((name.startsWith('x-') || /-(version|beta)$/.test(name)) &&
        !isSecretHeader(name) &&
        !REQUEST_ID_NAME.test(name) &&
        !REQUEST_NOISE.test(name));
    if (!wanted) continue;
    const value = rawValue.trim();
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return Object.fromEntries(Object.entries(out).sort(compareEntries));
}

/** The response headers a replay sends, in recorded order, lower-case names. */
export function selectResponseHeaders(headers: [string, string][]): [string, string][] {
  const out: [string, string][] = [];
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (name.startsWith(':') || HOP_BY_HOP.has(name) || RESPONSE_DROPPED.has(name)) continue;
    if (name.startsWith('access-control-') || name.startsWith('content-security-policy')) continue;
    if (name !== 'www-authenticate' && isSecretHeader(name)) continue;
    if (REQUEST_ID_NAME.test(name)) continue;
    out.push([name, value]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function compareEntries(a: [string, unknown], b: [string, unknown]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  const va = String(a[1]);
  const vb = String(b[1]);
  return va < vb ? -1 : va > vb ? 1 : 0;
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
