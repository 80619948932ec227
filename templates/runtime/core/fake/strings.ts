/** Strings: formats, patterns (randexp) and lengths. */
import { JSONSchemaFaker } from 'json-schema-faker';
import type { Ctx, Hint } from './generate';
import { deepEqual, isRecord } from '../json';
import { typeMatches } from './helpers';
import { RANDEXP_MAX } from './limits';
import { numberFits } from './numbers';
import { FORMAT_CHECKS, FORMAT_GENERATORS, stringByName, loremWords } from './realistic';
import { inferTypes, type Shape } from './shapes';

export function generateString(shape: Shape, ctx: Ctx, hint: Hint): string {
  const format = shape.formats.find((f) => FORMAT_GENERATORS[f] !== undefined);
  // a format's own value first (a `date-time` with a loose `pattern` stays RFC 3339), then the pattern's
  let formatted: string | undefined;
  if (format) {
    for (let tries = 0; tries < 4; tries++) {
      formatted = FORMAT_GENERATORS[format](ctx, hint, shape);
      if (stringFits(formatted, shape, ctx)) return formatted;
    }
    // the same instant written another RFC 3339 way (fractions, `+00:00`) may be what the pattern wants
    for (const variant of format === 'date-time' ? dateTimeVariants(formatted!) : []) {
      if (stringFits(variant, shape, ctx)) return variant;
    }
  }
  if (shape.patterns.length > 0) {
    let last = '';
    for (let tries = 0; tries < 12; tries++) {
      last = randexp(shape.patterns[tries % shape.patterns.length], ctx);
      if (stringFits(last, shape, ctx)) return last;
    }
    const sized = patternWithLength(shape, ctx);
    if (sized !== undefined) return sized;
    // what the format promises (an SDK parses it) matters more than a pattern nothing met
    return formatted !== undefined && formatAccepts(format!, formatted, ctx) ? formatted : last;
  }
  if (formatted !== undefined) return fitLength(formatted, shape, ctx);
  if (hint.prop !== undefined && shape.formats.every((f) => FORMAT_CHECKS[f] === undefined)) {
    const guess = stringByName(hint.prop, ctx, shape, hint);
    if (guess !== undefined && stringFits(guess, shape, ctx)) return guess;
  }
  return fitLength(loremWords(ctx, 1 + Math.floor(ctx.rng() * 3)), shape, ctx);
}

/** `2024-05-01T10:00:00Z` with 0, 3 or 6 fraction digits and a `Z`, `+00:00` or lower-case zone. */
function dateTimeVariants(value: string): string[] {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:[Zz]|[+-]00:00)$/.exec(value);
  if (!m) return [];
  const out: string[] = [];
  for (const fraction of ['', '.000', '.000000'])
    for (const zone of ['Z', '+00:00', 'z']) out.push(`${m[1]}T${m[2]}${fraction}${zone}`);
  return out;
}

/**
 * A pattern with length bounds randexp rarely meets by chance (`[0-9a-f]+` with minLength = maxLength = 32):
 * samples of the pattern concatenated, then cut to a length within the bounds (`X+`, `[a-z]*` and unanchored
 * patterns still match).
 */
function patternWithLength(shape: Shape, ctx: Ctx): string | undefined {
  const min = shape.minLength ?? 0;
  const max = shape.maxLength ?? Math.max(min, 64);
  if (min > max || max > 4096) return undefined;
  for (const length of [min, max, Math.floor((min + max) / 2)]) {
    for (let tries = 0; tries < 4; tries++) {
      let text = '';
      for (let pieces = 0; [...text].length < length && pieces < length + 4; pieces++) {
        text += randexp(shape.patterns[pieces % shape.patterns.length], ctx);
      }
      const candidate = [...text].slice(0, length).join('');
      if (stringFits(candidate, shape, ctx)) return candidate;
    }
  }
  return undefined;
}

