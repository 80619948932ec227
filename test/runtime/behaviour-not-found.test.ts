import assert from 'node:assert/strict';
import { inContractWords } from '../../templates/runtime/conform';
import { errorBody, notFoundBody, singularNoun } from '../../templates/runtime/not-found';
import { problem, validationProblem } from '../../templates/runtime/core/problem';
import { handleResourceRequest } from '../../templates/runtime/state';
import type { Defs, JsonSchema, ResourceSpec, ResponseData } from '../../templates/runtime/core/types';
import { manifest, op, request } from '../fixtures/runtime-behaviour/helpers';

import { MemoryStore } from '../../templates/runtime/store/memory-store';

// the sessions these tests work on: a store of their own
const store = new MemoryStore();
const getSession = (name: string) => store.session(name);
const resetSessions = (name?: string) => store.reset(name);

const facts = { message: "No such customer: 'cus_1'", code: 'resource_missing' };

/** Stripe's `error` / `api_errors` schemas, trimmed. */
const stripeDefs: Defs = {
  error: { type: 'object', required: ['error'], properties: { error: { $ref: '#/$defs/api_errors' } } },
  api_errors: {
    type: 'object',
    required: ['type'],
    properties: {
      charge: { type: 'string' },
      code: { type: 'string' },
      decline_code: { type: 'string' },
      doc_url: { type: 'string' },
      message: { type: 'string' },
      param: { type: 'string' },
      payment_intent: { $ref: '#/$defs/payment_intent' },
      type: {
        type: 'string',
        enum: ['api_error', 'card_error', 'idempotency_error', 'invalid_request_error'],
      },
    },
  },
  payment_intent: { type: 'object', properties: { id: { type: 'string' } } },
  'basic-error': {
    type: 'object',
    properties: {
      message: { type: 'string' },
      documentation_url: { type: 'string' },
      url: { type: 'string' },
      status: { type: 'string' },
    },
  },
  problem: {
    type: 'object',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
    },
  },
  wrapped: {
    allOf: [
      { $ref: '#/$defs/problem' },
      { type: 'object', properties: { errorCode: { type: 'string', enum: ['E_INTERNAL', 'E_NOT_FOUND'] } } },
    ],
  },
};

