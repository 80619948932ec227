/**
 * A recorded exchange's request as the plain data the request interpreter reads
 * (templates/runtime/core/request), so a HAR entry is read as the mock reads the same bytes.
 */
import { jsonOrText, type RawRequest } from '../../templates/runtime/core/request';
import { isJsonMediaType, mediaTypeOf } from '../../templates/runtime/core/media-types';
import type { Exchange, RecordedBody } from '../model/types';

/** The body as the interpreter takes it: decoded text, bytes (base64), or HAR `params` as fields. */
export function recordedBodyInput(
  body: RecordedBody | undefined,
): Pick<RawRequest, 'body' | 'fields' | 'contentType'> {
  if (!body) return {};
  const out: Pick<RawRequest, 'body' | 'fields' | 'contentType'> = { contentType: body.mimeType };
  if (body.text !== undefined && body.text !== '') out.body = body.text;
  else if (body.base64 !== undefined && body.base64 !== '') out.body = Buffer.from(body.base64, 'base64');
  else if (body.params && body.params.length > 0) out.fields = fieldsOf(body.params);
  return out;
}

/** HAR `params`: JSON parts parsed, everything else a string, as the runtime reads multipart parts. */
export function fieldsOf(params: NonNullable<RecordedBody['params']>): [string, unknown][] {
  return params.map((p) => [p.name, partValue(p.value ?? '', p.contentType)]);
}

function partValue(value: string, contentType: string | undefined): unknown {
  return contentType && isJsonMediaType(contentType) ? jsonOrText(value) : value;
}

/** Header names lower case; repeated headers joined with `, ` as node:http joins them. */
export function recordedHeaders(headers: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === '__proto__') continue;
    out[lower] = Object.prototype.hasOwnProperty.call(out, lower) ? `${out[lower]}, ${value}` : value;
  }
  return out;
}

/** The HAR's cookie list when it has one (first occurrence wins); undefined: read the Cookie header. */
function recordedCookies(exchange: Exchange): Record<string, string> | undefined {
  const list = exchange.request.cookies;
  if (list.length === 0) return undefined;
  const cookies: Record<string, string> = {};
  for (const [name, value] of list) {
    if (name !== '__proto__' && !Object.prototype.hasOwnProperty.call(cookies, name)) cookies[name] = value;
  }
  return cookies;
}

export function rawRequestOf(exchange: Exchange, pathParams: Record<string, string>): RawRequest {
  const { request } = exchange;
  const raw: RawRequest = {
    method: request.method,
    pathParams,
    query: request.query,
    headers: recordedHeaders(request.headers),
    ...recordedBodyInput(request.body),
  };
  // the header keeps the parameters (`boundary`, `charset`) the HAR's mimeType has lost
  const header = raw.headers['content-type'] as string | undefined;
  if (raw.contentType !== undefined && header !== undefined && mediaTypeOf(header) === raw.contentType)
    raw.contentType = header;
  const cookies = recordedCookies(exchange);
  if (cookies) raw.cookies = cookies;
  return raw;
}
