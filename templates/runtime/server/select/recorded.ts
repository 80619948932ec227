/**
 * A matching recorded exchange (replay.ts: best-scoring recording, next response of its sequence in
 * this session). For a stateful resource the store absorbs it (a recorded create inserts the
 * resource...) and answers instead where it knows better (the mock itself changed the resource).
 */
import { findRecordedResponse } from '../../replay';
import { handleResourceRequest } from '../../state';
import type { SelectionRule } from './rule';
import { inContract } from './stateful';

export const recorded: SelectionRule = {
  name: 'recorded',
  applies: (x) => x.op!.recordings.length > 0,
  session: true,
  answer: (p, x) => {
    const op = x.op!;
    const request = x.request!;
    const replayed = findRecordedResponse(op, request, x.state!, p.manifest);
    if (!replayed) return undefined;
    const stored = handleResourceRequest(op, request, x.state!, p.manifest, replayed, p.defs());
    return stored ? inContract(p, x, stored) : replayed;
  },
};
