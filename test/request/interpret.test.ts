import assert from 'node:assert/strict';
import { RequestValidator, interpretRequest, type RawRequest } from '../../templates/runtime/core/request';
import type { OperationData } from '../../templates/runtime/core/types';

const op = {
  method: 'post',
  parameters: [
    {
      name: 'limit',
      in: 'query',
      required: false,
      style: 'form',
      explode: true,
      schema: { type: 'integer' },
    },
    {
      name: 'X-Tenant',
      in: 'header',
      required: true,
      style: 'simple',
      explode: false,
      schema: { type: 'integer' },
    },
  ],
  requestBody: {
    required: true,
    content: [
      {
        mediaType: 'application/json',
        schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
    ],
  },
} as unknown as OperationData;

function raw(extra: Partial<RawRequest>): RawRequest {
  return { method: 'POST', pathParams: {}, query: '', headers: { 'x-tenant': '1' }, ...extra };
}

describe('request/interpret: interpretRequest', () => {
  const validator = new RequestValidator({});

  it('gives coerced parameters and the parsed body of a valid request', () => {
    const read = interpretRequest(
      validator,
      op,
      raw({ query: 'limit=5', body: Buffer.from('{"name":"Rex"}'), contentType: 'application/json' }),
    );
    assert.deepEqual(read.violations, []);
    assert.deepEqual(read.params.query, { limit: 5 });
    assert.deepEqual(read.params.header, { 'X-Tenant': 1 });
    assert.deepEqual(read.body, { name: 'Rex' });
    assert.equal(read.mediaType, 'application/json');
  });

  it('names every violation with a JSON pointer', () => {
    const cases: [string, Partial<RawRequest>, string[]][] = [
      [
        'a query value',
        { query: 'limit=x', body: '{"name":"a"}', contentType: 'application/json' },
        ['/query/limit'],
      ],
      [
        'a missing header',
        { headers: {}, body: '{"name":"a"}', contentType: 'application/json' },
        ['/header/X-Tenant'],
      ],
      ['a body property', { body: '{}', contentType: 'application/json' }, ['/body/name']],
      ['invalid JSON', { body: '{', contentType: 'application/json' }, ['/body']],
      ['no body', {}, ['/body']],
      ['an undocumented content type', { body: 'a', contentType: 'text/plain' }, ['/header/content-type']],
    ];
    for (const [name, extra, want] of cases) {
      const read = interpretRequest(validator, op, raw(extra));
      assert.deepEqual(
        read.violations.map((v) => v.pointer),
        want,
        name,
      );
    }
  });
});
