/**
 * Replay of recorded traffic.
 *
 * Scoring rule: every recording of the operation is compared with the request.
 *  1. Path parameters: every recorded path parameter must equal the request's, else the recording
 *     is not a candidate.
 *  2. Query: +2 for each recorded (name, value) pair the request also sends; a recorded parameter
 *     the request sends with other (or more) values excludes the recording; -1 for each recorded parameter
 *     the request lacks and for each request parameter the recording lacks.
 *  3. Headers (the recording's selected, non-secret headers): +1 for each equal, -1 for each that
 *     differs; a header the request does not send counts 0.
 *  4. Body: +4 when equal (JSON deep-equal, form fields, text); when both are objects and differ,
 *     +1 for each equal top-level field and -1 for each field that differs or only one side has;
 *     other differences -2, a body only one side has -3. For operations that create or change a stateful resource any body
 *     difference excludes the recording (the resource store then answers with the request's data).
 *  5. A candidate needs a score of at least -3; the highest score wins; ties go to the first recorded.
 *
 * Sequences: the responses of a recording are replayed in recorded order, per session. After the
 * last one, `manifest.sequencePolicy` decides: `repeat-last` (default) repeats it, `loop` starts
 * over, `fallback` answers undefined so the pipeline falls back to examples. A recording with a
 * single response always repeats it.
 */
import type { MockRequest, MockResponse } from './core/context';
import type { SessionState } from './session';
import { render } from './templating';
import type { Manifest, OperationData, RecordedResponseData, RecordingData } from './core/types';
import { deepEqual, isRecord } from './core/json';

export const MIN_SCORE = -3;

interface Difference {
  /** e.g. `query limit`, `body field name`, `path parameter petId` */
  what: string;
  recorded?: unknown;
  sent?: unknown;
}

interface Comparison {
  index: number;
  score: number;
  excluded: boolean;
  differences: Difference[];
}

const MUTATING_ROLES = new Set(['create', 'update', 'replace']);

function headerValue(request: MockRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function queryValues(pairs: [string, string][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  }
  return map;
}

/** Request body as the recordings hold it: JSON, form fields object, or text. */
function requestBody(request: MockRequest): unknown {
  if (request.body !== undefined) return request.body;
  return request.rawBody.length > 0 ? request.rawBody.toString('utf8') : undefined;
}

function compareBody(
  recorded: unknown,
  sent: unknown,
  strict: boolean,
  diffs: Difference[],
): [number, boolean] {
  if (recorded === undefined && sent === undefined) return [0, false];
  if (deepEqual(recorded, sent)) return [4, false];
  if (strict) {
    diffs.push({ what: 'body', recorded, sent });
    return [0, true];
  }
  if (isRecord(recorded) && isRecord(sent)) {
    let score = 0;
    for (const key of new Set([...Object.keys(recorded), ...Object.keys(sent)])) {
      if (deepEqual(recorded[key], sent[key])) score += 1;
      else {
        score -= 1;
        diffs.push({ what: `body field ${key}`, recorded: recorded[key], sent: sent[key] });
      }
    }
    return [score, false];
  }
  diffs.push({ what: 'body', recorded, sent });
  return [recorded === undefined || sent === undefined ? -3 : -2, false];
}

/** Scores one recording against the request (see the rule at the top of this file). */
export function scoreRecording(
  recording: RecordingData,
  request: MockRequest,
  strictBody = false,
  index = 0,
): Comparison {
  const diffs: Difference[] = [];
  let score = 0;
  let excluded = false;

  for (const [name, value] of Object.entries(recording.request.pathParams)) {
    if (request.pathParams[name] !== value) {
      excluded = true;
      diffs.push({ what: `path parameter ${name}`, recorded: value, sent: request.pathParams[name] });
    }
  }

  const recordedQuery = queryValues(recording.request.query);
  const sentQuery = queryValues(request.query);
  for (const [name, values] of recordedQuery) {
    const sent = sentQuery.get(name);
    if (!sent) {
      score -= 1;
      diffs.push({ what: `query ${name}`, recorded: values.join(','), sent: undefined });
      continue;
    }
    const remaining = [...sent];
    let conflict = false;
    for (const value of values) {
      const at = remaining.indexOf(value);
      if (at === -1) conflict = true;
      else {
        remaining.splice(at, 1);
        score += 2;
      }
    }
    if (conflict || remaining.length > 0) {
      excluded = true;
      diffs.push({ what: `query ${name}`, recorded: values.join(','), sent: sent.join(',') });
    }
  }
  for (const name of sentQuery.keys()) {
    if (!recordedQuery.has(name)) {
      score -= 1;
      diffs.push({ what: `query ${name}`, recorded: undefined, sent: sentQuery.get(name)?.join(',') });
    }
  }

  for (const [name, value] of Object.entries(recording.request.headers)) {
    const sent = headerValue(request, name.toLowerCase());
    if (sent === undefined) continue;
    if (sent === value) score += 1;
    else {
      score -= 1;
      diffs.push({ what: `header ${name}`, recorded: value, sent });
    }
  }

  const [bodyScore, bodyExcludes] = compareBody(
    recording.request.body,
    requestBody(request),
    strictBody,
    diffs,
  );
  score += bodyScore;
  excluded ||= bodyExcludes || score < MIN_SCORE;
  return { index, score, excluded, differences: diffs };
}

function compareAll(op: OperationData, request: MockRequest): Comparison[] {
  const strictBody = op.resource !== undefined && MUTATING_ROLES.has(op.resource.role);
  return op.recordings.map((recording, index) => scoreRecording(recording, request, strictBody, index));
}

/** The best matching recording's index, or -1. */
export function matchRecording(op: OperationData, request: MockRequest): number {
  let best: Comparison | undefined;
  for (const comparison of compareAll(op, request)) {
    if (!comparison.excluded && (!best || comparison.score > best.score)) best = comparison;
  }
  return best ? best.index : -1;
}

/** The next response of a recording's sequence for this session, per `manifest.sequencePolicy`. */
function nextInSequence(
  op: OperationData,
  index: number,
  session: SessionState,
  manifest: Manifest,
): RecordedResponseData | undefined {
  const responses = op.recordings[index].responses;
  if (responses.length === 0) return undefined;
  const key = `${op.id}#${index}`;
  const served = session.sequences.get(key) ?? 0;
  let chosen: RecordedResponseData | undefined;
  if (served < responses.length) chosen = responses[served];
  else if (responses.length === 1) chosen = responses[0];
  else if (manifest.sequencePolicy === 'loop') chosen = responses[served % responses.length];
  else if (manifest.sequencePolicy === 'fallback') chosen = undefined;
  else chosen = responses[responses.length - 1];
  // stop counting once the position no longer matters, so the counter cannot grow without bound
  if (served < responses.length || manifest.sequencePolicy === 'loop') {
    session.sequences.set(
      key,
      manifest.sequencePolicy === 'loop' ? (served + 1) % responses.length : served + 1,
    );
  }
  return chosen;
}

/** The recorded response as a MockResponse: JSON rendered for this request, text raw, bytes as a Buffer. */
export function toMockResponse(
  recorded: RecordedResponseData,
  request: MockRequest,
  manifest: Manifest,
): MockResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of recorded.headers) {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  for (const [name, template] of Object.entries(recorded.headerTemplates ?? {})) {
    headers[name.toLowerCase()] = String(render(template, request, manifest));
  }
  const response: MockResponse = {
    status: recorded.status,
    headers,
    source: `recording:${recorded.entry}`,
  };
  if (recorded.mediaType) response.mediaType = recorded.mediaType;
  if (recorded.json !== undefined) response.body = render(recorded.json, request, manifest);
  else if (recorded.text !== undefined) response.raw = recorded.text;
  else if (recorded.base64 !== undefined) response.raw = Buffer.from(recorded.base64, 'base64');
  return response;
}

