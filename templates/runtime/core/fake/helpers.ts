/** Small numeric and type helpers of the generator. */
import { jsonType } from '../json';

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

export function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export function typeMatches(value: unknown, types: readonly string[]): boolean {
  const t = jsonType(value);
  if (types.includes(t)) return true;
  return t === 'integer' && types.includes('number');
}

export function roundTo(value: number, places: number): number {
  if (places > 15) return value;
  return Number(value.toFixed(places));
}
