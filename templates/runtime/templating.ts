/**
 * Renders the dynamic values the generator left in examples and recorded bodies (see types.ts):
 *   { "$tpl": src } → rendered string, { "$tplJson": src } → rendered then JSON-parsed,
 *   { "$literal": v } → v as-is; everything else is copied.
 * Each template source is compiled once (strict Handlebars, no HTML escaping, only the helpers
 * below). Helpers see the current request through Handlebars' `@data`, so a compiled template is
 * shared by all requests.
 *
 * `req` in a `$tplJson` template is JSON-encoded: JSON body values keep their type; values that
 * only exist as text (path, query, header, cookie, form fields) become numbers/booleans when they
 * look like one, strings otherwise, and `null` when absent. When a `$tplJson` result is not valid
 * JSON the rendered text is returned as a string rather than failing the response.
 */
import { randomUUID } from 'node:crypto';
import Handlebars from 'handlebars';
import type { MockRequest } from './core/context';
import { issueJwt, issueOpaque } from './tokens';
import type { Manifest } from './core/types';

interface RenderData {
  request: MockRequest;
  manifest: Manifest;
  /** rendering a `$tplJson` template */
  json: boolean;
  /** one clock reading per rendered value, so related timestamps agree */
  now: number;
}

type Template = (context: unknown, options: { data: { mock: RenderData } }) => string;
type HelperOptions = { data?: { mock?: RenderData } };

const KNOWN_HELPERS = { now: true, jwt: true, opaque: true, uuid: true, req: true } as const;

const hb = Handlebars.create();
const cache = new Map<string, Template>();

function mockData(args: unknown[]): RenderData {
  const options = args[args.length - 1] as HelperOptions;
  const data = options?.data?.mock;
  if (!data) throw new Error('mockgen template helper called outside render()');
  return data;
}

/** Helper arguments without the trailing Handlebars options object. */
function params(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

hb.registerHelper('now', (...args: unknown[]) => {
  const data = mockData(args);
  const [offset, format] = params(args);
  const offsetMs = Number(offset ?? 0);
  return formatTime(data.now + (Number.isFinite(offsetMs) ? offsetMs : 0), String(format ?? 'iso'));
});

hb.registerHelper('jwt', (...args: unknown[]) => {
  const data = mockData(args);
  const [payloadJson, lifetime] = params(args);
  let payload: Record<string, unknown> = {};
  if (payloadJson !== null && typeof payloadJson === 'object')
    payload = payloadJson as Record<string, unknown>;
  else if (typeof payloadJson === 'string' && payloadJson !== '') {
    try {
      const parsed: unknown = JSON.parse(payloadJson);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        payload = parsed as Record<string, unknown>;
      }
    } catch {
      // a payload the generator could not serialise: still hand out a valid token
    }
  }
  const lifetimeS = Number(lifetime);
  return issueJwt(payload, Number.isFinite(lifetimeS) && lifetimeS > 0 ? lifetimeS : 3600, data.manifest);
});

hb.registerHelper('opaque', (...args: unknown[]) => {
  const data = mockData(args);
  const [shape] = params(args);
  return issueOpaque(typeof shape === 'string' ? shape : String(shape ?? ''), undefined, data.request.tokens);
});

hb.registerHelper('uuid', (...args: unknown[]) => {
  mockData(args);
  return randomUUID();
});

hb.registerHelper('req', (...args: unknown[]) => {
  const data = mockData(args);
  const [path] = params(args);
  const found = lookupRequest(data.request, typeof path === 'string' ? path : String(path ?? ''));
  return data.json ? encodeJson(found) : encodeText(found.value);
});

/** Formats ms since epoch: iso | iso-seconds | date | epoch-s | epoch-ms | http-date. */
export function formatTime(ms: number, format: string): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return '';
  switch (format) {
    case 'iso-seconds':
      return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'date':
      return date.toISOString().slice(0, 10);
    case 'epoch-s':
      return String(Math.floor(ms / 1000));
    case 'epoch-ms':
      return String(Math.floor(ms));
    case 'http-date':
      return date.toUTCString();
    default:
      return date.toISOString();
  }
}

interface Lookup {
  value: unknown;
  /** the value only exists as text (path/query/header/cookie/form field) */
  untyped: boolean;
}

