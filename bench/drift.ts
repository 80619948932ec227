/**
 * Drift throughput: a 100k-entry HAR synthesised from the petstore contract's own examples (with a
 * sprinkling of drift: undocumented properties, bad formats, unknown paths), checked end to end by
 * `checkDrift` (load contract + stream HAR + check). Target: ≥ 20,000 entries/s.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadContract } from '../src/contract/load-contract';
import { checkDrift } from '../src/drift/check-drift';
import { packageRoot } from '../src/paths';
import { cleanTraffic, toHar } from '../test/drift/from-examples';
import type { ExchangeInit } from '../test/drift/helpers';

export async function benchDrift(options: { entries?: number; spec?: string } = {}): Promise<{
  entriesPerSecond: number;
  entriesPerCpuSecond: number;
  peakRssMb: number;
  entries: number;
  findings: number;
  seconds: number;
  spec: string;
}> {
  const entries = options.entries ?? 100_000;
  const candidates = [
    options.spec,
    path.join(packageRoot, 'specs', 'petstore', 'openapi.yaml'),
    path.join(packageRoot, 'test', 'fixtures', 'drift', 'petstore-30.yaml'),
  ];
  const spec = candidates.find((file): file is string => !!file && fs.existsSync(file));
  if (!spec) throw new Error('benchDrift: no contract found (specs/petstore/openapi.yaml)');
  const contract = await loadContract(spec);
  const base = cleanTraffic(contract);
  if (base.length === 0) throw new Error(`benchDrift: ${spec} has no examples to make traffic from`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-bench-drift-'));
  const har = path.join(dir, 'traffic.har');
  try {
    writeHar(har, base, entries, contract.servers[0]);
    global.gc?.();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await checkDrift({ spec, recordings: [har] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      entriesPerSecond: Math.round(result.summary.entries / seconds),
      // on a shared machine wall time includes waiting for a core; CPU time does not
      entriesPerCpuSecond: Math.round(result.summary.entries / cpuSeconds),
      peakRssMb: Math.round(peak / 2 ** 20),
      entries: result.summary.entries,
      findings: result.findings.length,
      seconds: Math.round(seconds * 100) / 100,
      spec: path.relative(packageRoot, spec),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Streams the HAR to disk: `entries` exchanges cycling through `base`, 1 in 25 with drift. */
function writeHar(file: string, base: ExchangeInit[], entries: number, server: string | undefined): void {
  const origin = server ? new URL(server).origin : 'http://localhost';
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(
      fd,
      '{"log":{"version":"1.2","creator":{"name":"mockgen-bench","version":"1"},"entries":[\n',
    );
    const batch: string[] = [];
    for (let i = 0; i < entries; i++) {
      const init = mutate(base[i % base.length], i);
      const entry = (toHar([init], origin) as { log: { entries: unknown[] } }).log.entries[0];
      batch.push(JSON.stringify(entry));
      if (batch.length === 1000 || i === entries - 1) {
        fs.writeSync(fd, batch.join(',\n') + (i === entries - 1 ? '\n' : ',\n'));
        batch.length = 0;
      }
    }
    fs.writeSync(fd, ']}}\n');
  } finally {
    fs.closeSync(fd);
  }
}

function mutate(init: ExchangeInit, i: number): ExchangeInit {
  if (i % 25 !== 0) return init;
  switch ((i / 25) % 3) {
    case 0:
      return { ...init, path: `${init.path}/extra-${i % 7}` };
    case 1:
      return init.responseBody !== null &&
        typeof init.responseBody === 'object' &&
        !Array.isArray(init.responseBody)
        ? { ...init, responseBody: { ...(init.responseBody as object), undocumented: i } }
        : init;
    default:
      return { ...init, query: [...(init.query ?? []), ['limit', 'many']] };
  }
}

if (require.main === module) {
  benchDrift().then(
    (r) => console.log(JSON.stringify(r)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
