/**
 * A session (`SessionState`: Maps and Sets of plain JSON data) as one JSON text and back, for a
 * store that keeps sessions outside the process (redis-store.ts). `encodeSession(decodeSession(t))`
 * is `t`: a store compares the two texts to tell whether a request changed the session.
 */
import type { ResourceStore, SessionState, StoredResource } from '../session';

interface EncodedStore {
  items: [string, [string, Record<string, unknown>, 1 | 0][]][];
  nextInt: number;
  version: number;
  diverged: string[];
  created: number;
  live?: number;
  limit?: number;
  evicted?: number;
  /** the eviction queue from its head on */
  order?: [string, string][];
}

interface EncodedSession {
  name: string;
  createdAt: number;
  resourceLimit?: number;
  sequences: [string, number][];
  resources: [string, EncodedStore][];
}

export function encodeSession(session: SessionState): string {
  const encoded: EncodedSession = {
    name: session.name,
    createdAt: session.createdAt,
    resourceLimit: session.resourceLimit,
    sequences: [...session.sequences],
    resources: [...session.resources].map(([name, store]) => [name, encodeStore(store)]),
  };
  return JSON.stringify(encoded);
}

function encodeStore(store: ResourceStore): EncodedStore {
  return {
    items: [...store.items].map(([parent, byId]) => [
      parent,
      [...byId.values()].map((item) => [item.id, item.value, item.created === true ? 1 : 0]),
    ]),
    nextInt: store.nextInt,
    version: store.version,
    diverged: [...store.diverged],
    created: store.created,
    live: store.live,
    limit: store.limit,
    evicted: store.evicted,
    order: store.createdOrder?.slice(store.createdHead ?? 0),
  };
}

/** The session a text of `encodeSession` describes; throws on a text it did not write. */
export function decodeSession(text: string): SessionState {
  const encoded = JSON.parse(text) as EncodedSession;
  return {
    name: encoded.name,
    createdAt: encoded.createdAt,
    resourceLimit: encoded.resourceLimit,
    sequences: new Map(encoded.sequences),
    resources: new Map(encoded.resources.map(([name, store]) => [name, decodeStore(store)])),
  };
}

function decodeStore(encoded: EncodedStore): ResourceStore {
  const items = new Map<string, Map<string, StoredResource>>();
  for (const [parent, entries] of encoded.items) {
    const byId = new Map<string, StoredResource>();
    for (const [id, value, created] of entries) {
      const item: StoredResource = { id, parent, value };
      if (created === 1) item.created = true;
      byId.set(id, item);
    }
    items.set(parent, byId);
  }
  const store: ResourceStore = {
    items,
    nextInt: encoded.nextInt,
    version: encoded.version,
    diverged: new Set(encoded.diverged),
    created: encoded.created,
    live: encoded.live,
    limit: encoded.limit,
    evicted: encoded.evicted,
  };
  if (encoded.order !== undefined) {
    store.createdOrder = encoded.order;
    store.createdHead = 0;
  }
  return store;
}
