/**
 * A client session recorded against production (specs/secure/recordings/app-flow.har) replayed against
 * the mock generated from it: every step returns what production returned, except the values that
 * must be fresh (tokens, timestamps), which are fresh and valid.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

interface HarEntry {
  startedDateTime: string;
  request: {
    method: string;
    url: string;
    headers: { name: string; value: string }[];
    postData?: { mimeType: string; text?: string };
  };
  response: { status: number; content: { mimeType: string; text?: string } };
}

const SPEC = 'specs/secure/openapi.yaml';
const HAR = 'specs/secure/recordings/app-flow.har';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** what fetch sets itself, and credentials the flow replaces */
const SKIPPED_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'accept-encoding',
  'cookie',
  'transfer-encoding',
]);
/** opaque tokens: fresh, keeping their type prefix (`rt_`, `sk_live_`) */
const OPAQUE_TOKEN_KEY = /(^|_)(access|refresh|id)?_?token$/i;

function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Compares a mock body with the recorded one; fresh values must be fresh, everything else equal. */
function compare(
  recorded: unknown,
  actual: unknown,
  recordedAt: number,
  pointer: string,
  problems: string[],
): void {
  if (typeof recorded === 'string' && ISO.test(recorded)) {
    if (typeof actual !== 'string' || !ISO.test(actual)) {
      problems.push(`${pointer}: expected a timestamp, got ${JSON.stringify(actual)}`);
      return;
    }
    // shifted to now, keeping the recorded offset from the exchange's time
    const expected = Date.now() + (Date.parse(recorded) - recordedAt);
    if (Math.abs(Date.parse(actual) - expected) > 5 * 60 * 1000) {
      problems.push(`${pointer}: timestamp ${actual} is not near ${new Date(expected).toISOString()}`);
    }
    return;
  }
  if (typeof recorded === 'string' && JWT.test(recorded) && recorded.startsWith('eyJ')) {
    if (typeof actual !== 'string' || !JWT.test(actual)) {
      problems.push(`${pointer}: expected a JWT, got ${JSON.stringify(actual)}`);
      return;
    }
    const claims = decodeJwtPayload(actual);
    const recordedClaims = decodeJwtPayload(recorded);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
      problems.push(`${pointer}: JWT exp is not in the future`);
    for (const claim of ['iss', 'sub', 'aud', 'scope']) {
      if (
        claim in recordedClaims &&
        JSON.stringify(claims[claim]) !== JSON.stringify(recordedClaims[claim])
      ) {
        problems.push(`${pointer}: JWT claim ${claim} changed`);
      }
    }
    return;
  }
  const key = pointer.slice(pointer.lastIndexOf('/') + 1);
  if (typeof recorded === 'string' && OPAQUE_TOKEN_KEY.test(key)) {
    const prefix = /^[A-Za-z]+[_-]/.exec(recorded)?.[0] ?? '';
    if (typeof actual !== 'string' || actual.length <= prefix.length || !actual.startsWith(prefix)) {
      problems.push(`${pointer}: expected a fresh token like ${prefix}…, got ${JSON.stringify(actual)}`);
    }
    return;
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual) || actual.length !== recorded.length) {
      problems.push(
        `${pointer}: expected ${recorded.length} items, got ${JSON.stringify(actual)?.slice(0, 200)}`,
      );
      return;
    }
    recorded.forEach((item, i) => compare(item, actual[i], recordedAt, `${pointer}/${i}`, problems));
    return;
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      problems.push(`${pointer}: expected an object, got ${JSON.stringify(actual)?.slice(0, 200)}`);
      return;
    }
    const keys = new Set([...Object.keys(recorded), ...Object.keys(actual)]);
    for (const key of keys) {
      compare(
        (recorded as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        recordedAt,
        `${pointer}/${key}`,
        problems,
      );
    }
    return;
  }
  if (recorded !== actual)
    problems.push(`${pointer}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`);
}

