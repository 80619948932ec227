import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { loadContract } from '../../src/contract/load-contract';
import type { Contract } from '../../src/model/types';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';
import { isJson, validRequest } from '../helpers/requests';

const SPECS = [
  'specs/petstore/openapi.yaml',
  'specs/swagger2/swagger.json',
  'specs/openapi31/openapi.yaml',
  'specs/secure/openapi.yaml',
];

for (const spec of SPECS) {
  describe(`e2e: ${spec} → generate, tsc --strict, boot, request every operation`, function () {
    this.timeout(120000);
    let contract: Contract;
    let mock: RunningMock;
    let out: string;

    before(async function () {
      if (!fs.existsSync(path.join(repoRoot, spec))) this.skip();
      contract = await loadContract(path.join(repoRoot, spec));
      out = path.join(tempDir('e2e'), 'mock');
      mock = await generateAndBoot(['--spec', spec], out);
    });

    after(async () => {
      await mock?.stop();
      if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
    });

    it('answers every operation with a documented status, and every 2xx body validates against its schema', async () => {
      const compiler = new SchemaCompiler(contract.schemas);
      const failures: string[] = [];
      for (const op of contract.operations) {
        const request = validRequest(contract, op);
        const label = `${request.method} ${request.path}`;
        const res = await fetch(`${mock.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        const text = await res.text();
        if (op.method === 'get' && (res.status < 200 || res.status > 299)) {
          failures.push(`${label}: GET answered ${res.status}: ${text.slice(0, 300)}`);
          continue;
        }
        const documented =
          op.responses.find((r) => r.status === String(res.status)) ??
          op.responses.find((r) => r.status === `${String(res.status)[0]}XX`) ??
          op.responses.find((r) => r.status === 'default');
        if (!documented) {
          failures.push(`${label}: undocumented status ${res.status}: ${text.slice(0, 300)}`);
          continue;
        }
        if (res.status < 200 || res.status > 299 || text === '') continue;
        const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
        const media =
          documented.content.find((m) => m.mediaType === mediaType) ??
          documented.content.find((m) => isJson(m.mediaType) && isJson(mediaType));
        if (!media) {
          failures.push(`${label}: undocumented content type '${mediaType}' for ${res.status}`);
          continue;
        }
        if (!media.schema || !isJson(mediaType)) continue;
        const validate = compiler.compile(media.schema);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`${label}: body is not JSON: ${text.slice(0, 200)}`);
          continue;
        }
        if (!validate(body)) {
          failures.push(`${label} → ${res.status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('answers unknown paths 404, wrong methods 405 with Allow, as problem+json', async () => {
      const unknown = await fetch(`${mock.url}${contract.basePath}/definitely-not-a-route-${Date.now()}`);
      assert.equal(unknown.status, 404);
      assert.match(unknown.headers.get('content-type') ?? '', /application\/problem\+json/);
      const op = contract.operations.find((o) => !o.path.includes('{'));
      if (!op) return;
      const used = new Set(contract.operations.filter((o) => o.path === op.path).map((o) => o.method));
      const other = ['trace', 'patch', 'put', 'delete', 'post', 'get'].find((m) => !used.has(m as never));
      if (!other || other === 'trace') return;
      const wrong = await fetch(`${mock.url}${contract.basePath}${op.path}`, { method: other.toUpperCase() });
      assert.equal(wrong.status, 405);
      const allow = (wrong.headers.get('allow') ?? '').toLowerCase();
      for (const method of used) assert.ok(allow.includes(method), `Allow '${allow}' lacks ${method}`);
    });
  });
}
