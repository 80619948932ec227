/** The collections of a session: created on first use, seeded with copies of the recorded resources; their snapshot. */
import type { MockRequest } from '../core/context';
import type { ResourceStore, SessionState } from '../session';
import type { Manifest, ResourceSpec } from '../core/types';
import { hasTemplates, render } from '../templating';
import { SEED_PARENT, idOf, putItem } from './collection';
import { newId, typedId } from './ids';
import { clone, isRecord } from './json';

/** A seed resource as a session starts with it: its timestamps (`now` templates) rendered at this moment. */
export function seedValue(seed: unknown, manifest: Manifest): unknown {
  // seeds hold `now` templates only, which read no request
  return hasTemplates(seed) ? render(seed, {} as MockRequest, manifest) : clone(seed);
}

/** The store of `spec` in `session`, seeded with deep copies of the recorded resources on first use. */
export function resourceStore(session: SessionState, spec: ResourceSpec, manifest: Manifest): ResourceStore {
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
      const value = seedValue(seed, manifest);
      if (!isRecord(value)) continue;
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
    for (const byId of resourceStore(session, spec, manifest).items.values())
      for (const item of byId.values()) values.push(clone(item.value));
    out[spec.name] = values;
  }
  return out;
}
