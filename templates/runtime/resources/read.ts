/** Read: the stored resource, or (`unknownIds: 'example'`) the documented example carrying an id never held. */
import type { MockResponse } from '../core/context';
import { documented2xx, itemResponse, notFound } from './answers';
import { findItem, putItem } from './collection';
import type { Ctx } from './context';
import { baseShape } from './create';
import { typedId } from './ids';
import { clone, type Json } from './json';

export function read(ctx: Ctx): MockResponse {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (found) return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, found.value);
  const virtual = virtualItem(ctx);
  if (virtual) return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, virtual);
  return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
}

/**
 * With `unknownIds: 'example'`, an id never held and never deleted in this session is the documented
 * example carrying that id (Prism-like); it joins the store only once the client changes it.
 */
function virtualItem(ctx: Ctx): Json | undefined {
  if (ctx.spec.unknownIds !== 'example' || ctx.id === undefined || ctx.store.diverged.has(ctx.id))
    return undefined;
  const value = clone(baseShape(ctx));
  const documented = value[ctx.spec.idField];
  const id = typedId(ctx.spec, ctx.id, documented);
  // an id the field cannot hold (`abc` for an integer id) leaves the example's own (corpus: ecwid)
  if (typeof documented !== 'number' || typeof id === 'number') value[ctx.spec.idField] = id;
  return value;
}

/** Puts the virtual item for `ctx.id` into the store, so an update or delete of it behaves as for a stored one. */
export function materialize(ctx: Ctx): void {
  if (ctx.id === undefined || findItem(ctx.store, ctx.parent, ctx.id)) return;
  const value = virtualItem(ctx);
  if (value) putItem(ctx.store, { id: ctx.id, parent: ctx.parent, value });
}
