import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, LogLevel, WebClient, type WebAPIHTTPError } from '@slack/web-api';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

/**
 * Slack's published Web API contract as shipped on npm by `@opensdks/sdk-slack` (an OpenAPI 3.0
 * conversion of Slack's Swagger 2.0 `slack_web_openapi_v2.json`): RPC-style method paths
 * (`/chat.postMessage`, `/conversations.info?channel=`), form-encoded request bodies, an OAuth2
 * scheme, `{ok, ..., response_metadata: {next_cursor}}` answers. The SDK POSTs every method
 * form-encoded with `Authorization: Bearer`, also the ones the contract documents as GET.
 */
const SPEC = 'node_modules/@opensdks/sdk-slack/slack.oas.json';

function isHttpError(error: unknown): error is WebAPIHTTPError {
  return (error as { code?: unknown })?.code === ErrorCode.HTTPError;
}

describe('e2e: the official Slack SDK (@slack/web-api) against a mock of slack.com/api', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let slack: WebClient;
  let base: string;

  before(async function () {
    const specFile = path.join(repoRoot, SPEC);
    if (!fs.existsSync(specFile)) this.skip();
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as { servers?: { url: string }[] };
    const basePath = new URL(spec.servers?.[0]?.url ?? 'https://slack.com/').pathname.replace(/\/+$/, '');
    out = path.join(tempDir('sdk-slack'), 'mock');
    mock = await generateAndBoot(['--spec', SPEC], out);
    base = `${mock.url}${basePath}`;
    slack = new WebClient('xoxb-test', {
      slackApiUrl: `${base}/`,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('auth.test: a GET method the SDK POSTs (form-encoded, empty body) is served by its GET', async () => {
    const auth = await slack.auth.test();
    assert.equal(auth.ok, true);
    assert.equal(typeof auth.user_id, 'string');
    assert.equal(typeof auth.team_id, 'string');
    assert.equal(typeof auth.url, 'string');
  });

  it('chat.postMessage: a form-encoded POST answers ok: true', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C012AB3CD', text: 'hello from mockgen' });
    assert.equal(posted.ok, true);
    assert.equal(typeof posted.ts, 'string');
    assert.equal(typeof posted.channel, 'string');
    assert.equal(typeof posted.message?.text, 'string');
  });

  it('a missing required form field is a 4xx the SDK surfaces as an HTTP error', async () => {
    await assert.rejects(
      // the typed method requires `channel`; apiCall sends what it is given
      () => slack.apiCall('chat.postMessage', { text: 'no channel' }),
      (error: unknown) => {
        assert.ok(isHttpError(error), String(error));
        assert.equal(error.statusCode, 422);
        return true;
      },
    );
    // the same holds for a required query parameter of a GET method tunnelled through a POST
    const raw = await fetch(`${base}/conversations.list`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer xoxb-test',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'limit=not-a-number',
    });
    await raw.text();
    assert.equal(raw.status, 422);
  });

  it('conversations.list: cursor pagination, and the SDK paginate() terminates', async () => {
    const first = await slack.conversations.list({ limit: 2 });
    assert.equal(first.ok, true);
    assert.ok(Array.isArray(first.channels) && first.channels.length > 0);
    const cursor = first.response_metadata?.next_cursor;
    assert.equal(typeof cursor, 'string');
    assert.notEqual(cursor, '', 'the first page announces a next page');

    const second = await slack.conversations.list({ limit: 2, cursor });
    assert.equal(second.ok, true);
    assert.equal(second.response_metadata?.next_cursor, '', 'a page asked for with a cursor is the last');

    let pages = 0;
    for await (const page of slack.paginate('conversations.list', { limit: 2 })) {
      assert.equal(page.ok, true);
      pages++;
      assert.ok(pages <= 10, 'paginate() does not end');
    }
    assert.equal(pages, 2);
    const all = await slack.paginate(
      'conversations.list',
      { limit: 2 },
      (page) => page.response_metadata?.next_cursor === '',
      (acc: number | undefined, page) =>
        (acc ?? 0) + ((page as { channels?: unknown[] }).channels ?? []).length,
    );
    assert.ok(all > 0);
  });

  it('conversations.create then conversations.info (RPC methods: answered from examples, not a store)', async () => {
    const created = await slack.conversations.create({ name: 'mockgen-e2e' });
    assert.equal(created.ok, true);
    assert.equal(typeof created.channel?.id, 'string');
    const info = await slack.conversations.info({ channel: created.channel!.id! });
    assert.equal(info.ok, true);
    assert.equal(typeof info.channel?.id, 'string');
    // @fixme RPC-style methods are not stateful resources: `info` answers its documented example
    // (a different channel), not the created one. See the report of this test's change.
  });

  it('users.info', async () => {
    const user = await slack.users.info({ user: 'W012A3CDE' });
    assert.equal(user.ok, true);
    assert.equal(typeof user.user?.id, 'string');
    assert.equal(typeof user.user?.name, 'string');
  });

  it('security: no token is a 401; Bearer header and RFC 6750 access_token (form or query) are accepted', async () => {
    const anonymous = new WebClient(undefined, {
      slackApiUrl: `${base}/`,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
    await assert.rejects(
      () => anonymous.chat.postMessage({ channel: 'C012AB3CD', text: 'hi' }),
      (error: unknown) => {
        assert.ok(isHttpError(error), String(error));
        assert.equal(error.statusCode, 401);
        return true;
      },
    );
    // a token given per call travels as `Authorization: Bearer` too
    const perCall = await anonymous.chat.postMessage({ token: 'xoxb-other', channel: 'C1', text: 'hi' });
    assert.equal(perCall.ok, true);

    const form = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const bearer = await form('channel=C1&text=hi', { authorization: 'Bearer xoxb-test' });
    assert.equal(bearer.status, 200);
    assert.equal(((await bearer.json()) as { ok: boolean }).ok, true);
    const accessToken = await form('access_token=xoxb-test&channel=C1&text=hi');
    assert.equal(accessToken.status, 200);
    await accessToken.text();
    const inQuery = await fetch(`${base}/auth.test?access_token=xoxb-test`);
    assert.equal(inQuery.status, 200);
    await inQuery.text();
    // Slack's own `token` form field is not in this contract (its conversion dropped Slack's
    // `token` parameters): the contract's OAuth2 scheme is all there is to satisfy
    const slackToken = await form('token=xoxb-test&channel=C1&text=hi');
    assert.equal(slackToken.status, 401);
    await slackToken.text();
  });
});

/**
 * The shape of Slack's own Swagger 2.0 contract (`formData` parameters, `in: query` for GET methods,
 * `consumes: application/x-www-form-urlencoded`), which the npm package above ships converted to 3.0.
 */
const SWAGGER2 = 'test/fixtures/sdk/slack-swagger2.json';

describe('e2e: the official Slack SDK against a mock of a Slack-shaped Swagger 2.0 contract', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let slack: WebClient;

  before(async () => {
    out = path.join(tempDir('sdk-slack2'), 'mock');
    mock = await generateAndBoot(['--spec', SWAGGER2], out);
    slack = new WebClient('xoxb-test', {
      slackApiUrl: `${mock.url}/api/`,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  const rejectsWith = (call: () => Promise<unknown>, status: number, field: string) =>
    assert.rejects(call, (error: unknown) => {
      assert.ok(isHttpError(error), String(error));
      assert.equal(error.statusCode, status);
      assert.match(String(error.headers['sl-violations']), new RegExp(field));
      return true;
    });

  it('validates formData parameters: required, typed', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C1', text: 'hi', mrkdwn: true });
    assert.equal(posted.ok, true);
    await rejectsWith(() => slack.apiCall('chat.postMessage', { text: 'no channel' }), 422, 'channel');
    await rejectsWith(
      () => slack.apiCall('chat.postMessage', { channel: 'C1', mrkdwn: 'sometimes' }),
      422,
      'mrkdwn',
    );
  });

  it('serves GET methods the SDK POSTs, validating their query parameters', async () => {
    assert.equal((await slack.auth.test()).ok, true);
    const user = await slack.users.info({ user: 'W012A3CDE' });
    assert.equal(user.user?.id, 'W012A3CDE');
    await rejectsWith(() => slack.apiCall('users.info', {}), 422, 'user');
    let pages = 0;
    for await (const page of slack.paginate('conversations.list', { limit: 2 })) {
      assert.equal(page.ok, true);
      assert.ok(++pages <= 10, 'paginate() does not end');
    }
    assert.equal(pages, 2);
  });
});
