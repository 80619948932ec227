/**
 * The behaviour modules wired into a minimal HTTP pipeline (the real one is runtime-core's
 * handler.ts): token endpoint → replay → state (absorbing the recording) → latency → journal,
 * exercised over real HTTP on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockRequest, MockResponse } from '../../templates/runtime/core/context';
import type { JournalEntry } from '../../templates/runtime/journal';
import { delay, latencyMs } from '../../templates/runtime/latency';
import { findRecordedResponse } from '../../templates/runtime/replay';
import { Router } from '../../templates/runtime/core/router';
import { handleResourceRequest } from '../../templates/runtime/state';
import { MemoryStore } from '../../templates/runtime/store/memory-store';
import { handleTokenEndpoint } from '../../templates/runtime/token-endpoint';
import { verifyToken as verify } from '../../templates/runtime/tokens';
import type { Manifest, OperationData, ResourceSpec } from '../../templates/runtime/core/types';
import { manifest, op, recorded, recording } from '../fixtures/runtime-behaviour/helpers';

const spec: ResourceSpec = {
  name: 'jobs',
  collectionPath: '/jobs',
  itemPath: '/jobs/{jobId}',
  idParam: 'jobId',
  idField: 'id',
  idFormat: { kind: 'integer', next: 1 },
  listEnvelope: { itemsField: 'items', template: { items: [], total: 0 } },
  seed: [],
};
const m = manifest({ resources: [spec], basePath: '' });
const ops: OperationData[] = [
  op({
    id: 'token',
    method: 'post',
    path: '/oauth/token',
    issuesTokens: true,
    recordings: [
      recording({ body: { grant_type: 'client_credentials' } }, [
        recorded(200, { access_token: 'tok_abcdefghijklmnopqrstuvwx', token_type: 'Bearer', expires_in: 60 }),
      ]),
    ],
  }),
  op({
    id: 'createJob',
    method: 'post',
    path: '/jobs',
    resource: { resource: 'jobs', role: 'create' },
    responses: [
      {
        status: '201',
        description: '',
        headers: [],
        content: [
          {
            mediaType: 'application/json',
            examples: [{ name: 'default', value: { id: 0, kind: 'x', status: 'queued' } }],
          },
        ],
      },
    ],
    recordings: [
      recording({ body: { kind: 'report' } }, [
        recorded(201, {
          id: 7,
          kind: 'report',
          status: 'queued',
          requestId: { $tpl: '{{req "header.x-request-id"}}' },
        }),
      ]),
    ],
  }),
  op({
    id: 'getJob',
    path: '/jobs/{jobId}',
    resource: { resource: 'jobs', role: 'read' },
    responses: [
      {
        status: '200',
        description: '',
        headers: [],
        content: [{ mediaType: 'application/json', examples: [] }],
      },
    ],
    recordings: [
      recording({ pathParams: { jobId: '7' } }, [
        recorded(200, { id: 7, kind: 'report', status: 'running' }),
        recorded(200, { id: 7, kind: 'report', status: 'done' }),
      ]),
    ],
  }),
  op({
    id: 'listJobs',
    path: '/jobs',
    resource: { resource: 'jobs', role: 'list' },
    responses: [
      {
        status: '200',
        description: '',
        headers: [],
        content: [{ mediaType: 'application/json', examples: [] }],
      },
    ],
  }),
];

// this server's state: sessions, tokens and journal of its own
const store = new MemoryStore();
const getJournal = (filter?: { session?: string }): JournalEntry[] => store.journal(filter);
const verifyToken = (token: string, manifest: Manifest) => verify(token, manifest, store);
const router = new Router<OperationData>();
for (const o of ops) router.add(o.method, o.path, o);

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = Date.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://mock');
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  let body: unknown;
  if (rawBody.length > 0) {
    body =
      mediaType === 'application/json'
        ? JSON.parse(rawBody.toString())
        : Object.fromEntries(new URLSearchParams(rawBody.toString()));
  }
  const match = router.match(url.pathname);
  const opData = match?.methods.get((req.method ?? 'GET').toLowerCase());
  const session = String(req.headers['x-mockgen-session'] ?? '');
  const request: MockRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    url: req.url ?? '/',
    pathParams: match?.params ?? {},
    query: [...url.searchParams],
    headers: req.headers,
    cookies: {},
    mediaType,
    rawBody,
    body,
    session,
  };
  let out: MockResponse = { status: 404, headers: {}, body: { error: 'no route' }, source: 'error' };
  if (opData) {
    const state = store.session(session);
    const replayed = findRecordedResponse(opData, request, state, m);
    out =
      (await handleTokenEndpoint(opData, request, m, store)) ??
      handleResourceRequest(opData, request, state, m, replayed) ??
      replayed ??
      out;
    await delay(latencyMs(opData, m, { MOCKGEN_LATENCY: '5' }));
  }
  store.requests.recordAt(started, {
    session,
    method: request.method,
    url: request.url,
    operationId: opData?.id,
    status: out.status,
    source: out.source,
    durationMs: Date.now() - started,
  });
  res.writeHead(out.status, { ...out.headers, 'content-type': out.mediaType ?? 'application/json' });
  res.end(out.raw ?? (out.body === undefined ? undefined : JSON.stringify(out.body)));
}

describe('runtime behaviour: end to end over HTTP', () => {
  let server: http.Server;
  let base: string;

  before(async () => {
    store.reset();
    server = http.createServer((req, res) => {
      handle(req, res).catch((err: Error) => {
        res.statusCode = 500;
        res.end(err.stack);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function call(
    method: string,
    path: string,
    init: { body?: unknown; form?: Record<string, string>; session?: string } = {},
  ) {
    const headers: Record<string, string> = { 'x-request-id': 'req-1' };
    if (init.session) headers['x-mockgen-session'] = init.session;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const res = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }

  it('issues tokens, replays a recorded flow, then serves state, per session', async () => {
    const token = await call('POST', '/oauth/token', { form: { grant_type: 'client_credentials' } });
    assert.equal(token.status, 200);
    assert.match(token.json.access_token, /^tok_[a-z]{24}$/);
    assert.equal(verifyToken(token.json.access_token, m), 'valid');
    assert.equal(token.headers.get('cache-control'), 'no-store');
    assert.equal((await call('POST', '/oauth/token', { form: {} })).json.error, 'invalid_request');

    // the recorded flow: create (echoes the request id), then the status sequence
    const created = await call('POST', '/jobs', { body: { kind: 'report' } });
    assert.deepEqual(created.json, { id: 7, kind: 'report', status: 'queued', requestId: 'req-1' });
    assert.equal((await call('GET', '/jobs/7')).json.status, 'running');
    assert.equal((await call('GET', '/jobs/7')).json.status, 'done');
    assert.equal((await call('GET', '/jobs/7')).json.status, 'done');

    // an unrecorded create goes to the store, and the list shows both
    const fresh = await call('POST', '/jobs', { body: { kind: 'export' } });
    assert.equal(fresh.status, 201);
    assert.equal(fresh.json.id, 8);
    assert.equal((await call('GET', '/jobs/8')).json.kind, 'export');
    const listed = await call('GET', '/jobs');
    assert.deepEqual(
      listed.json.items.map((j: { id: number }) => j.id),
      [7, 8],
    );
    assert.equal(listed.json.total, 2);

    // another session starts from scratch
    assert.equal((await call('GET', '/jobs/7', { session: 'other' })).json.status, 'running');
    assert.equal((await call('GET', '/jobs/8', { session: 'other' })).status, 404);

    const journal = getJournal();
    assert.equal(journal.length, 11);
    assert.deepEqual(
      journal.slice(2, 5).map((e) => [e.operationId, e.status, e.source.split(':')[0]]),
      [
        ['createJob', 201, 'recording'],
        ['getJob', 200, 'recording'],
        ['getJob', 200, 'recording'],
      ],
    );
    assert.equal(getJournal({ session: 'other' }).length, 2);
    assert.ok(journal.every((e) => e.durationMs >= 4));
  });
});
