/**
 * Issue 16, "Recorded flows replay as recorded": a real open-source service (json-server 0.17, a REST API
 * over a JSON file) is recorded through `mockgen record` while a client runs a create → read → update →
 * list → read → read → delete → read flow and a second create; a mock is generated from the contract
 * (test/fixtures/recorded-flow, stricter than the service) and the HAR, and the same client flow runs
 * against it. The two runs are compared check by check, as an outside evaluator would.
 *
 * The HAR is aged by three days before generating (as a recording made last sprint would be), so a
 * timestamp replayed frozen is told from one shifted to now. `RECORDED_FLOW_KEEP=1` keeps the work folder
 * (db.json, the HAR, the generated mock) for a look.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { stableStringify } from '../../templates/runtime/core/json';
import { freePort, generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

const SPEC = path.join(repoRoot, 'test/fixtures/recorded-flow/notes-api.yaml');
const JSON_SERVER = path.join(repoRoot, 'node_modules/json-server/lib/cli/bin.js');
const MOCKGEN = path.join(repoRoot, 'bin/mockgen.js');
const AGE_MS = 3 * 24 * 3600 * 1000;
const NEAR_MS = 5 * 60 * 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

interface StepResult {
  step: string;
  /** the request body the client sent */
  sent?: unknown;
  status: number;
  body: unknown;
  ms: number;
}

type Note = Record<string, unknown> & { id: number };

