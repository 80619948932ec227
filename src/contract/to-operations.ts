import {
  HTTP_METHODS,
  type Encoding,
  type HeaderSpec,
  type HttpMethod,
  type JsonSchema,
  type MediaTypeSpec,
  type NamedExample,
  type Operation,
  type Parameter,
  type ParameterLocation,
  type RequestBodySpec,
  type ResponseSpec,
} from '../model/types';
import { type OpenApiVersion, type SchemaConverter, describe } from './convert-schema';
import type { Diagnostics } from './diagnostics';
import type { RefResolver } from './resolve';
import { mediaTypeOf } from '../../templates/runtime/core/media-types';
import { toSecurityRequirements } from './security';
import {
  type JsonObject,
  asArray,
  asBoolean,
  asRecord,
  asString,
  isRecord,
} from '../../templates/runtime/core/json';
import { child, getAt, refToPointer } from '../../templates/runtime/core/pointer';
import type { SecurityScheme } from '../../templates/runtime/core/types';

export interface OperationContext {
  doc: JsonObject;
  version: OpenApiVersion;
  refs: RefResolver;
  schemas: SchemaConverter;
  diagnostics: Diagnostics;
  securitySchemes: Record<string, SecurityScheme>;
}

type Style = Parameter['style'];

const LOCATIONS = new Set<ParameterLocation>(['path', 'query', 'header', 'cookie']);
const STYLES = new Set<Style>([
  'matrix',
  'label',
  'form',
  'simple',
  'spaceDelimited',
  'pipeDelimited',
  'deepObject',
  'tabDelimited',
]);
/** Swagger 2.0 parameter/header/items fields that are schema keywords. */
const SWAGGER_SCHEMA_FIELDS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
  'x-nullable',
  'nullable',
];
const DEFAULT_MEDIA = ['application/json'];
const FORM_URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

/** Every operation of the bundled document, in document order, with unique ids. */
export function toOperations(ctx: OperationContext): Operation[] {
  const paths = asRecord(ctx.doc.paths) ?? {};
  const drafts: { op: Operation; explicitId?: string }[] = [];
  for (const [rawPath, rawItem] of Object.entries(paths)) {
    if (rawPath.startsWith('x-')) continue;
    const itemPointer = child('/paths', rawPath);
    let path = rawPath.trim();
    if (!path.startsWith('/')) {
      ctx.diagnostics.warn(
        'invalid-path',
        itemPointer,
        `path ${JSON.stringify(rawPath)} does not start with "/"; read as "/${path}"`,
      );
      path = `/${path}`;
    }
    const item = ctx.refs.resolveObject(rawItem, itemPointer);
    if (!item) {
      ctx.diagnostics.warn(
        'invalid-path',
        itemPointer,
        `path item is ${describe(rawItem)}, expected an object; skipped`,
      );
      continue;
    }
    for (const [key, rawOp] of Object.entries(item.value)) {
      const method = key.toLowerCase() as HttpMethod;
      if (!HTTP_METHODS.includes(method)) continue;
      const opPointer = child(item.pointer, key);
      if (!isRecord(rawOp)) {
        ctx.diagnostics.warn(
          'invalid-operation',
          opPointer,
          `operation is ${describe(rawOp)}, expected an object; skipped`,
        );
        continue;
      }
      const op = new OperationBuilder(ctx, method, path, rawOp, opPointer, item.value, item.pointer).build();
      const explicitId = asString(rawOp.operationId)?.trim();
      drafts.push({ op, explicitId: explicitId || undefined });
    }
  }
  assignIds(drafts, ctx.diagnostics);
  return drafts.map((d) => d.op);
}

