import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { schemaRefs } from './helpers';
import { MockgenError } from '../../src/errors';

/** Every 2.0 / 3.0 / 3.1 JSON and YAML example of @readme/oas-examples, when installed. */
function corpus(): string[] {
  const root = path.join(process.cwd(), 'node_modules/@readme/oas-examples');
  const files: string[] = [];
  for (const version of ['2.0', '3.0', '3.1']) {
    for (const format of ['json', 'yaml']) {
      const dir = path.join(root, version, format);
      if (!fs.existsSync(dir)) continue;
      for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
        const file = path.join(dir, entry);
        if (/\.(json|ya?ml)$/.test(file) && fs.statSync(file).isFile()) files.push(file);
      }
    }
  }
  return files.sort();
}

describe('contract: real-world corpus (@readme/oas-examples)', function () {
  this.timeout(120_000);

  it('every example loads or fails with a MockgenError, never a crash', async function () {
    const files = corpus();
    if (files.length === 0) {
      console.log(
        '      skipped: @readme/oas-examples is not installed (npm install --save-dev @readme/oas-examples)',
      );
      this.skip();
    }
    let loaded = 0;
    const rejected: string[] = [];
    const crashed: string[] = [];
    for (const file of files) {
      try {
        const c = await loadContract(file);
        loaded++;
        for (const target of schemaRefs(c)) {
          assert.match(target, /^#\/\$defs\/[A-Za-z0-9_.-]+$/, `${file}: ${target}`);
          assert.ok(target.slice('#/$defs/'.length) in c.schemas, `${file}: ${target} resolves`);
        }
        assert.equal(new Set(c.operations.map((o) => o.id)).size, c.operations.length, `${file}: unique ids`);
      } catch (err) {
        if (err instanceof MockgenError)
          rejected.push(`${path.relative(process.cwd(), file)}: ${err.message}`);
        else if (err instanceof assert.AssertionError) throw err;
        else crashed.push(`${file}: ${(err as Error).stack}`);
      }
    }
    console.log(
      `      ${files.length} files: ${loaded} loaded, ${rejected.length} rejected with a MockgenError, ${crashed.length} crashed`,
    );
    for (const line of rejected) console.log(`        ${line}`);
    assert.deepEqual(crashed, []);
    // only contracts without any `paths` (webhooks-only 3.1 examples) are refused
    assert.ok(
      rejected.every((line) => line.includes('no `paths` object')),
      rejected.join('\n'),
    );
    assert.ok(loaded >= files.length - 4);
  });
});
