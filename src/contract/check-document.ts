import { MockgenError } from '../errors';
import type { OpenApiVersion } from './convert-schema';
import { describe } from './convert-schema';
import type { Diagnostics } from './diagnostics';
import { type JsonObject, isRecord } from '../../templates/runtime/core/json';

export interface CheckedDocument {
  version: OpenApiVersion;
  /**
   * A shallow copy whose version fields swagger-parser accepts (it rejects `swagger: 2` numbers,
   * numeric `info.version`, and OpenAPI patch versions it does not list yet).
   */
  doc: JsonObject;
}

/**
 * The checks that make a document unusable (thrown as `MockgenError`): not an object, no or an
 * unknown OpenAPI/Swagger version, no `paths` object. Everything milder becomes a diagnostic.
 */
export function checkDocument(value: unknown, file: string, diagnostics: Diagnostics): CheckedDocument {
  if (!isRecord(value)) {
    throw new MockgenError(
      `${file}: not an OpenAPI document: the top level is ${describe(value)}, expected an object with an \`openapi\` or \`swagger\` field`,
      { file, pointer: '' },
    );
  }
  const doc: JsonObject = { ...value };
  let version: OpenApiVersion;
  if (value.swagger !== undefined) {
    const raw = String(value.swagger);
    if (raw !== '2.0' && raw !== '2') {
      throw new MockgenError(
        `${file}: unsupported Swagger version ${JSON.stringify(value.swagger)} at /swagger: mockgen reads Swagger 2.0 and OpenAPI 3.0/3.1`,
        {
          file,
          pointer: '/swagger',
        },
      );
    }
    if (typeof value.swagger !== 'string')
      diagnostics.warn('invalid-contract', '/swagger', 'swagger version should be the string "2.0"');
    doc.swagger = '2.0';
    version = '2.0';
  } else if (value.openapi !== undefined) {
    const raw = typeof value.openapi === 'number' ? value.openapi.toFixed(1) : String(value.openapi);
    const match = /^3\.(\d+)(?:\.\d+)?(?:-[\w.]+)?$/.exec(raw.trim());
    if (!match) {
      throw new MockgenError(
        `${file}: unsupported OpenAPI version ${JSON.stringify(value.openapi)} at /openapi: mockgen reads Swagger 2.0 and OpenAPI 3.0/3.1`,
        {
          file,
          pointer: '/openapi',
        },
      );
    }
    if (typeof value.openapi !== 'string')
      diagnostics.warn('invalid-contract', '/openapi', `openapi version should be a string like "${raw}.0"`);
    const minor = Number(match[1]);
    if (minor > 1)
      diagnostics.warn('unsupported-version', '/openapi', `OpenAPI ${raw} is newer than 3.1; read as 3.1`);
    version = minor === 0 ? '3.0' : '3.1';
    doc.openapi = version === '3.0' ? '3.0.3' : '3.1.0';
  } else {
    throw new MockgenError(
      `${file}: not an OpenAPI document: no \`openapi\` or \`swagger\` version field at the top level`,
      {
        file,
        pointer: '',
      },
    );
  }
  if (value.paths === undefined || value.paths === null) {
    const webhooksOnly = isRecord(value.webhooks)
      ? ' (it only describes webhooks, which a mock server does not serve)'
      : '';
    throw new MockgenError(
      `${file}: the contract has no \`paths\` object at /paths${webhooksOnly}: there are no operations to mock`,
      {
        file,
        pointer: '/paths',
      },
    );
  }
  if (!isRecord(value.paths)) {
    throw new MockgenError(
      `${file}: \`paths\` at /paths is ${describe(value.paths)}, expected an object mapping paths to operations`,
      {
        file,
        pointer: '/paths',
      },
    );
  }
  if (!isRecord(value.info)) {
    diagnostics.warn('invalid-contract', '/info', 'the contract has no `info` object');
    doc.info = { title: '', version: '' };
  } else if (typeof value.info.version !== 'string') {
    doc.info = { ...value.info, version: value.info.version === undefined ? '' : String(value.info.version) };
  }
  return { version, doc };
}
