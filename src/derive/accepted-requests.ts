/**
 * Contracts lie: a real service often accepts requests its contract calls invalid (a field typed
 * `integer` sent as a string, a query value above the documented maximum, an undocumented content
 * type). A mock that refuses what production accepted breaks the client flow right there, so each
 * operation learns from its recorded 2xx exchanges which violations production tolerates.
 *
 * A tolerance is a violation's kind at a place, not a value (`violationKey`: the JSON Schema keyword
 * and the pointer with array indices as `*`), so requests shaped like the accepted ones, with other
 * values, are accepted too; a violation of another kind or at another place is still refused. The
 * mock answers such requests as valid, notes in its journal what it tolerated, and `mockgen drift`
 * reports the same disagreement as findings on the recorded entries.
 *
 * Responses likewise: what the service's own 2xx answers had that the contract forbids (a title
 * longer than its `maxLength`, a priority outside its `enum`, both sent by the client and stored)
 * is not "repaired" in the bodies the mock's store builds (conform.ts), so a created resource reads
 * back as the client wrote it, as in production.
 */
import { violationKeys } from '../../templates/runtime/core/fake';
import { interpretRequest, violationKey, RequestValidator } from '../../templates/runtime/core/request';
import type { Contract, MatchedExchange } from '../model/types';
import { rawRequestOf } from '../recordings/raw-request';
import { responseSchemaOf } from './value-pools';

/** An unreadable body is not tolerated: the mock could not answer from it anyway. */
const UNTOLERATED = new Set(['json', 'multipart', 'charset']);

/** Operation id → the violation keys its recorded 2xx requests had, sorted (absent: none). */
export function acceptedViolations(contract: Contract, matched: MatchedExchange[]): Map<string, string[]> {
  let validator: RequestValidator | undefined;
  const found = new KeysByOperation();
  for (const m of matched) {
    const { exchange } = m;
    const status = exchange.response.status;
    if (exchange.failed || status < 200 || status > 299) continue;
    // what the traffic format did not record (access logs: bodies, headers) cannot be judged
    if (exchange.unrecorded?.requestBody || exchange.unrecorded?.requestHeaders) continue;
    validator ??= new RequestValidator(contract.schemas);
    const read = interpretRequest(validator, m.op, rawRequestOf(exchange, m.pathParams));
    found.add(m.op.id, read.violations.filter((v) => !UNTOLERATED.has(v.code)).map(violationKey));
  }
  return found.sorted();
}

/** Operation id → the response violation keys (`violationKeys`) of its recorded 2xx JSON answers, sorted. */
export function returnedViolations(contract: Contract, matched: MatchedExchange[]): Map<string, string[]> {
  const found = new KeysByOperation();
  for (const m of matched) {
    const status = m.exchange.response.status;
    if (m.exchange.failed || status < 200 || status > 299 || m.responseBody === undefined) continue;
    const schema = responseSchemaOf(m);
    if (schema === undefined) continue;
    found.add(m.op.id, violationKeys(m.responseBody, schema, contract.schemas, 'response') ?? []);
  }
  return found.sorted();
}

/** Violation keys collected per operation; operations without any are left out. */
class KeysByOperation {
  private readonly keys = new Map<string, Set<string>>();

  add(operationId: string, keys: string[]): void {
    if (keys.length === 0) return;
    let set = this.keys.get(operationId);
    if (!set) this.keys.set(operationId, (set = new Set()));
    for (const key of keys) set.add(key);
  }

  /** Operation id → its keys, sorted (deterministic output). */
  sorted(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, keys] of this.keys) out.set(id, [...keys].sort());
    return out;
  }
}
