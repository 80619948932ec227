/**
 * Realistic response time: delays measured over HTTP follow the recorded timings, and each
 * MOCKGEN_LATENCY mode does what the README says.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootProject, compileProject, linkNodeModules, repoRoot, runCli, tempDir } from '../helpers/project';

const SPEC = path.join(repoRoot, 'test/fixtures/latency/ping.yaml');

/** 30 recorded GET /ping exchanges whose server time (timings.wait) spreads evenly over 100–200 ms. */
function writeHar(file: string): void {
  const entries = Array.from({ length: 30 }, (_, i) => {
    const wait = 100 + Math.round((100 * i) / 29);
    return {
      startedDateTime: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1000).toISOString(),
      time: wait + 2,
      request: {
        method: 'GET',
        url: 'http://api.test/ping',
        httpVersion: 'HTTP/1.1',
        headers: [],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'content-type', value: 'application/json' }],
        cookies: [],
        content: { size: 15, mimeType: 'application/json', text: '{"status":"ok"}' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 15,
      },
      cache: {},
      timings: { send: 1, wait, receive: 1 },
    };
  });
  fs.writeFileSync(
    file,
    JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } }),
  );
}

async function measure(url: string, count: number): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(url);
    await res.text();
    assert.equal(res.status, 200);
    delays.push(performance.now() - started);
  }
  return delays.sort((a, b) => a - b);
}

describe('e2e: latency modelled from recorded timings', function () {
  this.timeout(180000);
  let work: string;
  let out: string;

  before(async () => {
    work = tempDir('latency');
    const har = path.join(work, 'timing.har');
    writeHar(har);
    out = path.join(work, 'mock');
    const result = await runCli(['generate', '--spec', SPEC, '--recordings', har, '--out', out, '--quiet']);
    assert.equal(result.code, 0, result.stderr);
    linkNodeModules(out);
    assert.equal(compileProject(out), '');
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const modes: {
    name: string;
    env: NodeJS.ProcessEnv;
    min: number;
    max: number;
    median: [number, number];
  }[] = [
    // the recorded quantiles span 100–200 ms; loopback and the event loop add a little on top
    { name: 'recorded (default)', env: {}, min: 95, max: 260, median: [120, 200] },
    {
      name: 'recorded, scaled by 0.5',
      env: { MOCKGEN_LATENCY_SCALE: '0.5' },
      min: 45,
      max: 140,
      median: [60, 110],
    },
    { name: 'fixed 40 ms', env: { MOCKGEN_LATENCY: '40' }, min: 38, max: 120, median: [38, 90] },
    { name: 'off', env: { MOCKGEN_LATENCY: 'off' }, min: 0, max: 60, median: [0, 25] },
  ];
  for (const mode of modes) {
    it(`MOCKGEN_LATENCY ${mode.name}: delays within tolerance of the expected range`, async () => {
      const env: NodeJS.ProcessEnv = { MOCKGEN_LATENCY: 'recorded', ...mode.env };
      const mock = await bootProject(out, env);
      try {
        await measure(`${mock.url}/ping`, 2); // warm-up
        const delays = await measure(`${mock.url}/ping`, 16);
        // the same round trip without a modelled delay, measured in the same run: on a loaded machine
        // scheduling adds its own tens of ms, which is not the mock's latency model
        const overhead = await measure(`${mock.url}/__mockgen/health`, 16);
        const slack = Math.max(0, overhead[overhead.length - 1] - 20);
        const median = delays[Math.floor(delays.length / 2)];
        assert.ok(delays[0] >= mode.min, `fastest ${delays[0].toFixed(1)} ms < ${mode.min} ms`);
        assert.ok(
          delays[delays.length - 1] <= mode.max + slack,
          `slowest ${delays[delays.length - 1].toFixed(1)} ms > ${mode.max} ms + ${slack.toFixed(1)} ms scheduling`,
        );
        assert.ok(
          median >= mode.median[0] && median <= mode.median[1],
          `median ${median.toFixed(1)} ms outside ${mode.median}`,
        );
      } finally {
        await mock.stop();
      }
    });
  }
});
