/**
 * Latency profiles: recorded wait times (HAR `timings.wait`, time to first byte) summarised as the
 * 11 quantiles 0, 0.1, …, 1 (linear interpolation between order statistics, rounded to 0.1 ms).
 * The emitted server (runtime/latency.ts) draws a delay by picking a uniform quantile and
 * interpolating, so replayed timing follows the recorded distribution, tail included.
 */
import type { LatencyProfile } from '../../templates/runtime/core/types';

export const QUANTILES = 11;

const NONE: LatencyProfile = { ms: [0], samples: 0 };

/** Quantiles of `waitMs`; negative, NaN and infinite values (HAR `-1` = not applicable) are ignored. */
export function latencyProfile(waitMs: number[]): LatencyProfile {
  const sorted = waitMs.filter((ms) => Number.isFinite(ms) && ms >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return { ms: [...NONE.ms], samples: 0 };
  const ms: number[] = [];
  for (let i = 0; i < QUANTILES; i++) {
    const h = ((sorted.length - 1) * i) / (QUANTILES - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const value = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    ms.push(Math.round(value * 10) / 10);
  }
  return { ms, samples: sorted.length };
}

/**
 * The profile for operations without recordings of their own: the distribution over every recorded
 * exchange when there are any (the API's typical speed), else no delay (`{ ms: [0], samples: 0 }`).
 */
export function defaultLatency(all: number[]): LatencyProfile {
  return latencyProfile(all);
}
