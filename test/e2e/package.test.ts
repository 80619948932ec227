import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootProject, repoRoot, tempDir } from '../helpers/project';

/**
 * As a new user installs it: `npm pack` the repository, `npm install` the tarball into a fresh
 * project, and run the CLI and the programmatic API from there. Then the emitted project as CI and a
 * container run it: `npm ci --omit=dev` and `npm start`, no compiler.
 */
describe('the packed package, installed into a fresh project', function () {
  this.timeout(300000);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  let work: string;
  let app: string;

  const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', ...env },
      timeout: 240000,
    });
    return result as SpawnSyncReturns<string>;
  };
  const ok = (result: SpawnSyncReturns<string>, what: string) =>
    assert.equal(result.status, 0, `${what} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);

  before(() => {
    work = tempDir('pack');
    // dist/ is built by `npm test` (tsc) before mocha runs; --ignore-scripts skips the prepack rebuild
    const packed = run(npm, ['pack', '--ignore-scripts', '--pack-destination', work], repoRoot);
    ok(packed, 'npm pack');
    const tarball = fs.readdirSync(work).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote no tarball');
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2),
    );
    fs.cpSync(path.join(repoRoot, 'specs', 'secure'), path.join(app, 'contract'), { recursive: true });
    ok(
      run(npm, ['install', '--save-dev', '--prefer-offline', path.join(work, tarball)], app),
      'npm install <tarball>',
    );
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('ships what it needs and nothing of the repository’s own', () => {
    const installed = path.join(app, 'node_modules', '@mockgen-dev', 'mockgen');
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      main: string;
      types: string;
      scripts: Record<string, string>;
    };
    assert.equal(pkg.bin.mockgen, 'bin/mockgen.js');
    assert.ok(fs.existsSync(path.join(installed, pkg.main)), pkg.main);
    assert.ok(fs.existsSync(path.join(installed, pkg.types)), pkg.types);
    assert.equal(pkg.scripts.prepare, undefined, 'no prepare script that needs dev dependencies');
    for (const absent of ['test', 'dist/test', 'bench', 'specs', 'generated', 'src'])
      assert.ok(!fs.existsSync(path.join(installed, absent)), `${absent} is not shipped`);
  });

  it('runs `mockgen generate`, `mockgen drift` and `mockgen record --help` through npx', () => {
    const generated = run(
      'npx',
      [
        'mockgen',
        'generate',
        '--spec',
        'contract/openapi.yaml',
        '--recordings',
        'contract/recordings/app-flow.har',
        '--out',
        'mock',
      ],
      app,
    );
    ok(generated, 'npx mockgen generate');
    assert.ok(fs.existsSync(path.join(app, 'mock', 'dist', 'runtime', 'main.js')));

    const drift = run(
      'npx',
      [
        'mockgen',
        'drift',
        '--spec',
        'contract/openapi.yaml',
        '--recordings',
        'contract/recordings/app-flow.har',
        '--format',
        'json',
      ],
      app,
    );
    assert.ok(drift.status === 0 || drift.status === 1, `drift exit ${drift.status}: ${drift.stderr}`);
    assert.ok(Array.isArray((JSON.parse(drift.stdout) as { findings: unknown[] }).findings));

    const record = run('npx', ['mockgen', 'record', '--help'], app);
    ok(record, 'npx mockgen record --help');
    assert.match(record.stdout, /--target/);
  });

  it('offers generate and drift to require() and import, with types', () => {
    const cjs = run(
      process.execPath,
      [
        '-e',
        `const m = require('@mockgen-dev/mockgen');
         m.generate({ spec: 'contract/openapi.yaml', out: 'api-mock' })
           .then(() => m.drift({ spec: 'contract/openapi.yaml', recordings: ['contract/recordings/app-flow.har'] }))
           .then((r) => console.log(JSON.stringify({ findings: r.findings.length, fmt: m.formatReport(r, 'json', { spec: 'a', recordings: [] }).length > 0 })));`,
      ],
      app,
    );
    ok(cjs, 'require()');
    const fromRequire = JSON.parse(cjs.stdout) as { findings: unknown; fmt: unknown };
    assert.equal(typeof fromRequire.findings, 'number');
    assert.equal(fromRequire.fmt, true);
    assert.ok(fs.existsSync(path.join(app, 'api-mock', '.mockgen-manifest.json')));

    const esm = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { generate, drift, MockgenError } from '@mockgen-dev/mockgen';
         try { await generate({ spec: 'missing.yaml', out: 'x' }); } catch (err) { console.log(err instanceof MockgenError, typeof drift); }`,
      ],
      app,
    );
    ok(esm, 'import');
    assert.equal(esm.stdout.trim(), 'true function');

    fs.writeFileSync(
      path.join(app, 'check.ts'),
      `import { generate, drift, type Finding } from '@mockgen-dev/mockgen';
       export async function gate(): Promise<Finding[]> {
         await generate({ spec: 'contract/openapi.yaml', out: 'mock' });
         return (await drift({ spec: 'contract/openapi.yaml', recordings: [] })).findings;
       }\n`,
    );
    const tsc = run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'node16',
        '--moduleResolution',
        'node16',
        '--types',
        'node',
        '--typeRoots',
        path.join(repoRoot, 'node_modules', '@types'),
        'check.ts',
      ],
      app,
    );
    ok(tsc, 'tsc against the shipped types');
  });

  it('emits a project whose `npm ci && npm test` type-checks and smoke-tests it', () => {
    const copy = path.join(work, 'mock-dev');
    fs.cpSync(path.join(app, 'mock'), copy, { recursive: true });
    ok(run(npm, ['ci', '--prefer-offline'], copy), 'npm ci');
    const test = run(npm, ['test'], copy);
    ok(test, 'npm test in the emitted project');
    assert.match(test.stdout, /smoke: ok/);
  });

  it('emits a project that `npm ci --omit=dev` installs and `npm start` serves, without a compiler', async () => {
    const mock = path.join(app, 'mock');
    ok(run(npm, ['ci', '--omit=dev', '--prefer-offline'], mock), 'npm ci --omit=dev');
    assert.ok(!fs.existsSync(path.join(mock, 'node_modules', 'typescript')), 'no dev dependencies');
    const running = await bootProject(mock);
    try {
      const res = await fetch(`${running.url}/__mockgen/health`);
      assert.equal(res.status, 200);
    } finally {
      await running.stop();
    }
  });
});
