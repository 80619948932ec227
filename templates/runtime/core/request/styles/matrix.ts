/** matrix (path): `;id=5`, `;id=a,b` (`;id=a;id=b` exploded), objects `;id=k,v` / `;k=v;k=v`. The leading `;` is required. */
import { assignmentsToObject, pairsToObject, splitList, StyleError, type ParameterStyle } from './types';

export const matrix: ParameterStyle = {
  fromText(text, target) {
    if (!text.startsWith(';')) throw new StyleError(`does not start with ';' (matrix style)`);
    const { name, shape, explode } = target;
    const assignments = splitList(text.slice(1), ';');
    if (shape === 'object' && explode) return assignmentsToObject(assignments);
    if (shape === 'array' && explode) {
      return assignments.map((a) => (a.startsWith(`${name}=`) ? a.slice(name.length + 1) : a));
    }
    const first = assignments[0] ?? '';
    const value = first.startsWith(`${name}=`) ? first.slice(name.length + 1) : first === name ? '' : first;
    if (shape === 'primitive') return value;
    const items = splitList(value, ',');
    return shape === 'array' ? items : pairsToObject(items);
  },
};
