/** A recorded response absorbed into the collection (replay and state together), or the store's answer where it knows better. */
import type { MockResponse } from '../core/context';
import { unwrapItem } from './answers';
import { idOf, isDiverged, putItem, removeItem } from './collection';
import type { Ctx } from './context';
import { clone, isRecord, type Json } from './json';
import { list } from './list';
import { recordedListItems } from './paging';
import { read } from './read';
import { replace, update } from './update';

/** Brings the store in line with a recorded response; returns the store's answer where it knows better. */
export function absorb(ctx: Ctx, recorded: MockResponse): MockResponse | undefined {
  const ok = recorded.status >= 200 && recorded.status < 300;
  // an envelope answer (`{"data": {...}}`) carries the item in its member
  const body = ok ? unwrapItem(ctx.op, recorded.body) : recorded.body;
  const { spec, store } = ctx;
  switch (ctx.op.resource?.role) {
    case 'create': {
      const id = idOf(body, spec);
      if (ok && id !== undefined) putItem(store, { id, parent: ctx.parent, value: clone(body as Json) });
      return undefined;
    }
    case 'read':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) {
        const answer = read(ctx);
        // the store agrees with a recorded 404/410 (after a delete): send production's own words for it
        return !ok && answer.status === recorded.status ? undefined : answer;
      }
      if (ok && isRecord(body) && ctx.id !== undefined) {
        putItem(store, { id: idOf(body, spec) ?? ctx.id, parent: ctx.parent, value: clone(body) });
      } else if ((recorded.status === 404 || recorded.status === 410) && ctx.id !== undefined) {
        removeItem(store, ctx.parent, ctx.id);
      }
      return undefined;
    case 'list':
      if (store.diverged.size > 0 || store.created > 0) return list(ctx);
      if (ok) {
        for (const item of recordedListItems(spec, body)) {
          const id = idOf(item, spec);
          if (id !== undefined) putItem(store, { id, parent: ctx.parent, value: clone(item as Json) });
        }
      }
      return undefined;
    case 'update':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) return update(ctx);
      if (ok && isRecord(body) && ctx.id !== undefined && idOf(body, spec) === ctx.id) {
        putItem(store, { id: ctx.id, parent: ctx.parent, value: clone(body) });
      }
      return undefined;
    case 'replace':
      if (ctx.id !== undefined && isDiverged(store, ctx.parent, ctx.id)) return replace(ctx);
      if (ok && isRecord(body) && ctx.id !== undefined && idOf(body, spec) === ctx.id) {
        putItem(store, { id: ctx.id, parent: ctx.parent, value: clone(body) });
      }
      return undefined;
    case 'delete':
      if (ok && ctx.id !== undefined) {
        removeItem(store, ctx.parent, ctx.id);
        store.diverged.add(ctx.id);
      }
      return undefined;
    default:
      return undefined;
  }
}
