/**
 * What the request pipeline (server/) passes between its stages. The behaviour modules
 * (replay.ts, state.ts, templating.ts, tokens.ts, latency.ts, session.ts) work on these.
 */
import type { OperationData } from './types';

export interface MockRequest {
  /** upper-case method as received */
  method: string;
  /** request path without the base path, still percent-encoded, no query */
  path: string;
  /** the full URL as received (path + query) */
  url: string;
  /** matched path parameters, percent-decoded (strings, before type coercion) */
  pathParams: Record<string, string>;
  /** query pairs in order, decoded */
  query: [string, string][];
  /** lower-case header names, as node gives them */
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string>;
  /** lower-cased media type of the body without parameters, '' when none */
  mediaType: string;
  rawBody: Buffer;
  /** parsed body: JSON value, form fields object (urlencoded/multipart), text, or undefined */
  body: unknown;
  /** value of `X-Mockgen-Session`, '' for the default session */
  session: string;
  /** the file parts of a multipart body, in order (their bytes are in `body` as binary strings) */
  uploads?: UploadedFile[];
  /** where tokens issued while answering (templates, token endpoint) are registered: the handler's store */
  tokens?: TokenSink;
}

/** What a server learns about an uploaded file besides its bytes. */
export interface UploadedFile {
  /** the form field it was sent in */
  field: string;
  /** the `filename` of its Content-Disposition, when sent */
  filename?: string;
  /** lower-cased media type of the part (`application/octet-stream` when not sent) */
  mimeType: string;
  /** size in bytes */
  size: number;
}

/** A response decided by a stage, before it is written. */
export interface MockResponse {
  status: number;
  headers: Record<string, string | string[]>;
  mediaType?: string;
  /** JSON value (serialised by the writer), or raw text/bytes */
  body?: unknown;
  raw?: string | Buffer;
  /** where the response came from, for the journal: `example:<name>`, `recording:<entry>`, `state`, `generated`, `error` */
  source: string;
  /** something the client should know that the answer does not say (a created resource evicted another), for the journal */
  warning?: string;
}

export interface OperationContext {
  op: OperationData;
  request: MockRequest;
}

/** Where an issued token is registered: the handler's store (`MockRequest.tokens`); may be asynchronous. */
export interface TokenSink {
  registerToken(token: string, lifetimeS?: number): void | Promise<void>;
}
