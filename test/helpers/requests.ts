import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { generateValue } from '../../templates/runtime/core/fake';
import type { Contract, JsonSchema, Operation, Parameter } from '../../src/model/types';

export interface PlannedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A request a well-behaved client would send to `op`: required parameters, credentials and a valid body. */
export function validRequest(contract: Contract, op: Operation, seed = 7): PlannedRequest {
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  const cookies: string[] = [];
  let path = op.path.replace(/#.*$/s, ''); // a fragment is not sent (AWS: `/#X-Amz-Target=...`)
  for (const param of op.parameters) {
    if (!param.required && param.in !== 'path') continue;
    const value = paramValue(contract, param, seed);
    if (param.in === 'path') path = path.split(`{${param.name}}`).join(encodeURIComponent(value));
    else if (param.in === 'query') query.append(param.name, value);
    else if (param.in === 'header') headers[param.name] = value;
    else cookies.push(`${param.name}=${encodeURIComponent(value)}`);
  }
  addCredentials(contract, op, headers, query, cookies);
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const search = query.toString();
  const request: PlannedRequest = {
    method: op.method.toUpperCase(),
    // a template may carry its own query (`/rest?method=flickr.photos.getInfo`)
    path: `${contract.basePath}${path}${search ? `${path.includes('?') ? '&' : '?'}${search}` : ''}`,
    headers,
  };
  const media = op.requestBody?.content.find((m) => isJson(m.mediaType)) ?? op.requestBody?.content[0];
  if (media && (op.requestBody?.required || isJson(media.mediaType))) {
    const value =
      media.examples[0]?.value ??
      generateValue(media.schema ?? {}, contract.schemas, { seed, direction: 'request' });
    if (isJson(media.mediaType)) {
      request.body = JSON.stringify(value);
      headers['content-type'] = media.mediaType === '*/*' ? 'application/json' : media.mediaType;
    } else if (media.mediaType === 'application/x-www-form-urlencoded') {
      request.body = new URLSearchParams(flatten(value)).toString();
      headers['content-type'] = media.mediaType;
    } else if (media.mediaType === 'multipart/form-data') {
      const boundary = 'mockgen-test-boundary';
      request.body =
        flatten(value)
          .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
          .join('') + `--${boundary}--\r\n`;
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    } else {
      request.body = typeof value === 'string' ? value : JSON.stringify(value);
      headers['content-type'] = media.mediaType;
    }
  }
  return request;
}

function paramValue(contract: Contract, param: Parameter, seed: number): string {
  // contracts' examples are sometimes wrong (a date-time for `format: date`): a client sends a valid value
  const example = param.examples.find(
    (e) => e.value !== undefined && compilerFor(contract).compile(param.schema)(e.value),
  );
  const value =
    example?.value ?? generateValue(param.schema, contract.schemas, { seed, direction: 'request' });
  if (param.contentType) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(String).join(',');
  if (value !== null && typeof value === 'object') return Object.entries(value).flat().map(String).join(',');
  return String(value);
}

const compilers = new WeakMap<Contract, SchemaCompiler>();
function compilerFor(contract: Contract): SchemaCompiler {
  let compiler = compilers.get(contract);
  if (!compiler) compilers.set(contract, (compiler = new SchemaCompiler(contract.schemas)));
  return compiler;
}

function addCredentials(
  contract: Contract,
  op: Operation,
  headers: Record<string, string>,
  query: URLSearchParams,
  cookies: string[],
): void {
  const requirement = op.security[0];
  if (!requirement) return;
  for (const name of Object.keys(requirement)) {
    const scheme = contract.securitySchemes[name];
    if (!scheme) continue;
    if (scheme.type === 'apiKey' && scheme.name) {
      if (scheme.in === 'query') query.append(scheme.name, 'test-key');
      else if (scheme.in === 'cookie') cookies.push(`${scheme.name}=test-key`);
      else headers[scheme.name.toLowerCase()] = 'test-key';
    } else if (scheme.type === 'http' && scheme.scheme === 'basic') {
      headers.authorization = `Basic ${Buffer.from('user:pass').toString('base64')}`;
    } else if (scheme.type !== 'mutualTLS') {
      headers.authorization = 'Bearer test-token';
    }
  }
}

export function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === '*/*';
}

function flatten(value: unknown): [string, string][] {
  if (value === null || typeof value !== 'object') return [['value', String(value)]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    Array.isArray(v)
      ? v.map((item) => [k, String(item)] as [string, string])
      : [[k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as [string, string]],
  );
}

export type { JsonSchema };
