import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import OpenAI, { toFile } from 'openai';
import { generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

/**
 * OpenAI's published OpenAPI contract (3.0.0, API version 2.0.0) as shipped on npm by
 * `@opensdks/sdk-openai`: base path `/v1`, global bearer security, `{object: 'list', data}` list
 * envelopes without `has_more`, multipart file uploads, POST updates, no documented error responses
 * (only `components.schemas.ErrorResponse`, which no operation references).
 */
const SPEC = 'node_modules/@opensdks/sdk-openai/openai.oas.json';

describe('e2e: the official OpenAI SDK against a mock of api.openai.com', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let openai: OpenAI;
  let baseURL: string;

  before(async function () {
    if (!fs.existsSync(path.join(repoRoot, SPEC))) this.skip();
    out = path.join(tempDir('sdk-openai'), 'mock');
    mock = await generateAndBoot(['--spec', SPEC], out);
    baseURL = `${mock.url}/v1`;
    openai = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 });
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('lists models (auto-pagination over the list envelope) and retrieves one', async () => {
    const page = await openai.models.list();
    assert.ok(Array.isArray(page.data));
    assert.ok(page.data.length > 0, 'the mock lists some models');
    const ids: string[] = [];
    for await (const model of openai.models.list()) {
      assert.equal(model.object, 'model');
      assert.equal(typeof model.created, 'number');
      assert.equal(typeof model.owned_by, 'string');
      ids.push(model.id);
    }
    assert.deepEqual(
      ids,
      page.data.map((m) => m.id),
    );

    const model = await openai.models.retrieve('gpt-4o-mini');
    assert.equal(model.id, 'gpt-4o-mini');
    assert.equal(model.object, 'model');
  });

  it('creates a chat completion the SDK accepts', async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      temperature: 0,
    });
    assert.equal(typeof completion.id, 'string');
    assert.equal(completion.object, 'chat.completion');
    assert.equal(typeof completion.created, 'number');
    assert.ok(completion.choices.length > 0);
    const message = completion.choices[0].message;
    assert.equal(message.role, 'assistant');
    assert.ok(message.content === null || typeof message.content === 'string');
  });

  it('uploads a file (multipart), retrieves, lists, deletes it, then gets NotFoundError', async () => {
    const content = Buffer.from('{"prompt":"a","completion":"b"}\n{"prompt":"c","completion":"d"}\n');
    const created = await openai.files.create({
      file: await toFile(content, 'training.jsonl', { type: 'application/jsonl' }),
      purpose: 'fine-tune',
    });
    assert.equal(created.object, 'file');
    assert.equal(typeof created.id, 'string');
    assert.equal(created.purpose, 'fine-tune');
    assert.equal(created.filename, 'training.jsonl', 'the upload names the file');
    assert.equal(created.bytes, content.length, 'the upload sizes the file');
    assert.equal(typeof created.created_at, 'number');
    assert.equal('file' in created, false, 'the uploaded bytes are not echoed as a field');

    const retrieved = await openai.files.retrieve(created.id);
    assert.deepEqual(retrieved, created);

    // the SDK downloads with `Accept: application/binary`; the contract documents application/json
    const download = await openai.files.content(created.id);
    assert.equal(download.status, 200);
    assert.ok((await download.text()).length > 0);

    const listed: string[] = [];
    for await (const file of openai.files.list()) listed.push(file.id);
    assert.ok(listed.includes(created.id), 'files.list contains the upload');
    assert.equal(new Set(listed).size, listed.length, 'no file twice');

    const deleted = await openai.files.delete(created.id);
    assert.equal(deleted.id, created.id);
    assert.equal(deleted.deleted, true);

    await assert.rejects(
      () => openai.files.retrieve(created.id),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError, String(error));
        assert.equal(error.status, 404);
        assert.match(error.message, new RegExp(created.id), 'the SDK reads the error message');
        return true;
      },
    );
    const after: string[] = [];
    for await (const file of openai.files.list()) after.push(file.id);
    assert.equal(after.includes(created.id), false);
  });

  it('creates, retrieves, updates, lists and deletes an assistant (JSON bodies, POST update)', async () => {
    const created = await openai.beta.assistants.create({
      model: 'gpt-4o-mini',
      name: 'Math tutor',
      instructions: 'You answer maths questions.',
      metadata: { team: 'edu' },
    });
    assert.equal(created.object, 'assistant');
    assert.equal(created.name, 'Math tutor');
    assert.equal(created.model, 'gpt-4o-mini');
    assert.deepEqual(created.metadata, { team: 'edu' });

    const retrieved = await openai.beta.assistants.retrieve(created.id);
    assert.deepEqual(retrieved, created);

    const updated = await openai.beta.assistants.update(created.id, { name: 'Algebra tutor' });
    assert.equal(updated.id, created.id);
    assert.equal(updated.name, 'Algebra tutor');
    assert.equal(updated.instructions, 'You answer maths questions.');

    const names = new Map<string, string | null>();
    for await (const assistant of openai.beta.assistants.list({ limit: 2 }))
      names.set(assistant.id, assistant.name);
    assert.equal(names.get(created.id), 'Algebra tutor');

    const deleted = await openai.beta.assistants.delete(created.id);
    assert.equal(deleted.id, created.id);
    assert.equal(deleted.deleted, true);
    await assert.rejects(
      () => openai.beta.assistants.retrieve(created.id),
      (error: unknown) => error instanceof OpenAI.NotFoundError,
    );
  });

  it('answers a request without an API key 401, raised as AuthenticationError', async () => {
    // the SDK refuses to start without a key: send the request without its Authorization header
    const anonymous = new OpenAI({
      apiKey: 'unused',
      baseURL,
      maxRetries: 0,
      defaultHeaders: { Authorization: null },
    });
    await assert.rejects(
      () => anonymous.models.list(),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
        assert.equal(error.status, 401);
        assert.match(error.headers.get('www-authenticate') ?? '', /^Bearer/i);
        assert.equal(typeof error.error, 'object', 'a JSON error body the SDK reads');
        return true;
      },
    );
  });

  it('answers an invalid request body 4xx with a JSON error the SDK reads', async () => {
    await assert.rejects(
      () =>
        openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: 'not a list' as unknown as OpenAI.Chat.ChatCompletionMessageParam[],
        }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        assert.ok(error.status !== undefined && error.status >= 400 && error.status < 500, String(error));
        assert.match(error.headers?.get('content-type') ?? '', /json/);
        assert.equal(typeof error.error, 'object', 'a JSON error body the SDK reads');
        assert.match(error.message, /messages/, 'the message names the invalid field');
        return true;
      },
    );
  });
});
