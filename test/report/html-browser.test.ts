import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toHar } from '../drift/from-examples';
import type { ExchangeInit } from '../drift/helpers';

/**
 * The HTML report in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it): it loads
 * from file:// without console errors or any request, shows the JSON report's counts, filters, and
 * shows a hostile operation name as text.
 */

const bin = path.resolve(__dirname, '../../../bin/mockgen.js');
const spec = path.join(process.cwd(), 'test', 'fixtures', 'drift', 'petstore-30.yaml');

/** `CHROMIUM_PATH`, else `chromium` / `chromium-browser` on the PATH; a missing browser fails the test. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = path.join(dir, name);
      if (dir !== '' && fs.existsSync(file)) return file;
    }
  }
  throw new Error(
    'No Chromium found for the HTML report test: install it (Debian: apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.',
  );
}

function mockgen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'drift', ...args],
      { env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number) : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

const hostilePath = `/v1/x</script><img src=x onerror="window.__owned=1"><b>bold</b>`;
const pet = { id: 1, name: 'Rex', status: 'available', createdAt: '2024-01-01T10:00:00Z' };
const accepted: ExchangeInit[] = [
  { path: '/v1/pets/2', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
  { path: '/v1/old-endpoint' },
];
const traffic: ExchangeInit[] = [
  {
    path: '/v1/pets',
    query: [['limit', '5']],
    headers: [['X-Api-Key', 'k-1']],
    responseHeaders: [['X-Rate-Limit', '10']],
    responseBody: [pet],
  },
  { path: '/v1/pets/2', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
  { path: '/v1/pets/3', responseBody: { ...pet, owner: { name: 'A', email: 'n/a' } } },
  { path: '/v1/pets/4', responseBody: { ...pet, colour: 'brown' } },
  { path: hostilePath },
];

interface JsonReport {
  findings: { kind: string; severity: string; operation: string }[];
  summary: { entries: number };
  coverage: { totals: Record<string, { covered: number; total: number; percent: number | null }> };
  baseline: { new: unknown[]; stillPresent: unknown[]; fixed: unknown[] };
}

describe('html report in a headless browser', function () {
  this.timeout(120000);
  let dir: string;
  let browser: Browser;
  let json: JsonReport;
  let url: string;

  before(async () => {
    const executablePath = findChromium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-html-'));
    fs.writeFileSync(path.join(dir, 'accepted.har'), JSON.stringify(toHar(accepted)));
    fs.writeFileSync(path.join(dir, 'traffic.har'), JSON.stringify(toHar(traffic)));
    const baseline = path.join(dir, 'baseline.json');
    const written = await mockgen([
      '--spec',
      spec,
      '--recordings',
      path.join(dir, 'accepted.har'),
      '--write-baseline',
      baseline,
      '--format',
      'json',
    ]);
    assert.equal(written.code, 0, written.stderr);
    const common = ['--spec', spec, '--recordings', path.join(dir, 'traffic.har'), '--baseline', baseline];
    const asJson = await mockgen([...common, '--format', 'json']);
    assert.equal(asJson.code, 1, asJson.stderr);
    json = JSON.parse(asJson.stdout) as JsonReport;
    const html = path.join(dir, 'out', 'report.html');
    const asHtml = await mockgen([...common, '--format', 'html', '--output', html]);
    assert.equal(asHtml.code, 1, asHtml.stderr);
    url = pathToFileURL(html).href;
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A page on the report, recording console errors, page errors, dialogs and every request. */
  async function open(): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const context = await browser.newContext();
    const problems: string[] = [];
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const target = route.request().url();
      if (target === url) return route.continue();
      requests.push(target);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('#shown-count');
    return { page, problems, requests };
  }

  it('loads from file:// with no console errors and no request besides the file itself', async () => {
    const { page, problems, requests } = await open();
    await page.waitForTimeout(200);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
    assert.equal(await page.title(), `mockgen drift: ${spec}`);
    await page.context().close();
  });

  it('shows the counts of the JSON report: findings, entries, coverage, baseline diff', async () => {
    const { page } = await open();
    const text = (selector: string) => page.locator(selector).innerText();
    const errors = json.findings.filter((f) => f.severity === 'error').length;
    const warnings = json.findings.filter((f) => f.severity === 'warning').length;
    assert.ok(errors > 0 && warnings > 0);
    assert.equal(await text('#count-errors'), String(errors));
    assert.equal(await text('#count-warnings'), String(warnings));
    assert.equal(await text('#count-entries'), String(json.summary.entries));
    for (const dimension of ['operations', 'parameters', 'responses', 'properties']) {
      const c = json.coverage.totals[dimension];
      assert.equal(
        (await text(`#coverage-${dimension}`)).trim(),
        c.percent === null ? '–' : `${c.percent}%`,
        dimension,
      );
    }
    assert.equal(await text('#baseline-new'), String(json.baseline.new.length));
    assert.equal(await text('#baseline-still'), String(json.baseline.stillPresent.length));
    assert.equal(await text('#baseline-fixed'), String(json.baseline.fixed.length));
    assert.deepEqual(
      [json.baseline.new.length, json.baseline.stillPresent.length, json.baseline.fixed.length],
      [2, 1, 1],
    );
    assert.match(await text('#baseline-fixed-list'), /old-endpoint/);
    const findings = json.findings.length;
    const rows = await page.locator('tr.finding').count();
    assert.equal(
      await text('#shown-count'),
      `Showing ${rows} of ${rows} groups (${findings} of ${findings} findings)`,
    );
    assert.equal(await page.locator('#coverage-table tr.coverage-row').count(), 5);
    assert.equal(await page.locator('#coverage-chart rect.track').count(), 5 * 3);
    await page.context().close();
  });

  it('filtering by kind hides the other rows; by severity and operation text too', async () => {
    const { page, problems } = await open();
    const visibleKinds = () =>
      page
        .locator('tr.finding:visible')
        .evaluateAll((rows) => rows.map((r) => r.closest('.kind')!.querySelector('h4 .code')!.textContent));
    const before = await visibleKinds();
    assert.ok(new Set(before).size >= 2, before.join());
    await page.selectOption('#filter-kind', 'undocumented-path');
    assert.deepEqual(await visibleKinds(), ['undocumented-path']);
    assert.match(
      await page.locator('#shown-count').innerText(),
      /^Showing 1 of \d+ groups \(1 of \d+ findings\)$/,
    );
    // sections without a visible row are hidden as well
    assert.equal(await page.locator('section.operation:visible').count(), 1);
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-severity', 'warning');
    assert.deepEqual(await visibleKinds(), ['invalid-response-body']);
    assert.equal(await page.locator('tr.finding:visible .sev.error').count(), 0);
    await page.selectOption('#filter-severity', '');
    await page.fill('#filter-operation', 'PETS/{petId}');
    const ops = await page
      .locator('section.operation:visible h3')
      .evaluateAll((hs) => hs.map((h) => h.firstChild!.textContent));
    assert.deepEqual(ops, ['GET /pets/{petId}']);
    await page.fill('#filter-operation', 'no such operation');
    assert.equal(await page.locator('tr.finding:visible').count(), 0);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('a hostile operation name is shown as text: no element, no script, no dialog', async () => {
    const { page, problems, requests } = await open();
    const headings = await page
      .locator('section.operation h3')
      .evaluateAll((hs) => hs.map((h) => h.firstChild!.textContent));
    assert.ok(headings.includes(`GET ${hostilePath}`), headings.join('\n'));
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('#app b').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as { __owned?: number }).__owned), undefined);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
    await page.context().close();
  });
});
