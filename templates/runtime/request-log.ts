/**
 * The request log (`--log`, MOCKGEN_LOG=1): one line per answered request on stdout,
 *
 *   GET /v1/pets?limit=2 200 3ms example:default
 *
 * method, path and query as received, status, time from receipt to the last byte written (paced
 * event streams and latency included), and the journal's source of the answer (`recording:<entry>`,
 * `state`, `example:<name>`, `generated`, `error`, `admin`...). Off by default: the pipeline then
 * only tests that no log exists. Lines are collected and written once per turn of the event loop
 * (stdout to a pipe or file is a blocking write in Node), and at exit.
 */
import type { ServerResponse } from 'node:http';

export type LogSink = (text: string) => void;

/** Whether the environment turns the log on: MOCKGEN_LOG=1 (or true, yes, on). */
export function requestLogEnabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.MOCKGEN_LOG;
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

export class RequestLog {
  private pending = '';
  private scheduled = false;

  /** `sink` receives batches of whole lines. */
  constructor(private readonly sink: LogSink = stdoutSink()) {}

  /** Logs the request once its response has been written out (`finish`; an aborted response is not logged). */
  watch(res: ServerResponse, method: string, url: string, started: number, source: string): void {
    res.once('finish', () => this.write(logLine(method, url, res.statusCode, Date.now() - started, source)));
  }

  write(line: string): void {
    this.pending += `${line}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes what is pending now. */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.sink(text);
  };
}

let stdoutLog: RequestLog | undefined;

function stdoutSink(): LogSink {
  return (text) => {
    process.stdout.write(text);
  };
}

/** The log to stdout (one per process), whose pending lines are written when the process exits. */
export function stdoutRequestLog(): RequestLog {
  if (!stdoutLog) {
    const log = (stdoutLog = new RequestLog());
    process.once('exit', log.flush);
  }
  return stdoutLog;
}

/** One log line; control characters and spaces in the URL and source (example names) are percent-encoded. */
export function logLine(
  method: string,
  url: string,
  status: number,
  durationMs: number,
  source: string,
): string {
  return `${method} ${safe(url)} ${status} ${Math.round(durationMs)}ms ${safe(source) || '-'}`;
}

function safe(text: string): string {
  return text.replace(/[\x00-\x20\x7f\u2028\u2029]/g, encodeURIComponent);
}
