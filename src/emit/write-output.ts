import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MockgenError } from '../errors';
import type { FilePlan } from './plan-files';

/**
 * The manifest mockgen keeps in every folder it generated: the files it wrote, with their hashes.
 * It is what makes a folder "mockgen's own": only files listed there are ever replaced or removed.
 */
export const MANIFEST_FILE = '.mockgen-manifest.json';

interface OutputManifest {
  generator: 'mockgen';
  version: 1;
  /** relative POSIX path → sha256 of the contents mockgen wrote */
  files: Record<string, string>;
}

export interface WriteOptions {
  /** write into a folder that is not empty and not mockgen's output; user files that collide are replaced */
  force?: boolean;
}

export interface WriteResult {
  written: number;
  /** files of the previous output that the new plan no longer has, and were removed */
  removed: string[];
  /** files of the previous output that the user changed, so they were kept although the plan dropped them */
  keptChanged: string[];
  /** files the user owned that --force replaced */
  replaced: string[];
}

/**
 * Adds the manifest to a plan, so `--check` and the next `generate` see exactly what was written.
 * Deterministic: keys sorted, contents hashed.
 */
export function withManifest(files: FilePlan): FilePlan {
  const out: FilePlan = new Map([...files].filter(([name]) => name !== MANIFEST_FILE));
  const manifest: OutputManifest = { generator: 'mockgen', version: 1, files: {} };
  for (const name of [...out.keys()].sort()) manifest.files[name] = sha256(out.get(name)!);
  out.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}

/**
 * Writes the plan into `outDir` without ever touching a file mockgen did not write:
 * - the folder must be missing, empty, or hold a mockgen manifest (else refused, unless `force`);
 * - every file is first written to a staging folder next to the output, so a failure while
 *   writing leaves the previous output intact; then each file is renamed into place;
 * - files of the previous output that the plan no longer has are removed (unless the user changed
 *   them); files the user added (a src/extend.ts, node_modules/, a lock file) are kept.
 */
export function writeOutput(outDir: string, plan: FilePlan, options: WriteOptions = {}): WriteResult {
  const files = withManifest(plan);
  const target = path.resolve(outDir);
  const previous = readOwnership(target);
  const replaced = findCollisions(target, files, previous, options.force === true);

  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.mockgen-`));
  const names = [...files.keys()].sort();
  try {
    for (const relative of names) {
      const file = resolveInside(staging, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, files.get(relative)!);
    }
    fs.mkdirSync(target, { recursive: true });
    // The manifest goes last: until it is in place, the old one still lists every file it owned.
    for (const relative of [...names.filter((n) => n !== MANIFEST_FILE), MANIFEST_FILE]) {
      const destination = resolveInside(target, relative);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      const existing = fs.lstatSync(destination, { throwIfNoEntry: false });
      if (existing?.isDirectory()) fs.rmSync(destination, { recursive: true });
      fs.renameSync(resolveInside(staging, relative), destination);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }

  const removed: string[] = [];
  const keptChanged: string[] = [];
  for (const [relative, hash] of Object.entries(previous ?? {})) {
    if (files.has(relative)) continue;
    const file = resolveInside(target, relative);
    if (!fs.existsSync(file)) continue;
    if (sha256(fs.readFileSync(file)) !== hash) {
      keptChanged.push(relative);
      continue;
    }
    fs.rmSync(file);
    removed.push(relative);
    removeEmptyParents(target, path.dirname(file));
  }
  return { written: files.size, removed, keptChanged, replaced };
}

/** The files a previous run wrote (from its manifest); `undefined` when the folder is not mockgen's. */
function readOwnership(target: string): Record<string, string> | undefined {
  const file = path.join(target, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  let manifest: Partial<OutputManifest>;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<OutputManifest>;
  } catch (err) {
    throw new MockgenError(
      `${file}: cannot read mockgen's manifest of this folder (${(err as Error).message}). ` +
        `Restore it from version control, or remove the folder's generated files and run again.`,
      { file },
    );
  }
  if (manifest.generator !== 'mockgen' || !manifest.files || typeof manifest.files !== 'object') {
    throw new MockgenError(`${file}: not a mockgen manifest (no "generator": "mockgen" and "files").`, {
      file,
    });
  }
  const owned: Record<string, string> = {};
  for (const [name, hash] of Object.entries(manifest.files)) {
    // a manifest is user-editable text: never let it point outside the folder
    if (typeof hash === 'string' && isSafeRelative(name)) owned[name] = hash;
  }
  return owned;
}

