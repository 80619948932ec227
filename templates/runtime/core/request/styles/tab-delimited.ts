/** tabDelimited (query; Swagger 2.0 `collectionFormat: tsv`): `ids=1%092`. */
import { readDelimitedQuery } from './form';
import type { ParameterStyle } from './types';

export const tabDelimited: ParameterStyle = {
  fromQuery: (query, target) => readDelimitedQuery(query, target, '\t'),
};
