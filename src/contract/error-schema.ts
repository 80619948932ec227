import type { Operation } from '../model/types';
import { isJsonMediaType } from '../../templates/runtime/core/media-types';
import type { OpenApiVersion, SchemaConverter } from './convert-schema';
import { type JsonObject, isRecord } from '../../templates/runtime/core/json';
import { child, getAt } from '../../templates/runtime/core/pointer';

/** Component names of error documents (compared without case, `_`, `-` or `.`). */
const ERROR_NAME = /^(api|http)?(error|problem)(s|response|body|model|object|document|detail|details|info)?$/;
const DEFS = '#/$defs/';

/**
 * The contract's error document, as a `$defs` name: the schema its error responses (4xx, 5xx,
 * ranges, `default`) use most, else a component schema named like one (`Error`, `ErrorResponse`,
 * `Problem`...) that no operation references, the outermost when one wraps another
 * (`ErrorResponse {error: Error}`). The mock says the errors it makes up itself (401, 404, 415,
 * 422) in it for operations that document none, so a client reads them as it reads the service's.
 */
export function findErrorSchema(
  doc: JsonObject,
  version: OpenApiVersion,
  operations: Operation[],
  converter: SchemaConverter,
): string | undefined {
  const used = new Map<string, number>();
  for (const op of operations) {
    for (const response of op.responses) {
      if (!/^([45]\d\d|[45]XX|default)$/.test(response.status)) continue;
      for (const media of response.content) {
        const ref = isRecord(media.schema) ? media.schema.$ref : undefined;
        if (!isJsonMediaType(media.mediaType) || typeof ref !== 'string' || !ref.startsWith(DEFS)) continue;
        const name = ref.slice(DEFS.length);
        used.set(name, (used.get(name) ?? 0) + 1);
      }
    }
  }
  if (used.size > 0) {
    return [...used].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0][0];
  }

  const base = version === '2.0' ? '/definitions' : '/components/schemas';
  const components = getAt(doc, base);
  if (!isRecord(components)) return undefined;
  const candidates = Object.keys(components).filter((name) => {
    const schema = components[name];
    return (
      ERROR_NAME.test(name.toLowerCase().replace(/[-_.]/g, '')) &&
      isRecord(schema) &&
      (schema.type === 'object' || isRecord(schema.properties))
    );
  });
  // the outermost: a candidate no other candidate refers to
  const outer = candidates.filter(
    (name) =>
      !candidates.some(
        (other) => other !== name && JSON.stringify(components[other]).includes(`"#${child(base, name)}"`),
      ),
  );
  const chosen = outer.sort()[0];
  if (chosen === undefined) return undefined;
  return converter.refTo(child(base, chosen)).slice(DEFS.length);
}
