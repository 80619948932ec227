import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Octokit as OctokitClass } from '@octokit/rest';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

const SPEC = 'node_modules/@octokit/openapi/generated/api.github.com.json';

/** @octokit/rest is ESM-only; Node 20.19+ loads its synchronous graph with require(). */
function loadOctokit(): typeof OctokitClass {
  return (require('@octokit/rest') as { Octokit: typeof OctokitClass }).Octokit;
}

describe('e2e: the official GitHub SDK (Octokit) against a mock of api.github.com', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let octokit: OctokitClass;
  const seen: { method: string; url: string; accept: string; status: number }[] = [];
  const repo = { owner: 'octo-org', repo: 'hello-world' };

  before(async function () {
    if (!fs.existsSync(path.join(repoRoot, SPEC))) this.skip();
    out = path.join(tempDir('sdk-github'), 'mock');
    mock = await generateAndBoot(['--spec', SPEC], out);
    const Octokit = loadOctokit();
    octokit = new Octokit({
      auth: 'ghp_mockgenTestToken0000000000000000000000',
      baseUrl: mock.url,
      retry: { enabled: false },
    });
    octokit.hook.after('request', (response, options) => {
      seen.push({
        method: options.method,
        url: response.url,
        accept: String(options.headers.accept ?? ''),
        status: response.status,
      });
    });
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('reads the authenticated user, a repository and repository lists', async () => {
    const user = await octokit.users.getAuthenticated();
    assert.equal(user.status, 200);
    assert.equal(typeof user.data.login, 'string');
    assert.equal(typeof user.data.id, 'number');

    const got = await octokit.repos.get(repo);
    assert.equal(got.status, 200);
    assert.equal(typeof got.data.full_name, 'string');
    assert.equal(typeof got.data.owner.login, 'string');

    const forOrg = await octokit.repos.listForOrg({ org: 'octo-org', per_page: 10 });
    assert.equal(forOrg.status, 200);
    assert.ok(Array.isArray(forOrg.data));
    const mine = await octokit.repos.listForAuthenticatedUser({ visibility: 'all' });
    assert.equal(mine.status, 200);
    assert.ok(Array.isArray(mine.data));
  });

  it('paginates with Link headers that lead back to the mock, and ends', async () => {
    const before = seen.length;
    const forks = await octokit.paginate(octokit.repos.listForks, { ...repo, per_page: 2 });
    assert.ok(Array.isArray(forks));
    const pages = seen.slice(before);
    // the documented example links to api.github.com: followed, it would have left the mock
    assert.ok(pages.length >= 2, `paginate followed ${pages.length} page(s)`);
    assert.ok(pages.length <= 3, `paginate followed ${pages.length} pages`);
    for (const page of pages) assert.ok(page.url.startsWith(mock.url), page.url);
    assert.match(pages[1].url, /\/repos\/octo-org\/hello-world\/forks\?.*page=2/);
    assert.match(pages[1].url, /per_page=2/);
  });

  it('serves documented examples with their values, not Example objects, for ids it never held', async () => {
    const issue = await octokit.issues.get({ ...repo, issue_number: 7 });
    assert.equal(issue.status, 200);
    assert.equal(issue.data.number, 7);
    assert.equal(typeof issue.data.title, 'string');
    assert.equal('value' in issue.data, false);
  });

  it('creates an issue, reads back what it created, updates it and lists it', async () => {
    const created = await octokit.issues.create({
      ...repo,
      title: 'Login page crashes',
      body: 'Steps: open /login',
      labels: ['bug'],
    });
    assert.equal(created.status, 201);
    assert.equal(created.data.title, 'Login page crashes');
    assert.equal(created.data.body, 'Steps: open /login');
    assert.equal(typeof created.data.number, 'number');
    const number = created.data.number;

    const read = await octokit.issues.get({ ...repo, issue_number: number });
    assert.equal(read.status, 200);
    assert.equal(read.data.number, number);
    assert.equal(read.data.title, 'Login page crashes');
    assert.equal(read.data.body, 'Steps: open /login');

    const updated = await octokit.issues.update({
      ...repo,
      issue_number: number,
      state: 'closed',
      title: 'Login crash',
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.data.state, 'closed');
    assert.equal(updated.data.title, 'Login crash');
    assert.equal(updated.data.body, 'Steps: open /login');

    const again = await octokit.issues.get({ ...repo, issue_number: number });
    assert.equal(again.data.state, 'closed');
    assert.equal(again.data.title, 'Login crash');

    for (const state of ['all', 'closed'] as const) {
      const listed = await octokit.issues.listForRepo({ ...repo, state });
      assert.equal(listed.status, 200);
      const mineListed = listed.data.find((i) => i.number === number);
      assert.ok(mineListed, `issues.listForRepo(state=${state}) lists the created issue`);
      assert.equal(mineListed.title, 'Login crash');
    }
    const open = await octokit.issues.listForRepo({ ...repo, state: 'open' });
    assert.equal(
      open.data.some((i) => i.number === number),
      false,
      'state=open filters the closed issue out',
    );
  });

  it('routes a file path with slashes and lists pull requests', async () => {
    const content = await octokit.repos.getContent({ ...repo, path: 'src/lib/index.ts' });
    assert.equal(content.status, 200);
    assert.ok(content.data !== null && typeof content.data === 'object');
    // Octokit encodes the slashes (`src%2Flib%2Findex.ts`); other clients send them as they are
    assert.ok(seen.some((s) => s.url.endsWith('/contents/src%2Flib%2Findex.ts') && s.status === 200));
    const raw = await octokit.request('GET /repos/octo-org/hello-world/contents/src/lib/index.ts');
    assert.equal(raw.status, 200);
    assert.ok(raw.data !== null && typeof raw.data === 'object');

    const pulls = await octokit.pulls.list({ ...repo, state: 'open' });
    assert.equal(pulls.status, 200);
    assert.ok(Array.isArray(pulls.data));
  });

  it('accepts the vendor media types Octokit sends', async () => {
    for (const accept of ['application/vnd.github.v3+json', 'application/vnd.github+json']) {
      const res = await octokit.request('GET /repos/{owner}/{repo}', { ...repo, headers: { accept } });
      assert.equal(res.status, 200, accept);
      assert.equal(typeof res.data.full_name, 'string');
      assert.match(String(res.headers['content-type']), /json/);
    }
    assert.ok(seen.length > 0 && seen.every((s) => s.accept.includes('application/vnd.github')));
  });
});
