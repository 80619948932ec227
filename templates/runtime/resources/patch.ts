/** Changes to a resource: RFC 7396 merge and RFC 6902 JSON Patch. */
import { splitPointer } from '../core/pointer';
import { clone, isRecord, type Json } from './json';

/** RFC 7396 merge (objects deep, arrays replaced); `null` removes a field for merge-patch bodies. */
export function mergeInto(target: Json, patch: Json, nullDeletes: boolean): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue;
    if (value === null && nullDeletes) delete out[key];
    else if (isRecord(value) && isRecord(out[key]))
      out[key] = mergeInto(out[key] as Json, value, nullDeletes);
    else out[key] = clone(value);
  }
  return out;
}

/** RFC 6902 JSON Patch; undefined when an operation cannot be applied. */
export function applyJsonPatch(document: Json, operations: unknown[]): Json | undefined {
  let doc: unknown = clone(document);
  const resolve = (tokens: string[]): { parent: unknown; key: string } | undefined => {
    let node = doc;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isRecord(node)) node = node[token];
      else return undefined;
    }
    return node !== null && typeof node === 'object'
      ? { parent: node, key: tokens[tokens.length - 1] }
      : undefined;
  };
  const get = (tokens: string[]): unknown => {
    let node = doc;
    for (const token of tokens) {
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isRecord(node)) node = node[token];
      else return undefined;
    }
    return node;
  };
  const remove = (tokens: string[]): unknown => {
    const at = resolve(tokens);
    if (!at) return undefined;
    if (Array.isArray(at.parent)) return at.parent.splice(Number(at.key), 1)[0];
    const parent = at.parent as Json;
    const old = parent[at.key];
    delete parent[at.key];
    return old;
  };
  const add = (tokens: string[], value: unknown): boolean => {
    if (tokens.length === 0) {
      doc = value;
      return true;
    }
    const at = resolve(tokens);
    if (!at) return false;
    if (Array.isArray(at.parent)) {
      const index = at.key === '-' ? at.parent.length : Number(at.key);
      if (!(index >= 0 && index <= at.parent.length)) return false;
      at.parent.splice(index, 0, value);
    } else (at.parent as Json)[at.key] = value;
    return true;
  };
  for (const raw of operations) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') return undefined;
    const path = splitPointer(raw.path);
    const from = typeof raw.from === 'string' ? splitPointer(raw.from) : [];
    switch (raw.op) {
      case 'add':
        if (!add(path, clone(raw.value))) return undefined;
        break;
      case 'remove':
        if (get(path) === undefined) return undefined;
        remove(path);
        break;
      case 'replace':
        if (get(path) === undefined) return undefined;
        remove(path);
        if (!add(path, clone(raw.value))) return undefined;
        break;
      case 'move': {
        const value = remove(from);
        if (value === undefined || !add(path, value)) return undefined;
        break;
      }
      case 'copy': {
        const value = get(from);
        if (value === undefined || !add(path, clone(value))) return undefined;
        break;
      }
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(raw.value)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return isRecord(doc) ? doc : undefined;
}
