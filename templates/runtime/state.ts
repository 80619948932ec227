/**
 * Stateful resources: operations bound to a `ResourceSpec` (create/read/list/update/replace/delete)
 * work on a per-session store that starts with the recorded seed resources, so a client that
 * creates an order can read it back, list it, change it and delete it.
 *
 * Replay and state together: when the pipeline chose a recorded response for the request it passes
 * it as `recorded`; the store absorbs it (a recorded create inserts the created resource, a recorded
 * delete removes it...) and the recording is answered (undefined is returned). Once the mock itself
 * has changed a resource (a create, update or delete answered from the store), the store is the
 * truth for it: a recorded read or list would show stale data, so the store's answer is returned
 * instead of undefined.
 *
 * This module picks the operation for the request's role; the operations themselves, pure
 * functions of a collection and the request, are in resources/ (see resources/README.md).
 */
import type { MockRequest, MockResponse } from './core/context';
import type { ResourceStore, SessionState } from './session';
import { hasTemplates } from './templating';
import type { Defs, Manifest, OperationData } from './core/types';
import { absorb } from './resources/absorb';
import { findSpec, parentKey } from './resources/collection';
import { resourceStore } from './resources/seed';
import type { Ctx } from './resources/context';
import { create } from './resources/create';
import { remove } from './resources/delete';
import { list } from './resources/list';
import { materialize, read } from './resources/read';
import { replace, update } from './resources/update';

export { resourceSnapshot, resourceStore } from './resources/seed';
export { unflattenForm } from './resources/input';
export { applyJsonPatch } from './resources/patch';

/**
 * Answers a request to an operation bound to a stateful resource from the session's store, or
 * returns undefined (not a resource operation, a body the store cannot use, or a `recorded`
 * response the store has absorbed and that should be sent as it is).
 */
export function handleResourceRequest(
  op: OperationData,
  request: MockRequest,
  session: SessionState,
  manifest: Manifest,
  recorded?: MockResponse,
  defs?: Defs,
): MockResponse | undefined {
  const binding = op.resource;
  if (!binding) return undefined;
  const spec = findSpec(manifest, binding.resource);
  if (!spec) return undefined;
  const ctx: Ctx = {
    op,
    request,
    manifest,
    spec,
    store: resourceStore(session, spec, manifest),
    parent: parentKey(spec, request),
    id: request.pathParams[spec.idParam],
    defs,
  };
  if (recorded) return absorb(ctx, recorded);
  if (binding.role === 'update' || binding.role === 'delete') materialize(ctx);
  if (binding.role === 'replace' && !op.responses.some((r) => r.status === '201')) materialize(ctx);
  switch (binding.role) {
    case 'create':
      return create(ctx);
    case 'read':
      return read(ctx);
    case 'list':
      return list(ctx);
    case 'update':
      return update(ctx);
    case 'replace':
      return replace(ctx);
    case 'delete':
      return remove(ctx);
    default:
      return undefined;
  }
}

/** A cached answer, valid while its store keeps the version it was built from. */
export interface ListCacheSlot<T> {
  get(): T | undefined;
  set(answer: T): void;
}

interface ListCache {
  version: number;
  answers: Map<string, unknown>;
}

const listCaches = new WeakMap<ResourceStore, ListCache>();
/** distinct list requests (URLs) remembered per store and version */
const LIST_CACHE_LIMIT = 64;

/**
 * Where the answer to a list request of a stateful resource may be cached (what the handler sends:
 * conformed and serialised), or undefined when it may not. A list answer is a function of the
 * operation, the request URL (parent path parameters, filters, paging; also the seed of a repair)
 * and the store's contents, so it is reused until the store changes (`ResourceStore.version`).
 * Not cached: requests with a body, and list envelopes with templates rendered per request.
 * Only for requests answered from the store (no recorded response chosen for them).
 */
export function listCacheSlot<T>(
  op: OperationData,
  request: MockRequest,
  session: SessionState,
  manifest: Manifest,
): ListCacheSlot<T> | undefined {
  const binding = op.resource;
  if (binding?.role !== 'list' || request.rawBody.length > 0) return undefined;
  const spec = findSpec(manifest, binding.resource);
  if (!spec || (spec.listEnvelope && hasTemplates(spec.listEnvelope.template))) return undefined;
  const store = resourceStore(session, spec, manifest);
  const method = request.method === 'HEAD' ? 'GET' : request.method; // a HEAD answers as its GET
  const key = `${op.id}\u0000${method}\u0000${request.url}`;
  const version = store.version;
  return {
    get: () => {
      const cache = listCaches.get(store);
      return cache && cache.version === version ? (cache.answers.get(key) as T | undefined) : undefined;
    },
    set: (answer) => {
      let cache = listCaches.get(store);
      if (!cache || cache.version !== version) {
        cache = { version, answers: new Map() };
        listCaches.set(store, cache);
      }
      if (cache.answers.size >= LIST_CACHE_LIMIT) cache.answers.clear();
      cache.answers.set(key, answer);
    },
  };
}
