/**
 * A matching recorded exchange (replay.ts: best-scoring recording, next response of its sequence in
 * this session). For a stateful resource the store absorbs it (a recorded create inserts the
 * resource...) and answers instead where it knows better (the mock itself changed the resource).
 * An operation with neither a resource nor a recorded sequence (every recording one response) reads
 * no state: with a network store it needs no round trip and is served while the store is down.
 */
import { findRecordedResponse } from '../../replay';
import type { OperationData } from '../../core/types';
import type { SessionState } from '../../session';
import { handleResourceRequest } from '../../state';
import type { SelectionRule } from './rule';
import { inContract } from './stateful';

const readsState = new WeakMap<OperationData, boolean>();

function needsSession(op: OperationData): boolean {
  let needs = readsState.get(op);
  if (needs === undefined) {
    needs = op.resource !== undefined || op.recordings.some((r) => r.responses.length > 1);
    readsState.set(op, needs);
  }
  return needs;
}

/**
 * The session of requests that need none: positions in one-response recordings are kept here
 * (bounded by the operations' recordings) and never change what is answered.
 */
const STATELESS: SessionState = { name: '', resources: new Map(), sequences: new Map(), createdAt: 0 };

export const recorded: SelectionRule = {
  name: 'recorded',
  applies: (x) => x.op!.recordings.length > 0,
  session: (x) => needsSession(x.op!),
  answer: (p, x) => {
    const op = x.op!;
    const request = x.request!;
    const state = x.state ?? STATELESS;
    const replayed = findRecordedResponse(op, request, state, p.manifest);
    if (!replayed) return undefined;
    if (x.state === undefined) return replayed;
    const stored = handleResourceRequest(op, request, state, p.manifest, replayed, p.defs());
    return stored ? inContract(p, x, stored) : replayed;
  },
};
