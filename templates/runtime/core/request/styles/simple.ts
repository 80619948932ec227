/** simple (path default, headers): `a,b,c`; objects `k,v,k,v` or exploded `k=v,k=v`. */
import { assignmentsToObject, pairsToObject, splitList, type ParameterStyle } from './types';

export const simple: ParameterStyle = {
  fromText(text, target, trim) {
    switch (target.shape) {
      case 'array':
        return splitList(text, ',', trim);
      case 'object':
        return target.explode
          ? assignmentsToObject(splitList(text, ',', trim))
          : pairsToObject(splitList(text, ',', trim));
      default:
        return trim ? text.trim() : text;
    }
  },
};
