import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../templates/runtime/server';
import type { Manifest, RouteEntry } from '../../templates/runtime/core/types';
import { tempDir } from '../helpers/project';

const fixtureDir = path.join(process.cwd(), 'test', 'fixtures', 'runtime-core');
const routes = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'routes.json'), 'utf8')) as RouteEntry[];

/** The runtime-core mock, with `manifest.rpcMethods` on or off. */
async function serve(rpcMethods: boolean): Promise<{ server: RunningServer; dir: string }> {
  const dir = tempDir('rpc-methods');
  fs.cpSync(path.join(fixtureDir, 'data'), dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  if (rpcMethods) manifest.rpcMethods = true;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const server = await startServer({ dataDir: dir, routes, port: 0, host: '127.0.0.1' });
  return { server, dir };
}

describe('runtime: RPC methods (a form POST to a GET method is served by the GET)', function () {
  this.timeout(20_000);
  const running: { server: RunningServer; dir: string }[] = [];
  let rpc: string;
  let rest: string;

  before(async () => {
    for (const flag of [true, false]) running.push(await serve(flag));
    rpc = `http://127.0.0.1:${running[0].server.port}/v1`;
    rest = `http://127.0.0.1:${running[1].server.port}/v1`;
  });
  after(async () => {
    for (const { server, dir } of running) {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  beforeEach(() => {
    for (const { server } of running) server.handler.store.clearJournal();
  });

  const form = (base: string, route: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-trace': 'abc-1', ...headers },
      body,
    });

  it('reads the form fields as the query parameters of the GET, validated as such', async () => {
    const ok = await form(rpc, '/search', 'filter[name]=rex&filter[age]=3&ids=1|2|3');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'found');
    const bad = await form(rpc, '/search', 'filter[age]=old');
    assert.ok(bad.status === 400 || bad.status === 422, String(bad.status));
    assert.match(bad.headers.get('sl-violations') ?? '', /filter/);
    await bad.text();
    // form fields and the URL's query together
    const both = await form(rpc, '/search?filter[name]=rex', 'ids=1|x');
    assert.ok(both.status === 400 || both.status === 422);
    assert.match(both.headers.get('sl-violations') ?? '', /ids/);
    await both.text();
    const journal = (await (await fetch(`${rpc.replace('/v1', '')}/__mockgen/requests`)).json()) as {
      requests?: { method: string }[];
    };
    assert.ok(JSON.stringify(journal).includes('"POST"'), 'the journal keeps the method that was sent');
  });

  it('an empty POST is the GET; a JSON POST, or any POST without rpcMethods, is still a 405', async () => {
    const empty = await fetch(`${rpc}/pets/mine`, { method: 'POST' });
    assert.equal(empty.status, 200);
    assert.deepEqual(await empty.json(), { id: 0, name: 'Mine' });
    const json = await fetch(`${rpc}/pets/mine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(json.status, 405);
    await json.text();
    const restForm = await form(rest, '/search', 'ids=1|2');
    assert.equal(restForm.status, 405);
    await restForm.text();
  });

  it('a path that documents POST keeps its own operation', async () => {
    const created = await fetch(`${rpc}/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def' },
      body: JSON.stringify({ name: 'Rex' }),
    });
    assert.equal(created.status, 201);
    await created.text();
  });
});
