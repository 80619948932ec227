/**
 * Live drift warnings while recording: each captured (already redacted) entry is checked against the
 * contract by the drift checker and summarised in one line, so secrets never reach the terminal.
 */
import { DriftChecker } from '../drift/check-exchange';
import type { Contract, Exchange, RecordedBody } from '../model/types';
import type { HarContent, HarEntry, HarPostData } from '../recordings/har-types';
import { mediaTypeOf, parseQuery } from '../recordings/load-har';

/**
 * HAR entry written by the proxy → `Exchange`. The proxy's entries are already normalised (absolute
 * URL, decoded bodies), so this is a plain mapping.
 * @fixme use the loader's own conversion once `recordings/load-har.ts` exports it.
 */
export function exchangeFromEntry(entry: HarEntry, index: number, file: string): Exchange {
  const { request, response } = entry;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(request.url);
  const scheme = match?.[1].toLowerCase() ?? 'http';
  let host = (match?.[2] ?? '').toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  const headers = request.headers.map((h): [string, string] => [h.name.toLowerCase(), h.value]);
  const exchange: Exchange = {
    entry: index,
    file,
    startedDateTime: entry.startedDateTime,
    timeMs: entry.time,
    waitMs: entry.timings.wait >= 0 ? entry.timings.wait : entry.time,
    request: {
      method: request.method,
      url: request.url,
      path: match?.[3] || '/',
      host,
      query: match?.[4] !== undefined ? parseQuery(match[4]) : [],
      headers,
      cookies: request.cookies.map((c): [string, string] => [c.name, c.value]),
    },
    response: {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers.map((h): [string, string] => [h.name.toLowerCase(), h.value]),
    },
  };
  const requestBody = request.postData ? recordedBody(request.postData) : undefined;
  if (requestBody) exchange.request.body = requestBody;
  const responseBody = recordedBody(response.content);
  if (responseBody) exchange.response.body = responseBody;
  if (entry._error !== undefined || response.status === 0) exchange.failed = true;
  return exchange;
}

function recordedBody(content: HarContent | HarPostData): RecordedBody | undefined {
  if (content.text === undefined || content.text === '' || content._truncated) return undefined;
  const body: RecordedBody = { mimeType: mediaTypeOf(content.mimeType ?? '') };
  if (content.encoding === 'base64') body.base64 = content.text;
  else body.text = content.text;
  return body;
}

export class DriftWatch {
  private readonly checker: DriftChecker;
  /** Exchanges with at least one finding. */
  drifted = 0;
  findings = 0;

  constructor(
    contract: Contract,
    private readonly file: string,
  ) {
    this.checker = new DriftChecker(contract);
  }

  /** One line per drifting exchange (`undefined` when it conforms or is not checked). */
  check(entry: HarEntry, index: number): string | undefined {
    if (entry._error !== undefined) return undefined;
    const result = this.checker.check(exchangeFromEntry(entry, index, this.file));
    if (result.skipped || result.findings.length === 0) return undefined;
    this.drifted += 1;
    this.findings += result.findings.length;
    const [first] = result.findings;
    const more = result.findings.length > 1 ? ` (+${result.findings.length - 1} more)` : '';
    return `drift: entry ${index}: ${first.severity} ${first.kind}: ${oneLine(first.message)}${more}`;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