/** The recorded response for this request (best matching recording, next in its sequence), or undefined. */
export function findRecordedResponse(
  op: OperationData,
  request: MockRequest,
  session: SessionState,
  manifest: Manifest,
): MockResponse | undefined {
  if (op.recordings.length === 0) return undefined;
  const index = matchRecording(op, request);
  if (index === -1) return undefined;
  const recorded = nextInSequence(op, index, session, manifest);
  return recorded ? toMockResponse(recorded, request, manifest) : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** ASCII-only, single line: safe in a response header. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Explains the replay decision for this request: which recording matched, or the closest one and
 * how it differs (for the `X-Mockgen-Explain` debug header and logs). ASCII, one line.
 */
export function explainMiss(op: OperationData, request: MockRequest): string {
  if (op.recordings.length === 0) return headerSafe(`no recordings for ${op.id}`);
  const comparisons = compareAll(op, request);
  const entryOf = (c: Comparison): string => {
    const first = op.recordings[c.index].responses[0];
    return first ? `entry ${first.entry}` : `recording ${c.index}`;
  };
  const matched = comparisons
    .filter((c) => !c.excluded)
    .reduce<Comparison | undefined>((best, c) => (!best || c.score > best.score ? c : best), undefined);
  if (matched) {
    return headerSafe(`matched ${entryOf(matched)} of ${op.id} (score ${matched.score})`);
  }
  // closest: fewest differences, then highest score, then first recorded
  const closest = comparisons.reduce((best, c) =>
    c.differences.length < best.differences.length ||
    (c.differences.length === best.differences.length && c.score > best.score)
      ? c
      : best,
  );
  const shown = closest.differences
    .slice(0, 5)
    .map((d) => `${d.what} (recorded ${describe(d.recorded)}, sent ${describe(d.sent)})`);
  if (closest.differences.length > 5) shown.push(`${closest.differences.length - 5} more`);
  const why =
    shown.length > 0 ? `differs in ${shown.join(', ')}` : `scores ${closest.score}, below ${MIN_SCORE}`;
  return headerSafe(`no recording of ${op.id} matched; closest was ${entryOf(closest)}, which ${why}`);
}
