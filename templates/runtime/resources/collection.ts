/** One collection: the stored resources of one `ResourceSpec` in one session, and the operations on it (put, add, find, remove, replace; parent paths). */
import type { MockRequest } from '../core/context';
import type { ResourceStore, StoredResource } from '../session';
import type { Manifest, ResourceSpec } from '../core/types';
import { isRecord, type Json } from './json';

const specCache = new WeakMap<Manifest, Map<string, ResourceSpec>>();

export function findSpec(manifest: Manifest, name: string): ResourceSpec | undefined {
  let byName = specCache.get(manifest);
  if (!byName) {
    byName = new Map(manifest.resources.map((spec) => [spec.name, spec]));
    specCache.set(manifest, byName);
  }
  return byName.get(name);
}

export const SEED_PARENT = '*';

export function idOf(value: unknown, spec: ResourceSpec): string | undefined {
  if (!isRecord(value)) return undefined;
  const id = value[spec.idField];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function putItem(store: ResourceStore, item: StoredResource): void {
  const existing = findItem(store, item.parent, item.id);
  if (existing) {
    store.version++;
    existing.value = item.value;
    return;
  }
  addItem(store, item);
}

/** Stores a resource whose id the store does not hold yet. */
export function addItem(store: ResourceStore, item: StoredResource): void {
  store.version++;
  let byId = store.items.get(item.parent);
  if (!byId) store.items.set(item.parent, (byId = new Map()));
  byId.set(item.id, item);
  const numeric = Number(item.id);
  if (Number.isSafeInteger(numeric) && numeric >= store.nextInt) store.nextInt = numeric + 1;
  if (item.created === true && store.live !== undefined) {
    (store.createdOrder ??= []).push([item.parent, item.id]);
    if (++store.live > (store.limit ?? Infinity)) evictOldestCreated(store);
  }
}

/** Drops the oldest resource the mock created that is still stored (a queue: O(1) per create). */
function evictOldestCreated(store: ResourceStore): void {
  const order = store.createdOrder!;
  let head = store.createdHead ?? 0;
  while (head < order.length) {
    const [parent, id] = order[head++];
    const byId = store.items.get(parent);
    if (byId?.get(id)?.created !== true) continue; // deleted or replaced since
    byId.delete(id);
    store.live!--;
    store.evicted = (store.evicted ?? 0) + 1;
    break;
  }
  // compact now and then so the queue does not keep every id ever created
  if (head > 1024 && head * 2 > order.length) {
    order.splice(0, head);
    head = 0;
  }
  store.createdHead = head;
}

export function findItem(store: ResourceStore, parent: string, id: string): StoredResource | undefined {
  return store.items.get(parent)?.get(id) ?? store.items.get(SEED_PARENT)?.get(id);
}

/** Whether the mock itself changed the resource `id` (created, updated, replaced or deleted it). */
export function isDiverged(store: ResourceStore, parent: string, id: string): boolean {
  return store.diverged.has(id) || findItem(store, parent, id)?.created === true;
}

export function removeItem(store: ResourceStore, parent: string, id: string): boolean {
  const item = findItem(store, parent, id);
  const removed = !!(store.items.get(parent)?.delete(id) || store.items.get(SEED_PARENT)?.delete(id));
  if (removed) {
    store.version++;
    if (item?.created === true && store.live) store.live--;
  }
  return removed;
}

/** Replaces a stored resource's value (stored values are never changed in place). */
export function replaceValue(store: ResourceStore, item: StoredResource, value: Json): void {
  item.value = value;
  store.version++;
}

/** Parameter names of path templates (a few per contract, parsed once). */
const templateParamCache = new Map<string, readonly string[]>();

export function templateParams(template: string): readonly string[] {
  let names = templateParamCache.get(template);
  if (!names) {
    names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    if (templateParamCache.size < 10_000) templateParamCache.set(template, names);
  }
  return names;
}

/** Values of the collection path's parameters (`/users/{userId}/orders` → `["42"]`). */
export function parentKey(spec: ResourceSpec, request: MockRequest): string {
  const names = templateParams(spec.collectionPath);
  if (names.length === 0) return '[]';
  return JSON.stringify(names.map((name) => request.pathParams[name] ?? ''));
}
