import assert from 'node:assert/strict';
import { asEventStream, eventStreamText, streamRequested } from '../../templates/runtime/core/events';
import type { MockRequest } from '../../templates/runtime/core/context';

describe('runtime: server-sent events', () => {
  it('frames each event as data lines and a blank line; JSON unless a string, one data line per text line', () => {
    assert.equal(eventStreamText([{ a: 1 }, 'x']), 'data: {"a":1}\n\ndata: x\n\n');
    assert.equal(eventStreamText(['one\ntwo\r\nthree']), 'data: one\ndata: two\ndata: three\n\n');
    assert.equal(eventStreamText([null]), 'data: null\n\n');
  });

  it('serves event text as written and frames anything else as one event', () => {
    const written = 'event: update\nid: 7\ndata: {}\n\n';
    assert.equal(asEventStream(written), written);
    assert.equal(asEventStream(': keep-alive\n\n'), ': keep-alive\n\n');
    assert.equal(asEventStream('plain text'), 'data: plain text\n\n');
    assert.equal(asEventStream({ seq: 1 }), 'data: {"seq":1}\n\n');
    const bytes = Buffer.from('data: x\n\n');
    assert.equal(asEventStream(bytes), bytes);
  });

  it('a JSON body with `stream: true` asks for a stream; nothing else does', () => {
    const request = (body: unknown): MockRequest => ({ body }) as MockRequest;
    assert.equal(streamRequested(request({ stream: true, model: 'm' })), true);
    assert.equal(streamRequested(request({ stream: false })), false);
    assert.equal(streamRequested(request({ stream: 'true' })), false);
    assert.equal(streamRequested(request([{ stream: true }])), false);
    assert.equal(streamRequested(request(undefined)), false);
  });
});
