/** The collections of a session: created on first use, seeded with copies of the recorded resources; their snapshot. */
import type { ResourceStore, SessionState } from '../session';
import type { Manifest, ResourceSpec } from '../core/types';
import { SEED_PARENT, idOf, putItem } from './collection';
import { newId, typedId } from './ids';
import { clone, isRecord } from './json';

/** The store of `spec` in `session`, seeded with deep copies of the recorded resources on first use. */
export function resourceStore(session: SessionState, spec: ResourceSpec): ResourceStore {
  let store = session.resources.get(spec.name);
  if (!store) {
    store = {
      items: new Map(),
      nextInt: spec.idFormat.next ?? 1,
      diverged: new Set(),
      created: 0,
      version: 0,
      live: 0,
      limit: session.resourceLimit,
      evicted: 0,
    };
    // seed resources come first in every list
    store.items.set(SEED_PARENT, new Map());
    for (const seed of spec.seed) {
      if (!isRecord(seed)) continue;
      const value = clone(seed);
      let id = idOf(value, spec);
      if (id === undefined) {
        id = newId(spec, store, undefined);
        value[spec.idField] = typedId(spec, id, undefined);
      }
      putItem(store, { id, parent: SEED_PARENT, value });
    }
    session.resources.set(spec.name, store);
  }
  return store;
}

/** Every resource of the session's stores, by resource name, in list order (for the admin API). */
export function resourceSnapshot(session: SessionState, manifest: Manifest): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const spec of manifest.resources) {
    const values: unknown[] = [];
    for (const byId of resourceStore(session, spec).items.values())
      for (const item of byId.values()) values.push(clone(item.value));
    out[spec.name] = values;
  }
  return out;
}
