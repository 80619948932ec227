/** Numbers: bounds, multiples and decimals. */
import type { Ctx, Hint } from './generate';
import { roundTo } from './helpers';
import { numberByName } from './realistic';
import type { Shape } from './shapes';

export function numberBounds(
  shape: Shape,
  integer: boolean,
): { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (shape.minimum !== undefined) lo = shape.minimum;
  if (shape.exclusiveMinimum !== undefined && shape.exclusiveMinimum >= lo) {
    lo = shape.exclusiveMinimum;
    loOpen = true;
  }
  if (shape.maximum !== undefined) hi = shape.maximum;
  if (shape.exclusiveMaximum !== undefined && shape.exclusiveMaximum <= hi) {
    hi = shape.exclusiveMaximum;
    hiOpen = true;
  }
  const format = shape.formats[0];
  if (format === 'int32') {
    lo = Math.max(lo, -2147483648);
    hi = Math.min(hi, 2147483647);
  } else if (integer || format === 'int64') {
    lo = Math.max(lo, Number.MIN_SAFE_INTEGER);
    hi = Math.min(hi, Number.MAX_SAFE_INTEGER);
  }
  if (integer) {
    lo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    loOpen = false;
    hiOpen = false;
  }
  return { lo, hi, loOpen, hiOpen };
}

export function numberFits(value: number, shape: Shape, integer: boolean): boolean {
  if (!Number.isFinite(value)) return false;
  if (integer && !Number.isInteger(value)) return false;
  const { lo, hi, loOpen, hiOpen } = numberBounds(shape, integer);
  if (value < lo || value > hi || (loOpen && value === lo) || (hiOpen && value === hi)) return false;
  return shape.multipleOf.every((m) => isMultiple(value, m));
}

function isMultiple(value: number, m: number): boolean {
  const q = value / m;
  return q === Math.trunc(q); // the same test Ajv performs
}

export function generateNumber(shape: Shape, ctx: Ctx, hint: Hint, integer: boolean): number {
  const heuristic = hint.prop !== undefined ? numberByName(hint.prop, ctx, integer) : undefined;
  if (heuristic !== undefined && numberFits(heuristic, shape, integer)) return heuristic;
  const { lo, hi, loOpen, hiOpen } = numberBounds(shape, integer);
  // Realistic defaults inside whatever bounds the schema itself gives (format ranges are not a hint).
  const hasLo = shape.minimum !== undefined || shape.exclusiveMinimum !== undefined;
  const hasHi = shape.maximum !== undefined || shape.exclusiveMaximum !== undefined;
  let from = hasLo ? lo : hasHi ? hi - 1000 : 1;
  let to = hasHi ? hi : from + 1000;
  from = Math.max(from, lo);
  to = Math.min(to, hi);
  if (from > to) return Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;

  const multiples = shape.multipleOf;
  if (multiples.length > 0) {
    const m = multiples.reduce((a, b) => (isMultiple(a, b) ? a : isMultiple(b, a) ? b : a * b));
    const kLo = Math.ceil(from / m);
    const kHi = Math.floor(to / m);
    if (kLo <= kHi) {
      for (let tries = 0; tries < 12; tries++) {
        const k = kLo + Math.floor(ctx.rng() * Math.min(kHi - kLo + 1, 1e9));
        const value = roundTo(k * m, decimals(m));
        if (numberFits(value, shape, integer)) return value;
      }
      for (let k = kLo; k <= kHi && k < kLo + 1000; k++) {
        const value = roundTo(k * m, decimals(m));
        if (numberFits(value, shape, integer)) return value;
      }
    }
    return Number.isFinite(lo) ? lo : 0;
  }
  if (integer) {
    const span = to - from + 1;
    return from + Math.floor(ctx.rng() * span);
  }
  for (let tries = 0; tries < 8; tries++) {
    const raw = from + ctx.rng() * (to - from);
    const value = to - from >= 1 ? roundTo(raw, 2) : raw;
    if (!(loOpen && value <= lo) && !(hiOpen && value >= hi) && value >= from && value <= to) return value;
  }
  return (from + to) / 2;
}

function decimals(n: number): number {
  const text = String(n);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0].split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}