/** operationId when unique; derived `<method>_<path>` otherwise; collisions get `_2`, `_3`... */
function assignIds(drafts: { op: Operation; explicitId?: string }[], diagnostics: Diagnostics): void {
  const explicit = new Set(drafts.map((d) => d.explicitId).filter((id): id is string => id !== undefined));
  const used = new Set<string>();
  for (const draft of drafts) {
    if (draft.explicitId !== undefined && !used.has(draft.explicitId)) {
      draft.op.id = draft.explicitId;
      used.add(draft.explicitId);
      continue;
    }
    const base = draft.explicitId ?? derivedId(draft.op.method, draft.op.path);
    let id = base;
    for (let n = 2; used.has(id) || (id !== draft.explicitId && explicit.has(id)); n++) id = `${base}_${n}`;
    if (draft.explicitId !== undefined) {
      diagnostics.warn(
        'duplicate-operation-id',
        child(draft.op.pointer, 'operationId'),
        `operationId ${JSON.stringify(draft.explicitId)} is used more than once; this operation is called ${JSON.stringify(id)}`,
        label(draft.op.method, draft.op.path),
      );
    }
    draft.op.id = id;
    used.add(id);
  }
}

export function derivedId(method: string, path: string): string {
  const tail = path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${method}_${tail || 'root'}`;
}

function label(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

class OperationBuilder {
  private readonly label: string;

  constructor(
    private readonly ctx: OperationContext,
    private readonly method: HttpMethod,
    private readonly path: string,
    private readonly op: JsonObject,
    private readonly pointer: string,
    private readonly pathItem: JsonObject,
    private readonly pathItemPointer: string,
  ) {
    this.label = label(method, path);
  }

  build(): Operation {
    const { ctx, op } = this;
    const operation: Operation = {
      id: '',
      method: this.method,
      path: this.path,
      tags: asArray(op.tags).filter((t): t is string => typeof t === 'string'),
      deprecated: op.deprecated === true,
      parameters: [],
      responses: this.responses(),
      security: toSecurityRequirements(
        op.security !== undefined ? op.security : ctx.doc.security,
        op.security !== undefined ? child(this.pointer, 'security') : '/security',
        ctx.securitySchemes,
        ctx.diagnostics,
        this.label,
      ),
      pointer: this.pointer,
    };
    if (typeof op.summary === 'string') operation.summary = op.summary;
    if (typeof op.description === 'string') operation.description = op.description;
    const { parameters, requestBody } =
      ctx.version === '2.0' ? this.swaggerParameters() : this.openApiParameters();
    operation.parameters = this.checkPathParameters(parameters);
    if (requestBody) operation.requestBody = requestBody;
    return operation;
  }

  // -- parameters ------------------------------------------------------------------------------

  /** Path-level then operation-level parameter objects, `$ref`s resolved, operation winning by name+in. */
  private rawParameters(): { value: JsonObject; pointer: string }[] {
    const merged = new Map<string, { value: JsonObject; pointer: string }>();
    const lists: [unknown, string][] = [
      [this.pathItem.parameters, child(this.pathItemPointer, 'parameters')],
      [this.op.parameters, child(this.pointer, 'parameters')],
    ];
    for (const [list, listPointer] of lists) {
      if (list !== undefined && !Array.isArray(list)) {
        this.ctx.diagnostics.warn(
          'invalid-parameter',
          listPointer,
          `parameters is ${describe(list)}, expected an array; ignored`,
          this.label,
        );
        continue;
      }
      asArray(list).forEach((raw, i) => {
        const resolved = this.ctx.refs.resolveObject(raw, child(listPointer, i));
        const name = resolved && asString(resolved.value.name);
        const location = resolved && asString(resolved.value.in);
        if (!resolved || name === undefined || location === undefined) {
          this.ctx.diagnostics.warn(
            'invalid-parameter',
            child(listPointer, i),
            'parameter without `name` and `in`; ignored',
            this.label,
          );
          return;
        }
        merged.set(`${location}:${location === 'header' ? name.toLowerCase() : name}`, resolved);
      });
    }
    return [...merged.values()];
  }

  private openApiParameters(): { parameters: Parameter[]; requestBody?: RequestBodySpec } {
    const parameters: Parameter[] = [];
    for (const { value: p, pointer } of this.rawParameters()) {
      const location = p.in as ParameterLocation;
      if (!LOCATIONS.has(location)) {
        this.ctx.diagnostics.warn(
          'invalid-parameter',
          child(pointer, 'in'),
          `parameter location ${JSON.stringify(p.in)} is not path, query, header or cookie; ignored`,
          this.label,
        );
        continue;
      }
      const defaultStyle: Style = location === 'query' || location === 'cookie' ? 'form' : 'simple';
      let style = (asString(p.style) as Style | undefined) ?? defaultStyle;
      if (!STYLES.has(style)) {
        this.ctx.diagnostics.warn(
          'invalid-parameter',
          child(pointer, 'style'),
          `unknown style ${JSON.stringify(p.style)}; ${defaultStyle} used`,
          this.label,
        );
        style = defaultStyle;
      }
      const parameter: Parameter = {
        name: String(p.name),
        in: location,
        required: location === 'path' ? true : p.required === true,
        style,
        explode: asBoolean(p.explode) ?? style === 'form',
        allowReserved: p.allowReserved === true,
        schema: {},
        deprecated: p.deprecated === true,
        examples: [],
        pointer,
      };
      const content = asRecord(p.content);
      if (p.schema !== undefined) {
        parameter.schema = this.ctx.schemas.convert(p.schema, child(pointer, 'schema'));
        parameter.examples = this.examples(p, pointer, p.schema, child(pointer, 'schema'));
      } else if (content && Object.keys(content).length > 0) {
        const [mediaType, media] = Object.entries(content)[0];
        const spec = this.mediaType(mediaType, media, child(child(pointer, 'content'), mediaType));
        parameter.contentType = spec.mediaType;
        if (spec.schema !== undefined) parameter.schema = spec.schema;
        parameter.examples = [...this.examples(p, pointer), ...spec.examples];
      } else {
        parameter.examples = this.examples(p, pointer);
      }
      parameters.push(parameter);
    }
    return { parameters, requestBody: this.openApiRequestBody() };
  }

  private swaggerParameters(): { parameters: Parameter[]; requestBody?: RequestBodySpec } {
    const parameters: Parameter[] = [];
    let body: { value: JsonObject; pointer: string } | undefined;
    const formData: { value: JsonObject; pointer: string }[] = [];
    for (const raw of this.rawParameters()) {
      const { value: p, pointer } = raw;
      if (p.in === 'body') {
        body = raw;
        continue;
      }
      if (p.in === 'formData') {
        formData.push(raw);
        continue;
      }
      const location = p.in as ParameterLocation;
      if (!LOCATIONS.has(location)) {
        this.ctx.diagnostics.warn(
          'invalid-parameter',
          child(pointer, 'in'),
          `parameter location ${JSON.stringify(p.in)} is not path, query, header, body or formData; ignored`,
          this.label,
        );
        continue;
      }
      const { style, explode } = collectionStyle(asString(p.collectionFormat), location);
      parameters.push({
        name: String(p.name),
        in: location,
        required: location === 'path' ? true : p.required === true,
        style,
        explode,
        allowReserved: false,
        schema: this.ctx.schemas.convert(swaggerSchema(p), pointer),
        deprecated: p.deprecated === true || p['x-deprecated'] === true,
        examples:
          'x-example' in p
            ? [
                {
                  name: 'default',
                  value: this.exampleValue(p['x-example']),
                  pointer: child(pointer, 'x-example'),
                },
              ]
            : [],
        pointer,
      });
    }
    if (body && formData.length > 0) {
      this.ctx.diagnostics.warn(
        'invalid-parameter',
        formData[0].pointer,
        'an operation cannot have both a body and formData parameters; formData ignored',
        this.label,
      );
    }
    const requestBody = body
      ? this.swaggerBody(body.value, body.pointer)
      : formData.length > 0
        ? this.swaggerForm(formData)
        : undefined;
    return { parameters, requestBody };
  }

  private consumes(): string[] {
    return mediaList(this.op.consumes) ?? mediaList(this.ctx.doc.consumes) ?? DEFAULT_MEDIA;
  }

  private produces(): string[] {
    return mediaList(this.op.produces) ?? mediaList(this.ctx.doc.produces) ?? DEFAULT_MEDIA;
  }

  private swaggerBody(p: JsonObject, pointer: string): RequestBodySpec {
    const schema =
      p.schema !== undefined ? this.ctx.schemas.convert(p.schema, child(pointer, 'schema')) : undefined;
    const xExamples = asRecord(p['x-examples']) ?? {};
    const mediaTypes = this.consumes();
    for (const key of Object.keys(xExamples)) {
      if (!mediaTypes.includes(mediaTypeOf(key))) mediaTypes.push(mediaTypeOf(key));
    }
    const content = mediaTypes.map((mediaType): MediaTypeSpec => {
      const exampleKey = Object.keys(xExamples).find((k) => mediaTypeOf(k) === mediaType);
      const examples: NamedExample[] =
        exampleKey !== undefined
          ? [
              {
                name: 'default',
                value: this.exampleValue(xExamples[exampleKey]),
                pointer: child(child(pointer, 'x-examples'), exampleKey),
              },
            ]
          : this.schemaExamples(p.schema, child(pointer, 'schema'));
      return { mediaType, ...(schema !== undefined ? { schema } : {}), examples, pointer };
    });
    return { required: p.required === true, content, pointer };
  }

  private swaggerForm(fields: { value: JsonObject; pointer: string }[]): RequestBodySpec {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const encoding: Record<string, Encoding> = {};
    let hasFile = false;
    for (const { value: p, pointer } of fields) {
      const name = String(p.name);
      const schema = this.ctx.schemas.convert(swaggerSchema(p), pointer) as JsonObject;
      if (typeof p.description === 'string' && typeof schema === 'object') schema.description = p.description;
      properties[name] = schema;
      if (p.required === true) required.push(name);
      if (p.type === 'file') hasFile = true;
      if (p.type === 'array') {
        const { style, explode } = collectionStyle(asString(p.collectionFormat), 'query');
        encoding[name] = { style, explode };
      }
    }
    const consumes = this.consumes().filter((m) => m === FORM_URLENCODED || m === MULTIPART);
    if (consumes.length === 0) consumes.push(hasFile ? MULTIPART : FORM_URLENCODED);
    else if (hasFile && !consumes.includes(MULTIPART)) consumes.push(MULTIPART);
    const schema: JsonObject = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    const pointer = fields[0].pointer.replace(/\/\d+$/, '');
    const content = consumes.map((mediaType): MediaTypeSpec => ({
      mediaType,
      schema,
      examples: [],
      ...(Object.keys(encoding).length > 0 ? { encoding } : {}),
      pointer,
    }));
    return { required: required.length > 0, content, pointer };
  }

  private openApiRequestBody(): RequestBodySpec | undefined {
    if (this.op.requestBody === undefined) return undefined;
    const resolved = this.ctx.refs.resolveObject(this.op.requestBody, child(this.pointer, 'requestBody'));
    if (!resolved) {
      this.ctx.diagnostics.warn(
        'invalid-request-body',
        child(this.pointer, 'requestBody'),
        `requestBody is ${describe(this.op.requestBody)}; ignored`,
        this.label,
      );
      return undefined;
    }
    return {
      required: resolved.value.required === true,
      content: this.content(resolved.value.content, child(resolved.pointer, 'content')),
      pointer: resolved.pointer,
    };
  }

  /** Synthesises path parameters the template names but the contract forgets; drops those it cannot have. */
  private checkPathParameters(parameters: Parameter[]): Parameter[] {
    const inTemplate = [...this.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    const out = parameters.filter((p) => {
      if (p.in !== 'path' || inTemplate.includes(p.name)) return true;
      this.ctx.diagnostics.warn(
        'invalid-parameter',
        p.pointer,
        `path parameter ${p.name} does not appear in the path template; ignored`,
        this.label,
      );
      return false;
    });
    for (const name of inTemplate) {
      if (out.some((p) => p.in === 'path' && p.name === name)) continue;
      this.ctx.diagnostics.warn(
        'undeclared-path-parameter',
        this.pointer,
        `path parameter {${name}} is not declared; read as a string`,
        this.label,
      );
      out.push({
        name,
        in: 'path',
        required: true,
        style: 'simple',
        explode: false,
        allowReserved: false,
        schema: { type: 'string' },
        deprecated: false,
        examples: [],
        pointer: this.pointer,
      });
    }
    return out;
  }

  // -- responses -------------------------------------------------------------------------------

  private responses(): ResponseSpec[] {
    const pointer = child(this.pointer, 'responses');
    const raw = this.op.responses;
    if (raw !== undefined && !isRecord(raw)) {
      this.ctx.diagnostics.warn(
        'invalid-response',
        pointer,
        `responses is ${describe(raw)}, expected an object; ignored`,
        this.label,
      );
      return [];
    }
    const out: ResponseSpec[] = [];
    for (const [code, rawResponse] of Object.entries(raw ?? {})) {
      if (code.startsWith('x-')) continue;
      const at = child(pointer, code);
      const status = normaliseStatus(code);
      if (status === undefined) {
        this.ctx.diagnostics.warn(
          'invalid-response',
          at,
          `response key ${JSON.stringify(code)} is not a status code, a range like 4XX, or default; ignored`,
          this.label,
        );
        continue;
      }
      if (out.some((r) => r.status === status)) continue;
      const resolved = this.ctx.refs.resolveObject(rawResponse, at);
      if (!resolved) {
        this.ctx.diagnostics.warn(
          'invalid-response',
          at,
          `response is ${describe(rawResponse)}, expected an object; ignored`,
          this.label,
        );
        continue;
      }
      out.push(
        this.ctx.version === '2.0'
          ? this.swaggerResponse(status, resolved.value, resolved.pointer)
          : this.openApiResponse(status, resolved.value, resolved.pointer),
      );
    }
    return out.sort((a, b) => statusRank(a.status) - statusRank(b.status));
  }

  private openApiResponse(status: string, r: JsonObject, pointer: string): ResponseSpec {
    const headers: HeaderSpec[] = [];
    for (const [name, raw] of Object.entries(asRecord(r.headers) ?? {})) {
      if (name.toLowerCase() === 'content-type') continue; // OpenAPI: ignored in response headers
      const at = child(child(pointer, 'headers'), name);
      const resolved = this.ctx.refs.resolveObject(raw, at);
      if (!resolved) continue;
      const h = resolved.value;
      let schema: JsonSchema = {};
      let examples: NamedExample[];
      if (h.schema !== undefined) {
        schema = this.ctx.schemas.convert(h.schema, child(resolved.pointer, 'schema'));
        examples = this.examples(h, resolved.pointer, h.schema, child(resolved.pointer, 'schema'));
      } else {
        const content = this.content(h.content, child(resolved.pointer, 'content'));
        schema = content[0]?.schema ?? {};
        examples = [...this.examples(h, resolved.pointer), ...(content[0]?.examples ?? [])];
      }
      headers.push({ name, required: h.required === true, schema, examples, pointer: resolved.pointer });
    }
    return {
      status,
      description: asString(r.description) ?? '',
      headers,
      content: this.content(r.content, child(pointer, 'content')),
      pointer,
    };
  }

  private swaggerResponse(status: string, r: JsonObject, pointer: string): ResponseSpec {
    const headers: HeaderSpec[] = [];
    for (const [name, raw] of Object.entries(asRecord(r.headers) ?? {})) {
      if (name.toLowerCase() === 'content-type') continue;
      const at = child(child(pointer, 'headers'), name);
      const resolved = this.ctx.refs.resolveObject(raw, at);
      if (!resolved) continue;
      const h = resolved.value;
      headers.push({
        name,
        required: false,
        schema: this.ctx.schemas.convert(swaggerSchema(h), resolved.pointer),
        examples:
          'x-example' in h
            ? [
                {
                  name: 'default',
                  value: this.exampleValue(h['x-example']),
                  pointer: child(resolved.pointer, 'x-example'),
                },
              ]
            : [],
        pointer: resolved.pointer,
      });
    }
    const examplesByMime = asRecord(r.examples) ?? {};
    const content: MediaTypeSpec[] = [];
    if (r.schema !== undefined || Object.keys(examplesByMime).length > 0) {
      const schema =
        r.schema !== undefined ? this.ctx.schemas.convert(r.schema, child(pointer, 'schema')) : undefined;
      const mediaTypes = [...this.produces()];
      for (const key of Object.keys(examplesByMime)) {
        const mediaType = mediaTypeOf(key);
        if (!mediaTypes.includes(mediaType)) mediaTypes.push(mediaType);
      }
      for (const mediaType of mediaTypes) {
        const exampleKey = Object.keys(examplesByMime).find((k) => mediaTypeOf(k) === mediaType);
        const examples: NamedExample[] =
          exampleKey !== undefined
            ? [
                {
                  name: 'default',
                  value: this.exampleValue(examplesByMime[exampleKey]),
                  pointer: child(child(pointer, 'examples'), exampleKey),
                },
              ]
            : this.schemaExamples(r.schema, child(pointer, 'schema'));
        content.push({ mediaType, ...(schema !== undefined ? { schema } : {}), examples, pointer });
      }
    }
    return { status, description: asString(r.description) ?? '', headers, content, pointer };
  }

  // -- media types and examples ----------------------------------------------------------------

  private content(raw: unknown, pointer: string): MediaTypeSpec[] {
    const out: MediaTypeSpec[] = [];
    for (const [key, media] of Object.entries(asRecord(raw) ?? {})) {
      const spec = this.mediaType(key, media, child(pointer, key));
      if (spec.mediaType !== '' && !out.some((m) => m.mediaType === spec.mediaType)) out.push(spec);
    }
    return out;
  }

  private mediaType(key: string, raw: unknown, pointer: string): MediaTypeSpec {
    const resolved = this.ctx.refs.resolveObject(raw, pointer);
    const mediaType = mediaTypeOf(key);
    if (!resolved) return { mediaType, examples: [], pointer };
    const m = resolved.value;
    const at = resolved.pointer;
    const spec: MediaTypeSpec = {
      mediaType,
      examples: this.examples(m, at, m.schema, child(at, 'schema')),
      pointer: at,
    };
    if (m.schema !== undefined) spec.schema = this.ctx.schemas.convert(m.schema, child(at, 'schema'));
    const encoding = asRecord(m.encoding);
    if (encoding) {
      spec.encoding = {};
      for (const [field, rawEncoding] of Object.entries(encoding)) {
        const e = asRecord(rawEncoding) ?? {};
        const out: Encoding = {};
        const contentType = asString(e.contentType);
        if (contentType) out.contentType = contentType;
        const style = asString(e.style);
        if (style) out.style = style;
        const explode = asBoolean(e.explode);
        if (explode !== undefined) out.explode = explode;
        spec.encoding[field] = out;
      }
    }
    return spec;
  }

  /**
   * `example`, then the `examples` map (Example objects, `$ref`s resolved, `externalValue` skipped);
   * when there are none, the examples of the (referenced) schema itself.
   */
  private examples(
    holder: JsonObject,
    pointer: string,
    schema?: unknown,
    schemaPointer?: string,
  ): NamedExample[] {
    const out: NamedExample[] = [];
    if ('example' in holder)
      out.push({
        name: 'default',
        value: this.exampleValue(holder.example),
        pointer: child(pointer, 'example'),
      });
    const map = asRecord(holder.examples);
    for (const [name, raw] of Object.entries(map ?? {})) {
      const at = child(child(pointer, 'examples'), name);
      const resolved = this.ctx.refs.resolveObject(raw, at);
      if (resolved && 'value' in resolved.value) {
        const example: NamedExample = {
          name,
          value: this.exampleValue(resolved.value.value),
          pointer: child(resolved.pointer, 'value'),
        };
        const summary = asString(resolved.value.summary);
        if (summary !== undefined) example.summary = summary;
        out.push(example);
      } else if (!resolved || !('externalValue' in resolved.value)) {
        this.ctx.diagnostics.warn(
          'invalid-example',
          at,
          'example has no `value` (an Example object is expected here); ignored',
          this.label,
        );
      }
    }
    if (out.length === 0 && schemaPointer !== undefined) return this.schemaExamples(schema, schemaPointer);
    return out;
  }

  /**
   * Example values are data, but authors (GitHub's contract among them) `$ref` other examples inside
   * them and every dereferencing tool resolves those; so does this (cycles and dangling refs stay literal).
   */
  private exampleValue(value: unknown): unknown {
    if (!containsRef(value, 0)) return value;
    const resolve = (node: unknown, active: Set<string>, depth: number): unknown => {
      if (depth > 64 || node === null || typeof node !== 'object') return node;
      if (Array.isArray(node)) return node.map((item) => resolve(item, active, depth + 1));
      const record = node as JsonObject;
      if (typeof record.$ref === 'string') {
        const target = refToPointer(record.$ref);
        let value = target === undefined || active.has(target) ? undefined : getAt(this.ctx.doc, target);
        // a ref to an Example object (`#/components/examples/X`) means its `value`, as tools read it
        if (target !== undefined && /^\/components\/examples\/[^/]+$/.test(target)) {
          const example = asRecord(value);
          if (example && 'value' in example) value = example.value;
        }
        if (target !== undefined && value !== undefined)
          return resolve(value, new Set(active).add(target), depth + 1);
      }
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(record)) out[key] = resolve(item, active, depth + 1);
      return out;
    };
    return resolve(value, new Set(), 0);
  }

  private schemaExamples(schema: unknown, pointer: string): NamedExample[] {
    if (schema === undefined) return [];
    const resolved = this.ctx.refs.resolveObject(schema, pointer);
    if (!resolved) return [];
    const s = resolved.value;
    if (Array.isArray(s.examples)) {
      return s.examples.map((value, i) => ({
        name: `example-${i + 1}`,
        value: this.exampleValue(value),
        pointer: child(child(resolved.pointer, 'examples'), i),
      }));
    }
    if ('example' in s)
      return [
        { name: 'default', value: this.exampleValue(s.example), pointer: child(resolved.pointer, 'example') },
      ];
    return [];
  }
}

