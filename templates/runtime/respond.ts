/**
 * Documented responses: which one answers (lowest 2xx, a preferred code, the error response for an
 * invalid request), which media type (Accept), which body (example, named example, or data generated
 * from the schema), rendered and serialised to bytes. Responses without templates are serialised
 * once and reused.
 */
import { isHttpToken } from './core/http';
import type { MockRequest, MockResponse } from './core/context';
import { asEventStream, generatedEventStream, streamRequested } from './core/events';
import {
  EVENT_STREAM,
  isEventStreamMediaType,
  isJsonMediaType,
  isXmlMediaType,
  mediaTypeOf,
} from './core/media-types';
import { negotiate, type Negotiated } from './core/negotiate';
import { continuesPagination, localLinks } from './pagination';
import { problem } from './core/problem';
import { hasTemplates, render } from './templating';
import type { Defs, JsonSchema, Manifest, MediaData, OperationData, ResponseData } from './core/types';

export interface ResponseChoice {
  response: ResponseData;
  status: number;
}

/**
 * The answer of a stateful resource (resources/): `body` as `mediaType`, no body for 204 / 304 or
 * without a media type.
 */
export function stateResponse(status: number, body: unknown, mediaType: string | undefined): MockResponse {
  const response: MockResponse = { status, headers: {}, source: 'state' };
  if (mediaType !== undefined && status !== 204 && status !== 304) {
    response.mediaType = mediaType;
    response.body = body;
  }
  return response;
}

/** What goes on the wire: status, flat header list (`[name, value, name, value...]`), body bytes. */
export interface WireResponse {
  status: number;
  headers: string[];
  /**
   * A string is sent as UTF-8: a body built for one response is not copied into a Buffer first
   * (node:http writes it with the head in one piece). Wires kept for reuse hold a Buffer
   * (`reusableWire`), encoded once.
   */
  body?: Buffer | string;
  source: string;
  /** `MockResponse.warning`, for the journal */
  warning?: string;
  /** the body is a server-sent event stream (sent event by event, `writeEvents` in server/write.ts) */
  events?: boolean;
}

/** A MockResponse that may carry its bytes already (cached documented responses). */
export interface BuiltResponse extends MockResponse {
  wire?: WireResponse;
}

const NO_BODY_STATUSES = new Set([204, 205, 304]);

function statusOf(code: string, fallback: number): number {
  if (/^\d{3}$/.test(code)) return Number(code);
  if (/^[1-5]XX$/i.test(code)) return Number(code[0]) * 100;
  return fallback;
}

/** The first documented 2xx (lowest), else `2XX`, else `default` as 200 (Prism's order). */
export function successResponse(op: OperationData): ResponseChoice | undefined {
  let best: ResponseData | undefined;
  for (const response of op.responses) {
    if (/^2\d\d$/.test(response.status) && (!best || Number(response.status) < Number(best.status)))
      best = response;
  }
  if (best) return { response: best, status: Number(best.status) };
  const range = op.responses.find((r) => r.status.toUpperCase() === '2XX');
  if (range) return { response: range, status: 200 };
  const fallback = op.responses.find((r) => r.status === 'default');
  return fallback ? { response: fallback, status: 200 } : undefined;
}

/** The response documented for `code` (`404`, or a range `4XX`): exact, then its range, then `default`. */
export function responseForCode(op: OperationData, code: string): ResponseChoice | undefined {
  const wanted = code.trim().toUpperCase();
  const exact = op.responses.find((r) => r.status.toUpperCase() === wanted);
  if (exact) return { response: exact, status: statusOf(exact.status, statusOf(wanted, 200)) };
  if (/^\d{3}$/.test(wanted)) {
    const range = op.responses.find((r) => r.status.toUpperCase() === `${wanted[0]}XX`);
    if (range) return { response: range, status: Number(wanted) };
    const fallback = op.responses.find((r) => r.status === 'default');
    if (fallback) return { response: fallback, status: Number(wanted) };
  }
  return undefined;
}

