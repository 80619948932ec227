import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toHar } from './from-examples';
import type { ExchangeInit } from './helpers';

const bin = path.resolve(__dirname, '../../../bin/mockgen.js');
const spec = path.join(process.cwd(), 'test', 'fixtures', 'drift', 'petstore-30.yaml');

function mockgen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

const pet = { id: 1, name: 'Rex', status: 'available', createdAt: '2024-01-01T10:00:00Z' };
/** Clean traffic for 2 of the fixture's 5 operations. */
const clean: ExchangeInit[] = [
  {
    path: '/v1/pets',
    query: [['limit', '5']],
    headers: [['X-Api-Key', 'k-123']],
    responseHeaders: [['X-Rate-Limit', '10']],
    responseBody: [pet],
  },
  { path: '/v1/pets/1', responseBody: pet },
];

interface Report {
  findings: { value?: string; pointer: string }[];
  coverage: {
    totals: Record<string, { covered: number; total: number; percent: number | null }>;
    operations: { operation: string; entries: number; responses: { status: string; hits: number }[] }[];
    thresholds?: { dimension: string; minimum: number; actual: number; passed: boolean }[];
  };
}

describe('mockgen drift coverage (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  let har: string;
  const drift = (...args: string[]) => mockgen(['drift', '--spec', spec, '--recordings', har, ...args]);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-coverage-cli-'));
    har = path.join(dir, 'clean.har');
    fs.writeFileSync(har, JSON.stringify(toHar(clean)));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JSON: coverage totals and per operation beside the unchanged findings and summary', async () => {
    const result = await drift('--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report & Record<string, unknown>;
    assert.deepEqual(Object.keys(report), ['findings', 'summary', 'coverage']);
    assert.deepEqual(report.coverage.totals.operations, { covered: 2, total: 5, percent: 40 });
    const get = report.coverage.operations.find((o) => o.operation === 'GET /pets/{petId}')!;
    assert.equal(get.entries, 1);
    assert.deepEqual(get.responses, [
      { status: '200', hits: 1 },
      { status: '404', hits: 0 },
    ]);
    assert.equal(report.coverage.thresholds, undefined);
  });

  it('--min-coverage: exit 1 below it with a message naming the dimension, 0 at or above it', async () => {
    const below = await drift('--format', 'json', '--min-coverage', '50');
    assert.equal(below.code, 1);
    assert.match(below.stderr, /operations coverage 40% \(2 of 5\) is below --min-coverage operations=50/);
    const report = JSON.parse(below.stdout) as Report;
    assert.deepEqual(report.coverage.thresholds, [
      { dimension: 'operations', minimum: 50, actual: 40, passed: false },
    ]);
    const at = await drift('--min-coverage', 'operations=40', '--min-coverage', 'responses=0');
    assert.equal(at.code, 0, at.stderr);
    assert.match(at.stdout, /Coverage: operations 2\/5 \(40%\), parameters \d+\/\d+/);
    const text = await drift('--min-coverage', 'properties=90');
    assert.equal(text.code, 1);
    assert.match(text.stdout, /Below the minimum: properties coverage [\d.]+% \(\d+ of \d+\) is below/);
  });

  it('a bad --min-coverage is exit 2 naming the flag', async () => {
    for (const bad of ['abc', '120', 'branches=50']) {
      const result = await drift('--min-coverage', bad);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /--min-coverage/, bad);
    }
    const off = await drift('--no-coverage', '--min-coverage', '10');
    assert.equal(off.code, 2);
    assert.match(off.stderr, /--no-coverage/);
  });

  it('--no-coverage leaves the coverage out', async () => {
    const result = await drift('--format', 'json', '--no-coverage');
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { coverage?: unknown }).coverage, undefined);
  });

  it('--format html --output writes one page atomically; the help documents it', async () => {
    const out = path.join(dir, 'reports', 'drift.html');
    const result = await drift('--format', 'html', '--output', out, '--min-coverage', '90');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /below --min-coverage operations=90/);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['drift.html'], 'no temporary file left beside it');
    const help = await mockgen(['drift', '--help']);
    assert.match(help.stdout, /--min-coverage N/);
    assert.match(help.stdout, /html/);
  });

  it('findings carry the recorded value; secret-named fields are masked in it', async () => {
    const leaky = path.join(dir, 'leaky.har');
    fs.writeFileSync(
      leaky,
      JSON.stringify(
        toHar([
          { path: '/v1/pets/1', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
          { path: '/v1/pets/2', responseBody: { ...pet, owner: { name: 'A', password: 'hunter2' } } },
          { path: '/v1/pets/3', responseBody: { ...pet, owner: 'not an object', token: 's3cret' } },
        ]),
      ),
    );
    const result = await mockgen(['drift', '--spec', spec, '--recordings', leaky, '--format', 'json']);
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stdout, /hunter2|s3cret/);
    const report = JSON.parse(result.stdout) as Report;
    const values = Object.fromEntries(report.findings.map((f) => [f.pointer, f.value]));
    assert.equal(values['/owner/email'], '"n/a"');
    assert.equal(values['/owner/password'], '"REDACTED"');
    assert.equal(values['/owner'], '"not an object"');
    assert.equal(values['/token'], '"REDACTED"');
  });
});