/** Swagger 2.0 collectionFormat in OpenAPI 3 terms. */
export function collectionStyle(
  format: string | undefined,
  location: ParameterLocation,
): { style: Style; explode: boolean } {
  switch (format) {
    case 'multi':
      return { style: 'form', explode: true };
    case 'ssv':
      return { style: 'spaceDelimited', explode: false };
    case 'pipes':
      return { style: 'pipeDelimited', explode: false };
    case 'tsv':
      return { style: 'tabDelimited', explode: false };
    default:
      return location === 'query' || location === 'cookie'
        ? { style: 'form', explode: false }
        : { style: 'simple', explode: false };
  }
}

/** The schema part of a Swagger 2.0 parameter, header or items object. */
function swaggerSchema(p: JsonObject): JsonObject {
  const schema: JsonObject = {};
  for (const field of SWAGGER_SCHEMA_FIELDS) {
    if (field in p) schema[field] = p[field];
  }
  return schema;
}

function containsRef(value: unknown, depth: number): boolean {
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => containsRef(item, depth + 1));
  if (typeof (value as JsonObject).$ref === 'string') return true;
  return Object.values(value as JsonObject).some((item) => containsRef(item, depth + 1));
}

function mediaList(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const list = [...new Set(raw.filter((m): m is string => typeof m === 'string').map(mediaTypeOf))].filter(
    (m) => m !== '',
  );
  return list.length > 0 ? list : undefined;
}

export function normaliseStatus(code: string): string | undefined {
  const trimmed = code.trim();
  if (/^[1-5][0-9][0-9]$/.test(trimmed)) return trimmed;
  if (/^[1-5]xx$/i.test(trimmed)) return trimmed.toUpperCase();
  if (trimmed.toLowerCase() === 'default') return 'default';
  return undefined;
}

function statusRank(status: string): number {
  if (status === 'default') return 10000;
  if (status.endsWith('XX')) return 1000 + Number(status[0]);
  return Number(status);
}
