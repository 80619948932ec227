import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HarLog } from '../../src/recordings/har-types';
import { HarFileWriter } from '../../src/record/har-writer';
import { parseSize } from '../../src/cli/commands/record';
import { close, fetchRaw, startTarget } from './helpers';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-record-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('record: HAR file writer', () => {
  it('is valid HAR after every append and grows by the entry only', async () => {
    const file = path.join(tmp, 'writer.har');
    const writer = await HarFileWriter.open(file, { creator: { name: 't', version: '1' } });
    assert.deepEqual((JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog).log.entries, []);
    let size = fs.statSync(file).size;
    for (let i = 0; i < 5; i++) {
      const entry = {
        startedDateTime: new Date(0).toISOString(),
        time: i,
        note: '"quoted" ]}} \u2028',
      } as never;
      await writer.append(entry);
      const har = JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog;
      assert.equal(har.log.entries.length, i + 1);
      assert.equal(har.log.version, '1.2');
      const grown = fs.statSync(file).size - size;
      assert.ok(grown <= Buffer.byteLength(JSON.stringify(entry)) + 2, `grew ${grown} bytes`);
      size += grown;
    }
    await writer.close();
    assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as HarLog).log.entries.length, 5);
    await assert.rejects(writer.append({} as never));
  });

  const sizes: [string, number][] = [
    ['1048576', 1048576],
    ['5m', 5 * 1024 * 1024],
    ['512k', 512 * 1024],
    ['1.5MB', 1.5 * 1024 * 1024],
  ];
  for (const [text, want] of sizes) it(`--max-body-size ${text}`, () => assert.equal(parseSize(text), want));
  it('--max-body-size rejects junk', () => assert.throws(() => parseSize('lots'), /max-body-size/));
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns `mockgen record` and waits for its "listening" line. */
async function spawnRecord(args: string[]): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
      'record',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${stderr}`)), 10_000);
    child.stderr?.on('data', () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+) →/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

describe('record: the mockgen record command', function () {
  this.timeout(30_000);
  let target: Awaited<ReturnType<typeof startTarget>>;
  const children: ChildProcess[] = [];
  before(async () => (target = await startTarget()));
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await close(target?.server);
  });

  it('SIGKILL mid-run leaves a parseable HAR with every completed exchange', async () => {
    const out = path.join(tmp, 'killed.har');
    const run = await spawnRecord(['--target', target.url, '--port', '0', '--out', out]);
    children.push(run.child);
    for (let i = 0; i < 5; i++) assert.equal((await fetchRaw(`${run.url}/json?i=${i}`)).status, 200);
    // one exchange still in flight when the recorder dies
    const inFlight = fetchRaw(`${run.url}/slow?ms=3000`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill('SIGKILL');
    await run.exited;
    await inFlight;
    const har = JSON.parse(fs.readFileSync(out, 'utf8')) as HarLog;
    assert.deepEqual(
      har.log.entries.map((e) => new URL(e.request.url).search),
      [0, 1, 2, 3, 4].map((i) => `?i=${i}`),
    );
  });

  it('SIGTERM lets in-flight exchanges finish, writes the summary and exits 0', async () => {
    const out = path.join(tmp, 'terminated.har');
    const run = await spawnRecord([
      '--target',
      target.url,
      '--port',
      '0',
      '--out',
      out,
      '--redact',
      'x-tenant',
    ]);
    children.push(run.child);
    await fetchRaw(`${run.url}/json`, { headers: { 'X-Tenant': 'tenant-secret-42' } });
    const slow = fetchRaw(`${run.url}/slow?ms=300`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    run.child.kill('SIGTERM');
    assert.equal((await slow).status, 200);
    assert.equal(await run.exited, 0);
    assert.match(run.stderr(), /2 exchanges written to .*terminated\.har; 0 failed/);
    const text = fs.readFileSync(out, 'utf8');
    assert.equal((JSON.parse(text) as HarLog).log.entries.length, 2);
    assert.ok(!text.includes('tenant-secret-42'));
  });

  it('refuses bad flags with exit code 2', async () => {
    const child = spawn(process.execPath, [
      '-e',
      `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
      'record',
      '--port',
      '1',
    ]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--target URL is required/);
  });

  it('a port in use is a user error', async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    const child = spawn(process.execPath, [
      '-e',
      `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`,
      'record',
      '--target',
      target.url,
      '--port',
      String(port),
      '--out',
      path.join(tmp, 'busy.har'),
    ]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    await close(busy);
    assert.equal(code, 2);
    assert.match(stderr, /port \d+ is in use/);
  });
});
