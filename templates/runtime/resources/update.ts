/** Update (PATCH: merge or JSON Patch) and replace (PUT) of a stored resource. */
import type { MockResponse } from '../core/context';
import { stateResponse } from '../respond';
import { documented2xx, itemResponse, notFound } from './answers';
import { findItem, replaceValue } from './collection';
import type { Ctx } from './context';
import { create } from './create';
import { CREATED_FIELDS, UPDATED_FIELDS, nowLike, readOnlyFields, touch } from './fields';
import { inputFields } from './input';
import type { Json } from './json';
import { applyJsonPatch, mergeInto } from './patch';

export function update(ctx: Ctx): MockResponse | undefined {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined)
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  let next: Json | undefined;
  if (Array.isArray(ctx.request.body) && ctx.request.mediaType === 'application/json-patch+json') {
    next = applyJsonPatch(found.value, ctx.request.body);
    if (!next) {
      return stateResponse(
        422,
        {
          type: 'about:blank',
          title: 'Unprocessable Content',
          status: 422,
          detail: 'the JSON Patch cannot be applied',
        },
        'application/problem+json',
      );
    }
  } else {
    const input = inputFields(ctx.request, found.value, ctx);
    if (!input) return undefined;
    for (const field of readOnlyFields(ctx.spec)) delete input[field];
    next = mergeInto(found.value, input, ctx.request.mediaType === 'application/merge-patch+json');
  }
  next[ctx.spec.idField] = found.value[ctx.spec.idField];
  touch(next, UPDATED_FIELDS, Date.now());
  replaceValue(ctx.store, found, next);
  ctx.store.diverged.add(ctx.id);
  return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, next);
}

export function replace(ctx: Ctx): MockResponse | undefined {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined) {
    // PUT creates when the contract documents 201 for it
    if (ctx.id !== undefined && ctx.op.responses.some((r) => r.status === '201')) return create(ctx, ctx.id);
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  }
  const input = inputFields(ctx.request, found.value, ctx);
  if (!input) return undefined;
  const next: Json = { ...input };
  // server-owned fields survive a replace: the id, creation time, read-only properties
  for (const field of readOnlyFields(ctx.spec)) if (field in found.value) next[field] = found.value[field];
  for (const key of Object.keys(found.value)) if (CREATED_FIELDS.has(key)) next[key] = found.value[key];
  if (typeof found.value.object === 'string') next.object = found.value.object;
  next[ctx.spec.idField] = found.value[ctx.spec.idField];
  for (const key of Object.keys(found.value)) {
    if (UPDATED_FIELDS.has(key) && !(key in input)) next[key] = nowLike(found.value[key], Date.now());
  }
  replaceValue(ctx.store, found, next);
  ctx.store.diverged.add(ctx.id);
  return itemResponse(ctx.op, documented2xx(ctx.op, [200]), 200, next);
}
