import type { ErrorObject, ValidateFunction } from '../../templates/runtime/core/ajv';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import type { Defs, JsonSchema } from '../model/types';
import { showValue, withArticle } from './describe';
import {
  child as childPointer,
  escapeToken as escapePointerToken,
  unescapeToken as unescapePointerToken,
} from '../../templates/runtime/core/pointer';
import { jsonType } from '../../templates/runtime/core/json';

/** One way a value breaks its schema, located in the value and in the schema. */
export interface Violation {
  /** JSON pointer into the checked value (`/owner/email`; `` for the value itself). */
  pointer: string;
  /** Model schema pointer (`#/$defs/Owner/properties/email`, or the caller's base pointer + path). */
  schemaPointer: string;
  /** JSON Schema keyword that failed, or `extra-property` for an undocumented property (a warning). */
  rule: string;
  severity: 'error' | 'warning';
  /** `'n/a' is not a valid email` — the value, what is wrong. */
  message: string;
}

type SchemaObject = { [keyword: string]: unknown };

/** Keywords checked on the value itself; everything structural is walked by hand. */
const LOCAL_KEYWORDS = [
  'type',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'dependentRequired',
];

const MAX_DEPTH = 64;
const REF_PREFIX = '#/$defs/';

function isObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks values against model schemas and explains every violation with a pointer.
 *
 * The compiled Ajv validator of the whole schema decides validity (fast path: a valid value costs one
 * call). Only an invalid value is walked alongside its schema, following `$ref`, `allOf` and the best
 * `oneOf`/`anyOf` branch, so that a failure inside a union names the property, not "must match
 * exactly one schema in oneOf". Extra properties (allowed, but undocumented) are found by a second
 * walk that runs on every value when enabled.
 */
export class SchemaChecker {
  readonly compiler: SchemaCompiler;
  private readonly local = new WeakMap<object, ValidateFunction | null>();
  private readonly shapes = new WeakMap<object, Shape>();

  constructor(
    readonly defs: Defs,
    compiler?: SchemaCompiler,
  ) {
    this.compiler = compiler ?? new SchemaCompiler(defs);
  }

  isValid(schema: JsonSchema, value: unknown): boolean {
    return this.compiler.compile(schema)(value) as boolean;
  }

  /**
   * Every violation of `value` against `schema`, plus (when `extraProperties`) a warning per property
   * that the schema does not document although it allows it.
   */
  check(schema: JsonSchema, value: unknown, schemaPointer: string, extraProperties: boolean): Violation[] {
    const validate = this.compiler.compile(schema);
    const out: Violation[] = [];
    if (!validate(value)) {
      const explained = this.explain(schema, value, '', schemaPointer, 0);
      if (explained.length > 0) out.push(...explained);
      else out.push(...fromAjvErrors(validate.errors ?? [], schemaPointer));
    }
    if (extraProperties) this.extras(schema, value, '', schemaPointer, 0, out);
    return dedupe(out);
  }

  /** Walks an invalid value alongside its schema. */
  private explain(
    schema: JsonSchema,
    value: unknown,
    pointer: string,
    schemaPointer: string,
    depth: number,
  ): Violation[] {
    if (schema === true || depth > MAX_DEPTH) return [];
    if (schema === false)
      return [violation(pointer, schemaPointer, 'false', `${showValue(value)} is not allowed here`)];
    const out: Violation[] = [];

    if (typeof schema.$ref === 'string') {
      const target = this.resolveRef(schema.$ref);
      if (target) out.push(...this.explain(target.schema, value, pointer, target.pointer, depth + 1));
    }

    const localErrors = this.localErrors(schema, value);
    const typeError = localErrors.find((e) => e.keyword === 'type');
    if (typeError) {
      const types = ([] as unknown[]).concat(schema.type).join(' or ');
      out.push(
        violation(
          pointer,
          `${schemaPointer}/type`,
          'type',
          `${showValue(value)} is ${withArticle(jsonType(value))}, expected ${types}`,
        ),
      );
      return out;
    }
    for (const error of localErrors) out.push(localViolation(error, value, pointer, schemaPointer));

    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((branch: JsonSchema, i) =>
        out.push(...this.explain(branch, value, pointer, `${schemaPointer}/allOf/${i}`, depth + 1)),
      );
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const valid = branches.map((branch: JsonSchema) => this.isValid(branch, value));
      const count = valid.filter(Boolean).length;
      if (keyword === 'oneOf' && count > 1) {
        const names = branches.filter((_, i) => valid[i]).map((b: JsonSchema, i) => branchName(b, i));
        out.push(
          violation(
            pointer,
            `${schemaPointer}/oneOf`,
            'oneOf',
            `${showValue(value)} matches ${count} oneOf alternatives (${names.join(', ')}); exactly one must match`,
          ),
        );
      } else if (count === 0) {
        out.push(
          ...this.explainUnion(
            schema,
            keyword,
            branches as JsonSchema[],
            value,
            pointer,
            schemaPointer,
            depth,
          ),
        );
      }
    }

