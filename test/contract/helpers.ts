import type { Contract, JsonSchema } from '../../src/model/types';

/** Every schema of a contract (defs, parameters, bodies, responses, headers): where `$ref`s are refs, not data. */
export function schemasOf(c: Contract): JsonSchema[] {
  const out: JsonSchema[] = Object.values(c.schemas);
  for (const o of c.operations) {
    for (const p of o.parameters) out.push(p.schema);
    for (const m of o.requestBody?.content ?? []) if (m.schema !== undefined) out.push(m.schema);
    for (const r of o.responses) {
      for (const m of r.content) if (m.schema !== undefined) out.push(m.schema);
      for (const h of r.headers) out.push(h.schema);
    }
  }
  return out;
}

const DATA_KEYWORDS = new Set(['examples', 'default', 'const', 'enum']);

/** Every `$ref` in schema positions of the contract (data keywords and `x-` extensions skipped). */
export function schemaRefs(c: Contract): string[] {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.add(value);
        else if (!DATA_KEYWORDS.has(key) && !key.startsWith('x-')) walk(value);
      }
    }
  };
  for (const schema of schemasOf(c)) walk(schema);
  return [...refs];
}