/**
 * Refuses to write where it would destroy a user's files. Returns the user files `force` replaces.
 */
function findCollisions(
  target: string,
  files: FilePlan,
  previous: Record<string, string> | undefined,
  force: boolean,
): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) {
    throw new MockgenError(`--out ${target} is a file, not a folder; choose another --out.`, {
      file: target,
    });
  }
  const entries = fs.readdirSync(target);
  if (entries.length === 0) return [];
  const colliding = [...files.keys()].filter((relative) => {
    if (previous && (relative in previous || relative === MANIFEST_FILE)) return false;
    return fs.existsSync(path.join(target, relative)) || hasFileAncestor(target, relative);
  });
  if (!previous && !force) {
    const shown = entries.sort().slice(0, 5).join(', ');
    throw new MockgenError(
      `--out ${target} is not empty and was not generated by mockgen (no ${MANIFEST_FILE}); it holds ${shown}` +
        `${entries.length > 5 ? `, … (${entries.length} entries)` : ''}. ` +
        `Choose an empty or new folder, or pass --force to write into it` +
        (colliding.length > 0 ? ` (replacing ${describe(colliding)})` : ' (its files are kept)') +
        '.',
      { file: target },
    );
  }
  if (colliding.length > 0 && !force) {
    throw new MockgenError(
      `--out ${target}: mockgen would overwrite files it did not write: ${describe(colliding)}. ` +
        `Move them away, or pass --force to replace them.`,
      { file: target },
    );
  }
  return colliding;
}

function describe(names: string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, … (${names.length} files)` : shown;
}

/** A planned `a/b/c` where the user has a file `a` or `a/b` (the folder could not be made). */
function hasFileAncestor(root: string, relative: string): boolean {
  const parts = relative.split('/');
  for (let i = 1; i < parts.length; i++) {
    const stat = fs.lstatSync(path.join(root, ...parts.slice(0, i)), { throwIfNoEntry: false });
    if (!stat) return false;
    if (!stat.isDirectory()) return true;
  }
  return false;
}

function removeEmptyParents(root: string, dir: string): void {
  while (dir.startsWith(root + path.sep)) {
    if (fs.readdirSync(dir).length > 0) return;
    fs.rmdirSync(dir);
    dir = path.dirname(dir);
  }
}

export interface StaleReport {
  changed: string[];
  missing: string[];
  extra: string[];
}

/**
 * Compares the plan with what is on disk. Only mockgen's files count: a file the previous manifest
 * lists that the plan no longer has is `extra`; files the user added are not mockgen's business.
 */
export function compareOutput(outDir: string, plan: FilePlan): StaleReport {
  const files = withManifest(plan);
  const report: StaleReport = { changed: [], missing: [], extra: [] };
  for (const [relative, contents] of files) {
    const file = path.join(outDir, relative);
    if (!fs.existsSync(file)) report.missing.push(relative);
    else if (!fs.readFileSync(file).equals(Buffer.from(contents))) report.changed.push(relative);
  }
  let previous: Record<string, string> | undefined;
  try {
    previous = readOwnership(path.resolve(outDir));
  } catch {
    previous = undefined; // an unreadable manifest is reported as changed above
  }
  for (const relative of Object.keys(previous ?? {})) {
    if (!files.has(relative) && fs.existsSync(path.join(outDir, relative))) report.extra.push(relative);
  }
  report.changed.sort();
  report.missing.sort();
  report.extra.sort();
  return report;
}

function sha256(contents: string | Buffer): string {
  return createHash('sha256').update(contents).digest('hex');
}

function isSafeRelative(relative: string): boolean {
  if (
    relative === '' ||
    relative.includes('\\') ||
    relative.includes('\0') ||
    path.posix.isAbsolute(relative)
  )
    return false;
  return relative.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Joins a planned relative path under `root`, refusing anything that would escape it. */
function resolveInside(root: string, relative: string): string {
  const file = path.resolve(root, relative);
  if (!isSafeRelative(relative) || !file.startsWith(root + path.sep))
    throw new Error(`refusing to write outside the output folder: ${relative}`);
  return file;
}
