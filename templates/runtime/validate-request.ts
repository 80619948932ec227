/** Request validation — now core/request/validate.ts; kept as the server's import path. */
export {
  RequestValidator,
  parametersSchema,
  toViolations,
  withoutReadOnlyRequired,
  type BodySelection,
  type ParameterValues,
} from './core/request';
