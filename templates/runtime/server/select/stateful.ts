/**
 * A stateful resource (state.ts): create, read, list, update, replace, delete on the session's
 * collection. An unchanged list is answered with the bytes sent last time (already conformed).
 */
import { conformBody, inContractWords } from '../../conform';
import type { MockResponse } from '../../core/context';
import { reusableWire, toWire, type BuiltResponse, type WireResponse } from '../../respond';
import { handleResourceRequest, listCacheSlot } from '../../state';
import type { Exchange, Pipeline } from '../context';
import type { SelectionRule } from './rule';

export const stateful: SelectionRule = {
  name: 'stateful',
  applies: (x) => x.op!.resource !== undefined,
  session: true,
  answer: (p, x) => {
    const op = x.op!;
    const request = x.request!;
    const listSlot = listCacheSlot<WireResponse>(op, request, x.state!, p.manifest);
    const listed = listSlot?.get();
    if (listed) return { status: listed.status, headers: {}, source: listed.source, wire: listed };
    const stored = handleResourceRequest(op, request, x.state!, p.manifest, undefined, p.defs());
    if (!stored) return undefined;
    const conformed = inContract(p, x, stored);
    if (!listSlot) return conformed;
    const wire = reusableWire(toWire(conformed));
    listSlot.set(wire);
    return { ...conformed, wire };
  },
};

/** The store's answer in the contract's words and conforming to its schema (conform.ts). */
export function inContract(p: Pipeline, x: Exchange, stored: MockResponse): BuiltResponse {
  const defs = p.defs();
  const seed = x.seed!;
  return conformBody(x.op!, inContractWords(stored, p.manifest, defs, seed), defs, seed);
}
