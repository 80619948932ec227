/**
 * A contract planned in memory (src/generate.ts `planProject`) and its data served in-process by the
 * runtime over 127.0.0.1: for runtime tests that need a real contract but not a compiled project.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planProject } from '../../src/generate';
import { startServer, type RunningServer } from '../../templates/runtime/server';
import type { OperationData, RouteEntry } from '../../templates/runtime/core/types';
import { tempDir } from './project';

export interface InProcessMock {
  base: string;
  close(): Promise<void>;
}

/** Plans `contract` (an OpenAPI document) and serves it; routes in contract order, as src/routes.ts lists them. */
export async function serveContract(name: string, contract: { paths: object }): Promise<InProcessMock> {
  const dir = tempDir(name);
  const spec = path.join(dir, 'api.json');
  fs.writeFileSync(spec, JSON.stringify(contract));
  const { files } = await planProject({
    spec,
    recordings: [],
    out: path.join(dir, 'mock'),
    seed: 1,
    dynamic: true,
    redact: [],
    sequencePolicy: 'repeat-last',
  });
  const routes: RouteEntry[] = [];
  for (const [file, content] of files) {
    if (!file.startsWith('data/')) continue;
    const target = path.join(dir, 'mock', file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    if (file.startsWith('data/ops/')) {
      const op = JSON.parse(String(content)) as OperationData;
      routes.push({ id: op.id, method: op.method, path: op.path, data: file.slice('data/'.length) });
    }
  }
  const order = Object.values(contract.paths).flatMap((item: Record<string, unknown>) =>
    Object.values(item).flatMap((op) =>
      typeof op === 'object' && op !== null && 'operationId' in op ? [String(op.operationId)] : [],
    ),
  );
  routes.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  let running: RunningServer;
  try {
    running = await startServer({
      dataDir: path.join(dir, 'mock', 'data'),
      routes,
      port: 0,
      host: '127.0.0.1',
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    base: `http://127.0.0.1:${running.port}`,
    close: async () => {
      await running.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
