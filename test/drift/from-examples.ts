import type { Contract, Defs, JsonSchema, Operation } from '../../src/model/types';
import * as fs from 'node:fs';
import type { ExchangeInit } from './helpers';

/**
 * Clean traffic made from a contract's own examples: one exchange per operation and documented
 * response example, parameters from their examples (or a value that fits their schema), credentials
 * for the first security alternative. Drift must find no error in it.
 */
export function cleanTraffic(contract: Contract): ExchangeInit[] {
  const out: ExchangeInit[] = [];
  for (const op of contract.operations) {
    const request = requestFor(op, contract);
    if (!request) continue;
    for (const response of op.responses) {
      const status =
        response.status === 'default'
          ? 599
          : /X/i.test(response.status)
            ? Number(`${response.status[0]}00`)
            : Number(response.status);
      const responseHeaders: [string, string][] = [];
      for (const h of response.headers) {
        if (!h.required) continue;
        const value = h.examples[0]?.value ?? sample(h.schema, contract.schemas);
        responseHeaders.push([h.name, String(value)]);
      }
      const media = response.content.find((m) => m.examples.length > 0);
      if (response.content.length > 0 && !media) continue;
      // Examples a contract marks as deliberately broken (to exercise example repair) are not clean traffic.
      const examples = media ? media.examples.filter((e) => !/invalid/i.test(e.summary ?? '')) : [undefined];
      for (const example of examples) {
        out.push({
          ...request,
          status,
          responseHeaders,
          ...(example ? { responseBody: example.value, responseType: media!.mediaType } : {}),
          entry: out.length,
        });
      }
    }
  }
  return out;
}

function requestFor(op: Operation, contract: Contract): ExchangeInit | undefined {
  let path = op.path;
  const query: [string, string][] = [];
  const headers: [string, string][] = [];
  const cookies: [string, string][] = [];
  for (const p of op.parameters) {
    if (!p.required && p.examples.length === 0) continue;
    const value = p.examples[0]?.value ?? sample(p.schema, contract.schemas);
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(text));
    else if (p.in === 'query') query.push([p.name, text]);
    else if (p.in === 'header') headers.push([p.name, text]);
    else cookies.push([p.name, text]);
  }
  const alternative = op.security[0];
  for (const name of Object.keys(alternative ?? {})) {
    const scheme = contract.securitySchemes[name];
    if (!scheme) continue;
    if (scheme.type === 'apiKey' && scheme.in === 'query') query.push([scheme.name!, 'REDACTED']);
    else if (scheme.type === 'apiKey' && scheme.in === 'cookie') cookies.push([scheme.name!, 'REDACTED']);
    else if (scheme.type === 'apiKey') headers.push([scheme.name!, 'REDACTED']);
    else if (scheme.type === 'http' && scheme.scheme === 'basic')
      headers.push(['Authorization', 'Basic REDACTED']);
    else headers.push(['Authorization', 'Bearer REDACTED']);
  }
  const init: ExchangeInit = {
    method: op.method.toUpperCase(),
    path: `${contract.basePath}${path}`,
    query,
    headers,
    cookies,
  };
  if (op.requestBody) {
    const media = op.requestBody.content.find((m) => m.examples.length > 0);
    if (media) {
      init.body = media.examples[0].value;
      init.bodyType = media.mediaType;
    } else if (op.requestBody.required) {
      return undefined;
    }
  }
  return init;
}

/** A value that fits a simple schema (parameters and headers without examples). */
export function sample(schema: JsonSchema, defs: Defs, depth = 0): unknown {
  if (typeof schema !== 'object' || depth > 8) return 'x';
  if (typeof schema.$ref === 'string')
    return sample(defs[schema.$ref.slice('#/$defs/'.length)] ?? true, defs, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [sample((schema.items as JsonSchema) ?? true, defs, depth + 1)];
    default:
      switch (schema.format) {
        case 'uuid':
          return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
        case 'date-time':
          return '2024-01-01T00:00:00Z';
        case 'date':
          return '2024-01-01';
        case 'email':
          return 'a@example.com';
        default:
          return 'x'.repeat(Math.max(1, typeof schema.minLength === 'number' ? schema.minLength : 1));
      }
  }
}

