/**
 * Response latency. MOCKGEN_LATENCY selects the mode:
 *   recorded (default)  sample the operation's recorded wait-time distribution (or the default profile)
 *   off | 0             no delay
 *   <ms>                a fixed delay, e.g. `250`
 *   <min>-<max>         uniformly distributed, e.g. `50-200`
 * MOCKGEN_LATENCY_SCALE=<factor> multiplies whatever the mode gives (e.g. 0.1 for fast test runs).
 * MOCKGEN_EVENT_INTERVAL=<ms> paces the events of a server-sent event stream (default 25; 0 with
 * latency off: the whole stream in one write).
 */
import type { LatencyProfile, Manifest, OperationData } from './core/types';

type LatencyMode =
  | { kind: 'recorded' }
  | { kind: 'off' }
  | { kind: 'fixed'; ms: number }
  | { kind: 'range'; min: number; max: number };

interface LatencyConfig {
  mode: LatencyMode;
  scale: number;
}

let processConfig: LatencyConfig | undefined;

export function parseLatencyConfig(env: NodeJS.ProcessEnv): LatencyConfig {
  const raw = (env.MOCKGEN_LATENCY ?? '').trim().toLowerCase();
  let mode: LatencyMode = { kind: 'recorded' };
  const range = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)(?:ms)?$/.exec(raw);
  const fixed = /^(\d+(?:\.\d+)?)(?:ms)?$/.exec(raw);
  if (raw === 'off' || raw === 'none' || raw === 'false') mode = { kind: 'off' };
  else if (fixed) mode = Number(fixed[1]) === 0 ? { kind: 'off' } : { kind: 'fixed', ms: Number(fixed[1]) };
  else if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    mode = { kind: 'range', min: Math.min(a, b), max: Math.max(a, b) };
  }
  const scaleRaw = env.MOCKGEN_LATENCY_SCALE;
  const scale = scaleRaw === undefined || scaleRaw.trim() === '' ? 1 : Number(scaleRaw);
  return { mode, scale: Number.isFinite(scale) && scale >= 0 ? scale : 1 };
}

/** Inverse-CDF sample of a quantile profile: `ms[i]` is the `i/(n-1)` quantile, linear in between. */
export function sampleProfile(profile: LatencyProfile, u: number = Math.random()): number {
  const q = profile.ms;
  if (q.length === 0) return 0;
  if (q.length === 1) return q[0];
  const position = Math.min(Math.max(u, 0), 1) * (q.length - 1);
  const lower = Math.floor(position);
  if (lower >= q.length - 1) return q[q.length - 1];
  return q[lower] + (q[lower + 1] - q[lower]) * (position - lower);
}

/** How long to wait before answering a request to `op`, in whole ms. */
export function latencyMs(op: OperationData, manifest: Manifest, env?: NodeJS.ProcessEnv): number {
  const config =
    env === undefined || env === process.env
      ? (processConfig ??= parseLatencyConfig(process.env))
      : parseLatencyConfig(env);
  let ms: number;
  switch (config.mode.kind) {
    case 'off':
      return 0;
    case 'fixed':
      ms = config.mode.ms;
      break;
    case 'range':
      ms = config.mode.min + Math.random() * (config.mode.max - config.mode.min);
      break;
    case 'recorded': {
      const profile = op.latency ?? manifest.defaultLatency;
      ms = profile ? sampleProfile(profile) : 0;
      break;
    }
  }
  const scaled = ms * config.scale;
  return Number.isFinite(scaled) && scaled > 0 ? Math.round(scaled) : 0;
}

/** Pause between the events of a server-sent event stream when MOCKGEN_EVENT_INTERVAL does not say. */
const DEFAULT_EVENT_INTERVAL_MS = 25;

/**
 * Pause between two events of a streamed response (server-sent events), in ms: MOCKGEN_EVENT_INTERVAL,
 * else a short default; 0 (one write) when latency is off. Scaled by MOCKGEN_LATENCY_SCALE.
 */
export function eventIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const config =
    env === process.env ? (processConfig ??= parseLatencyConfig(process.env)) : parseLatencyConfig(env);
  const raw = env.MOCKGEN_EVENT_INTERVAL?.trim();
  const explicit = raw ? Number(raw.replace(/ms$/i, '')) : NaN;
  const ms =
    Number.isFinite(explicit) && explicit >= 0
      ? explicit
      : config.mode.kind === 'off'
        ? 0
        : DEFAULT_EVENT_INTERVAL_MS;
  return Math.round(ms * config.scale);
}

/** Forget the cached process.env configuration (tests, or after changing the environment). */
export function resetLatencyConfig(): void {
  processConfig = undefined;
}

const resolved = Promise.resolve();

/** Waits `ms`; resolves at once, without a timer, for 0. */
export function delay(ms: number): Promise<void> {
  if (!(ms > 0)) return resolved;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
