/**
 * Media types of recorded bodies: `harMediaTypeOf` (core's `mediaTypeOf`, with Chrome's `x-unknown`
 * as none) and `isTextualMediaType`, which decides text vs base64 on loading.
 */
import { mediaTypeOf } from '../../templates/runtime/core/media-types';

/** A HAR's media type: `mediaTypeOf`, with Chrome's `x-unknown` (no Content-Type) as none. */
export function harMediaTypeOf(contentType: string): string {
  const mediaType = mediaTypeOf(contentType);
  return mediaType === 'x-unknown' ? '' : mediaType;
}

const BINARY_TYPES = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/wasm',
  'application/protobuf',
  'application/x-protobuf',
  'application/vnd.google.protobuf',
  'application/grpc',
  'application/msgpack',
  'application/x-msgpack',
  'application/cbor',
  'application/vnd.ms-excel',
  'application/java-archive',
]);

const TEXT_TYPES = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/yaml',
  'application/x-yaml',
  'application/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/sql',
  'application/x-sh',
  'application/xhtml',
]);

/** true: text; false: binary; undefined: decide by looking at the bytes. */
export function isTextualMediaType(mediaType: string): boolean | undefined {
  if (mediaType === '') return undefined;
  if (mediaType.startsWith('text/')) return true;
  if (/[/+](json|xml)$/.test(mediaType) || mediaType.endsWith('+yaml') || mediaType.endsWith('-json'))
    return true;
  if (TEXT_TYPES.has(mediaType)) return true;
  if (/^(image|audio|video|font)\//.test(mediaType) || BINARY_TYPES.has(mediaType)) return false;
  if (/(zip|protobuf|octet|gzip|tar|pdf|msword|openxmlformats|excel|powerpoint)/.test(mediaType))
    return false;
  return undefined;
}
