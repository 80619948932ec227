/**
 * Entry point of the emitted mock server.
 *
 * Layout it expects (tsconfig rootDir `src`, outDir `dist`):
 *   <project>/src/routes.ts          → dist/routes.js            imported as `../routes`
 *   <project>/src/runtime/main.ts    → dist/runtime/main.js      this file
 *   <project>/src/extend.ts          → dist/extend.js            optional user extension (see below)
 *   <project>/data/                  manifest.json, schemas.json, ops/*.json — found at `../../data`
 *                                    from both src/runtime/ (ts-node) and dist/runtime/ (compiled)
 * MOCKGEN_DATA_DIR overrides the data directory.
 *
 * Start: `node dist/runtime/main.js [--port N] [--host H] [--store URL] [--log] [--help]` (startup.ts). The flags
 * win over PORT (default 4010) and HOST (default 127.0.0.1); the MOCKGEN_* settings read by the
 * runtime (latency, body limit, journal, CORS, log) are listed by `--help`. A startup failure is one
 * line on stderr (the stack with MOCKGEN_DEBUG=1), exit 1, or 2 for a bad flag or setting;
 * SIGINT / SIGTERM close the server and exit 0.
 *
 * State: in memory, or with `--store redis://…` / MOCKGEN_STORE in Redis, shared by every replica
 * (store/redis-store.ts; the Redis client is loaded only then). Redis unreachable at start: exit 1.
 *
 * Extension: if `src/extend.ts` exists and exports a function (default export or `extend`), it is
 * called with the Express app that serves `/__mockgen/*`; its routes also see requests that match
 * no operation of the contract, before the 404.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type RunningServer } from './server';
import type { MockHandlerOptions } from './handler';
import { maskUrl } from './store/mask';
import type { StateStore } from './store/state-store';
import {
  dataDirOf,
  describeFailure,
  isOn,
  listenFailure,
  loadRoutes,
  parseStartOptions,
  readManifest,
  StartupError,
  urlHost,
  usage,
} from './startup';

function loadExtension(): MockHandlerOptions['extend'] {
  for (const file of ['extend.js', 'extend.ts']) {
    const candidate = path.join(__dirname, '..', file);
    if (!fs.existsSync(candidate)) continue;

    const loaded = require(candidate) as { default?: unknown; extend?: unknown };
    const fn = typeof loaded.default === 'function' ? loaded.default : loaded.extend;
    if (typeof fn === 'function') return fn as MockHandlerOptions['extend'];
  }
  return undefined;
}

async function main(argv: string[]): Promise<void> {
  const options = parseStartOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(usage());
    return;
  }
  const { port, host } = options;
  const dataDir = dataDirOf(__dirname, process.env);
  const manifest = readManifest(dataDir);
  // `require`d at run time: routes.ts exists only in the emitted project, and this file is also
  // type-checked inside mockgen itself, where there is no `../routes` to resolve
  const routes = loadRoutes(__dirname);
  // before listening: a signal that comes while the server starts must not kill it uncleanly
  const server: { running?: RunningServer; store?: StateStore } = {};
  stopOnSignals(server);
  if (options.store !== 'memory') server.store = await connectStore(options.store, dataDir);
  try {
    server.running = await startServer({
      dataDir,
      routes,
      port,
      host,
      extend: loadExtension(),
      log: options.log,
      store: server.store,
    });
  } catch (err) {
    const syscall = (err as NodeJS.ErrnoException)?.syscall;
    throw syscall === 'listen' || syscall === 'getaddrinfo' ? listenFailure(err, host, port) : err;
  }
  process.stdout.write(
    `mockgen: ${manifest.title ?? 'mock'} listening on http://${urlHost(host)}:${server.running.port}${manifest.basePath ?? ''} (${routes.length} operations)${options.store === 'memory' ? '' : `, state in ${maskUrl(options.store)}`}\n`,
  );
}

/** The Redis store of this mock (keys namespaced by its manifest), or a StartupError naming the URL. */
async function connectStore(url: string, dataDir: string): Promise<StateStore> {
  const { RedisStore, mockNamespace } =
    require('./store/redis-store') as typeof import('./store/redis-store');
  const namespace = mockNamespace(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'));
  try {
    return await RedisStore.connect({ url, namespace });
  } catch (err) {
    throw new StartupError((err as Error).message, 1);
  }
}

/**
 * SIGINT / SIGTERM close the server (requests in flight get up to 2 s) and exit 0; a later second
 * signal exits at once. `npm start` in a terminal delivers Ctrl-C twice (the terminal signals the
 * whole process group and npm forwards its own copy to the child): a repeat within 500 ms is that
 * one keypress, not an impatient second.
 */
function stopOnSignals(server: { running?: RunningServer; store?: StateStore }): void {
  let stoppingSince: number | undefined;
  const stop = (why: string, signal?: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      if (signal === undefined || Date.now() - stoppingSince < 500) return;
      process.stdout.write(`mockgen: ${signal} again, exiting now\n`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
    stoppingSince = Date.now();
    process.stdout.write(`mockgen: ${why}, closing\n`);
    if (!server.running) process.exit(0);
    server.running
      .close()
      .then(() => server.store?.close?.())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT', 'SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM', 'SIGTERM'));
  stopWithNpm(() => stop('npm exited'));
}

/**
 * Under `npm start` the server is the child of `sh -c` (which dash, Debian's sh, does not replace by
 * node): npm forwards SIGTERM to that shell, which dies without passing it on. An orphaned server
 * would hold its port for good, so under npm it stops when its parent goes away.
 */
function stopWithNpm(stop: () => void): void {
  if (process.env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 250).unref();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const { text, exitCode } = describeFailure(err, isOn(process.env.MOCKGEN_DEBUG));
  process.stderr.write(text);
  process.exit(exitCode);
});
