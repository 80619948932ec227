/**
 * One line of a line-per-exchange traffic log → a raw HAR entry, which to-exchange.ts then validates
 * and converts like any other (one set of rules for every format). Pure: no I/O.
 *
 * Each line is recognised on its own (a file may mix them):
 * - **HAR entry**: `{ startedDateTime, time, request: { method, url, headers: [{name, value}], postData },
 *   response: { status, headers, content }, timings }` — what `jq -c '.log.entries[]'` prints.
 * - **NDJSON exchange**: `{ request: { method, url, headers, body }, response: { status, headers, body },
 *   startedDateTime?, time?, wait? }` (`time` total ms, `wait` ms to the first byte); headers an object (`{"content-type": "…"}`, values string or list) or a
 *   `[{name, value}]` / `[[name, value]]` list; a body a string (`bodyEncoding: "base64"` for bytes)
 *   or a JSON value; `query` an object when the URL has none.
 * - **Kong** (file-log / http-log / tcp-log plugins): `{ request: { method, uri, url, headers,
 *   querystring, size }, response: { status, headers, size }, latencies: { request, proxy, kong },
 *   started_at, client_ip, upstream_uri, … }`; no bodies (Kong does not log them).
 * - **Access log** (Nginx `log_format … escape=json`, Apache `LogFormat` JSON, load balancers): one flat
 *   object with the method (`request_method` / `method` / `verb`, or the `request` line
 *   `"GET /path HTTP/1.1"`), the target (`request_uri` / `uri` / `path` / `url`, `query_string` / `args`),
 *   `status`, `host` / `http_host` / `server_name`, `scheme`, the time (`time_iso8601` / `time` /
 *   `timestamp` / `@timestamp` / `time_local`), the duration (`request_time` in seconds,
 *   `upstream_response_time`, `duration_ms`), and headers: `http_<name>` (request) and
 *   `sent_http_<name>` (response) as Nginx names its variables, plus `user_agent`, `referer`,
 *   `content_type`. No bodies (a `request_body` field is taken as the request body) and few headers.
 *
 * Absent parts of a log are unknown, not empty (`Exchange.unrecorded`): drift does not check what
 * the log cannot hold, generate does not replay a response whose body was not recorded.
 */
import { isRecord } from '../../templates/runtime/core/json';
import type { Unrecorded } from '../model/types';
import { kindOf } from './json-value';

export type LineFormat = 'har-entry' | 'ndjson' | 'kong' | 'access-log';

export interface LineEntry {
  format: LineFormat;
  /** a raw HAR entry (validated afterwards by to-exchange.ts) */
  entry: Record<string, unknown>;
  unrecorded?: Unrecorded;
}

/** Thrown for a line that is JSON but not an exchange in any known shape; the caller adds file and line. */
export class LineShapeError extends Error {}

type Pair = { name: string; value: string };

/** A parsed line → its format and the HAR entry it stands for. */
export function lineToEntry(value: unknown): LineEntry {
  if (!isRecord(value))
    throw new LineShapeError(`expected a JSON object (one exchange per line), got ${kindOf(value)}`);
  const request = value.request;
  if (isRecord(request)) {
    if (isKong(value, request)) return fromKong(value, request);
    if (isHarEntry(value, request)) return { format: 'har-entry', entry: value };
    return fromNdjson(value, request);
  }
  if (isAccessLog(value)) return fromAccessLog(value);
  throw new LineShapeError(
    'not an exchange: expected a HAR entry, an NDJSON exchange { "request": {…}, "response": {…} }, ' +
      'a Kong log line or an Nginx/Apache JSON access-log line (method, uri, status)',
  );
}

function isKong(line: Record<string, unknown>, request: Record<string, unknown>): boolean {
  return (
    'started_at' in line ||
    'latencies' in line ||
    'upstream_uri' in line ||
    typeof request.uri === 'string' ||
    isRecord(request.querystring)
  );
}

