import assert from 'node:assert/strict';
import { notFoundBody, singularNoun } from '../../templates/runtime/not-found';
import { getSession, resetSessions } from '../../templates/runtime/session';
import { handleResourceRequest } from '../../templates/runtime/state';
import type { Defs, JsonSchema, ResourceSpec, ResponseData } from '../../templates/runtime/types';
import { manifest, op, request } from '../fixtures/runtime-behaviour/helpers';

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
});
