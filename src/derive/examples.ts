/**
 * Examples the mock serves: the contract's own (validated, repaired when invalid, each problem a
 * warning) or, when it has none, a generated value named `__generated`.
 */
import { generatedEventStream } from '../../templates/runtime/core/events';
import {
  isEventStreamMediaType,
  isXmlMediaType,
  isFormMediaType,
  isMultipartMediaType,
} from '../../templates/runtime/core/media-types';
import { generateValue, repairValue } from '../../templates/runtime/core/fake';
import type { SchemaCompiler } from '../../templates/runtime/core/ajv';
import type { ExampleData } from '../../templates/runtime/core/types';
import type {
  Defs,
  Diagnostic,
  HeaderSpec,
  JsonSchema,
  MediaTypeSpec,
  NamedExample,
  ValuePools,
} from '../model/types';
import { deepEqual, isRecord } from '../../templates/runtime/core/json';
import { defName } from '../../templates/runtime/core/pointer';

export const GENERATED_EXAMPLE = '__generated';

export interface ExampleContext {
  /** contract file, for diagnostics */
  file: string;
  /** `GET /pets/{petId}` */
  operation: string;
  defs: Defs;
  compiler: SchemaCompiler;
  pools?: ValuePools;
  /** faker locale (templates/runtime/core/fake/faker.ts) */
  locale?: string;
  direction: 'request' | 'response';
  /** base of every seed in this context, e.g. `42:getPet:200` (see exampleSeed) */
  seed: string;
  /** what the examples belong to, for messages: `response 200`, `request body` */
  label: string;
}

/** How a media type's body is written: JSON-like values, XML (an object the runtime serialises), or text/bytes. */
export type BodyKind = 'json' | 'xml' | 'text' | 'binary' | 'form';

export function bodyKind(mediaType: string): BodyKind {
  const type = mediaType.toLowerCase();
  // JSON-like, wider than isJsonMediaType on purpose: `application/x-ndjson` and `application/jsonl`
  // examples are JSON values too, and a contract's "anything" (`*/*`, none) is answered with JSON.
  if (type === '*/*' || type === '' || type.includes('json')) return 'json';
  if (isXmlMediaType(type)) return 'xml';
  if (isFormMediaType(type) || isMultipartMediaType(type)) return 'form';
  if (
    type.startsWith('text/') ||
    type === 'application/javascript' ||
    type === 'application/yaml' ||
    type.endsWith('+yaml')
  ) {
    return 'text';
  }
  return 'binary';
}

/** A seed string stable for one place in the contract, so output does not move when other operations change. */
export function exampleSeed(seed: number, ...parts: string[]): string {
  return [String(seed), ...parts].join(':');
}

/**
 * The examples of one media type: named `examples` in contract order, then a lone `example`
 * (`default`), then schema-level `examples`; invalid ones repaired with a warning. When there is
 * none, one generated value named `__generated`.
 */
export function mediaExamples(
  media: MediaTypeSpec,
  ctx: ExampleContext,
): { examples: ExampleData[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const kind = bodyKind(media.mediaType);
  const seed = `${ctx.seed}:${media.mediaType}`;
  const where = `${ctx.label} ${media.mediaType}`;
  const examples: ExampleData[] = [];
  const names = new Set<string>();
  const seen: unknown[] = [];

  for (const example of collectExamples(media, ctx)) {
    if (example.value === undefined) continue;
    if (seen.some((value) => deepEqual(value, example.value))) continue;
    seen.push(example.value);
    let value: unknown = example.value;
    if (media.schema !== undefined && kind === 'json' && typeof value === 'string') {
      // a JSON body written as JSON text (`"value": "{\"data\": []}"`): served as the value it spells
      const parsed = parseJsonText(value);
      if (parsed !== undefined && !ctx.compiler.compile(media.schema)(value)) value = parsed;
    }
    if (media.schema !== undefined && shouldValidate(value, kind)) {
      const result = repairValue(value, media.schema, ctx.defs, {
        seed: `${seed}:${example.name}`,
        direction: ctx.direction,
        compiler: ctx.compiler,
        pools: ctx.pools,
        locale: ctx.locale,
      });
      // a text example checked against an object schema fails on type only: the text is the serialised
      // body; a JSON body is a JSON value, so a string there is a string
      const serialised = kind !== 'json' && typeof value === 'string' && isRootTypeError(result.errors);
      if (result.repaired && !serialised) {
        diagnostics.push(invalidExample(example, where, result.errors, ctx));
        value = result.value;
      }
    }
    examples.push({
      name: uniqueName(example.name, names),
      value: escapeTemplateMarkers(asBody(value, kind)),
    });
  }

  if (examples.length === 0) {
    const generate = (at: string): unknown =>
      generateValue(media.schema ?? defaultSchema(kind), ctx.defs, {
        seed: at,
        direction: ctx.direction,
        compiler: ctx.compiler,
        pools: ctx.pools,
        locale: ctx.locale,
      });
    // an event stream's schema is one event's: a short stream of them (runtime/core/events.ts)
    const value = isEventStreamMediaType(media.mediaType)
      ? generatedEventStream((i) => generate(i === 0 ? seed : `${seed}:${i}`))
      : generate(seed);
    examples.push({ name: GENERATED_EXAMPLE, value: escapeTemplateMarkers(asBody(value, kind)) });
  }
  return { examples, diagnostics };
}

/** The value a response header is sent with: its first example (repaired when invalid), else generated. */
export function headerValue(
  header: HeaderSpec,
  ctx: ExampleContext,
): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seed = `${ctx.seed}:header:${header.name.toLowerCase()}`;
  const options = {
    seed,
    direction: ctx.direction,
    compiler: ctx.compiler,
    pools: ctx.pools,
    locale: ctx.locale,
  };
  const example = header.examples.find((e) => e.value !== undefined);
  if (example) {
    const result = repairValue(example.value, header.schema, ctx.defs, options);
    if (result.repaired)
      diagnostics.push(invalidExample(example, `${ctx.label} header ${header.name}`, result.errors, ctx));
    return { value: escapeTemplateMarkers(result.value), diagnostics };
  }
  const value = generateValue(header.schema, ctx.defs, options);
  return { value: escapeTemplateMarkers(value), diagnostics };
}