    if (isObject(schema.not) || typeof schema.not === 'boolean') {
      if (this.isValid(schema.not as JsonSchema, value)) {
        out.push(
          violation(
            pointer,
            `${schemaPointer}/not`,
            'not',
            `${showValue(value)} matches a schema it must not match`,
          ),
        );
      }
    }
    if (schema.if !== undefined) {
      const branch = this.isValid(schema.if as JsonSchema, value) ? 'then' : 'else';
      if (schema[branch] !== undefined) {
        out.push(
          ...this.explain(
            schema[branch] as JsonSchema,
            value,
            pointer,
            `${schemaPointer}/${branch}`,
            depth + 1,
          ),
        );
      }
    }

    if (isObject(value)) this.explainObject(schema, value, pointer, schemaPointer, depth, out);
    else if (Array.isArray(value)) this.explainArray(schema, value, pointer, schemaPointer, depth, out);
    return out;
  }

  private explainObject(
    schema: SchemaObject,
    value: SchemaObject,
    pointer: string,
    schemaPointer: string,
    depth: number,
    out: Violation[],
  ): void {
    const properties = isObject(schema.properties)
      ? (schema.properties as Record<string, JsonSchema>)
      : undefined;
    const patterns = isObject(schema.patternProperties)
      ? Object.entries(schema.patternProperties as Record<string, JsonSchema>)
      : [];
    for (const [key, child] of Object.entries(value)) {
      const childPtr = childPointer(pointer, key);
      if (properties && Object.prototype.hasOwnProperty.call(properties, key)) {
        const sub = properties[key];
        if (!this.isValid(sub, child))
          out.push(
            ...this.explain(
              sub,
              child,
              childPtr,
              `${schemaPointer}/properties/${escapePointerToken(key)}`,
              depth + 1,
            ),
          );
        continue;
      }
      const matching = patterns.filter(([pattern]) => safeRegex(pattern)?.test(key));
      if (matching.length > 0) {
        for (const [pattern, sub] of matching) {
          if (!this.isValid(sub, child)) {
            out.push(
              ...this.explain(
                sub,
                child,
                childPtr,
                `${schemaPointer}/patternProperties/${escapePointerToken(pattern)}`,
                depth + 1,
              ),
            );
          }
        }
        continue;
      }
      const additional = schema.additionalProperties as JsonSchema | undefined;
      if (additional === false) {
        out.push(
          violation(
            childPtr,
            `${schemaPointer}/additionalProperties`,
            'additionalProperties',
            'is not allowed (additionalProperties: false)',
          ),
        );
      } else if (isObject(additional) && !this.isValid(additional, child)) {
        out.push(
          ...this.explain(additional, child, childPtr, `${schemaPointer}/additionalProperties`, depth + 1),
        );
      }
    }
  }

  private explainArray(
    schema: SchemaObject,
    value: unknown[],
    pointer: string,
    schemaPointer: string,
    depth: number,
    out: Violation[],
  ): void {
    const prefix = Array.isArray(schema.prefixItems)
      ? (schema.prefixItems as JsonSchema[])
      : Array.isArray(schema.items)
        ? (schema.items as JsonSchema[])
        : [];
    const prefixKeyword = Array.isArray(schema.prefixItems) ? 'prefixItems' : 'items';
    const rest =
      !Array.isArray(schema.items) && schema.items !== undefined ? (schema.items as JsonSchema) : undefined;
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : rest;
      if (sub === undefined || this.isValid(sub, item)) return;
      const subPointer =
        i < prefix.length ? `${schemaPointer}/${prefixKeyword}/${i}` : `${schemaPointer}/items`;
      out.push(...this.explain(sub, item, childPointer(pointer, i), subPointer, depth + 1));
    });
  }

  /** No branch matched: explain against the branch the discriminator names, else the closest one. */
  private explainUnion(
    schema: SchemaObject,
    keyword: 'oneOf' | 'anyOf',
    branches: JsonSchema[],
    value: unknown,
    pointer: string,
    schemaPointer: string,
    depth: number,
  ): Violation[] {
    const chosen = this.discriminated(schema, branches, value);
    let best: { index: number; violations: Violation[]; score: number } | undefined;
    for (let i = 0; i < branches.length; i++) {
      if (chosen !== undefined && chosen !== i) continue;
      const violations = this.explain(
        branches[i],
        value,
        pointer,
        `${schemaPointer}/${keyword}/${i}`,
        depth + 1,
      );
      const rootType = violations.some((v) => v.rule === 'type' && v.pointer === pointer);
      const score = violations.length + (rootType ? 1000 : 0);
      if (!best || score < best.score) best = { index: i, violations, score };
    }
    const names = branches.map((b, i) => branchName(b, i));
    const none = `${showValue(value)} matches none of the ${keyword} alternatives (${names.join(', ')})`;
    if (!best || best.violations.length === 0 || best.score >= 1000) {
      return [violation(pointer, `${schemaPointer}/${keyword}`, keyword, none)];
    }
    const closest = names[best.index];
    return best.violations.map((v) => ({
      ...v,
      message: `${v.message} (${keyword}: closest alternative is ${closest})`,
    }));
  }

  private discriminated(schema: SchemaObject, branches: JsonSchema[], value: unknown): number | undefined {
    const discriminator = schema.discriminator as
      { propertyName?: string; mapping?: Record<string, string> } | undefined;
    if (!discriminator?.propertyName || !isObject(value)) return undefined;
    const tag = value[discriminator.propertyName];
    if (typeof tag !== 'string') return undefined;
    const target = discriminator.mapping?.[tag] ?? tag;
    const targetName = unescapePointerToken(target.slice(target.lastIndexOf('/') + 1));
    const index = branches.findIndex(
      (b) => typeof b === 'object' && typeof b.$ref === 'string' && refName(b.$ref) === targetName,
    );
    return index >= 0 ? index : undefined;
  }

  private localErrors(schema: SchemaObject, value: unknown): ErrorObject[] {
    let validate = this.local.get(schema);
    if (validate === undefined) {
      const local: SchemaObject = {};
      let any = false;
      for (const keyword of LOCAL_KEYWORDS) {
        if (schema[keyword] !== undefined) {
          local[keyword] = schema[keyword];
          any = true;
        }
      }
      validate = null;
      if (any) {
        try {
          validate = this.compiler.ajv.compile(local);
        } catch {
          validate = null;
        }
      }
      this.local.set(schema, validate);
    }
    if (!validate || validate(value)) return [];
    return validate.errors ?? [];
  }

  private resolveRef(ref: string): { schema: JsonSchema; pointer: string } | undefined {
    if (!ref.startsWith(REF_PREFIX)) return undefined;
    const name = refName(ref);
    const schema = this.defs[name];
    return schema === undefined ? undefined : { schema, pointer: ref };
  }

  // -------------------------------------------------------------------------------------------
  // Extra (undocumented) properties

  /**
   * The schemas that apply to `value` at this point: `$ref`s resolved, allOf expanded, the matching
   * union branches. Returns whether the result depends on the value (oneOf/anyOf/if on the way).
   */
  private applicable(
    schema: JsonSchema,
    value: unknown,
    schemaPointer: string,
    depth: number,
    out: Located[],
  ): boolean {
    if (typeof schema !== 'object' || depth > MAX_DEPTH) return false;
    let dynamic = false;
    out.push({ schema, pointer: schemaPointer });
    if (typeof schema.$ref === 'string') {
      const target = this.resolveRef(schema.$ref);
      if (target) dynamic = this.applicable(target.schema, value, target.pointer, depth + 1, out) || dynamic;
    }
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach(
        (b: JsonSchema, i) =>
          (dynamic = this.applicable(b, value, `${schemaPointer}/allOf/${i}`, depth + 1, out) || dynamic),
      );
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      dynamic = true;
      const valid = branches.map((b: JsonSchema) => this.isValid(b, value));
      let picked = branches.map((_, i) => i).filter((i) => valid[i]);
      if (picked.length === 0) {
        // nothing matches (already an error): the discriminated branch, else every branch documents
        const chosen = this.discriminated(schema, branches as JsonSchema[], value);
        picked = chosen !== undefined ? [chosen] : branches.map((_, i) => i);
      }
      for (const i of picked)
        this.applicable(branches[i] as JsonSchema, value, `${schemaPointer}/${keyword}/${i}`, depth + 1, out);
    }
    if (schema.if !== undefined) {
      dynamic = true;
      const branch = this.isValid(schema.if as JsonSchema, value) ? 'then' : 'else';
      if (schema[branch] !== undefined)
        this.applicable(schema[branch] as JsonSchema, value, `${schemaPointer}/${branch}`, depth + 1, out);
    }
    return dynamic;
  }

  /** What the applicable schemas say about properties and items; cached when it does not depend on the value. */
  private shape(schema: SchemaObject, value: unknown, schemaPointer: string): Shape {
    const cached = this.shapes.get(schema);
    if (cached) return cached;
    const schemas: Located[] = [];
    const dynamic = this.applicable(schema, value, schemaPointer, 0, schemas);
    const shape = buildShape(schemas);
    if (!dynamic) this.shapes.set(schema, shape);
    return shape;
  }

  private extras(
    schema: JsonSchema,
    value: unknown,
    pointer: string,
    schemaPointer: string,
    depth: number,
    out: Violation[],
  ): void {
    if (depth > MAX_DEPTH || typeof schema !== 'object') return;
    if (value === null || typeof value !== 'object') return;
    const shape = this.shape(schema, value, schemaPointer);
    if (Array.isArray(value)) {
      for (const { prefix, rest } of shape.items) {
        for (let i = 0; i < value.length; i++) {
          const sub = i < prefix.length ? prefix[i] : rest;
          if (sub) this.extras(sub.schema, value[i], childPointer(pointer, i), sub.pointer, depth + 1, out);
        }
      }
      return;
    }
    for (const key in value as SchemaObject) {
      const child = (value as SchemaObject)[key];
      const declared = shape.properties.get(key);
      if (declared) {
        if (child !== null && typeof child === 'object') {
          for (const sub of declared)
            this.extras(sub.schema, child, childPointer(pointer, key), sub.pointer, depth + 1, out);
        }
        continue;
      }
      let covered = false;
      for (const p of shape.patterns) {
        if (p.regex?.test(key)) {
          covered = true;
          this.extras(p.schema, child, childPointer(pointer, key), p.pointer, depth + 1, out);
        }
      }
      for (const a of shape.additional) {
        covered = true;
        this.extras(a.schema, child, childPointer(pointer, key), a.pointer, depth + 1, out);
      }
      if (covered || shape.open || shape.closedByFalse || !shape.documents) continue;
      out.push({
        pointer: childPointer(pointer, key),
        schemaPointer: shape.documentedAt,
        rule: 'extra-property',
        severity: 'warning',
        message: 'is an undocumented property',
      });
    }
  }
}