describe('runtime behaviour: 404 bodies for resources the store does not hold', () => {
  const cases: { name: string; schema: JsonSchema; want: unknown }[] = [
    {
      name: 'Stripe: nested error object, enum type, free code',
      schema: { $ref: '#/$defs/error' },
      want: { error: { code: 'resource_missing', message: facts.message, type: 'invalid_request_error' } },
    },
    {
      name: 'GitHub basic-error: message and string status',
      schema: { $ref: '#/$defs/basic-error' },
      want: { message: facts.message, status: '404' },
    },
    {
      name: 'RFC 9457 problem',
      schema: { $ref: '#/$defs/problem' },
      want: { type: 'about:blank', title: 'Not Found', status: 404, detail: facts.message },
    },
    {
      name: 'allOf: the first object branch',
      schema: { $ref: '#/$defs/wrapped' },
      want: { type: 'about:blank', title: 'Not Found', status: 404, detail: facts.message },
    },
    { name: 'not an object', schema: { type: 'string' }, want: undefined },
  ];
  for (const c of cases) {
    it(`notFoundBody: ${c.name}`, () => assert.deepEqual(notFoundBody(c.schema, stripeDefs, facts), c.want));
  }

  it('singularNoun', () => {
    assert.deepEqual(
      [
        '/v1/customers',
        '/repos/{owner}/{repo}/issues',
        '/policies',
        '/addresses',
        '/status',
        '/payment_intents',
        '/',
      ].map(singularNoun),
      ['customer', 'issue', 'policy', 'address', 'status', 'payment intent', 'resource'],
    );
  });

  it('a read of a deleted resource answers the schema-shaped error when the contract has no 404 example', () => {
    resetSessions();
    const spec: ResourceSpec = {
      name: 'customers',
      collectionPath: '/v1/customers',
      itemPath: '/v1/customers/{customer}',
      idParam: 'customer',
      idField: 'id',
      idFormat: { kind: 'prefixed', prefix: 'cus_', length: 8, alphabet: 'abc' },
      listEnvelope: null,
      seed: [],
    };
    const m = manifest({ resources: [spec] });
    const errorResponse = (examples: { name: string; value: unknown }[]): ResponseData => ({
      status: 'default',
      description: 'Error response.',
      headers: [],
      content: [{ mediaType: 'application/json', schema: { $ref: '#/$defs/error' }, examples }],
    });
    const generated = { error: { type: 'card_error', code: 'KER-1', message: 'Garden ember' } };
    const read = (responses: ResponseData[], id: string) =>
      handleResourceRequest(
        op({
          id: 'read',
          method: 'get',
          path: spec.itemPath,
          resource: { resource: 'customers', role: 'read' },
          responses,
        }),
        request({ pathParams: { customer: id } }),
        getSession(''),
        m,
        undefined,
        stripeDefs,
      );
    const answer = read([errorResponse([{ name: '__generated', value: generated }])], 'cus_gone');
    assert.equal(answer?.status, 404);
    assert.deepEqual(answer?.body, {
      error: {
        code: 'resource_missing',
        message: "No such customer: 'cus_gone'",
        type: 'invalid_request_error',
      },
    });
    // an authored example is the contract's word: served as it is
    const authored = { error: { type: 'invalid_request_error', message: 'gone' } };
    assert.deepEqual(
      read([errorResponse([{ name: 'default', value: authored }])], 'cus_gone')?.body,
      authored,
    );
  });

  /** OpenAI's `ErrorResponse` (no operation references it): nullable required details. */
  const openaiDefs: Defs = {
    ErrorResponse: {
      type: 'object',
      required: ['error'],
      properties: { error: { $ref: '#/$defs/Error' } },
    },
    Error: {
      type: 'object',
      required: ['type', 'message', 'param', 'code'],
      properties: {
        code: { type: ['string', 'null'] },
        message: { type: 'string' },
        param: { type: ['string', 'null'] },
        type: { type: 'string' },
      },
    },
  };

  it('errorBody: other statuses pick their own enum values, titles and codes; nullable required details are null', () => {
    const facts401 = { status: 401, message: 'No API key', code: 'unauthorized' };
    assert.deepEqual(errorBody({ $ref: '#/$defs/ErrorResponse' }, openaiDefs, facts401), {
      error: { code: 'unauthorized', message: 'No API key', param: null, type: 'unauthorized' },
    });
    assert.deepEqual(
      errorBody({ $ref: '#/$defs/problem' }, stripeDefs, { ...facts401, status: 422, message: 'bad' }),
      { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'bad' },
    );
    const kinds = {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['not_found', 'authentication_failed', 'invalid_request'] },
      },
    };
    assert.deepEqual(errorBody(kinds, {}, facts401), { kind: 'authentication_failed' });
    assert.deepEqual(errorBody(kinds, {}, { ...facts401, status: 422 }), { kind: 'invalid_request' });
  });

  it("inContractWords: the mock's own problems also carry the contract's error document", () => {
    const m = manifest({ errorSchema: 'ErrorResponse' });
    const invalid = inContractWords(
      validationProblem([
        { location: ['body', 'messages'], severity: 'Error', code: 'type', message: 'must be array' },
        { location: ['query', 'limit'], severity: 'Error', code: 'minimum', message: 'must be >= 1' },
      ]),
      m,
      openaiDefs,
      () => 1,
    );
    assert.equal(invalid.status, 422);
    // still a Prism-style problem: the error document's members are extension members
    assert.equal(invalid.mediaType, 'application/problem+json');
    const problemBody = invalid.body as Record<string, unknown>;
    assert.equal(problemBody.status, 422);
    assert.equal(problemBody.title, 'Invalid request');
    assert.ok(Array.isArray(problemBody.validation));
    assert.deepEqual(problemBody.error, {
      code: 'invalid_request',
      message: 'Invalid request: body.messages: must be array; query.limit: must be >= 1',
      param: null,
      type: 'invalid_request',
    });
    const unauthorized = inContractWords(
      problem('UNAUTHORIZED', 'Send a bearer token.', { headers: { 'www-authenticate': 'Bearer' } }),
      m,
      openaiDefs,
      () => 1,
    );
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(unauthorized.headers, { 'www-authenticate': 'Bearer' });
    assert.deepEqual((unauthorized.body as { error: unknown }).error, {
      code: 'unauthorized',
      message: 'Send a bearer token.',
      param: null,
      type: 'unauthorized',
    });
    // required fields errorBody cannot fill are generated: the body always validates
    const sparse = inContractWords(
      problem('NOT_FOUND', 'gone'),
      manifest({ errorSchema: 'strict' }),
      {
        strict: {
          type: 'object',
          required: ['message', 'traceId'],
          properties: { message: { type: 'string' }, traceId: { type: 'string', minLength: 8 } },
        },
      },
      () => 1,
    );
    const body = sparse.body as { message: string; traceId: string; detail: string; status: number };
    assert.equal(body.message, 'gone');
    assert.equal(body.detail, 'gone');
    assert.equal(body.status, 404);
    assert.ok(body.traceId.length >= 8);
    // without an error document, or for a response that is not a problem: unchanged
    const plain = problem('UNAUTHORIZED', 'x');
    assert.equal(
      inContractWords(plain, manifest(), openaiDefs, () => 1),
      plain,
    );
    const ok = { status: 200, headers: {}, mediaType: 'application/json', body: { a: 1 }, source: 'state' };
    assert.equal(
      inContractWords(ok, m, openaiDefs, () => 1),
      ok,
    );
  });
});
