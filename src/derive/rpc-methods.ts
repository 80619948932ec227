/**
 * RPC over HTTP: a contract whose paths are method names (`/chat.postMessage`, `/users.get`) rather
 * than resources. APIs built that way (Slack's Web API, VK's) take a method's arguments as query or
 * form fields under GET and POST alike, and their SDKs POST every call form-encoded, also the
 * methods the contract documents as GET. The mock serves such a POST by the GET (runtime/handler.ts).
 *
 * Recognised conservatively, from the paths alone: at least three, every one static with a single
 * operation and a last segment that is a dotted `namespace.method` name (not a file name such as
 * `users.json`). A REST contract has item paths (`/pets/{id}`) or several methods on one path.
 */
import type { Contract, Exchange } from '../model/types';

const METHOD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** `/statuses/show.json`, `/feed.atom`: a representation of a resource, not a method */
const FILE_EXTENSIONS = new Set([
  'atom',
  'csv',
  'gif',
  'gz',
  'htm',
  'html',
  'ics',
  'jpeg',
  'jpg',
  'js',
  'json',
  'md',
  'pdf',
  'png',
  'rss',
  'svg',
  'tar',
  'txt',
  'xml',
  'yaml',
  'yml',
  'zip',
]);

export function isRpcStyle(contract: Pick<Contract, 'operations'>): boolean {
  const operationsPerPath = new Map<string, number>();
  for (const op of contract.operations) {
    operationsPerPath.set(op.path, (operationsPerPath.get(op.path) ?? 0) + 1);
  }
  if (operationsPerPath.size < 3) return false;
  for (const [path, count] of operationsPerPath) {
    if (count !== 1 || path.includes('{')) return false;
    const last =
      path
        .split('/')
        .filter((segment) => segment !== '')
        .pop() ?? '';
    if (!METHOD_NAME.test(last)) return false;
    if (FILE_EXTENSIONS.has(last.slice(last.lastIndexOf('.') + 1).toLowerCase())) return false;
  }
  return contract.operations.some((op) => op.method === 'get');
}

/**
 * A recorded POST to an RPC method as the GET the mock serves it by (runtime/handler.ts): its form
 * fields appended to the query, no body. Undefined unless it is a POST with a form-encoded or empty body.
 */
export function asGetExchange(exchange: Exchange): Exchange | undefined {
  const { request } = exchange;
  if (request.method.toUpperCase() !== 'POST') return undefined;
  const body = request.body;
  const empty = !body || ((body.text ?? '') === '' && body.base64 === undefined && !body.params?.length);
  if (!empty && body.mimeType !== 'application/x-www-form-urlencoded') return undefined;
  const fields: [string, string][] = empty
    ? []
    : body.params && body.params.length > 0
      ? body.params.map((p) => [p.name, p.value ?? ''])
      : [...new URLSearchParams(body.text ?? '')];
  return {
    ...exchange,
    request: {
      ...request,
      method: 'GET',
      query: [...request.query, ...fields],
      headers: request.headers.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase())),
      body: undefined,
    },
  };
}

const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
