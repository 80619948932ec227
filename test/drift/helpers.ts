import type {
  Contract,
  Exchange,
  HttpMethod,
  JsonSchema,
  Operation,
  Parameter,
  ResponseSpec,
} from '../../src/model/types';

/** Hand-built model objects for drift tests (no loader involved). */

export function param(
  name: string,
  where: Parameter['in'],
  schema: JsonSchema,
  extra: Partial<Parameter> = {},
): Parameter {
  return {
    name,
    in: where,
    required: where === 'path',
    style: where === 'query' || where === 'cookie' ? 'form' : 'simple',
    explode: where === 'query' || where === 'cookie',
    allowReserved: false,
    schema,
    deprecated: false,
    examples: [],
    pointer: `/params/${name}`,
    ...extra,
  };
}

export function jsonResponse(
  status: string,
  schema?: JsonSchema,
  extra: Partial<ResponseSpec> = {},
): ResponseSpec {
  return {
    status,
    description: status,
    headers: [],
    content:
      schema === undefined
        ? []
        : [
            {
              mediaType: 'application/json',
              schema,
              examples: [],
              pointer: `/responses/${status}/content/application~1json`,
            },
          ],
    pointer: `/responses/${status}`,
    ...extra,
  };
}

export function operation(method: HttpMethod, path: string, extra: Partial<Operation> = {}): Operation {
  return {
    id: `${method}_${path}`,
    method,
    path,
    tags: [],
    deprecated: false,
    parameters: [],
    responses: [jsonResponse('200', true)],
    security: [],
    pointer: `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`,
    ...extra,
  };
}

export function contract(operations: Operation[], extra: Partial<Contract> = {}): Contract {
  return {
    file: 'api.yaml',
    openapi: '3.1',
    title: 'test',
    version: '1',
    basePath: '',
    servers: [],
    operations,
    securitySchemes: {},
    schemas: {},
    diagnostics: [],
    ...extra,
  };
}

export interface ExchangeInit {
  method?: string;
  path?: string;
  query?: [string, string][];
  headers?: [string, string][];
  cookies?: [string, string][];
  body?: unknown;
  bodyType?: string;
  status?: number;
  responseHeaders?: [string, string][];
  responseBody?: unknown;
  responseType?: string;
  entry?: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export function exchange(init: ExchangeInit = {}): Exchange {
  const path = init.path ?? '/';
  const query = init.query ?? [];
  const qs = query.length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  const out: Exchange = {
    entry: init.entry ?? 0,
    file: 'traffic.har',
    startedDateTime: '2024-01-01T00:00:00.000Z',
    timeMs: 10,
    waitMs: 8,
    request: {
      method: init.method ?? 'GET',
      url: `http://api.test${path}${qs}`,
      path,
      host: 'api.test',
      query,
      headers: init.headers ?? [],
      cookies: init.cookies ?? [],
    },
    response: {
      status: init.status ?? 200,
      statusText: 'OK',
      headers: init.responseHeaders ?? [],
    },
  };
  if (init.body !== undefined)
    out.request.body = { mimeType: init.bodyType ?? 'application/json', text: text(init.body) };
  if (init.responseBody !== undefined)
    out.response.body = { mimeType: init.responseType ?? 'application/json', text: text(init.responseBody) };
  return out;
}
