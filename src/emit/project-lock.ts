import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The emitted project's package-lock.json, so `npm ci` (and `npm ci --omit=dev`) work in it.
 *
 * It is the part of mockgen's own lock file that the emitted project's dependencies reach: the same
 * versions mockgen is tested with, in the same node_modules layout, so node resolves every module
 * from the subset exactly as it does from the whole. mockgen's lock is not in its npm package, so the
 * subset is kept as templates/project/package-lock.json (rewritten by `npm run update:project-lock`;
 * a test fails when it no longer matches the root lock file).
 */

interface LockPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  extraneous?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface LockFile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockPackage>;
}

export interface ProjectDependencies {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The subset of `root` that `deps` reach, with `dev` / `optional` flags recomputed for them. */
export function subsetLock(root: LockFile, deps: ProjectDependencies): LockFile {
  const reach = (names: string[], followOptional: boolean): Set<string> => {
    const seen = new Set<string>();
    const queue = names.map((name) => resolveIn(root, '', name)).filter((p): p is string => p !== undefined);
    while (queue.length > 0) {
      const at = queue.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      const entry = root.packages[at];
      const edges = {
        ...entry.dependencies,
        ...(followOptional ? entry.optionalDependencies : {}),
        ...requiredPeers(entry),
      };
      for (const name of Object.keys(edges)) {
        const found = resolveIn(root, at, name);
        if (found !== undefined) queue.push(found);
      }
    }
    return seen;
  };
  const prodNames = Object.keys(deps.dependencies);
  const devNames = Object.keys(deps.devDependencies);
  const prodRequired = reach(prodNames, false);
  const prodAny = reach(prodNames, true);
  const all = reach([...prodNames, ...devNames], true);
  const missing = [...prodNames, ...devNames].filter((name) => resolveIn(root, '', name) === undefined);
  if (missing.length > 0) throw new Error(`package-lock.json has no entry for ${missing.join(', ')}`);

  const packages: Record<string, LockPackage> = {
    '': { ...deps } as LockPackage,
  };
  for (const at of [...all].sort()) {
    const {
      dev: _dev,
      optional: _optional,
      devOptional: _devOptional,
      peer: _peer,
      extraneous: _extraneous,
      ...entry
    } = root.packages[at];
    if (prodRequired.has(at)) packages[at] = entry;
    else if (prodAny.has(at)) packages[at] = { ...entry, optional: true };
    else packages[at] = { ...entry, dev: true };
  }
  return { name: 'mock', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/** The lock file for one emitted project: the template with the project's name. */
export function projectLock(template: LockFile, name: string, version: string): LockFile {
  const packages = { ...template.packages, '': { name, version, ...template.packages[''] } };
  return { ...template, name, version, packages };
}

function requiredPeers(entry: LockPackage): Record<string, string> {
  const peers: Record<string, string> = {};
  for (const [name, range] of Object.entries(entry.peerDependencies ?? {})) {
    if (!entry.peerDependenciesMeta?.[name]?.optional) peers[name] = range;
  }
  return peers;
}

/** Node's lookup: `<at>/node_modules/<name>`, then each ancestor's node_modules, then the root's. */
function resolveIn(lock: LockFile, at: string, name: string): string | undefined {
  let dir = at;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

/** `npm run update:project-lock`: rewrites templates/project/package-lock.json from the root lock. */
export function updateProjectLock(packageRoot: string, deps: ProjectDependencies): string {
  const root = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package-lock.json'), 'utf8')) as LockFile;
  const file = path.join(packageRoot, 'templates', 'project', 'package-lock.json');
  fs.writeFileSync(file, `${JSON.stringify(subsetLock(root, deps), null, 2)}\n`);
  return file;
}
