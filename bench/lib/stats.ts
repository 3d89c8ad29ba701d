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
  // The epsilon keeps 99.9 % of 1,000 at rank 999 (0.999 × 1000 is 999.0000000000001 in floating point).
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * End-to-end latencies of a fixed-rate run, corrected for coordinated omission: a record's
 * latency is counted from the time it was *scheduled* to be sent (start + i / rate), not from
 * when the sender got round to it. A client that stalls therefore shows the stall in every
 * record that waited behind it, as a user of a real fixed-rate stream would see it.
 */
export class LatencyRecorder {
  private readonly ms: Float64Array;
  private filled = 0;

  constructor(capacity: number) {
    this.ms = new Float64Array(capacity);
  }

  /** Record `i` of the schedule (`startMs` + i × 1000 / rate) arrived at `nowMs`. */
  addScheduled(i: number, startMs: number, rate: number, arrivedMs: number): void {
    this.add(arrivedMs - scheduledAt(i, startMs, rate));
  }

  add(ms: number): void {
    if (this.filled < this.ms.length) this.ms[this.filled++] = ms;
  }

  get count(): number {
    return this.filled;
  }

  summary(): LatencySummary {
    return latencySummary(this.ms.subarray(0, this.filled));
  }
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** When record `i` of a fixed-rate schedule is due. */
export function scheduledAt(i: number, startMs: number, rate: number): number {
  return startMs + (i * 1000) / rate;
}

/** p50 / p99 / p99.9 / max of the latencies (sorts a copy). */
export function latencySummary(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/**
 * Paired ratios: in each round, ours ÷ theirs from the same round (so a slow round, from load
 * on the machine, slows both sides of its pair). Rounds where either side has no verified
 * figure are left out. Returns the median and the min–max of the ratios.
 */
export function pairedRatio(
  ours: ReadonlyMap<number, number>,
  theirs: ReadonlyMap<number, number>,
): { median: number; min: number; max: number; pairs: number } | undefined {
  const ratios: number[] = [];
  for (const [round, a] of ours) {
    const b = theirs.get(round);
    if (b !== undefined && b > 0 && a > 0) ratios.push(a / b);
  }
  if (ratios.length === 0) return undefined;
  const [min, max] = minMax(ratios);
  return { median: median(ratios), min, max, pairs: ratios.length };
}

/** The client order of a round: the list rotated by the round's number, so no client is always first. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const k = (((round - 1) % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Sends a fixed-rate schedule: `count` records at `rate` per second from `startMs` on; calls
 * `tick(from, to)` with the records now due (indices from … to-1). A timer every 1 ms keeps the
 * pace without a busy loop; a late timer only makes more records due at once, and their latency
 * still counts from their scheduled time (see LatencyRecorder). Ends early once `stop()` says so.
 */
export function paced(
  rate: number,
  count: number,
  startMs: number,
  tick: (from: number, to: number) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  let sent = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      if (stop()) {
        clearInterval(timer);
        resolve();
        return;
      }
      const target = Math.min(count, Math.floor(((nowMs() - startMs) / 1000) * rate) + 1);
      if (target > sent) {
        tick(sent, target);
        sent = target;
      }
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(step, 1);
    step();
  });
}
