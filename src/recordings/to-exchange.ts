/**
 * A HAR entry → the normalised `Exchange` (model/types.ts): validated and decoded (validate-entry.ts),
 * redacted unless `redact` is false (redact.ts), then converted: method, path as sent, host without
 * default ports, parsed query, lower-case header names without HTTP/2 pseudo-headers, cookies,
 * timings, `failed`. Pure: no I/O.
 */
import type { Exchange, RecordedBody } from '../model/types';
import type { HarContent, HarPostData } from './har-types';
import { harMediaTypeOf } from './media-type';
import { redactHarEntry, type RedactOptions } from './redact';
import { EntryReader, normaliseEntry } from './validate-entry';
import { isHttpToken } from '../../templates/runtime/core/http';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../templates/runtime/core/json';
import { parseQuery } from '../../templates/runtime/core/request';

const PSEUDO_HEADER = /^:/;
/** What Node's http module accepts in a header value: no CR, LF, NUL or other controls but tab, latin-1 only. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Names that are keys of every object's prototype: a header by such a name would be served as garbage. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Something the loader left out of an entry, and why (shown by `generate` as a warning). */
export type SanitiseWarning = (pointer: string, message: string) => void;

/**
 * One raw HAR entry → Exchange (validated, bodies decoded, redacted unless `redact` is false).
 * What a mock could not replay faithfully is sanitised, each omission reported through `warn`:
 * headers with names that are not HTTP tokens or are prototype keys, or with values Node cannot
 * send; a response status outside 100–599 (the entry is marked failed, so it is not replayed).
 * A JSON body nested deeper than MAX_JSON_DEPTH is refused (a MockgenError naming the entry).
 */
export function toExchange(
  raw: unknown,
  index: number,
  file: string,
  redact: RedactOptions | false | undefined,
  warn: SanitiseWarning = () => undefined,
  line?: number,
): Exchange {
  const reader = new EntryReader(file, index, line);
  let entry = normaliseEntry(raw, reader);
  if (redact !== false) entry = redactHarEntry(entry, redact ?? {});
  const { request, response } = entry;

  const cleanHeaders = (headers: { name: string; value: string }[], where: string): [string, string][] => {
    const kept: [string, string][] = [];
    headers.forEach((h, i) => {
      const name = h.name.trim();
      // HTTP/2 pseudo-headers (`:path`) are read, then dropped
      const reason = !isHttpToken(name.startsWith(':') ? name.slice(1) : name)
        ? 'is not an HTTP header name'
        : PROTOTYPE_KEYS.has(name.toLowerCase())
          ? 'is a reserved object key'
          : !HEADER_VALUE.test(h.value)
            ? 'has a value with characters HTTP cannot carry (control characters or non-latin-1)'
            : undefined;
      if (reason)
        warn(`${reader.base}/${where}/headers/${i}`, `header ${JSON.stringify(h.name)} ${reason}; left out`);
      else kept.push([name.toLowerCase(), h.value]);
    });
    return kept;
  };
  const requestHeaders = cleanHeaders(request.headers, 'request');
  const responseHeaders = cleanHeaders(response.headers, 'response');
  const target = splitUrl(request.url);
  const hostHeader =
    requestHeaders.find(([n]) => n === ':authority')?.[1] ??
    requestHeaders.find(([n]) => n === 'host')?.[1] ??
    '';
  const scheme = target.scheme || requestHeaders.find(([n]) => n === ':scheme')?.[1] || 'http';
  let path = target.path;
  if (path === '' && target.authority === undefined)
    path = requestHeaders.find(([n]) => n === ':path')?.[1]?.split('?')[0] ?? '';
  if (path === '') path = '/';
  let query = target.query !== undefined ? parseQuery(target.query) : [];
  if (target.query === undefined && request.queryString.length > 0)
    query = request.queryString.map((q) => [q.name, q.value]);

  let cookies = request.cookies.map((c): [string, string] => [c.name, c.value]);
  if (cookies.length === 0)
    cookies = cookiesFromHeader(requestHeaders.filter(([n]) => n === 'cookie').map(([, v]) => v));

  const time = entry.time >= 0 ? entry.time : 0;
  const wait = entry.timings.wait;
  const exchange: Exchange = {
    entry: index,
    file,
    startedDateTime: entry.startedDateTime,
    timeMs: time,
    waitMs: typeof wait === 'number' && wait >= 0 ? wait : time,
    request: {
      method: request.method,
      url: request.url,
      path,
      host: normaliseHost(target.authority ?? hostHeader, scheme),
      query,
      headers: requestHeaders.filter(([n]) => !PSEUDO_HEADER.test(n)),
      cookies,
    },
    response: {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders.filter(([n]) => !PSEUDO_HEADER.test(n)),
    },
  };
  const requestBody = request.postData ? toRecordedBody(request.postData) : undefined;
  if (requestBody) exchange.request.body = requestBody;
  const responseBody = toRecordedBody(response.content);
  if (responseBody) exchange.response.body = responseBody;
  if (line !== undefined) exchange.line = line;
  if (entry._error !== undefined || response.status === 0) exchange.failed = true;
  else if (!Number.isInteger(response.status) || response.status < 100 || response.status > 599) {
    warn(
      `${reader.base}/response/status`,
      `status ${response.status} is not an HTTP status (100–599); the entry is not replayed`,
    );
    exchange.failed = true;
  }
  for (const [body, where] of [
    [requestBody, 'request/postData/text'],
    [responseBody, 'response/content/text'],
  ] as const) {
    if (body?.text !== undefined && /^\s*[[{]/.test(body.text) && nestsDeeperThan(body.text)) {
      reader.fail(
        `/${where}`,
        `the body nests deeper than ${MAX_JSON_DEPTH} levels, more than mockgen replays`,
      );
    }
  }
  return exchange;
}

function toRecordedBody(content: HarContent | HarPostData): RecordedBody | undefined {
  const mimeType = harMediaTypeOf(content.mimeType ?? '');
  const params =
    'params' in content && content.params && content.params.length > 0 ? content.params : undefined;
  if ((content.text === undefined || content.text === '') && !params) return undefined;
  const body: RecordedBody = { mimeType };
  if (content.text !== undefined && content.text !== '') {
    if (content.encoding === 'base64') body.base64 = content.text;
    else body.text = content.text;
  }
  if (params) {
    body.params = params.map((p) => {
      const out: NonNullable<RecordedBody['params']>[number] = { name: p.name };
      if (p.value !== undefined) out.value = p.value;
      if (p.fileName !== undefined) out.fileName = p.fileName;
      if (p.contentType !== undefined) out.contentType = p.contentType;
      return out;
    });
  }
  return body;
}

/** Splits a request URL without normalising it (the path stays as sent, percent-encoding included). */
function splitUrl(url: string): { scheme: string; authority?: string; path: string; query?: string } {
  const hash = url.indexOf('#');
  const noHash = hash < 0 ? url : url.slice(0, hash);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(noHash);
  const rest = m ? noHash.slice(m[0].length) : noHash;
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  return {
    scheme: m ? m[1].toLowerCase() : '',
    authority: m ? m[2] : undefined,
    path,
    query: q < 0 ? undefined : rest.slice(q + 1),
  };
}

function normaliseHost(authority: string, scheme: string): string {
  let host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return host;
}

function cookiesFromHeader(values: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const value of values) {
    for (const part of value.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  }
  return out;
}
