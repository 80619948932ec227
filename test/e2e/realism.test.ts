import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAjv } from '../../templates/runtime/core/ajv';
import { generateAndBoot, repoRoot, runCli, tempDir, type RunningMock } from '../helpers/project';

const SPEC = path.join(repoRoot, 'test/fixtures/realism/prices.yaml');

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) out.set(entry, fs.readFileSync(file, 'latin1'));
  }
  return out;
}

describe('production-like values in an emitted mock', function () {
  this.timeout(120000);
  let mock: RunningMock | undefined;
  let out: string;

  before(async () => {
    out = tempDir('realism');
    mock = await generateAndBoot(['--spec', SPEC], out);
  });
  after(async () => {
    await mock?.stop();
  });

  it('answers a GET with a body valid against its schema, `format: decimal` fields holding decimals', async () => {
    const schema = {
      type: 'object',
      required: ['unit_amount_decimal', 'tax_rate', 'currency', 'created'],
      properties: {
        unit_amount_decimal: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
        tax_rate: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        created: { type: 'string', format: 'date-time' },
        customer: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
      },
    };
    const check = createAjv().compile(schema);
    for (const prefer of [undefined, 'dynamic=true']) {
      const res = await fetch(`${mock!.url}/prices/price_1`, { headers: prefer ? { prefer } : {} });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.ok(check(body), `${JSON.stringify(body)}\n${JSON.stringify(check.errors)}`);
    }
  });

  it("uses the contract's locale (x-mockgen-locale: de) for addresses", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'data/manifest.json'), 'utf8')) as {
      locale: string;
    };
    assert.equal(manifest.locale, 'de');
    const res = await fetch(`${mock!.url}/prices/price_2`, { headers: { prefer: 'dynamic=true' } });
    const body = (await res.json()) as { billing_address: { country: string; postal_code: string } };
    assert.equal(body.billing_address.country, 'DE');
    assert.match(body.billing_address.postal_code, /^\d{5}$/);
  });

  it('writes byte-identical projects for the same inputs', async () => {
    // two fresh runs (the booted project's dist/ was rebuilt by tsc)
    const runs = ['realism-a', 'realism-b'].map((prefix) => tempDir(prefix));
    for (const dir of runs) {
      const result = await runCli(['generate', '--spec', SPEC, '--out', dir, '--quiet']);
      assert.equal(result.code, 0, result.stderr);
    }
    const [first, second] = runs.map(filesOf);
    assert.deepEqual([...first.keys()].sort(), [...second.keys()].sort());
    for (const [name, text] of second)
      assert.equal(first.get(name), text, `${name} differs between two runs`);
  });

  it('names the place of a locale faker does not ship', async () => {
    const dir = tempDir('realism-bad');
    const result = await runCli(['generate', '--spec', SPEC, '--out', dir, '--locale', 'xx_YY']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /"locale".*xx_YY/);
  });
});