function isHarEntry(line: Record<string, unknown>, request: Record<string, unknown>): boolean {
  const response = isRecord(line.response) ? line.response : {};
  return (
    'timings' in line ||
    'httpVersion' in request ||
    'postData' in request ||
    'queryString' in request ||
    'content' in response ||
    ('_error' in line && !('body' in response))
  );
}

function isAccessLog(line: Record<string, unknown>): boolean {
  const method = first(line, METHOD_FIELDS) ?? requestLine(line)?.method;
  const target = first(line, TARGET_FIELDS) ?? requestLine(line)?.target;
  return typeof method === 'string' && typeof target === 'string' && first(line, STATUS_FIELDS) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// NDJSON

function fromNdjson(line: Record<string, unknown>, request: Record<string, unknown>): LineEntry {
  const response = isRecord(line.response) ? line.response : undefined;
  const requestHeaders = headerPairs(request.headers);
  let url = stringOf(request.url) ?? stringOf(request.path) ?? stringOf(request.uri);
  if (url === undefined) throw new LineShapeError('the request has no "url" (or "path")');
  const query = request.query ?? request.querystring;
  if (!url.includes('?') && isRecord(query)) url += querySuffix(query);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const host = stringOf(request.host) ?? requestHeaders.find((h) => h.name.toLowerCase() === 'host')?.value;
    const scheme = stringOf(request.scheme) ?? 'http';
    if (host !== undefined) url = `${scheme}://${host}${url.startsWith('/') ? '' : '/'}${url}`;
  }
  const entry: Record<string, unknown> = {
    startedDateTime: dateOf(line.startedDateTime ?? line.timestamp ?? line.time),
    time: numberOf(line.time) ?? numberOf(line.duration) ?? numberOf(line.durationMs) ?? -1,
    ...(numberOf(line.wait) !== undefined ? { timings: { wait: numberOf(line.wait) } } : {}),
    request: {
      method: request.method,
      url,
      headers: requestHeaders,
      ...('body' in request ? { postData: bodyOf(request.body, request.bodyEncoding, requestHeaders) } : {}),
    },
  };
  const unrecorded: Unrecorded = {};
  if (!('body' in request)) unrecorded.requestBody = true;
  if (response) {
    const responseHeaders = headerPairs(response.headers);
    entry.response = {
      status: response.status ?? response.statusCode,
      statusText: stringOf(response.statusText) ?? '',
      headers: responseHeaders,
      content: 'body' in response ? bodyOf(response.body, response.bodyEncoding, responseHeaders) : {},
    };
    if (!('body' in response)) unrecorded.responseBody = true;
  } else if (typeof line.error === 'string' || typeof line._error === 'string') {
    entry._error = line.error ?? line._error;
  } else {
    throw new LineShapeError('the exchange has no "response" (nor an "error" saying why)');
  }
  return withUnrecorded({ format: 'ndjson', entry }, unrecorded);
}

/** A body as NDJSON writes it → HAR `postData` / `content`. */
function bodyOf(body: unknown, encoding: unknown, headers: Pair[]): Record<string, unknown> {
  const mimeType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (body === undefined || body === null) return { mimeType };
  if (typeof body === 'string')
    return { mimeType, text: body, ...(encoding === 'base64' ? { encoding: 'base64' } : {}) };
  return { mimeType: mimeType || 'application/json', text: JSON.stringify(body) };
}

// ---------------------------------------------------------------------------------------------
// Kong