describe('e2e: a recorded app flow replayed against the generated mock', function () {
  this.timeout(180000);
  let mock: RunningMock;
  let work: string;
  let entries: HarEntry[];

  before(async function () {
    if (!fs.existsSync(path.join(repoRoot, HAR))) this.skip();
    entries = (
      JSON.parse(fs.readFileSync(path.join(repoRoot, HAR), 'utf8')) as { log: { entries: HarEntry[] } }
    ).log.entries;
    work = tempDir('flow');
    mock = await generateAndBoot(['--spec', SPEC, '--recordings', HAR], path.join(work, 'mock'), {
      MOCKGEN_LATENCY: 'off',
    });
  });

  after(async () => {
    await mock?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  async function replay(session: string): Promise<string[]> {
    const problems: string[] = [];
    let token: string | undefined;
    for (const [index, entry] of entries.entries()) {
      const url = new URL(entry.request.url);
      const headers: Record<string, string> = { 'x-mockgen-session': session };
      for (const { name, value } of entry.request.headers) {
        const lower = name.toLowerCase();
        if (lower === 'authorization') {
          if (token) headers.authorization = `Bearer ${token}`;
        } else if (!SKIPPED_HEADERS.has(lower) && !lower.startsWith(':')) {
          headers[lower] = value;
        }
      }
      const res = await fetch(`${mock.url}${url.pathname}${url.search}`, {
        method: entry.request.method,
        headers,
        body: entry.request.postData?.text,
      });
      const text = await res.text();
      const label = `#${index} ${entry.request.method} ${url.pathname}${url.search}`;
      if (res.status !== entry.response.status) {
        problems.push(
          `${label}: status ${res.status}, recorded ${entry.response.status}: ${text.slice(0, 300)}`,
        );
        continue;
      }
      const recordedText = entry.response.content.text;
      if (!recordedText) continue;
      const recordedBody = JSON.parse(recordedText) as unknown;
      const body = JSON.parse(text) as unknown;
      compare(recordedBody, body, Date.parse(entry.startedDateTime), label, problems);
      const fresh = (body as { access_token?: unknown }).access_token;
      if (typeof fresh === 'string') token = fresh;
    }
    return problems;
  }

  it('returns what production returned at every step, with fresh tokens and timestamps', async () => {
    assert.deepEqual(await replay('flow-1'), []);
  });

  it('replays the same flow again in another session, in parallel, with its own state and sequences', async () => {
    const [a, b] = await Promise.all([replay('flow-2'), replay('flow-3')]);
    assert.deepEqual(a, []);
    assert.deepEqual(b, []);
  });

  it('POST /__mockgen/reset restores the recorded state and sequences, so the flow replays again', async () => {
    assert.equal((await fetch(`${mock.url}/__mockgen/reset`, { method: 'POST' })).status, 200);
    assert.deepEqual(await replay('flow-1'), []);
    const journal = (await (
      await fetch(`${mock.url}/__mockgen/requests?session=flow-1`)
    ).json()) as unknown[];
    assert.equal(journal.length, entries.length);
  });

  it('accepts the token it issued and rejects an expired one with 401', async () => {
    const login = entries.find((e) => e.request.url.endsWith('/token'));
    assert.ok(login, 'the flow logs in');
    const res = await fetch(`${mock.url}${new URL(login.request.url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': login.request.postData?.mimeType ?? 'application/x-www-form-urlencoded' },
      body: login.request.postData?.text,
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const secured = entries.find((e) =>
      e.request.headers.some((h) => h.name.toLowerCase() === 'authorization'),
    );
    assert.ok(secured);
    const securedUrl = new URL(secured.request.url);
    const ok = await fetch(`${mock.url}${securedUrl.pathname}${securedUrl.search}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(ok.status, secured.response.status);

    const [header, payload] = token.split('.');
    const claims = decodeJwtPayload(token);
    const expiredPayload = Buffer.from(
      JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }),
    ).toString('base64url');
    const expired = await fetch(`${mock.url}${securedUrl.pathname}${securedUrl.search}`, {
      headers: { authorization: `Bearer ${header}.${expiredPayload}.${token.split('.')[2]}` },
    });
    assert.equal(expired.status, 401);
    assert.ok(payload);
    const missing = await fetch(`${mock.url}${securedUrl.pathname}${securedUrl.search}`);
    assert.equal(missing.status, 401);
    assert.ok(missing.headers.get('www-authenticate'));
  });

  it('keeps recorded secrets out of the emitted project', () => {
    const har = fs.readFileSync(path.join(repoRoot, HAR), 'utf8');
    const secrets = new Set<string>();
    for (const match of har.matchAll(/"(?:authorization|cookie|set-cookie)",\s*"value":\s*"([^"]+)"/gi))
      secrets.add(match[1]);
    for (const match of har.matchAll(/(?:client_secret|api_key)=([^&"\s]+)/g)) secrets.add(match[1]);
    const emitted = listFiles(path.join(work, 'mock'))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    for (const secret of secrets) {
      if (/REDACTED/.test(secret)) continue;
      const core = secret.replace(/^(Bearer|Basic)\s+/i, '');
      // a JWT keeps its header and claims but loses its signature
      const signature = JWT.test(core) ? core.split('.')[2] : core;
      assert.ok(
        !emitted.includes(signature),
        `secret ${signature.slice(0, 12)}… reached the emitted project`,
      );
    }
  });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
