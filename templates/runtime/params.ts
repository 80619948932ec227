/**
 * Request parameters — now core/request (one implementation for the mock, drift and the recording
 * loader); kept as the server's import path.
 */
// from the files, not core/request's index: its validator (Ajv) stays out of start-up
export {
  ParameterDecodeError,
  isIgnoredHeader,
  prepareParameter,
  readParameter,
  type PreparedParameter,
  type RawParameters,
} from './core/request/parameters';
export { decodeComponent, parseCookies, parseQuery } from './core/request/query';
export { indexedObjectsToArrays } from './core/request/form-object';
export { declaredProperties, schemaShape, type ParamShape } from './core/request/schema-shape';
