import assert from 'node:assert/strict';
import { Journal, type JournalEntry } from '../../templates/runtime/journal';
import { delay, eventIntervalMs, latencyMs, sampleProfile } from '../../templates/runtime/latency';
import { explainMiss, findRecordedResponse, matchRecording } from '../../templates/runtime/replay';
import type { Manifest, OperationData } from '../../templates/runtime/core/types';
import { manifest, op, recorded, recording, request } from '../fixtures/runtime-behaviour/helpers';
import { MemoryStore } from '../../templates/runtime/store/memory-store';

// the sessions these tests work on: a store of their own
const store = new MemoryStore();
const getSession = (name: string) => store.session(name);
const resetSessions = (name?: string) => store.reset(name);

let journal = new Journal();
const recordRequest = (entry: JournalEntry) => journal.recordAt(Date.parse(entry.time), entry);
const getJournal = (filter?: { session?: string }) => journal.entries(filter);
const clearJournal = () => journal.clear();
const setJournalLimit = (max: number | undefined) => {
  journal = new Journal(max);
};

const jobOp: OperationData = op({
  id: 'getJob',
  path: '/jobs/{jobId}',
  recordings: [
    recording({ pathParams: { jobId: '7' } }, [
      recorded(200, { id: 7, status: 'pending' }),
      recorded(200, { id: 7, status: 'running' }),
      recorded(200, { id: 7, status: 'done', finishedAt: { $tpl: '{{now 0 "iso"}}' } }),
    ]),
    recording({ pathParams: { jobId: '8' } }, [recorded(404, { message: 'not found' })]),
  ],
});

function jobRequest(id: string, session = '') {
  return request({ path: `/jobs/${id}`, pathParams: { jobId: id }, session });
}

function statuses(o: OperationData, m: Manifest, n: number, session = 'seq'): unknown[] {
  const s = getSession(session);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const res = findRecordedResponse(o, jobRequest('7', session), s, m);
    out.push(res === undefined ? undefined : (res.body as { status: string }).status);
  }
  return out;
}

