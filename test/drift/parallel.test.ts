/**
 * Drift on several threads gives what one thread gives: the same findings in the same order, the same
 * per-operation rows (undocumented ones in the order their first exchange came), counts and coverage,
 * for HAR, NDJSON, gzip and folders of mixed files; a bad entry anywhere gives the single-threaded
 * error; `--jobs` is checked.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadContract } from '../../src/contract/load-contract';
import { checkDrift } from '../../src/drift/check-drift';
import { DriftWorkers } from '../../src/drift/parallel';
import { expandRecordingPaths } from '../../src/recordings/scan-recordings';
import { runCli, tempDir } from '../helpers/project';
import { cleanTraffic, writeTraffic } from './from-examples';

const spec = path.join(process.cwd(), 'specs', 'petstore', 'openapi.yaml');

describe('drift on worker threads', function () {
  this.timeout(120000);
  let dir: string;
  let har: string;
  let ndjson: string;
  let folder: string;

  before(async () => {
    dir = tempDir('parallel');
    const contract = await loadContract(spec);
    har = path.join(dir, 'traffic.har');
    ndjson = path.join(dir, 'traffic.ndjson');
    writeTraffic(har, ndjson, cleanTraffic(contract), 3000, contract.servers[0]);
    folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    fs.copyFileSync(har, path.join(folder, 'a.har'));
    fs.writeFileSync(path.join(folder, 'b.ndjson.gz'), zlib.gzipSync(fs.readFileSync(ndjson)));
    fs.copyFileSync(
      path.join(process.cwd(), 'test', 'fixtures', 'drift', 'traffic', 'kong.log'),
      path.join(folder, 'c.log'),
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** One thread, then `workers` workers beside this thread with small batches (many of them). */
  async function both(recordings: string[], workers: number, batchBytes: number) {
    const single = await checkDrift({ spec, recordings, jobs: 1 });
    const pool = new DriftWorkers(workers, batchBytes);
    let merged;
    try {
      merged = await pool.check(single.contract, {}, await expandRecordingPaths(recordings));
    } finally {
      await pool.close();
    }
    assert.ok(merged, 'checked on the workers, not handed back to one thread');
    const { contract: _c, files: _f, ...expected } = single;
    return { expected, actual: merged.finish() };
  }

  for (const [name, files] of [
    ['a HAR', () => [har]],
    ['NDJSON', () => [ndjson]],
    ['a folder of HAR, gzipped NDJSON and a Kong log', () => [folder]],
  ] as const) {
    it(`${name}: same findings, rows and coverage as one thread`, async () => {
      const { expected, actual } = await both(files(), 2, 16 << 10);
      assert.ok(expected.findings.length > 50, `drift in the traffic: ${expected.findings.length}`);
      assert.ok(
        expected.summary.operations.some((row) => row.operationId === ''),
        'rows for undocumented request lines',
      );
      assert.deepEqual(actual, expected);
    });
  }

  it('one worker and very small batches: still the same', async () => {
    const { expected, actual } = await both([ndjson, har], 1, 2048);
    assert.deepEqual(actual, expected);
  });

  it('a bad line or entry late in the traffic: the single-threaded error', async () => {
    const badLines = path.join(dir, 'bad.ndjson');
    const lines = fs.readFileSync(ndjson, 'utf8').split('\n');
    lines[2500] = lines[2500].slice(0, 40);
    fs.writeFileSync(badLines, lines.join('\n'));
    const badHar = path.join(dir, 'bad.har');
    const text = fs.readFileSync(har, 'utf8');
    const at = text.indexOf('"request"', Math.floor(text.length * 0.8));
    fs.writeFileSync(badHar, `${text.slice(0, at)}"request" 17,${text.slice(at + 10)}`);
    for (const file of [badLines, badHar]) {
      const one = await checkDrift({ spec, recordings: [file], jobs: 1 }).then(
        () => assert.fail('one thread accepted a bad file'),
        (err: Error) => err.message,
      );
      const three = await checkDrift({ spec, recordings: [file], jobs: 3 }).then(
        () => assert.fail('three threads accepted a bad file'),
        (err: Error) => err.message,
      );
      assert.equal(three, one);
      assert.match(one, new RegExp(path.basename(file)));
    }
  });

  it('the CLI: --jobs 2 writes the report --jobs 1 writes; a bad --jobs exits 2', async () => {
    const report = (jobs: string) =>
      runCli(['drift', '--spec', spec, '--recordings', folder, '--format', 'json', '--jobs', jobs]);
    const one = await report('1');
    const two = await report('2');
    assert.equal(one.code, 1, one.stderr);
    assert.equal(two.code, 1, two.stderr);
    assert.equal(two.stdout, one.stdout);
    const bad = await report('0');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--jobs '0'/);
  });
});
