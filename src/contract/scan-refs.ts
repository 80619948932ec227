import { MockgenError } from '../errors';
import { type JsonObject, isRecord } from '../../templates/runtime/core/json';
import { getAt, joinPointer, refToPointer, splitPointer } from '../../templates/runtime/core/pointer';

export interface RefScan {
  /** Some `$ref` points outside the document (another file or a URL): it needs bundling. */
  external: boolean;
  /** Where each `$ref` to another file or URL is, with its text. */
  externalRefs: { ref: string; pointer: string }[];
}

/**
 * One pass over the parsed document. When every `$ref` is internal, bundling has nothing to do (and
 * costs seconds on 10 MB contracts), so this also checks that each internal target exists and throws
 * the same error bundling would.
 */
export function scanRefs(doc: JsonObject, file: string): RefScan {
  const internal: { ref: string; pointer: string }[] = [];
  const externalRefs: { ref: string; pointer: string }[] = [];
  // Locations are kept as parent links and only turned into pointers for the `$ref`s found.
  const stack: [unknown, Location | undefined][] = [[doc, undefined]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [node, location] = stack.pop() as [unknown, Location | undefined];
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], { parent: location, key: String(i) }]);
      continue;
    }
    const record = node as JsonObject;
    if (typeof record.$ref === 'string') {
      const found = { ref: record.$ref, pointer: toPointer(location) };
      if (record.$ref.startsWith('#')) internal.push(found);
      else externalRefs.push(found);
    }
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i >= 0; i--) {
      const value = record[keys[i]];
      if (value !== null && typeof value === 'object')
        stack.push([value, { parent: location, key: keys[i] }]);
    }
  }
  const external = externalRefs.length > 0;
  if (!external) {
    for (const { ref, pointer } of internal) checkInternalRef(doc, ref, pointer, file);
  }
  return { external, externalRefs };
}

interface Location {
  parent: Location | undefined;
  key: string;
}

function toPointer(location: Location | undefined): string {
  const tokens: string[] = [];
  for (let at = location; at; at = at.parent) tokens.push(at.key);
  return joinPointer(tokens.reverse());
}

function checkInternalRef(doc: JsonObject, ref: string, pointer: string, file: string): void {
  const target = refToPointer(ref);
  if (target === undefined) return; // `#anchor` style: left to the schema converter
  if (getAt(doc, target) !== undefined) return;
  const tokens = splitPointer(target);
  let node: unknown = doc;
  let missing = tokens[0];
  for (const token of tokens) {
    const next = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
    if (next === undefined || !Object.prototype.hasOwnProperty.call(node, token)) {
      missing = token;
      break;
    }
    node = next;
  }
  throw new MockgenError(
    `${file}: unresolvable $ref ${JSON.stringify(ref)} at ${pointer || '/'}: the target does not exist (no ${JSON.stringify(missing)} there)`,
    { file, pointer },
  );
}
