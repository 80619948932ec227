/**
 * Request parameters → values, per OpenAPI `style`/`explode` (the styles are in styles/, one per file),
 * plus `content`-encoded parameters (JSON). Values come out as strings / string arrays / objects of
 * strings; coercion to the schema (integers, booleans...) happens in validate.ts.
 */
import type { Defs, ParameterData } from '../types';
import { declaredProperties, schemaShape, type ParamShape } from './schema-shape';
import { StyleError, styleFor, type ParameterStyle, type StyleTarget } from './styles';

/**
 * Header parameters not checked against the contract: the three OpenAPI says to ignore (described
 * elsewhere in the contract); transport headers HTTP client stacks set themselves (fetch sends
 * `Accept-Encoding: gzip, deflate` whatever an operation's `Accept-Encoding` parameter allows;
 * corpus: conjur); and the negotiation preferences that, like Accept, are lists a server picks from
 * (fetch sends `Accept-Language: *`, browsers `en-US,en;q=0.9`; corpus: evetech documents an enum).
 */
const IGNORED_HEADERS = new Set([
  'accept',
  'content-type',
  'authorization',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'transfer-encoding',
  'upgrade',
]);

export function isIgnoredHeader(name: string): boolean {
  return IGNORED_HEADERS.has(name.toLowerCase());
}

/** What deserialisation reads from the request. */
export interface RawParameters {
  /** percent-decoded path parameters from the router */
  pathParams: Record<string, string>;
  /** decoded query pairs, in order */
  query: [string, string][];
  /** lower-case header names */
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string>;
}

/** A parameter whose raw value could not be decoded (invalid JSON in a `content` parameter, a broken style). */
export class ParameterDecodeError extends Error {
  constructor(
    message: string,
    /** `content` (the media type's encoding) or `style` */
    readonly code: 'content' | 'style' = 'content',
  ) {
    super(message);
  }
}

/** Everything deserialisation needs to know about one parameter, computed once per operation. */
export interface PreparedParameter {
  param: ParameterData;
  shape: ParamShape;
  /** form-exploded object parameters: the query names that belong to it (undefined = every unclaimed name) */
  properties?: string[];
  /** the style that reads it and what the style needs to know (readParameter fills it in) */
  reader?: { target: StyleTarget; style: ParameterStyle };
}

export function prepareParameter(param: ParameterData, defs: Defs): PreparedParameter {
  const shape = param.contentType ? 'primitive' : schemaShape(param.schema, defs);
  const prepared: PreparedParameter = { param, shape };
  if (
    shape === 'object' &&
    param.in === 'query' &&
    param.explode &&
    (param.style === 'form' || !param.style)
  ) {
    const props = declaredProperties(param.schema, defs);
    const schema = param.schema;
    const open =
      typeof schema === 'object' &&
      schema.additionalProperties !== undefined &&
      schema.additionalProperties !== false;
    prepared.properties = props.length > 0 && !open ? props : undefined;
  }
  return prepared;
}

/**
 * The deserialised value of one parameter, or undefined when the request does not carry it; throws a
 * ParameterDecodeError for a value that cannot be read. `claimed`: the query names of the operation's
 * other query parameters (form-exploded objects without declared properties take every other pair).
 */
export function readParameter(
  prepared: PreparedParameter,
  raw: RawParameters,
  claimed?: ReadonlySet<string>,
): unknown {
  const { param } = prepared;
  // built on first use and kept: `claimed` is the operation's, the same set on every call
  let reader = prepared.reader;
  if (reader === undefined || reader.target.claimed !== claimed) {
    const target: StyleTarget = {
      name: param.name,
      shape: prepared.shape,
      explode: param.explode,
      properties: prepared.properties,
      claimed,
    };
    reader = prepared.reader = { target, style: styleFor(param.in, param.style) };
  }
  const { target, style } = reader;
  try {
    switch (param.in) {
      case 'path': {
        const value = raw.pathParams[param.name];
        if (value === undefined) return undefined;
        return param.contentType ? decodeContent(prepared, value) : style.fromText!(value, target, false);
      }
      case 'query': {
        if (param.contentType) {
          const pair = raw.query.find((p) => p[0] === param.name);
          return pair === undefined ? undefined : decodeContent(prepared, pair[1]);
        }
        return style.fromQuery!(raw.query, target);
      }
      case 'header': {
        const value = raw.headers[param.name.toLowerCase()];
        if (value === undefined) return undefined;
        const text = Array.isArray(value) ? value.join(',') : value;
        return param.contentType ? decodeContent(prepared, text) : style.fromText!(text, target, true);
      }
      case 'cookie': {
        const value = raw.cookies[param.name];
        if (value === undefined) return undefined;
        return param.contentType ? decodeContent(prepared, value) : style.fromText!(value, target, false);
      }
      default:
        return undefined;
    }
  } catch (err) {
    if (err instanceof StyleError) throw new ParameterDecodeError(err.message, 'style');
    throw err;
  }
}

/** `content`-encoded parameters carry JSON (or text for other media types). */
function decodeContent(prepared: PreparedParameter, value: string): unknown {
  const contentType = prepared.param.contentType!;
  if (!/json/i.test(contentType)) return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ParameterDecodeError(`must be valid JSON (${contentType})`);
  }
}
