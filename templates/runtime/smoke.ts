/**
 * Smoke test of the emitted project, `node dist/runtime/smoke.js` (`npm test`, after `tsc --noEmit`):
 * starts the server in-process on a free port of 127.0.0.1, checks that `GET /__mockgen/health`
 * answers 200, then calls one operation that needs nothing from the caller (a GET without path
 * parameters, required parameters, required body or security; the first with a documented 2xx) and
 * checks the answer's status is one the contract documents for it. Prints
 * `smoke: ok (12 operations, GET /pets 200)` and exits 0, or says what failed and exits 1. A contract
 * without such an operation is checked by its health alone.
 *
 * Latency is off unless MOCKGEN_LATENCY says otherwise: this checks answers, not timing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startServer } from './server';
import { dataDirOf, describeFailure, isOn, loadRoutes, readManifest } from './startup';
import type { OperationData, RouteEntry } from './core/types';

const TIMEOUT_MS = 10_000;

/** A GET the mock can be asked without inventing any input. */
export function callableWithoutInput(op: OperationData): boolean {
  return (
    op.method === 'get' &&
    // `{` a path parameter; `#` and `?` templates (`/#Action=List`) are told apart by their query
    !/[{#?]/.test(op.path) &&
    !op.parameters.some((p) => p.required) &&
    op.requestBody?.required !== true &&
    (op.security.length === 0 || op.security.some((requirement) => Object.keys(requirement).length === 0))
  );
}

/** Whether `op` documents `status`: exactly, by its range (`2XX`) or as `default`. */
export function documentsStatus(op: OperationData, status: number): boolean {
  const range = `${Math.floor(status / 100)}XX`;
  return op.responses.some(
    (r) => r.status === String(status) || r.status.toUpperCase() === range || r.status === 'default',
  );
}

/** The operation to call: the first callable one that documents a 2xx, else the first callable one. */
export function pickOperation(operations: OperationData[]): OperationData | undefined {
  const callable = operations.filter(callableWithoutInput);
  return callable.find((op) => op.responses.some((r) => /^2/.test(r.status))) ?? callable[0];
}

/** Runs the smoke test; the line to print when it passes. Throws what failed. */
export async function smoke(dataDir: string, routes: RouteEntry[]): Promise<string> {
  const manifest = readManifest(dataDir);
  const env = { ...process.env, MOCKGEN_LATENCY: process.env.MOCKGEN_LATENCY ?? 'off' };
  const running = await startServer({ dataDir, routes, port: 0, host: '127.0.0.1', env, log: false });
  try {
    const base = `http://127.0.0.1:${running.port}`;
    const health = await get(`${base}/__mockgen/health`);
    if (health.status !== 200) {
      throw new Error(`GET /__mockgen/health answered ${health.status}, not 200: ${health.body}`);
    }
    const operations = routes
      .filter((route) => route.method === 'get' && !/[{#?]/.test(route.path))
      .map((route) => readOperation(dataDir, route));
    const op = pickOperation(operations);
    if (!op) {
      return `smoke: ok (${routes.length} operations; health only: no GET without parameters or security)`;
    }
    const answer = await get(`${base}${manifest.basePath ?? ''}${op.path}`);
    if (!documentsStatus(op, answer.status)) {
      const documented = op.responses.map((r) => r.status).join(', ');
      throw new Error(
        `GET ${op.path} (${op.id}) answered ${answer.status}, which it does not document (${documented}): ${answer.body}`,
      );
    }
    return `smoke: ok (${routes.length} operations, GET ${op.path} ${answer.status})`;
  } finally {
    await running.close();
  }
}

function readOperation(dataDir: string, route: RouteEntry): OperationData {
  const file = path.join(dataDir, route.data);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OperationData;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.text();
  return { status: res.status, body: body.length > 300 ? `${body.slice(0, 300)}...` : body };
}

if (require.main === module) {
  const run = async (): Promise<string> => smoke(dataDirOf(__dirname, process.env), loadRoutes(__dirname));
  run().then(
    (line) => {
      process.stdout.write(`${line}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      const { text } = describeFailure(err, isOn(process.env.MOCKGEN_DEBUG));
      process.stderr.write(text.replace(/^mockgen: /, 'smoke: failed: '));
      process.exit(1);
    },
  );
}
