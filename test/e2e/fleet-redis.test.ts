/**
 * Issue 14: three replicas of one emitted mock share their state through a real Redis
 * (`MOCKGEN_STORE=redis://…`), behind a round-robin proxy, as a team runs it in a cluster:
 * resources, recorded sequences, issued tokens, sessions, the journal and reset are fleet-wide;
 * Redis lost while serving is a 503 for requests that need state, and the fleet recovers by itself.
 * Needs `redis-server` (Debian's package; .ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  bootProject,
  freePort,
  linkNodeModules,
  runCli,
  tempDir,
  type RunningMock,
} from '../helpers/project';
import { hasRedis, roundRobin, startRedis, type Redis } from '../helpers/redis';

const SPEC = 'specs/secure/openapi.yaml';
const HAR = 'specs/secure/recordings/app-flow.har';
const BASE = '/api/v2';
const CARD = { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 };
const TOKEN_BODY =
  'grant_type=client_credentials&client_id=demo-client&client_secret=cs_live_x&scope=payments%3Aread+payments%3Awrite';

async function call(
  base: string,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string; body: any }> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // the contract requires one on every create
  if (method === 'POST' && url.endsWith('/payments')) headers['idempotency-key'] = randomUUID();
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${url}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: parsed };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

(hasRedis ? describe : describe.skip)(
  'fleet: three replicas share state through Redis (issue 14)',
  function () {
    this.timeout(120_000);
    let redis: Redis;
    let dir: string;
    const replicas: RunningMock[] = [];
    let a: string, b: string, c: string;
    let auth: Record<string, string>;

    before(async () => {
      redis = await startRedis();
      dir = path.join(tempDir('fleet'), 'mock');
      const generated = await runCli(['generate', '--spec', SPEC, '--recordings', HAR, '--out', dir]);
      assert.equal(generated.code, 0, generated.stderr);
      linkNodeModules(dir);
      for (let i = 0; i < 3; i++) replicas.push(await bootProject(dir, { MOCKGEN_STORE: redis.url }));
      [a, b, c] = replicas.map((r) => r.url);
      const token = await call(a, 'POST', `${BASE}/oauth/token`, {
        body: TOKEN_BODY,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(token.status, 200);
      auth = { authorization: `Bearer ${token.body.access_token}` };
    });

    after(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await redis?.stop();
    });

    beforeEach(async () => {
      assert.equal((await call(c, 'POST', '/__mockgen/reset')).status, 200);
    });

    it('health reports the Redis store, reachable, on every replica', async () => {
      for (const url of [a, b, c]) {
        const health = await call(url, 'GET', '/__mockgen/health');
        assert.equal(health.status, 200);
        assert.equal(health.body.store, 'redis');
        assert.equal(health.body.storeReachable, true);
        assert.equal(health.body.status, 'ok');
      }
    });

    it('a payment created on A is read and listed on B and C, updated on B, deleted on C', async () => {
      const created = await call(a, 'POST', `${BASE}/payments`, {
        body: {
          method: 'card',
          amount: { value: 4200, currency: 'EUR' },
          description: 'Sugar, 5 kg',
          card: CARD,
        },
        headers: auth,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      assert.match(id, /^pay_[0-9A-Za-z]{12}$/);
      const read = await call(b, 'GET', `${BASE}/payments/${id}`, { headers: auth });
      assert.equal(read.status, 200);
      assert.equal(read.body.description, 'Sugar, 5 kg');
      const listed = await call(c, 'GET', `${BASE}/payments?limit=100`, { headers: auth });
      assert.ok(
        listed.body.data.some((p: { id: string }) => p.id === id),
        'C lists it',
      );
      const updated = await call(b, 'PATCH', `${BASE}/payments/${id}`, {
        body: { description: 'Sugar, 10 kg' },
        headers: { ...auth, 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(updated.status, 200);
      assert.equal(
        (await call(c, 'GET', `${BASE}/payments/${id}`, { headers: auth })).body.description,
        'Sugar, 10 kg',
      );
      assert.equal((await call(c, 'DELETE', `${BASE}/payments/${id}`, { headers: auth })).status, 204);
      for (const url of [a, b, c]) {
        assert.equal((await call(url, 'GET', `${BASE}/payments/${id}`, { headers: auth })).status, 404);
      }
    });

    it('a recorded sequence (pending, running, done) advances once across the fleet', async () => {
      const statuses: string[] = [];
      for (const url of [a, b, c, a]) {
        const polled = await call(url, 'GET', `${BASE}/exports/exp_v5mft6my`, { headers: auth });
        assert.equal(polled.status, 200);
        statuses.push(polled.body.status as string);
      }
      assert.deepEqual(statuses, ['pending', 'running', 'done', 'done']);
    });

    it('a refresh token issued by A is accepted by B and C; an unknown one is refused', async () => {
      const issued = await call(a, 'POST', `${BASE}/oauth/token`, {
        body: TOKEN_BODY,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const refresh = issued.body.refresh_token as string;
      assert.match(refresh, /^rt_/);
      for (const url of [b, c]) {
        const refreshed = await call(url, 'POST', `${BASE}/oauth/token`, {
          body: `grant_type=refresh_token&refresh_token=${refresh}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      }
      const unknown = await call(b, 'POST', `${BASE}/oauth/token`, {
        body: 'grant_type=refresh_token&refresh_token=rt_00000000000000000000000000000000',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error, 'invalid_grant');
    });

    it('a burst of reads of one session on one replica shares round trips, and still reads the latest state', async () => {
      const created = await call(a, 'POST', `${BASE}/payments`, {
        body: { method: 'card', amount: { value: 990, currency: 'EUR' }, description: 'Tea', card: CARD },
        headers: auth,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      const scripts = (): number => {
        const info = spawnSync('redis-cli', ['-p', String(redis.port), 'INFO', 'commandstats'], {
          encoding: 'utf8',
        }).stdout;
        return Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0);
      };
      const before = scripts();
      const reads = await Promise.all(
        Array.from({ length: 40 }, () => call(a, 'GET', `${BASE}/payments/${id}`, { headers: auth })),
      );
      const used = scripts() - before;
      for (const read of reads) {
        assert.equal(read.status, 200);
        assert.equal(read.body.description, 'Tea');
      }
      // without sharing: one session load per read, plus journal batches; with it: one per turn,
      // shared by the reads queued behind it (how many queue depends on the timing)
      assert.ok(
        used < 40,
        `40 concurrent reads on one replica ran ${used} scripts (one each without sharing)`,
      );
      // a change on another replica is seen by the next read here
      const updated = await call(b, 'PATCH', `${BASE}/payments/${id}`, {
        body: { description: 'Green tea' },
        headers: auth,
      });
      assert.equal(updated.status, 200);
      assert.equal(
        (await call(a, 'GET', `${BASE}/payments/${id}`, { headers: auth })).body.description,
        'Green tea',
      );
    });

    it('sessions are isolated across the fleet; reset from C clears every replica and the journal', async () => {
      const one = { ...auth, 'x-mockgen-session': 'one' };
      const two = { ...auth, 'x-mockgen-session': 'two' };
      const created = await call(a, 'POST', `${BASE}/payments`, {
        body: {
          method: 'card',
          amount: { value: 100, currency: 'EUR' },
          description: 'in session one',
          card: CARD,
        },
        headers: one,
      });
      assert.equal(created.status, 201);
      const id = created.body.id as string;
      assert.equal((await call(b, 'GET', `${BASE}/payments/${id}`, { headers: one })).status, 200);
      assert.equal((await call(b, 'GET', `${BASE}/payments/${id}`, { headers: two })).status, 404);
      assert.equal((await call(c, 'GET', `${BASE}/payments/${id}`, { headers: auth })).status, 404);
      // the sequence of session two starts at its beginning even though session one advanced it
      await call(a, 'GET', `${BASE}/exports/exp_v5mft6my`, { headers: one });
      assert.equal(
        (await call(b, 'GET', `${BASE}/exports/exp_v5mft6my`, { headers: two })).body.status,
        'pending',
      );

      const journal = await call(b, 'GET', '/__mockgen/requests');
      const urls = (journal.body as { url: string; time: string }[]).map((e) => e.url);
      assert.ok(urls.includes(`${BASE}/payments`), 'B lists the create A answered');
      const times = (journal.body as { time: string }[]).map((e) => Date.parse(e.time));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => x - y),
        'in time order',
      );
      assert.equal((await call(b, 'GET', '/__mockgen/requests?session=one')).body.length, 3);

      assert.equal((await call(c, 'POST', '/__mockgen/reset')).status, 200);
      assert.equal((await call(a, 'GET', `${BASE}/payments/${id}`, { headers: one })).status, 404);
      assert.equal(
        (await call(b, 'GET', `${BASE}/exports/exp_v5mft6my`, { headers: one })).body.status,
        'pending',
      );
      const after = (await call(a, 'GET', '/__mockgen/requests')).body as { url: string }[];
      assert.ok(after.length <= 2, `journal cleared (${after.length} entries since)`);
    });

    it('200 concurrent creates through the proxy get 200 distinct ids and a list of 200', async () => {
      const proxy = await roundRobin(replicas);
      try {
        const answers = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            call(proxy.url, 'POST', `${BASE}/payments`, {
              body: {
                method: 'card',
                amount: { value: i + 1, currency: 'EUR' },
                description: `storm ${i}`,
                card: CARD,
              },
              headers: { ...auth, 'x-mockgen-session': 'storm' },
            }),
          ),
        );
        assert.deepEqual(
          [...new Set(answers.map((r) => r.status))],
          [201],
          JSON.stringify(answers.find((r) => r.status !== 201)?.body),
        );
        const ids = new Set(answers.map((r) => r.body.id as string));
        assert.equal(ids.size, 200);
        const listed = await call(proxy.url, 'GET', `${BASE}/payments?limit=100`, {
          headers: { ...auth, 'x-mockgen-session': 'storm' },
        });
        assert.equal(listed.status, 200);
        const all = new Set<string>();
        let page = listed;
        for (let guard = 0; guard < 10; guard++) {
          for (const p of page.body.data as { id: string }[]) all.add(p.id);
          if (page.body.hasMore !== true) break;
          const last = (page.body.data as { id: string }[]).at(-1)!.id;
          page = await call(proxy.url, 'GET', `${BASE}/payments?limit=100&starting_after=${last}`, {
            headers: { ...auth, 'x-mockgen-session': 'storm' },
          });
        }
        for (const id of ids) assert.ok(all.has(id), `${id} listed`);
      } finally {
        await proxy.close();
      }
    });

    it('Redis lost: stateful requests get 503 problem+json, stateless ones are served; back: it recovers', async () => {
      const port = redis.port;
      await redis.stop();
      await waitFor(
        'a replica to notice',
        async () => (await call(a, 'GET', '/__mockgen/health')).body.storeReachable === false,
      );
      const stateful = await call(a, 'GET', `${BASE}/payments?limit=10`, { headers: auth });
      assert.equal(stateful.status, 503);
      assert.match(stateful.type, /application\/problem\+json/);
      assert.match(stateful.body.detail, /state store/);
      const stateless = await call(b, 'GET', `${BASE}/categories`, { headers: auth });
      assert.equal(stateless.status, 200);
      const health = await call(c, 'GET', '/__mockgen/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'degraded');

      redis = await startRedis(port);
      for (const url of [a, b, c]) {
        await waitFor(
          `${url} to recover`,
          async () => (await call(url, 'GET', `${BASE}/payments?limit=10`, { headers: auth })).status === 200,
        );
      }
      for (const replica of replicas) assert.equal(replica.child.exitCode, null, 'no replica crashed');
    });
  },
);

(hasRedis ? describe : describe.skip)(
  'fleet: token expiry, the journal cap and key prefixes across replicas',
  function () {
    this.timeout(120_000);
    let redis: Redis;
    const replicas: RunningMock[] = [];
    let a: string, b: string, other: string;

    before(async () => {
      redis = await startRedis();
      const dir = path.join(tempDir('fleet-expiry'), 'mock');
      const generated = await runCli(['generate', '--spec', SPEC, '--recordings', HAR, '--out', dir]);
      assert.equal(generated.code, 0, generated.stderr);
      linkNodeModules(dir);
      const env = { MOCKGEN_STORE: redis.url, MOCKGEN_TOKEN_LIFETIME: '3', MOCKGEN_JOURNAL_LIMIT: '5' };
      // A and B are one fleet; `other` is another team's fleet of the same mock on the same Redis
      replicas.push(await bootProject(dir, { ...env, MOCKGEN_STORE_PREFIX: 'team-a:' }));
      replicas.push(await bootProject(dir, { ...env, MOCKGEN_STORE_PREFIX: 'team-a:' }));
      replicas.push(await bootProject(dir, { ...env, MOCKGEN_STORE_PREFIX: 'team-b:' }));
      [a, b, other] = replicas.map((r) => r.url);
    });

    after(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await redis?.stop();
    });

    const issue = async (url: string): Promise<{ token: string; expiresIn: unknown }> => {
      const issued = await call(url, 'POST', `${BASE}/oauth/token`, {
        body: TOKEN_BODY,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      return { token: issued.body.access_token as string, expiresIn: issued.body.expires_in };
    };

    it('a token issued by A is accepted by B, and refused by A and B once it expired', async () => {
      const { token, expiresIn } = await issue(a);
      assert.equal(expiresIn, 3, 'MOCKGEN_TOKEN_LIFETIME sets expires_in');
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await call(b, 'GET', `${BASE}/payments?limit=1`, { headers: auth })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 3300));
      for (const url of [a, b]) {
        const refused = await call(url, 'GET', `${BASE}/payments?limit=1`, { headers: auth });
        assert.equal(refused.status, 401, `${url}: ${JSON.stringify(refused.body)}`);
      }
    });

    it('the journal keeps the fleet’s last MOCKGEN_JOURNAL_LIMIT requests, in time order', async () => {
      assert.equal((await call(a, 'POST', '/__mockgen/reset')).status, 200);
      for (let i = 0; i < 12; i++) {
        const res = await call(i % 2 === 0 ? a : b, 'GET', `${BASE}/categories?i=${i}`);
        assert.ok(res.status < 500);
      }
      // each replica sends its entries within 10 ms; a loaded CI machine may delay that timer
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const url of [a, b]) {
        const journal = (await call(url, 'GET', '/__mockgen/requests')).body as { url: string }[];
        assert.deepEqual(
          journal.map((e) => e.url),
          [7, 8, 9, 10, 11].map((i) => `${BASE}/categories?i=${i}`),
        );
      }
    });

    it('a key prefix separates two fleets on one Redis: creates, journal and reset stay apart', async () => {
      const { token } = await issue(a);
      const auth = { authorization: `Bearer ${token}` };
      const created = await call(a, 'POST', `${BASE}/payments`, {
        body: { method: 'card', amount: { value: 700, currency: 'EUR' }, description: 'team a', card: CARD },
        headers: auth,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      assert.equal((await call(b, 'GET', `${BASE}/payments/${id}`, { headers: auth })).status, 200);
      const { token: otherToken } = await issue(other);
      const otherAuth = { authorization: `Bearer ${otherToken}` };
      assert.equal((await call(other, 'GET', `${BASE}/payments/${id}`, { headers: otherAuth })).status, 404);
      assert.equal((await call(other, 'POST', '/__mockgen/reset')).status, 200);
      assert.equal((await call(b, 'GET', `${BASE}/payments/${id}`, { headers: auth })).status, 200);
      const keys = (
        spawnSync('redis-cli', ['-p', String(redis.port), '--raw', 'KEYS', '*'], { encoding: 'utf8' })
          .stdout ?? ''
      )
        .split('\n')
        .filter(Boolean);
      assert.ok(keys.length > 0, 'redis-cli lists the fleets’ keys');
      for (const key of keys) assert.match(key, /^team-[ab]:[0-9a-f]{12}:/, key);
    });
  },
);

(hasRedis ? describe : describe.skip)('fleet: startup with an unreachable Redis', function () {
  this.timeout(60_000);

  it('exits 1 with a message naming the URL, password masked', async () => {
    const dir = path.join(tempDir('fleet-down'), 'mock');
    assert.equal((await runCli(['generate', '--spec', 'specs/petstore/openapi.yaml', '--out', dir])).code, 0);
    linkNodeModules(dir);
    const port = await freePort();
    const result = spawnSync(
      process.execPath,
      ['dist/runtime/main.js', '--port', '0', '--store', `redis://ops:s3cret@127.0.0.1:${port}/2`],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`cannot reach the Redis store at redis://ops:\\*\\*\\*@127\\.0\\.0\\.1:${port}/2`),
    );
    assert.doesNotMatch(result.stderr + result.stdout, /s3cret/);
  });
});