function fromKong(line: Record<string, unknown>, request: Record<string, unknown>): LineEntry {
  const response = isRecord(line.response) ? line.response : {};
  const requestHeaders = headerPairs(request.headers);
  const uri = stringOf(request.uri);
  let url = stringOf(request.url);
  // `url` is the whole URL Kong received (scheme, host, port, path, query); `uri` is its path and query
  if (url === undefined || (uri !== undefined && !url.includes(uri.split('?')[0]))) {
    if (uri === undefined) throw new LineShapeError('the Kong request has neither "url" nor "uri"');
    const host = requestHeaders.find((h) => h.name.toLowerCase() === 'host')?.value ?? 'localhost';
    url = `http://${host}${uri}`;
  }
  if (!url.includes('?') && isRecord(request.querystring)) url += querySuffix(request.querystring);
  const latencies = isRecord(line.latencies) ? line.latencies : {};
  const total = numberOf(latencies.request);
  const proxy = numberOf(latencies.proxy);
  const entry: Record<string, unknown> = {
    startedDateTime: dateOf(line.started_at),
    time: total ?? -1,
    ...(proxy !== undefined && proxy >= 0 ? { timings: { wait: proxy } } : {}),
    request: { method: request.method, url, headers: requestHeaders },
    response: { status: response.status, headers: headerPairs(response.headers), content: {} },
  };
  const unrecorded: Unrecorded = { requestBody: true, responseBody: true };
  if (typeof request.body === 'string') {
    (entry.request as Record<string, unknown>).postData = bodyOf(request.body, undefined, requestHeaders);
    delete unrecorded.requestBody;
  }
  return withUnrecorded({ format: 'kong', entry }, unrecorded);
}

// ---------------------------------------------------------------------------------------------
// Nginx / Apache JSON access logs

const METHOD_FIELDS = ['request_method', 'method', 'http_method', 'verb', 'req_method', 'requestMethod'];
const TARGET_FIELDS = ['request_uri', 'uri', 'path', 'url', 'request_path', 'requestUri', 'requestUrl'];
const STATUS_FIELDS = ['status', 'status_code', 'statusCode', 'response_status', 'response_code', 'code'];
const QUERY_FIELDS = ['query_string', 'args', 'query', 'querystring'];
const HOST_FIELDS = ['host', 'http_host', 'server_name', 'hostname', 'vhost', 'virtual_host'];
const TIME_FIELDS = ['time_iso8601', 'time', 'timestamp', '@timestamp', 'time_local', 'date', 'datetime'];
/** request header fields named without the `http_` prefix: field → header */
const REQUEST_HEADER_FIELDS: Record<string, string> = {
  user_agent: 'user-agent',
  userAgent: 'user-agent',
  referer: 'referer',
  referrer: 'referer',
  content_type: 'content-type',
  x_forwarded_for: 'x-forwarded-for',
};

function fromAccessLog(line: Record<string, unknown>): LineEntry {
  const parsed = requestLine(line);
  const method = stringOf(first(line, METHOD_FIELDS)) ?? parsed?.method ?? '';
  let target = stringOf(first(line, TARGET_FIELDS)) ?? parsed?.target ?? '';
  const query = stringOf(first(line, QUERY_FIELDS));
  if (!target.includes('?') && query !== undefined && query !== '' && query !== '-')
    target += `?${query.replace(/^\?/, '')}`;
  const requestHeaders: Pair[] = [];
  const responseHeaders: Pair[] = [];
  for (const [field, raw] of Object.entries(line)) {
    const value = stringOf(raw);
    if (value === undefined || value === '-' || value === '') continue;
    if (field.startsWith('sent_http_')) responseHeaders.push({ name: headerName(field.slice(10)), value });
    else if (field.startsWith('http_') && field !== 'http_method' && field !== 'http_host')
      requestHeaders.push({ name: headerName(field.slice(5)), value });
    else if (REQUEST_HEADER_FIELDS[field] !== undefined)
      requestHeaders.push({ name: REQUEST_HEADER_FIELDS[field], value });
  }
  let url = target;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const host = stringOf(first(line, HOST_FIELDS));
    const scheme = stringOf(line.scheme) ?? 'http';
    if (host !== undefined && host !== '-' && host !== '')
      url = `${scheme}://${host}${url.startsWith('/') ? '' : '/'}${url}`;
  }
  const seconds = numberOf(line.request_time);
  const ms = numberOf(line.duration_ms) ?? numberOf(line.request_time_ms) ?? numberOf(line.response_time_ms);
  const upstream = numberOf(line.upstream_response_time);
  const entry: Record<string, unknown> = {
    startedDateTime: dateOf(first(line, TIME_FIELDS)),
    time: ms ?? (seconds !== undefined ? seconds * 1000 : -1),
    ...(upstream !== undefined ? { timings: { wait: upstream * 1000 } } : {}),
    request: { method, url, headers: requestHeaders },
    response: { status: first(line, STATUS_FIELDS), headers: responseHeaders, content: {} },
  };
  const unrecorded: Unrecorded = {
    requestHeaders: true,
    requestBody: true,
    responseHeaders: true,
    responseBody: true,
  };
  const requestBody = stringOf(line.request_body);
  if (requestBody !== undefined && requestBody !== '-') {
    (entry.request as Record<string, unknown>).postData = bodyOf(requestBody, undefined, requestHeaders);
    delete unrecorded.requestBody;
  }
  return { format: 'access-log', entry, unrecorded };
}

