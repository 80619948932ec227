/**
 * HAR 1.2 as raw JSON (http://www.softwareishard.com/blog/har-12-spec/), the shape written by
 * browsers, proxies and `mockgen record`. Only the HAR loader (`recordings/load-har.ts` and the files
 * it is made of), `recordings/redact.ts` and `record/` read or write it; every later stage works on
 * `Exchange` (model/types.ts).
 *
 * Custom fields start with `_` as the spec requires. mockgen uses:
 * - `HarEntry._error`: the proxy could not get a response (then `response.status` is 0);
 * - `HarContent._encoding`: the `content-encoding` the body had on the wire (the HAR holds it decoded);
 * - `HarContent._truncated`: the body was larger than the capture limit; `text` holds only the start.
 */

/** `_`-prefixed custom fields, allowed on every HAR object. */
export interface HarCustom {
  [custom: `_${string}`]: unknown;
}

export interface HarLog extends HarCustom {
  log: {
    version: string;
    creator: HarCreator;
    browser?: HarCreator;
    pages?: HarPage[];
    entries: HarEntry[];
    comment?: string;
  } & HarCustom;
}

export interface HarCreator extends HarCustom {
  name: string;
  version: string;
  comment?: string;
}

export interface HarPage extends HarCustom {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad?: number; onLoad?: number; comment?: string };
  comment?: string;
}

export interface HarEntry extends HarCustom {
  pageref?: string;
  /** ISO 8601 with time zone, when the request started. */
  startedDateTime: string;
  /** Total ms: the sum of the non-negative `timings`. */
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: HarCache;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  /** mockgen: why the exchange failed (upstream error, timeout); `response.status` is 0. */
  _error?: string;
}

export interface HarHeader extends HarCustom {
  name: string;
  value: string;
  comment?: string;
}

/** `queryString` entries have the same shape as headers (values percent-decoded). */
export type HarQueryParam = HarHeader;

export interface HarCookie extends HarCustom {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  comment?: string;
}

export interface HarRequest extends HarCustom {
  method: string;
  /** Absolute URL, fragments removed. */
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarHeader[];
  queryString: HarQueryParam[];
  postData?: HarPostData;
  /** -1 when unknown. */
  headersSize: number;
  /** -1 when unknown. */
  bodySize: number;
  comment?: string;
}

export interface HarPostParam extends HarCustom {
  name: string;
  value?: string;
  fileName?: string;
  contentType?: string;
  comment?: string;
}

export interface HarPostData extends HarCustom {
  /** The full `Content-Type` header value. */
  mimeType: string;
  params?: HarPostParam[];
  text?: string;
  /** Not in HAR 1.2 proper but written by Chrome and mockgen for binary request bodies. */
  encoding?: string;
  comment?: string;
}

export interface HarResponse extends HarCustom {
  /** 0 when no response was received. */
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarHeader[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  /** Bytes received on the wire (compressed size); -1 when unknown. */
  bodySize: number;
  comment?: string;
}

export interface HarContent extends HarCustom {
  /** Decoded length in bytes. */
  size: number;
  /** Bytes saved by compression (`size` - wire size). */
  compression?: number;
  /** The full `Content-Type` header value. */
  mimeType: string;
  /** Decoded body: text, or base64 when `encoding` is `base64`. */
  text?: string;
  encoding?: string;
  comment?: string;
  /** mockgen: `content-encoding` on the wire, e.g. `gzip`; the body here is decoded. */
  _encoding?: string;
  /** mockgen: the body was cut at the capture limit. */
  _truncated?: boolean;
}

export interface HarCache extends HarCustom {
  beforeRequest?: HarCacheEntry | null;
  afterRequest?: HarCacheEntry | null;
  comment?: string;
}

export interface HarCacheEntry extends HarCustom {
  expires?: string;
  lastAccess: string;
  eTag: string;
  hitCount: number;
  comment?: string;
}

/** Milliseconds; -1 when a phase does not apply. */
export interface HarTimings extends HarCustom {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  /** Time to the first response byte. */
  wait: number;
  receive: number;
  ssl?: number;
  comment?: string;
}
