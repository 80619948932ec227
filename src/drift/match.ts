import { Router, bestByFragment, type FragmentRequest } from '../../templates/runtime/core/router';
import type { Contract, Operation, Parameter } from '../model/types';

export type Resolution =
  | {
      kind: 'matched';
      op: Operation;
      pathParams: Record<string, string>;
      /** path parameters that took several segments (router `stretched`): the match is a stretch */
      stretched?: string[];
    }
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

  /**
   * `request` (query and headers, built only when asked for) chooses among operations sharing the
   * method and path by their `#fragment`.
   */
  resolve(method: string, rawPath: string, request?: () => FragmentRequest): Resolution {
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
        const best = bestByFragment(alternatives, request());
        const stretched = match.stretched && renamed(match.stretched, match.params, best.params);
        return stretched
          ? { kind: 'matched', op: best.value, pathParams: best.params, stretched }
          : { kind: 'matched', op: best.value, pathParams: best.params };
      }
      if (op)
        return match.stretched
          ? { kind: 'matched', op, pathParams: match.params, stretched: match.stretched }
          : { kind: 'matched', op, pathParams: match.params };
      methodMiss ??= {
        kind: 'undocumented-method',
        template: match.template,
        allowed: [...match.methods.keys()].map((m) => m.toUpperCase()).sort(),
      };
    }
    return methodMiss ?? { kind: 'undocumented-path' };
  }
}

/** The names under `to` of the parameters `names` of `from` (alternatives rename path parameters). */
function renamed(names: string[], from: Record<string, string>, to: Record<string, string>): string[] {
  const values = new Set(names.map((name) => from[name]));
  return Object.keys(to).filter((name) => values.has(to[name]));
}

/** Parameter names that say "a file path or object key" (`path`, `filePath`, `object_key`, `prefix`, `ref`, ...). */
const FILE_PATH_WORDS = new Set([
  'path',
  'paths',
  'filepath',
  'file',
  'filename',
  'files',
  'dir',
  'directory',
  'folder',
  'key',
  'prefix',
  'ref',
  'glob',
  'blob',
  'object',
  'wildcard',
  'splat',
  'rest',
]);

/** Formats that hint at a value made of `/`-separated parts. */
const FILE_PATH_FORMATS = new Set([
  'path',
  'file-path',
  'filepath',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
]);

/**
 * Why a path parameter plausibly holds a file path (so a value spanning several segments is a
 * warning, not an undocumented path), or undefined: its name (or a word of it: `filePath`,
 * `object_key`, `Key+`) is one of FILE_PATH_WORDS; its schema's `format` is a path or URI format;
 * its schema's `pattern` names a `/` (not in `[^/]`); or it says `allowReserved: true`.
 */
export function filePathHint(param: Parameter | undefined, name: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const word =
    words.find((w) => FILE_PATH_WORDS.has(w)) ??
    (FILE_PATH_WORDS.has(words.join('')) ? words.join('') : undefined);
  if (word !== undefined) return `its name says '${word}'`;
  if (!param) return undefined;
  if (param.allowReserved) return 'it allows reserved characters (allowReserved)';
  const schema = param.schema as { format?: unknown; pattern?: unknown };
  if (typeof schema.format === 'string' && FILE_PATH_FORMATS.has(schema.format.toLowerCase()))
    return `its format is '${schema.format}'`;
  if (typeof schema.pattern === 'string' && patternAdmitsSlash(schema.pattern))
    return 'its pattern admits a /';
  return undefined;
}

/** A pattern that names `/` (`^[\\w/.-]+$`, `^docs/.*`), outside a negated class (`[^/]`). */
function patternAdmitsSlash(pattern: string): boolean {
  return pattern.includes('/') && !/\[\^[^\]]*\//.test(pattern);
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
