/** Counting helpers shared by the runners. */
import { DistinctOffsets } from './gate.js';
import { nowMs } from './stats.js';
import type { RunnerResult, RunSpec } from './types.js';

/** Wall-clock epoch milliseconds now (to line up runs of parallel processes). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Counts consumed records by distinct (partition, offset) until every record of the topic has
 * arrived once; repeats are counted apart as duplicates. The measured phase runs from the first
 * record to the last one, so that group joins and connection set-up (reported apart as
 * `startupMs`) do not dilute the steady rate, as Java's ConsumerPerformance reports fetch.nMsg.sec.
 */
export class ConsumeMeter {
  private readonly seen = new DistinctOffsets();
  private first = 0;
  private firstEpoch = 0;
  private last = 0;
  private readonly started = nowMs();
  private resolveDone!: () => void;
  readonly done: Promise<void>;
  private readonly target: number;

  constructor(private readonly spec: RunSpec) {
    this.target = spec.count;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** One record arrived. Returns true once every record has. */
  add(partition: number, offset: number): boolean {
    if (this.first === 0) {
      this.first = nowMs();
      this.firstEpoch = epochMs();
    }
    if (this.seen.add(partition, offset) && this.seen.distinct === this.target) {
      this.last = nowMs();
      this.resolveDone();
    }
    return this.seen.distinct >= this.target;
  }

  get distinct(): number {
    return this.seen.distinct;
  }

  /** Rejects with a clear error when too little arrives in time. */
  async wait(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `consumed ${this.seen.distinct} of ${this.target} distinct records in ${timeoutMs} ms (${this.seen.duplicates} duplicates)`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  result(note?: string): RunnerResult {
    const count = this.seen.distinct;
    const seconds = Math.max(1e-6, (this.last - this.first) / 1000);
    const r: RunnerResult = {
      count,
      bytes: count * this.spec.scenario.size,
      seconds,
      startEpochMs: this.firstEpoch,
      endEpochMs: this.firstEpoch + seconds * 1000,
      startupMs: this.first - this.started,
      duplicates: this.seen.duplicates,
    };
    if (note) r.note = note;
    return r;
  }
}

/** How long a runner waits for its records before giving up: generous, a slow client is a result too. */
export function consumeTimeoutMs(spec: RunSpec): number {
  return 60_000 + spec.count * 0.5;
}

/**
 * Runs `sendChunk(from, n)` over records 0 … total-1 in chunks of `chunk`, with at most `window`
 * chunks unacknowledged, and times first send to last acknowledgement. A failed chunk is
 * counted (the gate fails the run), not thrown, so the other sends still finish.
 */
export async function produceInChunks(
  total: number,
  size: number,
  chunk: number,
  window: number,
  sendChunk: (from: number, n: number) => Promise<unknown>,
): Promise<RunnerResult & { firstError?: unknown }> {
  const pending = new Set<Promise<unknown>>();
  let acked = 0;
  let failed = 0;
  let firstError: unknown;
  const started = nowMs();
  const startEpochMs = epochMs();
  for (let from = 0; from < total; from += chunk) {
    const n = Math.min(chunk, total - from);
    const p = sendChunk(from, n).then(
      () => {
        acked += n;
      },
      (error: unknown) => {
        failed += n;
        firstError ??= error;
      },
    );
    pending.add(p);
    p.finally(() => pending.delete(p));
    if (pending.size >= window) await Promise.race(pending);
  }
  await Promise.all(pending);
  const seconds = (nowMs() - started) / 1000;
  const r: RunnerResult & { firstError?: unknown } = {
    count: acked,
    bytes: acked * size,
    seconds,
    startEpochMs,
    endEpochMs: startEpochMs + seconds * 1000,
    failedSends: failed,
  };
  if (firstError) {
    r.firstError = firstError;
    r.note =
      `first failed send: ${firstError instanceof Error ? firstError.message : String(firstError)}`.slice(
        0,
        300,
      );
  }
  return r;
}
