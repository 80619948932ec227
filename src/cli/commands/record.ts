import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MockgenError } from '../../errors';
import type { Contract } from '../../model/types';
import { DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT_MS, parseTarget, probeTarget } from '../../record/proxy';
import { startRecorder, type RecorderSummary } from '../../record/recorder';

export const usage = `Usage: mockgen record --target URL [--port N] [--out FILE.har] [options]

Runs a recording reverse proxy: point your app at http://127.0.0.1:8080 and every request is
forwarded to the target and written to a HAR 1.2 file as it completes (the file is valid HAR at all
times). The port is bound before the file is opened; an existing HAR is appended to, never
truncated. Runs until Ctrl-C / SIGTERM, then prints a summary.

Options:
  --target URL            the real API, e.g. https://api.example.com/v1 (request paths are appended)
  --port N                port to listen on (default 8080; 0 picks a free one)
  --host ADDR             interface to listen on (default 127.0.0.1)
  --out FILE.har          the HAR file to write (default traffic.har); an existing HAR is appended
                          to, its entries kept; a file that is not a HAR is refused, left untouched
  --spec FILE             OpenAPI contract: its apiKey names are redacted too, and each exchange is
                          checked for drift as it passes (one line per finding; a summary by kind on exit)
  --redact NAME           also redact this header / query / form / JSON field / cookie name; repeatable
  --no-redact             write secrets as captured (Authorization, cookies, API keys, tokens)
  --timeout MS            upstream inactivity limit; 504 when the target sends nothing for this long
                          before responding (default ${DEFAULT_TIMEOUT_MS})
  --max-body-size SIZE    bodies above this are cut in the HAR, still forwarded whole; bytes or with
                          k/m suffix (default 5m)
  --insecure              accept a target with a self-signed or invalid TLS certificate
  --quiet                 no progress line, only the summary and errors

Secrets are redacted keeping their shape: JWTs keep header and claims with signature REDACTED,
tokens keep their type prefix (sk_live_REDACTED), cookies become name=REDACTED.
`;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        target: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        out: { type: 'string' },
        spec: { type: 'string' },
        redact: { type: 'string', multiple: true },
        'no-redact': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-body-size': { type: 'string' },
        insecure: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new MockgenError(`${(err as Error).message}\n\n${usage}`);
  }
}

function parseInteger(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new MockgenError(`--${flag} must be a whole number from ${min} to ${max}, got '${value}'.`);
  }
  return Number(value);
}

