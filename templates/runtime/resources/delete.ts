/** Delete: the resource is gone (404 from then on); the documented answer says so. */
import type { MockResponse } from '../core/context';
import { stateResponse } from '../respond';
import { render } from '../templating';
import { documented2xx, firstExample, jsonMedia, notFound, statusOf } from './answers';
import { findItem, removeItem } from './collection';
import type { Ctx } from './context';
import { clone, isRecord } from './json';

export function remove(ctx: Ctx): MockResponse {
  const found = ctx.id === undefined ? undefined : findItem(ctx.store, ctx.parent, ctx.id);
  if (!found || ctx.id === undefined)
    return notFound(ctx.op, ctx.request, ctx.manifest, ctx.spec, ctx.id ?? '', ctx.defs);
  removeItem(ctx.store, ctx.parent, ctx.id);
  ctx.store.diverged.add(ctx.id);
  const documented = documented2xx(ctx.op, [204, 200, 202]);
  const status = statusOf(documented, 204);
  const media = jsonMedia(documented);
  if (status === 204 || !media) return stateResponse(status, undefined, undefined);
  const example = firstExample(documented);
  if (example === undefined) return stateResponse(status, clone(found.value), media);
  const body = render(example, ctx.request, ctx.manifest);
  if (isRecord(body)) {
    if (ctx.spec.idField in body) body[ctx.spec.idField] = found.value[ctx.spec.idField];
    // a deletion status (`{id, deleted: true}`): generated examples may say false
    for (const key of Object.keys(body)) if (DELETED_FLAGS.test(key) && body[key] === false) body[key] = true;
  }
  return stateResponse(status, body, media);
}

/** Boolean fields of a delete response that say the deletion happened. */
const DELETED_FLAGS = /^(deleted|is_?deleted|success|succeeded|ok|acknowledged)$/i;
