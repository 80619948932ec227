import type { Finding } from '../drift/types';
import type { ReportContext, SourcePosition } from './context';

/**
 * Pointers into the contract that say where a finding's rule lives, most precise first: the
 * schema pointer, then its parents down to the schema's component or operation (a pointer the
 * converter rewrote, e.g. `nullable` → `anyOf`, still lands on the property that holds it), then
 * the operation. Inline schemas get model names (`paths.pets.get…`) that are not in the text;
 * they fall through to the operation. A request line the contract does not document falls to `/paths`.
 */
export function contractPointers(
  finding: Pick<Finding, 'operation' | 'schemaPointer'>,
  operationPointers: Readonly<Record<string, string>> = {},
): string[] {
  const out: string[] = [];
  const schema = finding.schemaPointer;
  if (schema !== undefined && schema.startsWith('#/')) {
    const tokens = schema.slice(1).split('/').slice(1);
    const floor = Math.min(tokens.length, anchorDepth(tokens[0]));
    for (let n = tokens.length; n >= floor; n--) out.push(`/${tokens.slice(0, n).join('/')}`);
  }
  const operation = Object.prototype.hasOwnProperty.call(operationPointers, finding.operation)
    ? operationPointers[finding.operation]
    : undefined;
  // a request line the contract does not document (undocumented path or method) belongs where paths are listed
  out.push(operation ?? '/paths');
  return out;
}

/** How deep a parent of a schema pointer must stay to still name the finding's own place. */
function anchorDepth(first: string | undefined): number {
  switch (first) {
    case 'components': // /components/schemas/Owner
    case 'paths': // /paths/~1pets/get
      return 3;
    case 'definitions': // /definitions/Owner (2.0)
    case 'parameters':
    case 'responses':
      return 2;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** The contract position of a finding's rule, or undefined when the context cannot place it. */
export function contractPosition(
  finding: Pick<Finding, 'operation' | 'schemaPointer'>,
  context: Pick<ReportContext, 'operationPointers' | 'contractPositions'>,
): SourcePosition | undefined {
  const positions = context.contractPositions;
  if (!positions) return undefined;
  for (const pointer of contractPointers(finding, context.operationPointers)) {
    const at = positions.get(pointer);
    if (at) return at;
  }
  return undefined;
}