function fitLength(text: string, shape: Shape, ctx: Ctx): string {
  const min = shape.minLength ?? 0;
  const max = shape.maxLength ?? Math.max(min, 64);
  let chars = [...text];
  while (chars.length < min) chars = chars.concat([...(' ' + loremWords(ctx, 2))]);
  if (chars.length > max) chars = chars.slice(0, max);
  let out = chars.join('');
  if (out.length > 0 && out.trim() !== out && min <= out.trim().length) out = out.trim();
  return out;
}

function stringFits(value: string, shape: Shape, ctx: Ctx): boolean {
  const length = [...value].length;
  if (shape.minLength !== undefined && length < shape.minLength) return false;
  if (shape.maxLength !== undefined && length > shape.maxLength) return false;
  if (!shape.patterns.every((p) => safeTest(p, value))) return false;
  return shape.formats.every((f) => formatAccepts(f, value, ctx));
}

function formatAccepts(format: string, value: unknown, ctx: Ctx): boolean {
  const own = FORMAT_CHECKS[format];
  if (own !== undefined && typeof value === 'string' && !own(value)) return false;
  const known = (ctx.compiler.ajv as unknown as { formats: Record<string, unknown> }).formats?.[format];
  if (known === undefined || known === true) return true;
  const test = (def: unknown): boolean => {
    if (def instanceof RegExp) return typeof value !== 'string' || def.test(value);
    if (typeof def === 'function') return Boolean((def as (v: unknown) => unknown)(value));
    if (isRecord(def)) {
      const type = (def.type as string | undefined) ?? 'string';
      const applies = type === 'number' ? typeof value === 'number' : typeof value === 'string';
      return !applies || test(def.validate);
    }
    return true;
  };
  try {
    return test(known);
  } catch {
    return true;
  }
}

const regexCache = new Map<string, RegExp | null>();

export function safeTest(pattern: string, value: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re === null ? true : re.test(value);
}

/** jsf's randexp, driven by our PRNG; jsf options are global, so they are set and restored around the call. */
/** Repetition bounds beyond this are lowered for generation (`^.{1,2097152}` in seldon's contract hung it). */
const REPETITION_CAP = 64;

/** `pattern` with every `{n,m}` whose `m` is over the cap bounded near `n`: what it generates still matches. */
function boundedRepetitions(pattern: string): string {
  return pattern.replace(/(?<!\\)\{(\d+),(\d+)\}/g, (whole, low: string, high: string) => {
    const min = Number(low);
    return Number(high) > REPETITION_CAP ? `{${min},${Math.max(min, REPETITION_CAP)}}` : whole;
  });
}

export function randexp(pattern: string, ctx: Ctx): string {
  pattern = boundedRepetitions(pattern);
  const option = JSONSchemaFaker.option as unknown as (name: string, value?: unknown) => unknown;
  const previousRandom = option('random');
  const previousMax = option('defaultRandExpMax');
  try {
    option('random', ctx.rng);
    option('defaultRandExpMax', RANDEXP_MAX);
    return String(JSONSchemaFaker.random.randexp(pattern));
  } catch {
    return loremWords(ctx, 1);
  } finally {
    option('random', previousRandom ?? Math.random);
    option('defaultRandExpMax', previousMax ?? 10);
  }
}

export function leafFits(value: unknown, shape: Shape, ctx: Ctx): boolean {
  if (shape.hasConst) return deepEqual(value, shape.constValue);
  if (shape.enumValues && !shape.enumValues.some((v) => deepEqual(v, value))) return false;
  const types = shape.types ?? inferTypes(shape);
  if (types.length > 0 && !typeMatches(value, types)) return false;
  if (typeof value === 'string') return stringFits(value, shape, ctx);
  if (typeof value === 'number') {
    return (
      numberFits(value, shape, types.length > 0 && !types.includes('number')) &&
      shape.formats.every((f) => formatAccepts(f, value, ctx))
    );
  }
  return true;
}