describe('runtime behaviour: replay', () => {
  beforeEach(() => resetSessions());

  it('replays a sequence then stays on the last response (repeat-last)', () => {
    assert.deepEqual(statuses(jobOp, manifest(), 5), ['pending', 'running', 'done', 'done', 'done']);
  });

  it('loops, or falls back to examples, per sequencePolicy', () => {
    assert.deepEqual(statuses(jobOp, manifest({ sequencePolicy: 'loop' }), 5), [
      'pending',
      'running',
      'done',
      'pending',
      'running',
    ]);
    resetSessions();
    assert.deepEqual(statuses(jobOp, manifest({ sequencePolicy: 'fallback' }), 4), [
      'pending',
      'running',
      'done',
      undefined,
    ]);
  });

  it('a single recorded response repeats even with the fallback policy', () => {
    const s = getSession('single');
    const m = manifest({ sequencePolicy: 'fallback' });
    for (let i = 0; i < 3; i++) assert.equal(findRecordedResponse(jobOp, jobRequest('8'), s, m)?.status, 404);
  });

  it('keeps sequences per session, and reset starts them over', () => {
    const m = manifest();
    assert.deepEqual(statuses(jobOp, m, 2, 'a'), ['pending', 'running']);
    assert.deepEqual(statuses(jobOp, m, 1, 'b'), ['pending']);
    assert.deepEqual(statuses(jobOp, m, 1, 'a'), ['done']);
    resetSessions('a');
    assert.deepEqual(statuses(jobOp, m, 1, 'a'), ['pending']);
    assert.deepEqual(statuses(jobOp, m, 1, 'b'), ['running']);
  });

  it('renders templates in recorded bodies and keeps recorded headers', () => {
    const o = op({
      recordings: [
        recording({}, [
          recorded(
            200,
            { at: { $tpl: '{{now 0 "iso"}}' } },
            {
              headers: [
                ['X-Rate-Limit', '10'],
                ['Link', '<a>'],
                ['link', '<b>'],
              ],
            },
          ),
        ]),
      ],
    });
    const res = findRecordedResponse(o, request(), getSession(''), manifest());
    assert.ok(res);
    assert.equal(res.source, `recording:${o.recordings[0].responses[0].entry}`);
    assert.deepEqual(res.headers, { 'x-rate-limit': '10', link: ['<a>', '<b>'] });
    assert.ok(Math.abs(Date.parse((res.body as { at: string }).at) - Date.now()) < 5000);
  });

  it('serves text and binary bodies raw', () => {
    const o = op({
      recordings: [
        recording({ query: [['f', 'txt']] }, [
          recorded(200, undefined, { mediaType: 'text/csv', text: 'a,b\n1,2' }),
        ]),
        recording({ query: [['f', 'bin']] }, [
          recorded(200, undefined, {
            mediaType: 'image/png',
            base64: Buffer.from([137, 80, 78, 71]).toString('base64'),
          }),
        ]),
      ],
    });
    const s = getSession('');
    assert.equal(findRecordedResponse(o, request({ query: [['f', 'txt']] }), s, manifest())?.raw, 'a,b\n1,2');
    const bin = findRecordedResponse(o, request({ query: [['f', 'bin']] }), s, manifest())?.raw;
    assert.ok(Buffer.isBuffer(bin));
    assert.deepEqual([...bin], [137, 80, 78, 71]);
  });

  describe('scoring', () => {
    const searchOp = op({
      id: 'search',
      method: 'post',
      recordings: [
        recording({ query: [['page', '1']] }, [recorded(200, { page: 1 })]),
        recording({ query: [['page', '2']] }, [recorded(200, { page: 2 })]),
        recording({ query: [['page', '2']], headers: { accept: 'text/csv' } }, [
          recorded(200, { page: '2csv' }),
        ]),
        recording({ query: [], body: { q: 'cats', limit: 5, nonce: 'a' } }, [recorded(200, { r: 'cats' })]),
        recording({ query: [], body: { q: 'dogs', limit: 5, nonce: 'b' } }, [recorded(200, { r: 'dogs' })]),
        recording({ pathParams: { id: '1' } }, [recorded(200, { r: 'id1' })]),
      ],
    });
    const cases: [string, Parameters<typeof request>[0], number][] = [
      ['exact query', { query: [['page', '2']] }, 1],
      ['header breaks the tie', { query: [['page', '2']], headers: { accept: 'text/csv' } }, 2],
      [
        'tie goes to the first recorded',
        { query: [['page', '2']], headers: { accept: 'application/json' } },
        1,
      ],
      ['query value conflict excludes', { query: [['page', '3']] }, -1],
      [
        'extra query parameter is tolerated',
        {
          query: [
            ['page', '1'],
            ['_', '123'],
          ],
        },
        0,
      ],
      ['body overlap wins over another body', { body: { q: 'dogs', limit: 5, nonce: 'zzz' } }, 4],
      ['deep-equal body', { body: { q: 'cats', limit: 5, nonce: 'a' } }, 3],
      ['path parameters must match', { pathParams: { id: '2' }, query: [['page', '1']] }, 0],
      ['matching path parameter', { pathParams: { id: '1' } }, 5],
    ];
    for (const [name, overrides, want] of cases) {
      it(name, () => assert.equal(matchRecording(searchOp, request(overrides)), want));
    }

    it('a totally different body is below the minimum score', () => {
      const o = op({ recordings: [recording({ body: { a: 1, b: 2, c: 3, d: 4 } }, [recorded(200, {})])] });
      assert.equal(matchRecording(o, request({ body: { a: 9, b: 9, c: 9, d: 9 } })), -1);
      assert.equal(matchRecording(o, request({ body: { a: 1, b: 2, c: 3, d: 9 } })), 0);
    });

    it('stateful creates need the recorded body exactly', () => {
      const create = op({
        method: 'post',
        resource: { resource: 'orders', role: 'create' },
        recordings: [recording({ body: { item: 'A', qty: 1 } }, [recorded(201, { id: 1 })])],
      });
      assert.equal(matchRecording(create, request({ body: { item: 'A', qty: 1 } })), 0);
      assert.equal(matchRecording(create, request({ body: { item: 'A', qty: 2 } })), -1);
    });

    it('explains matches and misses in one ASCII line', () => {
      assert.match(
        explainMiss(searchOp, request({ query: [['page', '2']] })),
        /^matched entry \d+ of search \(score 2\)$/,
      );
      const miss = explainMiss(jobOp, jobRequest('9'));
      assert.match(
        miss,
        /no recording of getJob matched; closest was entry \d+, which differs in path parameter jobId \(recorded "7", sent "9"\)/,
      );
      const unicode = explainMiss(searchOp, request({ query: [['page', 'é\n']] }));
      assert.match(unicode, /^[\x20-\x7e]+$/);
      assert.match(unicode, /query page/);
      assert.equal(explainMiss(op({ id: 'x' }), request()), 'no recordings for x');
    });
  });
});

describe('runtime behaviour: sessions and journal', () => {
  it('isolates sessions and resets one or all', () => {
    resetSessions();
    getSession('a').sequences.set('k', 1);
    getSession('b').sequences.set('k', 2);
    assert.equal(getSession('a').sequences.get('k'), 1);
    resetSessions('a');
    assert.equal(getSession('a').sequences.get('k'), undefined);
    assert.equal(getSession('b').sequences.get('k'), 2);
    resetSessions();
    assert.equal(getSession('b').sequences.get('k'), undefined);
  });

  function entry(i: number, session = ''): JournalEntry {
    return {
      time: new Date().toISOString(),
      session,
      method: 'GET',
      url: `/x/${i}`,
      status: 200,
      source: 'generated',
      durationMs: 1,
    };
  }

  it('records, filters by session and keeps only the most recent entries', () => {
    setJournalLimit(3);
    for (let i = 0; i < 5; i++) recordRequest(entry(i, i % 2 === 0 ? 'even' : 'odd'));
    assert.deepEqual(
      getJournal().map((e) => e.url),
      ['/x/2', '/x/3', '/x/4'],
    );
    assert.deepEqual(
      getJournal({ session: 'even' }).map((e) => e.url),
      ['/x/2', '/x/4'],
    );
    getJournal()[0].url = 'mutated';
    assert.equal(getJournal()[0].url, '/x/2');
    clearJournal();
    assert.deepEqual(getJournal(), []);
    setJournalLimit(undefined);
  });
});

