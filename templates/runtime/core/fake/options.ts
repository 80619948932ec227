/** What generation is asked for, and what a repair reports. */
import { SchemaCompiler } from '../ajv';

export type Direction = 'response' | 'request';

export interface FakeOptions {
  seed: number | string;
  /** `request` omits readOnly properties, `response` omits writeOnly ones (also from `required`). */
  direction?: Direction;
  /** values learnt from recordings: `#/$defs/<name>/<property>` and bare `<property>` keys */
  pools?: Record<string, unknown[]>;
  /** compiler over the same `defs` (one is created and cached per `defs` otherwise) */
  compiler?: SchemaCompiler;
  /** faker locale for names, addresses...: `en` (default), `de`, `en_GB`... (fake/faker.ts) */
  locale?: string;
}

export interface RepairResult {
  value: unknown;
  /** true when `value` differs from the input because the input did not validate */
  repaired: boolean;
  /** why the input was invalid, e.g. `/price must be number`; empty when it was valid */
  errors: string[];
}
