/**
 * The recorder: proxy → redaction → HAR file (→ live drift lines). What `mockgen record` runs, usable
 * from code and tests without the CLI's signal handling and terminal output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contract } from '../model/types';
import { packageRoot } from '../paths';
import type { HarEntry } from '../recordings/har-types';
import { redactHarEntry, type RedactOptions } from '../recordings/redact';
import type { DriftWatch } from './drift-watch';
import { HarFileWriter } from './har-writer';
import { startRecordingProxy, type ProxyStats, type RecordingProxyOptions } from './proxy';

export interface RecorderOptions extends Omit<RecordingProxyOptions, 'onEntry'> {
  /** HAR file to write: created (with its folder) or, when it is a HAR already, appended to; never truncated. */
  out: string;
  /** Redaction applied before an entry is written; `enabled: false` writes secrets as captured. */
  redact: RedactOptions;
  /** With a contract, every exchange is checked for drift (after its response went out) and `onDrift` gets one line per finding. */
  contract?: Contract;
  onDrift?: (line: string) => void;
  /** Called after each entry is on disk. */
  onEntry?: (entry: HarEntry, index: number) => void;
  /** Where write failures are reported. Default stderr. */
  onError?: (message: string) => void;
}

export interface RecorderSummary extends ProxyStats {
  file: string;
  /** Entries written by this run. */
  written: number;
  /** Entries in the HAR file: `existing` + `written`. */
  entries: number;
  /** Entries the file already held (only when appending to an existing HAR). */
  existing?: number;
  /** Exchanges with drift findings (only with a contract). */
  drifted?: number;
  findings?: number;
  /** Findings per kind, e.g. `3 response-body-invalid, 1 operation-undocumented` (only with a contract). */
  driftByKind?: string;
}

export interface Recorder {
  url: string;
  port: number;
  stats: ProxyStats;
  /** Entries `out` already held, appended to; `undefined` when the file was created. */
  existing: number | undefined;
  /** Drains in-flight exchanges (up to `graceMs`), closes the proxy and the file. */
  stop(graceMs?: number): Promise<RecorderSummary>;
}

const CREATOR = { name: 'mockgen record', version: readVersion() };

function readVersion(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  // Refuse an --out that is not a HAR before anything else happens (read-only).
  await HarFileWriter.check(options.out);
  // The drift checker (Ajv and friends) is loaded only when there is a contract to check against.
  let watch: DriftWatch | undefined;
  if (options.contract) watch = new (await import('./drift-watch')).DriftWatch(options.contract, options.out);
  const onError = options.onError ?? ((message: string) => process.stderr.write(`${message}\n`));
  // The port is bound first and the file opened only once it listens: a port in use never touches
  // the file. Exchanges completing in between wait for it; `undefined` when it could not be opened.
  let writerOpened: (writer: HarFileWriter | undefined) => void = () => undefined;
  const writerReady = new Promise<HarFileWriter | undefined>((resolve) => (writerOpened = resolve));
  let writeFailed = false;
  const opened: { writer?: HarFileWriter } = {};
  // Drift checks run after the responses of a tick went out (off the exchange's latency), in order.
  let driftQueue: { entry: HarEntry; index: number }[] = [];
  const checkDrift = (): void => {
    const queue = driftQueue;
    driftQueue = [];
    for (const { entry, index } of queue) {
      try {
        for (const line of watch?.check(entry, index) ?? []) options.onDrift?.(line);
      } catch (err) {
        onError(`mockgen record: drift check failed for entry ${index}: ${(err as Error).message}`);
      }
    }
  };
  const proxy = await startRecordingProxy({
    ...options,
    // resolves once the entry is in the file: the proxy ends the app's response only then
    onEntry: async (entry) => {
      const writer = opened.writer ?? (await writerReady);
      if (!writer) return;
      // the proxy builds each entry for this call alone: redacted in place, no copy
      const redacted = redactHarEntry(entry, options.redact, true);
      const index = writer.entries;
      try {
        await writer.append(redacted);
      } catch (err) {
        if (!writeFailed) onError(`mockgen record: cannot write ${options.out}: ${(err as Error).message}`);
        writeFailed = true;
        return;
      }
      options.onEntry?.(redacted, index);
      if (watch) {
        if (driftQueue.length === 0) setImmediate(checkDrift);
        driftQueue.push({ entry: redacted, index });
      }
    },
  });
  let writer: HarFileWriter;
  try {
    writer = await HarFileWriter.open(options.out, {
      creator: CREATOR,
      comment: `Recorded from ${options.target}${options.redact.enabled === false ? '' : '; secrets redacted'}`,
    });
  } catch (err) {
    writerOpened(undefined);
    await proxy.close(0);
    throw err;
  }
  opened.writer = writer;
  writerOpened(writer);
  const existing = writer.existing;
  const running = proxy;
  let stopping: Promise<RecorderSummary> | undefined;
  return {
    url: running.url,
    port: running.port,
    stats: running.stats,
    existing,
    stop(graceMs?: number): Promise<RecorderSummary> {
      if (stopping && graceMs === 0) void running.close(0);
      stopping ??= (async () => {
        await running.close(graceMs);
        await writer.close();
        checkDrift();
        return {
          ...running.stats,
          file: options.out,
          written: writer.entries - (existing ?? 0),
          entries: writer.entries,
          ...(existing !== undefined ? { existing } : {}),
          ...(watch
            ? { drifted: watch.drifted, findings: watch.findings, driftByKind: watch.summary() }
            : {}),
        };
      })();
      return stopping;
    },
  };
}
