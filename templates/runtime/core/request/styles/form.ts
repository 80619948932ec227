/**
 * form (query and cookie default): `ids=1&ids=2` exploded, `ids=1,2` not; exploded objects spread
 * their properties over the query (`?x=1&y=2`). Also the query reading of the delimited styles.
 */
import { addValue, pairsToObject, splitList, type ParameterStyle, type StyleTarget } from './types';

/** Query reading shared by form, spaceDelimited and pipeDelimited: they differ in the delimiter only. */
export function readDelimitedQuery(
  query: [string, string][],
  target: StyleTarget,
  delimiter: string,
): unknown {
  const { name, shape } = target;
  if (shape === 'object' && target.explode) {
    // exploded: each property is its own query parameter
    const object: Record<string, unknown> = {};
    let found = false;
    const wanted = target.properties;
    for (const [key, value] of query) {
      if (wanted ? !wanted.includes(key) : key === name || target.claimed?.has(key)) continue;
      found = true;
      addValue(object, key, value);
    }
    return found ? object : undefined;
  }
  const values: string[] = [];
  for (const pair of query) {
    // arrays also as `ids[]=1&ids[]=2` / `ids[0]=1` (axios, qs, PHP, Rails), which many clients send
    if (pair[0] === name || (shape === 'array' && isIndexedName(pair[0], name))) values.push(pair[1]);
  }
  if (values.length === 0) return undefined;
  if (shape === 'array') {
    // exploded: one pair per item; not exploded: one delimited value (several pairs are tolerated)
    if (target.explode) return values;
    return values.flatMap((v) => splitList(v, delimiter));
  }
  if (shape === 'object') return pairsToObject(splitList(values[0], delimiter));
  // a repeated primitive: the first value counts
  return values[0];
}

function isIndexedName(key: string, name: string): boolean {
  return key.length > name.length + 1 && key.startsWith(name) && /^\[\d*\]$/.test(key.slice(name.length));
}

export const form: ParameterStyle = {
  // a cookie value: `a,b` lists, `k,v,k,v` objects
  fromText(text, target) {
    if (target.shape === 'array') return splitList(text, ',');
    if (target.shape === 'object') return pairsToObject(splitList(text, ','));
    return text;
  },
  fromQuery: (query, target) => readDelimitedQuery(query, target, ','),
};
