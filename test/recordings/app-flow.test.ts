import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contract } from '../../src/model/types';
import { buildRecordingData } from '../../src/derive/recording-data';
import { loadHar } from '../../src/recordings/load-har';
import { matchExchanges } from '../../src/recordings/match-operations';
import { makeAppFlow } from '../fixtures/recordings/make-app-flow';
import { contractOf } from './helpers';

/** The operations of specs/secure/openapi.yaml, by hand, so this test does not depend on the contract loader. */
const secure = contractOf(
  [
    ['post', '/oauth/token', 'issueToken'],
    ['get', '/accounts/me', 'getMyAccount'],
    ['get', '/payments', 'listPayments'],
    ['post', '/payments', 'createPayment'],
    ['get', '/payments/{paymentId}', 'getPayment'],
    ['patch', '/payments/{paymentId}', 'updatePayment'],
    ['delete', '/payments/{paymentId}', 'cancelPayment'],
    ['get', '/categories', 'listCategories'],
    ['post', '/exports', 'createExport'],
    ['get', '/exports/{exportId}', 'getExport'],
    ['get', '/rates', 'getExchangeRates'],
  ],
  { basePath: '/api/v2', servers: ['/api/v2'] },
);

describe('recordings: app-flow.har (Acme Payments session)', () => {
  it('is what make-app-flow.ts generates', () => {
    const onDisk: unknown = JSON.parse(
      fs.readFileSync(path.join(process.cwd(), 'specs', 'secure', 'recordings', 'app-flow.har'), 'utf8'),
    );
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(makeAppFlow())));
  });

  it('loads redacted, matches every entry, and yields the polled export as one sequence', async () => {
    const recordings = await loadHar(
      [path.join(process.cwd(), 'specs', 'secure', 'recordings', 'app-flow.har')],
      {
        redact: { securitySchemes: { apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' } } },
      },
    );
    const all = JSON.stringify(recordings);
    for (const secret of [
      /cs_live_[A-Za-z0-9]{24}/,
      /pk_live_[A-Za-z0-9]{24}/,
      /rt_[0-9a-f]{32}/,
      /\.[\w-]{43}"/,
    ]) {
      assert.doesNotMatch(all, secret);
    }
    const { matched, unmatched, failed } = matchExchanges(secure, recordings);
    assert.equal(unmatched.length, 0);
    assert.equal(failed.length, 0);
    assert.equal(matched.length, 18);

    const data = buildRecordingData(matched);
    const exportPolls = data.get('getExport')?.recordings;
    assert.equal(exportPolls?.length, 1);
    assert.deepEqual(
      exportPolls?.[0].responses.map((r) => (r.json as { status: string }).status),
      ['pending', 'running', 'done'],
    );
    const createPayment = data.get('createPayment')?.recordings;
    assert.equal(createPayment?.length, 2, 'card and bank transfer are different requests');
    assert.deepEqual(Object.keys(createPayment?.[0].request.headers ?? {}), ['accept', 'content-type']);
    // the card is read before and after its update (one sequence), the cancelled transfer answers 404
    const reads = data.get('getPayment')?.recordings ?? [];
    assert.deepEqual(
      reads.map((r) =>
        r.responses.map((res) => `${res.status} ${(res.json as { description?: string }).description ?? ''}`),
      ),
      [['200 Flour, 25 kg', '200 Flour, 25 kg (type 550)'], ['404 '], ['404 ']],
    );
    const update = data.get('updatePayment')?.recordings;
    assert.equal(update?.length, 1);
    assert.equal(update?.[0].request.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(update?.[0].request.body, {
      description: 'Flour, 25 kg (type 550)',
      metadata: { orderRef: 'PO-1042' },
    });
    const cancel = data.get('cancelPayment')?.recordings;
    assert.deepEqual(
      cancel?.map((r) => [r.request.pathParams.paymentId, r.responses[0].status, r.responses[0].mediaType]),
      [[reads[2].request.pathParams.paymentId, 204, '']],
    );
    const lists = data.get('listPayments')?.recordings;
    assert.equal(lists?.length, 1, 'the two lists are the same request');
    assert.deepEqual(
      lists?.[0].responses.map((r) => (r.json as { data: { id: string }[] }).data.map((p) => p.id)),
      [
        [reads[2].request.pathParams.paymentId, reads[0].request.pathParams.paymentId],
        [reads[0].request.pathParams.paymentId],
      ],
    );
    const token = data.get('issueToken')?.recordings[0];
    assert.equal((token?.request.body as Record<string, string>).grant_type, 'client_credentials');
    assert.match(
      (token?.responses[0].json as { access_token: string }).access_token,
      /^eyJ[\w-]+\.eyJ[\w-]+\.REDACTED$/,
    );
    assert.deepEqual(token?.responses[0].headers, [
      ['content-type', 'application/json; charset=utf-8'],
      ['x-ratelimit-limit', '5000'],
      ['x-ratelimit-remaining', '4999'],
      ['x-ratelimit-reset', '1717239600'],
      ['cache-control', 'no-store'],
      ['pragma', 'no-cache'],
    ]);
    for (const { latency } of data.values()) {
      assert.ok(
        latency.samples > 0 && latency.ms.length === 11 && latency.ms[0] >= 20 && latency.ms[10] <= 201,
      );
    }
  });

  it('matches against specs/secure/openapi.yaml when the contract loader is available', async function () {
    const loader = path.join(__dirname, '..', '..', 'src', 'contract', 'load-contract.js');
    const spec = path.join(process.cwd(), 'specs', 'secure', 'openapi.yaml');
    if (!fs.existsSync(loader) || !fs.existsSync(spec)) this.skip();

    const { loadContract } = require(loader) as { loadContract: (file: string) => Promise<Contract> };
    const contract = await loadContract(spec);
    const { matched, unmatched } = matchExchanges(
      contract,
      await loadHar([path.join(process.cwd(), 'specs', 'secure', 'recordings', 'app-flow.har')]),
    );
    assert.deepEqual(
      unmatched.map((u) => `${u.exchange.request.method} ${u.exchange.request.path} ${u.reason}`),
      [],
    );
    assert.equal(matched.length, 18);
  });
});
