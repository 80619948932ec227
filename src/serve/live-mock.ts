import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMockHandler, startServer, type RunningServer } from '../../templates/runtime/server';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import { TokenRegistry } from '../../templates/runtime/tokens';
import type { Manifest, RouteEntry } from '../../templates/runtime/core/types';
import type { ProjectConfig } from '../config';
import { MockgenError } from '../errors';
import { planProject, type GenerateSummary } from '../generate';

export interface LiveMockOptions {
  /** `out` is not used: nothing is written but the data folder in `os.tmpdir()` */
  project: ProjectConfig;
  port: number;
  host: string;
  /** the runtime's MOCKGEN_* settings (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/** One plan of the contract being served. */
export interface ServedVersion {
  title: string;
  basePath: string;
  operations: number;
  summary: GenerateSummary;
}

export interface LiveMock {
  readonly port: number;
  readonly host: string;
  /** the private folder holding each version's `data/`; removed by `close()` */
  readonly workDir: string;
  version(): ServedVersion;
  /**
   * Plans the inputs again and, when that succeeds, serves the new version on the same port with
   * fresh state (sessions, sequences, journal). When it fails the previous version keeps serving
   * and the error is thrown.
   */
  reload(): Promise<ServedVersion>;
  close(): Promise<void>;
}

interface PlannedVersion {
  version: ServedVersion;
  routes: RouteEntry[];
  files: Map<string, string>;
}

/** How long a replaced version's data stays on disk for requests it is still answering. */
const OLD_VERSION_GRACE_MS = 5000;

/**
 * `mockgen serve`: the emitted project's runtime serving a contract straight from its plan
 * (src/generate.ts), without writing a project. The plan's `data/` files go to a private temporary
 * folder (the runtime reads operation data from disk on first use); the route table stays in memory.
 */
export async function startLiveMock(options: LiveMockOptions): Promise<LiveMock> {
  const first = await plan(options.project);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-serve-'));
  const removeWorkDir = (): void => fs.rmSync(workDir, { recursive: true, force: true });
  // the last resort when the process ends another way than `close()` (an uncaught error, process.exit)
  process.once('exit', removeWorkDir);

  let generation = 1;
  // tokens the mock issued stay valid across versions, so a signed-in client stays signed in
  const tokens = new TokenRegistry();
  let running: RunningServer;
  let current: { version: ServedVersion; handler: (req: IncomingMessage, res: ServerResponse) => void };
  try {
    const dataDir = writeData(workDir, generation, first.files);
    running = await listen(dataDir, first.routes, options);
    current = {
      version: first.version,
      handler: createMockHandler({
        dataDir,
        routes: first.routes,
        env: options.env,
        store: new MemoryStore({ tokens, env: options.env }),
      }),
    };
  } catch (err) {
    process.off('exit', removeWorkDir);
    removeWorkDir();
    throw err;
  }
  // server.ts is copied verbatim into every emitted project, so the swap lives here: the handler
  // startServer installed gives way to one that forwards to the current version
  running.server.removeAllListeners('request');
  running.server.on('request', (req: IncomingMessage, res: ServerResponse) => current.handler(req, res));

  const retiring = new Set<NodeJS.Timeout>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed: Promise<void> | undefined;

  const reloadNow = async (): Promise<ServedVersion> => {
    const next = await plan(options.project);
    if (closed) return current.version;
    const previous = generation;
    generation += 1;
    const dataDir = writeData(workDir, generation, next.files);
    // a new store is what POST /__mockgen/reset does: stores back to their seed, sequences to their
    // start, an empty journal; tokens the mock issued stay valid, so a signed-in client stays signed in
    const store = new MemoryStore({ tokens, env: options.env });
    const handler = createMockHandler({ dataDir, routes: next.routes, env: options.env, store });
    current = { version: next.version, handler };
    const timer = setTimeout(() => {
      retiring.delete(timer);
      fs.rmSync(path.join(workDir, String(previous)), { recursive: true, force: true });
    }, OLD_VERSION_GRACE_MS);
    timer.unref();
    retiring.add(timer);
    return next.version;
  };

  return {
    port: running.port,
    host: options.host,
    workDir,
    version: () => current.version,
    reload(): Promise<ServedVersion> {
      // one reload at a time, in order: a change during a reload is planned after it
      const result = queue.then(reloadNow);
      queue = result.catch(() => undefined);
      return result;
    },
    close(): Promise<void> {
      closed ??= (async () => {
        for (const timer of retiring) clearTimeout(timer);
        retiring.clear();
        await running.close();
        await queue;
        process.off('exit', removeWorkDir);
        removeWorkDir();
      })();
      return closed;
    },
  };
}

async function plan(project: ProjectConfig): Promise<PlannedVersion> {
  const { files, routes, summary } = await planProject(project);
  const manifest = JSON.parse(files.get('data/manifest.json') ?? '{}') as Partial<Manifest>;
  return {
    version: {
      title: manifest.title ?? '',
      basePath: manifest.basePath ?? '',
      operations: summary.operations,
      summary,
    },
    routes,
    files,
  };
}

/** Writes the plan's `data/` files to `<workDir>/<generation>/data`; returns that folder. */
function writeData(workDir: string, generation: number, files: Map<string, string>): string {
  const dataDir = path.join(workDir, String(generation), 'data');
  for (const [file, content] of files) {
    if (!file.startsWith('data/')) continue;
    const target = path.join(dataDir, file.slice('data/'.length));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dataDir;
}

async function listen(
  dataDir: string,
  routes: RouteEntry[],
  options: LiveMockOptions,
): Promise<RunningServer> {
  const { port, host } = options;
  try {
    return await startServer({ dataDir, routes, port, host, env: options.env });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new MockgenError(`port ${port} is in use on ${host}; choose another with --port`);
    if (code === 'EACCES')
      throw new MockgenError(
        `not allowed to listen on port ${port} on ${host} (ports below 1024 usually need root); choose another with --port`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new MockgenError(
        `cannot listen on ${host}: not an address of this machine; choose another with --host`,
      );
    throw err;
  }
}
