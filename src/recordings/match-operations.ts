/**
 * Recorded exchanges → the contract operations they exercise.
 *
 * One path-template router (templates/runtime/core/router.ts, the one the emitted server uses) is built
 * over the contract; each exchange costs O(path segments). Rules:
 * - The request path may carry a server base path or not: each documented base path (the contract's
 *   `basePath` and the path of every `servers[]` URL, longest first) is stripped when present and
 *   tried first, then the path as recorded. A trailing `/` is tolerated as a last resort.
 * - Method must be documented for the matched template (HEAD is not served by GET here: a recorded
 *   HEAD response has no body to replay). In an RPC-style contract (derive/rpc-methods.ts) a form
 *   POST to a GET method is matched as that GET, its form fields as query parameters.
 * - Hosts are lenient: when every server URL is absolute, an exchange for another host still matches
 *   when its path does (recordings often come from staging); it is `unmatched: host` only when the
 *   path does not match either (analytics, CDNs, third parties in a browser HAR).
 * - Failed exchanges (HAR `_error`, status 0) are left out of both lists and returned as `failed`.
 */
import { Router, bestByFragment, type FragmentRequest } from '../../templates/runtime/core/router';
import type { Contract, Exchange, JsonSchema, MatchedExchange, Operation } from '../model/types';
import { asGetExchange, isRpcStyle } from '../derive/rpc-methods';
import { parseBody } from './parse-body';
import { defName } from '../../templates/runtime/core/pointer';

export type UnmatchedReason = 'path' | 'method' | 'host';

export interface MatchResult {
  matched: MatchedExchange[];
  unmatched: { exchange: Exchange; reason: UnmatchedReason }[];
  /** exchanges that got no response (`failed`): not matched, not counted as outside the contract */
  failed: Exchange[];
}

export type OperationLookup =
  { op: Operation; pathParams: Record<string, string>; template: string } | { reason: UnmatchedReason };

/** Matches exchanges in order; `matched` keeps the order of `recordings.exchanges`. */
export function matchExchanges(contract: Contract, recordings: { exchanges: Exchange[] }): MatchResult {
  const lookup = createOperationMatcher(contract);
  const flatNamesByOp = new Map<string, ReadonlySet<string>>();
  const result: MatchResult = { matched: [], unmatched: [], failed: [] };
  const rpcStyle = isRpcStyle(contract);
  for (const recorded of recordings.exchanges) {
    if (recorded.failed) {
      result.failed.push(recorded);
      continue;
    }
    let exchange = recorded;
    let found = lookup(
      exchange.request.method,
      exchange.request.path,
      exchange.request.host,
      fragmentRequest(exchange),
    );
    if ('reason' in found && found.reason === 'method' && rpcStyle) {
      // an RPC method's form POST is its GET, as the mock serves it
      const asGet = asGetExchange(exchange);
      const viaGet = asGet && lookup('GET', asGet.request.path, asGet.request.host);
      if (asGet && viaGet && !('reason' in viaGet)) [exchange, found] = [asGet, viaGet];
    }
    if ('reason' in found) {
      result.unmatched.push({ exchange, reason: found.reason });
      continue;
    }
    let flatNames = flatNamesByOp.get(found.op.id);
    if (!flatNames) flatNamesByOp.set(found.op.id, (flatNames = formFlatNames(found.op, contract)));
    const matched: MatchedExchange = { exchange, op: found.op, pathParams: found.pathParams };
    const requestBody = parseBody(exchange.request.body, flatNames);
    if (requestBody !== undefined) matched.requestBody = requestBody;
    const responseBody = parseBody(exchange.response.body);
    if (responseBody !== undefined) matched.responseBody = responseBody;
    result.matched.push(matched);
  }
  return result;
}

/** The query and headers of an exchange, for `#fragment` hints (see `fragmentHint`). */
export function fragmentRequest(exchange: Exchange): FragmentRequest {
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of exchange.request.headers) (headers[name.toLowerCase()] ??= []).push(value);
  return { query: exchange.request.query, headers };
}

/**
 * A reusable matcher: `(method, path, host?, request?) → operation + decoded path parameters`, or why
 * not. `path` is the raw request path (percent-encoded, no query); `host` is `hostname[:port]`;
 * `request` (query and headers) chooses among operations sharing the method and path by their
 * `#fragment` (AWS `/#Action=A`, `/#Action=B`).
 */
