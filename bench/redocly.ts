/**
 * Redocly CLI beside mockgen in the benchmarks: the published CLI run through npx once (installed
 * in a temp folder, never a dependency of mockgen), then its bin directly (npx costs a second per run).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The `redocly` bin of the published CLI when `redocly <command> --help` answers and its text
 * matches `recognise`; else why it is skipped. BENCH_REDOCLY=0 skips it.
 */
export async function redoclyBin(command: string, recognise: RegExp): Promise<string | { skipped: string }> {
  if (process.env.BENCH_REDOCLY === '0') return { skipped: 'skipped (BENCH_REDOCLY=0)' };
  const help = await new Promise<{ code: unknown; out: string }>((resolve) =>
    execFile(
      'npx',
      ['-y', '@redocly/cli@latest', command, '--help'],
      { cwd: os.tmpdir(), timeout: 300_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (err as { code?: unknown }).code : 0, out: `${stdout}${stderr}` }),
    ),
  );
  if (help.code !== 0 || !recognise.test(help.out))
    return {
      skipped: `skipped: the published @redocly/cli has no ${command} command (npx @redocly/cli@latest ${command} --help exited ${String(help.code)})`,
    };
  const cache = path.join(os.homedir(), '.npm', '_npx');
  const bin = fs.existsSync(cache)
    ? fs
        .readdirSync(cache)
        .map((d) => path.join(cache, d, 'node_modules', '.bin', 'redocly'))
        .find((file) => fs.existsSync(file))
    : undefined;
  return bin ?? { skipped: 'skipped: npx ran @redocly/cli but its bin was not found in ~/.npm/_npx' };
}
