import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { SchemaCompiler } from '../../templates/runtime/core/ajv';
import { loadContract } from '../../src/contract/load-contract';
import type { Contract } from '../../src/model/types';
import type { JsonSchema } from '../../templates/runtime/core/types';
import { bootProject, generateAndBoot, repoRoot, tempDir, type RunningMock } from '../helpers/project';

/**
 * Server-sent events: a contract documenting chat completions as JSON and as `text/event-stream` (as
 * OpenAI's published contract does), an event-stream example written as event text, and an event
 * stream documented by the schema of one event.
 */
const SPEC = path.join(repoRoot, 'test/fixtures/streaming/openapi.yaml');
const AUTH = { authorization: 'Bearer test' };

/** Events of an event-stream body (WHATWG: `data:` lines joined by \n, a blank line ends an event). */
function parseEvents(text: string): { event?: string; id?: string; data: string }[] {
  const events: { event?: string; id?: string; data: string }[] = [];
  let current: { event?: string; id?: string; data: string[] } = { data: [] };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (current.data.length > 0) events.push({ ...current, data: current.data.join('\n') });
      current = { data: [] };
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') current.data.push(value);
    else if (field === 'event') current.event = value;
    else if (field === 'id') current.id = value;
  }
  return events;
}

describe('e2e: server-sent events (text/event-stream)', function () {
  this.timeout(300000);
  let mock: RunningMock;
  let out: string;
  let contract: Contract;
  let compiler: SchemaCompiler;

  before(async () => {
    out = path.join(tempDir('streaming'), 'mock');
    mock = await generateAndBoot(['--spec', SPEC], out);
    contract = await loadContract(SPEC);
    compiler = new SchemaCompiler(contract.schemas);
  });

  after(async () => {
    await mock?.stop();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  const schemaOf = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

  it('streams chat completion chunks to the official OpenAI SDK when it asks with `stream: true`', async () => {
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.equal(chunks.length, 3, 'a short stream of generated chunks');
    const valid = compiler.compile(schemaOf('ChatCompletionChunk'));
    for (const chunk of chunks) assert.ok(valid(chunk), JSON.stringify(valid.errors));
    assert.equal((chunks[0] as { object: string }).object, 'chat.completion.chunk');

    // without `stream`, the same operation answers the JSON completion
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    assert.equal(completion.object, 'chat.completion');
    const validCompletion = compiler.compile(schemaOf('ChatCompletion'));
    assert.ok(validCompletion(completion), JSON.stringify(validCompletion.errors));
  });

  it('frames events as the wire format says and serves an event-text example as written', async () => {
    const ticks = await fetch(`${mock.url}/v1/ticks`, { headers: { ...AUTH, accept: 'text/event-stream' } });
    assert.equal(ticks.status, 200);
    assert.match(ticks.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await ticks.text();
    assert.ok(text.endsWith('\n\n'), 'the last event is complete');
    const events = parseEvents(text);
    assert.equal(events.length, 3);
    const tick = compiler.compile(
      (contract.operations.find((o) => o.id === 'ticks')!.responses[0].content[0].schema ??
        true) as JsonSchema,
    );
    for (const event of events) assert.ok(tick(JSON.parse(event.data)), event.data);

    const updates = await fetch(`${mock.url}/v1/updates`, {
      headers: { ...AUTH, accept: 'text/event-stream' },
    });
    const written = parseEvents(await updates.text());
    assert.deepEqual(
      written.map((e) => [e.event, e.id, JSON.parse(e.data)]),
      [
        ['update', '1', { topic: 'books/1', status: 'created' }],
        ['update', '2', { topic: 'books/1', status: 'updated' }],
      ],
    );

    // Prefer: dynamic=true generates afresh, framed the same way
    const dynamic = await fetch(`${mock.url}/v1/ticks`, { headers: { ...AUTH, prefer: 'dynamic=true' } });
    const generated = parseEvents(await dynamic.text());
    assert.equal(generated.length, 3);
    for (const event of generated) assert.ok(tick(JSON.parse(event.data)), event.data);
  });

  it('keeps 406 for a client that accepts neither the JSON nor the stream', async () => {
    const res = await fetch(`${mock.url}/v1/ticks`, { headers: { ...AUTH, accept: 'application/xml' } });
    assert.equal(res.status, 406);
  });

  it('paces events as a streaming API sends them (MOCKGEN_EVENT_INTERVAL), chunked', async () => {
    const paced = await bootProject(out, { MOCKGEN_EVENT_INTERVAL: '80' });
    try {
      const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${paced.url}/v1`, maxRetries: 0 });
      const started = Date.now();
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello' }],
        stream: true,
      });
      const arrivals: number[] = [];
      for await (const chunk of stream) {
        assert.equal((chunk as { object: string }).object, 'chat.completion.chunk');
        arrivals.push(Date.now() - started);
      }
      assert.equal(arrivals.length, 3);
      // each event after the first arrives about one interval after the one before it
      for (let i = 1; i < arrivals.length; i++)
        assert.ok(arrivals[i] - arrivals[i - 1] >= 60, String(arrivals));

      const raw = await fetch(`${paced.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
        }),
      });
      assert.equal(raw.headers.get('content-length'), null);
      assert.equal(raw.headers.get('transfer-encoding'), 'chunked');
      assert.equal(raw.headers.get('cache-control'), 'no-cache');
      assert.equal(parseEvents(await raw.text()).length, 3);
    } finally {
      await paced.stop();
    }
  });
});
