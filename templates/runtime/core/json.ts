/** JSON values: guards, deep copy, equality and a canonical (key-sorted) text. */

export type JsonObject = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonObject | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or a number or boolean as text (YAML reads `version: 1.0` as a number). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** JSON Schema type name of a value (`integer` for whole numbers). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * A deep copy of JSON data (plain objects and arrays; other values are kept as they are). Unlike
 * structuredClone it builds ordinary fast-mode objects, which JSON.stringify serialises 2-3x faster:
 * stored resources are serialised on every read and list. A `__proto__` key stays an own property.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const copy = cloneJson((value as JsonObject)[key]);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}

/** Structural equality of JSON values (object key order ignored, array order kept). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as JsonObject;
  return ka.every(
    (key) => Object.prototype.hasOwnProperty.call(rb, key) && deepEqual((a as JsonObject)[key], rb[key]),
  );
}

/** JSON with object keys sorted: a canonical key for a value (`undefined` as `null`). */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Nesting deeper than this in a JSON body is refused (a recorded one at generate time, a request's
 * with a 400): every walk over such values (validation, matching, templating, conforming, cloning)
 * recurses, and real APIs stay far below it.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * How deeply the JSON text nests, counted without parsing (iteratively, so any depth is safe);
 * stops counting at `limit + 1`. Brackets inside strings do not count.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Whether JSON text nests deeper than `limit`. Nesting `limit + 1` levels takes more than `limit`
 * characters, so a short body (most request bodies) is answered without scanning it.
 */
export function nestsDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  return text.length > limit && jsonDepth(text, limit) > limit;
}
