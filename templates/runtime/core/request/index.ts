/** The request interpreter and validator (see README.md). */
export { interpretRequest, type InterpretedRequest, type RawRequest } from './interpret';
export {
  RequestValidator,
  parametersSchema,
  toViolations,
  withoutReadOnlyRequired,
  type BodySelection,
  type ParameterValues,
} from './validate';
export {
  ParameterDecodeError,
  isIgnoredHeader,
  prepareParameter,
  readParameter,
  type PreparedParameter,
  type RawParameters,
} from './parameters';
export { parseCookies, parseQuery, decodeComponent } from './query';
export { buildFormObject, indexedObjectsToArrays, splitBracketName } from './form-object';
export { declaredProperties, schemaShape, type ParamShape } from './schema-shape';
export {
  BODY_PARSERS,
  BodyParseError,
  bodyParserFor,
  isFormMediaType,
  isTextMediaType,
  jsonOrText,
  multipartPairs,
  parseBodySync,
  type BodyInput,
  type UploadedPart,
} from './bodies';
export { STYLES, styleFor, StyleError } from './styles';
export {
  toPointer,
  violationKey,
  type RequestOperation,
  type RequestViolation,
  type Violation,
} from './violation';
