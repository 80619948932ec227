import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { selfContained } from './schema';
import type { Defs, JsonSchema } from './types';

export type { ErrorObject, ValidateFunction };

const INT32 = { min: -2147483648, max: 2147483647 };

/**
 * One Ajv (draft 2020-12) configured for OpenAPI schemas: ajv-formats plus the OpenAPI formats,
 * unknown keywords (discriminator, xml, example, x-*) and unknown formats tolerated; own properties only.
 */
export function createAjv(options: { coerceTypes?: boolean | 'array'; allErrors?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: options.allErrors ?? true,
    coerceTypes: options.coerceTypes ?? false,
    validateSchema: false,
    validateFormats: true,
    logger: false,
    unicodeRegExp: false,
    // a property named `constructor` or `toString` is present only when the value has it itself,
    // not through Object.prototype (`{}` has no `constructor` property to validate)
    ownProperties: true,
  });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  for (const lenient of [
    'binary',
    'password',
    'base64',
    'uuid4',
    'decimal',
    'int8',
    'int16',
    'uint8',
    'uint32',
    'uint64',
    'html',
    'markdown',
    'text',
    'phone',
    'color',
  ]) {
    ajv.addFormat(lenient, () => true);
  }
  return ajv;
}

/** Compiles (and caches) validators for model schemas, which reference `#/$defs/<name>` in `defs`. */
export class SchemaCompiler {
  private readonly cache = new WeakMap<object, ValidateFunction>();
  constructor(
    readonly defs: Defs,
    readonly ajv: Ajv2020 = createAjv(),
  ) {}

  compile(schema: JsonSchema): ValidateFunction {
    const key = typeof schema === 'boolean' ? (schema ? TRUE_KEY : FALSE_KEY) : schema;
    let validate = this.cache.get(key);
    if (!validate) {
      try {
        validate = this.ajv.compile(selfContained(schema, this.defs) as object);
      } catch (err) {
        // A schema Ajv cannot compile (bad regex, broken ref) must not take the mock down: accept anything.
        validate = this.ajv.compile(true);
        (validate as { compileError?: string }).compileError = (err as Error).message;
      }
      this.cache.set(key, validate);
    }
    return validate;
  }
}

const TRUE_KEY = {};
const FALSE_KEY = {};