/** `"GET /pets?limit=5 HTTP/1.1"` (Nginx `$request`, Apache `%r`). */
function requestLine(line: Record<string, unknown>): { method: string; target: string } | undefined {
  const text = typeof line.request === 'string' ? line.request : undefined;
  const m = text === undefined ? null : /^([A-Za-z]+) (\S+)(?: HTTP\/[\d.]+)?$/.exec(text.trim());
  return m ? { method: m[1], target: m[2] } : undefined;
}

/** `content_type` → `content-type` (Nginx turns `-` into `_` in variable names). */
function headerName(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}

// ---------------------------------------------------------------------------------------------

function withUnrecorded(entry: LineEntry, unrecorded: Unrecorded): LineEntry {
  return Object.keys(unrecorded).length > 0 ? { ...entry, unrecorded } : entry;
}

function first(line: Record<string, unknown>, fields: string[]): unknown {
  for (const field of fields) {
    const value = line[field];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && value !== '-') {
    // `upstream_response_time` lists one time per upstream tried: `0.010, 0.020`
    const n = Number(value.split(',')[0].trim());
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

/** Header lists as logs write them: `{ name: value | [values] }`, `[{ name, value }]` or `[[name, value]]`. */
function headerPairs(value: unknown): Pair[] {
  if (Array.isArray(value)) {
    return value.flatMap((item): Pair[] => {
      if (Array.isArray(item) && item.length === 2)
        return [{ name: String(item[0]), value: String(item[1]) }];
      if (isRecord(item) && 'name' in item)
        return [{ name: String(item.name), value: item.value === undefined ? '' : String(item.value) }];
      return [];
    });
  }
  if (!isRecord(value)) return [];
  const out: Pair[] = [];
  for (const [name, v] of Object.entries(value)) {
    if (Array.isArray(v)) for (const one of v) out.push({ name, value: String(one) });
    else if (v !== undefined && v !== null) out.push({ name, value: String(v) });
  }
  return out;
}

/** `?a=1&b=2&b=3` from `{ a: "1", b: ["2", "3"] }` (Kong's `querystring`; `true` for a bare key). */
function querySuffix(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one === true) parts.push(encodeURIComponent(name));
      else if (one !== undefined && one !== null && one !== false)
        parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(one))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** ISO 8601 from an ISO string, epoch milliseconds or seconds (Kong, Apache `%{msec}t`), or `time_local`. */
function dateOf(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value < 1e11 ? value * 1000 : value;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? '' : date.toISOString();
  }
  if (typeof value !== 'string') return '';
  // Nginx/Apache `time_local`: 10/Oct/2000:13:55:36 -0700
  const local = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(value);
  if (local && MONTHS[local[2]]) {
    const date = new Date(`${local[3]}-${MONTHS[local[2]]}-${local[1]}T${local[4]}${local[5]}:${local[6]}`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  if (/^\d+(\.\d+)?$/.test(value)) return dateOf(Number(value));
  return value;
}
