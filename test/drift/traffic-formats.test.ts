/**
 * `mockgen drift` / `generate --recordings` on every traffic format (HAR, NDJSON, HAR-entry lines,
 * Kong, Nginx/Apache JSON access logs), folders of them, bad lines, and path parameters that span
 * several segments (drift: undocumented path or warning; mock: journal and explanation say so).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateAndBoot, runCli, tempDir, type RunningMock } from '../helpers/project';

const mainJs = path.resolve(__dirname, '../../src/cli/main.js');
const fixtures = path.join(process.cwd(), 'test', 'fixtures', 'drift');
const traffic = (name: string) => path.join(fixtures, 'traffic', name);
const petstore = path.join(fixtures, 'petstore-30.yaml');
const spanning = path.join(fixtures, 'spanning', 'openapi.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function mockgen(args: string[]): Promise<Run> {
  const script = `require(${JSON.stringify(mainJs)}).main(process.argv.slice(1)).then((c) => process.exit(c))`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Report {
  findings: {
    entry: number;
    file: string;
    kind: string;
    severity: string;
    operation: string;
    message: string;
  }[];
  summary: { entries: number; matched: number };
}

async function driftJson(spec: string, recordings: string[]): Promise<Report & { code: number }> {
  const result = await mockgen(['drift', '--spec', spec, '--recordings', ...recordings, '--format', 'json']);
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as Report), code: result.code };
}

const verdicts = (report: Report) => report.findings.map((f) => [f.entry, f.kind, f.severity]);

describe('traffic formats (drift and generate --recordings)', function () {
  this.timeout(180000);

  it('HAR, NDJSON and HAR-entry lines of the same traffic give the same findings', async () => {
    const expected = [
      [3, 'invalid-response-body', 'error'],
      [4, 'undocumented-path', 'error'],
    ];
    for (const file of ['petstore.har', 'petstore.ndjson', 'petstore-entries.jsonl']) {
      const report = await driftJson(petstore, [traffic(file)]);
      assert.deepEqual(verdicts(report), expected, file);
      assert.deepEqual([report.summary.entries, report.summary.matched], [5, 4], file);
    }
  });

  it('Kong logs: what is logged is checked, the bodies Kong does not log are not', async () => {
    const report = await driftJson(petstore, [traffic('kong.log')]);
    // POST /pets without a logged body: no "required body missing"; X-Tenant is logged, so present
    assert.deepEqual(verdicts(report), [
      [2, 'invalid-parameter', 'error'],
      [3, 'missing-required-response-header', 'error'],
      [4, 'undocumented-path', 'error'],
    ]);
    assert.equal(report.summary.entries, 5);
  });

  it('Nginx/Apache JSON access logs: path, method, status and query checked; no false body, header or credential errors', async () => {
    const report = await driftJson(petstore, [traffic('nginx.log')]);
    assert.deepEqual(verdicts(report), [
      [2, 'invalid-parameter', 'error'],
      [3, 'undocumented-status', 'error'],
      [4, 'undocumented-path', 'error'],
    ]);
    assert.match(report.findings[0].message, /query parameter 'limit' 500 must be <= 100/);
    assert.equal(report.summary.matched, 5);
  });

  it('a folder means all its recognised files, in name order', async () => {
    const dir = tempDir('drift-folder');
    try {
      fs.copyFileSync(traffic('nginx.log'), path.join(dir, 'b-nginx.log'));
      fs.copyFileSync(traffic('petstore.har'), path.join(dir, 'a-petstore.har'));
      fs.copyFileSync(traffic('kong.log'), path.join(dir, 'c-kong.log.txt')); // not a recognised name
      fs.writeFileSync(path.join(dir, 'notes.md'), '# not traffic\n');
      const report = await driftJson(petstore, [dir]);
      assert.equal(report.summary.entries, 5 + 6);
      assert.deepEqual(
        [...new Set(report.findings.map((f) => path.basename(f.file)))],
        ['a-petstore.har', 'b-nginx.log'],
      );
      const empty = tempDir('drift-empty');
      try {
        const none = await mockgen(['drift', '--spec', petstore, '--recordings', empty]);
        assert.equal(none.code, 2);
        assert.match(none.stderr, /holds no recordings/);
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad line is an error naming the file and line (exit 2)', async () => {
    const json = await mockgen(['drift', '--spec', petstore, '--recordings', traffic('bad-json.ndjson')]);
    assert.equal(json.code, 2);
    assert.match(
      json.stderr,
      /bad-json\.ndjson:2:\d+: invalid JSON: unexpected '\}'.*fix or remove the line/,
    );
    const shape = await mockgen(['drift', '--spec', petstore, '--recordings', traffic('bad-shape.ndjson')]);
    assert.equal(shape.code, 2);
    assert.match(shape.stderr, /bad-shape\.ndjson:3: not an exchange/);
    const generate = await runCli([
      'generate',
      '--spec',
      petstore,
      '--recordings',
      traffic('bad-json.ndjson'),
      '--out',
      path.join(tempDir('bad-line-out'), 'mock'),
    ]);
    assert.equal(generate.code, 2);
    assert.match(generate.stderr, /bad-json\.ndjson:2:/);
  });

  it('generate --recordings: NDJSON gives the same mock data as the equivalent HAR', async () => {
    const dir = tempDir('ndjson-generate');
    try {
      const data = async (file: string, out: string): Promise<Map<string, string>> => {
        // the same file name, so recorded sources (`recording:<entry>`) compare equal
        const input = path.join(dir, `${out}-in`);
        fs.mkdirSync(input);
        const copy = path.join(input, `traffic${path.extname(file)}`);
        fs.copyFileSync(file, copy);
        const result = await runCli([
          'generate',
          '--spec',
          petstore,
          '--recordings',
          copy,
          '--out',
          path.join(dir, out),
        ]);
        assert.equal(result.code, 0, result.stderr);
        const files = new Map<string, string>();
        const walk = (at: string): void => {
          for (const d of fs.readdirSync(at, { withFileTypes: true })) {
            const full = path.join(at, d.name);
            if (d.isDirectory()) walk(full);
            else files.set(path.relative(path.join(dir, out), full), fs.readFileSync(full, 'utf8'));
          }
        };
        walk(path.join(dir, out, 'data'));
        return files;
      };
      const fromHar = await data(traffic('petstore.har'), 'har');
      const fromNdjson = await data(traffic('petstore.ndjson'), 'ndjson');
      assert.ok(
        [...fromHar.values()].some((text) => text.includes('"recordings"')),
        'HAR recordings replayed',
      );
      assert.deepEqual([...fromNdjson.keys()].sort(), [...fromHar.keys()].sort());
      for (const [file, text] of fromHar) {
        const normalise = (t: string) => t.replace(/traffic\.(har|ndjson)/g, 'traffic');
        assert.equal(normalise(fromNdjson.get(file) ?? ''), normalise(text), file);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('path parameters spanning several segments', function () {
  this.timeout(240000);

  it('drift: an undocumented path (error), a warning where a file path is plausible', async () => {
    const report = await driftJson(spanning, [path.join(fixtures, 'spanning', 'traffic.ndjson')]);
    assert.equal(report.code, 1);
    assert.deepEqual(
      report.findings.map((f) => [f.entry, f.kind, f.severity, f.operation]),
      [
        [1, 'undocumented-path', 'error', 'GET /user/alice/not-a-route'],
        [2, 'undocumented-path', 'warning', 'GET /repos/{owner}/{repo}/contents/{path}'],
      ],
    );
    assert.match(
      report.findings[0].message,
      /only GET \/user\/\{username\} would take it, with path parameter 'username' spanning 2 segments \('alice\/not-a-route'\)/,
    );
    assert.match(report.findings[1].message, /a file path is plausible \('path': its name says 'path'\)/);
    // warnings alone pass the default --fail-on error
    const warningOnly = tempDir('spanning-warning');
    try {
      const lines = fs.readFileSync(path.join(fixtures, 'spanning', 'traffic.ndjson'), 'utf8').split('\n');
      fs.writeFileSync(path.join(warningOnly, 'w.ndjson'), `${lines[2]}\n${lines[3]}\n`);
      const run = await mockgen([
        'drift',
        '--spec',
        spanning,
        '--recordings',
        path.join(warningOnly, 'w.ndjson'),
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /warning undocumented-path/);
    } finally {
      fs.rmSync(warningOnly, { recursive: true, force: true });
    }
  });

  describe('the mock keeps serving, and says the match was a stretch', () => {
    let dir: string;
    let mock: RunningMock | undefined;
    before(async () => {
      dir = tempDir('spanning-mock');
      mock = await generateAndBoot(['--spec', spanning], path.join(dir, 'mock'));
    });
    after(async () => {
      await mock?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('in the journal and the X-Mockgen-Explain header', async () => {
      const { url } = mock!;
      const plain = await fetch(`${url}/user/alice`, { headers: { 'x-mockgen-explain': '1' } });
      assert.equal(plain.status, 200);
      assert.doesNotMatch(plain.headers.get('x-mockgen-explain') ?? '', /stretched/);
      const stretched = await fetch(`${url}/user/alice/not-a-route`, {
        headers: { 'x-mockgen-explain': '1' },
      });
      assert.equal(stretched.status, 200);
      assert.match(
        stretched.headers.get('x-mockgen-explain') ?? '',
        /^match=stretched: path parameter 'username' spans 2 segments \("alice\/not-a-route"\) of \/user\/\{username\}; source=/,
      );
      await stretched.arrayBuffer();
      const journal = (await (await fetch(`${url}/__mockgen/requests`)).json()) as {
        url: string;
        match?: string;
      }[];
      assert.deepEqual(
        journal.map((e) => [e.url, e.match]),
        [
          ['/user/alice', undefined],
          [
            '/user/alice/not-a-route',
            `stretched: path parameter 'username' spans 2 segments ("alice/not-a-route") of /user/{username}`,
          ],
        ],
      );
    });
  });
});
