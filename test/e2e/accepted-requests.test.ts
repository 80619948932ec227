/**
 * Issue 16: never reject what production accepted. The contract (test/fixtures/accepted) is stricter
 * than the service it describes; the recordings show the service answering 2xx to requests the
 * contract calls invalid. The mock serves requests shaped like those as valid (other values too),
 * journals what it tolerated, and still refuses violations of another kind; drift reports the
 * disagreement on the recorded entries, and a request the service refused too is only a warning.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

const SPEC = 'test/fixtures/accepted/openapi.yaml';
const HAR = 'test/fixtures/accepted/traffic.har';

describe('never reject what production accepted (issue 16)', function () {
  this.timeout(180_000);
  let mock: RunningMock;

  before(async () => {
    mock = await generateAndBoot(
      ['--spec', SPEC, '--recordings', HAR],
      path.join(tempDir('accepted'), 'mock'),
    );
  });
  after(() => mock?.stop());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${mock.url}/widgets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('answers the recorded request the service accepted as the service did, not with a 422', async () => {
    const res = await post({ name: 'A very long widget name', quantity: '3', tags: ['blue'] });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(((await res.json()) as { id: string }).id, 'w_1');
  });

  it('accepts requests shaped like the accepted ones with other values, and says why', async () => {
    const res = await post(
      { name: 'Another long name', quantity: '7', tags: ['yellow', 'red'] },
      { 'x-mockgen-explain': '1' },
    );
    assert.equal(res.status, 201, await res.clone().text());
    assert.match(
      res.headers.get('x-mockgen-explain') ?? '',
      /accepted as the service did=.*maxLength \/body\/name/,
    );
    const list = await fetch(`${mock.url}/widgets?limit=80`);
    assert.equal(list.status, 200, 'a query value above the documented maximum, as recorded (limit=100)');
    const journal = (await (await fetch(`${mock.url}/__mockgen/requests`)).json()) as {
      url: string;
      accepted?: string;
    }[];
    const entry = journal.find((e) => e.url === '/widgets?limit=80');
    assert.equal(entry?.accepted, 'maximum /query/limit');
    const create = journal.filter((e) => e.url === '/widgets').at(-1);
    assert.deepEqual(create?.accepted?.split(', ').sort(), [
      'enum /body/tags/*',
      'maxLength /body/name',
      'type /body/quantity',
    ]);
  });

  it('still refuses violations of another kind or at another place', async () => {
    for (const body of [
      { quantity: '7' },
      { name: 'ok', quantity: 99 },
      { name: 'ok', quantity: 1, extra: { n: 1 }, tags: 'red' },
    ]) {
      const res = await post(body);
      assert.equal(res.status, 422, JSON.stringify(body));
    }
    assert.equal((await fetch(`${mock.url}/widgets?limit=abc`)).status, 422);
    assert.equal((await fetch(`${mock.url}/widgets?limit=0`)).status, 422, 'minimum was never accepted');
  });

  it('drift reports the disagreement on the accepted entries; a request refused by the service too is a warning', () => {
    const result = spawnSync(
      process.execPath,
      ['bin/mockgen.js', 'drift', '--spec', SPEC, '--recordings', HAR, '--format', 'json'],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 1, result.stderr);
    const findings = (
      JSON.parse(result.stdout) as {
        findings: { entry: number; kind: string; severity: string; pointer: string }[];
      }
    ).findings;
    const errors = (entry: number, kind: string) =>
      findings
        .filter((f) => f.entry === entry && f.kind === kind && f.severity === 'error')
        .map((f) => f.pointer);
    assert.deepEqual(errors(0, 'invalid-request-body').sort(), ['/name', '/quantity', '/tags/0']);
    assert.deepEqual(errors(1, 'invalid-parameter'), ['/query/limit']);
    const refused = findings.filter((f) => f.entry === 2);
    assert.ok(refused.length > 0, 'the invalid request the service refused is still reported');
    assert.ok(
      refused.every((f) => f.severity === 'warning'),
      JSON.stringify(refused),
    );
  });
});
