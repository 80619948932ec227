import type { ParamShape } from '../schema-shape';

/** What a style needs to know about the parameter it reads. */
export interface StyleTarget {
  name: string;
  shape: ParamShape;
  explode: boolean;
  /** form-exploded object query parameters: the query names that belong to it (undefined = every unclaimed name) */
  properties?: string[];
  /** the query names of the operation's other query parameters */
  claimed?: ReadonlySet<string>;
}

/**
 * One OpenAPI serialisation style. Values come out as strings / string arrays / objects of strings;
 * coercion to the schema's types happens when the parameters are validated (validate.ts).
 */
export interface ParameterStyle {
  /** One serialised value (a path segment, a header, a cookie) → the value. `trim`: header lists. */
  fromText?(text: string, target: StyleTarget, trim: boolean): unknown;
  /** The decoded query pairs → the value; undefined when the request does not carry the parameter. */
  fromQuery?(query: [string, string][], target: StyleTarget): unknown;
}

/** A value that does not follow its style (a label value without its leading `.`). */
export class StyleError extends Error {}

export function splitList(text: string, separator: string | RegExp, trim = false): string[] {
  if (text === '') return [];
  const parts = text.split(separator);
  return trim ? parts.map((p) => p.trim()) : parts;
}

/** `k,v,k,v` → `{k: v}` */
export function pairsToObject(items: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) if (items[i] !== '__proto__') object[items[i]] = items[i + 1];
  return object;
}

/** `k=v`, `k=v` → `{k: v}` */
export function assignmentsToObject(items: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (key !== '__proto__') object[key] = eq < 0 ? '' : item.slice(eq + 1);
  }
  return object;
}

/** Repeated keys collect into an array. */
export function addValue(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') return;
  if (!Object.prototype.hasOwnProperty.call(object, key)) object[key] = value;
  else if (Array.isArray(object[key])) (object[key] as unknown[]).push(value);
  else object[key] = [object[key], value];
}
