// Timing helpers for the engine benchmark. Throughput and latency are measured separately for
// our engine: reading the clock around every call would add tens of nanoseconds to a call that
// takes a few hundred, so throughput runs untimed inner loops and latency is its own pass.

export interface Percentiles {
  p50Us: number;
  p99Us: number;
  samples: number;
}

export function percentiles(samplesMs: Float64Array): Percentiles {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (q: number) => (sorted[Math.floor(q * (sorted.length - 1))] ?? 0) * 1000;
  return { p50Us: at(0.5), p99Us: at(0.99), samples: sorted.length };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** What reading the clock twice costs, so latency figures can be read against it. */
export function timerOverheadUs(): number {
  const n = 100_000;
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    samples[i] = performance.now() - t0;
  }
  return percentiles(samples).p50Us;
}

/**
 * Runs `call` over the items, timing each call, until the budget is spent (but at least
 * `minCalls` times). For slow engines (tens of microseconds and up), where the clock costs
 * nothing in comparison: gives throughput and latency from the same calls.
 */
export function timeEachCall<T>(
  items: readonly T[],
  call: (item: T) => boolean,
  budgetMs: number,
  minCalls: number,
): { perSecond: number; latency: Percentiles; results: boolean[] } {
  const durations: number[] = [];
  const results: boolean[] = [];
  let total = 0;
  for (let i = 0; total < budgetMs || i < minCalls; i++) {
    const item = items[i % items.length]!;
    const t0 = performance.now();
    const allow = call(item);
    const dt = performance.now() - t0;
    total += dt;
    durations.push(dt);
    if (i < items.length) results.push(allow);
  }
  return {
    perSecond: (durations.length / total) * 1000,
    latency: percentiles(Float64Array.from(durations)),
    results,
  };
}

/** Yields to the event loop so a caller's timers and I/O are not starved between phases. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