interface Located {
  schema: SchemaObject;
  pointer: string;
}

/** The applicable schemas of one value, condensed for the extra-property walk. */
interface Shape {
  /** some applicable schema lists `properties` (so an unlisted one is undocumented) */
  documents: boolean;
  /** some applicable schema says something explicit about other properties */
  open: boolean;
  closedByFalse: boolean;
  documentedAt: string;
  properties: Map<string, { schema: JsonSchema; pointer: string }[]>;
  patterns: { regex: RegExp | null; schema: JsonSchema; pointer: string }[];
  additional: { schema: JsonSchema; pointer: string }[];
  items: {
    prefix: { schema: JsonSchema; pointer: string }[];
    rest?: { schema: JsonSchema; pointer: string };
  }[];
}

function buildShape(schemas: Located[]): Shape {
  const shape: Shape = {
    documents: false,
    open: false,
    closedByFalse: false,
    documentedAt: schemas[0]?.pointer ?? '',
    properties: new Map(),
    patterns: [],
    additional: [],
    items: [],
  };
  let documentedAt: string | undefined;
  for (const { schema: s, pointer: sp } of schemas) {
    if (isObject(s.properties)) {
      shape.documents = true;
      documentedAt ??= sp;
      for (const [key, sub] of Object.entries(s.properties as Record<string, JsonSchema>)) {
        const list = shape.properties.get(key) ?? [];
        list.push({ schema: sub, pointer: `${sp}/properties/${escapePointerToken(key)}` });
        shape.properties.set(key, list);
      }
    }
    if (
      s.additionalProperties !== undefined ||
      s.unevaluatedProperties !== undefined ||
      isObject(s.patternProperties)
    )
      shape.open = true;
    if (s.additionalProperties === false) shape.closedByFalse = true;
    if (isObject(s.patternProperties)) {
      for (const [pattern, sub] of Object.entries(s.patternProperties as Record<string, JsonSchema>)) {
        shape.patterns.push({
          regex: safeRegex(pattern),
          schema: sub,
          pointer: `${sp}/patternProperties/${escapePointerToken(pattern)}`,
        });
      }
    }
    if (isObject(s.additionalProperties))
      shape.additional.push({
        schema: s.additionalProperties as JsonSchema,
        pointer: `${sp}/additionalProperties`,
      });
    const prefixItems = Array.isArray(s.prefixItems)
      ? (s.prefixItems as JsonSchema[])
      : Array.isArray(s.items)
        ? (s.items as JsonSchema[])
        : [];
    const rest = !Array.isArray(s.items) && s.items !== undefined ? (s.items as JsonSchema) : undefined;
    if (prefixItems.length > 0 || rest !== undefined) {
      shape.items.push({
        prefix: prefixItems.map((schema, i) => ({ schema, pointer: `${sp}/prefixItems/${i}` })),
        rest: rest === undefined ? undefined : { schema: rest, pointer: `${sp}/items` },
      });
    }
  }
  if (documentedAt !== undefined) shape.documentedAt = documentedAt;
  return shape;
}

