/**
 * Values seen in recorded responses, learnt per schema property, so generated data looks like
 * production (`#/$defs/<name>/<property>` and bare `<property>` keys, see `ValuePools`).
 *
 * Also home of the small "walk a value alongside its schema" helpers that dynamic.ts and
 * resources.ts share: `$ref` following, `allOf` merging and best-fit `oneOf`/`anyOf` branches.
 */
import { isJsonOrAnyMediaType } from '../../templates/runtime/core/media-types';
import type {
  Contract,
  JsonSchema,
  MatchedExchange,
  MediaTypeSpec,
  Operation,
  ValuePools,
} from '../model/types';
import { isRecord } from '../../templates/runtime/core/json';
import { isJwt } from '../../templates/runtime/core/jwt';
import { isRequestIdName, isSecretName, isTokenName } from '../../templates/runtime/core/names';
import { DEFS_PREFIX } from '../../templates/runtime/core/pointer';
import { itemSchema, propertySchema, viewSchema } from '../../templates/runtime/core/schema';

/** distinct values kept per key */
export const POOL_CAP = 50;
/** longer strings are prose or blobs, not values worth replaying into generated data */
const MAX_POOLED_STRING = 500;
const MAX_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Documented response schemas

/** The documented response media for a recorded status and media type: exact code, then `2XX`, then `default`. */
export function responseMedia(op: Operation, status: number, mediaType: string): MediaTypeSpec | undefined {
  const code = String(status);
  const range = `${code[0]}XX`;
  const response =
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === range) ??
    op.responses.find((r) => r.status === 'default');
  if (!response) return undefined;
  return pickMedia(response.content, mediaType);
}

export function pickMedia(content: MediaTypeSpec[], mediaType: string): MediaTypeSpec | undefined {
  return (
    content.find((c) => c.mediaType === mediaType) ??
    content.find((c) => isJsonOrAnyMediaType(c.mediaType) && c.mediaType !== '*/*') ??
    content.find((c) => c.mediaType === '*/*') ??
    content[0]
  );
}

/** Schema documented for the response of a matched exchange (undefined when none). */
export function responseSchemaOf(m: MatchedExchange): JsonSchema | undefined {
  const body = m.exchange.response.body;
  return responseMedia(m.op, m.exchange.response.status, body?.mimeType ?? '')?.schema;
}

// ---------------------------------------------------------------------------------------------
// Value pools

/**
 * Learns value pools from recorded JSON response bodies, walked alongside their documented schema.
 * Strings and numbers are kept (distinct, first seen first, at most `POOL_CAP` per key); secrets,
 * tokens, JWTs and per-response ids are not. Keys are sorted.
 */
export function learnValuePools(contract: Contract, matched: MatchedExchange[]): ValuePools {
  const pools = new Map<string, { values: unknown[]; seen: Set<string> }>();
  const add = (key: string, value: unknown): void => {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { values: [], seen: new Set() }));
    if (pool.values.length >= POOL_CAP) return;
    const id = typeof value === 'string' ? `s${value}` : `n${String(value)}`;
    if (pool.seen.has(id)) return;
    pool.seen.add(id);
    pool.values.push(value);
  };

  const walk = (value: unknown, schema: JsonSchema | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const view = viewSchema(schema, contract.schemas, value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isRecord(item) || Array.isArray(item)) walk(item, itemSchema(view, i), depth + 1);
      });
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = propertySchema(view, key);
      if (isRecord(child) || Array.isArray(child)) {
        walk(child, childSchema, depth + 1);
        continue;
      }
      if (!poolable(key, child)) continue;
      const owners = new Set<string>();
      if (view.names.length > 0) owners.add(view.names[0]);
      const declaredIn = view.properties.get(key)?.declaredIn;
      if (declaredIn !== undefined) owners.add(declaredIn);
      for (const owner of owners) add(`${DEFS_PREFIX}${owner}/${key}`, child);
      add(key, child);
    }
  };

  for (const m of matched) {
    const body = m.responseBody;
    if (!isRecord(body) && !Array.isArray(body)) continue;
    if (m.exchange.failed) continue;
    walk(body, responseSchemaOf(m), 0);
  }

  const out: ValuePools = {};
  for (const key of [...pools.keys()].sort()) out[key] = pools.get(key)!.values;
  return out;
}

function poolable(key: string, value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !isTokenName(key) && !isSecretName(key);
  if (typeof value !== 'string') return false;
  if (value.length === 0 || value.length > MAX_POOLED_STRING) return false;
  if (isTokenName(key) || isSecretName(key) || isRequestIdName(key)) return false;
  if (isJwt(value)) return false;
  if (/^(?:bearer|basic)\s/i.test(value)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Small shared helpers