/** The client: one flow over a base URL, the same code for the service (through the recorder) and the mock. */
async function clientFlow(base: string): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const call = async (step: string, method: string, url: string, body?: unknown) => {
    const started = Date.now();
    const res = await fetch(`${base}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: compared as text
    }
    results.push({ step, sent: body, status: res.status, body: parsed, ms: Date.now() - started });
    return parsed as Note;
  };
  await call('read seeded', 'GET', '/notes/1');
  const now = new Date().toISOString();
  const created = await call('create', 'POST', '/notes', {
    title: 'Groceries for the weekend at the lake house',
    body: 'milk, eggs, charcoal',
    tags: ['home', 'errands'],
    priority: 'normal',
    done: false,
    createdAt: now,
    updatedAt: now,
  });
  const id = typeof created?.id === 'number' ? created.id : 0;
  await call('read created', 'GET', `/notes/${id}`);
  await call('update', 'PATCH', `/notes/${id}`, {
    done: true,
    priority: 'urgent',
    updatedAt: new Date().toISOString(),
  });
  await call('list', 'GET', '/notes');
  await call('read updated', 'GET', `/notes/${id}`);
  await call('read updated again', 'GET', `/notes/${id}`);
  await call('delete', 'DELETE', `/notes/${id}`);
  await call('read deleted', 'GET', `/notes/${id}`);
  const later = new Date().toISOString();
  const other = await call('create other', 'POST', '/notes', {
    title: 'Call the plumber about the leaking kitchen sink',
    body: 'before Friday',
    tags: ['house'],
    priority: 'high',
    done: false,
    createdAt: later,
    updatedAt: later,
  });
  await call('read other', 'GET', `/notes/${typeof other?.id === 'number' ? other.id : 0}`);
  return results;
}

/** Equal as JSON values, key order aside. */
function same(a: unknown, b: unknown): boolean {
  return stableStringify(a ?? null) === stableStringify(b ?? null);
}

/** A value's shape: object keys with their shapes, the set of an array's item shapes, else the JSON type. */
function shape(value: unknown): string {
  if (Array.isArray(value)) return `[${[...new Set(value.map(shape))].sort().join('|')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${key}:${shape((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return value === null ? 'null' : typeof value;
}

function timestamps(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && ISO.test(value)) found.push(value);
  else if (Array.isArray(value)) value.forEach((item) => timestamps(item, found));
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((item) => timestamps(item, found));
  return found;
}

function withoutId(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { id: _id, ...rest } = value as Record<string, unknown>;
  return rest;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The evaluator: the mock's run against the service's, and the flow's own promises on each run. */
function compareRuns(live: StepResult[], mock: StepResult[], at: number): Check[] {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = '') => checks.push({ name, ok, detail });
  const step = (run: StepResult[], name: string) => run.find((r) => r.step === name) as StepResult;
  for (const expected of live) {
    const got = step(mock, expected.step);
    check(
      `${expected.step}: status`,
      got?.status === expected.status,
      `${got?.status} vs ${expected.status}`,
    );
    check(
      `${expected.step}: body shape`,
      shape(got?.body) === shape(expected.body),
      `${shape(got?.body)} vs ${shape(expected.body)}`,
    );
  }
  const body = (name: string) => step(mock, name)?.body as Note;
  check(
    'read seeded: the recorded values',
    same(withoutTimestamps(body('read seeded')), withoutTimestamps(step(live, 'read seeded').body)),
    JSON.stringify(body('read seeded')),
  );
  const created = body('create');
  check(
    "create: the created resource's own values",
    same(withoutId(created), step(mock, 'create')?.sent),
    JSON.stringify(created),
  );
  const seededIds = [body('read seeded')?.id];
  check(
    'create: a new id',
    typeof created?.id === 'number' && !seededIds.includes(created.id),
    String(created?.id),
  );
  check('read after create: what was created', same(body('read created'), created));
  const updated = body('update');
  check(
    'update: the change merged in',
    updated?.done === true && updated?.priority === 'urgent' && updated?.title === created?.title,
    JSON.stringify(updated),
  );
  check(
    'read after update: the update',
    same(body('read updated'), updated),
    JSON.stringify(body('read updated')),
  );
  check('repeated read: the same answer', same(body('read updated again'), body('read updated')));
  const list = step(mock, 'list')?.body;
  check(
    'list: contains the created one, updated',
    Array.isArray(list) && list.some((note) => same(note, updated)),
    JSON.stringify(list),
  );
  check(
    'list: contains the seeded one',
    Array.isArray(list) && list.some((note) => (note as Note).id === body('read seeded')?.id),
  );
  check('delete then read: 404', step(mock, 'read deleted')?.status === 404);
  const other = body('create other');
  check(
    'create other: its own values',
    same(withoutId(other), step(mock, 'create other')?.sent),
    JSON.stringify(other),
  );
  check(
    'create other: an id no other note has',
    typeof other?.id === 'number' && !seededIds.includes(other.id),
    String(other?.id),
  );
  check('read other: what was created', same(body('read other'), other));
  const stamps = mock.flatMap((r) => timestamps(r.body));
  const stale = stamps.filter((stamp) => Math.abs(Date.parse(stamp) - at) > NEAR_MS);
  check(
    `timestamps: all ${stamps.length} near now`,
    stamps.length > 0 && stale.length === 0,
    stale.join(', '),
  );
  const liveMs = live.reduce((sum, r) => sum + r.ms, 0);
  const mockMs = mock.reduce((sum, r) => sum + r.ms, 0);
  check('latency: not absurd', mockMs < liveMs * 10 + 2000, `${mockMs} ms vs ${liveMs} ms recorded`);
  return checks;
}

/** Recorded timestamps stand in for fresh ones: compare everything else exactly. */
function withoutTimestamps(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_key, v) =>
    typeof v === 'string' && ISO.test(v) ? '<timestamp>' : v,
  );
}

/** Shifts every timestamp in a HAR (entry times, Date headers, bodies) back by `ms`, as if recorded then. */
function ageHar(file: string, ms: number): void {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, (stamp) =>
      new Date(Date.parse(stamp) - ms).toISOString(),
    )
    .replace(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/g, (stamp) =>
      new Date(Date.parse(stamp) - ms).toUTCString(),
    );
  fs.writeFileSync(file, text);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts a child process and waits until it accepts connections on `port`. */
async function startChild(
  args: string[],
  port: number,
  cwd: string,
): Promise<{ child: ChildProcess; output(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}:\n${output}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${args.join(' ')} did not listen in 20 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, stop };
}

describe('e2e: a flow recorded against json-server replays as recorded (issue 16)', function () {
  this.timeout(180_000);
  let work: string;
  let mock: RunningMock | undefined;
  const stops: (() => Promise<void>)[] = [];

  before(() => (work = tempDir('recorded-flow')));
  after(async () => {
    await mock?.stop();
    for (const stop of stops.reverse()) await stop();
    if (!process.env.RECORDED_FLOW_KEEP) fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers each step with the status, shape and values the service gave', async () => {
    const seededAt = new Date(Date.now() - 60_000).toISOString();
    const db = path.join(work, 'db.json');
    fs.writeFileSync(
      db,
      JSON.stringify({
        notes: [
          {
            id: 1,
            title: 'Welcome',
            body: 'Notes live here.',
            tags: ['start'],
            priority: 'low',
            done: false,
            createdAt: seededAt,
            updatedAt: seededAt,
          },
        ],
      }),
    );
    const servicePort = await freePort();
    const service = await startChild(
      [JSON_SERVER, '--host', '127.0.0.1', '--port', String(servicePort), '--delay', '25', '--quiet', db],
      servicePort,
      work,
    );
    stops.push(service.stop);
    const har = path.join(work, 'notes.har');
    const recorderPort = await freePort();
    const recorder = await startChild(
      [
        MOCKGEN,
        'record',
        '--target',
        `http://127.0.0.1:${servicePort}`,
        '--port',
        String(recorderPort),
        '--out',
        har,
      ],
      recorderPort,
      repoRoot,
    );
    stops.push(recorder.stop);
    const live = await clientFlow(`http://127.0.0.1:${recorderPort}`);
    await recorder.stop();
    await service.stop();

    ageHar(har, AGE_MS);
    mock = await generateAndBoot(['--spec', SPEC, '--recordings', har], path.join(work, 'mock'), {
      MOCKGEN_LATENCY: 'recorded',
    });
    const replayed = await clientFlow(mock.url);
    const liveFailed = compareRuns(live, live, Date.now()).filter((c) => !c.ok);
    assert.deepEqual(liveFailed, [], 'the checks hold for the service itself');

    const checks = compareRuns(live, replayed, Date.now());
    const failed = checks.filter((c) => !c.ok);
    process.stdout.write(`      recorded flow: ${checks.length - failed.length}/${checks.length} checks\n`);
    assert.deepEqual(
      failed.map((c) => `${c.name}: ${c.detail}`),
      [],
      JSON.stringify({ live, replayed }, null, 1),
    );
  });
});
