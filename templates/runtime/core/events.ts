/**
 * Server-sent events (`text/event-stream`, WHATWG HTML §9.2).
 *
 * Contracts document an event stream with the schema of one event's data (OpenAI's chat completion
 * chunks, Mercure updates): the mock serves a few such events, each a `data:` line of JSON and a blank
 * line, which EventSource and SDK stream readers parse. A documented example that is already event
 * text is served as written; other text becomes `data:` lines.
 *
 * Clients of streaming APIs ask for a stream with `"stream": true` in a JSON body while sending
 * `Accept: application/json` (the OpenAI and Anthropic SDKs): when the operation documents an event
 * stream, that body selects it.
 */
import type { MockRequest } from './context';

/** Events generated from a schema: a short stream (the first is what a one-event reader sees). */
const GENERATED_EVENTS = 3;

/** The request body asks for a stream (`{"stream": true}`). */
export function streamRequested(request: MockRequest): boolean {
  const body = request.body;
  return (
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    (body as { stream?: unknown }).stream === true
  );
}

/** A short stream of generated events: `generate(i)` gives the data of the i-th. */
export function generatedEventStream(generate: (index: number) => unknown): string {
  return eventStreamText(Array.from({ length: GENERATED_EVENTS }, (_, i) => generate(i)));
}

/** Event-stream text of `events`: each one a `data:` field (JSON unless a string) ending in a blank line. */
export function eventStreamText(events: unknown[]): string {
  let text = '';
  for (const event of events) {
    const data = typeof event === 'string' ? event : JSON.stringify(event ?? null);
    // a data value spanning lines is one `data:` field per line (the reader joins them with \n)
    for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
    text += '\n';
  }
  return text;
}

/** A body served as an event stream: event text as written, anything else framed as one event. */
export function asEventStream(body: unknown): string | Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return looksLikeEvents(body) ? body : eventStreamText([body]);
  return eventStreamText([body]);
}

/** Text that already holds event-stream fields (`data:`, `event:`, `id:`, `retry:` or a `:` comment). */
function looksLikeEvents(text: string): boolean {
  return /^(?:data|event|id|retry)(?::|$)|^:/m.test(text);
}
