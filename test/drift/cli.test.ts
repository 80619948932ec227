import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, usage } from '../../src/cli/commands/drift';
import { isMockgenError } from '../../src/errors';
import { assertJunit10, parseXml } from '../helpers/xml';
import { toHar } from './from-examples';
import type { ExchangeInit } from './helpers';

const mainJs = path.resolve(__dirname, '../../src/cli/main.js');
const spec = path.join(process.cwd(), 'test', 'fixtures', 'drift', 'petstore-30.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function mockgen(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const script = `require(${JSON.stringify(mainJs)}).main(process.argv.slice(1)).then((c) => process.exit(c))`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script, ...args],
      { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30000 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const pet = { id: 1, name: 'Rex', status: 'available', createdAt: '2024-01-01T10:00:00Z' };
const clean: ExchangeInit[] = [
  {
    path: '/v1/pets',
    query: [['limit', '5']],
    headers: [['X-Api-Key', 'k-123']],
    responseHeaders: [['X-Rate-Limit', '10']],
    responseBody: [pet],
  },
  { path: '/v1/pets/1', responseBody: pet },
  {
    method: 'POST',
    path: '/v1/pets',
    headers: [['X-Tenant', 'acme']],
    body: { name: 'Rex' },
    status: 201,
    responseBody: pet,
  },
];
const dirty: ExchangeInit[] = [
  ...clean,
  { path: '/v1/pets/2', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
  { path: '/v1/pets/3', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
  { path: '/v1/unknown' },
];
const warningsOnly: ExchangeInit[] = [{ path: '/v1/pets/1', responseBody: { ...pet, colour: 'brown' } }];

describe('mockgen drift (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-drift-cli-'));
    fs.writeFileSync(file('clean.har'), JSON.stringify(toHar(clean)));
    fs.writeFileSync(file('dirty.har'), JSON.stringify(toHar(dirty)));
    fs.writeFileSync(file('warnings.har'), JSON.stringify(toHar(warningsOnly)));
    fs.writeFileSync(file('broken.har'), '{"log": {"entries": [ {"request": ');
    fs.writeFileSync(file('bad-spec.yaml'), 'openapi: 3.0.3\ninfo: {title: x}\npaths: 12\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on clean traffic and says so', async () => {
    const result = await mockgen(['drift', '--spec', spec, '--recordings', file('clean.har')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /No drift found\./);
    assert.match(result.stdout, /GET \/pets\s+1\s+0\s+0/);
    assert.match(result.stdout, /Untested operations \(2/);
    assert.doesNotMatch(result.stdout, /\u001b\[/);
  });

  it('exits 1 on drift; JSON lists every finding with the exact fields', async () => {
    const result = await mockgen([
      'drift',
      '--spec',
      spec,
      '--recordings',
      file('dirty.har'),
      '--format',
      'json',
    ]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      findings: Record<string, unknown>[];
      summary: { untestedOperations: string[]; entries: number };
    };
    const email = report.findings.filter((f) => f.pointer === '/owner/email');
    assert.deepEqual(
      email.map((f) => [f.entry, f.kind, f.severity, f.operation]),
      [
        [3, 'invalid-response-body', 'error', 'GET /pets/{petId}'],
        [4, 'invalid-response-body', 'error', 'GET /pets/{petId}'],
      ],
    );
    assert.equal(
      email[0].message,
      "GET /pets/{petId} → 200: /owner/email 'n/a' is not a valid email (schema at #/components/schemas/Owner/properties/email/format)",
    );
    const unknown = report.findings.find((f) => f.kind === 'undocumented-path');
    assert.deepEqual([unknown?.entry, unknown?.operation, unknown?.pointer], [5, 'GET /v1/unknown', '']);
    assert.deepEqual(report.summary.untestedOperations, ['GET /animals/{id}', 'GET /strict']);
    assert.equal(report.summary.entries, 6);
  });

  it('groups repeated findings in the text report', async () => {
    assert.equal(
      await run(['--spec', spec, '--recordings', file('dirty.har'), '--output', file('report.txt')]),
      1,
    );
    assert.match(fs.readFileSync(file('report.txt'), 'utf8'), /invalid-response-body {2}×2 \(entries 3, 4\)/);
  });

  it('--fail-on decides which severities fail the run', async () => {
    const out = ['--format', 'json', '--output', file('fail-on.json')];
    assert.equal(await run(['--spec', spec, '--recordings', file('warnings.har'), ...out]), 0);
    assert.equal(
      await run(['--spec', spec, '--recordings', file('warnings.har'), '--fail-on', 'warning', ...out]),
      1,
    );
    assert.equal(
      await run(['--spec', spec, '--recordings', file('dirty.har'), '--fail-on', 'never', ...out]),
      0,
    );
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('warnings.har'),
        '--fail-on',
        'warning',
        '--no-extra-properties',
        ...out,
      ]),
      0,
    );
  });

  it('exits 2 on bad input, with the loader’s message', async () => {
    const badHar = await mockgen(['drift', '--spec', spec, '--recordings', file('broken.har')]);
    assert.equal(badHar.code, 2);
    assert.match(badHar.stderr, /broken\.har/);
    const badSpec = await mockgen([
      'drift',
      '--spec',
      file('bad-spec.yaml'),
      '--recordings',
      file('clean.har'),
    ]);
    assert.equal(badSpec.code, 2);
    assert.match(badSpec.stderr, /bad-spec\.yaml/);
  });

  it('rejects bad flags and missing files as user errors (exit 2)', async () => {
    const bad = async (args: string[], message: RegExp) => {
      await assert.rejects(run(args), (err: unknown) => isMockgenError(err) && message.test(err.message));
    };
    await bad(['--spec', file('nope.yaml'), '--recordings', file('clean.har')], /nope\.yaml/);
    await bad(['--spec', spec, '--recordings', file('clean.har'), '--colour'], /--colour/);
    await bad(['--recordings', file('clean.har')], /--spec FILE is required/);
    await bad(['--spec', spec], /--recordings FILE\.har is required/);
    await bad(
      ['--spec', spec, '--recordings', file('clean.har'), '--format', 'xml'],
      /Unknown --format 'xml'/,
    );
    await bad(
      ['--spec', spec, '--recordings', file('clean.har'), '--fail-on', 'info'],
      /Unknown --fail-on 'info'/,
    );
    await bad(
      ['--spec', spec, '--recordings', file('clean.har'), '--baseline', file('nope.json')],
      /Cannot read baseline/,
    );
  });

  it('baseline: accepted findings no longer fail, new ones do', async () => {
    const json = () =>
      JSON.parse(fs.readFileSync(file('b.json'), 'utf8')) as {
        findings: { pointer: string }[];
        summary: { baselined: number };
      };
    const out = ['--format', 'json', '--output', file('b.json')];
    // writing a baseline accepts the drift it records: exit 0 although there are errors
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('dirty.har'),
        '--write-baseline',
        file('baselines/new/baseline.json'),
        ...out,
      ]),
      0,
    );
    assert.equal(json().summary.baselined, 0, 'the report still shows what was accepted');
    assert.ok(json().findings.length > 0);
    fs.copyFileSync(file('baselines/new/baseline.json'), file('baseline.json'));
    const baseline = JSON.parse(fs.readFileSync(file('baseline.json'), 'utf8')) as {
      fingerprints: { fingerprint: string; count: number }[];
    };
    assert.ok(baseline.fingerprints.some((f) => f.count === 2));
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('dirty.har'),
        '--baseline',
        file('baseline.json'),
        ...out,
      ]),
      0,
    );
    assert.deepEqual(json().findings, []);
    assert.equal(json().summary.baselined, 3);
    // a re-recording with the same drift at other entries is still accepted; a new drift is not
    fs.writeFileSync(
      file('again.har'),
      JSON.stringify(
        toHar([
          { path: '/v1/pets/9', responseBody: { ...pet, owner: { name: 'A', email: 'x' } } },
          { path: '/v1/pets/1', responseBody: { ...pet, id: 'one' } },
        ]),
      ),
    );
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('again.har'),
        '--baseline',
        file('baseline.json'),
        ...out,
      ]),
      1,
    );
    assert.deepEqual(
      json().findings.map((f) => f.pointer),
      ['/id'],
    );
    // the JSON report itself is accepted as a baseline too
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('dirty.har'),
        '--format',
        'json',
        '--output',
        file('report.json'),
      ]),
      1,
    );
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('dirty.har'),
        '--baseline',
        file('report.json'),
        ...out,
      ]),
      0,
    );
  });

  it('reads several HAR files (repeated flag) and writes --output', async () => {
    assert.equal(
      await run([
        '--spec',
        spec,
        '--recordings',
        file('clean.har'),
        '--recordings',
        file('dirty.har'),
        '--format',
        'json',
        '--output',
        file('out.json'),
      ]),
      1,
    );
    const report = JSON.parse(fs.readFileSync(file('out.json'), 'utf8')) as {
      findings: { file: string }[];
      summary: { entries: number };
    };
    assert.equal(report.summary.entries, 9);
    assert.ok(report.findings.every((f) => f.file === file('dirty.har')));
  });

  it('--write-baseline exits 0 whatever --fail-on, and the baseline then silences the findings', async () => {
    const args = ['--spec', spec, '--recordings', file('dirty.har'), '--output', file('wb.txt')];
    assert.equal(
      await run([...args, '--fail-on', 'warning', '--write-baseline', file('wb/accepted.json')]),
      0,
    );
    assert.equal(await run(args), 1, 'without the baseline the drift fails');
    assert.equal(await run([...args, '--fail-on', 'warning', '--baseline', file('wb/accepted.json')]), 0);
    assert.match(fs.readFileSync(file('wb.txt'), 'utf8'), /No drift found/);
    assert.deepEqual(
      fs.readdirSync(file('wb')).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('--output creates missing folders and replaces the file atomically (no temporary file left)', async () => {
    const target = file('dir/that/does/not/exist/report.xml');
    const args = ['--spec', spec, '--recordings', file('dirty.har'), '--format', 'junit', '--output', target];
    assert.equal(await run(args), 1);
    assertJunit10(parseXml(fs.readFileSync(target, 'utf8')));
    fs.writeFileSync(target, 'old report');
    assert.equal(await run([...args.slice(0, 4), '--format', 'junit', '--output', target]), 1);
    assert.match(fs.readFileSync(target, 'utf8'), /^<\?xml/);
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ['report.xml']);
    // a folder where the file should be: a user error naming the file, and nothing half-written
    fs.mkdirSync(file('taken/report.xml'), { recursive: true });
    await assert.rejects(
      run([...args.slice(0, 6), '--output', file('taken/report.xml')]),
      (err: unknown) => isMockgenError(err) && /Cannot write the report to .*report\.xml/.test(err.message),
    );
    assert.deepEqual(fs.readdirSync(file('taken')), ['report.xml']);
  });

  it('junit: failing testcases follow --fail-on (warnings pass by default)', async () => {
    const junit = async (har: string, ...extra: string[]) => {
      const target = file(`junit-${har}-${extra.join('')}.xml`);
      const code = await run([
        '--spec',
        spec,
        '--recordings',
        file(har),
        '--format',
        'junit',
        '--output',
        target,
        ...extra,
      ]);
      const suites = parseXml(fs.readFileSync(target, 'utf8'));
      assertJunit10(suites);
      const cases = suites.children[0].children.filter((c) => c.name === 'testcase');
      const failing = cases
        .filter((c) => c.children.some((x) => x.name === 'failure'))
        .map((c) => c.attrs.name);
      assert.equal(suites.attrs.failures, String(failing.length));
      return { code, failing, cases };
    };
    const warned = await junit('warnings.har');
    assert.deepEqual([warned.code, warned.failing], [0, []]);
    const getPet = warned.cases.find((c) => c.attrs.name === 'GET /pets/{petId}: invalid-response-body');
    assert.match(getPet?.children[0].text ?? '', /^warning: .*colour/);
    assert.ok(warned.cases.some((c) => c.attrs.name === 'GET /animals/{id}: untested'));
    const strict = await junit('warnings.har', '--fail-on', 'warning');
    assert.deepEqual([strict.code, strict.failing], [1, ['GET /pets/{petId}: invalid-response-body']]);
    const dirtyRun = await junit('dirty.har');
    assert.equal(dirtyRun.code, 1);
    assert.deepEqual(dirtyRun.failing, [
      'GET /pets/{petId}: invalid-response-body',
      'GET /v1/unknown: undocumented-path',
    ]);
    assert.ok(dirtyRun.cases.some((c) => c.attrs.name === 'GET /pets: conforms to the contract'));
  });

  it('sarif: results are located on the contract line of the schema they break', async () => {
    const target = file('drift.sarif');
    assert.equal(
      await run(['--spec', spec, '--recordings', file('dirty.har'), '--format', 'sarif', '--output', target]),
      1,
    );
    const log = JSON.parse(fs.readFileSync(target, 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          properties: { pointer: string };
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string; uriBaseId?: string };
              region: { startLine: number; startColumn?: number };
            };
          }[];
        }[];
      }[];
    };
    const lines = fs.readFileSync(spec, 'utf8').split('\n');
    const results = log.runs[0].results;
    assert.ok(results.length >= 2);
    for (const r of results) {
      const location = r.locations[0].physicalLocation;
      assert.deepEqual(location.artifactLocation, {
        uri: path.relative(process.cwd(), spec).split(path.sep).join('/'),
        uriBaseId: '%SRCROOT%',
      });
      assert.ok(location.region.startLine >= 1 && location.region.startLine <= lines.length);
    }
    const email = results.find((r) => r.properties.pointer === '/owner/email')!;
    const region = email.locations[0].physicalLocation.region;
    assert.match(lines[region.startLine - 1], /^ {8}email: \{ type: string, format: email \}/);
    assert.equal(
      lines[region.startLine - 1].slice(region.startColumn! - 1, region.startColumn! + 5),
      'format',
    );
    const unknown = results.find((r) => r.ruleId === 'undocumented-path')!;
    assert.equal(lines[unknown.locations[0].physicalLocation.region.startLine - 1], 'paths:');
  });

  it('documents every flag in its usage', () => {
    for (const flag of [
      '--spec',
      '--recordings',
      '--format',
      '--output',
      '--fail-on',
      '--baseline',
      '--write-baseline',
      '--no-extra-properties',
      '--min-coverage',
      '--no-coverage',
      'html',
    ]) {
      assert.ok(usage.includes(flag), flag);
    }
  });
});