/**
 * The response for a request the mock refuses, Prism-style: the first of `codes` documented
 * (exactly or by range), else `default` with the first code as status; undefined → a problem.
 */
export function errorResponse(op: OperationData, codes: string[]): ResponseChoice | undefined {
  for (const code of codes) {
    const exact = op.responses.find((r) => r.status === code);
    if (exact) return { response: exact, status: Number(code) };
  }
  for (const code of codes) {
    const range = op.responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`);
    if (range) return { response: range, status: Number(code) };
  }
  const fallback = op.responses.find((r) => r.status === 'default');
  return fallback ? { response: fallback, status: Number(codes[0]) } : undefined;
}

export interface BuildOptions {
  accept: string | undefined;
  /** example name (`Prefer: example=`) */
  example?: string;
  /** generate from the schema (`Prefer: dynamic=true`) */
  dynamic?: boolean;
  request: MockRequest;
  /** for generated data: same request, same data (computed only when data is generated) */
  seed: () => number;
  /** extra headers (e.g. WWW-Authenticate) */
  headers?: Record<string, string | string[]>;
  /** the caller changes the body: build it afresh (no serialised bytes from the cache) */
  uncached?: boolean;
}

interface ResponseCache {
  /** negotiation results by Accept header */
  negotiated: Map<string, Negotiated | null>;
  /** serialised default answers by content type */
  wire: Map<string, WireResponse>;
}

const NEGOTIATION_CACHE_LIMIT = 64;

export class ResponseBuilder {
  private readonly caches = new WeakMap<ResponseData, ResponseCache>();

  constructor(
    private readonly manifest: Manifest,
    private readonly defs: () => Defs,
  ) {}

  /** The documented response `choice` for this request, or a 406 / 404 problem. */
  build(op: OperationData, choice: ResponseChoice, options: BuildOptions): BuiltResponse {
    const { response, status } = choice;
    const cache = this.cacheFor(response);
    const media = response.content;
    let negotiated: Negotiated | undefined;
    if (media.length > 0 && !NO_BODY_STATUSES.has(status)) {
      // `{"stream": true}` asks for the documented event stream whatever the Accept (events.ts)
      const accept =
        media.some((m) => isEventStreamMediaType(m.mediaType)) && streamRequested(options.request)
          ? EVENT_STREAM
          : options.accept;
      negotiated = this.negotiateCached(cache, accept, media);
      if (!negotiated) {
        return problem(
          'NOT_ACCEPTABLE',
          `Unable to find content for ${accept ?? '*/*'}; the ${response.status} response of ${op.id} documents ${media.map((m) => m.mediaType).join(', ')}.`,
        );
      }
    }
    const chosen = negotiated ? media[negotiated.index] : undefined;
    const simple = !options.example && !options.dynamic && !options.headers && !options.uncached;
    const cacheKey = `${status}\u0000${negotiated?.contentType ?? ''}`;
    if (simple) {
      const cached = cache.wire.get(cacheKey);
      if (cached) return { status, headers: {}, source: cached.source, wire: cached };
    }

    let body: unknown;
    let source = 'example';
    let hasBody = false;
    if (chosen && !NO_BODY_STATUSES.has(status)) {
      const picked = this.pickBody(op, chosen, options);
      if ('problem' in picked) return picked.problem;
      ({ body, source, hasBody } = picked);
    }
    const headers: Record<string, string | string[]> = { ...options.headers };
    let templated = false;
    for (const header of response.headers) {
      if (header.value === undefined || SKIPPED_RESPONSE_HEADERS.has(header.name.toLowerCase())) continue;
      if (hasTemplates(header.value)) templated = true;
      let value = headerText(render(header.value, options.request, this.manifest));
      const name = header.name.toLowerCase();
      if (name === 'link' && value !== undefined) {
        // links lead back to the mock, per request (pagination.ts)
        templated = true;
        value = localLinks(
          value,
          options.request,
          continuesPagination(options.request.query, options.request.body),
        );
      }
      if (value !== undefined) headers[name] = value;
    }
    const built: BuiltResponse = { status, headers, source };
    if (negotiated) built.mediaType = resolveContentType(negotiated.contentType, body);
    if (hasBody) {
      if (chosen && isXmlMediaType(built.mediaType ?? '') && body !== null && typeof body === 'object') {
        built.raw = toXml(body, xmlRootName(chosen.schema));
      } else {
        built.body = body;
      }
    }
    if (simple && !templated && source.startsWith('example') && !hasTemplates(pickedValue(chosen))) {
      const wire = reusableWire(toWire(built));
      if (cache.wire.size < NEGOTIATION_CACHE_LIMIT) cache.wire.set(cacheKey, wire);
      built.wire = wire;
    }
    return built;
  }

  private pickBody(
    op: OperationData,
    media: MediaData,
    options: BuildOptions,
  ): { body: unknown; source: string; hasBody: boolean } | { problem: MockResponse } {
    if (options.example) {
      const example = media.examples.find((e) => e.name === options.example);
      if (!example) {
        return {
          problem: problem(
            'NOT_FOUND',
            `Response for contentType: ${media.mediaType} and exampleKey: ${options.example} does not exist.`,
          ),
        };
      }
      return {
        body: render(example.value, options.request, this.manifest),
        source: `example:${example.name}`,
        hasBody: true,
      };
    }
    const first = media.examples[0];
    if ((options.dynamic || !first) && media.schema !== undefined) {
      const schema = media.schema;
      const seed = options.seed();
      // an event stream's schema is one event's: a short stream of them
      const body = isEventStreamMediaType(media.mediaType)
        ? generatedEventStream((i) => this.generate(schema, seed + i))
        : this.generate(schema, seed);
      return { body, source: 'generated', hasBody: true };
    }
    if (first) {
      return {
        body: render(first.value, options.request, this.manifest),
        source: `example:${first.name}`,
        hasBody: true,
      };
    }
    return { body: undefined, source: 'example', hasBody: false };
  }

  private generate(schema: JsonSchema, seed: number): unknown {
    // loaded on first use: the generator and json-schema-faker cost startup time most mocks never need

    const { generateValue } = require('./core/fake') as typeof import('./core/fake');
    return generateValue(schema, this.defs(), {
      seed,
      direction: 'response',
      locale: this.manifest.locale,
    });
  }

  private cacheFor(response: ResponseData): ResponseCache {
    let cache = this.caches.get(response);
    if (!cache) {
      cache = { negotiated: new Map(), wire: new Map() };
      this.caches.set(response, cache);
    }
    return cache;
  }

  private negotiateCached(
    cache: ResponseCache,
    accept: string | undefined,
    media: MediaData[],
  ): Negotiated | undefined {
    const key = accept ?? '';
    const known = cache.negotiated.get(key);
    if (known !== undefined) return known ?? undefined;
    const result = negotiate(
      accept,
      media.map((m) => m.mediaType),
    );
    if (cache.negotiated.size >= NEGOTIATION_CACHE_LIMIT) cache.negotiated.clear();
    cache.negotiated.set(key, result ?? null);
    return result;
  }
}

function pickedValue(media: MediaData | undefined): unknown {
  return media?.examples[0]?.value;
}

/** Headers the writer owns. */
const SKIPPED_RESPONSE_HEADERS = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
]);
/** Hop-by-hop and framing headers never copied from a MockResponse (recordings may carry them). */
const FRAMING_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'proxy-connection',
  'content-encoding',
]);

/** A header value as text: simple style for arrays and objects. */
export function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k},${String(v)}`)
      .join(',');
  }
  return String(value);
}

