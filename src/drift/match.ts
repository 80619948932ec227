import { Router, bestByFragment, type FragmentRequest } from '../../templates/runtime/core/router';
import type { Contract, Operation } from '../model/types';

export type Resolution =
  | { kind: 'matched'; op: Operation; pathParams: Record<string, string> }
  | { kind: 'undocumented-method'; template: string; allowed: string[] }
  | { kind: 'undocumented-path' };

/**
 * Finds the operation a recorded request exercises, and when there is none, why: the path is
 * unknown, or only the method is. One router lookup per candidate base path (the contract's base
 * path, every server's path, and none — recordings made against a server mounted elsewhere).
 */
export class OperationIndex {
  private readonly router = new Router<Operation>();
  readonly basePaths: string[];

  constructor(contract: Contract) {
    for (const op of contract.operations) this.router.add(op.method, op.path, op);
    const bases = new Set<string>([trimSlash(contract.basePath)]);
    for (const server of contract.servers) {
      const path = serverPath(server);
      if (path !== undefined) bases.add(trimSlash(path));
    }
    bases.add('');
    this.basePaths = [...bases].sort((a, b) => b.length - a.length);
  }

  /** `request` (query and headers) chooses among operations sharing the method and path by their `#fragment`. */
  resolve(method: string, rawPath: string, request?: FragmentRequest): Resolution {
    const path = rawPath.split('?')[0] || '/';
    const lower = method.toLowerCase();
    let methodMiss: Resolution | undefined;
    for (const base of this.basePaths) {
      if (base !== '' && path !== base && !path.startsWith(`${base}/`)) continue;
      const rest = path.slice(base.length) || '/';
      const match =
        this.router.match(rest, lower) ??
        (rest.length > 1 && rest.endsWith('/')
          ? this.router.match(rest.replace(/\/+$/, ''), lower)
          : undefined);
      if (!match) continue;
      const served = match.methods.has(lower) ? lower : 'get';
      const op = match.methods.get(lower) ?? (lower === 'head' ? match.methods.get('get') : undefined);
      const alternatives = op && request && this.router.alternatives(served, match);
      if (request && alternatives) {
        const best = bestByFragment(alternatives, request);
        return { kind: 'matched', op: best.value, pathParams: best.params };
      }
      if (op) return { kind: 'matched', op, pathParams: match.params };
      methodMiss ??= {
        kind: 'undocumented-method',
        template: match.template,
        allowed: [...match.methods.keys()].map((m) => m.toUpperCase()).sort(),
      };
    }
    return methodMiss ?? { kind: 'undocumented-path' };
  }
}

function trimSlash(path: string): string {
  return path.replace(/\/+$/, '');
}

function serverPath(server: string): string | undefined {
  try {
    return new URL(server, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** `GET /pets/{petId}` */
export function operationLabel(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
