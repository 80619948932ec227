import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hasTemplates, render } from '../../templates/runtime/templating';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import { decodeJwt, verifyToken } from '../../templates/runtime/tokens';
import { manifest, request } from '../fixtures/runtime-behaviour/helpers';

const m = manifest();
const req = request({
  method: 'POST',
  path: '/pets/42',
  url: '/pets/42?limit=10&name=rex',
  pathParams: { petId: '42' },
  query: [
    ['limit', '10'],
    ['name', 'rex'],
  ],
  headers: { 'x-request-id': 'abc-123' },
  body: { quantity: 3, name: 'Rex', tags: ['a', 'b'], owner: { id: 7 }, active: true },
});

function secondsFromNow(iso: string): number {
  return (Date.parse(iso) - Date.now()) / 1000;
}

describe('runtime behaviour: templating', () => {
  it('copies values without markers', () => {
    const value = { a: [1, { b: 'x' }], c: null };
    const out = render(value, req, m);
    assert.deepEqual(out, value);
    assert.notEqual(out, value);
    assert.equal(hasTemplates(value), false);
  });

  it('detects markers anywhere', () => {
    assert.equal(hasTemplates({ a: [{ b: { $tpl: '{{uuid}}' } }] }), true);
    assert.equal(hasTemplates({ a: { $literal: 1 } }), true);
    assert.equal(hasTemplates({ a: { $tpl: 'x', other: 1 } }), false);
  });

  const echoCases: [string, unknown, unknown][] = [
    ['$tpl path param', { $tpl: '{{req "path.petId"}}' }, '42'],
    ['$tplJson path param (number-like)', { $tplJson: '{{req "path.petId"}}' }, 42],
    ['$tplJson query number', { $tplJson: '{{req "query.limit"}}' }, 10],
    ['$tplJson query string', { $tplJson: '{{req "query.name"}}' }, 'rex'],
    ['$tpl header', { $tpl: 'req-{{req "header.X-Request-Id"}}' }, 'req-abc-123'],
    ['$tplJson body number', { $tplJson: '{{req "body.quantity"}}' }, 3],
    ['$tplJson body string', { $tplJson: '{{req "body.name"}}' }, 'Rex'],
    ['$tplJson body boolean', { $tplJson: '{{req "body.active"}}' }, true],
    ['$tplJson body object', { $tplJson: '{{req "body.owner"}}' }, { id: 7 }],
    ['$tplJson body array element', { $tplJson: '{{req "body.tags.1"}}' }, 'b'],
    ['$tplJson absent', { $tplJson: '{{req "body.missing"}}' }, null],
    ['$tpl absent', { $tpl: '{{req "query.missing"}}' }, ''],
    ['$tpl body number in text', { $tpl: 'qty={{req "body.quantity"}}' }, 'qty=3'],
    ['$literal keeps marker-like data', { $literal: { $tpl: '{{uuid}}' } }, { $tpl: '{{uuid}}' }],
    ['string with braces is not a template', 'hello {{name}}', 'hello {{name}}'],
  ];
  for (const [name, value, want] of echoCases) {
    it(`echoes: ${name}`, () => assert.deepEqual(render({ v: value }, req, m), { v: want }));
  }

  it('treats form fields as untyped text in $tplJson', () => {
    const form = request({
      body: { amount: '2000', currency: 'usd' },
      mediaType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual(
      render(
        { a: { $tplJson: '{{req "body.amount"}}' }, c: { $tplJson: '{{req "body.currency"}}' } },
        form,
        m,
      ),
      {
        a: 2000,
        c: 'usd',
      },
    );
  });

  it('renders timestamps near now with the recorded offset, in each format', () => {
    const out = render(
      {
        iso: { $tpl: '{{now 0 "iso"}}' },
        later: { $tpl: '{{now 3600000 "iso-seconds"}}' },
        earlier: { $tpl: '{{now -86400000 "iso"}}' },
        date: { $tpl: '{{now 0 "date"}}' },
        s: { $tplJson: '{{now 0 "epoch-s"}}' },
        ms: { $tplJson: '{{now 0 "epoch-ms"}}' },
        http: { $tpl: '{{now 0 "http-date"}}' },
      },
      req,
      m,
    ) as Record<string, unknown>;
    assert.ok(Math.abs(secondsFromNow(out.iso as string)) < 5);
    assert.match(out.iso as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(out.later as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(secondsFromNow(out.later as string) - 3600) < 5);
    assert.ok(Math.abs(secondsFromNow(out.earlier as string) + 86400) < 5);
    assert.equal(out.date, new Date().toISOString().slice(0, 10));
    assert.equal(typeof out.s, 'number');
    assert.ok(Math.abs((out.s as number) - Date.now() / 1000) < 5);
    assert.ok(Math.abs((out.ms as number) - Date.now()) < 5000);
    assert.match(out.http as string, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
  });

  it('issues a fresh JWT that keeps the recorded claims and verifies with the secret', () => {
    const claims = JSON.stringify({ sub: 'user-1', scope: 'read write', iat: 1, exp: 2, 'quote"': 'a"b' });
    const source = `{{jwt "${claims.replace(/"/g, '\\"')}" 600}}`;
    const out = render({ token: { $tpl: source } }, req, m) as { token: string };
    const decoded = decodeJwt(out.token);
    assert.ok(decoded);
    assert.equal(decoded.header.alg, 'HS256');
    assert.equal(decoded.payload.sub, 'user-1');
    assert.equal(decoded.payload.scope, 'read write');
    assert.equal(decoded.payload['quote"'], 'a"b');
    const now = Date.now() / 1000;
    assert.ok(Math.abs((decoded.payload.iat as number) - now) < 5);
    assert.ok(Math.abs((decoded.payload.exp as number) - now - 600) < 5);
    const expected = createHmac('sha256', m.jwtSecret).update(decoded.signingInput).digest('base64url');
    assert.equal(decoded.signature, expected);
    assert.equal(verifyToken(out.token, m, new MemoryStore()), 'valid');
  });

  it('issues opaque tokens of the recorded shape and uuids', () => {
    // issued tokens are registered where the request says: its handler's store
    const store = new MemoryStore();
    const out = render(
      {
        key: { $tpl: '{{opaque "sk_test_4eC39HqLyjWDarjtT1zdp7dc"}}' },
        hex: { $tpl: '{{opaque "9f86d081884c7d659a2feaa0c55ad015"}}' },
        id: { $tpl: '{{uuid}}' },
      },
      { ...req, tokens: store },
      m,
    ) as Record<string, string>;
    assert.match(out.key, /^sk_test_[A-Za-z0-9]{24}$/);
    assert.notEqual(out.key, 'sk_test_4eC39HqLyjWDarjtT1zdp7dc');
    assert.match(out.hex, /^[0-9a-f]{32}$/);
    assert.match(out.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(verifyToken(out.key, m, store), 'valid');
  });

  it('renders fresh values on every call and serves broken templates as text', () => {
    const value = { id: { $tpl: '{{uuid}}' } };
    assert.notDeepEqual(render(value, req, m), render(value, req, m));
    assert.deepEqual(render({ a: { $tpl: '{{#if}}' } }, req, m), { a: '{{#if}}' });
    assert.deepEqual(render({ a: { $tpl: '{{unknownHelper 1}}' } }, req, m), { a: '{{unknownHelper 1}}' });
    assert.deepEqual(render({ a: { $tpl: '{{lookupField}}' } }, req, m), { a: '{{lookupField}}' });
  });

  it('does not HTML-escape echoed values', () => {
    const r = request({ query: [['q', '<a href="x">&</a>']] });
    assert.deepEqual(render({ q: { $tpl: '{{req "query.q"}}' } }, r, m), { q: '<a href="x">&</a>' });
    assert.deepEqual(render({ q: { $tplJson: '{{req "query.q"}}' } }, r, m), { q: '<a href="x">&</a>' });
  });

  it('renders a 1,000-field static body quickly and caches compiled templates', () => {
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) big[`f${i}`] = i % 10 === 0 ? { $tpl: '{{uuid}}' } : { n: i, s: 'x' };
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) render(big, req, m);
    const perRenderMs = Number(process.hrtime.bigint() - start) / 1e6 / 100;
    assert.ok(perRenderMs < 20, `render took ${perRenderMs} ms`);
  });
});
