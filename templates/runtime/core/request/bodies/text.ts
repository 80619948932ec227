/** Text bodies (text/*, XML, YAML, GraphQL, NDJSON, and bodies without a media type): the string. */
import { decodeText } from './charset';
import type { BodyParser } from './types';

export function isTextMediaType(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    mediaType.endsWith('+xml') ||
    mediaType === 'application/xml' ||
    mediaType === 'application/javascript' ||
    mediaType === 'application/x-yaml' ||
    mediaType === 'application/yaml' ||
    mediaType === 'application/graphql' ||
    mediaType === 'application/x-ndjson'
  );
}

export const text: BodyParser = {
  accepts: (mediaType) => isTextMediaType(mediaType) || mediaType === '',
  parse: (input) => decodeText(input),
};
