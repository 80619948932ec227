/**
 * One raw `log.entries[i]` value → a clean `HarEntry` (har-types.ts): the shape validated with errors
 * that name file, entry index, JSON pointer and reason; lax where HAR writers are lax (missing
 * timings, headers, content default; numeric header values become strings); bodies decoded
 * (decode-body.ts). Pure: no I/O.
 */
import { MockgenError } from '../errors';
import type { HarContent, HarCookie, HarEntry, HarHeader, HarPostData, HarPostParam } from './har-types';
import { decodeBody } from './decode-body';
import { isRecord } from '../../templates/runtime/core/json';
import { escapeToken } from '../../templates/runtime/core/pointer';
import { kindOf } from './json-value';
import { isHttpToken } from '../../templates/runtime/core/http';

/**
 * Reads one raw entry's fields; every failure is a MockgenError naming the file, the entry index, the
 * JSON pointer and the reason.
 */
export class EntryReader {
  readonly base: string;
  /** `line`: the entry is line `line` of a line-per-exchange log (pointers are then into that line's value). */
  constructor(
    readonly file: string,
    readonly index: number,
    readonly line?: number,
  ) {
    this.base = line === undefined ? `/log/entries/${index}` : '';
  }

  fail(path: string, reason: string): never {
    const pointer = `${this.base}${path}`;
    if (this.line !== undefined)
      throw new MockgenError(
        `${this.file}:${this.line}: ${pointer === '' ? '' : `(${pointer}) `}${reason}; fix or remove the line`,
        { file: this.file, pointer, entry: this.index, line: this.line },
      );
    throw new MockgenError(
      `${this.file}: entry ${this.index} (${pointer}): ${reason}; fix or remove the entry`,
      {
        file: this.file,
        pointer,
        entry: this.index,
      },
    );
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (!isRecord(value))
      this.fail(path, `expected an object, got ${value === undefined ? 'nothing' : kindOf(value)}`);
    return value;
  }

  /** `coerce`: numbers and booleans become strings (header and parameter values written by lax tools). */
  string(value: unknown, path: string, fallback?: string, coerce = false): string {
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail(path, 'required string is missing');
    }
    if (coerce && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
    return this.fail(path, `expected a string, got ${kindOf(value)}`);
  }

  number(value: unknown, path: string, fallback?: number): number {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    return this.fail(
      path,
      value === undefined ? 'required number is missing' : `expected a number, got ${kindOf(value)}`,
    );
  }

