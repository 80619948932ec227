import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FilePlan } from './plan-files';

/** Files and folders in an output directory that belong to the user, not to mockgen. */
const KEPT = new Set([
  'node_modules',
  'dist',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
]);

/**
 * Writes the plan into a sibling temporary folder, then swaps it in, so a failure leaves the
 * previous output intact. The user's node_modules/ and lock file are carried over.
 */
export function writeOutput(outDir: string, files: FilePlan): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.mockgen-`));
  try {
    for (const [relative, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = resolveInside(staging, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
    }
    const previous = fs.existsSync(target) ? `${staging}.old` : undefined;
    if (previous) {
      for (const name of KEPT) {
        // dist/ is compiled from the old sources: dropping it makes `npm start` rebuild.
        if (name === 'dist') continue;
        const kept = path.join(target, name);
        if (fs.existsSync(kept)) fs.renameSync(kept, path.join(staging, name));
      }
      fs.renameSync(target, previous);
    }
    fs.renameSync(staging, target);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

export interface StaleReport {
  changed: string[];
  missing: string[];
  extra: string[];
}

/** Compares the plan with what is on disk; user-owned files (node_modules, dist, lock files) are ignored. */
export function compareOutput(outDir: string, files: FilePlan): StaleReport {
  const report: StaleReport = { changed: [], missing: [], extra: [] };
  for (const [relative, contents] of files) {
    const file = path.join(outDir, relative);
    if (!fs.existsSync(file)) report.missing.push(relative);
    else if (!fs.readFileSync(file).equals(Buffer.from(contents))) report.changed.push(relative);
  }
  for (const relative of listFiles(outDir)) if (!files.has(relative)) report.extra.push(relative);
  report.changed.sort();
  report.missing.sort();
  report.extra.sort();
  return report;
}

function listFiles(root: string, prefix = ''): string[] {
  if (!fs.existsSync(root)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!prefix && KEPT.has(entry.name)) continue;
    if (entry.isDirectory()) found.push(...listFiles(root, relative));
    else found.push(relative);
  }
  return found;
}

/** Joins a planned relative path under `root`, refusing anything that would escape it. */
function resolveInside(root: string, relative: string): string {
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep))
    throw new Error(`refusing to write outside the output folder: ${relative}`);
  return file;
}
