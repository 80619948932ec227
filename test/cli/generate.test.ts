import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileProject, bootProject, linkNodeModules, repoRoot, runCli, tempDir } from '../helpers/project';

const PETSTORE = path.join(repoRoot, 'specs/petstore/openapi.yaml');

function listTree(root: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules' || entry.name === 'dist') return [];
      return entry.isDirectory() ? listTree(root, relative) : [relative];
    })
    .sort();
}

describe('mockgen generate (CLI)', function () {
  this.timeout(120000);
  let work: string;
  beforeEach(() => (work = tempDir('cli')));
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is deterministic: the same inputs give byte-identical files', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    assert.equal((await runCli(['generate', '--spec', PETSTORE, '--out', a])).code, 0);
    assert.equal((await runCli(['generate', '--spec', PETSTORE, '--out', b])).code, 0);
    const files = listTree(a);
    assert.deepEqual(listTree(b), files);
    assert.ok(
      files.includes('package.json') &&
        files.includes('src/routes.ts') &&
        files.includes('data/manifest.json'),
    );
    for (const file of files)
      assert.ok(fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file))), file);
  });

  it('--check exits 0 on fresh output and 1 listing changed, missing and extra files', async () => {
    const out = path.join(work, 'mock');
    await runCli(['generate', '--spec', PETSTORE, '--out', out]);
    const fresh = await runCli(['generate', '--spec', PETSTORE, '--out', out, '--check']);
    assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);

    fs.appendFileSync(path.join(out, 'README.md'), 'hand edit\n');
    fs.rmSync(path.join(out, 'data/manifest.json'));
    // a file the user added is theirs, not stale output; a file mockgen wrote that it no longer plans is
    fs.writeFileSync(path.join(out, 'data/stray.json'), '{}');
    fs.mkdirSync(path.join(out, 'node_modules'));
    const manifestFile = path.join(out, '.mockgen-manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: Record<string, string> };
    manifest.files['data/ops/99-removed.json'] = '0'.repeat(64);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    fs.writeFileSync(path.join(out, 'data/ops/99-removed.json'), '{}');
    const stale = await runCli(['generate', '--spec', PETSTORE, '--out', out, '--check']);
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /changed\s+\S*README\.md/);
    assert.match(stale.stdout, /missing\s+\S*data\/manifest\.json/);
    assert.match(stale.stdout, /extra\s+\S*data\/ops\/99-removed\.json/);
    assert.doesNotMatch(stale.stdout, /stray\.json/);
    assert.doesNotMatch(stale.stdout, /node_modules/);
  });

  it('keeps the previous output intact when generation fails, and leaves no temporary folders', async () => {
    const out = path.join(work, 'mock');
    await runCli(['generate', '--spec', PETSTORE, '--out', out]);
    fs.mkdirSync(path.join(out, 'node_modules'));
    const before = listTree(out);
    const broken = path.join(work, 'broken.yaml');
    fs.writeFileSync(broken, 'openapi: 3.0.0\ninfo: {title: x, version: 1}\npaths:\n  /a:\n    get: [\n');
    const result = await runCli(['generate', '--spec', broken, '--out', out]);
    assert.equal(result.code, 2);
    assert.deepEqual(listTree(out), before);
    assert.deepEqual(fs.readdirSync(work).sort(), ['broken.yaml', 'mock']);

    // a successful regeneration keeps the user's node_modules
    assert.equal((await runCli(['generate', '--spec', PETSTORE, '--out', out])).code, 0);
    assert.ok(fs.existsSync(path.join(out, 'node_modules')));
  });

  it('reads mockgen.config.json when run without flags', async () => {
    fs.mkdirSync(path.join(work, 'contracts'));
    fs.copyFileSync(PETSTORE, path.join(work, 'contracts', 'api.yaml'));
    fs.writeFileSync(
      path.join(work, 'mockgen.config.json'),
      JSON.stringify({ projects: [{ spec: 'contracts/api.yaml', out: 'mocks/pets' }] }),
    );
    const result = await runCli(['generate'], work);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(work, 'mocks/pets/src/routes.ts')));
    assert.equal((await runCli(['generate', '--check'], work)).code, 0);
  });

  const badInputs: { name: string; file?: string; content?: string; expect: RegExp }[] = [
    {
      name: 'a missing file',
      file: 'nope.yaml',
      expect: /nope\.yaml.*(no such file|not found|cannot read)/i,
    },
    {
      name: 'a YAML syntax error (with its line)',
      content: 'openapi: 3.0.0\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a: {get: [\n',
      expect: /bad\.yaml.*(line|:\d+)/i,
    },
    {
      name: 'an invalid contract (no paths, no version)',
      content: 'info:\n  title: x\n',
      expect: /bad\.yaml.*(openapi|swagger)/i,
    },
    {
      name: 'an unresolvable $ref (with its pointer)',
      content:
        'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "#/components/schemas/Missing"}\n',
      expect: /bad\.yaml.*Missing/,
    },
  ];
  for (const bad of badInputs) {
    it(`reports ${bad.name} clearly, exit 2, no stack trace`, async () => {
      const file = path.join(work, bad.file ?? 'bad.yaml');
      if (bad.content !== undefined) fs.writeFileSync(file, bad.content);
      const result = await runCli(['generate', '--spec', file, '--out', path.join(work, 'out')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, bad.expect);
      assert.doesNotMatch(result.stderr, /\n\s+at .*\(.*:\d+:\d+\)/);
      assert.ok(!fs.existsSync(path.join(work, 'out')));
    });
  }

  it('templates fresh values from recordings, and --no-dynamic replays them frozen', async () => {
    const args = [
      '--spec',
      path.join(repoRoot, 'specs/secure/openapi.yaml'),
      '--recordings',
      path.join(repoRoot, 'specs/secure/recordings/app-flow.har'),
    ];
    const live = path.join(work, 'live');
    const frozen = path.join(work, 'frozen');
    assert.equal((await runCli(['generate', ...args, '--out', live])).code, 0);
    assert.equal((await runCli(['generate', ...args, '--out', frozen, '--no-dynamic'])).code, 0);
    const data = (dir: string) =>
      fs
        .readdirSync(path.join(dir, 'data/ops'))
        .map((f) => fs.readFileSync(path.join(dir, 'data/ops', f), 'utf8'))
        .join('\n');
    assert.match(data(live), /"\$tpl(Json)?"/);
    assert.doesNotMatch(data(frozen), /"\$tpl(Json)?"/);
    assert.match(fs.readFileSync(path.join(live, 'README.md'), 'utf8'), /Values rendered fresh per response/);
    assert.doesNotMatch(
      fs.readFileSync(path.join(frozen, 'README.md'), 'utf8'),
      /Values rendered fresh per response/,
    );
  });

  it('rejects unknown flags with exit 2 and the usage', async () => {
    const result = await runCli(['generate', '--spec', PETSTORE, '--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bogus/);
  });

  it('emits safe code from a hostile contract: compiles, boots, serves, writes nothing outside --out', async () => {
    const out = path.join(work, 'hostile');
    const marker = '/tmp/pwned';
    fs.rmSync(marker, { force: true });
    const result = await runCli([
      'generate',
      '--spec',
      path.join(repoRoot, 'test/fixtures/hostile/openapi.yaml'),
      '--out',
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(fs.readdirSync(work), ['hostile']);
    for (const file of listTree(out)) {
      assert.match(file, /^[A-Za-z0-9._/-]+$/, `unsafe file name ${file}`);
      assert.ok(!file.includes('..'), file);
    }
    linkNodeModules(out);
    assert.equal(compileProject(out), '');
    const routes = fs.readFileSync(path.join(out, 'src/routes.ts'), 'utf8');
    assert.doesNotMatch(routes, /\*\/ process\.exit/);
    const mock = await bootProject(out);
    try {
      const res = await fetch(`${mock.url}/base/items/abc`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body['*/'], '${process.exit(4)}');
      assert.equal(body['quote"key'], '`backtick`');
      const text = await fetch(`${mock.url}/base/x/y`);
      assert.equal(text.status, 200);
      assert.equal(await text.text(), '*/ </script> ${x} \u2028');
      assert.equal((await fetch(`${mock.url}/__mockgen/health`)).status, 200);
    } finally {
      await mock.stop();
    }
    assert.ok(!fs.existsSync(marker));
  });
});