  /** `[{ name, value }]` lists (headers, queryString, cookies). */
  pairs(value: unknown, path: string): { name: string; value: string }[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected an array of { name, value }, got ${kindOf(value)}`);
    const out = new Array<{ name: string; value: string }>(value.length);
    for (let k = 0; k < value.length; k++) {
      const item: unknown = value[k];
      // the usual pair without building the pointers a failure would name
      if (isRecord(item) && typeof item.name === 'string' && typeof item.value === 'string') {
        out[k] = { name: item.name, value: item.value };
        continue;
      }
      const obj = this.object(item, `${path}/${k}`);
      out[k] = {
        name: this.string(obj.name, `${path}/${k}/name`),
        value: this.string(obj.value, `${path}/${k}/value`, '', true),
      };
    }
    return out;
  }
}

/** Validates a raw entry and copies what mockgen uses into a clean HarEntry (strings where strings belong). */
export function normaliseEntry(raw: unknown, r: EntryReader): HarEntry {
  const entry = r.object(raw, '');
  const error = typeof entry._error === 'string' && entry._error !== '' ? entry._error : undefined;
  const request = r.object(entry.request, '/request');
  const responseRaw = entry.response === undefined && error !== undefined ? { status: 0 } : entry.response;
  const response = r.object(responseRaw, '/response');
  const method = r.string(request.method, '/request/method').trim();
  if (!/^[A-Za-z]/.test(method) || !isHttpToken(method))
    r.fail('/request/method', `not an HTTP method: ${JSON.stringify(method)}`);
  const url = r.string(request.url, '/request/url');
  if (url.trim() === '') r.fail('/request/url', 'the URL is empty');

  const timingsRaw =
    entry.timings === undefined || entry.timings === null ? {} : r.object(entry.timings, '/timings');
  const timings: HarEntry['timings'] = { send: -1, wait: -1, receive: -1 };
  for (const [name, value] of Object.entries(timingsRaw)) {
    if (name.startsWith('_') || name === 'comment' || value === undefined || value === null) continue;
    (timings as unknown as Record<string, number>)[name] =
      typeof value === 'number' && Number.isFinite(value)
        ? value
        : r.number(value, `/timings/${escapeToken(name)}`);
  }
  const phaseSum = Object.entries(timings)
    .filter(([name, v]) => name !== 'ssl' && typeof v === 'number' && v > 0)
    .reduce((sum, [, v]) => sum + (v as number), 0);

  const requestHeaders = r.pairs(request.headers, '/request/headers') as HarHeader[];
  const responseHeaders = r.pairs(response.headers, '/response/headers') as HarHeader[];
  const contentRaw =
    response.content === undefined || response.content === null
      ? {}
      : r.object(response.content, '/response/content');
  const out: HarEntry = {
    startedDateTime: r.string(entry.startedDateTime, '/startedDateTime', ''),
    time: r.number(entry.time, '/time', phaseSum),
    request: {
      method: method.toUpperCase(),
      url: url.trim(),
      httpVersion: r.string(request.httpVersion, '/request/httpVersion', ''),
      cookies: r.pairs(request.cookies, '/request/cookies') as HarCookie[],
      headers: requestHeaders,
      queryString: r.pairs(request.queryString, '/request/queryString'),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: r.number(response.status, '/response/status', error !== undefined ? 0 : undefined),
      statusText: r.string(response.statusText, '/response/statusText', ''),
      httpVersion: r.string(response.httpVersion, '/response/httpVersion', ''),
      cookies: r.pairs(response.cookies, '/response/cookies') as HarCookie[],
      headers: responseHeaders,
      content: normaliseContent(contentRaw, responseHeaders, r),
      redirectURL: r.string(response.redirectURL, '/response/redirectURL', ''),
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings,
  };
  if (request.postData !== undefined && request.postData !== null) {
    out.request.postData = normalisePostData(
      r.object(request.postData, '/request/postData'),
      requestHeaders,
      r,
    );
  }
  const responseError =
    typeof response._error === 'string' && response._error !== '' ? response._error : undefined;
  if (error !== undefined || responseError !== undefined) out._error = error ?? responseError;
  return out;
}

function headerValue(headers: { name: string; value: string }[], name: string): string | undefined {
  const found = headers.find((h) => h.name.toLowerCase() === name);
  return found?.value;
}

function normaliseContent(
  content: Record<string, unknown>,
  headers: HarHeader[],
  r: EntryReader,
): HarContent {
  const contentType =
    r.string(content.mimeType, '/response/content/mimeType', '') ||
    headerValue(headers, 'content-type') ||
    '';
  const out: HarContent = {
    size: r.number(content.size, '/response/content/size', -1),
    mimeType: contentType,
  };
  const text = r.string(content.text, '/response/content/text', '');
  if (text === '') return out;
  const encoding = r.string(content.encoding, '/response/content/encoding', '').toLowerCase();
  // `_encoding` (mockgen record): the wire encoding, the text here is already decoded
  const coding = content._encoding !== undefined ? '' : (headerValue(headers, 'content-encoding') ?? '');
  const decoded = decodeBody(text, encoding, coding, contentType);
  if ('invalid' in decoded) r.fail(`/response/content/${decoded.invalid}`, decoded.reason);
  out.text = decoded.text;
  if (decoded.encoding) out.encoding = decoded.encoding;
  if (content._truncated === true) out._truncated = true;
  return out;
}

function normalisePostData(post: Record<string, unknown>, headers: HarHeader[], r: EntryReader): HarPostData {
  const mimeType =
    r.string(post.mimeType, '/request/postData/mimeType', '') || headerValue(headers, 'content-type') || '';
  const out: HarPostData = { mimeType };
  if (post.params !== undefined && post.params !== null) {
    if (!Array.isArray(post.params))
      r.fail('/request/postData/params', `expected an array, got ${kindOf(post.params)}`);
    out.params = post.params.map((item, k) => {
      const path = `/request/postData/params/${k}`;
      const obj = r.object(item, path);
      const param: HarPostParam = { name: r.string(obj.name, `${path}/name`) };
      if (obj.value !== undefined && obj.value !== null)
        param.value = r.string(obj.value, `${path}/value`, undefined, true);
      if (typeof obj.fileName === 'string') param.fileName = obj.fileName;
      if (typeof obj.contentType === 'string') param.contentType = obj.contentType;
      return param;
    });
  }
  const text = r.string(post.text, '/request/postData/text', '');
  if (text !== '') {
    const encoding = r.string(post.encoding, '/request/postData/encoding', '').toLowerCase();
    const decoded = decodeBody(text, encoding, headerValue(headers, 'content-encoding') ?? '', mimeType);
    if ('invalid' in decoded) r.fail(`/request/postData/${decoded.invalid}`, decoded.reason);
    out.text = decoded.text;
    if (decoded.encoding) out.encoding = decoded.encoding;
  }
  return out;
}
