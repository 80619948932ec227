/**
 * Realistic, seeded, schema-valid data for JSON Schema 2020-12 model schemas.
 *
 * Used by the generator (examples when a contract has none) and by the emitted server
 * (`Prefer: dynamic=true`). Everything is driven by one PRNG seeded per call, so the same
 * (schema, seed) gives the same value whatever was generated before. Every result is checked
 * with Ajv and repaired (or regenerated) until it validates; unsatisfiable schemas give a best
 * effort, never an exception.
 *
 * Only json-schema-faker's regex generator (randexp) is borrowed; the generator itself is our own,
 * because jsf keeps global state, cannot bound huge schemas and knows nothing about discriminators
 * or readOnly/writeOnly.
 */
import type { ErrorObject } from '../ajv';
import { toViolations } from '../request/validate';
import { violationKey } from '../request/violation';
import type { Defs, JsonSchema } from '../types';
import { createContext, generate } from './generate';
import { ATTEMPTS } from './limits';
import type { Direction, FakeOptions, RepairResult } from './options';
import { pruneInvalid, repairPasses } from './repair';
import { viewFor } from './views';

export type { Direction, FakeOptions, RepairResult } from './options';
export { createRandom, hashSeed } from './random';
export { SharedDefsCompiler } from './views';
export { DEFAULT_LOCALE, resolveLocale } from './faker';
export { FORMAT_CHECKS } from './realistic';

/** A seeded value for `schema`; validates against it unless the schema is unsatisfiable. */
export function generateValue(schema: JsonSchema, defs: Defs, options: FakeOptions): unknown {
  let best: unknown = undefined;
  try {
    const view = viewFor(schema, defs, options);
    const validate = view.compiler.compile(view.schema);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const ctx = createContext(view, options, attempt);
      let value = generate([view.schema], ctx, 0, {});
      if (validate(value)) return value;
      value = repairPasses(value, view.schema, validate, ctx);
      if (validate(value)) return value;
      if (attempt === 0) best = value;
    }
    best = pruneInvalid(best, validate);
    if (!validate(best)) {
      // what pruning left may now be repairable (a oneOf its removed members kept ambiguous)
      const again = repairPasses(best, view.schema, validate, createContext(view, options, 0));
      if (validate(again)) return again;
    }
  } catch (err) {
    // A schema we cannot handle must not take the mock down: fall through to the best effort.
    if (process.env.MOCKGEN_DEBUG_FAKE) console.error(err);
  }
  return best === undefined ? null : best;
}

/** Whether `value` validates against `schema` as seen in `direction` (validators compiled once). */
export function conformsTo(value: unknown, schema: JsonSchema, defs: Defs, direction: Direction): boolean {
  try {
    const view = viewFor(schema, defs, { seed: 0, direction });
    return view.compiler.compile(view.schema)(value);
  } catch {
    return false;
  }
}

/**
 * How `value` breaks `schema` (as seen in `direction`), as core/request's `violationKey`s of the
 * value taken as a body (`maxLength /body/title`, `enum /body/tags/*`, `required /body/id`), sorted;
 * `[]` when it validates, undefined when it cannot be checked. A value production answered with
 * breaks the contract in such a place only.
 */
export function violationKeys(
  value: unknown,
  schema: JsonSchema,
  defs: Defs,
  direction: Direction,
): string[] | undefined {
  try {
    const view = viewFor(schema, defs, { seed: 0, direction });
    const validate = view.compiler.compile(view.schema);
    if (validate(value)) return [];
    // the keys of request violations (core/request violationKey), the body being `/body`
    const keys = toViolations(validate.errors ?? [], ['body']).map(violationKey);
    return [...new Set(keys)].sort();
  } catch {
    return undefined;
  }
}

/**
 * Keeps what is valid in `value` (an example from a contract): fills missing required properties,
 * regenerates values of the wrong type/enum/format, drops properties `additionalProperties: false`
 * forbids, so the result validates.
 */
export function repairValue(
  value: unknown,
  schema: JsonSchema,
  defs: Defs,
  options: FakeOptions,
): RepairResult {
  try {
    const view = viewFor(schema, defs, options);
    const validate = view.compiler.compile(view.schema);
    if (validate(value)) return { value, repaired: false, errors: [] };
    const errors = describeErrors(validate.errors ?? []);
    const ctx = createContext(view, options, 0);
    let repaired = repairPasses(value, view.schema, validate, ctx);
    if (!validate(repaired)) {
      // what the contract wrote is kept where it can be: leave out what no repair fixed, else start afresh
      let pruned = pruneInvalid(repaired, validate);
      if (!validate(pruned)) {
        const again = repairPasses(pruned, view.schema, validate, ctx);
        if (validate(again)) pruned = again;
      }
      const fresh = validate(pruned) ? undefined : generateValue(schema, defs, options);
      repaired = fresh !== undefined && validate(fresh) ? fresh : pruned;
    }
    return { value: repaired, repaired: true, errors };
  } catch (err) {
    return { value, repaired: false, errors: [`could not check the value: ${(err as Error).message}`] };
  }
}

/** Ajv errors as short sentences naming the instance path: `/price must be number`. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  const sentences = errors.map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
      const extra = params.additionalProperty ?? params.unevaluatedProperty;
      message += ` ('${String(extra)}')`;
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${where} ${message}`;
  });
  return [...new Set(sentences)];
}
