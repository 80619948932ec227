/**
 * What the entry point (main.ts) decides before and around listening, as pure functions: the
 * command line (`--port`, `--host`, `--store`, `--log`, `--help`) over the environment, the usage text, and the
 * one-line messages startup failures are reported with (a stack only under MOCKGEN_DEBUG=1).
 *
 * Exit codes: 0 served and stopped by a signal, 1 the server could not start (busy port, missing
 * data), 2 a bad flag or setting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requestLogEnabled } from './request-log';
import { maskUrl } from './store/mask';
import type { RouteEntry } from './core/types';

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';

export interface StartOptions {
  help: boolean;
  port: number;
  host: string;
  /** one line per request on stdout */
  log: boolean;
  /** where state lives: `memory`, or a `redis://` URL (--store, else MOCKGEN_STORE) */
  store: string;
}

/** A failure with the message to print (after `mockgen: `) and the exit code. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export function usage(): string {
  return `Usage: node dist/runtime/main.js [--port N] [--host H] [--store URL] [--log] [--help]

Serves the mock until SIGINT or SIGTERM; GET /__mockgen/health answers 200 once it is ready.

Options:
  --port N    port to listen on (default: $PORT, else ${DEFAULT_PORT}; 0 picks a free one)
  --host H    address to listen on (default: $HOST, else ${DEFAULT_HOST}; 0.0.0.0 for every interface)
  --store URL where state lives: memory (default), or redis://[user:pass@]host:port[/db] shared by
              every replica of the mock (also MOCKGEN_STORE)
  --log       one line per request on stdout: method, path, status, time, source (also MOCKGEN_LOG=1)
  --help, -h  this text

Environment:
  PORT, HOST               as --port and --host (the flags win)
  MOCKGEN_STORE            as --store
  MOCKGEN_STORE_PREFIX     prefix of the Redis keys (default mockgen:), before a hash of the mock
  MOCKGEN_LOG=1            as --log
  MOCKGEN_DEBUG=1          stack traces with startup errors
  MOCKGEN_DEBUG_FAKE=1     why schema-generated data fell back to a simpler value (stderr)
  MOCKGEN_DATA_DIR         the data directory (default: data/ of the project)
  MOCKGEN_LATENCY          recorded (default) | off | <ms> | <min>-<max>
  MOCKGEN_LATENCY_SCALE    factor applied to every delay, e.g. 0.1
  MOCKGEN_EVENT_INTERVAL   ms between server-sent events (default 25)
  MOCKGEN_BODY_LIMIT       largest request body, e.g. 512kb (default 10mb)
  MOCKGEN_JOURNAL_LIMIT    requests kept for GET /__mockgen/requests (default 10000; 0 keeps none)
  MOCKGEN_SESSION_LIMIT    X-Mockgen-Session states kept (default 1000)
  MOCKGEN_RESOURCE_LIMIT   resources created through the mock kept per collection and session,
                           oldest evicted first (default 10000)
  MOCKGEN_TOKEN_LIFETIME   seconds each access token the token endpoint issues lives (default: as recorded)
  MOCKGEN_CORS=off         no CORS headers
`;
}

/** `1`, `true`, `yes`, `on` (any case) */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** The options of `argv` (without node and the script) over `env`; a StartupError (exit 2) when they are wrong. */
export function parseStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv): StartOptions {
  let help = false;
  let log = requestLogEnabled(env);
  let port: string | undefined;
  let host: string | undefined;
  let store: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      // `--port -1` is a (bad) port; `--port --log` forgot the value
      if (next === undefined || next.startsWith('--')) {
        throw new StartupError(`${name} needs a value; see --help`, 2);
      }
      i++;
      return next;
    };
    if (name === '--help' || name === '-h') help = true;
    else if (name === '--log' && inline === undefined) log = true;
    else if (name === '--port') port = value();
    else if (name === '--host') host = value();
    else if (name === '--store') store = parseStore(value(), '--store');
    else if (arg.startsWith('-'))
      throw new StartupError(`unknown option ${JSON.stringify(arg)}; see --help`, 2);
    else throw new StartupError(`unexpected argument ${JSON.stringify(arg)}; see --help`, 2);
  }
  return {
    help,
    log,
    port:
      port !== undefined
        ? parsePort(port, '--port')
        : env.PORT !== undefined && env.PORT !== ''
          ? parsePort(env.PORT, 'PORT')
          : DEFAULT_PORT,
    host: host !== undefined ? parseHost(host) : env.HOST || DEFAULT_HOST,
    store: store ?? (env.MOCKGEN_STORE ? parseStore(env.MOCKGEN_STORE, 'MOCKGEN_STORE') : 'memory'),
  };
}

