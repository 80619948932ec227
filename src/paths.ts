import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The mockgen package root (holds templates/), found from this file in src/ or dist/src/: the nearest
 * package.json that declares the `mockgen` bin, whatever the package is named.
 */
export const packageRoot: string = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const bin = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin?: unknown }).bin;
        if (bin && typeof bin === 'object' && 'mockgen' in bin) return dir;
      } catch {
        // keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const templatesDir = path.join(packageRoot, 'templates');
export const runtimeDir = path.join(templatesDir, 'runtime');
