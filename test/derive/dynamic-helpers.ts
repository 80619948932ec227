/** Hand-built contracts, operations and matched exchanges for the dynamic/resources tests. */
import type {
  Contract,
  Defs,
  HttpMethod,
  JsonSchema,
  MatchedExchange,
  NamedExample,
  Operation,
  Parameter,
  ResponseSpec,
} from '../../src/model/types';
import type { SecurityScheme } from '../../templates/runtime/core/types';

export function response(status: string, schema?: JsonSchema, examples: unknown[] = []): ResponseSpec {
  return {
    status,
    description: '',
    headers: [],
    content:
      schema === undefined && examples.length === 0
        ? []
        : [
            {
              mediaType: 'application/json',
              ...(schema !== undefined ? { schema } : {}),
              examples: examples.map((value, i): NamedExample => ({
                name: `example-${i}`,
                value,
                pointer: '',
              })),
              pointer: '',
            },
          ],
    pointer: '',
  };
}

export function pathParam(name: string, schema: JsonSchema = { type: 'string' }): Parameter {
  return {
    name,
    in: 'path',
    required: true,
    style: 'simple',
    explode: false,
    allowReserved: false,
    schema,
    deprecated: false,
    examples: [],
    pointer: '',
  };
}

export function op(
  method: HttpMethod,
  path: string,
  options: { id?: string; responses?: ResponseSpec[]; parameters?: Parameter[] } = {},
): Operation {
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]);
  return {
    id: options.id ?? `${method}_${path}`,
    method,
    path,
    tags: [],
    deprecated: false,
    parameters: options.parameters ?? params.map((name) => pathParam(name)),
    responses: options.responses ?? [response('200')],
    security: [],
    pointer: '',
  };
}

export function contract(
  operations: Operation[],
  schemas: Defs = {},
  extra: { basePath?: string; securitySchemes?: Record<string, SecurityScheme> } = {},
): Contract {
  return {
    file: 'openapi.yaml',
    openapi: '3.1',
    title: 'test',
    version: '1',
    basePath: extra.basePath ?? '',
    servers: [],
    operations,
    securitySchemes: extra.securitySchemes ?? {},
    schemas,
    diagnostics: [],
  };
}

export const STARTED = '2024-05-01T10:00:00.000Z';

let entry = 0;

/** An exchange of `operation` at the concrete `path` (query string allowed). */
export function exchange(
  operation: Operation,
  path: string,
  options: {
    status?: number;
    requestBody?: unknown;
    responseBody?: unknown;
    requestHeaders?: [string, string][];
    responseHeaders?: [string, string][];
    started?: string;
    basePath?: string;
  } = {},
): MatchedExchange {
  const [pathname, search = ''] = path.split('?');
  const query = [...new URLSearchParams(search)] as [string, string][];
  const local = options.basePath ? pathname.slice(options.basePath.length) : pathname;
  return {
    exchange: {
      entry: entry++,
      file: 'test.har',
      startedDateTime: options.started ?? STARTED,
      timeMs: 10,
      waitMs: 8,
      request: {
        method: operation.method.toUpperCase(),
        url: `https://api.example.com${path}`,
        path: pathname,
        host: 'api.example.com',
        query,
        headers: options.requestHeaders ?? [],
        cookies: [],
        ...(options.requestBody !== undefined
          ? { body: { mimeType: 'application/json', text: JSON.stringify(options.requestBody) } }
          : {}),
      },
      response: {
        status: options.status ?? 200,
        statusText: '',
        headers: options.responseHeaders ?? [],
        ...(options.responseBody !== undefined
          ? { body: { mimeType: 'application/json', text: JSON.stringify(options.responseBody) } }
          : {}),
      },
    },
    op: operation,
    pathParams: matchParams(operation.path, local),
    requestBody: options.requestBody,
    responseBody: options.responseBody,
  };
}

function matchParams(template: string, path: string): Record<string, string> {
  const t = template.split('/');
  const p = path.split('/');
  const out: Record<string, string> = {};
  t.forEach((segment, i) => {
    const m = /^\{([^}]+)\}$/.exec(segment);
    if (m && p[i] !== undefined) out[m[1]] = decodeURIComponent(p[i]);
  });
  return out;
}

/** An unsigned JWT-shaped token with the given header and payload. */
export function makeJwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}