function refName(ref: string): string {
  return unescapePointerToken(
    ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref.slice(ref.lastIndexOf('/') + 1),
  );
}

function branchName(branch: JsonSchema, index: number): string {
  if (typeof branch === 'object') {
    if (typeof branch.$ref === 'string') return refName(branch.$ref);
    if (typeof branch.title === 'string') return branch.title;
    if (branch.type !== undefined) return `#${index} (${([] as unknown[]).concat(branch.type).join('|')})`;
  }
  return `#${index}`;
}

const regexCache = new Map<string, RegExp | null>();
function safeRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function violation(pointer: string, schemaPointer: string, rule: string, message: string): Violation {
  return { pointer, schemaPointer, rule, severity: 'error', message };
}

function localViolation(
  error: ErrorObject,
  value: unknown,
  pointer: string,
  schemaPointer: string,
): Violation {
  const params = error.params as Record<string, unknown>;
  const at = `${schemaPointer}/${error.keyword}`;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return violation(childPointer(pointer, missing), at, 'required', 'is required but missing');
    }
    case 'dependentRequired': {
      const missing = String(params.missingProperty);
      return violation(
        childPointer(pointer, missing),
        at,
        'dependentRequired',
        `is required when '${String(params.property)}' is present`,
      );
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const list =
        allowed
          .slice(0, 8)
          .map((v) => JSON.stringify(v))
          .join(', ') + (allowed.length > 8 ? ', …' : '');
      return violation(pointer, at, 'enum', `${showValue(value)} is not one of ${list}`);
    }
    case 'const':
      return violation(
        pointer,
        at,
        'const',
        `${showValue(value)} is not ${JSON.stringify(params.allowedValue)}`,
      );
    case 'format':
      return violation(pointer, at, 'format', `${showValue(value)} is not a valid ${String(params.format)}`);
    case 'pattern':
      return violation(
        pointer,
        at,
        'pattern',
        `${showValue(value)} does not match the pattern ${String(params.pattern)}`,
      );
    default:
      return violation(
        pointer,
        at,
        error.keyword,
        `${showValue(value)} ${error.message ?? `breaks ${error.keyword}`}`,
      );
  }
}

/** Last resort when the walk found nothing (a keyword it does not follow, e.g. unevaluatedProperties). */
function fromAjvErrors(errors: ErrorObject[], schemaPointer: string): Violation[] {
  return errors
    .filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', '$ref'].includes(e.keyword))
    .map((e) => {
      const params = e.params as {
        missingProperty?: string;
        unevaluatedProperty?: string;
        additionalProperty?: string;
      };
      const sp = e.schemaPath.startsWith('#/$defs/')
        ? e.schemaPath
        : `${schemaPointer}${e.schemaPath.replace(/^#/, '')}`;
      if (e.keyword === 'required') {
        return violation(
          childPointer(e.instancePath, String(params.missingProperty)),
          sp,
          'required',
          'is required but missing',
        );
      }
      const extra = params.unevaluatedProperty ?? params.additionalProperty;
      if (extra !== undefined)
        return violation(
          childPointer(e.instancePath, extra),
          sp,
          e.keyword,
          `is not allowed (${e.keyword}: false)`,
        );
      return violation(e.instancePath, sp, e.keyword, e.message ?? `breaks ${e.keyword}`);
    });
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.pointer}\u0000${v.rule}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