/** HAR 1.2 JSON for exchanges (what browsers and `mockgen record` write). */
export function toHar(inits: ExchangeInit[], origin = 'https://api.example.com'): unknown {
  const headerList = (pairs: [string, string][] = []) => pairs.map(([name, value]) => ({ name, value }));
  const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
  return {
    log: {
      version: '1.2',
      creator: { name: 'mockgen-tests', version: '1' },
      entries: inits.map((init) => {
        const query = init.query ?? [];
        const qs = query.length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
        const requestHeaders = [...(init.headers ?? [])];
        if (init.body !== undefined)
          requestHeaders.push(['Content-Type', init.bodyType ?? 'application/json']);
        if ((init.cookies ?? []).length > 0)
          requestHeaders.push(['Cookie', init.cookies!.map(([n, v]) => `${n}=${v}`).join('; ')]);
        const responseHeaders = [...(init.responseHeaders ?? [])];
        const responseType = init.responseType ?? 'application/json';
        if (init.responseBody !== undefined) responseHeaders.push(['Content-Type', responseType]);
        return {
          startedDateTime: '2024-01-01T00:00:00.000Z',
          time: 12,
          request: {
            method: init.method ?? 'GET',
            url: `${origin}${init.path ?? '/'}${qs}`,
            httpVersion: 'HTTP/1.1',
            headers: headerList(requestHeaders),
            queryString: query.map(([name, value]) => ({ name, value })),
            cookies: (init.cookies ?? []).map(([name, value]) => ({ name, value })),
            headersSize: -1,
            bodySize: init.body === undefined ? 0 : text(init.body).length,
            ...(init.body !== undefined
              ? { postData: { mimeType: init.bodyType ?? 'application/json', text: text(init.body) } }
              : {}),
          },
          response: {
            status: init.status ?? 200,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            headers: headerList(responseHeaders),
            cookies: [],
            content:
              init.responseBody === undefined
                ? { size: 0, mimeType: '' }
                : {
                    size: text(init.responseBody).length,
                    mimeType: responseType,
                    text: text(init.responseBody),
                  },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 1, wait: 10, receive: 1 },
        };
      }),
    },
  };
}

/**
 * Streams the traffic to disk: `entries` exchanges cycling through `base`, 1 in 25 with drift, as a HAR
 * (`har`, when given) and as NDJSON (one HAR entry per line).
 */
export function writeTraffic(
  har: string | undefined,
  ndjson: string,
  base: ExchangeInit[],
  entries: number,
  server: string | undefined,
): void {
  const origin = server ? new URL(server).origin : 'http://localhost';
  const harFd = har === undefined ? undefined : fs.openSync(har, 'w');
  const lineFd = fs.openSync(ndjson, 'w');
  try {
    if (harFd !== undefined)
      fs.writeSync(
        harFd,
        '{"log":{"version":"1.2","creator":{"name":"mockgen-bench","version":"1"},"entries":[\n',
      );
    const batch: string[] = [];
    for (let i = 0; i < entries; i++) {
      const init = mutate(base[i % base.length], i);
      const entry = (toHar([init], origin) as { log: { entries: unknown[] } }).log.entries[0];
      batch.push(JSON.stringify(entry));
      if (batch.length === 1000 || i === entries - 1) {
        if (harFd !== undefined) fs.writeSync(harFd, batch.join(',\n') + (i === entries - 1 ? '\n' : ',\n'));
        fs.writeSync(lineFd, `${batch.join('\n')}\n`);
        batch.length = 0;
      }
    }
    if (harFd !== undefined) fs.writeSync(harFd, ']}}\n');
  } finally {
    if (harFd !== undefined) fs.closeSync(harFd);
    fs.closeSync(lineFd);
  }
}

function mutate(init: ExchangeInit, i: number): ExchangeInit {
  if (i % 25 !== 0) return init;
  switch ((i / 25) % 4) {
    case 0:
      return { ...init, path: `${init.path}/extra-${i % 7}` };
    case 3:
      return { ...init, method: 'PATCH' };
    case 1:
      return init.responseBody !== null &&
        typeof init.responseBody === 'object' &&
        !Array.isArray(init.responseBody)
        ? { ...init, responseBody: { ...(init.responseBody as object), undocumented: i } }
        : init;
    default:
      return { ...init, query: [...(init.query ?? []), ['limit', 'many']] };
  }
}