/**
 * Contract data that looks like a template marker (`{ "$tpl": ... }`) is wrapped in `$literal`
 * so the runtime serves it as written.
 */
export function escapeTemplateMarkers(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = escapeTemplateMarkers(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && (keys[0] === '$tpl' || keys[0] === '$tplJson' || keys[0] === '$literal')) {
    return { $literal: record };
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of keys) {
    const next = escapeTemplateMarkers(record[key]);
    if (next !== record[key]) (copy ??= { ...record })[key] = next;
  }
  return copy ?? value;
}

function collectExamples(media: MediaTypeSpec, ctx: ExampleContext): NamedExample[] {
  // The loader lists a lone `example` before the `examples` map; named ones come first here.
  const lone = (e: NamedExample): boolean =>
    /\/example$/.test(e.pointer) && !/\/schema(\/|$)/.test(e.pointer);
  const named = media.examples.filter((e) => !lone(e));
  const single = media.examples.filter(lone);
  return [...named, ...single, ...schemaExamples(media, ctx)];
}

function schemaExamples(media: MediaTypeSpec, ctx: ExampleContext): NamedExample[] {
  let schema: JsonSchema | undefined = media.schema;
  let inline = true;
  for (let hops = 0; hops < 8 && isRecord(schema) && !Array.isArray(schema.examples); hops++) {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return [];
    schema = ctx.defs[defName(ref) ?? ''];
    inline = false;
  }
  if (!isRecord(schema) || !Array.isArray(schema.examples)) return [];
  // a named schema's place in the contract is not known here: point at the media type's schema
  const base = `${media.pointer}/schema`;
  return (schema.examples as unknown[]).map((value, i) => ({
    name: `example-${i + 1}`,
    value,
    pointer: inline ? `${base}/examples/${i}` : base,
  }));
}

function shouldValidate(value: unknown, kind: BodyKind): boolean {
  // an XML example written as XML text cannot be checked against a JSON Schema
  if (kind === 'xml' && typeof value === 'string') return false;
  return true;
}

/** The example fails on its root type only (a text example checked against an object schema). */
function isRootTypeError(errors: string[]): boolean {
  return errors.length > 0 && /^\(root\) must be (object|array)/.test(errors[0]);
}

/** The value of a text holding a JSON object or array; undefined when it holds something else. */
function parseJsonText(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asBody(value: unknown, kind: BodyKind): unknown {
  if (kind !== 'text' && kind !== 'binary') return value;
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function defaultSchema(kind: BodyKind): JsonSchema {
  switch (kind) {
    case 'text':
    case 'binary':
      return { type: 'string' };
    case 'xml':
    case 'form':
      return { type: 'object' };
    default:
      return true;
  }
}

function invalidExample(
  example: NamedExample,
  where: string,
  errors: string[],
  ctx: ExampleContext,
): Diagnostic {
  const first = errors[0] ?? 'does not match its schema';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    severity: 'warning',
    code: 'invalid-example',
    file: ctx.file,
    pointer: example.pointer,
    operation: ctx.operation,
    message: `example \`${example.name}\` of ${where} does not match its schema: ${first}${more}; the mock serves a repaired copy`,
  };
}

function uniqueName(name: string, taken: Set<string>): string {
  let unique = name === '' ? 'example' : name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}-${i}`;
  taken.add(unique);
  return unique;
}
