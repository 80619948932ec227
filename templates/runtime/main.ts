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
 * Start: `node dist/runtime/main.js`. Environment: PORT (default 4010), HOST (default 127.0.0.1),
 * plus the MOCKGEN_* settings read by the runtime (latency, body limit, journal, CORS).
 *
 * Extension: if `src/extend.ts` exists and exports a function (default export or `extend`), it is
 * called with the Express app that serves `/__mockgen/*`; its routes also see requests that match
 * no operation of the contract, before the 404.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer } from './server';
import type { MockHandlerOptions } from './handler';
import type { RouteEntry } from './core/types';

// `require`, not `import`: routes.ts exists only in the emitted project, and this file is also
// type-checked inside mockgen itself, where there is no `../routes` to resolve.

const { routes } = require('../routes') as { routes: RouteEntry[] };

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

async function main(): Promise<void> {
  const dataDir = process.env.MOCKGEN_DATA_DIR ?? path.join(__dirname, '..', '..', 'data');
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 4010 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  }
  const host = process.env.HOST || '127.0.0.1';
  const running = await startServer({ dataDir, routes, port, host, extend: loadExtension() });
  const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')) as {
    title?: string;
    basePath?: string;
  };
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `mockgen: ${manifest.title ?? 'mock'} listening on http://${shownHost}:${running.port}${manifest.basePath ?? ''} (${routes.length} operations)\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`mockgen: ${signal}, closing\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`mockgen: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