/**
 * Header values are sent as visible ASCII (and tabs): anything else (CR/LF, controls, non-ASCII) is
 * percent-encoded as UTF-8. RFC 9110 leaves bytes above 0x7f to each client's guess, and node:http
 * writes a head sent together with a string body as UTF-8, not latin1.
 */
export function safeHeaderValue(value: string): string {
  if (!/[^\t\x20-\x7e]/.test(value)) return value;
  return value.replace(/[^\t\x20-\x7e]/gu, (ch) => encodeURIComponent(ch));
}

/** What a documented range such as `image/*` is served as: a common type of the range. */
const RANGE_TYPES: Record<string, string> = {
  image: 'image/png',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  font: 'font/woff2',
  text: 'text/plain',
};

function resolveContentType(contentType: string, body: unknown): string {
  if (!contentType.includes('*')) return contentType;
  const type = contentType.slice(0, contentType.indexOf('/'));
  if (Object.prototype.hasOwnProperty.call(RANGE_TYPES, type)) return RANGE_TYPES[type];
  if (typeof body === 'string' && type !== 'application') return 'text/plain';
  if (typeof body === 'string' || Buffer.isBuffer(body)) return 'application/octet-stream';
  return 'application/json';
}

function isTextual(mediaType: string): boolean {
  return mediaType.startsWith('text/') || isXmlMediaType(mediaType) || mediaType === 'application/javascript';
}

