/** List: one page of the collection. */
import type { MockResponse } from '../core/context';
import { stateResponse } from '../respond';
import { documented2xx, jsonMedia, statusOf } from './answers';
import type { Ctx } from './context';
import { listBody } from './paging';

export function list(ctx: Ctx): MockResponse {
  const documented = documented2xx(ctx.op, [200]);
  const body = listBody(ctx.spec, ctx.request, ctx.manifest, ctx.store);
  return stateResponse(
    statusOf(documented, 200),
    body,
    documented ? jsonMedia(documented) : 'application/json',
  );
}