export function createOperationMatcher(
  contract: Contract,
): (method: string, path: string, host?: string, request?: FragmentRequest) => OperationLookup {
  const router = new Router<Operation>();
  for (const op of contract.operations) router.add(op.method, op.path, op);
  const basePaths = documentedBasePaths(contract);
  const hosts = documentedHosts(contract);

  return (method, path, host, request) => {
    const lower = method.toLowerCase();
    let methodMismatch = false;
    for (const candidate of candidatePaths(path, basePaths)) {
      const match = router.match(candidate, lower);
      if (!match) continue;
      const op = match.methods.get(lower);
      if (op) {
        const alternatives = request && router.alternatives(lower, match);
        if (request && alternatives) {
          const best = bestByFragment(alternatives, request);
          return { op: best.value, pathParams: best.params, template: best.template };
        }
        return { op, pathParams: match.params, template: match.template };
      }
      methodMismatch = true;
    }
    const foreignHost =
      hosts !== undefined && host !== undefined && host !== '' && !isDocumentedHost(host, hosts);
    if (foreignHost) return { reason: 'host' };
    return { reason: methodMismatch ? 'method' : 'path' };
  };
}

/** Paths to try, best first: base path stripped (longest base path first), as recorded, without a trailing `/`. */
function candidatePaths(path: string, basePaths: string[]): string[] {
  const out: string[] = [];
  const add = (p: string): void => {
    if (!out.includes(p)) out.push(p);
  };
  for (const base of basePaths) {
    if (path === base || path === `${base}/`) add('/');
    else if (path.startsWith(`${base}/`)) add(path.slice(base.length));
  }
  add(path === '' ? '/' : path);
  for (const p of [...out]) {
    if (p.length > 1 && p.endsWith('/')) add(p.replace(/\/+$/, '') || '/');
  }
  return out;
}

/** Base paths without trailing slash, longest first; `''` (root) is implied and not listed. */
export function documentedBasePaths(contract: Contract): string[] {
  const paths = new Set<string>();
  const add = (p: string): void => {
    const trimmed = p.replace(/\/+$/, '');
    if (trimmed !== '') paths.add(trimmed.startsWith('/') ? trimmed : `/${trimmed}`);
  };
  add(contract.basePath);
  for (const server of contract.servers) {
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(server);
    if (absolute) add(absolute[1]);
    else if (server.startsWith('/')) add(server.split(/[?#]/)[0]);
    else if (server !== '' && server !== '.' && !server.includes(':'))
      add(server.replace(/^\.\//, '').split(/[?#]/)[0]);
  }
  return [...paths].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Host names of the servers when every server URL is absolute; `undefined` when any host is fine. */
function documentedHosts(contract: Contract): Set<string> | undefined {
  if (contract.servers.length === 0) return undefined;
  const hosts = new Set<string>();
  for (const server of contract.servers) {
    const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(server);
    if (!m) return undefined;
    hosts.add(hostname(m[1]));
  }
  return hosts;
}

function hostname(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}

function isDocumentedHost(host: string, hosts: Set<string>): boolean {
  const name = hostname(host);
  if (hosts.has(name)) return true;
  // servers written with a template default such as `{tenant}.example.com` substituted oddly, or `*.`
  for (const documented of hosts) {
    if (documented.includes('{') || documented.startsWith('*.')) {
      const suffix = documented.slice(documented.indexOf('.'));
      if (suffix.length > 1 && name.endsWith(suffix)) return true;
    }
  }
  return false;
}

/**
 * Form field names that contain brackets but are documented as plain properties of the form schema
 * (`metadata[plan]` as one property): kept flat instead of nested, as the runtime does.
 */
export function formFlatNames(op: Operation, contract: Contract): ReadonlySet<string> {
  const names = new Set<string>();
  for (const media of op.requestBody?.content ?? []) {
    if (media.mediaType !== 'application/x-www-form-urlencoded' && media.mediaType !== 'multipart/form-data')
      continue;
    for (const name of propertyNames(media.schema, contract, 0)) if (name.includes('[')) names.add(name);
  }
  return names;
}

function propertyNames(schema: JsonSchema | undefined, contract: Contract, depth: number): string[] {
  if (!schema || typeof schema !== 'object' || depth > 8) return [];
  const out: string[] = [];
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    out.push(...propertyNames(contract.schemas[defName(ref) ?? ''], contract, depth + 1));
  }
  const properties = schema.properties;
  if (properties && typeof properties === 'object') out.push(...Object.keys(properties));
  for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[keyword];
    if (Array.isArray(list))
      for (const sub of list) out.push(...propertyNames(sub as JsonSchema, contract, depth + 1));
  }
  return out;
}
