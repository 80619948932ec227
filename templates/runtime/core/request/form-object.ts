/**
 * Form fields as nested objects: repeated names become arrays; bracket names nest
 * (`a[b]=1` → `{a: {b: '1'}}`, `a[]=1&a[]=2` and `a[0]=1&a[1]=2` → `{a: ['1', '2']}`). The one reading
 * of form names, for urlencoded and multipart bodies alike.
 */

import { MAX_JSON_DEPTH } from '../json';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Bracket steps a form or deepObject name may nest (`a[b][c]`): the JSON body's limit, so every later
 * walk over the value (coercion, validation, the store) is bounded; a deeper name stays one flat name.
 */
export const MAX_NAME_DEPTH = MAX_JSON_DEPTH;

export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/** `flatNames`: field names to keep as they are even when they contain brackets (declared as such). */
export function buildFormObject(
  pairs: [string, unknown][],
  flatNames?: ReadonlySet<string>,
): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of pairs) {
    const path = flatNames?.has(name) ? [name] : splitBracketName(name);
    if (path.some((p) => UNSAFE_KEYS.has(p))) continue;
    const appendToArray = path.length > 1 && path[path.length - 1] === '';
    const keys = appendToArray ? path.slice(0, -1) : path;
    let node: Record<string, unknown> = root;
    for (const key of keys.slice(0, -1)) {
      let child = node[key];
      if (child === null || typeof child !== 'object') {
        child = {};
        node[key] = child;
      } else if (Array.isArray(child)) {
        child = Object.assign({}, child);
        node[key] = child;
      }
      node = child as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    const existing = node[last];
    if (existing === undefined) node[last] = appendToArray ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else node[last] = [existing, value];
  }
  // the top level stays an object even when every field name is a number
  for (const key of Object.keys(root)) root[key] = indexedObjectsToArrays(root[key]);
  return root;
}

/** `a[b][]` → `['a', 'b', '']`; a name that is not a well-formed bracket path stays whole. */
export function splitBracketName(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0 || !name.endsWith(']')) return [name];
  const path = [name.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  re.lastIndex = open;
  let consumed = open;
  let m: RegExpExecArray | null;
  while ((m = re.exec(name)) !== null) {
    if (m.index !== consumed || path.length > MAX_NAME_DEPTH) return [name];
    path.push(m[1]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== name.length || path.length > MAX_NAME_DEPTH) return [name];
  // `[]` only as the last step
  if (path.slice(1, -1).includes('')) return [name];
  return path;
}

/** `{0: a, 1: b}` (from `x[0]=a&x[1]=b`) → `[a, b]`, recursively. */
export function indexedObjectsToArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(indexedObjectsToArrays);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (const key of keys) object[key] = indexedObjectsToArrays(object[key]);
  if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d{0,5})$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => object[String(k)]);
  }
  return object;
}
