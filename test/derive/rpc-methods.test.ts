import assert from 'node:assert/strict';
import { checkExchanges } from '../../src/drift/check-drift';
import { asGetExchange, isRpcStyle } from '../../src/derive/rpc-methods';
import type { HttpMethod } from '../../src/model/types';
import { matchExchanges } from '../../src/recordings/match-operations';
import { contract, exchange, operation, param } from '../drift/helpers';
import { contractOf } from '../recordings/helpers';

const SLACK_LIKE: [HttpMethod, string][] = [
  ['get', '/auth.test'],
  ['post', '/chat.postMessage'],
  ['get', '/conversations.list'],
  ['get', '/conversations.info'],
  ['post', '/conversations.create'],
];

describe('derive/rpc-methods: RPC-style contracts', () => {
  const cases: [string, [HttpMethod, string][], boolean][] = [
    ['Slack-like method paths', SLACK_LIKE, true],
    ['method paths under a prefix', SLACK_LIKE.map(([m, p]) => [m, `/method${p}`]), true],
    ['fewer than three paths', SLACK_LIKE.slice(0, 2), false],
    ['no GET method', SLACK_LIKE.filter(([m]) => m === 'post').concat([['post', '/x.y']]), false],
    ['an item path (REST)', [...SLACK_LIKE, ['get', '/users/{id}']], false],
    ['two methods on one path (REST)', [...SLACK_LIKE, ['post', '/auth.test']], false],
    ['a path that is not a method name', [...SLACK_LIKE, ['get', '/health']], false],
    [
      'file names are representations, not methods',
      [
        ['get', '/statuses/show.json'],
        ['post', '/statuses/update.json'],
        ['get', '/statuses/home_timeline.json'],
      ],
      false,
    ],
    [
      'REST collections',
      [
        ['get', '/pets'],
        ['post', '/orders'],
        ['get', '/stores'],
      ],
      false,
    ],
  ];
  for (const [name, routes, expected] of cases) {
    it(`isRpcStyle: ${name}`, () => assert.equal(isRpcStyle(contractOf(routes)), expected));
  }

  it('asGetExchange: a form or empty POST becomes the GET with its fields as query parameters', () => {
    const form = exchange({
      method: 'POST',
      path: '/api/conversations.list',
      query: [['pretty', '1']],
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', 'Bearer REDACTED'],
      ],
      body: 'limit=2&cursor=dGVh%3D&types=public_channel+private_channel',
      bodyType: 'application/x-www-form-urlencoded',
    });
    const asGet = asGetExchange(form)!;
    assert.equal(asGet.request.method, 'GET');
    assert.deepEqual(asGet.request.query, [
      ['pretty', '1'],
      ['limit', '2'],
      ['cursor', 'dGVh='],
      ['types', 'public_channel private_channel'],
    ]);
    assert.deepEqual(asGet.request.headers, [['Authorization', 'Bearer REDACTED']]);
    assert.equal(asGet.request.body, undefined);
    assert.equal(form.request.method, 'POST', 'the recorded exchange is not changed');

    assert.equal(asGetExchange(exchange({ method: 'POST', path: '/auth.test' }))?.request.method, 'GET');
    assert.equal(asGetExchange(exchange({ method: 'POST', path: '/x.y', body: { a: 1 } })), undefined);
    assert.equal(asGetExchange(exchange({ method: 'PUT', path: '/x.y' })), undefined);
  });

  it('recordings: an SDK POST to a GET method is matched to the GET operation', () => {
    const rpc = contractOf(SLACK_LIKE, { basePath: '/api' });
    const post = exchange({
      method: 'POST',
      path: '/api/conversations.info',
      body: 'channel=C1',
      bodyType: 'application/x-www-form-urlencoded',
    });
    const { matched, unmatched } = matchExchanges(rpc, { exchanges: [post] });
    assert.equal(unmatched.length, 0);
    assert.equal(matched[0].op.id, 'get_/conversations.info');
    assert.deepEqual(matched[0].exchange.request.query, [['channel', 'C1']]);

    // a REST contract keeps its 405 semantics
    const rest = contractOf([
      ['get', '/pets'],
      ['post', '/orders'],
      ['get', '/pets/{id}'],
    ]);
    const restPost = exchange({ method: 'POST', path: '/pets', body: '', bodyType: 'text/plain' });
    assert.equal(matchExchanges(rest, { exchanges: [restPost] }).unmatched[0].reason, 'method');
  });

  it('drift: an SDK POST to a GET method is checked as the GET (its parameters validated)', () => {
    const rpc = contract(
      [
        operation('get', '/auth.test'),
        operation('post', '/chat.postMessage'),
        operation('get', '/conversations.list', {
          parameters: [param('limit', 'query', { type: 'integer' })],
        }),
      ],
      { basePath: '/api' },
    );
    const post = (body: string) =>
      exchange({
        method: 'POST',
        path: '/api/conversations.list',
        body,
        bodyType: 'application/x-www-form-urlencoded',
        responseBody: {},
      });
    const kinds = (body: string) => checkExchanges(rpc, [post(body)]).findings.map((finding) => finding.kind);
    assert.deepEqual(kinds('limit=2'), []);
    assert.deepEqual(kinds('limit=two'), ['invalid-parameter']);
    const json = exchange({ method: 'POST', path: '/api/auth.test', body: { a: 1 } });
    assert.deepEqual(
      checkExchanges(rpc, [json]).findings.map((finding) => finding.kind),
      ['undocumented-method'],
    );
  });
});
