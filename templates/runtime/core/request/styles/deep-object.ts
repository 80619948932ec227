/** deepObject (query): `filter[status]=open&filter[owner][login]=octocat&filter[tags][]=a` → nested objects. */
import { MAX_NAME_DEPTH, indexedObjectsToArrays, isUnsafeKey } from '../form-object';
import { readDelimitedQuery } from './form';
import { addValue, type ParameterStyle } from './types';

export const deepObject: ParameterStyle = {
  fromQuery(query, target) {
    // deepObject says nothing about arrays: read as form
    if (target.shape === 'array') return readDelimitedQuery(query, target, ',');
    return readDeepObject(target.name, query);
  },
};

function readDeepObject(name: string, query: [string, string][]): unknown {
  const root: Record<string, unknown> = {};
  let found = false;
  const prefix = `${name}[`;
  for (const [key, value] of query) {
    if (!key.startsWith(prefix)) continue;
    const path: string[] = [];
    const re = /\[([^\]]*)\]/g;
    let rest = key.slice(name.length);
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(rest)) !== null && m.index === consumed && path.length <= MAX_NAME_DEPTH) {
      path.push(m[1]);
      consumed = m.index + m[0].length;
    }
    rest = rest.slice(consumed);
    if (path.length === 0 || rest !== '' || path.some(isUnsafeKey)) continue;
    const appendToArray = path[path.length - 1] === '';
    const keys = appendToArray ? path.slice(0, -1) : path;
    if (keys.length === 0 || keys.includes('')) continue;
    found = true;
    let node = root;
    for (const segment of keys.slice(0, -1)) {
      let next = node[segment];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        next = {};
        node[segment] = next;
      }
      node = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (appendToArray) {
      const existing = node[last];
      node[last] = Array.isArray(existing)
        ? [...existing, value]
        : existing === undefined
          ? [value]
          : [existing, value];
    } else {
      addValue(node, last, value);
    }
  }
  if (!found) return undefined;
  for (const key of Object.keys(root)) root[key] = indexedObjectsToArrays(root[key]);
  return root;
}