describe('runtime behaviour: latency', () => {
  const m = manifest({ defaultLatency: { ms: [5, 10, 20], samples: 0 } });
  const profiled = op({ latency: { ms: [100, 150, 200, 400, 1000], samples: 50 } });

  it('samples recorded quantiles by inverse-CDF interpolation', () => {
    assert.equal(sampleProfile({ ms: [100, 200, 400], samples: 3 }, 0), 100);
    assert.equal(sampleProfile({ ms: [100, 200, 400], samples: 3 }, 0.25), 150);
    assert.equal(sampleProfile({ ms: [100, 200, 400], samples: 3 }, 0.75), 300);
    assert.equal(sampleProfile({ ms: [100, 200, 400], samples: 3 }, 1), 400);
    assert.equal(sampleProfile({ ms: [42], samples: 1 }, 0.5), 42);
    assert.equal(sampleProfile({ ms: [], samples: 0 }, 0.5), 0);
  });

  it('recorded mode stays within the quantile range and follows the distribution', () => {
    const samples = Array.from({ length: 2000 }, () => latencyMs(profiled, m, {}));
    assert.ok(samples.every((ms) => ms >= 100 && ms <= 1000));
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[1000];
    assert.ok(median > 170 && median < 230, `median ${median}`);
    const fallback = Array.from({ length: 200 }, () => latencyMs(op(), m, { MOCKGEN_LATENCY: 'recorded' }));
    assert.ok(fallback.every((ms) => ms >= 5 && ms <= 20));
  });

  const modes: [string, NodeJS.ProcessEnv, (ms: number) => boolean][] = [
    ['off', { MOCKGEN_LATENCY: 'off' }, (ms) => ms === 0],
    ['0', { MOCKGEN_LATENCY: '0' }, (ms) => ms === 0],
    ['fixed', { MOCKGEN_LATENCY: '250' }, (ms) => ms === 250],
    ['fixed with unit', { MOCKGEN_LATENCY: '75ms' }, (ms) => ms === 75],
    ['range', { MOCKGEN_LATENCY: '50-60' }, (ms) => ms >= 50 && ms <= 60],
    ['scaled fixed', { MOCKGEN_LATENCY: '250', MOCKGEN_LATENCY_SCALE: '0.1' }, (ms) => ms === 25],
    ['scaled recorded', { MOCKGEN_LATENCY_SCALE: '0.01' }, (ms) => ms >= 1 && ms <= 10],
    ['scale 0', { MOCKGEN_LATENCY_SCALE: '0' }, (ms) => ms === 0],
    [
      'invalid values fall back to recorded',
      { MOCKGEN_LATENCY: 'fast', MOCKGEN_LATENCY_SCALE: 'x' },
      (ms) => ms >= 100,
    ],
  ];
  for (const [name, env, ok] of modes) {
    it(`mode ${name}`, () => {
      for (let i = 0; i < 20; i++) {
        const ms = latencyMs(profiled, m, env);
        assert.ok(ok(ms), `${name}: ${ms}`);
      }
    });
  }

  it('paces streamed events: MOCKGEN_EVENT_INTERVAL, else a short default, none with latency off', () => {
    assert.equal(eventIntervalMs({}), 25);
    assert.equal(eventIntervalMs({ MOCKGEN_LATENCY: 'off' }), 0);
    assert.equal(eventIntervalMs({ MOCKGEN_LATENCY: 'off', MOCKGEN_EVENT_INTERVAL: '40ms' }), 40);
    assert.equal(eventIntervalMs({ MOCKGEN_EVENT_INTERVAL: '0' }), 0);
    assert.equal(eventIntervalMs({ MOCKGEN_EVENT_INTERVAL: '100', MOCKGEN_LATENCY_SCALE: '0.5' }), 50);
    assert.equal(eventIntervalMs({ MOCKGEN_EVENT_INTERVAL: 'soon' }), 25, 'unreadable: the default');
  });

  it('delay(0) resolves without a timer; delay(n) waits about n ms', async () => {
    let resolved = false;
    const p = delay(0).then(() => (resolved = true));
    await Promise.resolve();
    assert.equal(resolved, true);
    await p;
    const start = Date.now();
    await delay(30);
    assert.ok(Date.now() - start >= 25);
  });
});
