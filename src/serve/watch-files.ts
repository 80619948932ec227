import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileWatcher {
  /** Watch exactly these files from now on (watchers of folders no longer needed are closed). */
  update(files: string[]): void;
  close(): void;
}

/**
 * Calls `onChange` once changes to `files` have settled for `debounceMs`. Each file's folder is
 * watched (not the file): editors save by writing a new file and renaming it over the old one, which
 * ends a watch on the file itself. Folders that cannot be watched (gone, no permission) are skipped.
 */
export function watchFiles(
  files: string[],
  onChange: (changed: string[]) => void,
  debounceMs = 100,
): FileWatcher {
  const watchers = new Map<string, fs.FSWatcher>();
  let wanted = new Map<string, Set<string>>();
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const fire = (): void => {
    timer = undefined;
    const list = [...changed];
    changed = new Set();
    onChange(list);
  };

  const noticed = (dir: string, name: string | Buffer | null): void => {
    const names = wanted.get(dir);
    if (closed || !names) return;
    // some platforms give no file name: then any change in the folder counts
    if (name !== null && !names.has(String(name))) return;
    changed.add(name === null ? dir : path.join(dir, String(name)));
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };

  const update = (next: string[]): void => {
    if (closed) return;
    wanted = new Map();
    for (const file of next) {
      const absolute = path.resolve(file);
      const dir = path.dirname(absolute);
      const names = wanted.get(dir) ?? new Set<string>();
      names.add(path.basename(absolute));
      wanted.set(dir, names);
    }
    for (const [dir, watcher] of watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of wanted.keys()) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = fs.watch(dir, { persistent: true }, (_event, name) => noticed(dir, name));
        watcher.on('error', () => {
          watcher.close();
          if (watchers.get(dir) === watcher) watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // a folder that cannot be watched: its files are still read on every reload
      }
    }
  };

  update(files);
  return {
    update,
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
