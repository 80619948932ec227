/** label (path): `.5`, `.a,b` (`.a.b` exploded), objects `.k,v` / `.k=v.k=v`. The leading `.` is required. */
import { assignmentsToObject, pairsToObject, splitList, StyleError, type ParameterStyle } from './types';

export const label: ParameterStyle = {
  fromText(text, target) {
    if (!text.startsWith('.')) throw new StyleError(`does not start with '.' (label style)`);
    const body = text.slice(1);
    if (target.shape === 'primitive') return body;
    const items = splitList(body, target.explode ? '.' : ',');
    if (target.shape === 'array') return items;
    return target.explode ? assignmentsToObject(items) : pairsToObject(items);
  },
};