function parseStore(raw: string, from: string): string {
  const value = raw.trim();
  if (value === 'memory' || /^rediss?:\/\/[^/?#]+/i.test(value)) return value;
  throw new StartupError(
    `invalid store ${JSON.stringify(maskUrl(value))} (${from}): use memory or redis://[user:pass@]host:port[/db]`,
    2,
  );
}

function parsePort(raw: string, from: string): number {
  const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(port <= 65535)) {
    throw new StartupError(`invalid port ${JSON.stringify(raw)} (${from}): use a number from 0 to 65535`, 2);
  }
  return port;
}

function parseHost(raw: string): string {
  if (raw.trim() === '') throw new StartupError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0', 2);
  return raw.trim();
}

/** `[::1]` for an IPv6 address, the host itself otherwise (for URLs). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The data directory: MOCKGEN_DATA_DIR, else `data/` of the project (`../../data` from src/runtime/ and dist/runtime/). */
export function dataDirOf(runtimeDir: string, env: NodeJS.ProcessEnv): string {
  return env.MOCKGEN_DATA_DIR || path.join(runtimeDir, '..', '..', 'data');
}

/**
 * The manifest of `dataDir`, checked before the server is built (which reads it too) so that a
 * missing or broken data directory is one line naming the file rather than a stack.
 */
export function readManifest(dataDir: string): { title?: string; basePath?: string } {
  if (!isDirectory(dataDir)) {
    throw new StartupError(
      `data directory ${dataDir} not found (set MOCKGEN_DATA_DIR, or regenerate the project)`,
      1,
    );
  }
  const file = path.join(dataDir, 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StartupError(`cannot read ${file}: ${reason(err)}`, 1);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new StartupError(`${file} is not valid JSON: ${reason(err)} (regenerate the project)`, 1);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new StartupError(`${file} is not a mockgen manifest (regenerate the project)`, 1);
  }
  // read on the first request; its absence would otherwise be a 500 for every operation
  const schemas = path.join(dataDir, 'schemas.json');
  if (!fs.existsSync(schemas)) throw new StartupError(`${schemas} not found (regenerate the project)`, 1);
  return manifest as { title?: string; basePath?: string };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The message for a failed `listen` on `host`:`port`. */
export function listenFailure(err: unknown, host: string, port: number): StartupError {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return new StartupError(
        `port ${port} is in use on ${host} (EADDRINUSE); set PORT or --port to another`,
        1,
      );
    case 'EACCES':
      return new StartupError(
        `not allowed to listen on port ${port} on ${host} (EACCES); ports below 1024 need privileges: set PORT or --port to another`,
        1,
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        `address ${host} is not one of this machine's (EADDRNOTAVAIL); set HOST or --host to another, e.g. 127.0.0.1 or 0.0.0.0`,
        1,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        `host ${JSON.stringify(host)} not found (${code}); set HOST or --host to an address`,
        1,
      );
    default:
      return new StartupError(`cannot listen on ${host}:${port}: ${reason(err)}`, 1);
  }
}

/** What to print for an error that ended startup, and the exit code; the stack only when `debug`. */
export function describeFailure(err: unknown, debug: boolean): { text: string; exitCode: number } {
  const exitCode = err instanceof StartupError ? err.exitCode : 1;
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  const hint = debug || err instanceof StartupError ? '' : ' (MOCKGEN_DEBUG=1 shows the stack)';
  return { text: `mockgen: ${reason(err)}${hint}${stack}\n`, exitCode };
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // the first line: module-not-found errors append their require stack
  return message.split('\n', 1)[0];
}

/** The generated route table (`src/routes.ts`, next to `runtimeDir`'s parent), or a StartupError naming it. */
export function loadRoutes(runtimeDir: string): RouteEntry[] {
  const file = path.join(runtimeDir, '..', 'routes');
  try {
    const { routes } = require(file) as { routes?: RouteEntry[] };
    if (!Array.isArray(routes)) throw new Error('it exports no `routes` array');
    return routes;
  } catch (err) {
    throw new StartupError(`cannot load the route table ${file}: ${reason(err)} (regenerate the project)`, 1);
  }
}
