/**
 * The latency stage: the explanation header when asked for (`X-Mockgen-Explain`), then the answer
 * is written after a delay sampled from the operation's recorded timings (latency.ts).
 */
import { latencyMs } from '../latency';
import { explainMiss } from '../replay';
import { safeHeaderValue, toWire, type BuiltResponse } from '../respond';
import type { Exchange, Pipeline } from './context';
import { finish } from './write';

export function deliver(p: Pipeline, x: Exchange, response: BuiltResponse): void {
  const op = x.op!;
  let wire = response.wire ?? toWire(response);
  if (x.req.headers['x-mockgen-explain'] !== undefined) {
    // debugging aid: where the answer came from and how the request compared with the recordings
    const explanation = `${x.stretch === undefined ? '' : `match=${x.stretch}; `}${x.accepted === undefined ? '' : `accepted as the service did=${x.accepted}; `}source=${wire.source}${x.tunnelled ? ' (POST served as GET: RPC method)' : ''}; ${explainMiss(op, x.request!)}`;
    wire = { ...wire, headers: [...wire.headers, 'x-mockgen-explain', safeHeaderValue(explanation)] };
  }
  const wait = latencyMs(op, p.manifest, p.latencyEnv);
  if (wait > 0) setTimeout(() => finish(p, x, wire), wait);
  else finish(p, x, wire);
}
