import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadContract } from '../../src/contract/load-contract';
import { tempDir } from '../helpers/project';

/** A 3.0 contract with `paths` and `components.schemas` given. */
function contract(paths: Record<string, unknown>, schemas: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths, components: { schemas } };
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const message = { type: 'object', properties: { message: { type: 'string' } } };

describe('contract: the error document (errorSchema)', () => {
  let dir: string;
  before(() => (dir = tempDir('error-schema')));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const load = async (doc: Record<string, unknown>) => {
    const file = path.join(dir, `c${fs.readdirSync(dir).length}.json`);
    fs.writeFileSync(file, JSON.stringify(doc));
    return loadContract(file);
  };

  it('the schema the error responses use most', async () => {
    const c = await load(
      contract(
        {
          '/a': {
            get: {
              responses: { 200: { description: 'ok' }, 404: { description: 'x', ...json(ref('Basic')) } },
            },
            post: {
              responses: { 201: { description: 'ok' }, 422: { description: 'x', ...json(ref('Invalid')) } },
            },
          },
          '/b': {
            get: {
              responses: { 200: { description: 'ok' }, default: { description: 'x', ...json(ref('Basic')) } },
            },
          },
        },
        { Basic: message, Invalid: message, Error: message },
      ),
    );
    assert.equal(c.errorSchema, 'Basic');
  });

  it('else the outermost component named like an error document, which no operation references', async () => {
    const c = await load(
      contract(
        { '/a': { get: { responses: { 200: { description: 'ok', ...json(ref('Thing')) } } } } },
        {
          Thing: message,
          Error: { type: 'object', properties: { message: { type: 'string' }, code: { type: 'string' } } },
          ErrorResponse: { type: 'object', required: ['error'], properties: { error: ref('Error') } },
          ErrorCode: { type: 'string' },
        },
      ),
    );
    assert.equal(c.errorSchema, 'ErrorResponse');
    assert.deepEqual(c.schemas.ErrorResponse, {
      type: 'object',
      required: ['error'],
      properties: { error: { $ref: '#/$defs/Error' } },
    });
    assert.ok(c.schemas.Error, 'what it refers to comes along');
  });

  it('none when the contract has neither', async () => {
    const c = await load(
      contract(
        { '/a': { get: { responses: { 200: { description: 'ok', ...json(ref('Thing')) } } } } },
        { Thing: message, ErrorCode: { type: 'string' } },
      ),
    );
    assert.equal(c.errorSchema, undefined);
  });
});
