import { MockgenError } from '../errors';
import { type JsonObject, isRecord } from '../../templates/runtime/core/json';
import { getAt, refToPointer } from '../../templates/runtime/core/pointer';

export interface Resolved<T = unknown> {
  value: T;
  /** Where the value actually is in the bundled document (after following `$ref`s). */
  pointer: string;
}

/**
 * Follows `$ref` chains of non-schema objects (parameters, responses, request bodies, headers,
 * examples, path items, security schemes) inside one bundled document, guarding against cycles.
 */
export class RefResolver {
  constructor(
    readonly doc: JsonObject,
    readonly file: string,
  ) {}

  resolve(node: unknown, pointer: string): Resolved {
    let value = node;
    let at = pointer;
    const seen = new Set<string>();
    while (isRecord(value) && typeof value.$ref === 'string') {
      const ref = value.$ref;
      const target = refToPointer(ref);
      if (target === undefined) {
        throw new MockgenError(
          `${this.file}: cannot resolve $ref ${JSON.stringify(ref)} at ${at || '/'}: only references into the contract or its files are supported`,
          { file: this.file, pointer: at },
        );
      }
      if (seen.has(target)) {
        throw new MockgenError(
          `${this.file}: circular $ref ${JSON.stringify(ref)} at ${at || '/'}: the chain never reaches a value`,
          {
            file: this.file,
            pointer: at,
          },
        );
      }
      seen.add(target);
      const next = getAt(this.doc, target);
      if (next === undefined) {
        throw new MockgenError(
          `${this.file}: unresolvable $ref ${JSON.stringify(ref)} at ${at || '/'}: the target does not exist`,
          {
            file: this.file,
            pointer: at,
          },
        );
      }
      value = next;
      at = target;
    }
    return { value, pointer: at };
  }

  /** Like `resolve`, but only objects count; anything else is undefined. */
  resolveObject(node: unknown, pointer: string): Resolved<JsonObject> | undefined {
    const resolved = this.resolve(node, pointer);
    return isRecord(resolved.value) ? { value: resolved.value, pointer: resolved.pointer } : undefined;
  }
}
