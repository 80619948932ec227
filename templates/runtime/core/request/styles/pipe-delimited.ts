/** pipeDelimited (query): `ids=1|2|3`. */
import { readDelimitedQuery } from './form';
import type { ParameterStyle } from './types';

export const pipeDelimited: ParameterStyle = {
  fromQuery: (query, target) => readDelimitedQuery(query, target, '|'),
};
