import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadContract } from '../../src/contract/load-contract';
import { MockgenError } from '../../src/errors';

const SOURCES = [
  'specs/petstore/openapi.yaml',
  'specs/swagger2/swagger.json',
  'specs/openapi31/openapi.yaml',
  'test/fixtures/contract/openapi30-edge.yaml',
  'test/fixtures/contract/swagger2-edge.json',
];
const ODD_VALUES: unknown[] = [
  null,
  'text',
  42,
  true,
  [],
  {},
  [1, 'a'],
  { $ref: 42 },
  { type: 'array' },
  { type: ['object', 7] },
  { $ref: '#/info' },
];

/** Deterministic pseudo-random numbers (LCG), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function paths(node: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (prefix.length > 0) out.push(prefix);
  if (node !== null && typeof node === 'object') {
    for (const key of Object.keys(node)) paths((node as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

describe('contract: robustness against malformed contracts', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-contract-fuzz-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('contracts with random nodes replaced by odd values load or fail with a MockgenError', async function () {
    this.timeout(60_000);
    const next = random(20240601);
    const crashes: string[] = [];
    for (let i = 0; i < 80; i++) {
      const source = SOURCES[i % SOURCES.length];
      const doc = load(fs.readFileSync(source, 'utf8')) as Record<string, unknown>;
      const candidates = paths(doc);
      const mutations: string[] = [];
      for (let m = 0; m < 3; m++) {
        const target = candidates[Math.floor(next() * candidates.length)];
        let parent: unknown = doc;
        for (const key of target.slice(0, -1))
          parent = (parent as Record<string, unknown> | undefined)?.[key];
        if (parent === null || typeof parent !== 'object') continue;
        const value = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
        (parent as Record<string, unknown>)[target[target.length - 1]] = structuredClone(value);
        mutations.push(`${target.join('/')} = ${JSON.stringify(value)}`);
      }
      const file = path.join(tmp, `case-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(doc));
      try {
        await loadContract(file);
      } catch (err) {
        if (!(err instanceof MockgenError))
          crashes.push(`${source} with ${mutations.join(', ')}: ${(err as Error).stack}`);
      }
    }
    assert.deepEqual(crashes, []);
  });
});
