import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { schemaRefs } from './helpers';

/** The GitHub REST contract (~13 MB JSON, 1000+ operations) from @octokit/openapi, when installed. */
function githubContract(): string | undefined {
  const dir = path.join(process.cwd(), 'node_modules/@octokit/openapi/generated');
  const file = path.join(dir, 'api.github.com.json');
  return fs.existsSync(file) ? file : undefined;
}

describe('contract: huge real-world contract (GitHub REST)', function () {
  this.timeout(60_000);

  it('loads in seconds with every operation and every $ref resolvable', async function () {
    const file = githubContract();
    if (!file) {
      console.log(
        '      skipped: @octokit/openapi is not installed (npm install --save-dev @octokit/openapi)',
      );
      this.skip();
    }
    const started = process.hrtime.bigint();
    const c = await loadContract(file);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `      GitHub REST: ${c.operations.length} operations, ${Object.keys(c.schemas).length} schemas, ${c.diagnostics.length} diagnostics in ${ms.toFixed(0)} ms`,
    );
    assert.ok(ms < 20_000, `loaded in ${ms} ms`);
    assert.equal(c.openapi, '3.0');
    assert.equal(c.basePath, '');
    assert.ok(c.operations.length > 1000);
    assert.equal(new Set(c.operations.map((o) => o.id)).size, c.operations.length, 'ids are unique');
    const getRepo = c.operations.find((o) => o.id === 'repos/get');
    assert.equal(getRepo?.path, '/repos/{owner}/{repo}');
    assert.deepEqual(
      getRepo?.parameters.map((p) => p.name),
      ['owner', 'repo'],
    );
    assert.ok(c.diagnostics.every((d) => d.severity !== 'error'));
    for (const ref of schemaRefs(c)) {
      assert.match(ref, /^#\/\$defs\/[A-Za-z0-9_.-]+$/);
      assert.ok(ref.slice('#/$defs/'.length) in c.schemas, `${ref} resolves`);
    }
  });
});
