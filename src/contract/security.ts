import type { OAuthFlow, SecurityRequirement, SecurityScheme } from '../../templates/runtime/core/types';
import type { Diagnostics } from './diagnostics';
import type { OpenApiVersion } from './convert-schema';
import type { RefResolver } from './resolve';
import { type JsonObject, asArray, asRecord, asString, isRecord } from '../../templates/runtime/core/json';
import { child, getAt } from '../../templates/runtime/core/pointer';

type FlowName = 'implicit' | 'password' | 'clientCredentials' | 'authorizationCode';

/** Swagger 2.0 flow names → OpenAPI 3 flow names. */
const SWAGGER_FLOWS: Record<string, FlowName> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};
const OPENAPI_FLOWS: readonly FlowName[] = ['implicit', 'password', 'clientCredentials', 'authorizationCode'];
const LOCATIONS = new Set(['header', 'query', 'cookie']);

/** `components.securitySchemes` / `securityDefinitions`, normalised to the OpenAPI 3 shapes. */
export function toSecuritySchemes(
  doc: JsonObject,
  version: OpenApiVersion,
  refs: RefResolver,
  diagnostics: Diagnostics,
): Record<string, SecurityScheme> {
  const base = version === '2.0' ? '/securityDefinitions' : '/components/securitySchemes';
  const out: Record<string, SecurityScheme> = {};
  const defined = asRecord(getAt(doc, base));
  if (!defined) return out;
  for (const [name, raw] of Object.entries(defined)) {
    const resolved = refs.resolveObject(raw, child(base, name));
    const scheme =
      resolved && (version === '2.0' ? fromSwagger(resolved.value) : fromOpenApi(resolved.value));
    if (scheme) out[name] = scheme;
    else
      diagnostics.warn(
        'invalid-security-scheme',
        child(base, name),
        `security scheme ${name} is not understood; ignored`,
      );
  }
  return out;
}

function fromSwagger(raw: JsonObject): SecurityScheme | undefined {
  switch (raw.type) {
    case 'basic':
      return { type: 'http', scheme: 'basic' };
    case 'apiKey':
      return apiKey(raw);
    case 'oauth2': {
      const flow = SWAGGER_FLOWS[asString(raw.flow) ?? ''];
      if (!flow) return { type: 'oauth2', flows: {} };
      return { type: 'oauth2', flows: { [flow]: oauthFlow(raw) } };
    }
    default:
      return undefined;
  }
}

function fromOpenApi(raw: JsonObject): SecurityScheme | undefined {
  switch (raw.type) {
    case 'apiKey':
      return apiKey(raw);
    case 'http': {
      const scheme: SecurityScheme = {
        type: 'http',
        scheme: (asString(raw.scheme) ?? 'bearer').toLowerCase(),
      };
      const bearerFormat = asString(raw.bearerFormat);
      if (bearerFormat) scheme.bearerFormat = bearerFormat;
      return scheme;
    }
    case 'oauth2': {
      const flows: NonNullable<SecurityScheme['flows']> = {};
      const rawFlows = asRecord(raw.flows) ?? {};
      for (const name of OPENAPI_FLOWS) {
        const flow = asRecord(rawFlows[name]);
        if (flow) flows[name] = oauthFlow(flow);
      }
      return { type: 'oauth2', flows };
    }
    case 'openIdConnect': {
      const scheme: SecurityScheme = { type: 'openIdConnect' };
      const url = asString(raw.openIdConnectUrl);
      if (url) scheme.openIdConnectUrl = url;
      return scheme;
    }
    case 'mutualTLS':
      return { type: 'mutualTLS' };
    default:
      return undefined;
  }
}

function apiKey(raw: JsonObject): SecurityScheme | undefined {
  const name = asString(raw.name);
  const location = asString(raw.in);
  if (!name || !location || !LOCATIONS.has(location)) return undefined;
  return { type: 'apiKey', name, in: location as 'header' | 'query' | 'cookie' };
}

function oauthFlow(raw: JsonObject): OAuthFlow {
  const flow: OAuthFlow = { scopes: {} };
  for (const key of ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const) {
    const url = asString(raw[key]);
    if (url) flow[key] = url;
  }
  for (const [scope, description] of Object.entries(asRecord(raw.scopes) ?? {})) {
    flow.scopes[scope] = asString(description) ?? '';
  }
  return flow;
}

/**
 * A security requirement list as the model wants it. Alternatives naming an undefined scheme are
 * dropped (with a warning): they can never be satisfied.
 */
export function toSecurityRequirements(
  raw: unknown,
  pointer: string,
  schemes: Record<string, SecurityScheme>,
  diagnostics: Diagnostics,
  operation?: string,
): SecurityRequirement[] {
  const out: SecurityRequirement[] = [];
  asArray(raw).forEach((alternative, i) => {
    if (!isRecord(alternative)) return;
    const requirement: SecurityRequirement = {};
    let usable = true;
    for (const [name, scopes] of Object.entries(alternative)) {
      if (!(name in schemes)) {
        diagnostics.warn(
          'unknown-security-scheme',
          child(pointer, i),
          `security requirement names ${JSON.stringify(name)}, which is not a defined security scheme; that alternative is ignored`,
          operation,
        );
        usable = false;
      }
      requirement[name] = asArray(scopes).filter((s): s is string => typeof s === 'string');
    }
    if (usable) out.push(requirement);
  });
  return out;
}
