/**
 * Request parameters — now core/request (one implementation for the mock, drift and the recording
 * loader); kept as the server's import path.
 */
export {
  ParameterDecodeError,
  declaredProperties,
  decodeComponent,
  indexedObjectsToArrays,
  isIgnoredHeader,
  parseCookies,
  parseQuery,
  prepareParameter,
  readParameter,
  schemaShape,
  type ParamShape,
  type PreparedParameter,
  type RawParameters,
} from './core/request';