const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** `path.x`, `query.x`, `header.x`, `cookie.x`, `body.a.b.0`, `body`, `method`, `url`. */
export function lookupRequest(request: MockRequest, path: string): Lookup {
  const dot = path.indexOf('.');
  const area = dot === -1 ? path : path.slice(0, dot);
  const rest = dot === -1 ? '' : path.slice(dot + 1);
  switch (area) {
    case 'path':
      return { value: request.pathParams[rest], untyped: true };
    case 'query': {
      const pair = request.query.find(([name]) => name === rest);
      return { value: pair?.[1], untyped: true };
    }
    case 'header': {
      const value = request.headers[rest.toLowerCase()];
      return { value: Array.isArray(value) ? value.join(', ') : value, untyped: true };
    }
    case 'cookie':
      return { value: request.cookies[rest], untyped: true };
    case 'body': {
      let node: unknown = request.body;
      if (rest !== '') {
        for (const key of rest.split('.')) {
          if (node === null || typeof node !== 'object') {
            node = undefined;
            break;
          }
          node = Array.isArray(node) ? node[Number(key)] : (node as Record<string, unknown>)[key];
        }
      }
      return {
        value: node,
        untyped: FORM_MEDIA_TYPES.has(request.mediaType) || typeof request.body === 'string',
      };
    }
    case 'method':
      return { value: request.method, untyped: false };
    case 'url':
      return { value: request.url, untyped: false };
    default:
      return { value: undefined, untyped: false };
  }
}

const JSON_SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function encodeJson({ value, untyped }: Lookup): string {
  if (value === undefined) return 'null';
  if (untyped && typeof value === 'string' && JSON_SCALAR.test(value)) return value;
  return JSON.stringify(value);
}

function encodeText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpers: KNOWN_HELPERS,
  knownHelpersOnly: true,
  preventIndent: true,
};

function compile(source: string): Template {
  let template = cache.get(source);
  if (!template) {
    try {
      // compile() is lazy; precompile() surfaces syntax errors and unknown helpers now, once
      hb.precompile(source, COMPILE_OPTIONS);
      const compiled = hb.compile(source, COMPILE_OPTIONS) as unknown as Template;
      template = (context, options) => {
        try {
          return compiled(context, options);
        } catch {
          return source;
        }
      };
    } catch {
      // a broken template must not take the response down: serve its source text
      template = () => source;
    }
    cache.set(source, template);
  }
  return template;
}

/** Renders one template source for `request` (exported for tests and the token endpoint). */
export function renderTemplate(
  source: string,
  request: MockRequest,
  manifest: Manifest,
  json = false,
): string {
  return compile(source)({}, { data: { mock: { request, manifest, json, now: Date.now() } } });
}

function markerOf(value: object): '$tpl' | '$tplJson' | '$literal' | undefined {
  let key: string | undefined;
  for (const k in value) {
    if (key !== undefined) return undefined;
    key = k;
  }
  return key === '$tpl' || key === '$tplJson' || key === '$literal' ? key : undefined;
}

/** A copy of `value` with every template marker rendered for `request`. */
export function render(value: unknown, request: MockRequest, manifest: Manifest): unknown {
  if (value === null || typeof value !== 'object') return value;
  const now = Date.now();
  return walk(value, (source, json) => {
    const text = compile(source)({}, { data: { mock: { request, manifest, json, now } } });
    if (!json) return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  });
}

function walk(value: unknown, renderOne: (source: string, json: boolean) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!hasTemplates(value)) return cloneJson(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, renderOne));
  const marker = markerOf(value);
  const record = value as Record<string, unknown>;
  if (marker === '$literal') return cloneJson(record.$literal);
  if (marker !== undefined && typeof record[marker] === 'string') {
    return renderOne(record[marker], marker === '$tplJson');
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = walk(record[key], renderOne);
  return copy;
}

function cloneJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      copy[i] = item === null || typeof item !== 'object' ? item : cloneJson(item);
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    copy[key] = item === null || typeof item !== 'object' ? item : cloneJson(item);
  }
  return copy;
}

const templateFlags = new WeakMap<object, boolean>();

/** Whether `value` holds any marker (`$tpl`, `$tplJson`, `$literal`); memoised per object. */
export function hasTemplates(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const known = templateFlags.get(value);
  if (known !== undefined) return known;
  let found: boolean;
  if (Array.isArray(value)) found = value.some(hasTemplates);
  else if (markerOf(value) !== undefined) found = true;
  else found = Object.values(value).some(hasTemplates);
  templateFlags.set(value, found);
  return found;
}