/** The bytes and headers of a MockResponse. */
export function toWire(response: MockResponse): WireResponse {
  const status =
    Number.isInteger(response.status) && response.status >= 100 && response.status <= 999
      ? response.status
      : 500;
  const headers: string[] = [];
  let contentType: string | undefined;
  const source = response.headers;
  // own names only, and only HTTP tokens: a name Node rejects would throw from writeHead mid-response
  for (const name of Object.keys(source)) {
    const value = source[name];
    const key = name.toLowerCase();
    if (FRAMING_HEADERS.has(key) || !isHttpToken(key)) continue;
    if (key === 'content-type') {
      contentType = Array.isArray(value) ? value[0] : value;
      continue;
    }
    if (Array.isArray(value)) for (const v of value) headers.push(key, safeHeaderValue(String(v)));
    else headers.push(key, safeHeaderValue(String(value)));
  }
  let body: Buffer | string | undefined;
  const mediaType = mediaTypeOf(contentType) || response.mediaType || '';
  if (response.raw !== undefined) {
    body = response.raw;
  } else if (response.body !== undefined) {
    if (Buffer.isBuffer(response.body)) body = response.body;
    else if (isEventStreamMediaType(mediaType)) body = asEventStream(response.body);
    else if (typeof response.body === 'string' && !isJsonMediaType(mediaType) && mediaType !== '') {
      body = response.body;
    } else {
      body = jsonText(response.body);
    }
  }
  if (NO_BODY_STATUSES.has(status) || (status >= 100 && status < 200)) {
    body = undefined;
  } else {
    if (body !== undefined) {
      if (contentType === undefined) {
        const type = mediaType || 'application/json';
        contentType = isTextual(type) && !type.includes('charset') ? `${type}; charset=utf-8` : type;
      }
      headers.push('content-type', safeHeaderValue(contentType));
    }
    const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    headers.push('content-length', String(length));
  }
  const wire: WireResponse = { status, headers, body, source: response.source };
  if (response.warning !== undefined) wire.warning = response.warning;
  if (body !== undefined && isEventStreamMediaType(mediaType)) wire.events = true;
  return wire;
}

/** `wire` with its body as a Buffer, for a wire that is kept and sent many times. */
export function reusableWire(wire: WireResponse): WireResponse {
  return typeof wire.body === 'string' ? { ...wire, body: Buffer.from(wire.body, 'utf8') } : wire;
}

/** What is remembered about an immutable object (one entry per object: created resources are many). */
export interface ImmutableInfo {
  /** its JSON text, computed on first serialisation */
  text: string | undefined;
  /** response schemas (as objects) it is known to validate against (conform.ts) */
  conforms: object[] | undefined;
}

