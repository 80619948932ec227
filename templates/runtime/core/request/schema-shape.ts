/** What deserialisation needs to know about a parameter's schema: array, object or primitive. */
import type { Defs, JsonSchema } from '../types';

export type ParamShape = 'primitive' | 'array' | 'object';

/** Array, object or primitive, looking through `$ref`s and combinators. */
export function schemaShape(schema: JsonSchema | undefined, defs: Defs, depth = 0): ParamShape {
  if (schema === undefined || typeof schema === 'boolean' || depth > 16) return 'primitive';
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const name = ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~');
    const target = defs[name];
    if (target !== undefined) return schemaShape(target, defs, depth + 1);
  }
  const type = schema.type;
  const types = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  if (types.includes('array')) return 'array';
  if (types.includes('object')) return 'object';
  if (types.length > 0) return 'primitive';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return 'object';
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const member of members) {
      const shape = schemaShape(member as JsonSchema, defs, depth + 1);
      if (shape !== 'primitive') return shape;
    }
  }
  return 'primitive';
}

/** Property names a schema declares (through `$ref` and `allOf`), for form-exploded objects. */
export function declaredProperties(schema: JsonSchema | undefined, defs: Defs, depth = 0): string[] {
  if (schema === undefined || typeof schema === 'boolean' || depth > 16) return [];
  const names: string[] = [];
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    names.push(...declaredProperties(defs[ref.slice('#/$defs/'.length)], defs, depth + 1));
  }
  if (schema.properties && typeof schema.properties === 'object')
    names.push(...Object.keys(schema.properties));
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const members = schema[key];
    if (Array.isArray(members)) {
      for (const m of members) names.push(...declaredProperties(m as JsonSchema, defs, depth + 1));
    }
  }
  return names;
}
