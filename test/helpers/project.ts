import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** The repository root (tests run from it). */
export const repoRoot = process.cwd();

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mockgen-${prefix}-`));
}

/** Runs the CLI in-process, capturing what it writes. */
export async function runCli(
  args: string[],
  cwd = repoRoot,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const previousCwd = process.cwd();
  // write(chunk[, encoding][, callback]): the callback is called, as a stream would (the CLI awaits it)
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into.push(String(chunk));
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      if (callback) process.nextTick(callback);
      return true;
    };
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  try {
    process.chdir(cwd);
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(previousCwd);
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

/** Makes the emitted project use mockgen's own node_modules (a superset of its dependencies) instead of `npm install`. */
export function linkNodeModules(projectDir: string): void {
  const link = path.join(projectDir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(repoRoot, 'node_modules'), link, 'dir');
}

/** `tsc -p` the emitted project (strict, as its tsconfig says); returns the diagnostics text ('' when clean). */
export function compileProject(projectDir: string, noEmit = false): string {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(projectDir, 'tsconfig.json'), ...(noEmit ? ['--noEmit'] : [])],
    {
      cwd: projectDir,
      encoding: 'utf8',
    },
  );
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}` || `tsc exited ${result.status}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningMock {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a compiled emitted project (`node dist/runtime/main.js`) and waits for its health check. */
export async function bootProject(projectDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningMock> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/runtime/main.js'], {
    cwd: projectDir,
    env: { ...process.env, MOCKGEN_LATENCY: 'off', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  // generous: a loaded CI machine starts node slowly
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mock exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/__mockgen/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mock did not become healthy in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, child, output: () => output, stop };
}

/** generate → link node_modules → tsc (strict) → boot. Throws with the diagnostics when tsc fails. */
export async function generateAndBoot(
  args: string[],
  outDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningMock & { generateOutput: string }> {
  const result = await runCli(['generate', ...args, '--out', outDir]);
  if (result.code !== 0)
    throw new Error(`generate failed (${result.code}):\n${result.stdout}${result.stderr}`);
  linkNodeModules(outDir);
  const diagnostics = compileProject(outDir);
  if (diagnostics) throw new Error(`emitted project does not compile:\n${diagnostics}`);
  const mock = await bootProject(outDir, env);
  return { ...mock, generateOutput: result.stdout };
}
