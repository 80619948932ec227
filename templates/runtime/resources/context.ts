/** What a resource operation works on: the request, its operation, and the collection (`Ctx`). */
import type { MockRequest } from '../core/context';
import type { ResourceStore } from '../session';
import type { Defs, Manifest, OperationData, ResourceSpec } from '../core/types';

export interface Ctx {
  op: OperationData;
  request: MockRequest;
  manifest: Manifest;
  /** the resource the operation is bound to */
  spec: ResourceSpec;
  /** its collection in the request's session */
  store: ResourceStore;
  /** the collection path's parameter values (`parentKey`) */
  parent: string;
  /** the item path's id parameter, when the path has one */
  id: string | undefined;
  /** for not-found bodies shaped by the error schema */
  defs?: Defs;
}