/** `1048576`, `512k`, `10m`, `1g` (binary units, optional `b`/`ib`). */
export function parseSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(value);
  if (!match)
    throw new MockgenError(`--max-body-size must be a size like 5m, 512k or 1048576, got '${value}'.`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(match[1]) * unit);
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
    ? path.resolve(file)
    : relative;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function summaryLine(summary: RecorderSummary): string {
  const parts = [
    `${summary.written} exchange${summary.written === 1 ? '' : 's'} written to ${displayPath(summary.file)}` +
      (summary.existing === undefined ? '' : ` (now ${summary.entries} entries)`),
    `${summary.errors} failed`,
    `${formatBytes(summary.bytesSent)} sent, ${formatBytes(summary.bytesReceived)} received`,
  ];
  if (summary.drifted !== undefined) {
    parts.push(
      `${summary.drifted} with drift (${summary.findings ?? 0} finding${summary.findings === 1 ? '' : 's'})`,
    );
  }
  return `mockgen record: ${parts.join('; ')}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv);
  if (!values.target) throw new MockgenError(`--target URL is required.\n\n${usage}`);
  parseTarget(values.target);
  const port = values.port === undefined ? 8080 : parseInteger('port', values.port, 0, 65535);
  const timeoutMs =
    values.timeout === undefined
      ? DEFAULT_TIMEOUT_MS
      : parseInteger('timeout', values.timeout, 1, 2 ** 31 - 1);
  const maxBodySize =
    values['max-body-size'] === undefined ? DEFAULT_MAX_BODY_SIZE : parseSize(values['max-body-size']);
  const out = values.out ?? 'traffic.har';
  const redactEnabled = !values['no-redact'];
  if (!redactEnabled && values.redact?.length)
    throw new MockgenError('--redact and --no-redact contradict each other; drop one.');

  let contract: Contract | undefined;
  if (values.spec) {
    // loaded only when needed: the contract loader pulls in the OpenAPI parser
    const { loadContract } = await import('../../contract/load-contract');
    contract = await loadContract(values.spec, { checkSchema: false });
  }

  const stderr = process.stderr;
  const tty = stderr.isTTY === true && !values.quiet;
  let progressShown = false;
  const clearProgress = (): void => {
    if (tty && progressShown) stderr.write('\r\x1b[K');
    progressShown = false;
  };
  const say = (line: string): void => {
    clearProgress();
    stderr.write(`${line}\n`);
  };

  const failuresSaid = new Set<string>();
  const recorder = await startRecorder({
    target: values.target,
    host: values.host,
    port,
    timeoutMs,
    maxBodySize,
    insecure: values.insecure,
    out,
    redact: {
      enabled: redactEnabled,
      names: values.redact ?? [],
      securitySchemes: contract?.securitySchemes,
    },
    contract,
    onDrift: say,
    onError: say,
    onEntry: (entry) => {
      // the first failure of each kind is said at once (all of them are in the HAR)
      if (entry.response.status !== 0 || entry._error === undefined || failuresSaid.size >= 10) return;
      const reason = entry._error.replace(/^mockgen record: /, '');
      if (failuresSaid.has(reason)) return;
      failuresSaid.add(reason);
      say(`mockgen record: ${entry.request.method} ${entry.request.url} failed: ${reason}`);
    },
  });

  if (recorder.existing !== undefined)
    say(
      `mockgen record: appending to ${displayPath(out)} (${recorder.existing} entr${recorder.existing === 1 ? 'y' : 'ies'})`,
    );
  say(
    `mockgen record: ${recorder.url} → ${values.target}, writing ${displayPath(out)}` +
      `${redactEnabled ? ' (secrets redacted)' : ' (NOT redacted)'}${contract ? `, checking drift against ${values.spec}` : ''}. ` +
      'Ctrl-C to stop.',
  );

  // Said at start when the target cannot be reached (the recorder keeps running: it may come up).
  void probeTarget(values.target, { insecure: values.insecure, timeoutMs: Math.min(timeoutMs, 5000) }).then(
    (problem) => {
      if (problem) say(`mockgen record: warning: ${problem}; requests get 502 until it can be reached.`);
    },
  );

  const { stats } = recorder;
  const progressText = (): string =>
    `recording: ${stats.exchanges} exchanges, ${formatBytes(stats.bytesSent + stats.bytesReceived)}, ${stats.errors} errors, ${stats.inFlight} in flight`;
  let lastLogged = '';
  const ticker = values.quiet
    ? undefined
    : setInterval(
        () => {
          const text = progressText();
          if (tty) {
            stderr.write(`\r\x1b[K${text}`);
            progressShown = true;
          } else if (text !== lastLogged && stats.exchanges > 0) {
            lastLogged = text;
            stderr.write(`mockgen record: ${text}\n`);
          }
        },
        tty ? 250 : 10_000,
      );
  ticker?.unref();

  let signalled = false;
  let onSignal = (): void => undefined;
  await new Promise<void>((resolve) => {
    onSignal = (): void => {
      if (signalled) {
        // second Ctrl-C: stop waiting for in-flight exchanges
        void recorder.stop(0);
        return;
      }
      signalled = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  if (ticker) clearInterval(ticker);
  clearProgress();
  try {
    const summary = await recorder.stop();
    stderr.write(`${summaryLine(summary)}\n`);
    if (summary.drifted !== undefined)
      stderr.write(
        summary.findings
          ? `mockgen record: drift against ${values.spec}: ${summary.findings} finding${summary.findings === 1 ? '' : 's'} in ${summary.drifted} exchange${summary.drifted === 1 ? '' : 's'}: ${summary.driftByKind}; run mockgen drift --spec ${values.spec} --recordings ${displayPath(out)} for the full report\n`
          : `mockgen record: drift against ${values.spec}: none\n`,
      );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
