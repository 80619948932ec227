/** `application/x-www-form-urlencoded`: fields with nested names (`metadata[plan]=pro&items[0][price]=p_1`). */
import { buildFormObject } from '../form-object';
import { parseQuery } from '../query';
import { decodeText } from './charset';
import type { BodyParser } from './types';

export const formUrlencoded: BodyParser = {
  accepts: (mediaType) => mediaType === 'application/x-www-form-urlencoded',
  parse(input) {
    return buildFormObject(parseQuery(decodeText(input)), input.flatNames);
  },
};
