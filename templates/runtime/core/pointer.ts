/**
 * JSON pointers (RFC 6901) and same-document `$ref`s: the one encoding and decoding of pointer tokens
 * (`~0` is `~`, `~1` is `/`), and a `$ref`'s fragment percent-decoded as URI fragments are (RFC 3986).
 */
import { isRecord } from './json';

export function escapeToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

export function unescapeToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

/** `pointer + '/' + escaped token`. */
export function child(pointer: string, token: string | number): string {
  return `${pointer}/${typeof token === 'number' ? token : escapeToken(token)}`;
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

/** The `$ref` of a reference object, if it is one. */
export function refOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
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
      isRecord(node) &&
      typeof node.$ref === 'string' &&
      !Object.prototype.hasOwnProperty.call(node, token)
    ) {
      const target = refToPointer(node.$ref);
      node = target === undefined ? undefined : getAt(doc, target, depth + 1);
    }
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (isRecord(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/** The `$defs` name of a model `$ref` (`#/$defs/Pet` → `Pet`); undefined for any other reference. */
export function defName(ref: string): string | undefined {
  if (!ref.startsWith(DEFS_PREFIX)) return undefined;
  const rest = ref.slice(DEFS_PREFIX.length);
  if (/^[A-Za-z0-9_.-]+$/.test(rest)) return rest; // the names src/contract gives
  const tokens = splitPointer(refToPointer(ref) ?? '');
  return tokens.length === 2 ? tokens[1] : undefined;
}

/** Model schemas refer to each other as `#/$defs/<name>` (src/contract converts every `$ref` so). */
export const DEFS_PREFIX = '#/$defs/';
