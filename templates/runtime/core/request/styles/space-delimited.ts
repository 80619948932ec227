/** spaceDelimited (query): `ids=1%202%203`. */
import { readDelimitedQuery } from './form';
import type { ParameterStyle } from './types';

export const spaceDelimited: ParameterStyle = {
  fromQuery: (query, target) => readDelimitedQuery(query, target, ' '),
};
