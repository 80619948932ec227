/** JSON pointers (RFC 6901) and the small value guards the contract loader reads raw documents with. */

export type Json = Record<string, unknown>;

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `pointer + '/' + escaped token`. */
export function child(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(String(token))}`;
}

export function joinPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(String(t))}`).join('');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => unescapeToken(t));
}

/**
 * The pointer of an internal `$ref` (`#/a/b` → `/a/b`), percent-decoded as URI fragments are;
 * undefined for anything that is not a same-document reference.
 */
export function refToPointer(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  const fragment = ref.slice(1);
  if (fragment !== '' && !fragment.startsWith('/')) return undefined;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * The value at `pointer`, or undefined when any token is missing. Like json-schema-ref-parser, a
 * `$ref` met on the way is followed (`#/components/schemas/A/properties/b` where A is a `$ref`).
 */
export function getAt(doc: unknown, pointer: string, depth = 0): unknown {
  if (depth > 32) return undefined;
  let node = doc;
  for (const token of splitPointer(pointer)) {
    if (
      isObject(node) &&
      typeof node.$ref === 'string' &&
      !Object.prototype.hasOwnProperty.call(node, token)
    ) {
      const target = refToPointer(node.$ref);
      node = target === undefined ? undefined : getAt(doc, target, depth + 1);
    }
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (isObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function refOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
}
