/**
 * Manual benchmark (not part of the test run): loads a large generated HAR and reports time and
 * peak memory.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/build && node /tmp/build/test/recordings/bench-load-har.js [entries]
 *
 * Writing the HAR happens in this process first; loading then runs in a child process so its peak
 * RSS is measured alone.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadHar } from '../../src/recordings/load-har';
import { writeLargeHar } from './helpers';

async function child(file: string): Promise<void> {
  const started = process.hrtime.bigint();
  const { exchanges } = await loadHar([file]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage();
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      exchanges: exchanges.length,
      wallMs: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      peakRssMb: Math.round(peakMb),
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]);
  const count = Number(process.argv[2] ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockgen-bench-'));
  try {
    const file = path.join(dir, 'large.har');
    const size = await writeLargeHar(file, count);
    const out = execFileSync(process.execPath, [__filename, '--child', file], { encoding: 'utf8' });
    const result = JSON.parse(out) as Record<string, number>;
    console.log(JSON.stringify({ entries: count, fileMb: Math.round(size / 1024 / 1024), ...result }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
