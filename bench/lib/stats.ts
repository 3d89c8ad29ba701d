/** Small statistics helpers for the runners and the report. */

/** The median of the numbers (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function minMax(values: readonly number[]): [number, number] {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  return [Math.min(...values), Math.max(...values)];
}

/** Nearest-rank percentile (p in 0..100) of `sorted`, which must be sorted ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Ack latencies collected by the latency runners: one slot per record, filled with
 * milliseconds since that record's send.
 */
export class LatencyRecorder {
  private readonly ms: Float64Array;
  private filled = 0;

  constructor(capacity: number) {
    this.ms = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.filled < this.ms.length) this.ms[this.filled++] = ms;
  }

  get count(): number {
    return this.filled;
  }

  summary(): { p50Ms: number; p99Ms: number } {
    const sorted = this.ms.subarray(0, this.filled).sort();
    return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
  }
}

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Calls `tick(due)` so that `rate` records per second leave for `seconds`; `due` is how many
 * should be sent now. A timer every 5 ms keeps the pace without a busy loop.
 */
export function paced(rate: number, seconds: number, tick: (due: number) => void): Promise<void> {
  const total = Math.round(rate * seconds);
  const started = nowMs();
  let sent = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const target = Math.min(total, Math.floor(((nowMs() - started) / 1000) * rate));
      if (target > sent) {
        tick(target - sent);
        sent = target;
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(step, 5);
    step();
  });
}