/** Objects whose owner promises never to change them (or anything they hold) in place. */
const immutable = new WeakMap<object, ImmutableInfo>();
let anyImmutable = false;

/**
 * Declares that `value` (and everything it holds) will never change in place, so its JSON text can
 * be computed once and reused by every response that contains it (the stateful store marks its
 * resources: a list page is then mostly cached text). A value marked by mistake and then changed
 * would be served stale: only mark copy-on-write data.
 */
export function markImmutable(value: object): void {
  if (!immutable.has(value)) immutable.set(value, { text: undefined, conforms: undefined });
  anyImmutable = true;
}

/** What is remembered about `value` when it was declared immutable (markImmutable), else undefined. */
export function immutableInfo(value: object): ImmutableInfo | undefined {
  return immutable.get(value);
}

/** JSON.stringify(value) (`null` for undefined), reusing the cached text of immutable objects it holds. */
export function jsonText(value: unknown): string {
  if (!anyImmutable || value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  return textOf(value, 0) ?? 'null';
}

/** Immutable objects are looked for this deep (a list body, a list envelope): deeper, plain JSON.stringify. */
const IMMUTABLE_SEARCH_DEPTH = 2;

function textOf(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const info = immutable.get(value);
  if (info) {
    if (info.text !== undefined) return info.text;
    const text = JSON.stringify(value) as string | undefined;
    info.text = text;
    return text;
  }
  if (depth >= IMMUTABLE_SEARCH_DEPTH || !holdsImmutable(value, IMMUTABLE_SEARCH_DEPTH - depth)) {
    return JSON.stringify(value);
  }
  // same text as JSON.stringify: undefined / functions / symbols are null in arrays, left out in objects
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += `${i === 0 ? '' : ','}${textOf(value[i], depth + 1) ?? 'null'}`;
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const text = textOf((value as Record<string, unknown>)[key], depth + 1);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/** An array or plain object (no toJSON) holding an immutable object within `levels` levels. */
function holdsImmutable(value: object, levels: number): boolean {
  if (!Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return false;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (item === null || typeof item !== 'object') continue;
    if (immutable.has(item)) return true;
    if (levels > 1 && holdsImmutable(item as object, levels - 1)) return true;
  }
  return false;
}

/** A small XML rendering of a JSON value (for XML-only operations); arrays repeat their element. */
export function toXml(value: unknown, root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement(root, value)}`;
}

function xmlElement(name: string, value: unknown): string {
  const tag = xmlName(name);
  if (value === null || value === undefined) return `<${tag}/>`;
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlElement(k, v))
      .join('');
    return `<${tag}>${inner}</${tag}>`;
  }
  return `<${tag}>${xmlEscape(String(value))}</${tag}>`;
}

function xmlName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function xmlRootName(schema: JsonSchema | undefined): string {
  if (schema && typeof schema === 'object') {
    const xml = schema.xml as { name?: unknown } | undefined;
    if (xml && typeof xml.name === 'string') return xml.name;
    if (typeof schema.$ref === 'string') return schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1);
  }
  return 'root';
}

/**
 * FNV-1a of the request, the seed of generated data: same request, same data. A HEAD is seeded as
 * its GET, so its headers (Content-Length) describe the body the GET sends.
 */
export function requestSeed(requestMethod: string, url: string, body: Buffer): number {
  const method = requestMethod === 'HEAD' ? 'GET' : requestMethod;
  let hash = 0x811c9dc5;
  const mix = (code: number): void => {
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  };
  for (let i = 0; i < method.length; i++) mix(method.charCodeAt(i));
  mix(32);
  for (let i = 0; i < url.length; i++) mix(url.charCodeAt(i));
  for (let i = 0; i < body.length && i < 65536; i++) mix(body[i]);
  return hash >>> 0;
}
