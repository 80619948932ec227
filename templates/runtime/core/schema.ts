import type { Defs, JsonSchema } from './types';
import { defName } from './pointer';

/** Names of the `$defs` a schema reaches through `$ref`, transitively. */
export function reachableDefs(schema: JsonSchema, defs: Defs): string[] {
  const seen = new Set<string>();
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) {
      for (const item of node) queue.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const name = key === '$ref' && typeof value === 'string' ? defName(value) : undefined;
        if (name !== undefined) {
          if (!seen.has(name) && name in defs) {
            seen.add(name);
            queue.push(defs[name]);
          }
        } else if (typeof value === 'object') {
          queue.push(value);
        }
      }
    }
  }
  return [...seen].sort();
}

/** The schema with exactly the `$defs` it needs, ready for Ajv or json-schema-faker. */
export function selfContained(schema: JsonSchema, defs: Defs): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  const names = reachableDefs(schema, defs);
  if (names.length === 0) return schema;
  const own: Defs = {};
  for (const name of names) own[name] = defs[name];
  return { ...schema, $defs: { ...(schema.$defs as Defs | undefined), ...own } };
}
